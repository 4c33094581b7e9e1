"""The indicators of the console (roles reviewer and admin): the dashboard with its
filters, charts and tables, the CSV of any chart or of a cross table, and the
annual activity report of the region or a département, as a page and a PDF.
Everything is read from the anonymous monthly sums (bot/indicators), never from
the conversations; small counts are hidden ("< 5")."""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

import sqlalchemy as sa
from aiohttp import web

from bot.indicators import counting, dashboard, rollup
from bot.indicators.confidentiality import DEFAULT_THRESHOLD, SECRET
from directory.vocabulary import Need, Network, Public

ROUTES = ("indicators", "indicators_csv", "indicators_report", "indicators_report_pdf")
FRESHNESS_SECONDS = 60  # the month in progress is summed again at most once a minute
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
MAX_MONTHS = 120
TERRITORIES = web.AppKey("territories", dict)
STATIC = Path(__file__).parent / "static"


def add_routes(app: web.Application) -> None:
    app[TERRITORIES] = {}  # filled from the directory at the first page
    app.router.add_get("/indicateurs", dashboard_page, name="indicators")
    app.router.add_get("/indicateurs.csv", csv_download, name="indicators_csv")
    app.router.add_get("/indicateurs/bilan", report_page, name="indicators_report")
    app.router.add_get("/indicateurs/bilan.pdf", report_pdf, name="indicators_report_pdf")


def _console():
    from bot.handoff import console

    return console


@dataclass(frozen=True)
class Territory:
    regions: dict  # code → name
    departments: dict  # code → (name, region code)

    def of_region(self, code: str) -> list[str]:
        return sorted(department for department, (_, region) in self.departments.items() if region == code)


def territory(request: web.Request) -> Territory:
    """Names of the regions and départements, from the directory's communes (read
    once; an unreadable directory leaves codes without names)."""
    cache = request.app[TERRITORIES]
    if "value" not in cache:
        from directory.models import Commune

        regions, departments = {}, {}
        try:
            with request.app[_console().DIRECTORY_DB]() as session:
                for code, name, region, region_name in session.execute(sa.select(
                        Commune.department_code, Commune.department_name, Commune.region_code,
                        Commune.region_name).distinct()):
                    departments[code] = (name, region)
                    regions[region] = region_name
        except sa.exc.SQLAlchemyError:
            pass
        cache["value"] = Territory(regions, departments)
    return cache["value"]


def labels(place: Territory) -> dict:
    return {"besoin": {n.value: n.label for n in Need}, "situation": {p.value: p.label for p in Public},
            "reseau": {n.value: n.label for n in Network},
            "departement": {code: name for code, (name, _) in place.departments.items()}}


@dataclass(frozen=True)
class Filters:
    first_month: str
    last_month: str
    region: Optional[str]
    department: Optional[str]
    channel: Optional[str]

    def departments(self, place: Territory) -> Optional[list[str]]:
        if self.department:
            return [self.department]
        if self.region:
            return place.of_region(self.region)
        return None

    def query(self) -> dict:
        values = {"du": self.first_month, "au": self.last_month, "region": self.region or "",
                  "departement": self.department or "", "canal": self.channel or ""}
        return {name: value for name, value in values.items() if value}


def read_filters(query: Any, place: Territory) -> tuple[Filters, dict, dict]:
    """(filters, the values typed, French errors by field)."""
    first, last = dashboard.default_period()
    typed = {name: query.get(name, "").strip() for name in ("du", "au", "region", "departement", "canal")}
    errors = {}
    for name in ("du", "au"):
        if typed[name] and not MONTH.match(typed[name]):
            errors[name] = "Mois attendu au format AAAA-MM, par exemple 2026-01."
    if not errors and typed["au"] and not typed["du"]:
        first = dashboard.shift(typed["au"], -11)  # the twelve months up to the one given
    elif not errors and typed["du"] and not typed["au"]:
        last = max(typed["du"], min(last, dashboard.shift(typed["du"], 11)))
    first, last = typed["du"] or first, typed["au"] or last
    if not errors and first > last:
        errors["au"] = "Le dernier mois doit suivre le premier."
    elif not errors and len(dashboard.months_between(first, last)) > MAX_MONTHS:
        errors["au"] = "Dix ans au plus à la fois."
    if typed["region"] and typed["region"] not in place.regions:
        errors["region"] = "Choisissez une région de la liste."
    if typed["departement"] and typed["departement"] not in place.departments:
        errors["departement"] = "Choisissez un département de la liste."
    elif typed["departement"] and typed["region"] and place.departments[typed["departement"]][1] != typed["region"]:
        errors["departement"] = "Ce département n'est pas dans la région choisie."
    if typed["canal"] and not re.fullmatch(r"[a-z_]{1,40}", typed["canal"]):
        errors["canal"] = "Choisissez un canal de la liste."
    return Filters(first, last, typed["region"] or None, typed["departement"] or None, typed["canal"] or None), \
        typed, errors


