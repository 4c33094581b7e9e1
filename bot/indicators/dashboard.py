"""What the dashboard and the annual report show, from the monthly sums (rollup.py):
key figures and one chart per dimension, each chart's small counts hidden with the
confidentiality rule (every partition chart but the ratings' is a line whose total
is the conversations of the view; the ratings' total is the rated ones, published
as a key figure).

A chart whose bars are a partition of the conversations (need, public…) keeps a
bar for "non précisé" so that its total is the published total. The networks
offered are not a partition (one conversation, several networks): their counts
only get the primary rule, and no total is shown. The mean rating is published
only when no rating count is hidden (with the mean, the hidden counts could be
solved for)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Optional, Sequence

from bot.indicators import rollup
from bot.indicators.confidentiality import DEFAULT_THRESHOLD, TOTAL, protect, with_margins
from bot.indicators.facts import AGE_BANDS, NO_REFERRAL_REASONS

UNKNOWN = "non précisé"
AGE_LABELS = {"moins_16": "Moins de 16 ans", "16_25": "16 à 25 ans", "26_44": "26 à 44 ans",
              "45_plus": "45 ans et plus"}
REMOTE_LABELS = {"phone": "téléphone", "tchat": "tchat", "web": "site internet", "visio": "visio",
                 "mail": "courriel"}
CHANNEL_LABELS = {"socketio": "Fenêtre de discussion du site", "rest": "Service à distance (API REST)"}
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")


@dataclass(frozen=True)
class Bar:
    slug: Optional[str]
    label: str
    value: Optional[int]  # None: hidden, "< 5" or, when `secret`, a larger value hidden with one
    secret: bool = False


@dataclass(frozen=True)
class Chart:
    slug: str
    title: str
    bars: tuple[Bar, ...]
    total: Optional[int]  # None when hidden, or for a chart that is not a partition
    partition: bool = True

    @property
    def largest(self) -> int:
        return max([bar.value or 0 for bar in self.bars] + [1])

    def description(self, threshold: int) -> str:
        """One sentence for the SVG's <desc> (the table below gives every figure)."""
        shown = [bar for bar in self.bars if bar.value]
        if not shown:
            return f"{self.title} : aucune valeur publiable."
        top = max(shown, key=lambda bar: bar.value)
        hidden = sum(1 for bar in self.bars if bar.value is None)
        text = f"{self.title} : {len(self.bars)} valeurs ; la plus fréquente est « {top.label} » ({top.value})."
        if hidden:
            text += f" {hidden} valeur{'s' if hidden > 1 else ''} sous {threshold} masquée{'s' if hidden > 1 else ''}."
        return text


@dataclass(frozen=True)
class Figure:
    slug: str
    label: str
    value: Optional[float]  # None: hidden or not computable
    unit: str = ""  # "%", "/ 5"
    note: str = ""
    secret: bool = False


@dataclass
class View:
    first_month: str
    last_month: str
    threshold: int
    conversations: Optional[int]
    figures: list[Figure] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)

    def chart(self, slug: str) -> Chart:
        return next(chart for chart in self.charts if chart.slug == slug)

    def figure(self, slug: str) -> Figure:
        return next(figure for figure in self.figures if figure.slug == slug)


def month_label(month: str) -> str:
    year, number = month.split("-")
    return f"{MONTHS[int(number) - 1]} {year}"


