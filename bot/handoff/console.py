"""Counsellor console: an aiohttp sub-application, mounted by the web app under
/conseil/ with `mount_console(app, ConsoleSettings.from_env())`.

Pages: login, conversations waiting for / held by a counsellor, one conversation
(redacted history, take it, reply, send referral cards, hand back to the assistant),
the referral desk (desk.py). "Prendre" locks a
conversation to one counsellor (assignments.py): colleagues are refused (409) unless
they take it over ("Reprendre", logged). The replies go
through Rasa's HTTP API (`counsellor_message`, `counsellor_hand_back`).
Security: session = random token in an HttpOnly, SameSite=Strict, Secure cookie
(Secure can be turned off for http://localhost); a CSRF token on every POST form,
checked by a middleware; a fixed delay after a failed login; no texts in logs.
The list refreshes itself (static/console-refresh.js loads fragments/conversations
every REFRESH_SECONDS; the only script, hence CSP script-src 'self', nothing inline).
"""
from __future__ import annotations

import asyncio
import hmac
import os
import secrets
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from typing import Any, Awaitable, Callable, Optional

import aiohttp
import jinja2
import sqlalchemy as sa
from aiohttp import web

from bot import templating
from bot.handoff import (accounts, accounts_admin, assignments, conversations, desk, indicator_pages, rasa_api,
                         review_pages)
from bot.handoff.login_guard import LoginGuard

HERE = Path(__file__).parent
SESSION_COOKIE = "spro_conseil"
LOGIN_CSRF_COOKIE = "spro_conseil_csrf"  # double-submit token of the login form
MAX_MESSAGE = 1000
TAKE_MESSAGE = ("Bonjour, je suis conseiller·e du service d'orientation. "
                "Je lis votre échange avec l'assistant et je vous réponds ici.")
PUBLIC_ROUTES = ("login", "login_post", "static")
# What each page needs; a page absent from here is open to any logged-in account.
COUNSELLOR_ROUTES = ("conversations", "conversations_fragment", "conversation", "take", "reply",
                     "hand_back", "take_over", "send_referral", "desk")
ADMIN_ROUTES = ("directory", "structure_add", "structure_add_post", "directory_import",
                "directory_import_post", "structure", "structure_post", "structure_close", "audit",
                *accounts_admin.ROUTES, *review_pages.ADMIN_ROUTES)
REVIEWER_ROUTES = review_pages.ROUTES
# Pages open to either of several roles: the indicators serve reviewers and admins.
SHARED_ROUTES = {name: (accounts.Role.REVIEWER, accounts.Role.ADMIN) for name in indicator_pages.ROUTES}
REFRESH_SECONDS = 15  # console-refresh.js reloads the list of conversations


@dataclass(frozen=True)
class ConsoleSettings:
    rasa_url: str = "http://localhost:5005"
    rasa_token: Optional[str] = None
    staff_database_url: Optional[str] = None  # default: $SPRO_STAFF_DATABASE_URL, var/staff.sqlite
    conversations_database_url: Optional[str] = None  # default: bot.conversations_db
    directory_database_url: Optional[str] = None  # default: directory.db (var/directory.sqlite)
    secure_cookie: bool = True  # False only for http://localhost during development
    cookie_path: str = "/conseil/"
    failed_login_delay: float = 2.0  # seconds, slows password guessing
    session_lifetime: timedelta = timedelta(hours=8)
    idle_timeout: timedelta = accounts.IDLE_TIMEOUT
    # Triage inbox: under the first "à traiter", up to the second "à vérifier", above "sûr".
    triage_thresholds: tuple = (0.6, 0.95)

    @classmethod
    def from_env(cls) -> "ConsoleSettings":
        return cls(
            rasa_url=os.environ.get("SPRO_RASA_URL", cls.rasa_url),
            rasa_token=os.environ.get("SPRO_RASA_TOKEN") or None,
            staff_database_url=os.environ.get(accounts.ENV_VAR) or None,
            conversations_database_url=os.environ.get("CONVERSATIONS_DATABASE_URL") or None,
            directory_database_url=os.environ.get("DIRECTORY_DATABASE_URL") or None,
            secure_cookie=os.environ.get("SPRO_CONSOLE_SECURE_COOKIE", "1") != "0",
            triage_thresholds=triage_thresholds(os.environ.get("SPRO_TRIAGE_THRESHOLDS", "")),
        )


