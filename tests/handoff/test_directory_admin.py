"""The directory pages of the console (role admin), over real HTTP, on a copy of the
real directory: roles, CSRF, corrections seen by the next referral, closing,
adding, the CSV dry run, the audit log (ids only), escaping."""
from __future__ import annotations

import re
import shutil

import aiohttp
import pytest
from sqlalchemy import select

from bot.handoff import accounts
from directory.communes.info import CommuneInfo
from directory.db import make_engine, make_session_factory
from directory.models import Commune, Structure
from directory.referral import refer
from tests.handoff.test_console import conversations_url, fake_rasa, run_console  # noqa: F401 (fixtures)
from tests.support.console import CSRF, PASSWORD

ADMIN = "alex.admin"


@pytest.fixture
def directory_copy(tmp_path, directory_engine):
    """A writable copy of the real directory (the shared one is read-only)."""
    path = tmp_path / "directory.sqlite"
    shutil.copy(directory_engine.url.database, path)
    engine = make_engine(f"sqlite:///{path}")
    yield make_session_factory(engine), f"sqlite:///{path}"
    engine.dispose()


@pytest.fixture
def admin_staff(staff_url):
    factory = accounts.make_session_factory(staff_url)
    with factory.begin() as session:
        accounts.add_counsellor(session, ADMIN, PASSWORD, ("admin",))
    factory.kw["bind"].dispose()
    return staff_url


def audit(staff_url):
    factory = accounts.make_session_factory(staff_url)
    with factory() as session:
        rows = [(e.actor, e.action, e.target) for e in session.scalars(select(accounts.AuditEntry)
                                                                      .order_by(accounts.AuditEntry.id))]
    factory.kw["bind"].dispose()
    return rows


async def log_in_as(client, login):
    page = await client.get("/conseil/connexion")
    token = CSRF.search(await page.text()).group(1)
    return await client.post("/conseil/connexion", allow_redirects=False, cookies={"spro_conseil_csrf": token},
                             data={"login": login, "password": PASSWORD, "csrf_token": token})


async def csrf(client, path="/conseil/annuaire"):
    return CSRF.search(await (await client.get(path)).text()).group(1)


def run(admin_staff, conversations_url, fake_rasa, directory_copy, scenario):
    run_console(admin_staff, conversations_url, fake_rasa, scenario, directory_database_url=directory_copy[1])


def lucé_cio(factory):
    with factory() as session:
        luce = CommuneInfo.from_row(session.get(Commune, "28218"))
        return refer(session, need="orientation_scolaire", public="lyceen", commune=luce).structures[0]


def test_each_role_sees_only_its_pages(admin_staff, conversations_url, fake_rasa, directory_copy):
    async def scenario(client, received):
        assert (await client.get("/conseil/annuaire", allow_redirects=False)).status == 303
        await log_in_as(client, "camille.test")  # a counsellor
        refused = await client.get("/conseil/annuaire")
        assert refused.status == 403 and "réservée au rôle « administrateur·rice »" in await refused.text()
        assert (await client.get("/conseil/journal")).status == 403
        assert "Annuaire" not in await (await client.get("/conseil/orienter")).text()

        admin = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
        try:
            page = await admin.get(client.make_url("/conseil/connexion"))
            token = CSRF.search(await page.text()).group(1)
            home = await admin.post(client.make_url("/conseil/connexion"),
                                    data={"login": ADMIN, "password": PASSWORD, "csrf_token": token})
            assert str(home.url).endswith("/conseil/annuaire")  # an admin's home
            assert (await admin.get(client.make_url("/conseil/conversations"))).status == 403
            assert (await admin.get(client.make_url("/conseil/orienter"))).status == 403
        finally:
            await admin.close()

    run(admin_staff, conversations_url, fake_rasa, directory_copy, scenario)


def test_a_correction_reaches_the_next_referral_and_the_audit_log(admin_staff, conversations_url, fake_rasa,
                                                                  directory_copy):
    factory, _ = directory_copy
    offered = lucé_cio(factory)
    path = f"/conseil/annuaire/structures/{offered.id}"

    async def scenario(client, received):
        await log_in_as(client, ADMIN)
        found = await (await client.get("/conseil/annuaire", params={"q": offered.commune, "reseau": "cio"})).text()
        assert path in found
        page = await (await client.get(path)).text()
        fields = dict(re.findall(r'<input id="(\w+)" name="\w+" value="([^"]*)"', page))
        fields["network_code"] = "cio"
        refused = await client.post(path, data={**fields, "name": "CIO <script>alert(1)</script>"})
        assert refused.status == 403  # no CSRF token
        token = CSRF.search(page).group(1)
        wrong = await client.post(path, data={**fields, "postcode": "28 A", "csrf_token": token})
        assert wrong.status == 422 and "Le code postal compte 5 chiffres" in await wrong.text()
        done = await client.post(path, allow_redirects=False,
                                 data={**fields, "name": "CIO <script>alert(1)</script>", "csrf_token": token})
        assert done.status == 303 and done.headers["Location"].endswith("?info=corrigee")
        shown = await (await client.get(path)).text()
        assert "<script>alert" not in shown and "&lt;script&gt;alert(1)" in shown
        assert f"{ADMIN} : correction (name)" in shown

    run(admin_staff, conversations_url, fake_rasa, directory_copy, scenario)
    # No restart: the engine's catalog reloads on the new correction.
    assert lucé_cio(factory).name == "CIO <script>alert(1)</script>"
    assert audit(admin_staff)[-1] == (ADMIN, "directory.correct", f"structure:{offered.id}")
    assert all("script" not in target for _, _, target in audit(admin_staff))


