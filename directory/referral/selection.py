"""From the matrix lines and the person to an ordered proposal.

1. Accepted networks: the need's lines that hold for the person, most appropriate
   first (one entry per network). Status declined → the generic first level, after
   any disability / executive line of the need. No line holds → generic too.
2. Structures: for each accepted network in order, the row serving the person's
   département when the network is organised so (Transitions Pro), else the nearest located structure
   within NEAR_KM; failing that, the network's regional then national remote
   service in its place, or, when it has none, its farther structure, put after the
   near ones (a CIDFF 90 km away comes after the France Travail agency in town); at
   most one per network and MAX_STRUCTURES in all, so the person gets a real choice
   between networks.
3. Remote: the region's and the national remote services relevant to the need.
"""
from __future__ import annotations

from directory.referral.catalog import Catalog, RemoteRecord, RuleLine, StructureRecord
from directory.referral.geo import haversine_km
from directory.referral.eligibility import STATUS_FREE_KEYS, Person, conditions_hold
from directory.referral.matrix import GENERIC_NEED
from directory.referral.payload import ReferralStructure, RemoteContact

MAX_STRUCTURES = 3
# A structure farther than this is no longer "near": the network's remote service
# (phone, visio, web) takes its place when it has one (the far office otherwise).
NEAR_KM = 60.0
# Added to the reason of a network's remote service shown in its place.
STAND_IN_NOTE = "Aucune de ses structures n'est connue près de chez vous : voici son service à distance."
# Added to the reason of a structure chosen because it serves the person's département.
SERVED_NOTE = "Elle est compétente pour votre département."
_CONTACT_FIELD_BY_KIND = {"phone": "phone", "mail": "email", "web": "website", "tchat": "website", "visio": "website"}


def accepted_lines(catalog: Catalog, need: str, person: Person, region_code: str | None) -> list[RuleLine]:
    need_lines = catalog.lines(need, region_code)
    generic = catalog.lines(GENERIC_NEED, region_code)
    if person.public is None:
        # Declined: only what does not depend on the status, then the generic level.
        first = [line for line in need_lines
                 if line.conditions and set(line.conditions) <= STATUS_FREE_KEYS
                 and conditions_hold(line.conditions, person)]
        return _one_per_network(first + generic)
    matched = [line for line in need_lines if conditions_hold(line.conditions, person)]
    return _one_per_network(matched or generic)


def _one_per_network(lines: list[RuleLine]) -> list[RuleLine]:
    seen: set[str] = set()
    kept = []
    for line in lines:
        if line.network not in seen:
            seen.add(line.network)
            kept.append(line)
    return kept


def choose_structures(catalog: Catalog, lines: list[RuleLine], commune, need: str) -> tuple[list[ReferralStructure], set[str]]:
    """The proposed structures and the slugs of remote services used in them."""
    located_point = _point_of(commune)
    region_code = getattr(commune, "region_code", None)
    chosen: list[ReferralStructure] = []
    far: list[ReferralStructure] = []  # beyond NEAR_KM with no remote service: after the rest
    used_remote: set[str] = set()
    for line in lines:
        if len(chosen) + len(far) == MAX_STRUCTURES:
            break
        serving = catalog.served.get(line.network, {}).get(getattr(commune, "department_code", None))
        if serving is not None:
            stand_in = _network_remote(catalog, line.network, need, region_code)
            if stand_in is not None:
                used_remote.add(stand_in.slug)  # "find yours" is not needed once it is found
            chosen.append(structure_card(serving, _distance(located_point, serving), f"{line.reason} {SERVED_NOTE}"))
            continue
        index = catalog.networks.get(line.network)
        hit = index.nearest(*located_point) if index is not None and located_point is not None else None
        if hit is not None and hit[1] <= NEAR_KM:
            chosen.append(structure_card(hit[0], hit[1], line.reason))
            continue
        stand_in = _network_remote(catalog, line.network, need, region_code)
        if stand_in is not None:
            used_remote.add(stand_in.slug)
            chosen.append(_from_remote(stand_in, line))
        elif hit is not None:
            far.append(structure_card(hit[0], hit[1], line.reason))
    return chosen + far, used_remote


def choose_remote(catalog: Catalog, need: str, lines: list[RuleLine], region_code: str | None,
                  exclude: set[str]) -> list[RemoteContact]:
    """Regional then national services relevant to the need; a service standing for
    a network is kept only when that network is accepted for the person."""
    rank_of_network = {line.network: rank for rank, line in enumerate(lines)}
    relevant = [
        remote for remote in catalog.remotes
        if remote.slug not in exclude
        and (not remote.needs or need in remote.needs)
        and (remote.region_code is None or remote.region_code == region_code)
        and (remote.network is None or remote.network in rank_of_network)
    ]
    relevant.sort(key=lambda r: (
        r.region_code is None,                                    # the region's own first
        rank_of_network.get(r.network, len(rank_of_network)),     # then by network rank
        r.slug,
    ))
    return [RemoteContact(name=r.name, kind=r.kind, contact=r.contact, hours=r.hours) for r in relevant]


def _network_remote(catalog: Catalog, network: str, need: str, region_code: str | None) -> RemoteRecord | None:
    candidates = [
        remote for remote in catalog.remotes
        if remote.network == network
        and (not remote.needs or need in remote.needs)
        and (remote.region_code is None or remote.region_code == region_code)
    ]
    if not candidates:
        return None
    return min(candidates, key=lambda r: (r.region_code is None, r.slug))


def _distance(point: tuple[float, float] | None, record: StructureRecord) -> float | None:
    if point is None or record.latitude is None or record.longitude is None:
        return None
    return haversine_km(*point, record.latitude, record.longitude)


def _point_of(commune) -> tuple[float, float] | None:
    if commune is None or commune.latitude is None or commune.longitude is None:
        return None
    return commune.latitude, commune.longitude


def structure_card(record: StructureRecord, distance: float | None, reason: str) -> ReferralStructure:
    name, address = record.name, record.address
    if record.network == "france_travail":
        # Pôle emploi became France Travail on 1 January 2024; the agency list still
        # uses the old name. Its position is the commune centre only, so say so.
        name = name.replace("Pôle emploi", "France Travail").replace("Pole emploi", "France Travail")
        if not address and record.commune:
            address = f"agence de {record.commune}"
    return ReferralStructure(
        id=str(record.id),
        name=name,
        network=record.network,
        address=address,
        postcode=record.postcode,
        commune=record.commune,
        phone=record.phone,
        email=record.email,
        website=record.website,
        distance_km=None if distance is None else round(distance, 1),
        reason=reason,
    )


def _from_remote(remote: RemoteRecord, line: RuleLine) -> ReferralStructure:
    contacts = {"phone": None, "email": None, "website": None}
    contacts[_CONTACT_FIELD_BY_KIND.get(remote.kind, "website")] = remote.contact
    return ReferralStructure(
        id=f"remote:{remote.slug}",
        name=remote.name,
        network=line.network,
        address=None,
        postcode=None,
        commune=None,
        distance_km=None,
        reason=f"{line.reason} {STAND_IN_NOTE}",
        **contacts,
    )
