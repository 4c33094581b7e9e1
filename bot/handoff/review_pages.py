"""The review pages of the console (role reviewer): the list of conversations with
filters and counts (summary rows only), the triage inbox of messages by NLU
confidence, one transcript with what the NLU read of each message and the forms to
annotate it, tag the conversation and mask a personal datum that escaped the
redactor. Exports to the NLU are for admins. Every action is audited (ids only)."""
from __future__ import annotations

import json
from datetime import date, datetime, timezone

import sqlalchemy as sa
from aiohttp import web

from bot.handoff import accounts
from bot.review import annotating, export, reading, redaction, store
from directory.vocabulary import Need, Network, Public

ROUTES = ("review", "review_triage", "review_transcript", "review_annotate_message", "review_redact",
          "review_annotate_conversation")
ADMIN_ROUTES = ("review_exports", "review_export", "review_export_file", "review_tag_add")
FLAGS = {"repli": "fell_back", "pas_ma_question": "wrong_need", "conseiller": "handoff",
         "faible": "low_confidence", "note": "rated"}
REDACT_ACTION = "review.redact"


def add_routes(app: web.Application) -> None:
    # Fixed paths before /revue/{sender_id}, which would match them.
    app.router.add_get("/revue", review_list, name="review")
    app.router.add_get("/revue/messages", review_triage, name="review_triage")
    app.router.add_get("/revue/exports", review_exports, name="review_exports")
    app.router.add_post("/revue/exports", review_export, name="review_export")
    app.router.add_post("/revue/etiquettes", add_tag, name="review_tag_add")
    app.router.add_get("/revue/exports/{export_id:\\d+}/{kind:entrainement|mise_de_cote}.yml", review_export_file,
                       name="review_export_file")
    app.router.add_get("/revue/{sender_id}", review_transcript, name="review_transcript")
    app.router.add_post("/revue/{sender_id}/messages/{event_id:\\d+}/annotation", annotate_message,
                        name="review_annotate_message")
    app.router.add_post("/revue/{sender_id}/messages/{event_id:\\d+}/masquer", redact_message, name="review_redact")
    app.router.add_post("/revue/{sender_id}/annotation", annotate_conversation, name="review_annotate_conversation")


def _console():
    from bot.handoff import console

    return console


def read_filters(query) -> tuple[reading.Filters, dict, dict]:
    """(filters, the values typed, French errors by field)."""
    typed = {name: query.get(name, "").strip() for name in
             ("du", "au", "canal", "besoin", "situation", "departement", "reseau", "etiquette", "annotee", "tri",
              *FLAGS)}
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
    if typed["annotee"] not in ("", "oui", "non"):
        errors["annotee"] = "Choisissez dans la liste."
    if typed["tri"] not in ("", *reading.SORTS):
        errors["tri"] = "Choisissez dans la liste."
    filters = reading.Filters(
        start=dates.get("du"), end=dates.get("au"), channel=typed["canal"] or None,
        need=typed["besoin"] or None, public=typed["situation"] or None,
        department=typed["departement"] or None, network=typed["reseau"] or None,
        tag=typed["etiquette"] or None, annotated={"oui": True, "non": False}.get(typed["annotee"]),
        sort=typed["tri"] or "recentes",
        **{attribute: typed[flag] == "oui" for flag, attribute in FLAGS.items()})
    return filters, typed, errors


