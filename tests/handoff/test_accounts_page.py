"""The accounts page (role admin) and the login guard, over real HTTP: create an
account with roles, change them, disable, end sessions, all in the audit log; an
admin cannot lock themself out; a guessed account is locked in French."""
from __future__ import annotations

import re

import aiohttp

from bot.handoff import accounts
from tests.handoff.test_console import conversations_url, fake_rasa, run_console  # noqa: F401 (fixtures)
from tests.handoff.test_directory_admin import ADMIN, admin_staff, audit, log_in_as  # noqa: F401 (fixtures)
from tests.support.console import CSRF, PASSWORD

NEW = "dominique.nouveau"


async def token_of(client):
    return CSRF.search(await (await client.get("/conseil/comptes")).text()).group(1)


def account_id(page: str, login: str) -> str:
    return re.search(rf'/conseil/comptes/(\d+)/roles">\s*<input type="hidden" name="csrf_token" value="[^"]+">\s*'
                     rf'<fieldset><legend>Rôles de {re.escape(login)}<', page).group(1)


def test_an_admin_manages_accounts_and_each_step_is_audited(admin_staff, conversations_url, fake_rasa):
    async def scenario(client, received):
        await log_in_as(client, "camille.test")
        assert (await client.get("/conseil/comptes")).status == 403  # a counsellor only
        await log_in_as(client, ADMIN)
        token = await token_of(client)
        short = await client.post("/conseil/comptes", data={"csrf_token": token, "login": NEW, "password": "court",
                                                           "roles": "counsellor"})
        assert short.status == 422 and "au moins 12 caractères" in await short.text()
        made = await client.post("/conseil/comptes", allow_redirects=False, data=[
            ("csrf_token", token), ("login", NEW), ("password", PASSWORD), ("roles", "counsellor"),
            ("roles", "reviewer")])
        assert made.headers["Location"].endswith("?info=cree")
        page = await (await client.get("/conseil/comptes")).text()
        new_id, own_id = account_id(page, NEW), account_id(page, ADMIN)

        other = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
        try:  # the new account logs in elsewhere
            login_page = await other.get(client.make_url("/conseil/connexion"))
            login_token = CSRF.search(await login_page.text()).group(1)
            await other.post(client.make_url("/conseil/connexion"),
                             data={"login": NEW, "password": PASSWORD, "csrf_token": login_token})
            assert (await other.get(client.make_url("/conseil/orienter"))).status == 200
            await client.post(f"/conseil/comptes/{new_id}/roles", data={"csrf_token": token, "roles": "admin"})
            assert (await other.get(client.make_url("/conseil/orienter"))).status == 403  # roles apply at once
            await client.post(f"/conseil/comptes/{new_id}/deconnecter", data={"csrf_token": token})
            gone = await other.get(client.make_url("/conseil/annuaire"), allow_redirects=False)
            assert gone.status == 303  # back to the login page
        finally:
            await other.close()

        mine = await client.post(f"/conseil/comptes/{own_id}/desactiver", data={"csrf_token": token})
        assert mine.status == 422 and "votre propre compte" in await mine.text()
        drop = await client.post(f"/conseil/comptes/{own_id}/roles", data={"csrf_token": token, "roles": "reviewer"})
        assert drop.status == 422
        off = await client.post(f"/conseil/comptes/{new_id}/desactiver", allow_redirects=False,
                                data={"csrf_token": token})
        assert off.headers["Location"].endswith("?info=desactive")
        assert "désactivé" in await (await client.get("/conseil/comptes")).text()

    run_console(admin_staff, conversations_url, fake_rasa, scenario)
    actions = [action for _, action, _ in audit(admin_staff) if action != "staff.login"]
    assert actions == ["staff.create", "staff.roles", "staff.revoke", "staff.disable"]
    factory = accounts.make_session_factory(admin_staff)
    with factory.begin() as session:
        assert accounts.authenticate(session, NEW, PASSWORD) is None
    factory.kw["bind"].dispose()


def test_a_guessed_account_is_locked_even_for_the_right_password(admin_staff, conversations_url, fake_rasa):
    async def scenario(client, received):
        for _ in range(5):
            page = await client.get("/conseil/connexion")
            token = CSRF.search(await page.text()).group(1)
            wrong = await client.post("/conseil/connexion", cookies={"spro_conseil_csrf": token},
                                      data={"login": "camille.test", "password": "pas-le-bon", "csrf_token": token})
            assert wrong.status == 401
        locked = await log_in_as(client, "camille.test")
        assert locked.status == 429 and "Trop d&#39;essais pour ce compte" in await locked.text()
        assert (await log_in_as(client, ADMIN)).status == 303  # another account is not locked

    run_console(admin_staff, conversations_url, fake_rasa, scenario)
