"""Validation of referral_form: which questions to ask, and reading the answers.

Only what is missing is asked, one question at a time: the need, the person's
status (public), their age only when it changes the referral, their commune.

Answers are read in the context of the question they answer, whatever intent the
classifier gave them: every entity of the message fills its slot ("je suis
caissière" read as out of scope still says `salarie`), a bare number after the age
question is the age, a short answer after the commune question is looked up as a
commune, a refusal in any words declines the question. A message that is not an
answer (distress, "ce n'est pas ma question", asking for a human, erasing the
conversation…) stops the form's turn, and the rules answer it. A different need
replaces the current one only when the classifier is sure of it.

No question is asked a third time: after a second answer that does not give it, the
assistant says it moves on and treats it as declined. When an answer gives another
slot than the one asked, the next question is the one asked least so far.
"Je préfère ne pas le dire" fills a slot with "non_precise": never asked again.
"""
from __future__ import annotations

import json
from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import ActionExecutionRejected, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import directory_access
from actions.form_turn import region_of_message, right_after_a_message, times_asked, value_before_latest_user
from actions.person import DECLINED, known_age, known_need, known_public
from bot.nlu import answers
from bot.nlu.answers import asks_for_something
from bot.nlu.parse_keys import DISTRESS_DOUBT
from directory.vocabulary import Need

# The engine only uses the age for 16-25 lines restricted to people out of school
# (a pupil or student is "young" by status; a declined status ignores status lines),
# so the age is asked for these needs and out-of-school publics only.
AGE_NEEDS = frozenset({
    "orientation_scolaire", "info_metier", "reconversion", "recherche_emploi", "formation",
    "alternance", "financement_formation", "vae", "decrochage", "mobilite_internationale",
})
OUT_OF_SCHOOL_PUBLICS = frozenset({"salarie", "independant", "demandeur_emploi", "sans_activite"})
QUESTIONS = ("public", "age", "commune")
MAX_ASKS = 2
# Not answers: the rules answer them (the form stops or resumes after).
HANDLED_ELSEWHERE = frozenset({
    "distress", "wrong_need", "ask_human", "delete_conversation", "request_callback",
    "counsellor_message", "counsellor_hand_back", "EXTERNAL_handoff_timeout",
})
# Answered by their own "during the form" rule when the message gives nothing.
OWN_ANSWER = frozenset({"out_of_scope", "insult", "bot_challenge", "ask_capabilities", "ask_privacy",
                        "mixite_metier"})
# Entities read from any message the form sees, whatever its intent (distress aside).
ENTITY_SLOTS = ("public", "handicap", "cadre", "woman", "age", "secteur", "metier", "rome_code")
# A need stated during the form replaces the current one only this sure.
NEED_CHANGE_CONFIDENCE = 0.8
INVALID_RESPONSES = {"public": "utter_invalid_public", "age": "utter_invalid_age",
                     "commune": "utter_invalid_commune"}


def age_matters(need: str | None, public: str | None) -> bool:
    return need in AGE_NEEDS and public in OUT_OF_SCHOOL_PUBLICS


def need_before_this_message(tracker: Tracker) -> str | None:
    """The need slot as it stood before the person's latest message."""
    return value_before_latest_user(list(tracker.events), "need")


