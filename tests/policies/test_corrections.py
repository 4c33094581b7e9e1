"""CorrectionPolicy on real Rasa trackers and the real domain (no training)."""
from __future__ import annotations

import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def domain():
    from rasa.shared.core.domain import Domain

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Rasa's notices on loading a domain
        return Domain.load(str(ROOT / "domain"))


@pytest.fixture
def policy(tmp_path):
    from rasa.engine.graph import ExecutionContext, GraphSchema
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource

    from bot.policies.corrections import CorrectionPolicy

    return CorrectionPolicy.create(CorrectionPolicy.get_default_config(), LocalModelStorage(tmp_path),
                                   Resource("corrections"), ExecutionContext(GraphSchema({}), "test"))


def tracker(domain, text, intent, entities=(), need="vae", form_active=False):
    """After a referral for `need` (or while the form asks), the person's `text`."""
    from rasa.shared.core.events import ActionExecuted, ActiveLoop, SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    events = [ActionExecuted("action_listen"), UserUttered("…", intent={"name": need or "greet", "confidence": 1.0}),
              SlotSet("need", need), ActionExecuted("referral_form"), ActiveLoop("referral_form")]
    if not form_active:
        events += [ActiveLoop(None), ActionExecuted("action_refer")]
    events += [ActionExecuted("action_listen"),
               UserUttered(text, intent={"name": intent, "confidence": 0.4},
                           entities=[{"entity": e, "value": "x", "start": 0, "end": 1} for e in entities])]
    return DialogueStateTracker.from_events("citizen-1", events, domain.slots)


def predicted(policy, domain, tracker_) -> str | None:
    prediction = policy.predict_action_probabilities(tracker_, domain)
    best = max(range(len(prediction.probabilities)), key=prediction.probabilities.__getitem__)
    return domain.action_names_or_texts[best] if prediction.probabilities[best] > 0 else None


@pytest.mark.parametrize("intent, entities", [
    ("nlu_fallback", ["public"]), ("nlu_fallback", ["commune", "commune_insee"]), ("inform", ["age"]),
    ("deny", ["commune", "commune_insee"]), ("nlu_fallback", ["woman"]),
])
def test_a_correction_read_as_a_misunderstanding_goes_back_to_the_form(policy, domain, intent, entities):
    assert predicted(policy, domain, tracker(domain, "non pardon je suis apprenti", intent, entities)) == "referral_form"


@pytest.mark.parametrize("intent, text", [("nlu_fallback", "euh Brest pour le truc"), ("out_of_scope", "quel temps à Brest")])
def test_before_any_need_a_message_keeps_its_own_answer(policy, domain, intent, text):
    """The two likeliest needs, or the out-of-scope answer, help more than the form."""
    assert predicted(policy, domain, tracker(domain, text, intent, ["commune"], need=None)) is None


@pytest.mark.parametrize("intent, entities", [
    ("distress", ["public"]), ("ask_human", ["commune"]), ("nlu_fallback", []), ("nlu_fallback", ["metier"]),
    ("delete_conversation", ["age"]), ("out_of_scope", ["public"]),
])
def test_other_messages_are_not_corrections(policy, domain, intent, entities):
    assert predicted(policy, domain, tracker(domain, "…", intent, entities)) is None


def test_inside_the_form_the_form_itself_reads_the_answer(policy, domain):
    assert predicted(policy, domain, tracker(domain, "je suis apprenti", "nlu_fallback", ["public"], form_active=True)) is None


def test_a_button_payload_is_its_own_intent(policy, domain):
    assert predicted(policy, domain, tracker(domain, '/inform{"public": "salarie"}', "inform", ["public"])) is None


def test_priority_between_the_rules_and_the_handoff(policy):
    from rasa.core.constants import RULE_POLICY_PRIORITY

    from bot.policies.handoff import HandoffPolicy

    assert RULE_POLICY_PRIORITY < policy.priority < HandoffPolicy.get_default_config()["priority"]
