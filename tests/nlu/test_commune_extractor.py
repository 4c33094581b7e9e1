import logging

import pytest

from bot.nlu.commune_extractor import CommuneExtractor

from .helpers import create, entities, values


@pytest.fixture(scope="module")
def extractor(directory_engine, tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DIRECTORY_DATABASE_URL", str(directory_engine.url))
        return create(CommuneExtractor, tmp_path_factory.mktemp("commune"))


@pytest.mark.parametrize(
    "text, name, insee",
    [
        ("j'habite à Lucé", "Lucé", "28218"),
        ("j'habite a luce", "Lucé", "28218"),
        ("J'HABITE A LUCE", "Lucé", "28218"),
        ("je suis vers Saint-Brieuc", "Saint-Brieuc", "22278"),
        ("je vis à st brieuc", "Saint-Brieuc", "22278"),
        ("j'habite à Rennes", "Rennes", "35238"),
        ("je suis à Chartres et je cherche une formation", "Chartres", "28085"),
        ("j'habite à Dreux, j'ai 17 ans", "Dreux", "28134"),
        ("habite a quimper", "Quimper", "29232"),
        ("je vis à Brest depuis 2 ans", "Brest", "29019"),
        ("près de Vannes", "Vannes", "56260"),
        ("Lorient", "Lorient", "56121"),
        ("à Saint-Malo", "Saint-Malo", "35288"),
        ("j'habite à Nantes", "Nantes", "44109"),
    ],
)
def test_commune_found(extractor, text, name, insee):
    assert values(extractor, text, "commune") == [name]
    assert values(extractor, text, "commune_insee") == [insee]


def test_postcode(extractor):
    # 35000 is Rennes only.
    assert values(extractor, "j'habite sur le 35000", "commune_insee") == ["35238"]


def test_ambiguous_keeps_the_typed_text(extractor):
    # Several communes are called Saint-Denis: the dialogue asks which one.
    found = entities(extractor, "j'habite à Saint-Denis")
    assert [(e["entity"], e["value"]) for e in found] == [("commune", "Saint-Denis")]


@pytest.mark.parametrize(
    "text",
    [
        "je veux faire une vae",
        "j'ai 17 ans et je suis en terminale",
        "je suis infirmière",
        "bonjour",
        "je cherche une orange",
    ],
)
def test_no_commune(extractor, text):
    assert values(extractor, text, "commune") == []


def test_span_and_extractor(extractor):
    text = "j'habite à Lucé, j'ai 34 ans"
    found = entities(extractor, text)
    assert {text[e["start"] : e["end"]] for e in found} == {"Lucé"}
    assert {e["extractor"] for e in found} == {"CommuneExtractor"}


def test_missing_database_extracts_nothing(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("DIRECTORY_DATABASE_URL", f"sqlite:///{tmp_path / 'absent.sqlite'}")
    with caplog.at_level(logging.WARNING, logger="bot.nlu.commune_extractor"):
        extractor = create(CommuneExtractor, tmp_path)
    assert "Directory database not found" in caplog.text
    assert entities(extractor, "j'habite à Lucé") == []
    assert not (tmp_path / "absent.sqlite").exists()
