"""The distress safety net: danger phrasings always caught, needs left alone."""
import pytest
import yaml

from bot.nlu.distress import has_distress_cue
from tests.nlu.helpers import need_training_examples

DANGER = [
    "je veux me suicider",
    "jai envie de mourir",
    "j'ai des idées noires depuis que j'ai perdu mon boulot",
    "je pense a me tuer",
    "je vais me foutre en lair",
    "j'ai envie d'en finir",
    "je veux en finir avec la vie",
    "plus envie de vivre franchement",
    "je me scarifie le soir",
    "mon beau-père me frappe",
    "mon patron me harcèle depuis des mois",
    "mon maître de stage me tripote",
    "je me suis fait agresser à la sortie du lycée",
    "je suis harcelée au travail",
    "je subis du harcèlement moral au boulot",
    "il me menace de mort",
    "ils m'insultent tous les jours au collège",
    "j'ai peur de rentrer chez moi",
    "JE VEUX MOURIR",
    "je me fais racketter au lycée",
    "on me frappe à la maison",
    "j'ai été violée l'an dernier",
    "je me sens en danger chez moi",
    "ma mère me bat, je veux partir de la maison",
    "mon copain me menace si je reprends le travail",
    "mon beau père me touche la nuit",
    "j'ai plus rien à manger et je cherche un job",
    "on n'a pas de quoi manger ce soir",
    "je suis enceinte et mon copain m'a mise à la porte",
    "mes parents m'ont mis dehors hier",
    "je me retrouve à la rue avec mes enfants",
    "mon beau-frère me tape dessus",
    "j'ai plus la force de vivre",
    "marre de la vie",
    "la vie n'a plus de sens",
    "je vais sauter du pont",
    "mon responsable m'a giflée hier",
    "il m'a étranglé pendant la dispute",
    "le chef d'équipe m'a mis une main aux fesses",
    "mon tuteur me fait des remarques sexuelles",
    "je dors dehors depuis trois jours",
    "j'ai nulle part où dormir ce soir",
    "ma fille a fugué cette nuit",
    "mon fils fait des fugues",
    "je me sens tellement nulle que je veux plus exister",
    "mon maître d'apprentissage me touche",
    "le prof de sport me touche quand on est seuls",
    "j'ai plus envie de rien, a quoi bon continuer",
    "personne m'aime jvais tout arreter",
    "à quoi bon vivre",
    "je sers a rien, personne ne veut de moi",
    "j'ai pas envie de rien depuis des semaines",
    "mon patron m'a mis une claque devant tout le monde",
    "ils m'ont donné des coups à la sortie du bahut",
    "mon beau-père m'a donné un coup de poing",
    "au college ils me traitent de grosse tous les jours",
    "tout le monde se moque de moi au lycée, je veux plus y aller",
    "on m'humilie en classe",
    "je me fais insulter tous les jours au bahut",
    "je me fais traiter de tous les noms",
    "mon fils est harcelé au collège il veut plus y aller",
    "ma fille se fait taper à l'école",
    "on fait circuler des photos de moi",
    "mes parents veulent me marier de force cet été",
    "mon mari m'interdit de travailler",
    "je suis enfermée chez moi",
    "j'ai envie de tout arrêter, même de vivre",
    "je prends des cachets pour ne plus me réveiller",
    "mon frère m'a mis dehors cette nuit",
    "j'ai peur de mon copain quand il boit",
    "ma copine me menace tout le temps",
    "je veux plus aller au lycée, ils me tapent à la récré",
    "mon père me cogne quand il a bu",
]

