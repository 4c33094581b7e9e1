import pytest
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.age_extractor import AgeExtractor
from .helpers import create, entities, values


@pytest.fixture(scope="module")
def extractor(tmp_path_factory):
    return create(AgeExtractor, tmp_path_factory.mktemp("age"))


@pytest.mark.parametrize(
    "text, age",
    [
        ("j'ai 17 ans", 17),
        ("J’ai 17 ans", 17),
        ("17a", 17),
        ("17ans", 17),
        ("jai 17ans et je sais pas quoi faire", 17),
        ("agé de 45 ans", 45),
        ("âgée de 52 ans, je veux me reconvertir", 52),
        ("45 balais", 45),
        ("j'ai 45 balais et plus de boulot", 45),
        ("dix-sept ans", 17),
        ("j'ai dix sept ans", 17),
        ("j'ai vingt et un ans", 21),
        ("j'ai soixante-deux ans", 62),
        ("je vais avoir 16 ans", 16),
        ("je viens d'avoir 18 ans", 18),
        ("j'ai bientôt 18 ans", 18),
        ("j'aurai 18 ans en mars", 18),
        ("mon fils a 15 ans et veut arrêter le lycée", 15),
        ("ma fille de 14 ans ne sait pas quoi faire", 14),
        ("Bonjour, 22 ans, je cherche une alternance", 22),
        ("22 ans, diplômée en droit", 22),
        ("moi 34 ans", 34),
        ("je m'inquiète pour mon fils qui a 16 ans", 16),
        ("J'AI 30 ANS", 30),
        ("elle a eu 19 ans hier", 19),
        ("mon âge : 45", 45),
    ],
)
def test_age_found(extractor, text, age):
    assert values(extractor, text, "age") == [age]


@pytest.mark.parametrize(
    "text",
    [
        "j'ai un bac+2",
        "je suis en 3e",
        "j'habite dans le 35000",
        "au chômage depuis 2 ans",
        "j'ai 2 enfants",
        "il y a 10 ans j'étais boulanger",
        "au chômage depuis 3 ans",
        "j'ai eu mon diplôme en 2019",
        "je travaille de 9h à 17h",
        "j'ai 12 ans d'expérience en comptabilité",
        "ça fait 15 ans que je suis caissière",
        "j'ai travaillé 20 ans chez le même patron",
        "les aides pour les moins de 26 ans",
        "une formation pour les jeunes de 16 à 25 ans",
        "à 17 ans j'ai arrêté l'école",
        "pendant vingt ans j'ai été infirmière",
        "il y a quinze ans",
        "ya 20 ans",
        "entre 16 et 25 ans",
        "j'ai 5 ans",
        "j'ai 120 ans",
        "une formation de 2 ans",
        "tous les 10 ans on change de métier",
    ],
)
def test_no_age(extractor, text):
    assert values(extractor, text, "age") == []


def test_entity_span_and_extractor_name(extractor):
    [found] = entities(extractor, "Bonjour, j'ai 34 ans")
    assert found["start"] == 14 and found["end"] == 20
    assert found["extractor"] == "AgeExtractor"
    assert isinstance(found["value"], int)


def test_existing_entities_are_kept(extractor):
    message = Message(data={"text": "j'ai 30 ans", "entities": [{"entity": "public", "value": "x"}]})
    [processed] = extractor.process([message])
    assert [e["entity"] for e in processed.get("entities")] == ["public", "age"]


def test_training_data_unchanged(extractor):
    data = TrainingData([Message(data={"text": "j'ai 30 ans", "intent": "inform"})])
    assert extractor.process_training_data(data) is data
    assert data.training_examples[0].get("entities") is None
