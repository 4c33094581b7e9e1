"""The counsellor console, over real HTTP: login, cookies, CSRF, the redacted
history from a real Rasa SQL tracker store, and which calls it makes to Rasa's
HTTP API (a small aiohttp server records them: the proof that a refused form sends
nothing). The console against the real Rasa server: tests/e2e/test_console_on_rasa.py."""
from __future__ import annotations

import asyncio
import re
import warnings

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.handoff import accounts
from tests.support.console import CSRF, PASSWORD
from bot.handoff.console import ConsoleSettings, mount_console



@pytest.fixture
def conversations_url(tmp_path):
    """A real Rasa SQL tracker store holding already-redacted conversations."""
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.events import (ActionExecuted, BotUttered, Restarted, SlotSet,
                                         UserUttered)
    from rasa.shared.core.trackers import DialogueStateTracker

    path = tmp_path / "conversations.sqlite"
    with warnings.catch_warnings():
        # Rasa's store uses SQLAlchemy 1.x APIs (its warnings, not ours).
        warnings.simplefilter("ignore")
        store = SQLTrackerStore(dialect="sqlite", db=str(path))

    def save(sender_id, *events):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Rasa's SQLAlchemy 1.x calls
            asyncio.run(store.save(DialogueStateTracker.from_events(sender_id, list(events))))

    asking = [ActionExecuted("action_listen"),
              UserUttered("Je m'appelle <PERSONNE>, je cherche une formation",
                          intent={"name": "formation", "confidence": 1.0}),
              BotUttered("Vous êtes en emploi ?"), ActionExecuted("action_listen"),
              UserUttered("un conseiller svp", intent={"name": "ask_human", "confidence": 1.0}),
              ActionExecuted("action_handoff"), BotUttered("Je transmets votre demande.")]
    save("citizen-waiting", *asking, SlotSet("handoff_status", "waiting"))
    save("citizen-restarted", *asking, SlotSet("handoff_status", "waiting"), Restarted())
    save("citizen-closed", *asking, SlotSet("handoff_status", "closed"))
    store.engine.dispose()
    return f"sqlite:///{path}"


@pytest.fixture
def fake_rasa():
    """A real HTTP peer standing for Rasa's trigger_intent endpoint."""
    received = []

    async def trigger(request):
        received.append({"path": request.path, "query": dict(request.query),
                         "json": await request.json()})
        return web.json_response({"tracker": {}})

    app = web.Application()
    app.router.add_post("/conversations/{sender_id}/trigger_intent", trigger)
    return app, received


def run_console(staff_url, conversations_url, fake_rasa, scenario, secure_cookie=False, **more_settings):
    rasa_app, received = fake_rasa

    async def main():
        async with TestServer(rasa_app) as rasa_server:
            settings = ConsoleSettings(
                rasa_url=str(rasa_server.make_url("/")), rasa_token="jeton-de-test",
                staff_database_url=staff_url, conversations_database_url=conversations_url,
                secure_cookie=secure_cookie, failed_login_delay=0.0, **more_settings)
            root = web.Application()
            mount_console(root, settings)
            # The Host header holds the port, as a browser's does ("127.0.0.1:port").
            async with TestClient(TestServer(root)) as client:
                await scenario(client, received)

    asyncio.run(main())


async def csrf_of(client, path):
    response = await client.get(path)
    return CSRF.search(await response.text()).group(1)


async def log_in(client, password=PASSWORD):
    token = await csrf_of(client, "/conseil/connexion")
    # Sent explicitly: over plain http the client keeps a Secure cookie to itself.
    return await client.post("/conseil/connexion", allow_redirects=False,
                             cookies={"spro_conseil_csrf": token},
                             data={"login": "camille.test", "password": password, "csrf_token": token})


def test_pages_need_a_login(staff_url, conversations_url, fake_rasa):
    async def scenario(client, received):
        response = await client.get("/conseil/conversations", allow_redirects=False)
        assert response.status == 303
        assert response.headers["Location"] == "/conseil/connexion"
        page = await client.get("/conseil/connexion")
        html = await page.text()
        assert '<html lang="fr">' in html and '<label for="password">Mot de passe</label>' in html

    run_console(staff_url, conversations_url, fake_rasa, scenario)


