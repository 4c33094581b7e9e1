"""Where each network is far from the people: per network and département, the
located structures, the age of their data and the share of the population living
more than FAR_KM from any structure of the network (wherever it stands), so that a
region sees the gaps it can act on.

Population: the communes' municipal population at their centre (the municipal
arrondissements of Paris, Lyon and Marseille are not counted on top of their city).
For a network organised by département served (Transitions Pro), a row counts in
the département it serves, when its seat is known; the distance is to the seat.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
from sklearn.neighbors import BallTree
from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.models import Commune, NetworkRow, Structure
from directory.referral.geo import EARTH_RADIUS_KM

FAR_KM = 30.0


@dataclass(frozen=True)
class Coverage:
    network: str
    department_code: str
    department_name: str
    located: int              # located structures of the network in (or serving) the département
    data_date_min: str | None
    data_date_max: str | None
    population: int
    population_far: int       # living more than FAR_KM from the network's nearest structure

    @property
    def share_far(self) -> float:
        return self.population_far / self.population if self.population else 0.0

    def to_dict(self) -> dict:
        return {**asdict(self), "share_far": round(self.share_far, 4)}


def network_coverage(session: Session, *, far_km: float = FAR_KM, network: str | None = None,
                     department_code: str | None = None) -> list[Coverage]:
    """One Coverage per network and département (the communes' départements),
    ordered by network then département; filtered when asked."""
    communes = session.execute(
        select(Commune.department_code, Commune.department_name, Commune.population,
               Commune.latitude, Commune.longitude)
        .where(Commune.commune_type == "commune", Commune.latitude.is_not(None), Commune.longitude.is_not(None))
        .order_by(Commune.insee_code)
    ).all()
    departments = sorted({(row.department_code, row.department_name) for row in communes})
    if department_code is not None:
        departments = [d for d in departments if d[0] == department_code]
    commune_points = np.radians(np.array([[row.latitude, row.longitude] for row in communes], dtype=float))
    commune_departments = np.array([row.department_code for row in communes])
    populations = np.array([row.population or 0 for row in communes], dtype=np.int64)

    networks = session.scalars(select(NetworkRow.code).order_by(NetworkRow.code)).all()
    if network is not None:
        networks = [code for code in networks if code == network]
    structures = session.execute(
        select(Structure.network_code, Structure.department_code, Structure.served_department_code,
               Structure.latitude, Structure.longitude, Structure.data_date)
    ).all()

    result = []
    for code in networks:
        rows = [row for row in structures if row.network_code == code]
        far = _far_mask(rows, commune_points, far_km)
        for department, name in departments:
            in_department = commune_departments == department
            here = [row for row in rows if (row.served_department_code or row.department_code) == department
                    and row.latitude is not None]
            dates = sorted(row.data_date for row in here if row.data_date)
            result.append(Coverage(
                network=code,
                department_code=department,
                department_name=name,
                located=len(here),
                data_date_min=dates[0] if dates else None,
                data_date_max=dates[-1] if dates else None,
                population=int(populations[in_department].sum()),
                population_far=int(populations[in_department & far].sum()),
            ))
    return result


def national_share_far(coverage: list[Coverage]) -> dict[str, float]:
    """Network → share of the whole population living more than FAR_KM away."""
    totals: dict[str, list[int]] = {}
    for row in coverage:
        total = totals.setdefault(row.network, [0, 0])
        total[0] += row.population
        total[1] += row.population_far
    return {network: (far / population if population else 0.0) for network, (population, far) in totals.items()}


def _far_mask(rows, commune_points: np.ndarray, far_km: float) -> np.ndarray:
    located = [(row.latitude, row.longitude) for row in rows if row.latitude is not None and row.longitude is not None]
    if not located:
        return np.ones(len(commune_points), dtype=bool)
    tree = BallTree(np.radians(np.array(located, dtype=float)), metric="haversine")
    distances, _ = tree.query(commune_points, k=1)
    return distances[:, 0] * EARTH_RADIUS_KM > far_km
