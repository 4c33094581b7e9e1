"""Partner CSV rows (open data or curated) → validated rows of the structures table.

A row that cannot be used is rejected with its line and a French reason; the
import goes on with the others.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from directory.importing.csv_rows import read_csv
from directory.importing.networks import normalize_network
from directory.importing.phones import clean_phone
from directory.importing.report import ImportReport
from directory.importing.values import optional_float, optional_text
from directory.vocabulary import Network

REQUIRED_COLUMNS = {"source_id", "network", "name"}
CURATED_SOURCE = "curated"
POSTCODE = re.compile(r"\d{5}")
OLD_FRANCE_TRAVAIL_NAME = re.compile(r"p[ôo]le[ -]emploi", re.IGNORECASE)


@dataclass
class StructureReader:
    """Validates rows against the communes being imported; remembers the keys seen
    so that a duplicate (source, source_id) is rejected wherever it appears."""

    communes: dict[str, dict]
    report: ImportReport
    department_regions: dict[str, str] = field(default_factory=dict)
    _seen: dict[tuple[str, str], str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for commune in self.communes.values():
            self.department_regions.setdefault(commune["department_code"], commune["region_code"])

    def read_file(self, path: Path, source: str, shown_as: str, *, curated: bool = False,
                  serves_department: bool = False) -> list[dict]:
        """`serves_department`: the file's department_code is the département each
        row serves (one association per département), not where the row stands."""
        rows = []
        for line, cells in read_csv(path, REQUIRED_COLUMNS, shown_as):
            problem, row = self._structure(cells, source, curated, serves_department)
            if problem is None:
                key = (source, row["source_id"])
                if key in self._seen:
                    problem = f"doublon : source_id « {row['source_id']} » déjà présent ({self._seen[key]})"
                else:
                    self._seen[key] = f"ligne {line}"
            if problem is not None:
                self.report.reject(shown_as, line, problem)
                continue
            rows.append(row)
        return rows

    def _structure(self, cells: dict[str, str], source: str, curated: bool,
                   serves_department: bool = False) -> tuple[str | None, dict]:
        """(French reason for rejecting the row, or None; the row)."""
        source_id = cells["source_id"]
        if not source_id:
            return "identifiant source_id manquant", {}
        network = normalize_network(cells["network"])
        if network is None:
            return f"réseau inconnu « {cells['network']} »", {}
        name = cells["name"]
        if not name:
            return "nom manquant", {}
        if network is Network.FRANCE_TRAVAIL:
            # Sources still use the old name; the network is France Travail since 2024.
            name = OLD_FRANCE_TRAVAIL_NAME.sub("France Travail", name)
        postcode = optional_text(cells.get("postcode"))
        if postcode is not None and not POSTCODE.fullmatch(postcode):
            return f"code postal invalide « {postcode} »", {}
        insee_code = optional_text(cells.get("insee_code"))
        commune = None
        if insee_code is not None:
            commune = self.communes.get(insee_code)
            if commune is None:
                return f"code INSEE inconnu « {insee_code} »", {}
        try:
            latitude = optional_float(cells.get("latitude"), -90, 90)
            longitude = optional_float(cells.get("longitude"), -180, 180)
        except ValueError:
            return "coordonnées invalides", {}
        coord_precision = optional_text(cells.get("coord_precision"))
        if (latitude is None) != (longitude is None):
            return "coordonnées incomplètes (latitude ou longitude manquante)", {}
        if latitude is None and commune is not None and commune["latitude"] is not None:
            # The source names the commune but gives no position: its centre is a
            # commune-level position, flagged as such.
            latitude, longitude = commune["latitude"], commune["longitude"]
            coord_precision = "commune_centre"
        served_department_code = None
        if serves_department:
            served_department_code = optional_text(cells.get("department_code"))
            if served_department_code not in self.department_regions:
                return f"département desservi inconnu « {served_department_code or ''} »", {}
        if latitude is None and not curated and served_department_code is None:
            # Without a position a structure can never be proposed by distance (one
            # that serves a département is found by the département instead).
            return f"coordonnées manquantes ({source_id} : {name})", {}
        source_label = optional_text(cells.get("source"))
        data_date = optional_text(cells.get("data_date"))
        if curated and source_label is None:
            return "source manquante (colonne source obligatoire pour une ligne ajoutée à la main)", {}
        if curated and data_date is None:
            return "date des données manquante (colonne data_date obligatoire pour une ligne ajoutée à la main)", {}
        if serves_department:
            # Where the seat stands (None when the source gives no address).
            department_code = (commune or {}).get("department_code")
            region_code = self.department_regions[served_department_code]
        else:
            department_code = optional_text(cells.get("department_code")) or (commune or {}).get("department_code")
            region_code = (commune or {}).get("region_code") or self.department_regions.get(department_code or "")
        return None, {
            "network_code": network.value,
            "name": name,
            "address": optional_text(cells.get("address")),
            "postcode": postcode,
            "commune": optional_text(cells.get("commune")),
            "insee_code": insee_code,
            "department_code": department_code,
            "region_code": region_code,
            "served_department_code": served_department_code,
            "latitude": latitude,
            "longitude": longitude,
            "coord_precision": coord_precision,
            "phone": clean_phone(cells.get("phone")),
            "email": optional_text(cells.get("email")),
            "website": optional_text(cells.get("website")),
            "opening_hours": optional_text(cells.get("opening_hours")),
            "source": source,
            "source_id": source_id,
            "source_label": source_label or source,
            "data_date": data_date,
            "curated": curated,
        }
