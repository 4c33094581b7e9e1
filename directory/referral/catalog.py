"""In-memory copy of what the engine needs (rules, located structures, remote
services), loaded once per database engine so a referral never scans a table.

The copy is refreshed when a new import run or a console correction is recorded
(two indexed queries per call), so a long-running action server sees a re-import
or a correction without a restart.
"""
from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from directory.models import ImportRun, ReferralRule, RemoteService, Structure
from directory.referral.geo import haversine_many_km

# Widening search radii (km): the nearest structure within the first ring that
# has one; beyond the last ring the network is treated as "not near".
SEARCH_RADII_KM = (15.0, 30.0, 60.0, 120.0)
# A position guessed from the commune centre may be a few kilometres off: within a
# ring, a structure placed at its own address is preferred to one this much nearer
# whose position is only its commune's centre (a France Travail agency of the 2019
# list rather than a names-only row of the same town).
COMMUNE_CENTRE_UNCERTAINTY_KM = 3.0
ADDRESS_PRECISION = "address_source"


@dataclass(frozen=True)
class RuleLine:
    network: str
    conditions: dict
    reason: str


@dataclass(frozen=True)
class StructureRecord:
    id: int
    network: str
    name: str
    address: str | None
    postcode: str | None
    commune: str | None
    phone: str | None
    email: str | None
    website: str | None
    latitude: float | None  # None only for a row found by the département it serves
    longitude: float | None
    address_level: bool = False  # positioned at its own address, not a commune centre


@dataclass(frozen=True)
class RemoteRecord:
    slug: str
    name: str
    kind: str
    contact: str
    hours: str | None
    region_code: str | None
    network: str | None
    needs: tuple[str, ...]


@dataclass
class NetworkIndex:
    """The located structures of one network, with coordinates as radians arrays."""

    records: list[StructureRecord]
    lats_rad: np.ndarray = field(init=False)
    lons_rad: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        self.lats_rad = np.radians(np.array([r.latitude for r in self.records], dtype=float))
        self.lons_rad = np.radians(np.array([r.longitude for r in self.records], dtype=float))

    def nearest(self, lat: float, lon: float) -> tuple[StructureRecord, float] | None:
        """The nearest structure within the widening radii, or None."""
        found = self.nearest_many(lat, lon, 1)
        return found[0] if found else None

    def nearest_many(self, lat: float, lon: float, count: int) -> list[tuple[StructureRecord, float]]:
        """Up to `count` structures, nearest first, within the first radius that
        holds any (widening 15 → 30 → 60 → 120 km); empty beyond the last one.

        Ties (several structures at the same commune centre) go to the name, then
        the id, so the answer never depends on row order."""
        if not self.records or count <= 0:
            return []
        distances = haversine_many_km(lat, lon, self.lats_rad, self.lons_rad)
        for radius in SEARCH_RADII_KM:
            inside = np.flatnonzero(distances <= radius)
            if inside.size:
                ranked = sorted(inside, key=lambda i: (round(self._ranking_km(i, distances), 3),
                                                       self.records[i].name, self.records[i].id))
                return [(self.records[i], float(distances[i])) for i in ranked[:count]]
        return []

    def _ranking_km(self, i: int, distances: np.ndarray) -> float:
        distance = float(distances[i])
        return distance if self.records[i].address_level else distance + COMMUNE_CENTRE_UNCERTAINTY_KM


@dataclass
class Catalog:
    rules: dict[tuple[str, str | None], list[RuleLine]]
    networks: dict[str, NetworkIndex]
    remotes: list[RemoteRecord]
    token: object
    # network → département → the row serving it (Transitions Pro associations).
    served: dict[str, dict[str, StructureRecord]] = field(default_factory=dict)

    def lines(self, need: str, region_code: str | None) -> list[RuleLine]:
        """The region's lines for `need` when it overrides it, else the national ones."""
        if region_code is not None and (need, region_code) in self.rules:
            return self.rules[(need, region_code)]
        return self.rules.get((need, None), [])


_cache: "weakref.WeakKeyDictionary[object, Catalog]" = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def catalog_for(session: Session) -> Catalog:
    """The catalog of the session's database, loaded on first use and reloaded
    after a new import run."""
    engine = session.get_bind()
    token = _import_token(session)
    with _lock:
        cached = _cache.get(engine)
        if cached is not None and cached.token == token:
            return cached
    catalog = _load(session, token)
    with _lock:
        _cache[engine] = catalog
    return catalog


def clear_cache() -> None:
    with _lock:
        _cache.clear()


def _import_token(session: Session) -> object:
    """Changes with each import and each correction made in the console."""
    from directory.corrections import revision

    return session.execute(select(func.max(ImportRun.id))).scalar(), revision(session)


def _load(session: Session, token: object) -> Catalog:
    rules: dict[tuple[str, str | None], list[RuleLine]] = {}
    for row in session.execute(
        select(ReferralRule).order_by(ReferralRule.need, ReferralRule.region_code, ReferralRule.rank, ReferralRule.id)
    ).scalars():
        rules.setdefault((row.need, row.region_code), []).append(
            RuleLine(network=row.network_code, conditions=dict(row.conditions or {}), reason=row.reason)
        )

    by_network: dict[str, list[StructureRecord]] = {}
    served: dict[str, dict[str, StructureRecord]] = {}
    usable = select(Structure).where(
        (Structure.latitude.is_not(None) & Structure.longitude.is_not(None))
        | Structure.served_department_code.is_not(None)
    )
    for row in session.execute(usable.order_by(Structure.id)).scalars():
        record = _record(row)
        if row.served_department_code is not None:
            # Found by the département it serves, never as "the nearest" of another's.
            served.setdefault(row.network_code, {}).setdefault(row.served_department_code, record)
        else:
            by_network.setdefault(row.network_code, []).append(record)

    remotes = [
        RemoteRecord(
            slug=row.slug,
            name=row.name,
            kind=row.kind,
            contact=row.contact,
            hours=row.hours or None,
            region_code=row.region_code,
            network=row.network_code,
            needs=tuple(row.needs or ()),
        )
        for row in session.execute(select(RemoteService).order_by(RemoteService.slug)).scalars()
    ]
    return Catalog(
        rules=rules,
        networks={code: NetworkIndex(records) for code, records in by_network.items()},
        remotes=remotes,
        token=token,
        served=served,
    )


def _record(row: Structure) -> StructureRecord:
    return StructureRecord(
        id=row.id,
        network=row.network_code,
        name=row.name,
        address=row.address or None,
        postcode=row.postcode or None,
        commune=row.commune or None,
        phone=row.phone or None,
        email=row.email or None,
        website=row.website or None,
        latitude=row.latitude,
        longitude=row.longitude,
        address_level=row.coord_precision == ADDRESS_PRECISION,
    )
