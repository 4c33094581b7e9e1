"""communes.csv → rows of the communes table."""
from __future__ import annotations

from pathlib import Path

from directory.importing.csv_rows import read_csv
from directory.importing.report import ImportReport
from directory.importing.values import optional_float, optional_int

COMMUNES_FILE = "communes.csv"
REQUIRED = {"insee_code", "name", "postcodes", "department_code", "region_code", "latitude", "longitude"}


def read_communes(data_dir: Path, report: ImportReport) -> dict[str, dict]:
    """Commune rows by INSEE code; bad rows are rejected into `report`."""
    shown_as = COMMUNES_FILE
    communes: dict[str, dict] = {}
    first_line: dict[str, int] = {}
    for line, row in read_csv(data_dir / COMMUNES_FILE, REQUIRED, shown_as):
        code = row["insee_code"]
        if len(code) != 5:
            report.reject(shown_as, line, f"code INSEE invalide « {code} »")
            continue
        if code in communes:
            report.reject(shown_as, line, f"doublon : code INSEE « {code} » déjà lu ligne {first_line[code]}")
            continue
        if not row["name"] or not row["department_code"] or not row["region_code"]:
            report.reject(shown_as, line, "nom, département ou région manquant")
            continue
        try:
            latitude = optional_float(row["latitude"], -90, 90)
            longitude = optional_float(row["longitude"], -180, 180)
            population = optional_int(row.get("population", ""))
        except ValueError:
            report.reject(shown_as, line, "coordonnées ou population invalides")
            continue
        first_line[code] = line
        communes[code] = {
            "insee_code": code,
            "name": row["name"],
            "postcodes": " ".join(row["postcodes"].split()),
            "department_code": row["department_code"],
            "department_name": row.get("department_name", ""),
            "region_code": row["region_code"],
            "region_name": row.get("region_name", ""),
            "latitude": latitude,
            "longitude": longitude,
            "commune_type": row.get("commune_type") or "commune",
            "population": population,
        }
    return communes
