"""What an import did, for people (French text) and for the import_runs table."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Rejection:
    """A source row that was not imported. `line` is the line in the file (header =
    line 1), or 0 when the row has no line (e.g. a rule built by code)."""

    file: str
    line: int
    reason_fr: str

    def to_text(self) -> str:
        where = f"{self.file}, ligne {self.line}" if self.line else self.file
        return f"{where} : {self.reason_fr}"


@dataclass
class TableCounts:
    """Counts of one target (a table, or the structures of one source)."""

    label_fr: str
    imported: int = 0  # rows added
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0


@dataclass
class ImportReport:
    data_dir: str = ""
    started_at: datetime | None = None
    finished_at: datetime | None = None
    counts: dict[str, TableCounts] = field(default_factory=dict)
    rejected: list[Rejection] = field(default_factory=list)
    notes_fr: list[str] = field(default_factory=list)

    def table(self, key: str, label_fr: str) -> TableCounts:
        if key not in self.counts:
            self.counts[key] = TableCounts(label_fr)
        return self.counts[key]

    def reject(self, file: str, line: int, reason_fr: str) -> None:
        self.rejected.append(Rejection(file, line, reason_fr))

    @property
    def imported(self) -> int:
        return sum(c.imported for c in self.counts.values())

    @property
    def updated(self) -> int:
        return sum(c.updated for c in self.counts.values())

    @property
    def unchanged(self) -> int:
        return sum(c.unchanged for c in self.counts.values())

    @property
    def deleted(self) -> int:
        return sum(c.deleted for c in self.counts.values())

    @property
    def duration_s(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None

    def rejections_by_reason(self) -> Counter:
        """How many rows were rejected per reason (the reason without its details)."""
        return Counter(r.reason_fr.split(" « ")[0].split(" (")[0] for r in self.rejected)

    def to_dict(self) -> dict:
        return {
            "data_dir": self.data_dir,
            "started_at": self.started_at.isoformat() if self.started_at else None,
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
            "counts": {
                key: {
                    "label": c.label_fr,
                    "imported": c.imported,
                    "updated": c.updated,
                    "unchanged": c.unchanged,
                    "deleted": c.deleted,
                }
                for key, c in self.counts.items()
            },
            "rejected": [{"file": r.file, "line": r.line, "reason": r.reason_fr} for r in self.rejected],
            "notes": list(self.notes_fr),
        }

    def to_text(self, max_rejections: int = 200) -> str:
        lines = ["Import de l'annuaire des partenaires terminé."]
        if self.data_dir:
            lines.append(f"Données ouvertes lues dans : {self.data_dir}")
        if self.duration_s is not None:
            lines.append(f"Durée : {_number(self.duration_s, 1)} s")
        lines.append("")
        width = max([len(c.label_fr) for c in self.counts.values()] + [len("Total")])
        headers = ("ajoutées", "mises à jour", "inchangées", "supprimées")
        lines.append(" " * width + "".join(f"  {h:>12}" for h in headers))
        totals = TableCounts("Total", self.imported, self.updated, self.unchanged, self.deleted)
        for c in [*self.counts.values(), totals]:
            values = (c.imported, c.updated, c.unchanged, c.deleted)
            lines.append(f"{c.label_fr:<{width}}" + "".join(f"  {_number(v):>12}" for v in values))
        lines.append("")
        if not self.rejected:
            lines.append("Lignes rejetées : aucune.")
        else:
            lines.append(f"Lignes rejetées (non importées) : {_number(len(self.rejected))}")
            for reason, count in self.rejections_by_reason().most_common():
                lines.append(f"  - {reason} : {_number(count)}")
            lines.append("Détail :")
            for rejection in self.rejected[:max_rejections]:
                lines.append(f"  {rejection.to_text()}")
            hidden = len(self.rejected) - max_rejections
            if hidden > 0:
                lines.append(f"  … et {_number(hidden)} autres lignes rejetées.")
        if self.notes_fr:
            lines.append("")
            lines.append("Remarques :")
            lines.extend(f"  - {note}" for note in self.notes_fr)
        return "\n".join(lines)


def _number(value: float, decimals: int = 0) -> str:
    """French number formatting: narrow no-break space for thousands, comma for decimals."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\u202f").replace(".", ",")
