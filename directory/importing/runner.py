"""The whole import, in one transaction: communes, networks, partner structures
(open data + curated), remote services and referral rules."""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from directory.communes.resolver import CommuneResolver, forget_resolver, store_index

from directory.importing.communes import COMMUNES_FILE, read_communes
from directory.importing.errors import ImportDataError
from directory.importing.networks import network_rows
from directory.importing.paths import CURATED_DIR, RULES_DIR, display_path
from directory.importing.remote_services import read_remote_services
from directory.importing.report import ImportReport
from directory.importing.rules import read_rules, rule_key
from directory.importing.staged import FRANCE_TRAVAIL_LOCATED, drop_superseded_agencies, read_staged
from directory.importing.structures import CURATED_SOURCE, StructureReader
from directory.importing.sync import delete_rows, sync_rows
from directory.models import Commune, ImportRun, NetworkRow, ReferralRule, RemoteService, Structure

PARTNERS_DIR = "partners"
CURATED_STRUCTURES = "structures.csv"
CURATED_REMOTE = "remote_services.yml"


def run_import(
    session_factory: sessionmaker,
    data_dir: Path,
    *,
    curated_dir: Path = CURATED_DIR,
    rules_dir: Path = RULES_DIR,
) -> ImportReport:
    """Imports everything or nothing: on any error the previous directory stays as
    it was. Raises ImportDataError (French) for a missing or malformed source."""
    data_dir = Path(data_dir)
    if not (data_dir / COMMUNES_FILE).is_file():
        raise ImportDataError(
            f"Dossier de données introuvable ou incomplet : {data_dir} ({COMMUNES_FILE} absent). "
            "Indiquez-le avec --data-dir ou la variable SPRO_DATA_DIR."
        )
    report = ImportReport(data_dir=str(data_dir), started_at=_now())
    with session_factory.begin() as session:
        _import_all(session, report, data_dir, Path(curated_dir), Path(rules_dir))
        session.flush()
        # The commune index, built once here: the bot, the actions and the CLI read it.
        store_index(session, CommuneResolver.from_session(session), _now())
        report.finished_at = _now()
        session.add(ImportRun(started_at=report.started_at, finished_at=report.finished_at, report=report.to_dict()))
    forget_resolver(session_factory)
    return report


def _import_all(session: Session, report: ImportReport, data_dir: Path, curated_dir: Path, rules_dir: Path) -> None:
    networks = report.table("networks", "Réseaux")
    stale_networks = sync_rows(
        session, NetworkRow.__table__, network_rows(), key=lambda r: r["code"], pk="code", counts_for=lambda _: networks
    )

    communes_counts = report.table("communes", "Communes")
    communes = read_communes(data_dir, report)
    stale_communes = sync_rows(
        session,
        Commune.__table__,
        communes.values(),
        key=lambda r: r["insee_code"],
        pk="insee_code",
        counts_for=lambda _: communes_counts,
    )

    _import_structures(session, report, data_dir, curated_dir, communes)
    _import_remote_services(session, report, curated_dir)
    _import_rules(session, report, rules_dir)

    # Last, once nothing refers to them any more.
    delete_rows(session, Commune.__table__, stale_communes, key=lambda r: r["insee_code"], pk="insee_code",
                counts_for=lambda _: communes_counts)
    delete_rows(session, NetworkRow.__table__, stale_networks, key=lambda r: r["code"], pk="code",
                counts_for=lambda _: networks)


def _import_structures(session: Session, report: ImportReport, data_dir: Path, curated_dir: Path,
                       communes: dict[str, dict]) -> None:
    partners_dir = data_dir / PARTNERS_DIR
    if not partners_dir.is_dir():
        raise ImportDataError(f"Dossier des partenaires introuvable : {partners_dir}")
    reader = StructureReader(communes, report)
    open_rows: list[dict] = []
    for path in sorted(partners_dir.glob("*.csv")):
        source = path.stem
        report.table(f"structures:{source}", f"Structures – {source}")
        open_rows.extend(reader.read_file(path, source, display_path(path, data_dir)))
    staged = read_staged(reader, data_dir, report)
    open_rows = drop_superseded_agencies(open_rows, staged.get(Path(FRANCE_TRAVAIL_LOCATED).stem, []), report)
    for rows in staged.values():
        open_rows.extend(rows)

    curated_rows: list[dict] = []
    curated_file = curated_dir / CURATED_STRUCTURES
    report.table(f"structures:{CURATED_SOURCE}", "Structures – corrections (curated)")
    if curated_file.is_file():
        curated_rows = reader.read_file(curated_file, CURATED_SOURCE, display_path(curated_file), curated=True)
    else:
        report.notes_fr.append(f"Pas de structures ajoutées à la main ({display_path(curated_file)} absent).")

    # A curated row with the source_id of an open-data row corrects that row.
    corrected = {row["source_id"] for row in curated_rows}
    kept = [row for row in open_rows if row["source_id"] not in corrected]
    if len(kept) < len(open_rows):
        report.notes_fr.append(
            f"{len(open_rows) - len(kept)} structure(s) des données ouvertes remplacée(s) "
            f"par leur correction dans {display_path(curated_file)}."
        )

    table = Structure.__table__

    def key(row):
        return (row["source"], row["source_id"])

    def counts_for(row_key):
        return report.table(f"structures:{row_key[0]}", f"Structures – {row_key[0]}")

    # Last, the corrections regional staff made in the console, which outlive the data.
    from directory.corrections import apply_to_rows  # it uses the importer's own cleaners

    rows, applied = apply_to_rows(session, kept + curated_rows, communes)
    if applied:
        report.notes_fr.append(f"{applied} correction(s) faite(s) dans la console appliquée(s) de nouveau.")
    stale = sync_rows(session, table, rows, key=key, pk="id", counts_for=counts_for,
                      stamp={"updated_at": _now()})
    delete_rows(session, table, stale, key=key, pk="id", counts_for=counts_for)


def _import_remote_services(session: Session, report: ImportReport, curated_dir: Path) -> None:
    counts = report.table("remote_services", "Services à distance")
    path = curated_dir / CURATED_REMOTE
    if not path.is_file():
        report.notes_fr.append(f"Pas de services à distance ({display_path(path)} absent).")
        rows = []
    else:
        rows = read_remote_services(path, display_path(path), report)
    table = RemoteService.__table__
    stale = sync_rows(session, table, rows, key=lambda r: r["slug"], pk="id", counts_for=lambda _: counts)
    delete_rows(session, table, stale, key=lambda r: r["slug"], pk="id", counts_for=lambda _: counts)


def _import_rules(session: Session, report: ImportReport, rules_dir: Path) -> None:
    counts = report.table("referral_rules", "Règles d'orientation")
    rows = read_rules(rules_dir, display_path(rules_dir), report)
    if rows is None:
        return
    table = ReferralRule.__table__
    stale = sync_rows(session, table, rows, key=rule_key, pk="id", counts_for=lambda _: counts)
    delete_rows(session, table, stale, key=rule_key, pk="id", counts_for=lambda _: counts)


def _now() -> datetime:
    """Naive UTC (the DateTime columns carry no time zone)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)