def test_wrong_password_is_refused(staff_url, conversations_url, fake_rasa):
    async def scenario(client, received):
        response = await log_in(client, password="pas-le-bon-mot-de-passe")
        assert response.status == 401
        assert "Identifiant ou mot de passe incorrect." in await response.text()
        assert "spro_conseil" not in {cookie.key for cookie in client.session.cookie_jar}
        assert (await client.get("/conseil/conversations", allow_redirects=False)).status == 303

    run_console(staff_url, conversations_url, fake_rasa, scenario)


def test_login_without_csrf_token_is_refused(staff_url, conversations_url, fake_rasa):
    async def scenario(client, received):
        await client.get("/conseil/connexion")
        response = await client.post("/conseil/connexion",
                                     data={"login": "camille.test", "password": PASSWORD})
        assert response.status == 403

    run_console(staff_url, conversations_url, fake_rasa, scenario)


def test_session_cookie_flags(staff_url, conversations_url, fake_rasa):
    async def scenario(client, received):
        response = await log_in(client)
        assert response.status == 303
        cookie = next(value for value in response.headers.getall("Set-Cookie")
                      if value.startswith("spro_conseil="))
        assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=Strict" in cookie
        assert "Path=/conseil/" in cookie

    run_console(staff_url, conversations_url, fake_rasa, scenario, secure_cookie=True)


def test_counsellor_reads_the_redacted_history_replies_and_hands_back(
        staff_url, conversations_url, fake_rasa):
    async def scenario(client, received):
        assert (await log_in(client)).status == 303
        listing = await (await client.get("/conseil/conversations")).text()
        assert "/conseil/conversations/citizen-waiting" in listing
        assert "citizen-restarted" not in listing and "citizen-closed" not in listing

        page = await client.get("/conseil/conversations/citizen-waiting")
        html = await page.text()
        assert "Je m&#39;appelle &lt;PERSONNE&gt;, je cherche une formation" in html
        assert "Prendre la conversation" in html and "Rendre la main à l'assistant" in html
        assert page.headers["Cache-Control"] == "no-store"
        token = CSRF.search(html).group(1)

        refused = await client.post("/conseil/conversations/citizen-waiting/repondre",
                                    data={"message": "Bonjour"})
        assert refused.status == 403 and received == []

        too_long = await client.post("/conseil/conversations/citizen-waiting/repondre",
                                     data={"message": "a" * 1001, "csrf_token": token})
        assert too_long.status == 422 and received == []

        sent = await client.post("/conseil/conversations/citizen-waiting/repondre",
                                 allow_redirects=False,
                                 data={"message": "Bonjour, je regarde votre demande.",
                                       "csrf_token": token})
        assert sent.status == 303 and sent.headers["Location"].endswith("?info=envoye")
        back = await client.post("/conseil/conversations/citizen-waiting/rendre",
                                 allow_redirects=False, data={"csrf_token": token})
        assert back.status == 303
        assert received == [
            {"path": "/conversations/citizen-waiting/trigger_intent",
             "query": {"output_channel": "latest", "token": "jeton-de-test"},
             "json": {"name": "counsellor_message",
                      "entities": {"counsellor_text": "Bonjour, je regarde votre demande."}}},
            {"path": "/conversations/citizen-waiting/trigger_intent",
             "query": {"output_channel": "latest", "token": "jeton-de-test"},
             "json": {"name": "counsellor_hand_back", "entities": {}}},
        ]

    run_console(staff_url, conversations_url, fake_rasa, scenario)


def test_nothing_is_sent_to_a_conversation_no_longer_handed_over(
        staff_url, conversations_url, fake_rasa):
    async def scenario(client, received):
        await log_in(client)
        token = await csrf_of(client, "/conseil/conversations/citizen-closed")
        response = await client.post("/conseil/conversations/citizen-closed/prendre",
                                     allow_redirects=False, data={"csrf_token": token})
        assert response.headers["Location"].endswith("?info=terminee")
        assert received == []

    run_console(staff_url, conversations_url, fake_rasa, scenario)


