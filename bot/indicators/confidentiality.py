"""Statistical confidentiality of a table of counts, margins included.

Primary suppression: a cell counting 1 to threshold - 1 conversations is shown as
"< 5"; a value hidden with it (secondary) is shown as "secret", so that no page
says something false of it (label() below). Secondary suppression: a published
total is the sum of its line, so a line (a margin and the cells it sums, along one
dimension) must never hold exactly one hidden value; while one does, the smallest
other non-zero value of that line is hidden too (the margin itself when nothing
else is left). The hidden set only grows, so this ends. Zeros stay: an empty cell
says nothing about a person.

The line rule is not enough once tables have three dimensions, or hidden values
that only some lines join: an audit then computes, by linear programming over the
published equations (scipy's HiGHS), the smallest and largest value each hidden
small count could take, knowing what the page says of each hidden value (1 to 4,
or at least 5); a count with a single possible value gets one more neighbour
hidden, until none is left.
"""
from __future__ import annotations

from itertools import product
from typing import Optional

TOTAL = "*"
DEFAULT_THRESHOLD = 5


def with_margins(cells: dict[tuple, int]) -> dict[tuple, int]:
    """Every cell plus every margin (TOTAL in place of one or more coordinates)."""
    table: dict[tuple, int] = {}
    for key, count in cells.items():
        for mask in product((False, True), repeat=len(key)):
            margin = tuple(TOTAL if hide else value for value, hide in zip(key, mask))
            table[margin] = table.get(margin, 0) + count
    if not cells:
        return {}
    return table


def lines(table: dict[tuple, int]) -> list[list[tuple]]:
    """Each published equation: [total, the entries it sums]."""
    found: dict[tuple, list[tuple]] = {}
    for key in table:
        for dimension, value in enumerate(key):
            if value == TOTAL:
                continue
            total = key[:dimension] + (TOTAL,) + key[dimension + 1:]
            found.setdefault((dimension, total), [total]).append(key)
    return list(found.values())


def protect(cells: dict[tuple, int], threshold: int = DEFAULT_THRESHOLD) -> dict[tuple, Optional[int]]:
    """The table with its margins; None where the value is hidden."""
    table = with_margins(cells)
    primary = {key for key, count in table.items() if 0 < count < threshold}
    hidden = set(primary)
    equations = lines(table)
    while True:
        _line_rule(table, equations, hidden)
        exposed = next((key for key in sorted(primary)
                        if _is_determined(table, equations, hidden, key, primary, threshold)), None)
        if exposed is None:
            return {key: (None if key in hidden else count) for key, count in table.items()}
        # A value of its own lines, or else of any line that holds a hidden value
        # (the equations that pin it down go through them).
        for near in ([exposed], hidden):
            neighbours = sorted((table[key], key) for members in equations if any(k in members for k in near)
                                for key in members if key not in hidden and table[key] > 0)
            if neighbours:
                hidden.add(neighbours[0][1])
                break
        else:
            hidden.update(key for key, count in table.items() if count > 0)  # all hidden: nothing derivable


def label(value: int, published: Optional[int], threshold: int = DEFAULT_THRESHOLD) -> str:
    """What a page or a CSV shows for a cell of true `value`."""
    if published is not None:
        return str(published)
    return f"< {threshold}" if 0 < value < threshold else SECRET


SECRET = "secret"


def _line_rule(table: dict, equations: list, hidden: set) -> None:
    changed = True
    while changed:
        changed = False
        for members in equations:
            inside = [key for key in members if key in hidden]
            if len(inside) != 1:
                continue
            # Another entry of this line goes too: the smallest non-zero cell, else the total.
            candidates = sorted((table[key], key != members[0], key) for key in members
                                if key not in hidden and table[key] > 0)
            cells_first = [c for c in candidates if c[1]] or candidates
            if cells_first:
                hidden.add(cells_first[0][2])
                changed = True


def value_range(table: dict, equations: list, hidden: set, key: tuple, primary: Optional[set] = None,
                threshold: int = DEFAULT_THRESHOLD) -> tuple[float, float]:
    """Smallest and largest value of the hidden `key` that the published figures allow
    (inf when unbounded). With `primary`, what the page says of each hidden value is
    known too: "< 5" (1 to threshold - 1) for those, "secret" (at least threshold)
    for the others."""
    import numpy as np
    from scipy.optimize import linprog

    unknown = sorted(hidden)
    index = {k: i for i, k in enumerate(unknown)}
    rows, right = [], []
    for members in equations:
        row, constant = np.zeros(len(unknown)), 0.0
        for position, member in enumerate(members):
            sign = -1.0 if position == 0 else 1.0  # parts - total = 0
            if member in hidden:
                row[index[member]] += sign
            else:
                constant += sign * table[member]
        if row.any():
            rows.append(row)
            right.append(-constant)
    target = np.zeros(len(unknown))
    target[index[key]] = 1.0
    bounds = ([(0, None)] * len(unknown) if primary is None else
              [(1, threshold - 1) if k in primary else (threshold, None) for k in unknown])
    options = {"A_eq": np.array(rows) if rows else None, "b_eq": right or None, "bounds": bounds, "method": "highs"}
    low = linprog(target, **options)
    high = linprog(-target, **options)
    return low.fun, (float("inf") if high.status == 3 else -high.fun)


def _is_determined(table: dict, equations: list, hidden: set, key: tuple, primary: set, threshold: int) -> bool:
    low, high = value_range(table, equations, hidden, key, primary, threshold)
    return high - low < 1 - 1e-6