TOO_FEW = ("Trop peu de conversations pour ce choix : ses chiffres ne sont pas publiés, pour que personne ne "
           "puisse être reconnu (ils se déduiraient aussi des autres vues). Élargissez la période ou le territoire.")


def _view(request: web.Request, filters: Filters, place: Territory, *, max_age: float) -> tuple:
    """(view, when summed, channels); view None when the filter's own count is hidden
    in the wider view (shown apart, it would give that hidden count away)."""
    engine = request.app[_console().CONVERSATIONS_DB]
    with engine.begin() as connection:
        rollup.refresh(connection, max_age=max_age)
        names = labels(place)

        def build(departments, channel):
            return dashboard.build(connection, filters.first_month, filters.last_month, labels=names,
                                   departments=departments, channel=channel)

        view = build(filters.departments(place), filters.channel)
        if filters.department and _hidden(build(None, filters.channel), "departement", filters.department):
            view = None
        if filters.channel and _hidden(build(None, None), "canal", filters.channel):
            view = None
        at = rollup.summed_at(connection, filters.last_month)
        channels = list(rollup.channels(connection))
    return view, at, channels


def _hidden(wider: dashboard.View, chart: str, slug: str) -> bool:
    return any(bar.slug == slug and bar.value is None for bar in wider.chart(chart).bars)


def _title(filters: Filters, place: Territory) -> str:
    if filters.department:
        return f"{place.departments[filters.department][0] or 'Département'} ({filters.department})"
    if filters.region:
        return place.regions[filters.region] or f"Région {filters.region}"
    return "Toutes les conversations"


async def dashboard_page(request: web.Request) -> web.Response:
    console = _console()
    place = territory(request)
    filters, typed, errors = read_filters(request.query, place)
    view, at, channels = (None, None, [])
    if not errors:
        view, at, channels = _view(request, filters, place, max_age=FRESHNESS_SECONDS)
        if view is None:
            errors["filtres"] = TOO_FEW
    return console.render(
        request, "indicators.html", status=422 if set(errors) - {"filtres"} else 200, view=view, typed=typed, errors=errors,
        query=filters.query(), place=place, channels=channels, channel_labels=dashboard.CHANNEL_LABELS,
        scope=_title(filters, place), summed_at=_clock(at), number=number,
        report_query={"annee": filters.last_month[:4], **{name: value for name, value in filters.query().items()
                                                          if name in ("region", "departement", "canal")}},
        dimensions=[(slug, header) for slug, (header, _) in counting.DIMENSIONS.items()])


def _clock(at: Optional[float]) -> str:
    if at is None:
        return ""
    return dt.datetime.fromtimestamp(at, tz=dt.timezone.utc).strftime("%d/%m/%Y à %H:%M UTC")


def number(value: Any, unit: str = "", threshold: int = DEFAULT_THRESHOLD, secret: bool = False) -> str:
    """200000 → "200 000"; 75.1 → "75,1 %"; None → "< 5", "secret" (a larger value
    hidden with a small one) or "—" for a rate not published."""
    if value is None:
        return "—" if unit else SECRET if secret else f"< {threshold}"
    if isinstance(value, float):
        text = f"{value:,.1f}".replace(",", "\u202f").replace(".", ",")
    else:
        text = f"{value:,}".replace(",", "\u202f")
    return f"{text}\u00a0{unit}" if unit else text


async def csv_download(request: web.Request) -> web.Response:
    """?vue=<chart> (the chart's table, as shown) or ?par=besoin,departement (a cross
    table counted from the facts over the same filters); ?sep=; for spreadsheets."""
    place = territory(request)
    filters, _, errors = read_filters(request.query, place)
    separator = ";" if request.query.get("sep") == ";" else ","
    if errors:
        return _refused(request, "Filtres à corriger : " + " ".join(errors.values()))
    crossed = request.query.get("par") or ",".join(request.query.getall("dimension", []))
    if "vue" not in request.query:
        try:
            by = counting.dimensions(crossed)
            if not by:
                raise ValueError("Cochez au moins une dimension à croiser.")
        except ValueError as error:
            return _refused(request, str(error)[:1].upper() + str(error)[1:].rstrip(".") + ".")
        if (filters.department or filters.channel) and _view(request, filters, place, max_age=FRESHNESS_SECONDS)[0] is None:
            return _refused(request, TOO_FEW)
        first = dt.date.fromisoformat(filters.first_month + "-01")
        year, month = (int(part) for part in filters.last_month.split("-"))
        last = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1))
        with request.app[_console().CONVERSATIONS_DB].connect() as connection:
            cells = counting.count(connection, first, last, by, departments=filters.departments(place),
                                   channel=filters.channel)
        text, name = counting.to_csv(cells, by, separator=separator), "_".join(by)
    else:
        view, _, _ = _view(request, filters, place, max_age=FRESHNESS_SECONDS)
        if view is None:
            return _refused(request, TOO_FEW)
        slug = request.query.get("vue", "")
        if slug not in {chart.slug for chart in view.charts}:
            return _refused(request, "Tableau inconnu : choisissez-en un sur le tableau de bord.", 404)
        text, name = chart_csv(view.chart(slug), view.threshold, separator), slug
    return web.Response(text="\ufeff" + text, content_type="text/csv", charset="utf-8", headers={
        "Content-Disposition": f'attachment; filename="indicateurs_{name}_{filters.first_month}_'
                               f'{filters.last_month}.csv"'})