def triage_thresholds(typed: str) -> tuple:
    """SPRO_TRIAGE_THRESHOLDS="0.6,0.95" → (0.6, 0.95); refused, with the reason,
    unless 0 <= low < high <= 1."""
    if not typed.strip():
        return ConsoleSettings.triage_thresholds
    try:
        low, high = (float(part) for part in typed.split(","))
    except ValueError:
        raise SystemExit(f"SPRO_TRIAGE_THRESHOLDS : deux nombres séparés par une virgule attendus, "
                         f"par exemple 0.6,0.95 (reçu : {typed!r}).") from None
    if not 0 <= low < high <= 1:
        raise SystemExit("SPRO_TRIAGE_THRESHOLDS : il faut 0 <= bas < haut <= 1, par exemple 0.6,0.95.")
    return (low, high)


SETTINGS = web.AppKey("settings", ConsoleSettings)
STAFF_DB = web.AppKey("staff_db", object)
CONVERSATIONS_DB = web.AppKey("conversations_db", object)
DIRECTORY_DB = web.AppKey("directory_db", object)
HTTP = web.AppKey("http", aiohttp.ClientSession)
LOGIN_GUARD = web.AppKey("login_guard", LoginGuard)
TEMPLATES = web.AppKey("templates", jinja2.Environment)


def mount_console(parent: web.Application, settings: ConsoleSettings,
                  prefix: str = "/conseil/") -> web.Application:
    """Adds the console to the web app under `prefix` (its cookie path)."""
    console = create_console_app(settings if settings.cookie_path == prefix
                                 else replace(settings, cookie_path=prefix))
    parent.add_subapp(prefix, console)
    return console


def create_console_app(settings: ConsoleSettings) -> web.Application:
    app = web.Application(middlewares=[security_middleware])
    app[SETTINGS] = settings
    app[TEMPLATES] = jinja2.Environment(
        loader=templating.loader(HERE / "templates"), autoescape=True,
        undefined=jinja2.StrictUndefined)
    app.cleanup_ctx.append(_resources)
    app.router.add_get("/", index, name="index")
    app.router.add_get("/connexion", login_page, name="login")
    app.router.add_post("/connexion", login, name="login_post")
    app.router.add_post("/deconnexion", logout, name="logout")
    app.router.add_get("/conversations", conversation_list, name="conversations")
    app.router.add_get("/fragments/conversations", conversation_list_fragment,
                       name="conversations_fragment")
    app.router.add_get("/conversations/{sender_id}", conversation_page, name="conversation")
    app.router.add_post("/conversations/{sender_id}/prendre", take, name="take")
    app.router.add_post("/conversations/{sender_id}/repondre", reply, name="reply")
    app.router.add_post("/conversations/{sender_id}/rendre", hand_back, name="hand_back")
    app.router.add_post("/conversations/{sender_id}/reprendre", take_over, name="take_over")
    app.router.add_post("/conversations/{sender_id}/orientation", send_referral, name="send_referral")
    app.router.add_get("/orienter", desk_page, name="desk")
    app.router.add_static("/static", HERE / "static", name="static")
    from bot.handoff import directory_admin

    directory_admin.add_routes(app)
    accounts_admin.add_routes(app)
    review_pages.add_routes(app)
    indicator_pages.add_routes(app)
    return app


