"""Corrections of the directory by regional staff (console, role admin): correct a
structure, mark it closed, add one, import a CSV in the partners' format (with a
dry run first). Each is written at once to the structures table, so the bot's
next referral uses it (the catalog reloads when a correction is recorded), and is
kept in `structure_corrections` with who and when, so that every later import of
the open data applies it again (apply_to_rows). The caller owns the session.
"""
from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from directory.importing.phones import clean_phone
from directory.models import Commune, Structure, StructureCorrection
from directory.vocabulary import Network

CONSOLE_SOURCE = "console"
EDITABLE = ("name", "network_code", "address", "postcode", "commune", "insee_code", "phone", "email",
            "website", "opening_hours")
POSTCODE = re.compile(r"\d{5}")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


class CorrectionError(ValueError):
    """French messages, by field."""

    def __init__(self, problems: dict[str, str]):
        super().__init__("; ".join(problems.values()))
        self.problems = problems


def clean_fields(session: Session, values: dict[str, str | None], *, adding: bool) -> dict:
    """The editable fields, trimmed and checked; raises CorrectionError."""
    fields = {name: (str(values.get(name) or "").strip() or None) for name in EDITABLE}
    problems = {}
    if not fields["name"]:
        problems["name"] = "Le nom est obligatoire."
    if fields["network_code"] not in {n.value for n in Network}:
        problems["network_code"] = "Choisissez le réseau dans la liste."
    if fields["postcode"] and not POSTCODE.fullmatch(fields["postcode"]):
        problems["postcode"] = "Le code postal compte 5 chiffres, par exemple 28000."
    if fields["insee_code"] and session.get(Commune, fields["insee_code"]) is None:
        problems["insee_code"] = f"Code INSEE inconnu « {fields['insee_code']} »."
    if adding and not fields["insee_code"]:
        problems["insee_code"] = "Le code INSEE de la commune est obligatoire pour placer la structure."
    if fields["email"] and not EMAIL.fullmatch(fields["email"]):
        problems["email"] = "Adresse électronique invalide."
    if fields["website"] and not re.match(r"(https?://|www\.)\S+$", fields["website"]):
        problems["website"] = "Le site commence par https:// ou www."
    if fields["phone"]:
        fields["phone"] = clean_phone(fields["phone"])
    if problems:
        raise CorrectionError(problems)
    return fields


def correct(session: Session, structure: Structure, values: dict, author: str) -> dict:
    """Corrects `structure`; returns the changed fields (empty: nothing changed)."""
    fields = clean_fields(session, values, adding=False)
    changes = {name: value for name, value in fields.items() if getattr(structure, name) != value}
    if changes:
        _apply(session, structure, changes)
        _record(session, structure.source, structure.source_id, "correct", changes, author)
    return changes


def close(session: Session, structure: Structure, author: str) -> None:
    """Never offered again, and not brought back by the next import."""
    _record(session, structure.source, structure.source_id, "close", {}, author)
    session.execute(delete(Structure).where(Structure.id == structure.id))


def add(session: Session, values: dict, author: str, source_id: str | None = None) -> Structure:
    fields = clean_fields(session, values, adding=True)
    source_id = source_id or f"{CONSOLE_SOURCE}-{uuid.uuid4().hex[:10]}"
    structure = Structure(source=CONSOLE_SOURCE, source_id=source_id, curated=True, updated_at=_now(),
                          source_label=f"Ajoutée dans la console par {author}",
                          data_date=_now().date().isoformat())
    _apply(session, structure, fields)
    session.add(structure)
    _record(session, CONSOLE_SOURCE, source_id, "add",
            {**fields, "source_label": structure.source_label, "data_date": structure.data_date}, author)
    session.flush()
    return structure


def revision(session: Session) -> int | None:
    """Changes with each correction (part of the catalog's freshness token)."""
    return session.scalar(select(func.max(StructureCorrection.id)))


def history(session: Session, source: str, source_id: str) -> list[StructureCorrection]:
    return list(session.scalars(select(StructureCorrection)
                                .where(StructureCorrection.target_source == source,
                                       StructureCorrection.target_source_id == source_id)
                                .order_by(StructureCorrection.id)))