def test_logout_ends_the_session(staff_url, conversations_url, fake_rasa):
    async def scenario(client, received):
        await log_in(client)
        token = await csrf_of(client, "/conseil/conversations")
        response = await client.post("/conseil/deconnexion", allow_redirects=False,
                                     data={"csrf_token": token})
        assert response.status == 303
        assert (await client.get("/conseil/conversations", allow_redirects=False)).status == 303

    run_console(staff_url, conversations_url, fake_rasa, scenario)


def test_failed_login_waits_before_answering(staff_url, conversations_url, fake_rasa):
    import time

    rasa_app, received = fake_rasa

    async def main():
        settings = ConsoleSettings(staff_database_url=staff_url,
                                   conversations_database_url=conversations_url,
                                   secure_cookie=False, failed_login_delay=0.5)
        root = web.Application()
        mount_console(root, settings)
        async with TestClient(TestServer(root)) as client:
            started = time.monotonic()
            response = await log_in(client, password="pas-le-bon-mot-de-passe")
            assert response.status == 401
            assert time.monotonic() - started >= 0.5

    asyncio.run(main())


# One counsellor per conversation (assignments) -----------------------------------

SECOND = "dominique.test"


@pytest.fixture
def two_counsellors(staff_url):
    factory = accounts.make_session_factory(staff_url)
    with factory.begin() as session:
        accounts.add_counsellor(session, SECOND, PASSWORD)
    factory.kw["bind"].dispose()
    return staff_url


class Colleague:
    """A second counsellor's browser: its own cookies, on the same console."""

    def __init__(self, client):
        import aiohttp

        self._client = client
        self.session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))

    def url(self, path):
        return self._client.make_url(path)

    async def log_in(self):
        page = await self.session.get(self.url("/conseil/connexion"))
        token = CSRF.search(await page.text()).group(1)
        response = await self.session.post(self.url("/conseil/connexion"), allow_redirects=False,
                                           data={"login": SECOND, "password": PASSWORD,
                                                 "csrf_token": token})
        assert response.status == 303
        self.session.cookie_jar.update_cookies(response.cookies, self.url("/conseil/"))

    async def post(self, path, **data):
        page = await self.session.get(self.url("/conseil/conversations"))
        data["csrf_token"] = CSRF.search(await page.text()).group(1)
        return await self.session.post(self.url(path), data=data, allow_redirects=False)


def test_taking_a_conversation_locks_it_to_one_counsellor(
        two_counsellors, conversations_url, fake_rasa, caplog):
    import logging

    caplog.set_level(logging.INFO, logger="bot.handoff.assignments")
    base = "/conseil/conversations/citizen-waiting"

    async def scenario(client, received):
        await log_in(client)
        token = await csrf_of(client, base)
        taken = await client.post(base + "/prendre", allow_redirects=False, data={"csrf_token": token})
        assert taken.headers["Location"].endswith("?info=prise") and len(received) == 1
        mine = await (await client.get(base)).text()
        assert "pris en charge par vous" in mine and "Votre message à la personne" in mine

        colleague = Colleague(client)
        try:
            await colleague.log_in()
            listing = await (await colleague.session.get(colleague.url("/conseil/conversations"))).text()
            assert "Pris en charge par camille.test" in listing
            page = await (await colleague.session.get(colleague.url(base))).text()
            assert "Reprendre la conversation" in page
            assert "Votre message à la personne" not in page and "Rendre la main" not in page

            for action, data in (("/repondre", {"message": "Bonjour"}), ("/rendre", {}),
                                 ("/prendre", {})):
                refused = await colleague.post(base + action, **data)
                assert refused.status == 409, action
                assert "prise en charge par camille.test : rien n&#39;a été envoyé" in await refused.text()
            assert len(received) == 1  # nothing reached the person

            over = await colleague.post(base + "/reprendre")
            assert over.headers["Location"].endswith("?info=reprise")
            assert len(received) == 1  # taking over says nothing to the person
            sent = await colleague.post(base + "/repondre", message="Je prends le relais.")
            assert sent.headers["Location"].endswith("?info=envoye")
        finally:
            await colleague.session.close()

        token = await csrf_of(client, base)
        refused = await client.post(base + "/repondre", data={"message": "Encore moi", "csrf_token": token})
        assert refused.status == 409
        assert "prise en charge par dominique.test" in await refused.text()
        assert [r["json"]["entities"].get("counsellor_text") for r in received] == [
            TAKE_MESSAGE, "Je prends le relais."]

    from bot.handoff.console import TAKE_MESSAGE

    run_console(two_counsellors, conversations_url, fake_rasa, scenario)
    takeovers = [r.getMessage() for r in caplog.records if "taken over" in r.getMessage()]
    assert len(takeovers) == 1
    assert "camille" not in takeovers[0] and "dominique" not in takeovers[0]