def _refused(request: web.Request, message: str, status: int = 422) -> web.Response:
    return _console().render(request, "error.html", status=status, message=message)


def chart_csv(chart: dashboard.Chart, threshold: int, separator: str = ",") -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=separator, lineterminator="\n")
    writer.writerow([chart.title, "Conversations"])
    for bar in chart.bars:
        writer.writerow([bar.label, number(bar.value, threshold=threshold, secret=bar.secret).replace("\u202f", "")])
    if chart.partition:
        writer.writerow(["Total", f"< {threshold}" if chart.total is None else chart.total])
    return out.getvalue()


# Annual report -------------------------------------------------------------------

def _report(request: web.Request) -> dict:
    place = territory(request)
    typed_year = request.query.get("annee", "").strip()
    this_year = dt.date.today().year
    year = int(typed_year) if typed_year.isdigit() and 2000 <= int(typed_year) <= this_year else None
    query = {**request.query, "du": f"{year or this_year}-01", "au": f"{year or this_year}-12"}
    filters, typed, errors = read_filters(query, place)
    if year is None and typed_year:
        errors["annee"] = f"Année attendue entre 2000 et {this_year}."
    if errors:
        raise ReportRefused("Paramètres à corriger : " + " ".join(errors.values()))
    year = year or this_year
    view, at, _ = _view(request, filters, place, max_age=0)
    if view is None:
        raise ReportRefused(TOO_FEW)
    before = Filters(f"{year - 1}-01", f"{year - 1}-12", filters.region, filters.department, filters.channel)
    previous, _, _ = _view(request, before, place, max_age=0)
    if previous is None:  # the year before is not published for so few: only this year
        previous = dashboard.View(before.first_month, before.last_month, view.threshold, None,
                                  figures=[dashboard.Figure(f.slug, f.label, None, f.unit) for f in view.figures])
    from bot.retention import DEFAULT_DAYS

    return {"view": view, "previous": previous, "year": year, "scope": _title(filters, place),
            "query": {**filters.query(), "annee": str(year)}, "summed_at": _clock(at), "number": number,
            "change": change, "retention_days": DEFAULT_DAYS, "threshold": view.threshold,
            "made_on": dt.date.today().strftime("%d/%m/%Y")}


def change(now: Optional[float], before: Optional[float]) -> str:
    """"+12,5 %" from one year to the next; "—" when either is hidden or zero."""
    if now is None or not before:
        return "—"
    rate = 100 * (now - before) / before
    return f"{'+' if rate >= 0 else '−'}{abs(rate):.1f}\u00a0%".replace(".", ",")


PDF_BASE = "http://console.invalid/"  # resolves the page's links; only its own stylesheets are served


def _static_fetcher():
    """WeasyPrint reads the page's own stylesheets from the package, and nothing else
    (no request leaves the server while a report is made)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnly(URLFetcher):
        def fetch(self, url, headers=None):
            name = url.rsplit("/static/", 1)[-1] if url.startswith(PDF_BASE) and "/static/" in url else ""
            if name not in ("console.css", "report.css"):
                raise ValueError(f"not fetched for a report: {url[:80]}")
            return URLFetcherResponse(url, (STATIC / name).read_bytes(), {"Content-Type": "text/css; charset=utf-8"})

    return StaticOnly()


class ReportRefused(ValueError):
    pass


async def report_page(request: web.Request) -> web.Response:
    try:
        context = _report(request)
    except ReportRefused as error:
        return _refused(request, str(error))
    return _console().render(request, "indicators_report.html", **context, for_pdf=False)


async def report_pdf(request: web.Request) -> web.Response:
    """The same page through WeasyPrint (Debian's Pango), with its print style."""
    console = _console()
    try:
        context = _report(request)
    except ReportRefused as error:
        return _refused(request, str(error))
    html = console.render(request, "indicators_report.html", **context, for_pdf=True).text
    try:
        from weasyprint import HTML
    except OSError:  # Pango missing: the page itself still prints from the browser
        raise web.HTTPServiceUnavailable(text="Le PDF ne peut pas être produit sur ce serveur (bibliothèque Pango "
                                              "absente). Imprimez la page du bilan depuis le navigateur.") from None
    pdf = HTML(string=html, base_url=PDF_BASE, url_fetcher=_static_fetcher()).write_pdf()
    name = f"bilan_{context['year']}_{context['scope']}".lower()
    name = re.sub(r"[^a-z0-9]+", "_", name.encode("ascii", "ignore").decode()).strip("_")
    return web.Response(body=pdf, content_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{name}.pdf"'})
