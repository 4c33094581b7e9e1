"""Validation of referral_form: which questions to ask, and checking the answers.

Only what is missing is asked, one question at a time: the need, the person's
status (public), their age only when it changes the referral, their commune.
"Je préfère ne pas le dire" fills a slot with "non_precise": never asked again.
"""
from __future__ import annotations

import json

from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import directory_access
from actions.person import DECLINED, known_age, known_need, known_public
from directory.vocabulary import Need

# The engine only uses the age for 16-25 lines restricted to people out of school
# (a pupil or student is "young" by status; a declined status ignores status lines),
# so the age is asked for these needs and out-of-school publics only.
AGE_NEEDS = frozenset({
    "orientation_scolaire", "info_metier", "reconversion", "recherche_emploi", "formation",
    "alternance", "financement_formation", "vae", "decrochage", "mobilite_internationale",
})
OUT_OF_SCHOOL_PUBLICS = frozenset({"salarie", "independant", "demandeur_emploi", "sans_activite"})
BARE_ANSWER_INTENTS = frozenset({"inform", "nlu_fallback"})


def age_matters(need: str | None, public: str | None) -> bool:
    return need in AGE_NEEDS and public in OUT_OF_SCHOOL_PUBLICS


def need_before_this_message(tracker: Tracker) -> str | None:
    """The need slot as it stood before the person's latest message."""
    events = list(tracker.events)
    last_user = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=len(events))
    need = None
    for event in events[:last_user]:
        if event.get("event") == "slot" and event.get("name") == "need":
            need = event.get("value")
        elif event.get("event") in ("restart", "session_started"):
            need = None
    return need


class ValidateReferralForm(FormValidationAction):
    def name(self) -> str:
        return "validate_referral_form"

    async def required_slots(self, domain_slots, dispatcher, tracker, domain) -> list[str]:
        slots = ["need", "public"]
        if age_matters(tracker.get_slot("need"), tracker.get_slot("public")):
            slots.append("age")
        slots.append("commune")
        return slots

    async def extract_commune(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                              domain: DomainDict) -> dict[str, Any]:
        """A bare answer to "dans quelle commune ?" that no extractor recognised
        ("Rnnes", often below the NLU threshold): keep the text so that
        validate_commune can tell the person rather than fall back."""
        message = tracker.latest_message or {}
        if (tracker.get_slot("requested_slot") == "commune"
                and (message.get("intent") or {}).get("name") in BARE_ANSWER_INTENTS
                and not any(e.get("entity") == "commune" for e in message.get("entities") or [])
                and not str(message.get("text") or "").startswith("/")):
            return {"commune": message.get("text")}
        return {}

    def validate_need(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                      domain: DomainDict) -> dict[str, Any]:
        need = known_need(value)
        if need and need != need_before_this_message(tracker):
            # Said back when a need is stated (so before the form's first question) or
            # changes, with a one-tap way out: a misread message is caught before any
            # referral. The same need restated mid-form is not said back twice.
            dispatcher.utter_message(response="utter_need_understood", need_label=Need(need).label)
        return {"need": need}

    def validate_public(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                        domain: DomainDict) -> dict[str, Any]:
        if value == DECLINED or known_public(value):
            return {"public": value}
        dispatcher.utter_message(response="utter_invalid_public")
        return {"public": None}

    def validate_age(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                     domain: DomainDict) -> dict[str, Any]:
        if value == DECLINED:
            return {"age": DECLINED}
        age = known_age(value)
        if age is None:
            dispatcher.utter_message(response="utter_invalid_age")
        return {"age": age}

    def validate_commune(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                         domain: DomainDict) -> dict[str, Any]:
        if value is None or value == DECLINED:
            return {"commune": value, "commune_insee": None}
        # Already resolved: a code said in this message (extractor, candidate button),
        # or the code kept from an earlier turn for this very name.
        fresh_code = _latest_entity(tracker, "commune_insee")
        known = directory_access.commune_by_insee(fresh_code or tracker.get_slot("commune_insee"))
        if known is not None and (fresh_code or known.name == value):
            return {"commune": known.name, "commune_insee": known.insee_code}
        text = str(value)
        resolution = directory_access.commune_resolver().resolve(text)
        if resolution.status == "found":
            return {"commune": resolution.commune.name, "commune_insee": resolution.commune.insee_code}
        if resolution.status == "ambiguous":
            dispatcher.utter_message(response="utter_commune_ambiguous", commune_text=text,
                                     buttons=[_candidate_button(c) for c in resolution.candidates])
        else:
            dispatcher.utter_message(response="utter_commune_not_found", commune_text=text)
        return {"commune": None, "commune_insee": None}


def _latest_entity(tracker: Tracker, entity: str) -> Any:
    for item in (tracker.latest_message or {}).get("entities") or []:
        if item.get("entity") == entity:
            return item.get("value")
    return None


def _candidate_button(commune) -> dict[str, str]:
    entities = {"commune": commune.name, "commune_insee": commune.insee_code}
    return {"title": commune.label, "payload": "/inform" + json.dumps(entities, ensure_ascii=False)}
