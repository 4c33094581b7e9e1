"""action_refer: the first-level information for the need, then the referral as
text (composed from the domain's utter_referral_* templates) and as the spec's
machine-readable payload (one custom message)."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import directory_access
from actions.person import flag, known_age, known_need, known_public
from bot.nlu.text import fold
from directory.referral import Referral, refer
from directory.referral.eligibility import SECTEURS
from directory.vocabulary import Network, RemoteKind


class ActionRefer(Action):
    def name(self) -> str:
        return "action_refer"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: DomainDict) -> list[dict[str, Any]]:
        need = known_need(tracker.get_slot("need"))
        if need is None:
            # The form ended without a need (asked twice in vain): it gave the human
            # and remote contacts already.
            return []
        commune = directory_access.commune_by_insee(tracker.get_slot("commune_insee"))
        secteur = tracker.get_slot("secteur")
        with directory_access.session_factory().begin() as session:
            referral = refer(
                session,
                need=need,
                public=known_public(tracker.get_slot("public")),
                handicap=flag(tracker.get_slot("handicap")),
                cadre=flag(tracker.get_slot("cadre")),
                age=known_age(tracker.get_slot("age")),
                commune=commune,
                secteur=secteur if secteur in SECTEURS else None,
                woman=flag(tracker.get_slot("woman")),
            )
        dispatcher.utter_message(response=f"utter_info_{need}")
        _utter_trade(dispatcher, tracker, need)
        utter_referral_text(dispatcher, referral)
        dispatcher.utter_message(json_message=referral.to_payload())
        return []


def _utter_trade(dispatcher: CollectingDispatcher, tracker: Tracker, need: str) -> None:
    """For a trade question, name the ROME family of the trade the person said."""
    rome_code = tracker.get_slot("rome_code")
    if need != "info_metier" or not rome_code:
        return
    from bot.nlu.rome import appellation_by_label, rome_label  # read the ROME file on first use

    label = rome_label(rome_code)
    if label:
        # Only an official appellation is quoted back: the slot is never the person's text.
        metier = tracker.get_slot("metier")
        if not isinstance(metier, str) or appellation_by_label(metier) is None:
            metier = label
        dispatcher.utter_message(response="utter_info_metier_rome", metier=metier,
                                 rome_code=rome_code, rome_label=label)


def utter_referral_text(dispatcher: CollectingDispatcher, referral: Referral) -> None:
    if not referral.structures and not referral.remote:
        dispatcher.utter_message(response="utter_referral_none")
        return
    if referral.commune is not None:
        dispatcher.utter_message(response="utter_referral_intro_commune", place=referral.commune.name)
    else:
        dispatcher.utter_message(response="utter_referral_intro")
    for rank, structure in enumerate(referral.structures, start=1):
        fields = {
            "rank": rank,
            "name": structure.name,
            "network": _network_suffix(structure.name, structure.network),
            "contacts": " · ".join(c for c in (structure.phone, structure.email, structure.website) if c),
            "reason": structure.reason,
        }
        if structure.distance_km is None:
            dispatcher.utter_message(response="utter_referral_structure_remote", **fields)
        else:
            address = " ".join(p for p in (structure.address, structure.postcode, structure.commune) if p)
            dispatcher.utter_message(response="utter_referral_structure_located", address=address,
                                     distance=_km(structure.distance_km), **fields)
    if referral.remote:
        dispatcher.utter_message(response="utter_referral_remote_intro")
        for remote in referral.remote:
            dispatcher.utter_message(
                response="utter_referral_remote_item", name=remote.name, contact=remote.contact,
                kind_label=_kind_label(remote.kind), hours=f" ({remote.hours})" if remote.hours else "",
            )
    if referral.commune is None:
        dispatcher.utter_message(response="utter_referral_ask_commune_hint")
    dispatcher.utter_message(response="utter_referral_outro")


def _km(distance: float) -> str:
    """French decimal comma, one decimal: 2,4."""
    return f"{distance:.1f}".replace(".", ",")


def _network_label(slug: str) -> str:
    try:
        return Network(slug).label
    except ValueError:
        return slug


def _network_suffix(name: str, slug: str) -> str:
    """" (Mission locale)" after the name, unless the name already says it."""
    label = _network_label(slug)
    return "" if fold(label) in fold(name) else f" ({label})"


def _kind_label(slug: str) -> str:
    try:
        return RemoteKind(slug).label
    except ValueError:
        return slug