async def review_list(request: web.Request) -> web.Response:
    console = _console()
    filters, typed, errors = read_filters(request.query)
    page = int(request.query["page"]) if request.query.get("page", "").isdigit() else 1
    total, rows = 0, []
    with request.app[console.CONVERSATIONS_DB].connect() as connection:
        tags = store.tag_choices(connection)
        if not errors:
            total, rows = reading.conversation_page(connection, filters, page)
    with request.app[console.STAFF_DB].begin() as session:
        redactions = session.scalar(sa.select(sa.func.count()).select_from(accounts.AuditEntry)
                                    .where(accounts.AuditEntry.action == REDACT_ACTION))
    for row in rows:
        row["last_text"] = datetime.fromtimestamp(row["last_at"], tz=timezone.utc).strftime("%d/%m/%Y %H:%M")
    pages = max(1, -(-total // reading.PAGE_SIZE))
    query = {name: value for name, value in typed.items() if value}
    return console.render(
        request, "review.html", status=422 if errors else 200, rows=rows, total=total, page=page, pages=pages,
        typed=typed, errors=errors, query=query, needs=[(n.value, n.label) for n in Need],
        publics=[(p.value, p.label) for p in Public], networks=[(n.value, n.label) for n in Network],
        tags=tags, sorts=[(slug, label) for slug, (label, _) in reading.SORTS.items()], redactions=redactions)


def _thresholds(request: web.Request) -> reading.Thresholds:
    low, high = request.app[_console().SETTINGS].triage_thresholds
    return reading.Thresholds(low, high)


async def review_triage(request: web.Request) -> web.Response:
    """The inbox: one confidence band at a time, corrected messages first."""
    console = _console()
    band = request.query.get("bande", "a_traiter")
    band = band if band in reading.BANDS else "a_traiter"
    include_annotated = request.query.get("annotes") == "oui"
    page = int(request.query["page"]) if request.query.get("page", "").isdigit() else 1
    with request.app[console.CONVERSATIONS_DB].connect() as connection:
        counts, rows = reading.triage_page(connection, band, _thresholds(request),
                                           include_annotated=include_annotated, page=page)
    pages = max(1, -(-counts[band] // reading.PAGE_SIZE))
    query = {"bande": band, **({"annotes": "oui"} if include_annotated else {})}
    return console.render(request, "review_triage.html", band=band, bands=reading.BANDS, counts=counts, rows=rows,
                          page=page, pages=pages, query=query, include_annotated=include_annotated,
                          thresholds=_thresholds(request))


async def review_transcript(request: web.Request, errors: dict | None = None, status: int = 200,
                            typed: dict | None = None) -> web.Response:
    console = _console()
    sender_id = request.match_info["sender_id"]
    with request.app[console.CONVERSATIONS_DB].connect() as connection:
        turns, slots = reading.transcript(connection, sender_id)
        indexed = annotating.message_annotations(connection, sender_id)
        review = annotating.conversation_review(connection, sender_id)
        tags = store.tag_choices(connection)
    if not turns:
        raise web.HTTPNotFound(text="Conversation introuvable (elle a peut-être été effacée).")
    if request.method == "GET":
        with request.app[console.STAFF_DB].begin() as session:
            accounts.record(session, request["staff"].login, "review.open", f"conversation:{sender_id[:12]}")
    known = annotating.vocabulary()
    return console.render(request, "review_transcript.html", status=status, sender_id=sender_id, turns=turns,
                          slots=slots, labels={n.value: n.label for n in Network}, indexed=indexed, review=review,
                          tags=tags, chosen_tags=set(review["tags"].strip(",").split(",")) - {""},
                          intents=known.intents, entities=known.entities, errors=errors or {}, typed=typed or {},
                          as_lines=annotating.entities_as_lines, saved=request.query.get("enregistre"))


def _back_to(request: web.Request, sender_id: str, anchor: str, saved: str) -> web.HTTPSeeOther:
    url = request.app.router["review_transcript"].url_for(sender_id=sender_id).with_query(enregistre=saved)
    return web.HTTPSeeOther(f"{url}#{anchor}")


async def annotate_message(request: web.Request) -> web.Response:
    console = _console()
    sender_id, event_id = request.match_info["sender_id"], int(request.match_info["event_id"])
    form = await request.post()
    intent, typed_entities = str(form.get("intention", "")).strip(), str(form.get("entites", ""))
    known = annotating.vocabulary()
    errors = []
    if intent not in known.intents:
        errors.append("Choisissez l'intention juste dans la liste.")
    with request.app[console.CONVERSATIONS_DB].begin() as connection:
        turns, _ = reading.transcript(connection, sender_id)
        message = next((t for t in turns if t.event_id == event_id and t.speaker == "person"), None)
        if message is None:
            raise web.HTTPNotFound(text="Message introuvable dans cette conversation.")
        entities, entity_errors = annotating.parse_entities(typed_entities, message.text, known.entities)
        errors += entity_errors
        if not errors and not annotating.annotate_message(connection, event_id, intent=intent, entities=entities,
                                                          login=request["staff"].login):
            errors.append("Ce message n'est pas encore dans l'index de revue : rechargez la page plus tard.")
    if errors:
        return await review_transcript(request, errors={event_id: errors}, status=422,
                                       typed={event_id: {"intention": intent, "entites": typed_entities}})
    with request.app[console.STAFF_DB].begin() as session:
        accounts.record(session, request["staff"].login, "review.annotate", f"message:{event_id}")
    raise _back_to(request, sender_id, f"m{event_id}", "message")


async def redact_message(request: web.Request) -> web.Response:
    console = _console()
    sender_id, event_id = request.match_info["sender_id"], int(request.match_info["event_id"])
    form = await request.post()
    engine = request.app[console.CONVERSATIONS_DB]
    with engine.begin() as connection:
        rewritten = redaction.redact_again(connection, sender_id, event_id, str(form.get("passage", "")))
    if rewritten is None:
        raise web.HTTPNotFound(text="Message introuvable dans cette conversation.")
    redaction.flush_sqlite(engine)
    with request.app[console.STAFF_DB].begin() as session:
        accounts.record(session, request["staff"].login, REDACT_ACTION, f"message:{event_id}")
    raise _back_to(request, sender_id, f"m{event_id}", "masque")


async def annotate_conversation(request: web.Request) -> web.Response:
    console = _console()
    sender_id = request.match_info["sender_id"]
    form = await request.post()
    comment = str(form.get("commentaire", ""))
    if len(comment) > 2000:
        return await review_transcript(request, errors={"commentaire": ["Commentaire trop long (2 000 signes au plus)."]},
                                       status=422, typed={"commentaire": comment})
    with request.app[console.CONVERSATIONS_DB].begin() as connection:
        annotating.review_conversation(connection, sender_id, chosen_tags=[str(t) for t in form.getall("etiquette", [])],
                                       comment=comment, login=request["staff"].login)
    with request.app[console.STAFF_DB].begin() as session:
        accounts.record(session, request["staff"].login, "review.tag", f"conversation:{sender_id[:12]}")
    raise _back_to(request, sender_id, "etiquettes", "conversation")


async def review_exports(request: web.Request, status: int = 200, typed_tag: str = "",
                         tag_error: str = "") -> web.Response:
    console = _console()
    with request.app[console.CONVERSATIONS_DB].connect() as connection:
        pending = connection.execute(sa.select(sa.func.count()).select_from(store.messages).where(
            store.messages.c.annotated_at.is_not(None), store.messages.c.exported_at.is_(None))).scalar()
        done = connection.execute(sa.select(store.exports.c.id, store.exports.c.created_at, store.exports.c.created_by,
                                            store.exports.c.counts).order_by(store.exports.c.id.desc())).all()
        tags = store.tag_choices(connection)
    rows = [{"id": row.id, "by": row.created_by, "counts": json.loads(row.counts),
             "at": datetime.fromtimestamp(row.created_at, tz=timezone.utc).strftime("%d/%m/%Y %H:%M")} for row in done]
    return console.render(request, "review_exports.html", status=status, pending=pending, rows=rows, tags=tags,
                          share=int(export.HELD_OUT_SHARE * 100), created=request.query.get("cree"),
                          tag_error=tag_error, tag_added=request.query.get("etiquette"), typed_tag=typed_tag)


async def add_tag(request: web.Request) -> web.Response:
    """A new review tag (admins): tags are data, offered at once to every reviewer."""
    console = _console()
    label = str((await request.post()).get("libelle", "")).strip()
    slug = None
    if 2 <= len(label) <= 120:
        with request.app[console.CONVERSATIONS_DB].begin() as connection:
            slug = store.add_tag(connection, label)
    if slug is None:
        return await review_exports(request, status=422, typed_tag=label, tag_error=(
            "Libellé de 2 à 120 caractères, avec au moins une lettre ou un chiffre, "
            "et différent des étiquettes existantes."))
    with request.app[console.STAFF_DB].begin() as session:
        accounts.record(session, request["staff"].login, "review.tag_add", f"tag:{slug}")
    raise web.HTTPSeeOther(request.app.router["review_exports"].url_for().with_query(etiquette=slug))


async def review_export(request: web.Request) -> web.Response:
    console = _console()
    with request.app[console.CONVERSATIONS_DB].begin() as connection:
        export_id, *_ = export.run(connection, annotating.vocabulary(), request["staff"].login)
    with request.app[console.STAFF_DB].begin() as session:
        accounts.record(session, request["staff"].login, "review.export", f"export:{export_id}")
    raise web.HTTPSeeOther(request.app.router["review_exports"].url_for().with_query(cree=str(export_id)))


async def review_export_file(request: web.Request) -> web.Response:
    console = _console()
    export_id, kind = int(request.match_info["export_id"]), request.match_info["kind"]
    column = store.exports.c.train_yaml if kind == "entrainement" else store.exports.c.held_out_yaml
    with request.app[console.CONVERSATIONS_DB].connect() as connection:
        text = connection.execute(sa.select(column).where(store.exports.c.id == export_id)).scalar()
    if text is None:
        raise web.HTTPNotFound(text="Export introuvable.")
    with request.app[console.STAFF_DB].begin() as session:
        accounts.record(session, request["staff"].login, "review.download", f"export:{export_id}:{kind}")
    return web.Response(text=text, content_type="application/x-yaml", charset="utf-8", headers={
        "Content-Disposition": f'attachment; filename="revue_{export_id}_{kind}.yml"'})