async def _resources(app: web.Application):
    """Databases and the HTTP client live as long as the application (no I/O at import)."""
    from bot.conversations_db import database_url, make_engine
    from directory.db import make_reader_engine
    from directory.db import make_session_factory as make_directory_sessions

    settings = app[SETTINGS]
    app[STAFF_DB] = accounts.make_session_factory(settings.staff_database_url)
    app[CONVERSATIONS_DB] = make_engine(database_url(settings.conversations_database_url))
    from bot.review import store as review_store, summaries

    # The review's own tables (Rasa creates its events table itself).
    summaries.create(app[CONVERSATIONS_DB])
    review_store.create(app[CONVERSATIONS_DB])
    from bot.indicators import rollup

    rollup.create(app[CONVERSATIONS_DB])  # the facts and their monthly sums
    # Read only, never created here (a missing directory is an error the desk says).
    directory_engine = make_reader_engine(settings.directory_database_url)
    app[DIRECTORY_DB] = make_directory_sessions(directory_engine)
    app[LOGIN_GUARD] = LoginGuard()  # made in the running loop (it holds a semaphore)
    async with aiohttp.ClientSession() as client:
        app[HTTP] = client
        yield
    directory_engine.dispose()
    app[CONVERSATIONS_DB].dispose()
    app[STAFF_DB].kw["bind"].dispose()


# Middleware ---------------------------------------------------------------------

@web.middleware
async def security_middleware(request: web.Request,
                              handler: Callable[[web.Request], Awaitable[web.StreamResponse]]):
    app = request.app
    with app[STAFF_DB].begin() as session:
        staff = accounts.session_for(session, request.cookies.get(SESSION_COOKIE),
                                     request.app[SETTINGS].idle_timeout)
    request["staff"] = staff
    route = request.match_info.route.name
    if request.method == "POST":
        form = await request.post()
        expected = staff.csrf_token if staff else request.cookies.get(LOGIN_CSRF_COOKIE)
        given = str(form.get("csrf_token", ""))
        if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
            response = render(request, "error.html", status=403,
                              message="Le formulaire a expiré ou ne vient pas de cette console. "
                                      "Rechargez la page puis recommencez.")
            return _harden(response)
    if staff is None and route not in PUBLIC_ROUTES:
        raise web.HTTPSeeOther(request.app.router["login"].url_for())
    needed = roles_needed(route)
    if needed and not any(staff.has(role) for role in needed):
        names = " ou ".join(f"« {role.label} »" for role in needed)
        return _harden(render(request, "error.html", status=403, message=(
            f"Cette page est réservée au{'x' if len(needed) > 1 else ''} rôle{'s' if len(needed) > 1 else ''} "
            f"{names}, que votre compte n'a pas.")))
    return _harden(await handler(request))


def roles_needed(route: Optional[str]) -> tuple:
    """The roles of which an account needs one for this page (none: any account)."""
    if route in SHARED_ROUTES:
        return SHARED_ROUTES[route]
    for role, names in ((accounts.Role.COUNSELLOR, COUNSELLOR_ROUTES), (accounts.Role.ADMIN, ADMIN_ROUTES),
                        (accounts.Role.REVIEWER, REVIEWER_ROUTES)):
        if route in names:
            return (role,)
    return ()


def _harden(response: web.StreamResponse) -> web.StreamResponse:
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; style-src 'self'; script-src 'self'; frame-ancestors 'none'; "
        "form-action 'self'")
    return response


def render(request: web.Request, template: str, status: int = 200, **context: Any) -> web.Response:
    staff = request.get("staff")
    body = request.app[TEMPLATES].get_template(template).render(
        url=lambda name, **parts: str(request.app.router[name].url_for(**parts)),
        static=str(request.app.router["static"].url_for(filename="console.css")),
        staff=staff, csrf_token=staff.csrf_token if staff else context.pop("login_csrf", ""),
        **context)
    return web.Response(text=body, status=status, content_type="text/html", charset="utf-8")


# Login ------------------------------------------------------------------------

async def index(request: web.Request) -> web.Response:
    raise web.HTTPSeeOther(_home(request))


def _home(request: web.Request):
    staff = request.get("staff")
    if staff is not None and not staff.has(accounts.Role.COUNSELLOR):
        if staff.has(accounts.Role.ADMIN):
            return request.app.router["directory"].url_for()
        if staff.has(accounts.Role.REVIEWER):
            return request.app.router["review"].url_for()
    return request.app.router["conversations"].url_for()


