"""action_delete_conversation says it is done, then restarts (the store erases)."""
from __future__ import annotations

from pathlib import Path

import yaml


def test_delete_action_confirms_then_restarts():
    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher

    from actions.delete_conversation import ActionDeleteConversation

    tracker = Tracker("s1", {}, {"text": "/affirm"}, [], False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    events = ActionDeleteConversation().run(dispatcher, tracker, {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_conversation_deleted"]
    assert [e["event"] for e in events] == ["restart"]


def test_privacy_domain_declares_everything_the_rules_use():
    root = Path(__file__).resolve().parents[2]
    domain = yaml.safe_load((root / "domain" / "privacy.yml").read_text(encoding="utf-8"))
    rules = yaml.safe_load((root / "data" / "rules" / "privacy.yml").read_text(encoding="utf-8"))
    used = {step["action"] for rule in rules["rules"] for step in rule["steps"] if "action" in step}
    declared = set(domain["responses"]) | set(domain["actions"])
    assert used <= declared | {"referral_form"}
    assert {"ask_privacy", "delete_conversation"} <= set(domain["intents"])
    buttons = domain["responses"]["utter_ask_delete_confirmation"][0]["buttons"]
    assert [b["payload"] for b in buttons] == ["/affirm", "/deny"]
