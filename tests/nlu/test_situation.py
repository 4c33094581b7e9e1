"""The situation lexicon: public, handicap, cadre, secteur as the slots expect them."""
import re
from pathlib import Path

import pytest
import yaml

from bot.nlu.situation import find_situation
from bot.nlu.situation_extractor import SituationExtractor
from tests.nlu.helpers import create, entities, values

NLU_DIR = Path(__file__).resolve().parents[2] / "data" / "nlu"

PUBLIC = [
    ("je suis aide soignante de nuit", "salarie"),
    ("je suis AESH dans un collège", "salarie"),
    ("je suis en préavis, mon contrat finit en mars", "salarie"),
    ("j'ai ma propre boite de nettoyage", "independant"),
    ("oui je travaille", "salarie"),
    ("je bosse toujours chez le même patron", "salarie"),
    ("je suis au chômage partiel depuis mars", "salarie"),
    ("je fais un CAP en apprentissage", "apprenti"),
    ("je fais mon bts par alternance", "apprenti"),
    ("je suis entre deux contrats", "demandeur_emploi"),
    ("je travaille pas en ce moment", "sans_activite"),
    ("je suis au chômage depuis 2 ans", "demandeur_emploi"),
    ("au chomdu depuis mars", "demandeur_emploi"),
    ("chomeuse en fin de droits", "demandeur_emploi"),
    ("inscrite a france travail", "demandeur_emploi"),
    ("j'ai été licenciée en janvier", "demandeur_emploi"),
    ("j'ai perdu mon boulot", "demandeur_emploi"),
    ("jsuis en 3eme", "collegien"),
    ("elle est au collège", "collegien"),
    ("je suis en terminale", "lyceen"),
    ("en 1ere STMG", "lyceen"),
    ("LYCEENNE en seconde", "lyceen"),
    ("je suis étudiant en L2 de droit", "etudiant"),
    ("je suis en première année de BTS", "etudiant"),
    ("je suis à la fac", "etudiant"),
    ("je suis en alternance chez un plombier", "apprenti"),
    ("apprentie coiffeuse", "apprenti"),
    ("je suis salariée en CDI", "salarie"),
    ("intérimaire dans le BTP", "salarie"),
    ("je bosse dans la grande distribution depuis 10 ans", "salarie"),
    ("je suis auto-entrepreneur", "independant"),
    ("je travaille à mon compte", "independant"),
    ("mère au foyer depuis 8 ans", "sans_activite"),
    ("je suis au RSA", "sans_activite"),
    ("je travaille pas en ce moment", "sans_activite"),
    ("mon fils est en terminale", "parent"),
    ("c'est pour ma fille de 15 ans", "parent"),
    ("je suis la mère d'un élève de 3e", "parent"),
    ("j'étais salariée, maintenant je suis au chômage", "demandeur_emploi"),
    # Statuses as people describe them.
    ("je suis technicien en CDI chez un équipementier", "salarie"),
    ("intérimaire", "salarie"),
    ("je bosse dans un resto", "salarie"),
    ("je fais rien en ce moment", "sans_activite"),
    ("jfais rien", "sans_activite"),
    ("ni en études ni en emploi", "sans_activite"),
    ("j'ai arrêté la fac en janvier", "sans_activite"),
    ("j'ai quitté le lycée l'an dernier", "sans_activite"),
    ("je suis déscolarisée depuis septembre", "sans_activite"),
    ("en arrêt maladie depuis 6 mois", "salarie"),  # on leave, the contract goes on
    ("retraitée depuis peu", "sans_activite"),
    # Looking for work said with no activity: a job seeker.
    ("je fais rien en ce moment, je cherche du boulot", "demandeur_emploi"),
    ("j'ai arrêté l'école et je cherche un travail", "demandeur_emploi"),
    # A weak cue yields to a status named.
    ("j'ai arrêté la fac, je travaille chez un traiteur", "salarie"),
    ("j'ai lâché mon BTS et maintenant je suis au chômage", "demandeur_emploi"),
    ("j'ai un CDI dans la logistique", "salarie"),
    ("je travaille à mi-temps dans une école", "salarie"),
    ("je suis en poste depuis 3 ans", "salarie"),
    ("je n'ai plus de travail depuis juin", "demandeur_emploi"),
    ("j'ai été virée le mois dernier", "demandeur_emploi"),
    ("fin de mon CDD en mars", "demandeur_emploi"),
    ("j'ai ma boîte de nettoyage", "independant"),
    ("je suis agricultrice", "independant"),
    ("je fais un BTS compta", "etudiant"),
]

NO_PUBLIC = [
    "je cherche une alternance en cuisine",
    "je cherche du travail",  # looking for work alone says no status
    "je fais une formation de cariste",
    "c'est la première fois que je vous écris",
    "bonjour",
    "comment devenir boulanger",
    "je travaillais à la poste avant",  # a past job
    "je voudrais travailler dans la vente",
    "je travaille à trouver ma voie",
]


@pytest.mark.parametrize("text,public", PUBLIC)
def test_public_is_read_from_what_people_type(text, public):
    assert [m.value for m in find_situation(text) if m.entity == "public"] == [public]


@pytest.mark.parametrize("text", NO_PUBLIC)
def test_no_public_where_none_is_said(text):
    assert [m for m in find_situation(text) if m.entity == "public"] == []