def apply_to_rows(session: Session, rows: list[dict], communes: dict[str, dict]) -> tuple[list[dict], int]:
    """For the import: the rows once every recorded correction is applied again, in
    order (closed rows dropped, added rows back). Returns (rows, corrections applied)."""
    by_key = {(row["source"], row["source_id"]): row for row in rows}
    applied = 0
    for correction in session.scalars(select(StructureCorrection).order_by(StructureCorrection.id)):
        key = (correction.target_source, correction.target_source_id)
        if correction.kind == "close":
            applied += by_key.pop(key, None) is not None
        elif correction.kind == "add" or key in by_key:
            row = by_key.setdefault(key, _empty_row(*key))
            row.update(correction.changes)
            _place(row, communes.get(row.get("insee_code") or ""), correction.changes)
            row["curated"] = True
            applied += 1
    return list(by_key.values()), applied


# CSV in the partners' format ---------------------------------------------------

@dataclass
class CsvReport:
    added: list[str] = field(default_factory=list)     # names
    updated: list[str] = field(default_factory=list)
    rejected: list[tuple[int, str]] = field(default_factory=list)  # (line, French reason)


def import_csv(session: Session, path: Path, author: str, *, dry_run: bool) -> CsvReport:
    """Each valid row corrects the structure of the same source_id, or is added.
    Nothing is written on a dry run, nor when any row is rejected."""
    from directory.importing.csv_rows import read_csv
    from directory.importing.errors import ImportDataError

    report = CsvReport()
    plan = []
    try:
        lines = list(read_csv(path, {"source_id", "network", "name"}, path.name))
    except ImportDataError as error:
        report.rejected.append((0, str(error)))
        return report
    for line, cells in lines:
        values = {**cells, "network_code": cells.get("network")}
        existing = session.scalar(select(Structure).where(Structure.source_id == cells["source_id"]))
        try:
            fields = clean_fields(session, values, adding=existing is None)
        except CorrectionError as error:
            report.rejected.append((line, str(error)))
            continue
        plan.append((existing, fields, cells["source_id"]))
        (report.updated if existing is not None else report.added).append(fields["name"])
    if dry_run or report.rejected:
        return report
    for existing, fields, source_id in plan:
        if existing is not None:
            correct(session, existing, fields, author)
        else:
            add(session, fields, author, source_id=f"{CONSOLE_SOURCE}-{source_id}")
    return report


def _apply(session: Session, structure: Structure, changes: dict) -> None:
    for name, value in changes.items():
        setattr(structure, name, value)
    if "insee_code" in changes:
        commune = session.get(Commune, changes["insee_code"]) if changes["insee_code"] else None
        _place_structure(structure, commune)
    structure.curated = True
    structure.updated_at = _now()


def _place_structure(structure: Structure, commune: Commune | None) -> None:
    structure.latitude = commune.latitude if commune is not None else None
    structure.longitude = commune.longitude if commune is not None else None
    structure.coord_precision = "commune_centre" if commune is not None else None
    if commune is not None:
        structure.department_code, structure.region_code = commune.department_code, commune.region_code


def _place(row: dict, commune: dict | None, changes: dict) -> None:
    if "insee_code" not in changes:
        return
    row["latitude"] = commune["latitude"] if commune else None
    row["longitude"] = commune["longitude"] if commune else None
    row["coord_precision"] = "commune_centre" if commune else None
    if commune:
        row["department_code"], row["region_code"] = commune["department_code"], commune["region_code"]


def _empty_row(source: str, source_id: str) -> dict:
    columns = [c.name for c in Structure.__table__.columns if c.name not in ("id", "updated_at")]
    row = {name: None for name in columns}
    row.update(source=source, source_id=source_id, source_label="Ajoutée dans la console", curated=True)
    return row


def _record(session: Session, source: str, source_id: str, kind: str, changes: dict, author: str) -> None:
    session.add(StructureCorrection(target_source=source, target_source_id=source_id, kind=kind,
                                    changes=changes, author=author, created_at=_now()))


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)