class ValidateReferralForm(FormValidationAction):
    def name(self) -> str:
        return "validate_referral_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[dict[str, Any]]:
        if not _right_after_a_message(tracker):
            # Back to the form after another answer (out of scope, a question about
            # the bot…): nothing new to read, the form asks what is still missing.
            return await super().run(dispatcher, tracker, domain)
        intent = _intent(tracker)
        if intent in HANDLED_ELSEWHERE:
            return [ActionExecutionRejected(self.form_name())]
        if (tracker.latest_message or {}).get(DISTRESS_DOUBT):
            # A need, told in a story where danger may be: the help numbers first.
            dispatcher.utter_message(response="utter_distress_in_doubt")
        required = await self.required_slots([], dispatcher, tracker, domain)
        side = [SlotSet(slot, value) for slot, value in _side_entities(tracker, exclude=required).items()
                if value != tracker.get_slot(slot)]
        tracker.add_slots(side)  # seen by the extraction and the choice of the next question
        side += self._asked_twice_already(dispatcher, tracker, required)
        events = await super().run(dispatcher, tracker, domain)
        return side + events

    def _asked_twice_already(self, dispatcher, tracker: Tracker, required: list[str]) -> list[SlotSet]:
        """A question asked twice, then left for another (the need changed, "ce n'est
        pas ma question"…), is not asked a third time: declined, said once."""
        events, pending = list(tracker.events), tracker.get_slot("requested_slot")
        readers = {"public": self._public_in_context, "age": self._age_in_context,
                   "commune": self._commune_in_context}
        declined = [SlotSet(slot, DECLINED) for slot in QUESTIONS
                    if slot in required and slot != pending and tracker.get_slot(slot) is None
                    and times_asked(events, slot) >= MAX_ASKS
                    and readers[slot](tracker) is None]  # this message may give it after all
        if declined:
            dispatcher.utter_message(response="utter_moving_on")
            tracker.add_slots(declined)
        return declined

    async def required_slots(self, domain_slots, dispatcher, tracker, domain) -> list[str]:
        slots = ["need", "public"]
        if age_matters(tracker.get_slot("need"), tracker.get_slot("public")):
            slots.append("age")
        slots.append("commune")
        return slots

    async def next_requested_slot(self, dispatcher, tracker, domain):
        """The question asked least so far among those still missing, once an answer
        gave another slot than the one asked; the same one again (a second and last
        time) after an answer that gave nothing."""
        required = await self.required_slots([], dispatcher, tracker, domain)
        missing = [slot for slot in required if tracker.slots.get(slot) is None]
        if not missing or self._need_given_up(tracker):
            return SlotSet("requested_slot", None)
        pending = tracker.get_slot("requested_slot")
        events = list(tracker.events)
        answered_something = bool(_filled_this_turn(tracker, QUESTIONS))
        if pending in missing and not answered_something:
            return SlotSet("requested_slot", pending)
        return SlotSet("requested_slot", min(missing, key=lambda s: (times_asked(events, s), required.index(s))))

    # ------------------------------------------------------------ extraction
    async def extract_need(self, dispatcher, tracker, domain) -> dict[str, Any]:
        """The need asked twice and still not said: no third time, the form ends
        with the human and remote contacts (as the second misunderstanding does)."""
        if self._need_given_up(tracker):
            dispatcher.utter_message(response="utter_human_contact")
            return {"need": None}
        return {}

    def _need_given_up(self, tracker: Tracker) -> bool:
        return (_right_after_a_message(tracker) and tracker.get_slot("requested_slot") == "need"
                and tracker.get_slot("need") is None and _intent(tracker) not in HANDLED_ELSEWHERE
                and times_asked(list(tracker.events), "need") >= MAX_ASKS)

    async def extract_public(self, dispatcher, tracker, domain) -> dict[str, Any]:
        return self._answer(dispatcher, tracker, "public", self._public_in_context(tracker))

    async def extract_age(self, dispatcher, tracker, domain) -> dict[str, Any]:
        return self._answer(dispatcher, tracker, "age", self._age_in_context(tracker))

    async def extract_commune(self, dispatcher, tracker, domain) -> dict[str, Any]:
        return self._answer(dispatcher, tracker, "commune", self._commune_in_context(tracker))

    def _answer(self, dispatcher, tracker: Tracker, slot: str, value: Any) -> dict[str, Any]:
        """The slot's value read in context; for the question just asked, a refusal
        declines it, and an answer that gives nothing gets a hint, or, the second
        time, moves on."""
        if not _right_after_a_message(tracker) or _intent(tracker) in HANDLED_ELSEWHERE:
            return {}
        pending = tracker.get_slot("requested_slot") == slot
        if value is None and pending and answers.is_refusal(_text(tracker)):
            value = DECLINED
        if value is not None:
            return {slot: value} if value != tracker.get_slot(slot) or pending else {}
        if not pending or tracker.get_slot(slot) is not None:
            return {}
        given_up = self._given_up(dispatcher, tracker, slot)
        if given_up is not None:  # asked twice: never a third time, whatever else was said
            return {slot: given_up}
        if self._gave_another_answer(tracker, slot):
            return {}  # the next question is the one asked least (next_requested_slot)
        if _intent(tracker) in OWN_ANSWER:
            return {}  # rejected: the intent's own rule answers, then the form asks again
        dispatcher.utter_message(response=INVALID_RESPONSES[slot])
        return {slot: None}

    def _given_up(self, dispatcher, tracker: Tracker, slot: str) -> Any:
        """DECLINED, said, once the question just asked has been asked twice and this
        answer still does not give it; else None."""
        if (_right_after_a_message(tracker) and tracker.get_slot("requested_slot") == slot
                and times_asked(list(tracker.events), slot) >= MAX_ASKS):
            dispatcher.utter_message(response="utter_moving_on")
            return DECLINED
        return None

    def _gave_another_answer(self, tracker: Tracker, slot: str) -> bool:
        readers = {"public": self._public_in_context, "age": self._age_in_context,
                   "commune": self._commune_in_context}
        return any(readers[other](tracker) is not None for other in QUESTIONS if other != slot) \
            or bool([s for s in _filled_this_turn(tracker, QUESTIONS) if s != slot])

    def _public_in_context(self, tracker: Tracker) -> Any:
        value = _entity(tracker, "public")
        if value is None and tracker.get_slot("requested_slot") == "public":
            value = answers.public_answer(_text(tracker)) or _job_said_as_own(tracker)
        return value

    def _age_in_context(self, tracker: Tracker) -> Any:
        value = _entity(tracker, "age")
        if value is None and tracker.get_slot("requested_slot") == "age":
            value = answers.age_answer(_text(tracker))
        return value

    def _commune_in_context(self, tracker: Tracker) -> Any:
        value = _entity(tracker, "commune")
        text = _text(tracker)
        if (value is None and tracker.get_slot("requested_slot") == "commune" and not text.startswith("/")
                and not answers.is_refusal(text)):
            # A short answer that no extractor recognised ("Rnnes", "brest"): looked up
            # by validate_commune, which says so if it is no commune.
            value = answers.commune_text(text)
        return value

    # ------------------------------------------------------------ validation
    def validate_need(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                      domain: DomainDict) -> dict[str, Any]:
        need = known_need(value)
        before = need_before_this_message(tracker)
        if need and before and need != before and not _clear_need_change(tracker):
            # An answer the classifier took for another need ("je suis demandeuse
            # d'emploi" while the need is a training): the need stays.
            return {"need": before}
        if need and need != before:
            # Said back when a need is stated (so before the form's first question) or
            # changes, with a one-tap way out: a misread message is caught before any
            # referral. The same need restated mid-form is not said back twice.
            dispatcher.utter_message(response="utter_need_understood", need_label=Need(need).label)
        return {"need": need}

    def validate_public(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                        domain: DomainDict) -> dict[str, Any]:
        if value is None or value == DECLINED or known_public(value):
            return {"public": value}
        dispatcher.utter_message(response="utter_invalid_public")
        return {"public": self._given_up(dispatcher, tracker, "public")}

    def validate_age(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                     domain: DomainDict) -> dict[str, Any]:
        if value is None or value == DECLINED:
            return {"age": value}
        age = known_age(value)
        if age is None:
            dispatcher.utter_message(response="utter_invalid_age")
            return {"age": self._given_up(dispatcher, tracker, "age")}
        return {"age": age}

    def validate_commune(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                         domain: DomainDict) -> dict[str, Any]:
        if value is None or value == DECLINED:
            return {"commune": value, "commune_insee": None}
        # Already resolved: a code said in this message (extractor, candidate button),
        # or the code kept from an earlier turn for this very name.
        fresh_code = _entity(tracker, "commune_insee")
        known = directory_access.commune_by_insee(fresh_code or tracker.get_slot("commune_insee"))
        if known is not None and (fresh_code or known.name == value):
            return {"commune": known.name, "commune_insee": known.insee_code}
        from directory.communes.homonyms import chosen_among_homonyms, settle

        resolution = directory_access.commune_resolver().resolve(str(value))
        resolution = settle(resolution, region_of_message(tracker.events))
        if resolution.status == "found" and _a_word_not_a_place(str(value), resolution):
            resolution = type(resolution)("not_found")
        if resolution.status == "found":
            commune = resolution.commune
            if chosen_among_homonyms(resolution):
                dispatcher.utter_message(response="utter_commune_understood", commune_label=commune.label,
                                         buttons=[_candidate_button(c) for c in resolution.candidates[1:4]])
            return {"commune": commune.name, "commune_insee": commune.insee_code}
        if resolution.status == "ambiguous":
            dispatcher.utter_message(response="utter_commune_ambiguous",
                                     buttons=[_candidate_button(c) for c in resolution.candidates])
        else:
            dispatcher.utter_message(response="utter_commune_not_found")
        return {"commune": self._given_up(dispatcher, tracker, "commune"), "commune_insee": None}


