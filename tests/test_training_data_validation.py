"""`rasa data validate` with every warning treated as a failure, except responses
that custom actions dispatch themselves (Rasa cannot see those in stories)."""
from __future__ import annotations

import re
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UNUSED = re.compile(r"The utterance '(utter_\w+)' is not used in any story or rule")


# Intents only triggered through Rasa's HTTP API by the staff console, or by a Rasa
# reminder, never typed (domain/handoff.yml): not in the NLU data on purpose.
TRIGGERED_ONLY = re.compile(
    r"The intent '(counsellor_message|counsellor_hand_back|EXTERNAL_handoff_timeout)' "
    r"is listed in the domain file, "
    r"but is not found in the NLU training data")

# Rasa's own CLI silences this one (rasa.utils.common): it is about a 2.x feature.
RASA_IGNORED = ("Slot auto-fill has been removed in 3.0",)


def sent_by_actions_or_forms(utterance: str, slots: set[str]) -> bool:
    """Named in an action or in Rasa's fixes (also as an f-string prefix like `utter_info_{need}`),
    or a form's question `utter_ask_<slot>`."""
    # bot/rasa_fixes.py sends the apology when the action server fails.
    sources = "\n".join(p.read_text(encoding="utf-8")
                        for p in [*(ROOT / "actions").glob("*.py"), ROOT / "bot" / "rasa_fixes.py"])
    if re.search(rf"\b{utterance}\b", sources):
        return True
    prefixes = re.findall(r"(utter_\w*?)\{", sources)
    if any(utterance.startswith(prefix) for prefix in prefixes):
        return True
    return utterance.startswith("utter_ask_") and utterance[len("utter_ask_"):] in slots


def test_domain_and_data_are_consistent():
    from rasa.shared.importers.importer import TrainingDataImporter
    from rasa.validator import Validator

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        importer = TrainingDataImporter.load_from_config(
            config_path=str(ROOT / "config.yml"),
            domain_path=str(ROOT / "domain"),
            training_data_paths=[str(ROOT / "data")],
        )
        validator = Validator.from_importer(importer)
        valid = all([  # what `rasa data validate` checks
            validator.verify_domain_validity(),
            validator.verify_actions_in_stories_rules(),
            validator.verify_forms_in_stories_rules(),
            validator.verify_form_slots(),
            validator.verify_slot_mappings(),
            validator.verify_nlu(ignore_warnings=True),
            validator.verify_story_structure(ignore_warnings=False),
        ])
    slots = {slot.name for slot in importer.get_domain().slots}
    problems = []
    for warning in caught:
        if issubclass(warning.category, (DeprecationWarning, PendingDeprecationWarning)):
            continue
        message = str(warning.message)
        unused = UNUSED.search(message)
        if unused and sent_by_actions_or_forms(unused.group(1), slots):
            continue
        if message.startswith(RASA_IGNORED) or TRIGGERED_ONLY.match(message):
            continue
        if warning.category is UserWarning or "rasa" in (warning.filename or ""):
            problems.append(message)
    assert valid
    assert not problems, "\n".join(problems)