NEEDS = [
    "je me bats pour trouver un emploi",
    "je me bat pour trouver un boulot",
    "ça me touche beaucoup merci",
    "je veux travailler dans l'aide aux victimes de violences conjugales",
    "je veux en finir avec mes études et travailler",
    "le chômage me menace",
    "je veux devenir infirmière en psychiatrie",
    "j'aimerais faire une formation de secouriste",
    "je voudrais disposer d'un bilan de compétences",
    "comment devenir policier",
    "je cherche un métier dans la prévention",
    "je veux travailler avec les sans-abri",
    "mon conseiller m'a poussé à reprendre une formation",
    "ce métier m'a tapé dans l'oeil",
    "ma formation m'a menée vers le social",
    "je cherche un hébergement pendant ma formation",
    "ce métier me touche beaucoup",
    "la crise me touche comme tout le monde",
    "je veux exister professionnellement",
    "le métier de prof me touche, comment le devenir",
    "à quoi bon continuer mes études si je trouve pas de travail après",
    "à quoi ça sert de continuer en fac de droit",
    "mon bts sert à rien dans ma région",
    "j'ai plus envie de rien faire à l'école",
    "je sers à rien au boulot, je veux changer de poste",
    "ce stage m'a donné un coup de pouce pour trouver du travail",
    "la formation m'a mis un coup de boost",
    "mon conseiller m'a donné un coup de main pour mon CV",
    "mon patron m'a mis à la porte, je cherche un nouveau travail",
    "mon patron me menace de licenciement si je fais une formation",
    "je cherche un emploi dans la restauration, rien à voir avec la cuisine",
    "mon père me touche un mot de ton projet",
    "je travaille à la rue de la paix",
    "je me fais traiter pour mon dos, je dois changer de métier",
    "le métier de photographe, il faut publier des photos de mariage",
    "mon mari m'encourage à reprendre le travail",
    "je veux travailler dans un métier où on ne se moque pas de moi",
    "je me réveille tous les jours en pensant à ma reconversion",
    "il est harcelant ce calcul de CPF",
    "mon chef me tape sur les nerfs, je veux changer de boulot",
    "il me tape sur les nerfs ce collègue, je veux changer de poste",
    "ce métier me tape dans l'oeil",
]


def test_word_lists_are_shared_and_a_misspelt_list_is_refused():
    from bot.nlu.cues import expand_word_lists

    words = {"partner": "mari|copine"}
    assert expand_word_lists("(<partner>) m'interdit", words) == "((?:mari|copine)) m'interdit"
    assert expand_word_lists("(?<!je )me frappe", words) == "(?<!je )me frappe"
    with pytest.raises(ValueError, match="<parner>"):
        expand_word_lists("(<parner>) m'interdit", words)


@pytest.mark.parametrize("text", DANGER)
def test_danger_is_caught(text):
    assert has_distress_cue(text)


@pytest.mark.parametrize("text", NEEDS)
def test_needs_are_left_alone(text):
    assert not has_distress_cue(text)


def test_training_examples_of_needs_raise_no_cue():
    """No example written for a need looks like distress to the lexicon."""
    assert [(need, text) for need, text in need_training_examples() if has_distress_cue(text)] == []


def test_guard_overrides_the_classifier_and_keeps_its_ranking():
    from rasa.shared.nlu.training_data.message import Message

    from bot.nlu.distress_guard import DistressGuard

    danger = Message(data={"text": "mon tuteur en entreprise me frappe",
                           "intent": {"name": "alternance", "confidence": 0.8},
                           "intent_ranking": [{"name": "alternance", "confidence": 0.8}]})
    need = Message(data={"text": "je cherche une alternance",
                         "intent": {"name": "alternance", "confidence": 0.9}})
    DistressGuard().process([danger, need])
    assert danger.get("intent") == {"name": "distress", "confidence": 1.0}
    assert [r["name"] for r in danger.get("intent_ranking")] == ["distress", "alternance"]
    assert need.get("intent")["name"] == "alternance"


def test_guard_has_the_last_word_after_the_fallback():
    """A cue wins even when DIET was sure of another intent. The two components run
    in the order and with the settings of config.yml: placed before the
    FallbackClassifier, the guard's answer looked ambiguous (1.0 against 0.97)."""
    from pathlib import Path

    from rasa.nlu.classifiers.fallback_classifier import FallbackClassifier
    from rasa.shared.nlu.training_data.message import Message

    from bot.nlu.distress_guard import DistressGuard

    pipeline = yaml.safe_load(Path("config.yml").read_text(encoding="utf-8"))["pipeline"]
    settings = next(c for c in pipeline if c["name"] == "FallbackClassifier")
    components = {
        "FallbackClassifier": FallbackClassifier({**FallbackClassifier.get_default_config(), **settings}),
        "bot.nlu.distress_guard.DistressGuard": DistressGuard(),
    }
    ranking = [{"name": "reconversion", "confidence": 0.97}, {"name": "distress", "confidence": 0.02}]
    messages = [Message(data={"text": "plus de boulot, plus de famille, je veux en finir",
                              "intent": ranking[0], "intent_ranking": ranking})]
    for component in pipeline:
        if component["name"] in components:
            messages = components[component["name"]].process(messages)
    assert messages[0].get("intent") == {"name": "distress", "confidence": 1.0}