# ---------------------------------------------------------------- helpers
def _right_after_a_message(tracker: Tracker) -> bool:
    """The form reads the person's latest message (not back from another answer)."""
    return right_after_a_message(list(tracker.events))


def _intent(tracker: Tracker) -> str | None:
    return ((tracker.latest_message or {}).get("intent") or {}).get("name")


def _text(tracker: Tracker) -> str:
    return str((tracker.latest_message or {}).get("text") or "")


def _entity(tracker: Tracker, name: str) -> Any:
    """The entity's value in the latest message (distress aside: never read)."""
    if _intent(tracker) == "distress":
        return None
    for item in (tracker.latest_message or {}).get("entities") or []:
        if item.get("entity") == name:
            return item.get("value")
    return None


def _side_entities(tracker: Tracker, exclude) -> dict[str, Any]:
    """Handicap, cadre, trade…, and the age before it is a question: said in an
    answer whatever its intent (the form's questions have their own extraction)."""
    values = {}
    for slot in ENTITY_SLOTS:
        value = _entity(tracker, slot)
        if slot == "age":
            value = known_age(value)
        if slot not in exclude and value is not None:
            values[slot] = value
    return values


def _filled_this_turn(tracker: Tracker, slots) -> list[str]:
    """The form slots set since the latest message (None values aside)."""
    filled = []
    seen_user = False
    for event in tracker.events:
        if event.get("event") == "user":
            seen_user, filled = True, []
        elif seen_user and event.get("event") == "slot" and event.get("name") in slots \
                and event.get("value") is not None:
            filled.append(event["name"])
    for slot in slots:  # set by this run's extraction and validation
        if tracker.slots.get(slot) is not None and slot in (tracker.slots_to_validate() or {}):
            filled.append(slot)
    return filled


