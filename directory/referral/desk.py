"""The counsellors' referral desk: the bot's referral for a situation, plus the other
structures of the accepted networks near the person, filtered by network and
distance. Deterministic, so that the action server rebuilds exactly the cards a
counsellor chose from the ids the console sends (actions/counsellor_message.py).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from sqlalchemy.orm import Session

from directory.referral import Referral, refer
from directory.referral.catalog import catalog_for
from directory.referral.eligibility import Person
from directory.referral.payload import ReferralStructure
from directory.referral.selection import structure_card, accepted_lines
from directory.vocabulary import Network

NEARBY_PER_NETWORK = 5
DEFAULT_MAX_KM = 30.0
# The reason of a structure of a network the matrix does not give for this need,
# shown because the counsellor filtered on it.
CHOSEN_NETWORK_REASON = "Réseau choisi par le ou la conseiller·e pour cette situation."


@dataclass(frozen=True)
class DeskQuery:
    need: str
    public: str | None = None
    age: int | None = None
    handicap: bool = False
    cadre: bool = False
    commune: object | None = None  # CommuneInfo
    network: str | None = None     # only this network
    max_km: float = DEFAULT_MAX_KM


@dataclass
class DeskResult:
    referral: Referral                                   # as the bot would give it (filtered)
    nearby: list[ReferralStructure] = field(default_factory=list)  # other structures, nearest first

    @property
    def cards(self) -> list[ReferralStructure]:
        return [*self.referral.structures, *self.nearby]


def desk_search(session: Session, query: DeskQuery) -> DeskResult:
    referral = refer(session, need=query.need, public=query.public, handicap=query.handicap,
                     cadre=query.cadre, age=query.age, commune=query.commune)
    structures = [s for s in referral.structures
                  if (query.network is None or s.network == query.network)
                  and (s.distance_km is None or s.distance_km <= query.max_km)]
    shown = {s.id for s in structures}
    return DeskResult(referral=replace(referral, structures=structures),
                      nearby=[s for s in _nearby(session, query) if s.id not in shown])


def chosen_referral(result: DeskResult, ids: list[str]) -> Referral:
    """The referral with only the chosen cards, in the order the desk showed them."""
    wanted = set(ids)
    return replace(result.referral, structures=[card for card in result.cards if card.id in wanted])


def _nearby(session: Session, query: DeskQuery) -> list[ReferralStructure]:
    commune = query.commune
    if commune is None or commune.latitude is None or commune.longitude is None:
        return []
    catalog = catalog_for(session)
    person = Person(public=query.public, handicap=query.handicap, cadre=query.cadre, age=query.age)
    reasons = {line.network: line.reason for line in accepted_lines(catalog, query.need, person,
                                                                    commune.region_code)}
    networks = [query.network] if query.network is not None else list(reasons)
    found = []
    for network in networks:
        index = catalog.networks.get(network)
        if index is None:
            continue
        for record, distance in index.nearest_many(commune.latitude, commune.longitude, NEARBY_PER_NETWORK):
            if distance <= query.max_km:
                found.append(structure_card(record, distance, reasons.get(network, CHOSEN_NETWORK_REASON)))
    return sorted(found, key=lambda s: (s.distance_km, s.name, s.id))


def network_choices() -> list[tuple[str, str]]:
    return [(network.value, network.label) for network in Network]