async def login_page(request: web.Request, error: Optional[str] = None,
                     status: int = 200) -> web.Response:
    if request["staff"] is not None and error is None:
        raise web.HTTPSeeOther(_home(request))
    token = request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(32)
    response = render(request, "login.html", status=status, error=error, login_csrf=token)
    _set_cookie(request, response, LOGIN_CSRF_COOKIE, token, max_age=3600)
    return response


async def login(request: web.Request) -> web.Response:
    form = await request.post()
    login_name, password = str(form.get("login", "")), str(form.get("password", ""))
    guard, settings = request.app[LOGIN_GUARD], request.app[SETTINGS]
    wait = guard.locked_for(login_name)
    if wait:
        minutes = max(1, round(wait / 60))
        return await login_page(request, status=429, error=(
            f"Trop d'essais pour ce compte : réessayez dans {minutes} minute{'s' if minutes > 1 else ''}."))

    def verify():
        with request.app[STAFF_DB].begin() as session:
            counsellor_id = accounts.authenticate(session, login_name, password)
            if counsellor_id is None:
                return None
            accounts.record(session, login_name.strip(), "staff.login")
            return accounts.open_session(session, counsellor_id, settings.session_lifetime)

    token = await guard.check(login_name, verify, settings.failed_login_delay)
    if token is None:
        return await login_page(request, error="Identifiant ou mot de passe incorrect.", status=401)
    response = web.HTTPSeeOther(request.app.router["index"].url_for())
    _set_cookie(request, response, SESSION_COOKIE, token)
    response.del_cookie(LOGIN_CSRF_COOKIE, path=request.app[SETTINGS].cookie_path)
    raise response


async def logout(request: web.Request) -> web.Response:
    with request.app[STAFF_DB].begin() as session:
        accounts.close_session(session, request.cookies.get(SESSION_COOKIE))
    response = web.HTTPSeeOther(request.app.router["login"].url_for())
    response.del_cookie(SESSION_COOKIE, path=request.app[SETTINGS].cookie_path)
    raise response


def _set_cookie(request: web.Request, response: web.StreamResponse, name: str, value: str,
                max_age: Optional[int] = None) -> None:
    settings = request.app[SETTINGS]
    response.set_cookie(name, value, path=settings.cookie_path, httponly=True,
                        secure=settings.secure_cookie, samesite="Strict", max_age=max_age)


# Conversations ----------------------------------------------------------------

NEW, MINE = "new", "mine"  # what _claim did: assigned it now, or it was already ours


async def conversation_list(request: web.Request) -> web.Response:
    return render(request, "conversations.html", refresh_seconds=REFRESH_SECONDS,
                  **_list_context(request))


async def conversation_list_fragment(request: web.Request) -> web.Response:
    """The list alone, for console-refresh.js (same template as the page)."""
    return render(request, "_conversation_list.html", **_list_context(request))


def _list_context(request: web.Request) -> dict:
    with request.app[CONVERSATIONS_DB].connect() as connection:
        items = conversations.handed_over(connection)
    with request.app[STAFF_DB].begin() as session:
        found = assignments.holders(session, [item.sender_id for item in items])
    holders = {item.sender_id: found[item.sender_id] for item in items
               if item.sender_id in found and found[item.sender_id].binds(item.status, item.since)}
    return dict(items=items, holders=holders, summary=summary(items))


def summary(items: list) -> str:
    """What the live region says, e.g. "2 conversations en attente, 1 prise en charge"."""
    waiting = sum(item.status == "waiting" for item in items)
    held = len(items) - waiting
    if not items:
        return "Aucune conversation en attente."
    parts = [f"{waiting} conversation{'s' if waiting > 1 else ''} en attente"] if waiting else []
    if held:
        parts.append(f"{held} prise{'s' if held > 1 else ''} en charge")
    return ", ".join(parts) + "."