@pytest.mark.parametrize("text,entity,value", [
    ("j'ai la RQTH", "handicap", "true"),
    ("travailleuse handicapée", "handicap", "true"),
    ("je suis cadre dans l'industrie", "cadre", "true"),
    ("je veux reprendre une exploitation agricole", "secteur", "agriculture"),
    ("ouvrir une boulangerie", "secteur", "artisanat"),
    ("ouvrir un food truck", "secteur", "commerce"),
])
def test_handicap_cadre_and_sector(text, entity, value):
    assert [m.value for m in find_situation(text) if m.entity == entity] == [value]


def test_in_the_frame_of_is_not_a_manager():
    assert [m for m in find_situation("dans le cadre de mon projet") if m.entity == "cadre"] == []


def test_offsets_point_at_the_words_said():
    text = "Bonjour, je suis AU CHÔMAGE"
    [mention] = find_situation(text)
    assert text[mention.start:mention.end] == "CHÔMAGE"


ANNOTATION = re.compile(r'\[([^\]]+)\]\{"entity": "(public|handicap|cadre|secteur)"(?:, "value": "([^"]+)")?\}')


def annotated_examples():
    for path in sorted(NLU_DIR.glob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            for line in str(block.get("examples", "")).splitlines():
                line = line.strip().removeprefix("- ")
                for match in ANNOTATION.finditer(line):
                    text = ANNOTATION.sub(lambda m: m.group(1), line)
                    yield text, match.group(2), match.group(3) or match.group(1)


def test_every_annotated_training_example_is_found_with_its_value():
    examples = list(annotated_examples())
    assert len(examples) > 100  # read from data/nlu wherever pytest runs
    missed = [(text, entity, value) for text, entity, value in examples
              if value not in [m.value for m in find_situation(text) if m.entity == entity]]
    assert missed == []


WOMAN = [
    "je suis prête à reprendre un travail", "je suis inscrite à France Travail", "maman de 3 enfants",
    "mère de deux enfants, je voudrais retravailler", "je suis mère au foyer", "femme au foyer depuis 10 ans",
    "je suis salariée dans une banque", "jsuis demandeuse d'emploi", "je suis restée à la maison 8 ans",
    "je suis une femme de 45 ans", "chomeuse depuis 2 ans", "je me suis arrêtée pour élever mes enfants",
    "je suis infirmière", "je suis étudiante en L3", "je suis enceinte",
]
NOT_WOMAN = [
    "je suis prêt à reprendre", "je suis inscrit à France Travail", "je suis salarié", "papa de 3 enfants",
    "je suis au lycée", "je suis père au foyer", "ma femme est au chômage", "je cherche une formation d'infirmière",
    "mon fils est en terminale", "je suis demandeur d'emploi",
]


@pytest.mark.parametrize("text", WOMAN)
def test_a_woman_is_understood_from_her_own_words(text):
    assert [m.value for m in find_situation(text) if m.entity == "woman"] == ["true"]


@pytest.mark.parametrize("text", NOT_WOMAN)
def test_no_woman_without_her_own_feminine_words(text):
    assert [m for m in find_situation(text) if m.entity == "woman"] == []


def test_component_emits_slot_ready_entities(tmp_path):
    extractor = create(SituationExtractor, tmp_path)
    assert values(extractor, "je suis au chômage, RQTH", "public") == ["demandeur_emploi"]
    assert values(extractor, "je suis au chômage, RQTH", "handicap") == ["true"]
    assert all(e["extractor"] == "SituationExtractor" for e in entities(extractor, "au chômage"))


@pytest.mark.parametrize("text, public", [
    ("je taffe à l'usine", "salarie"), ("je fais les saisons l'été", "salarie"),
    ("je cherche depuis 8 mois, plus rien", "demandeur_emploi"), ("licencié économique", "demandeur_emploi"),
    ("je touche le chomage", "demandeur_emploi"), ("je m'occupe de ma mère malade", "sans_activite"),
    ("en invalidité", "sans_activite"), ("j'ai tout arrêté il y a un an", "sans_activite"),
    ("je suis en congé maternité", "salarie"), ("je suis VTC", "independant"),
    ("je vends sur les marchés", "independant"), ("je suis infirmière libérale", "independant"),
    ("je suis en CFA", "apprenti"), ("je suis en contrat d'apprentissage chez un boulanger", "apprenti"),
    ("je fais médecine", "etudiant"),
])
def test_more_statuses_as_people_describe_them(text, public):
    assert [m.value for m in find_situation(text) if m.entity == "public"] == [public]


@pytest.mark.parametrize("text, secteur", [
    ("je veux ouvrir un salon de toilettage", "artisanat"), ("créer une agence immobilière", "commerce"),
    ("installer des ruches et vendre du miel", "agriculture"), ("ouvrir un café librairie", "commerce"),
    ("je veux me lancer dans la couture", "artisanat"), ("reprendre une exploitation laitière avec des vaches", "agriculture"),
    ("créer mon cabinet de conseil", "commerce"), ("créer un gîte à la ferme", "agriculture"),
])
def test_the_activity_says_its_sector(text, secteur):
    assert [m.value for m in find_situation(text) if m.entity == "secteur"] == [secteur]


@pytest.mark.parametrize("text, public", [
    ("chui o chomage", "demandeur_emploi"), ("jsui salarié", "salarie"), ("jbosse ds un resto", "salarie"),
    ("jfais rien", "sans_activite"), ("chui étudiant", "etudiant"), ("j suis en cdi", "salarie"),
    ("jsuis agent d entretien", "salarie"), ("chuis mère au foyer", "sans_activite"),
])
def test_statuses_written_as_text_messages(text, public):
    assert [m.value for m in find_situation(text) if m.entity == "public"] == [public]