def shift(month: str, months: int) -> str:
    """"2026-03" moved by `months` months."""
    year, number = (int(part) for part in month.split("-"))
    index = year * 12 + number - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def months_between(first: str, last: str) -> list[str]:
    year, month = (int(part) for part in first.split("-"))
    found = []
    while f"{year:04d}-{month:02d}" <= last:
        found.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def build(connection: Any, first_month: str, last_month: str, *, labels: dict[str, dict[str, str]],
          departments: Optional[Sequence[str]] = None, channel: Optional[str] = None,
          threshold: int = DEFAULT_THRESHOLD) -> View:
    """The view of the months from `first_month` to `last_month` included. `labels`:
    French labels by dimension ("besoin", "situation", "reseau", "departement")."""
    sums = rollup.read(connection, first_month, last_month, departments=departments, channel=channel)
    per_month = rollup.read(connection, first_month, last_month, departments=departments, channel=channel,
                            by_month=True)
    places = rollup.by_place(connection, first_month, last_month, departments=departments, channel=channel)
    on_channels = rollup.by_place(connection, first_month, last_month, key="channel", departments=departments,
                                  channel=channel)
    total = sums.get((rollup.CONVERSATIONS, None), 0)
    view = View(first_month, last_month, threshold, None if 0 < total < threshold else total)

    def values(dimension: str) -> dict[Optional[str], int]:
        return {value: amount for (name, value), amount in sums.items() if name == dimension}

    def measure(slug: str) -> int:
        return sums.get((rollup.MEASURE, slug), 0)

    def partition(slug, title, counts: dict, label_of, order: Optional[Sequence] = None) -> Chart:
        keys = list(order) if order is not None else sorted(counts, key=lambda k: (-counts[k], str(k)))
        keys += [k for k in counts if k not in keys]
        cells = {(str(k),): counts.get(k, 0) for k in keys if counts.get(k, 0)}
        published = protect(cells, threshold) if total >= threshold else {key: None for key in cells}
        bars = tuple(Bar(k, label_of(k), published.get((str(k),), 0),
                         secret=published.get((str(k),), 0) is None and counts[k] >= threshold) for k in keys
                     if counts.get(k, 0) or order is not None)
        return Chart(slug, title, bars, published.get((TOTAL,), None) if cells else 0)

    def small(amount: int) -> Optional[int]:
        return None if 0 < amount < threshold else amount

    months = months_between(first_month, last_month)
    by_month = {month: per_month.get((month, rollup.CONVERSATIONS, None), 0) for month in months}
    view.charts.append(partition("mois", "Conversations par mois", by_month, month_label, order=months))
    view.charts.append(partition("besoin", "Besoin exprimé", values("besoin"),
                                 lambda k: labels["besoin"].get(k, k) if k else UNKNOWN))
    view.charts.append(partition("situation", "Situation de la personne", values("situation"),
                                 lambda k: labels["situation"].get(k, k) if k else UNKNOWN))
    view.charts.append(partition("age", "Tranche d'âge", values("age"),
                                 lambda k: AGE_LABELS.get(k, k) if k else UNKNOWN,
                                 order=[slug for slug, *_ in AGE_BANDS] + [None]))
    outcome = _outcome_chart(values("reseau"), values("sans_orientation"), labels["reseau"], total, threshold)
    view.charts.append(outcome)
    offered = values(rollup.NETWORK_ANY)
    view.charts.append(Chart("reseaux", "Réseaux proposés (une conversation peut en compter plusieurs)", tuple(
        Bar(k, labels["reseau"].get(k, k), small(v)) for k, v in sorted(offered.items(), key=lambda kv: -kv[1])),
        None, partition=False))
    remote = values(rollup.REMOTE_ANY)
    view.charts.append(Chart("distance", "Services à distance donnés, par type (une conversation peut en compter "
                                         "plusieurs)", tuple(
        Bar(k, REMOTE_LABELS.get(k, k), small(v)) for k, v in sorted(remote.items(), key=lambda kv: -kv[1])),
        None, partition=False))
    view.charts.append(partition("departement", "Département", places,
                                 lambda k: (f"{labels['departement'].get(k, '')} ({k})".strip() if k else UNKNOWN)))
    view.charts.append(partition("canal", "Canal", on_channels, lambda k: CHANNEL_LABELS.get(k, k) if k else UNKNOWN))
    ratings = {str(note): amount for (name, note), amount in sums.items() if name == "note" and note}
    rated = measure("notees")
    chart = partition("note", "Satisfaction (note de 1 à 5)", ratings, lambda k: f"{k} sur 5",
                      order=[str(n) for n in range(1, 6)])
    if rated and rated < threshold:
        chart = Chart(chart.slug, chart.title, tuple(Bar(b.slug, b.label, None if b.value else 0) for b in chart.bars),
                      None)
    view.charts.append(chart)

    mean_hidden = rated < threshold or any(bar.value is None for bar in chart.bars)
    messages = measure("messages")
    asked, served, waits = measure("conseiller_demande"), measure("conseiller_servi"), measure("attentes")
    referred = outcome.subtotals[0].value
    view.figures += [
        Figure("conversations", "Conversations", view.conversations),
        *outcome.subtotals,
        Figure("taux_orientation", "Part des conversations orientées",
               None if referred is None else _share(referred, total, threshold), "%"),
        Figure("conseiller_demande", "Passages à un·e conseiller·e demandés", small(asked)),
        Figure("conseiller_servi", "dont pris en charge", small(served)),
        Figure("conseiller_expire", "dont restés sans conseiller·e disponible à temps", small(measure("conseiller_expire"))),
        Figure("attente_moyenne", "Attente moyenne avant la prise en charge",
               round(measure("attente_secondes") / waits / 60, 1) if waits >= threshold else None, "min",
               "non publiée : trop peu de prises en charge" if 0 < waits < threshold else ""),
        Figure("rappel_demande", "Rappels téléphoniques demandés", small(measure("rappel_demande"))),
        Figure("detresse", "Conversations de détresse (nombre seul)", small(measure("detresse"))),
        Figure("taux_repli", "Messages non compris (repli)", _share(measure("replis"), messages, threshold), "%"),
        Figure("taux_pas_ma_question", "« Ce n'est pas ma question »",
               _share(measure("pas_ma_question"), messages, threshold), "%", "part des messages"),
        Figure("notees", "Conversations notées", small(rated)),
        Figure("note_moyenne", "Note moyenne", None if mean_hidden or not rated
               else round(measure("somme_notes") / rated, 1), "/ 5",
               "non publiée : trop peu de notes" if mean_hidden and rated else ""),
        Figure("commentaires", "Commentaires laissés", small(measure("commentaires"))),
    ]
    return view