def _job_said_as_own(tracker: Tracker) -> str | None:
    """"je suis technicienne de maintenance", "cariste depuis 10 ans", or a job title
    alone ("serveuse"): a trade the person says is theirs (any ROME job title the
    extractor found) answers the situation question: an employee."""
    text = _text(tracker)
    for item in (tracker.latest_message or {}).get("entities") or []:
        start, end = item.get("start"), item.get("end")
        if item.get("entity") == "metier" and isinstance(start, int) and isinstance(end, int):
            if answers.says_own_job(text[:start], text[end:]) or answers.is_the_whole_answer(text, start, end):
                return "salarie"
    return None


def _clear_need_change(tracker: Tracker) -> bool:
    """The person really asks for something else: the classifier is sure, and an
    answer (to the question asked, or after a referral) also asks for something
    ("en fait je voudrais…"): "je suis employée, caissière dans un hypermarché"
    answers, it is no job search; "bof, apprenti" corrects, it is no apprenticeship."""
    message = tracker.latest_message or {}
    confidence = (message.get("intent") or {}).get("confidence") or 0.0
    if confidence < NEED_CHANGE_CONFIDENCE:
        return False
    pending = tracker.get_slot("requested_slot")
    if pending in QUESTIONS:
        answers = _entity(tracker, pending) is not None
    else:  # after a referral: any answer the form reads ("bof, apprenti")
        answers = any(_entity(tracker, slot) is not None for slot in QUESTIONS)
    return not answers or asks_for_something(_text(tracker))


def _a_word_not_a_place(text: str, resolution) -> bool:
    """A bare answer of everyday lower-case French words ("pourquoi", "je sais pas")
    that only resembles a commune's name is no commune."""
    from directory.communes.lexicon import is_french_word
    from directory.communes.normalize import normalize

    typed = [w for w in answers.words(text) if w]
    if any(not w.isalpha() for w in typed) or text != text.lower():
        return False
    if normalize(resolution.commune.name) == normalize(text):
        return False
    return all(is_french_word(normalize(w), w) for w in typed)


def _candidate_button(commune) -> dict[str, str]:
    entities = {"commune": commune.name, "commune_insee": commune.insee_code}
    return {"title": commune.label, "payload": "/inform" + json.dumps(entities, ensure_ascii=False)}
