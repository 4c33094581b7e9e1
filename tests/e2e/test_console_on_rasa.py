"""The counsellor console against the real Rasa server of the live pair: a person
asks for a human through the REST channel, a counsellor reads the redacted history
from Rasa's own store, takes the conversation, writes, and hands back; what reaches
the person is read from Rasa's tracker. Only failures a real Rasa cannot be made to
give stay with the console's own tests (tests/handoff/test_console.py)."""
from __future__ import annotations

import asyncio
import json
import urllib.request
import uuid

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.handoff import accounts, assignments
from tests.support.console import CSRF, PASSWORD
from bot.handoff.console import TAKE_MESSAGE, ConsoleSettings, mount_console

pytestmark = pytest.mark.e2e


@pytest.fixture
def waiting(live_servers):
    """A conversation that asked for a counsellor (the live servers' counsellors are
    always on duty), with a name and a phone number Rasa's store redacted."""
    sender = uuid.uuid4().hex
    live_servers.say(sender, "bonjour, je m'appelle Maëlys Kervadec, mon numéro est le 06 71 24 93 58")
    live_servers.say(sender, "je cherche une formation")
    replies = live_servers.say(sender, "je veux parler à un conseiller")
    assert "Je transmets votre demande" in " ".join(r.get("text", "") for r in replies)
    return sender


def tracker(servers, sender):
    url = f"{servers.rasa_url}/conversations/{sender}/tracker?token={servers.token}"
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.loads(response.read())


def bot_texts(servers, sender):
    return [e.get("text") for e in tracker(servers, sender)["events"] if e.get("event") == "bot"]


def run_console(servers, staff_url, scenario, token=None, directory_url=None):
    async def main():
        settings = ConsoleSettings(
            rasa_url=servers.rasa_url, rasa_token=token or servers.token, staff_database_url=staff_url,
            conversations_database_url=f"sqlite:///{servers.tracker_db}", secure_cookie=False,
            failed_login_delay=0.0, directory_database_url=directory_url)
        root = web.Application()
        mount_console(root, settings)
        async with TestClient(TestServer(root)) as client:
            await scenario(client)

    asyncio.run(main())


async def log_in(client):
    page = await client.get("/conseil/connexion")
    token = CSRF.search(await page.text()).group(1)
    response = await client.post("/conseil/connexion", allow_redirects=False,
                                 data={"login": "camille.test", "password": PASSWORD, "csrf_token": token})
    assert response.status == 303


async def post(client, path, **data):
    page = await client.get(path.rsplit("/", 1)[0])
    data["csrf_token"] = CSRF.search(await page.text()).group(1)
    return await client.post(path, data=data, allow_redirects=False)


def test_a_counsellor_takes_writes_and_hands_back_on_the_real_rasa(live_servers, staff_url, waiting):
    base = f"/conseil/conversations/{waiting}"

    async def scenario(client):
        await log_in(client)
        listing = await (await client.get("/conseil/conversations")).text()
        assert base in listing
        history = await (await client.get(base)).text()
        # The history Rasa's store kept, redacted: no name, no number.
        assert "je cherche une formation" in history
        assert "Kervadec" not in history and "71 24 93 58" not in history and "&lt;PERSONNE&gt;" in history

        assert (await post(client, base + "/prendre")).headers["Location"].endswith("?info=prise")
        sent = await post(client, base + "/repondre", message="Bonjour, je regarde votre demande.")
        assert sent.headers["Location"].endswith("?info=envoye")
        # While the counsellor holds it, the assistant does not answer the person.
        assert live_servers.say(waiting, "merci, j'attends") == []
        assert (await post(client, base + "/rendre")).headers["Location"].endswith("?info=rendue")

    run_console(live_servers, staff_url, scenario)
    said = bot_texts(live_servers, waiting)
    assert TAKE_MESSAGE in said and "Bonjour, je regarde votre demande." in said
    assert tracker(live_servers, waiting)["slots"]["handoff_status"] is None
    # Handed back: the assistant answers again.
    assert live_servers.say(waiting, "je cherche une formation de cariste")


@pytest.mark.server_errors_expected  # Rasa logs the refused token as an error
def test_a_take_the_real_rasa_refuses_leaves_the_conversation_free(live_servers, staff_url, waiting):
    """A wrong token: Rasa's API answers 401, nothing reaches the person."""
    base = f"/conseil/conversations/{waiting}"
    before = bot_texts(live_servers, waiting)

    async def scenario(client):
        await log_in(client)
        assert (await post(client, base + "/prendre")).headers["Location"].endswith("?info=echec")

    run_console(live_servers, staff_url, scenario, token="pas-le-bon-jeton")
    assert bot_texts(live_servers, waiting) == before
    factory = accounts.make_session_factory(staff_url)
    with factory.begin() as session:
        assert assignments.holder(session, waiting) is None
    factory.kw["bind"].dispose()


def test_cards_chosen_at_the_desk_reach_the_person_on_the_real_rasa(live_servers, staff_url, waiting,
                                                                    directory_engine):
    import re

    base = f"/conseil/conversations/{waiting}"
    desk = {"besoin": "recherche_emploi", "situation": "demandeur_emploi", "commune": "Lucé", "distance": "60"}
    chosen = {}

    async def scenario(client):
        await log_in(client)
        assert (await post(client, base + "/prendre")).headers["Location"].endswith("?info=prise")
        html = await (await client.get("/conseil/orienter", params={**desk, "conversation": waiting})).text()
        cards = re.findall(r'name="carte" value="([^"]+)"', html)
        names = re.findall(r"<h3>([^<]+)</h3>", html)
        assert len(cards) >= 2
        chosen["ids"] = [cards[0], cards[1]]
        token = CSRF.search(html).group(1)
        sent = await client.post(base + "/orientation", allow_redirects=False,
                                 data=[*desk.items(), ("csrf_token", token),
                                       ("carte", cards[0]), ("carte", cards[1])])
        assert sent.headers["Location"].endswith("?info=orientation")
        chosen["names"] = [n for n in names if n not in ("Première information", "Structures proposées par l'assistant",
                                                         "Autres structures proches", "Services à distance")][:2]

    run_console(live_servers, staff_url, scenario, directory_url=str(directory_engine.url))
    payloads = [e["data"]["custom"] for e in tracker(live_servers, waiting)["events"]
                if e.get("event") == "bot" and (e.get("data") or {}).get("custom")]
    referral = payloads[-1]
    assert referral["type"] == "referral" and referral["commune"] == "Lucé"
    assert [s["id"] for s in referral["structures"]] == chosen["ids"]
    assert [s["name"] for s in referral["structures"]] == chosen["names"]