@dataclass(frozen=True)
class OutcomeChart(Chart):
    subtotals: tuple = ()  # Figures: conversations referred, not referred


def _outcome_chart(first_networks: dict, reasons: dict, network_labels: dict, total: int,
                   threshold: int) -> OutcomeChart:
    """How conversations ended: referred, by first network, or not, by reason. One
    table with two levels, protected as a whole (its subtotals are published as key
    figures: protected apart, a hidden reason would come out of them)."""
    cells = {("orientee", network): count for network, count in first_networks.items() if network and count}
    cells.update({("sans", reason): count for reason, count in reasons.items() if reason and count})
    published = protect(cells, threshold) if total >= threshold else {key: None for key in with_margins(cells)}
    order = sorted(cells, key=lambda key: (key[0] != "orientee", -cells[key], key[1]))
    bars = tuple(Bar(detail, ("orientée : " + network_labels.get(detail, detail)) if level == "orientee"
                     else "sans orientation : " + NO_REFERRAL_REASONS.get(detail, detail),
                     published[(level, detail)], secret=published[(level, detail)] is None and cells[(level, detail)] >= threshold)
                 for level, detail in order)
    full = with_margins(cells)
    subtotal = tuple(Figure(slug, text, published.get((level, TOTAL), 0),
                            secret=published.get((level, TOTAL), 0) is None and full.get((level, TOTAL), 0) >= threshold)
                     for slug, text, level in (("orientees", "Conversations terminées par une orientation", "orientee"),
                                               ("sans_orientation", "Conversations terminées sans orientation", "sans")))
    return OutcomeChart("fin", "Fin de conversation : structure proposée en premier, ou raison sans orientation",
                        bars, published.get((TOTAL, TOTAL), 0), subtotals=subtotal)


def _share(part: int, whole: int, threshold: int) -> Optional[float]:
    """A percentage, not published when its whole or its part is a small count (the
    part would be worked out from the published whole)."""
    if whole < threshold or 0 < part < threshold:
        return None
    return round(100 * part / whole, 1)


def default_period(today: Optional[dt.date] = None) -> tuple[str, str]:
    """The twelve months up to the current one."""
    today = today or dt.date.today()
    year, month = (today.year - 1, today.month + 1) if today.month < 12 else (today.year, 1)
    return f"{year:04d}-{month:02d}", today.strftime("%Y-%m")
