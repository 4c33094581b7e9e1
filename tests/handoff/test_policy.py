"""HandoffPolicy on real Rasa trackers and the real domain (no training)."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def domain():
    import warnings

    from rasa.shared.core.domain import Domain

    with warnings.catch_warnings():
        # pykwalify (Rasa's YAML schema check) loads extensions with load_module().
        warnings.simplefilter("ignore", DeprecationWarning)
        # Rasa always says this on loading a domain (its CLI silences it too).
        warnings.filterwarnings("ignore", message="Slot auto-fill has been removed")
        return Domain.load(str(ROOT / "domain"))


@pytest.fixture
def policy(tmp_path):
    from rasa.engine.graph import ExecutionContext, GraphSchema
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource

    from bot.policies.handoff import HandoffPolicy

    return HandoffPolicy.create(
        HandoffPolicy.get_default_config(), LocalModelStorage(tmp_path), Resource("handoff"),
        ExecutionContext(GraphSchema({}), "test"),
    )


def tracker(domain, status, *turn_events):
    """A conversation whose handoff_status is `status`, then `turn_events`."""
    from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    events = [ActionExecuted("action_listen"),
              UserUttered("un conseiller svp", intent={"name": "ask_human", "confidence": 1.0}),
              ActionExecuted("action_handoff"), BotUttered("…"), SlotSet("handoff_status", status),
              ActionExecuted("action_listen")]
    return DialogueStateTracker.from_events("citizen-1", events + list(turn_events), domain.slots)


def user(intent, text="bonjour"):
    from rasa.shared.core.events import UserUttered

    return UserUttered(text, intent={"name": intent, "confidence": 0.9})


def triggered(intent, **entities):
    from rasa.shared.core.events import UserUttered

    return UserUttered.create_external(intent, [{"entity": k, "value": v} for k, v in entities.items()])


def predicted(policy, domain, tracker_):
    prediction = policy.predict_action_probabilities(tracker_, domain)
    if max(prediction.probabilities) == 0.0:
        return None
    return domain.action_names_or_texts[prediction.max_confidence_index], prediction


@pytest.mark.parametrize("status", ["waiting", "held"])
def test_silent_on_a_user_message_while_a_counsellor_is_awaited_or_answers(policy, domain, status):
    action, prediction = predicted(policy, domain, tracker(domain, status, user("formation")))
    assert action == "action_listen"
    assert prediction.max_confidence == 1.0
    assert prediction.policy_name == "HandoffPolicy"


@pytest.mark.parametrize("status", [None, "closed"])
def test_no_opinion_when_no_counsellor_is_involved(policy, domain, status):
    assert predicted(policy, domain, tracker(domain, status, user("formation"))) is None


@pytest.mark.parametrize("intent", ["distress", "delete_conversation"])
def test_distress_and_erasure_still_answered_by_the_bot(policy, domain, intent):
    assert predicted(policy, domain, tracker(domain, "held", user(intent))) is None


def test_erasure_confirmation_still_answered(policy, domain):
    from rasa.shared.core.events import ActionExecuted, BotUttered

    conversation = tracker(domain, "held", user("delete_conversation"),
                           ActionExecuted("utter_ask_delete_confirmation"), BotUttered("Sûr ?"),
                           ActionExecuted("action_listen"), user("affirm", "oui"))
    assert predicted(policy, domain, conversation) is None


@pytest.mark.parametrize("intent", ["counsellor_message", "counsellor_hand_back"])
def test_console_intents_go_through(policy, domain, intent):
    conversation = tracker(domain, "held", triggered(intent, counsellor_text="Bonjour"))
    assert predicted(policy, domain, conversation) is None


def test_the_time_out_reminder_goes_through(policy, domain):
    conversation = tracker(domain, "waiting", triggered("EXTERNAL_handoff_timeout"))
    assert predicted(policy, domain, conversation) is None


def test_the_time_out_typed_by_the_person_stays_silent(policy, domain):
    typed = user("EXTERNAL_handoff_timeout", "/EXTERNAL_handoff_timeout")
    action, _ = predicted(policy, domain, tracker(domain, "waiting", typed))
    assert action == "action_listen"


def test_console_intent_typed_by_the_person_stays_silent(policy, domain):
    typed = user("counsellor_hand_back", '/counsellor_hand_back')
    action, _ = predicted(policy, domain, tracker(domain, "held", typed))
    assert action == "action_listen"


def test_no_opinion_after_the_bot_acted(policy, domain):
    from rasa.shared.core.events import ActionExecuted

    conversation = tracker(domain, "held", user("distress"), ActionExecuted("utter_distress"))
    assert predicted(policy, domain, conversation) is None


def test_wins_over_rule_policy_at_equal_confidence(policy, domain):
    from rasa.core.policies.ensemble import DefaultPolicyPredictionEnsemble
    from rasa.core.policies.policy import PolicyPrediction
    from rasa.core.constants import RULE_POLICY_PRIORITY

    ours = policy.predict_action_probabilities(tracker(domain, "held", user("greet")), domain)
    rule = PolicyPrediction.for_action_name(domain, "utter_greet", "RulePolicy")
    rule.policy_priority = RULE_POLICY_PRIORITY
    best = DefaultPolicyPredictionEnsemble._pick_best_policy([rule, ours])
    assert best.policy_name == "HandoffPolicy"


def test_nothing_to_train_and_loads_from_the_model(policy, domain):
    from rasa.engine.graph import ExecutionContext, GraphSchema

    from bot.policies.handoff import HandoffPolicy

    resource = policy.train([], domain)
    loaded = HandoffPolicy.load(HandoffPolicy.get_default_config(), policy._model_storage,
                                resource, ExecutionContext(GraphSchema({}), "test"))
    from rasa.core.constants import RULE_POLICY_PRIORITY

    action, prediction = predicted(loaded, domain, tracker(domain, "held", user("greet")))
    # Above RulePolicy and CorrectionPolicy.
    assert action == "action_listen" and prediction.policy_priority == RULE_POLICY_PRIORITY + 2
