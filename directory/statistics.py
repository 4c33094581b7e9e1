"""Figures about the directory's content (for `python -m directory stats` and the
staff console): counts per network, per region and per source, gaps, data age."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from directory.models import Commune, ImportRun, NetworkRow, ReferralRule, RemoteService, Structure


def directory_stats(session: Session) -> dict:
    """Plain data (JSON-serialisable) describing what the directory holds."""
    return {
        "structures": session.scalar(select(func.count()).select_from(Structure)),
        "communes": session.scalar(select(func.count()).select_from(Commune)),
        "remote_services": session.scalar(select(func.count()).select_from(RemoteService)),
        "referral_rules": session.scalar(select(func.count()).select_from(ReferralRule)),
        "without_coordinates": session.scalar(
            select(func.count()).select_from(Structure).where(Structure.latitude.is_(None))
        ),
        "curated": session.scalar(select(func.count()).select_from(Structure).where(Structure.curated.is_(True))),
        "by_network": _by_network(session),
        "by_region": _by_region(session),
        "by_source": _by_source(session),
        "last_import": _last_import(session),
    }


def _by_network(session: Session) -> list[dict]:
    counts = (
        select(NetworkRow.code, NetworkRow.label, func.count(Structure.id))
        .join(Structure, Structure.network_code == NetworkRow.code, isouter=True)
        .group_by(NetworkRow.code, NetworkRow.label)
        .order_by(func.count(Structure.id).desc(), NetworkRow.code)
    )
    return [{"network": code, "label": label, "structures": n} for code, label, n in session.execute(counts)]


def _by_region(session: Session) -> list[dict]:
    names = dict(session.execute(select(Commune.region_code, func.min(Commune.region_name)).group_by(Commune.region_code)).all())
    counts = (
        select(Structure.region_code, func.count(Structure.id))
        .group_by(Structure.region_code)
        .order_by(func.count(Structure.id).desc())
    )
    return [
        {"region_code": code, "region_name": names.get(code) if code else None, "structures": n}
        for code, n in session.execute(counts)
    ]


def _by_source(session: Session) -> list[dict]:
    rows = (
        select(
            Structure.source,
            func.count(Structure.id),
            func.min(Structure.data_date),
            func.max(Structure.data_date),
            func.min(Structure.source_label),
            func.max(Structure.updated_at),
        )
        .group_by(Structure.source)
        .order_by(Structure.source)
    )
    return [
        {
            "source": source,
            "structures": n,
            "data_date_min": oldest,
            "data_date_max": newest,
            "source_label": label,
            "last_changed_at": changed.isoformat(timespec="seconds") if changed else None,
        }
        for source, n, oldest, newest, label, changed in session.execute(rows)
    ]


def _last_import(session: Session) -> dict | None:
    run = session.scalars(select(ImportRun).order_by(ImportRun.finished_at.desc(), ImportRun.id.desc()).limit(1)).first()
    if run is None:
        return None
    return {
        "started_at": run.started_at.isoformat(timespec="seconds"),
        "finished_at": run.finished_at.isoformat(timespec="seconds") if run.finished_at else None,
        "data_dir": run.report.get("data_dir"),
        "rejected": len(run.report.get("rejected", [])),
    }
