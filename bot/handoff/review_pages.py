"""The review pages of the console (role reviewer): the list of conversations with
filters and counts (summary rows only), and one transcript with what the NLU read
of each message. Opening a transcript is audited (its id only)."""
from __future__ import annotations

from datetime import date, datetime, timezone

from aiohttp import web

from bot.handoff import accounts
from bot.review import reading
from directory.vocabulary import Need, Network, Public

ROUTES = ("review", "review_transcript")
FLAGS = {"repli": "fell_back", "pas_ma_question": "wrong_need", "conseiller": "handoff",
         "faible": "low_confidence", "note": "rated"}


def add_routes(app: web.Application) -> None:
    app.router.add_get("/revue", review_list, name="review")
    app.router.add_get("/revue/{sender_id}", review_transcript, name="review_transcript")


def _console():
    from bot.handoff import console

    return console


def read_filters(query) -> tuple[reading.Filters, dict, dict]:
    """(filters, the values typed, French errors by field)."""
    typed = {name: query.get(name, "").strip() for name in
             ("du", "au", "canal", "besoin", "situation", "departement", "reseau", *FLAGS)}
    errors, dates = {}, {}
    for name in ("du", "au"):
        if typed[name]:
            try:
                dates[name] = date.fromisoformat(typed[name])
            except ValueError:
                errors[name] = "Date attendue au format AAAA-MM-JJ, par exemple 2026-12-01."
    checks = (("besoin", Need), ("situation", Public), ("reseau", Network))
    for name, enum in checks:
        if typed[name] and typed[name] not in {member.value for member in enum}:
            errors[name] = "Choisissez dans la liste."
    filters = reading.Filters(
        start=dates.get("du"), end=dates.get("au"), channel=typed["canal"] or None,
        need=typed["besoin"] or None, public=typed["situation"] or None,
        department=typed["departement"] or None, network=typed["reseau"] or None,
        **{attribute: typed[flag] == "oui" for flag, attribute in FLAGS.items()})
    return filters, typed, errors


async def review_list(request: web.Request) -> web.Response:
    console = _console()
    filters, typed, errors = read_filters(request.query)
    page = int(request.query["page"]) if request.query.get("page", "").isdigit() else 1
    total, rows = 0, []
    if not errors:
        with request.app[console.CONVERSATIONS_DB].connect() as connection:
            total, rows = reading.conversation_page(connection, filters, page)
    for row in rows:
        row["last_text"] = datetime.fromtimestamp(row["last_at"], tz=timezone.utc).strftime("%d/%m/%Y %H:%M")
    pages = max(1, -(-total // reading.PAGE_SIZE))
    query = {name: value for name, value in typed.items() if value}
    return console.render(
        request, "review.html", status=422 if errors else 200, rows=rows, total=total, page=page, pages=pages,
        typed=typed, errors=errors, query=query, needs=[(n.value, n.label) for n in Need],
        publics=[(p.value, p.label) for p in Public], networks=[(n.value, n.label) for n in Network])


async def review_transcript(request: web.Request) -> web.Response:
    console = _console()
    sender_id = request.match_info["sender_id"]
    with request.app[console.CONVERSATIONS_DB].connect() as connection:
        turns, slots = reading.transcript(connection, sender_id)
    if not turns:
        raise web.HTTPNotFound(text="Conversation introuvable (elle a peut-être été effacée).")
    with request.app[console.STAFF_DB].begin() as session:
        accounts.record(session, request["staff"].login, "review.open", f"conversation:{sender_id[:12]}")
    return console.render(request, "review_transcript.html", sender_id=sender_id, turns=turns, slots=slots,
                          labels={n.value: n.label for n in Network})
