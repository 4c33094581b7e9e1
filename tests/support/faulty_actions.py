"""The project's actions with two injected faults, for the shared test action server
(`rasa run actions --actions tests.support.faulty_actions`).

While the referral form is active, a message containing FAULT_MARKER makes
validate_referral_form raise an exception that quotes the message, as a careless bug
would: the privacy test uses it to prove that a traceback written by the action
server goes through the redacting filter. In a conversation whose id starts with
FAULT_SENDER or SLOW_SENDER, the first validation fails, or answers after
SLOW_SECONDS (far beyond Rasa's wait, bot/rasa_fixes.py), and the next ones work: the
fault tests use the ids, as the words of a marker would change what the NLU reads.
No other test sends the markers."""
from __future__ import annotations

import asyncio
import importlib
import pkgutil

import actions
from actions.validate_referral_form import ValidateReferralForm

FAULT_MARKER = "panne-simulee-du-test"
SLOW_MARKER = "lenteur-simulee-du-test"
FAULT_SENDER = "panne-simulee-"
SLOW_SENDER = "lenteur-simulee-"
SLOW_SECONDS = 40
_faulted: set[str] = set()

# rasa-sdk registers every Action subclass imported when it loads this module.
for module in pkgutil.iter_modules(actions.__path__):
    importlib.import_module(f"actions.{module.name}")

_run = ValidateReferralForm.run


async def _run_with_fault(self, dispatcher, tracker, domain):
    text = (tracker.latest_message or {}).get("text") or ""
    if FAULT_MARKER in text:
        raise RuntimeError(f"panne simulée en lisant « {text} »")
    if SLOW_MARKER in text:
        await asyncio.sleep(SLOW_SECONDS)
    sender = tracker.sender_id or ""
    if sender.startswith((FAULT_SENDER, SLOW_SENDER)) and sender not in _faulted:
        _faulted.add(sender)
        if sender.startswith(FAULT_SENDER):
            raise RuntimeError("panne simulée de l'action")
        await asyncio.sleep(SLOW_SECONDS)
    return await _run(self, dispatcher, tracker, domain)


ValidateReferralForm.run = _run_with_fault
