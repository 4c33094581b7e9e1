"""The handoff rules with Rasa's RulePolicy and HandoffPolicy together, as the
ensemble picks. RulePolicy only memorises the rules, in memory (a few seconds, no
model written): it also raises on contradicting or incomplete rules, as training would."""
from __future__ import annotations

import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def policies(tmp_path_factory):
    from rasa.core.policies.rule_policy import RulePolicy
    from rasa.engine.graph import ExecutionContext, GraphSchema
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource
    from rasa.shared.core.generator import TrainingDataGenerator
    from rasa.shared.importers.importer import TrainingDataImporter

    from bot.policies.handoff import HandoffPolicy

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Rasa's and pykwalify's own deprecations
        importer = TrainingDataImporter.load_from_config(
            str(ROOT / "config.yml"), str(ROOT / "domain"), [str(ROOT / "data")])
        domain = importer.get_domain()
        trackers = TrainingDataGenerator(importer.get_stories(), domain,
                                         augmentation_factor=0).generate()
        storage = LocalModelStorage(tmp_path_factory.mktemp("policies"))
        context = ExecutionContext(GraphSchema({}), "handoff-rules")
        rules = RulePolicy.create(RulePolicy.get_default_config(), storage, Resource("rules"),
                                  context)
        rules.train(trackers, domain)
    handoff = HandoffPolicy.create(HandoffPolicy.get_default_config(), storage,
                                   Resource("handoff"), context)
    return domain, rules, handoff


def next_action(policies, events):
    from rasa.core.policies.ensemble import DefaultPolicyPredictionEnsemble
    from rasa.shared.core.trackers import DialogueStateTracker

    domain, rules, handoff = policies
    tracker = DialogueStateTracker.from_events("citizen-1", events, domain.slots)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        best = DefaultPolicyPredictionEnsemble._pick_best_policy(
            [rules.predict_action_probabilities(tracker, domain),
             handoff.predict_action_probabilities(tracker, domain)])
    return domain.action_names_or_texts[best.max_confidence_index]


def said(intent):
    from rasa.shared.core.events import UserUttered

    return UserUttered(None, intent={"name": intent, "confidence": 1.0})


def start():
    from rasa.shared.core.events import ActionExecuted, SessionStarted

    return [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")]


def waiting():
    from rasa.shared.core.events import ActionExecuted, SlotSet

    return start() + [said("ask_human"), ActionExecuted("action_handoff"),
                      SlotSet("handoff_status", "waiting"), ActionExecuted("action_listen")]


def test_a_full_handoff(policies):
    from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered

    assert next_action(policies, start() + [said("ask_human")]) == "action_handoff"
    conversation = waiting()
    assert next_action(policies, conversation + [said("formation")]) == "action_listen"
    conversation += [UserUttered.create_external(
        "counsellor_message", [{"entity": "counsellor_text", "value": "Bonjour"}])]
    assert next_action(policies, conversation) == "action_counsellor_message"
    conversation += [ActionExecuted("action_counsellor_message"), SlotSet("handoff_status", "held")]
    assert next_action(policies, conversation) == "action_listen"
    conversation += [ActionExecuted("action_listen")]
    assert next_action(policies, conversation + [said("greet")]) == "action_listen"
    conversation += [UserUttered.create_external("counsellor_hand_back")]
    assert next_action(policies, conversation) == "action_handoff_end"
    conversation += [ActionExecuted("action_handoff_end"), SlotSet("handoff_status", None),
                     ActionExecuted("action_listen")]
    assert next_action(policies, conversation + [said("greet")]) == "utter_greet"


@pytest.mark.parametrize("intent, answer", [("distress", "utter_distress"),
                                            ("delete_conversation", "utter_ask_delete_confirmation")])
def test_safety_and_erasure_answered_while_waiting(policies, intent, answer):
    assert next_action(policies, waiting() + [said(intent)]) == answer


@pytest.mark.parametrize("status, then", [("waiting", "action_deactivate_loop"),
                                          ("closed", "referral_form")])
def test_asking_for_a_human_during_the_form(policies, status, then):
    from rasa.shared.core.events import (ActionExecuted, ActionExecutionRejected, ActiveLoop,
                                         SlotSet)

    conversation = start() + [said("formation"), ActionExecuted("referral_form"),
                              ActiveLoop("referral_form"), SlotSet("requested_slot", "public"),
                              ActionExecuted("action_listen"), said("ask_human"),
                              ActionExecutionRejected("referral_form")]
    assert next_action(policies, conversation) == "action_handoff"
    conversation += [ActionExecuted("action_handoff"), SlotSet("handoff_status", status)]
    assert next_action(policies, conversation) == then


def test_a_wait_nobody_answers_ends_and_the_assistant_speaks_again(policies):
    from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered

    conversation = waiting() + [UserUttered.create_external("EXTERNAL_handoff_timeout")]
    assert next_action(policies, conversation) == "action_handoff_timeout"
    conversation += [ActionExecuted("action_handoff_timeout"), SlotSet("handoff_status", "closed")]
    assert next_action(policies, conversation) == "action_listen"
    conversation += [ActionExecuted("action_listen")]
    assert next_action(policies, conversation + [said("request_callback")]) == "callback_form"


@pytest.mark.parametrize("status", ["held", None])
def test_the_time_out_after_a_counsellor_took_it_changes_nothing(policies, status):
    from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered

    conversation = waiting() + [SlotSet("handoff_status", status),
                                UserUttered.create_external("EXTERNAL_handoff_timeout")]
    assert next_action(policies, conversation) == "action_handoff_timeout"
    conversation += [ActionExecuted("action_handoff_timeout")]  # returns no event
    assert next_action(policies, conversation) == "action_listen"
