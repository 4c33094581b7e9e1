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


def run(servers, staff_url, scenario, login=REVIEWER):
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
                                     data={"login": login, "password": PASSWORD, "csrf_token": token})
            assert home.status == 200 and "/conseil/connexion" not in str(home.url)
            await scenario(client)

    asyncio.run(main())


def user_events(servers, sender) -> list:
    """The truth, from Rasa's own tracker API."""
    import json
    import urllib.request

    url = f"{servers.rasa_url}/conversations/{sender}/tracker?token={servers.token}"
    with urllib.request.urlopen(url, timeout=30) as response:
        return [e for e in json.loads(response.read())["events"] if e.get("event") == "user"]


def fell_back(servers, sender) -> bool:
    return any((e.get("parse_data") or {}).get("intent", {}).get("name") == "nlu_fallback"
               for e in user_events(servers, sender))


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


ADMIN = "alix.admin"


@pytest.fixture
def admin_staff(reviewer_staff):
    factory = accounts.make_session_factory(reviewer_staff)
    with factory.begin() as session:
        accounts.add_counsellor(session, ADMIN, PASSWORD, ("reviewer", "admin"))
    factory.kw["bind"].dispose()
    return reviewer_staff


async def inbox_links(client, band: str, pattern: str) -> list:
    """Every match of `pattern` in every page of a band (other tests' conversations share the store)."""
    found, page = [], 1
    while True:
        html = await (await client.get("/conseil/revue/messages", params={"bande": band, "page": str(page)})).text()
        found += re.findall(pattern, html)
        if "Page suivante" not in html:
            return found
        page += 1


def band_of(confidence: float) -> str:
    return "a_traiter" if confidence < 0.6 else "a_verifier" if confidence < 0.95 else "sur"


def test_triage_annotation_masking_and_export_through_the_console(live_servers, admin_staff, conversations,
                                                                   tmp_path):
    """Last of this module: it masks a passage of the `script` conversation."""
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    from tests.support.sqlite_files import all_bytes

    [typed] = user_events(live_servers, conversations["fallback"])
    confidence = typed["parse_data"]["intent"]["confidence"]
    downloads = {}

    async def reviewer(client):
        mine = rf'/conseil/revue/{conversations["fallback"]}#m(\d+)">qsdkjh zzpq wxcv<'
        links = await inbox_links(client, band_of(confidence), mine)
        assert len(links) == 1, "the fallback message is in the band of its confidence"
        event_id = links[0]
        base = f"/conseil/revue/{conversations['fallback']}"
        token = CSRF.search(await (await client.get(base)).text()).group(1)
        refused = await client.post(f"{base}/messages/{event_id}/annotation", data={"intention": "formation"})
        assert refused.status == 403  # no CSRF token
        wrong = await client.post(f"{base}/messages/{event_id}/annotation",
                                  data={"intention": "formation", "entites": "ville : Brest", "csrf_token": token})
        assert wrong.status == 422 and "n&#39;existe pas" in await wrong.text()
        done = await client.post(f"{base}/messages/{event_id}/annotation",
                                 data={"intention": "out_of_scope", "entites": "", "csrf_token": token})
        assert done.status == 200 and "Annoté : out_of_scope" in await done.text()
        assert await inbox_links(client, band_of(confidence), mine) == []  # annotated: out of the inbox
        tagged = await client.post(f"{base}/annotation", data={"etiquette": ["hors_sujet", "inconnue"],
                                                               "commentaire": "Charabia", "csrf_token": token})
        assert tagged.status == 200 and "Charabia" in await tagged.text()
        for query, wanted in (({"etiquette": "hors_sujet"}, {"fallback"}), ({"annotee": "oui"}, {"fallback"}),
                              ({"annotee": "non", "canal": "rest"}, {"vae", "script"})):
            html = await (await client.get("/conseil/revue", params=query)).text()
            assert {n for n, s in conversations.items() if f"/conseil/revue/{s}" in html} == wanted, query
        # The <script> message: its passage masked, everywhere, the raw files included.
        script = f"/conseil/revue/{conversations['script']}"
        page = await (await client.get(script)).text()
        script_event = re.search(r'/messages/(\d+)/masquer', page).group(1)
        masked = await client.post(f"{script}/messages/{script_event}/masquer",
                                   data={"passage": "alert(1)", "csrf_token": token})
        assert masked.status == 200 and "Donnée masquée" in await masked.text()
        assert "masquées par la revue : 1" in await (await client.get("/conseil/revue")).text()
        assert (await client.get("/conseil/revue/exports")).status == 403  # exports: admins

    async def admin(client):
        page = await (await client.get("/conseil/revue/exports")).text()
        assert "1 message annoté pas encore exporté" in page
        token = CSRF.search(page).group(1)
        created = await client.post("/conseil/revue/exports", data={"csrf_token": token})
        assert created.status == 200 and "Export 1 créé" in await created.text()
        for kind in ("entrainement", "mise_de_cote"):
            response = await client.get(f"/conseil/revue/exports/1/{kind}.yml")
            assert response.status == 200 and "attachment" in response.headers["Content-Disposition"]
            downloads[kind] = await response.text()
        assert (await client.get("/conseil/revue/exports/2/entrainement.yml")).status == 404
        added = await client.post("/conseil/revue/etiquettes", data={"libelle": "Orientation à revoir",
                                                                     "csrf_token": token})
        assert added.status == 200 and "Étiquette « Orientation à revoir » ajoutée" in await added.text()
        again = await client.post("/conseil/revue/etiquettes", data={"libelle": "orientation a revoir ",
                                                                     "csrf_token": token})
        assert again.status == 422 and "différent des étiquettes existantes" in await again.text()
        transcript = await (await client.get(f"/conseil/revue/{conversations['vae']}")).text()
        assert 'value="orientation_a_revoir"' in transcript  # offered to reviewers at once

    run(live_servers, admin_staff, reviewer)
    assert b"alert(1)" not in all_bytes(Path(live_servers.tracker_db))
    run(live_servers, admin_staff, admin, login=ADMIN)
    assert sum("- qsdkjh zzpq wxcv" in text for text in downloads.values()) == 1
    # Merged into a copy of the training data, the export passes Rasa's validation.
    data = tmp_path / "data"
    shutil.copytree("data", data)
    for kind, text in downloads.items():
        (data / "nlu" / f"revue_{kind}.yml").write_text(text, encoding="utf-8")
    check = subprocess.run([str(Path(sys.executable).with_name("rasa")), "data", "validate", "--fail-on-warnings",
                            "--domain", "domain", "--data", str(data), "--config", "config.yml"],
                           capture_output=True, text=True, timeout=600)
    assert check.returncode == 0, check.stdout[-2000:] + check.stderr[-2000:]
    factory = accounts.make_session_factory(admin_staff)
    with factory() as session:
        actions = session.scalars(accounts.sa.select(accounts.AuditEntry.action)).all()
    factory.kw["bind"].dispose()
    for action in ("review.annotate", "review.tag", "review.redact", "review.export", "review.download",
                   "review.tag_add"):
        assert action in actions
