import pytest

from bot.nlu import rome
from bot.nlu.metier import ALIASES
from bot.nlu.metier_extractor import MetierExtractor

from .helpers import create, entities, values


@pytest.fixture(scope="module")
def extractor(tmp_path_factory):
    return create(MetierExtractor, tmp_path_factory.mktemp("metier"))


@pytest.mark.parametrize(
    "text, label, rome_code",
    [
        ("je suis infirmière", "Infirmier / Infirmière de soins généraux", "J1506"),
        ("infirmier depuis 10 ans", "Infirmier / Infirmière de soins généraux", "J1506"),
        ("INFIRMIERE", "Infirmier / Infirmière de soins généraux", "J1506"),
        ("je veux devenir boulanger", "Boulanger / Boulangère", "D1102"),
        ("boulangere", "Boulanger / Boulangère", "D1102"),
        ("je suis aide-soignante en ehpad", "Aide-soignant / Aide-soignante", "J1501"),
        ("aide soignant", "Aide-soignant / Aide-soignante", "J1501"),
        ("je veux me reconvertir en dev web", "Développeur / Développeuse web", "M1805"),
        ("mécanicien auto depuis 20 ans", "Mécanicien / Mécanicienne automobile", "I1604"),
        ("mecano", "Mécanicien / Mécanicienne automobile", "I1604"),
        ("électricien", "Électricien / Électricienne du bâtiment", "F1602"),
        ("je voudrais être prof des écoles", "Professeur / Professeure des écoles", "K2106"),
        ("je suis coiffeuse", "Coiffeur / Coiffeuse", "D1202"),
        ("plombier chauffagiste", "Plombier / Plombière chauffagiste", "F1603"),
        ("une formation de cuisinier", "Cuisinier / Cuisinière", "G1602"),
        ("je suis agent de sécurité", "Agent / Agente de sécurité", "K2503"),
        ("secrétaire médicale", "Secrétaire médical / médicale", "M1609"),
        ("je suis cariste en intérim", "Cariste", "N1101"),
        ("devenir assistante maternelle", "Assistant maternel / Assistante maternelle", "K1303"),
        ("chauffeur routier", "Chauffeur routier / Chauffeuse routière", "N4101"),
        ("je suis comptable", "Comptable", "M1203"),
        ("les métiers d'infirmières", "Infirmier / Infirmière de soins généraux", "J1506"),
    ],
)
def test_metier_found(extractor, text, label, rome_code):
    assert values(extractor, text, "metier") == [label]
    assert values(extractor, text, "rome_code") == [rome_code]
    assert rome.appellation_by_label(label).rome_code == rome_code


@pytest.mark.parametrize(
    "text",
    [
        "je veux changer de carrière",
        "je suis mineur",
        "je suis cadre",
        "je cherche une formation",
        "je travaille dans une école",
        "je veux voir un conseiller d'orientation",
        "je suis au chômage depuis 2 ans",
        "je veux faire une vae",
        "mon patron ne veut pas",
        "j'ai un bac pro",
        "je suis en terminale",
        "je voudrais faire un bilan de compétences",
        "j'habite à Lucé",
        "bonjour",
    ],
)
def test_no_metier(extractor, text):
    assert entities(extractor, text) == []


def test_metier_and_rome_code_share_the_span(extractor):
    text = "j'ai 34 ans, je suis infirmière et je veux faire une vae"
    found = entities(extractor, text)
    assert [e["entity"] for e in found] == ["metier", "rome_code"]
    assert {(e["start"], e["end"]) for e in found} == {(21, 31)}
    assert text[21:31] == "infirmière"
    assert {e["extractor"] for e in found} == {"MetierExtractor"}


def test_two_trades(extractor):
    text = "j'étais boulanger et je veux devenir électricien"
    assert values(extractor, text, "rome_code") == ["D1102", "F1602"]


def test_every_alias_names_a_real_appellation():
    labels = {a.label for a in rome.load_appellations()}
    assert {label for label in ALIASES.values()} <= labels


@pytest.mark.parametrize("text, secteur", [
    ("je veux ouvrir ma boulangerie, je suis boulanger", "artisanat"),
    ("je suis coiffeuse et je veux m'installer", "artisanat"),
    ("devenir plombier en alternance", "artisanat"),
    ("je suis maraîcher", "agriculture"),
    ("agent immobilier à mon compte", "commerce"),
])
def test_the_trade_says_its_chamber(extractor, text, secteur):
    assert values(extractor, text, "secteur") == [secteur]


def test_no_chamber_for_a_health_trade(extractor):
    assert values(extractor, "je suis infirmière", "secteur") == []


def test_a_sector_said_in_words_wins_over_the_trade(tmp_path):
    """The situation lexicon runs first: its sector is kept, the trade's dropped."""
    from rasa.shared.nlu.training_data.message import Message

    extractor = create(MetierExtractor, tmp_path)
    message = Message(data={"text": "ouvrir un restaurant, je suis boulanger",
                            "entities": [{"entity": "secteur", "value": "commerce", "start": 9, "end": 19}]})
    extractor.process([message])
    assert [e["value"] for e in message.get("entities") if e["entity"] == "secteur"] == ["commerce"]