async def conversation_page(request: web.Request) -> web.Response:
    sender_id = request.match_info["sender_id"]
    with request.app[CONVERSATIONS_DB].connect() as connection:
        lines = conversations.history(connection, sender_id)
        handed = conversations.current(connection, sender_id)
    if not lines and handed is None:
        raise web.HTTPNotFound(text="Conversation introuvable.")
    return _conversation(request, sender_id, handed, lines, notice=request.query.get("info"))


def _conversation(request: web.Request, sender_id: str,
                  handed: Optional[conversations.HandedOver], lines: list, status: int = 200,
                  **context: Any) -> web.Response:
    holder = _binding_holder(request, handed)
    values = dict(notice=None, error=None, refusal=None, draft="")
    values.update(context)
    return render(request, "conversation.html", status=status, sender_id=sender_id,
                  handoff=handed.status if handed else None, lines=lines, holder=holder,
                  mine=holder is not None and holder.counsellor_id == request["staff"].counsellor_id,
                  max_message=MAX_MESSAGE, **values)


def _binding_holder(request: web.Request, handed: Optional[conversations.HandedOver]
                    ) -> Optional[assignments.Holder]:
    if handed is None:
        return None
    with request.app[STAFF_DB].begin() as session:
        holder = assignments.holder(session, handed.sender_id)
    return holder if holder is not None and holder.binds(handed.status, handed.since) else None


def _claim(request: web.Request, handed: conversations.HandedOver):
    """NEW (assigned to this counsellor now), MINE (already), or the colleague's Holder."""
    me = request["staff"].counsellor_id
    holder = _binding_holder(request, handed)
    if holder is not None:
        return MINE if holder.counsellor_id == me else holder
    try:
        with request.app[STAFF_DB].begin() as session:
            assignments.assign(session, handed.sender_id, me)
    except sa.exc.IntegrityError:  # a colleague took it at the same moment
        holder = _binding_holder(request, handed)
        return holder if holder is not None and holder.counsellor_id != me else MINE
    return NEW


def _release(request: web.Request, sender_id: str) -> None:
    with request.app[STAFF_DB].begin() as session:
        assignments.release(session, sender_id)


def _current(request: web.Request, sender_id: str) -> Optional[conversations.HandedOver]:
    with request.app[CONVERSATIONS_DB].connect() as connection:
        return conversations.current(connection, sender_id)


async def take(request: web.Request) -> web.Response:
    return await _send_as_holder(request, "counsellor_message", {"counsellor_text": TAKE_MESSAGE},
                                 done="prise", skip_when_held=True)


async def reply(request: web.Request) -> web.Response:
    text = str((await request.post()).get("message", "")).strip()
    if not text or len(text) > MAX_MESSAGE:
        return await _invalid_reply(request, text)
    return await _send_as_holder(request, "counsellor_message", {"counsellor_text": text},
                                 done="envoye")


async def hand_back(request: web.Request) -> web.Response:
    return await _send_as_holder(request, "counsellor_hand_back", None, done="rendue",
                                 release=True)


async def take_over(request: web.Request) -> web.Response:
    """"Reprendre": a colleague left; logged (ids only). Nothing is sent to the person."""
    sender_id = request.match_info["sender_id"]
    handed = _current(request, sender_id)
    if handed is None:
        return _see(request, sender_id, "terminee")
    with request.app[STAFF_DB].begin() as session:
        assignments.take_over(session, sender_id, request["staff"].counsellor_id)
    return _see(request, sender_id, "reprise")


async def _send_as_holder(request: web.Request, intent: str, entities: Optional[dict], done: str,
                          release: bool = False, skip_when_held: bool = False) -> web.Response:
    """Sends to Rasa only for the counsellor holding the conversation (taking it when
    nobody does); a colleague's conversation is refused (409) until "Reprendre"."""
    sender_id = request.match_info["sender_id"]
    handed = _current(request, sender_id)
    if handed is None:
        return _see(request, sender_id, "terminee")  # handed back or restarted: nothing sent
    claim = _claim(request, handed)
    if isinstance(claim, assignments.Holder):
        return _refuse(request, handed, claim)
    if skip_when_held and claim == MINE and handed.status == "held":
        return _see(request, sender_id, done)  # already taken by this counsellor
    settings = request.app[SETTINGS]
    accepted = await rasa_api.trigger_intent(request.app[HTTP], settings.rasa_url,
                                             settings.rasa_token, sender_id, intent, entities)
    if (accepted and release) or (not accepted and claim == NEW):
        _release(request, sender_id)
    return _see(request, sender_id, done if accepted else "echec")