def test_handing_back_releases_the_conversation(two_counsellors, conversations_url, fake_rasa):
    from bot.handoff import assignments

    base = "/conseil/conversations/citizen-waiting"

    async def scenario(client, received):
        await log_in(client)
        token = await csrf_of(client, base)
        await client.post(base + "/repondre", data={"message": "Bonjour", "csrf_token": token})
        back = await client.post(base + "/rendre", allow_redirects=False, data={"csrf_token": token})
        assert back.headers["Location"].endswith("?info=rendue")

    run_console(two_counsellors, conversations_url, fake_rasa, scenario)
    factory = accounts.make_session_factory(two_counsellors)
    with factory.begin() as session:
        assert assignments.holder(session, "citizen-waiting") is None
    factory.kw["bind"].dispose()


# The list refreshes itself (static/console-refresh.js) -------------------------------

def test_the_list_page_works_without_javascript_and_loads_only_an_external_script(
        staff_url, conversations_url, fake_rasa):
    async def scenario(client, received):
        await log_in(client)
        page = await client.get("/conseil/conversations")
        html = await page.text()
        assert '<a href="/conseil/conversations">Actualiser</a>' in html
        assert '<p id="resume" aria-live="polite">1 conversation en attente.</p>' in html
        # The pause button exists for the script only (hidden without it).
        assert re.search(r'<button type="button" class="secondary" id="actualisation" hidden', html)
        assert "Suspendre l'actualisation</button>" in html
        scripts = re.findall(r"<script\b[^>]*>", html)
        assert scripts == ['<script src="/conseil/static/console-refresh.js" defer>']
        assert re.search(r"<script[^>]*>\s*[^<\s]", html) is None  # nothing inline
        csp = page.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        script = await client.get("/conseil/static/console-refresh.js")
        assert script.status == 200 and "javascript" in script.headers["Content-Type"]
        assert "aria-live" in await script.text()

    run_console(staff_url, conversations_url, fake_rasa, scenario)


def test_the_list_fragment_follows_the_conversations(staff_url, conversations_url, fake_rasa):
    base = "/conseil/conversations/citizen-waiting"

    async def scenario(client, received):
        anonymous = await client.get("/conseil/fragments/conversations", allow_redirects=False)
        assert anonymous.status == 303  # the script stops and asks for a reload

        await log_in(client)
        fragment = await client.get("/conseil/fragments/conversations")
        html = await fragment.text()
        assert fragment.status == 200 and fragment.headers["Cache-Control"] == "no-store"
        assert "<html" not in html
        assert '<div id="liste-conversations" data-summary="1 conversation en attente.">' in html
        assert f'href="{base}"' in html and "En attente d'un·e conseiller·e" in html

        token = await csrf_of(client, base)
        await client.post(base + "/prendre", data={"csrf_token": token})
        html = await (await client.get("/conseil/fragments/conversations")).text()
        assert "Pris en charge par vous" in html

    run_console(staff_url, conversations_url, fake_rasa, scenario)


@pytest.mark.parametrize("statuses, said", [
    ([], "Aucune conversation en attente."),
    (["waiting"], "1 conversation en attente."),
    (["waiting", "waiting", "held"], "2 conversations en attente, 1 prise en charge."),
    (["held", "held"], "2 prises en charge."),
])
def test_what_the_live_region_says(statuses, said):
    from datetime import datetime, timezone

    from bot.handoff.console import summary
    from bot.handoff.conversations import HandedOver

    now = datetime.now(timezone.utc)
    assert summary([HandedOver(f"c{i}", status, now) for i, status in enumerate(statuses)]) == said
