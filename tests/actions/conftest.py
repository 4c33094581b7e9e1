"""Named trackers and the real test directory for the action tests (financial-demo
style: build a tracker, run the action with a CollectingDispatcher, assert the
returned events and the dispatched responses)."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

DOMAIN_DIR = Path(__file__).resolve().parents[2] / "domain"
EMPTY_SLOTS = {"need": None, "public": None, "handicap": None, "cadre": None, "woman": None, "age": None,
               "commune": None, "commune_insee": None, "secteur": None, "metier": None,
               "rome_code": None, "requested_slot": None}


@pytest.fixture(scope="session")
def domain():
    """The domain as the action server receives it (responses, forms, slots merged)."""
    merged: dict = {}
    for path in sorted(DOMAIN_DIR.glob("*.yml")):
        for key, value in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).items():
            if isinstance(value, dict):
                merged.setdefault(key, {}).update(value)
            elif isinstance(value, list):
                merged.setdefault(key, []).extend(value)
    return merged


def make_tracker(slots=None, text="", intent=None, entities=None, intent_ranking=None,
                 requested_slot=None, active_loop=None, events=None, confidence=1.0, parse_extra=None):
    from rasa_sdk import Tracker

    values = dict(EMPTY_SLOTS, **(slots or {}))
    values["requested_slot"] = requested_slot
    latest = {"text": text, "intent": {"name": intent, "confidence": confidence} if intent else {},
              "entities": entities or [], "intent_ranking": intent_ranking or [], **(parse_extra or {})}
    return Tracker("test-user", values, latest, events or [], False, None,
                   {"name": active_loop} if active_loop else {}, "action_listen")


# Named trackers -----------------------------------------------------------------

@pytest.fixture
def tracker_vae_salarie_luce():
    return make_tracker({"need": "vae", "public": "salarie", "age": 40,
                         "commune": "Lucé", "commune_insee": "28218"})


@pytest.fixture
def tracker_recherche_emploi_all_declined():
    return make_tracker({"need": "recherche_emploi", "public": "non_precise", "age": "non_precise",
                         "commune": "non_precise"})


@pytest.fixture
def tracker_recherche_emploi_handicap_rennes():
    return make_tracker({"need": "recherche_emploi", "public": "demandeur_emploi", "handicap": True,
                         "age": 34, "commune": "Rennes", "commune_insee": "35238"})


@pytest.fixture
def tracker_no_need():
    return make_tracker({"public": "lyceen"})


@pytest.fixture
def tracker_fallback_formation_vae():
    ranking = [{"name": "nlu_fallback", "confidence": 0.7}, {"name": "formation", "confidence": 0.3},
               {"name": "greet", "confidence": 0.2}, {"name": "vae", "confidence": 0.1},
               {"name": "alternance", "confidence": 0.05}]
    return make_tracker(text="euh le truc pour les diplomes", intent="nlu_fallback", intent_ranking=ranking)


@pytest.fixture
def tracker_for():
    """Builds an ad-hoc tracker: tracker_for({"need": "vae"}, text=…, intent=…)."""
    return make_tracker


@pytest.fixture
def resolver_db(directory_db):
    """directory_db, for tests that need the commune resolver (directory.communes
    area): skipped while that contract is not available."""
    import directory.communes

    if not hasattr(directory.communes, "load_resolver"):
        pytest.skip("directory.communes.load_resolver not available yet")
    return directory_db
