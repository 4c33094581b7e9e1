"""The review pages on conversations held by the real Rasa server (REST channel,
redacting store): each filter returns exactly the right ones of ours, a transcript
shows what the NLU read, escaped, and its opening is audited."""
from __future__ import annotations

import asyncio
import re
import uuid

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.handoff import accounts
from bot.handoff.console import ConsoleSettings, mount_console
from tests.support.console import CSRF, PASSWORD

pytestmark = pytest.mark.e2e
REVIEWER = "robin.relecture"


@pytest.fixture(scope="module")
def conversations(live_servers):
    ours = {name: uuid.uuid4().hex for name in ("vae", "fallback", "script")}
    live_servers.say(ours["vae"], "je veux faire une VAE, je suis salariée, j'ai 41 ans, j'habite à Lucé")
    live_servers.say(ours["fallback"], "qsdkjh zzpq wxcv")
    live_servers.say(ours["script"], "<script>alert(1)</script> je cherche une formation")
    return ours


@pytest.fixture
def reviewer_staff(staff_url):
    factory = accounts.make_session_factory(staff_url)
    with factory.begin() as session:
        accounts.add_counsellor(session, REVIEWER, PASSWORD, ("reviewer",))
    factory.kw["bind"].dispose()
    return staff_url


def run(servers, staff_url, scenario):
    async def main():
        settings = ConsoleSettings(rasa_url=servers.rasa_url, rasa_token=servers.token, staff_database_url=staff_url,
                                   conversations_database_url=f"sqlite:///{servers.tracker_db}",
                                   secure_cookie=False, failed_login_delay=0.0)
        root = web.Application()
        mount_console(root, settings)
        async with TestClient(TestServer(root)) as client:
            page = await client.get("/conseil/connexion")
            token = CSRF.search(await page.text()).group(1)
            home = await client.post("/conseil/connexion", cookies={"spro_conseil_csrf": token},
                                     data={"login": REVIEWER, "password": PASSWORD, "csrf_token": token})
            assert str(home.url).endswith("/conseil/revue")
            await scenario(client)

    asyncio.run(main())


def fell_back(servers, sender) -> bool:
    """The truth, from Rasa's own tracker API."""
    import json
    import urllib.request

    url = f"{servers.rasa_url}/conversations/{sender}/tracker?token={servers.token}"
    with urllib.request.urlopen(url, timeout=30) as response:
        events = json.loads(response.read())["events"]
    return any(e.get("event") == "user" and (e.get("parse_data") or {}).get("intent", {}).get("name") == "nlu_fallback"
               for e in events)


def test_each_filter_returns_exactly_the_right_conversations(live_servers, reviewer_staff, conversations):
    expected = {
        (("besoin", "vae"),): {"vae"},
        (("reseau", "conseil_vae"),): {"vae"},
        (("departement", "28"),): {"vae"},
        (("repli", "oui"),): {name for name, sender in conversations.items() if fell_back(live_servers, sender)},
        (("besoin", "formation"),): {"script"},
        (("canal", "rest"),): {"vae", "fallback", "script"},
        (("besoin", "vae"), ("repli", "oui")): set(),
    }

    async def scenario(client):
        for filters, wanted in expected.items():
            found = set()
            page = 1
            while True:
                html = await (await client.get("/conseil/revue", params={**dict(filters), "page": str(page)})).text()
                found |= {name for name, sender in conversations.items() if f"/conseil/revue/{sender}" in html}
                if "Page suivante" not in html:
                    break
                page += 1
            assert found == wanted, filters
        wrong = await client.get("/conseil/revue", params={"du": "hier"})
        assert wrong.status == 422 and "AAAA-MM-JJ" in await wrong.text()

    run(live_servers, reviewer_staff, scenario)


def test_a_transcript_shows_what_was_understood_escaped_and_is_audited(live_servers, reviewer_staff, conversations):
    async def scenario(client):
        html = await (await client.get(f"/conseil/revue/{conversations['vae']}")).text()
        assert re.search(r"Compris : vae \(\d,\d\d\)", html)
        assert "Orientation envoyée" in html and "Transitions Pro Centre-Val de Loire" in html
        escaped = await (await client.get(f"/conseil/revue/{conversations['script']}")).text()
        assert "<script>alert" not in escaped and "&lt;script&gt;alert(1)&lt;/script&gt;" in escaped
        assert (await client.get("/conseil/revue/inconnue")).status == 404
        assert (await client.get("/conseil/conversations")).status == 403  # a reviewer only

    run(live_servers, reviewer_staff, scenario)
    factory = accounts.make_session_factory(reviewer_staff)
    with factory() as session:
        opened = session.scalars(accounts.sa.select(accounts.AuditEntry.target)
                                 .where(accounts.AuditEntry.action == "review.open")).all()
    factory.kw["bind"].dispose()
    assert f"conversation:{conversations['vae'][:12]}" in opened
