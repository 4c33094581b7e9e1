"""The project's actions with one injected fault, for the shared test action server
(`rasa run actions --actions tests.support.faulty_actions`).

While the referral form is active, a message containing FAULT_MARKER makes
validate_referral_form raise an exception that quotes the message, as a careless bug
would. The privacy test uses it to prove that a traceback written by the action
server goes through the redacting filter; no other test sends the marker."""
from __future__ import annotations

import importlib
import pkgutil

import actions
from actions.validate_referral_form import ValidateReferralForm

FAULT_MARKER = "panne-simulee-du-test"

# rasa-sdk registers every Action subclass imported when it loads this module.
for module in pkgutil.iter_modules(actions.__path__):
    importlib.import_module(f"actions.{module.name}")

_run = ValidateReferralForm.run


async def _run_with_fault(self, dispatcher, tracker, domain):
    text = (tracker.latest_message or {}).get("text") or ""
    if FAULT_MARKER in text:
        raise RuntimeError(f"panne simulée en lisant « {text} »")
    return await _run(self, dispatcher, tracker, domain)


ValidateReferralForm.run = _run_with_fault