def _see(request: web.Request, sender_id: str, info: str) -> web.Response:
    target = request.app.router["conversation"].url_for(sender_id=sender_id)
    raise web.HTTPSeeOther(target.with_query(info=info))


def _refuse(request: web.Request, handed: conversations.HandedOver,
            holder: assignments.Holder) -> web.Response:
    with request.app[CONVERSATIONS_DB].connect() as connection:
        lines = conversations.history(connection, handed.sender_id)
    return _conversation(request, handed.sender_id, handed, lines, status=409, refusal=(
        f"Cette conversation est prise en charge par {holder.login} : rien n'a été envoyé. "
        "Si votre collègue n'est plus disponible, choisissez « Reprendre la conversation »."))


async def _invalid_reply(request: web.Request, text: str) -> web.Response:
    sender_id = request.match_info["sender_id"]
    with request.app[CONVERSATIONS_DB].connect() as connection:
        handed = conversations.current(connection, sender_id)
        lines = conversations.history(connection, sender_id)
    error = ("Écrivez un message avant de l'envoyer." if not text else
             f"Votre message dépasse {MAX_MESSAGE} caractères ({len(text)}) : raccourcissez-le.")
    return _conversation(request, sender_id, handed, lines, status=422, error=error, draft=text)


# Referral desk ------------------------------------------------------------------

def _desk_search(request: web.Request, values) -> tuple:
    from directory.communes import load_resolver

    factory = request.app[DIRECTORY_DB]
    return desk.search(factory, lambda: load_resolver(factory), values)


async def desk_page(request: web.Request) -> web.Response:
    """GET: the form alone, or with the result when a need is given (bookmarkable)."""
    values = dict(request.query)
    sender_id = values.get("conversation") or None
    form, result = (_desk_search(request, values) if values.get("besoin")
                    else (desk.DeskForm(values={name: "" for name in desk.FIELDS}), None))
    handed = _current(request, sender_id) if sender_id else None
    return _desk(request, form, result, handed, status=422 if form.errors else 200)


def _desk(request: web.Request, form, result, handed, status: int = 200, **context: Any) -> web.Response:
    values = dict(error=None)
    values.update(context)
    sender_id = handed.sender_id if handed else None
    base = request.app.router["desk"].url_for()
    candidate_links = [
        (f"{commune.label} ({commune.postcodes[0] if commune.postcodes else commune.insee_code})",
         str(base.with_query({**form.values, "commune": commune.insee_code,
                              **({"conversation": sender_id} if sender_id else {})})))
        for commune in form.candidates]
    return render(request, "desk.html", status=status, form=form, result=result,
                  sender_id=sender_id, candidate_links=candidate_links,
                  information=desk.first_level_information().get(form.query.need) if form.query else None,
                  **desk.choices(), **values)


async def send_referral(request: web.Request) -> web.Response:
    """Sends the chosen cards into a handed-over conversation (as the holder)."""
    posted = await request.post()
    form, result = _desk_search(request, posted)
    sender_id = request.match_info["sender_id"]
    ids = [str(value) for value in posted.getall("carte", [])]
    if result is None or not ids or not set(ids) <= {card.id for card in result.cards}:
        handed = _current(request, sender_id)
        return _desk(request, form, result, handed, status=422,
                     error="Cochez au moins une structure à envoyer à la personne.")
    return await _send_as_holder(request, "counsellor_message",
                                 {desk.REFERRAL_ENTITY: desk.referral_entity(form.query, ids)},
                                 done="orientation")
