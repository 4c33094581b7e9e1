"""Conversations counted by dimension over a period, from the fact rows (never the
conversations themselves), then protected (confidentiality.py) and written as CSV."""
from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any, Optional, Sequence

import sqlalchemy as sa

from bot.indicators.confidentiality import DEFAULT_THRESHOLD, TOTAL, label, protect, with_margins
from bot.indicators.facts import facts

# slug (French, as typed on the command line) → (column header, fact column)
DIMENSIONS = {
    "jour": ("Jour", facts.c.day), "semaine": ("Semaine", facts.c.week), "mois": ("Mois", facts.c.month),
    "annee": ("Année", facts.c.year), "canal": ("Canal", facts.c.channel),
    "departement": ("Département", facts.c.department_code), "besoin": ("Besoin", facts.c.need),
    "situation": ("Situation", facts.c.public), "age": ("Tranche d'âge", facts.c.age_band),
    "handicap": ("Handicap", facts.c.handicap), "reseau": ("Premier réseau proposé", facts.c.first_network),
    "sans_orientation": ("Sans orientation : raison", facts.c.no_referral_reason),
    "conseiller": ("Passage à un·e conseiller·e demandé", facts.c.handoff_asked),
    "note": ("Note", facts.c.rating),
}
# The same in English, for scripts: --by need,departement works.
ALIASES = {"day": "jour", "week": "semaine", "month": "mois", "year": "annee", "channel": "canal",
           "department": "departement", "need": "besoin", "public": "situation", "network": "reseau",
           "no_referral": "sans_orientation", "handoff": "conseiller", "rating": "note"}
UNKNOWN = "non précisé"


def dimensions(typed: str) -> list[str]:
    """"need,departement" → ["besoin", "departement"]; ValueError in French otherwise."""
    names = [ALIASES.get(part.strip(), part.strip()) for part in typed.split(",") if part.strip()]
    wrong = [name for name in names if name not in DIMENSIONS]
    if wrong:
        raise ValueError(f"dimension inconnue : {', '.join(wrong)} (possibles : {', '.join(DIMENSIONS)})")
    if len(set(names)) != len(names):
        raise ValueError("une dimension est donnée deux fois")
    return names


def count(connection: Any, start: Optional[dt.date], end: Optional[dt.date], by: Sequence[str], *,
          departments: Optional[Sequence[str]] = None, channel: Optional[str] = None) -> dict[tuple, int]:
    """{(value of each dimension…): conversations} for conversations started from
    `start` to `end` included (in `departments`, on `channel` when given)."""
    columns = [DIMENSIONS[name][1] for name in by]
    where = []
    if departments is not None:
        where.append(facts.c.department_code.in_(list(departments)))
    if channel:
        where.append(facts.c.channel == channel)
    if start:
        where.append(facts.c.day >= start)
    if end:
        where.append(facts.c.day <= end)
    if not sa.inspect(connection).has_table(facts.name):
        return {}
    query = sa.select(*columns, sa.func.count()).select_from(facts).where(*where)
    if columns:
        query = query.group_by(*columns)
    return {tuple(_label(value) for value in row[:-1]): row[-1] for row in connection.execute(query) if row[-1]}


def _label(value: Any) -> str:
    if value is None:
        return UNKNOWN
    if isinstance(value, bool):
        return "oui" if value else "non"
    return str(value)


def to_csv(cells: dict[tuple, int], by: Sequence[str], *, separator: str = ",",
           threshold: int = DEFAULT_THRESHOLD) -> str:
    """CSV with a header, every cell and margin ("Total"), hidden values as "< 5" (or
    "secret" for a larger value hidden with one)."""
    published = protect(cells, threshold)
    full = with_margins(cells)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=separator, lineterminator="\n")
    writer.writerow([DIMENSIONS[name][0] for name in by] + ["Conversations"])
    order = sorted(published, key=lambda key: tuple((part == TOTAL, part) for part in key))
    for key in order:
        value = published[key]
        writer.writerow([("Total" if part == TOTAL else part) for part in key]
                        + [label(full[key], value, threshold)])
    return out.getvalue()