def test_closing_and_adding(admin_staff, conversations_url, fake_rasa, directory_copy):
    factory, _ = directory_copy
    offered = lucé_cio(factory)

    async def scenario(client, received):
        await log_in_as(client, ADMIN)
        token = await csrf(client)
        closed = await client.post(f"/conseil/annuaire/structures/{offered.id}/fermer", allow_redirects=False,
                                   data={"csrf_token": token})
        assert closed.headers["Location"].endswith("?info=fermee")
        missing = await client.post("/conseil/annuaire/ajouter", data={"csrf_token": token, "name": "Sans réseau"})
        assert missing.status == 422 and "Choisissez le réseau" in await missing.text()
        added = await client.post("/conseil/annuaire/ajouter", allow_redirects=False, data={
            "csrf_token": token, "name": "CIO provisoire de Lucé", "network_code": "cio", "insee_code": "28218",
            "phone": "02 37 00 00 99"})
        assert added.headers["Location"].endswith("?info=ajoutee")

    run(admin_staff, conversations_url, fake_rasa, directory_copy, scenario)
    now = lucé_cio(factory)
    assert now.id != offered.id and now.name == "CIO provisoire de Lucé" and now.distance_km == 0.0
    assert [action for _, action, _ in audit(admin_staff)][-2:] == ["directory.close", "directory.add"]


def dump(factory):
    with factory() as session:
        return [tuple(getattr(row, c.name) for c in Structure.__table__.columns)
                for row in session.scalars(select(Structure).order_by(Structure.id))]


def test_the_csv_dry_run_shows_the_report_and_changes_nothing(admin_staff, conversations_url, fake_rasa,
                                                              directory_copy):
    factory, _ = directory_copy
    before = dump(factory)
    csv_text = ("source_id,network,name,postcode,commune,insee_code\n"
                "r-1,cidff,CIDFF de démonstration,28000,Chartres,28085\n"
                "r-2,inconnu,Réseau faux,28000,Chartres,28085\n")

    def form(token, action, text=csv_text):
        data = aiohttp.FormData()
        data.add_field("csrf_token", token)
        data.add_field("action", action)
        data.add_field("fichier", text.encode(), filename="envoi.csv", content_type="text/csv")
        return data

    async def scenario(client, received):
        await log_in_as(client, ADMIN)
        token = await csrf(client, "/conseil/annuaire/import")
        trial = await client.post("/conseil/annuaire/import", data=form(token, "essai"))
        html = await trial.text()
        assert trial.status == 422 and "Essai : rien n'a changé" in html
        assert "1 structure(s) à ajouter" in html and "Ligne 3 : Choisissez le réseau" in html
        refused = await client.post("/conseil/annuaire/import", data=form(token, "importer"))
        assert refused.status == 422 and "Rien n'a été importé" in await refused.text()
        assert dump(factory) == before
        good = csv_text.rsplit("r-2", 1)[0]
        imported = await client.post("/conseil/annuaire/import", data=form(token, "importer", good))
        assert imported.status == 200 and "Import terminé" in await imported.text()

    run(admin_staff, conversations_url, fake_rasa, directory_copy, scenario)
    assert len(dump(factory)) == len(before) + 1
    assert audit(admin_staff)[-1] == (ADMIN, "directory.import", "added:1 updated:0")


def test_the_audit_log_page_filters_and_shows_ids_only(admin_staff, conversations_url, fake_rasa,
                                                       directory_copy):
    async def scenario(client, received):
        await log_in_as(client, ADMIN)
        await log_in_as(client, ADMIN)
        html = await (await client.get("/conseil/journal", params={"action": "staff.login"})).text()
        assert html.count("<td>staff.login</td>") == 2 and "directory.correct" not in html.split("<table>")[-1]

    run(admin_staff, conversations_url, fake_rasa, directory_copy, scenario)
