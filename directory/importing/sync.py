"""Bringing one table to a wanted set of rows, by key, with few statements.

Existing rows are read once and compared in memory; then one executemany each for
inserts, updates and deletes (fast on SQLite and PostgreSQL alike).
"""
from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable

from sqlalchemy import Table, bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from directory.importing.report import TableCounts

KeyFunction = Callable[[dict], Hashable]


def sync_rows(
    session: Session,
    table: Table,
    wanted: Iterable[dict],
    *,
    key: KeyFunction,
    pk: str,
    counts_for: Callable[[Hashable], TableCounts],
    stamp: dict | None = None,
) -> list[dict]:
    """Inserts the wanted rows that are new, updates the changed ones and counts
    the rest as unchanged. Returns the existing rows that are not wanted any more
    (as dicts with `pk`), for the caller to delete when it is safe to."""
    stamp = stamp or {}
    wanted_by_key = {key(row): row for row in wanted}
    existing = {}
    for row in session.execute(select(table)).mappings():
        existing[key(row)] = dict(row)

    inserts, updates = [], []
    for row_key, row in wanted_by_key.items():
        counts = counts_for(row_key)
        old = existing.pop(row_key, None)
        if old is None:
            inserts.append({**row, **stamp})
            counts.imported += 1
        elif any(old.get(column) != row[column] for column in row):
            updates.append({**row, **stamp, "b_pk": old[pk]})
            counts.updated += 1
        else:
            counts.unchanged += 1
    if updates:
        session.execute(update(table).where(table.c[pk] == bindparam("b_pk")), updates)
    if inserts:
        session.execute(insert(table), inserts)
    return list(existing.values())


def delete_rows(
    session: Session,
    table: Table,
    rows: list[dict],
    *,
    key: KeyFunction,
    pk: str,
    counts_for: Callable[[Hashable], TableCounts],
) -> None:
    for row in rows:
        counts_for(key(row)).deleted += 1
    if rows:
        session.execute(delete(table).where(table.c[pk] == bindparam("b_pk")), [{"b_pk": row[pk]} for row in rows])

