"""Every route of the console, found from its router (a new page cannot be
forgotten): anonymous → sent to the login page (a form: refused for its missing
CSRF token), an account without the page's role → 403 in French, a form posted
without its token by a logged-in account → 403, and nothing written."""
from __future__ import annotations

import re

from bot.handoff import accounts, console
from tests.handoff.test_console import conversations_url, fake_rasa, run_console  # noqa: F401 (fixtures)
from tests.handoff.test_directory_admin import log_in_as
from tests.support.console import CSRF, PASSWORD

ROLE_ROUTES = {accounts.Role.COUNSELLOR: console.COUNSELLOR_ROUTES, accounts.Role.ADMIN: console.ADMIN_ROUTES,
               accounts.Role.REVIEWER: console.REVIEWER_ROUTES}
ONLY = {role: f"seulement.{role.value}" for role in ROLE_ROUTES}
ALWAYS_ALLOWED = ("index", "logout")  # any logged-in account


def routes():
    """(name, method, path with its parameters filled) of every console route."""
    app = console.create_console_app(console.ConsoleSettings())
    found = []
    for route in app.router.routes():
        resource = route.resource
        if resource is None or resource.name in (*console.PUBLIC_ROUTES, None) or route.method == "HEAD":
            continue
        info = resource.get_info()
        path = info.get("path") or info.get("formatter")
        path = re.sub(r"\{kind\}", "entrainement", re.sub(r"\{(?!kind)\w+\}", "1", path))
        found.append((resource.name, route.method, "/conseil" + path))
    return found


def needed(name):
    return console.roles_needed(name)


def test_every_route_is_given_to_one_role_or_to_every_account():
    named = {name for name, _, _ in routes()}
    assert len(named) > 30
    for name in named - set(ALWAYS_ALLOWED):
        holders = [role for role, names in ROLE_ROUTES.items() if name in names]
        shared = console.SHARED_ROUTES.get(name, ())
        assert len(holders) + len(shared) == max(1, len(shared)) and not (holders and shared), f"{name}: {holders}"
    assert set(console.SHARED_ROUTES["indicators"]) == {accounts.Role.REVIEWER, accounts.Role.ADMIN}


def test_anonymous_wrong_role_and_missing_token_are_refused(staff_url, conversations_url, fake_rasa):
    factory = accounts.make_session_factory(staff_url)
    with factory.begin() as session:
        for role, login in ONLY.items():
            accounts.add_counsellor(session, login, PASSWORD, (role.value,))
    factory.kw["bind"].dispose()
    everything = routes()

    async def scenario(client, received):
        for name, method, path in everything:
            response = await client.request(method, path, allow_redirects=False)
            if method == "GET":
                assert response.status == 303 and "/conseil/connexion" in response.headers["Location"], name
            else:
                assert response.status == 403 and "Rechargez la page" in await response.text(), name
        for role, login in ONLY.items():
            assert (await log_in_as(client, login)).status == 303
            token = CSRF.search(await (await client.get("/conseil/revue" if role == accounts.Role.REVIEWER
                                                         else "/conseil/comptes" if role == accounts.Role.ADMIN
                                                         else "/conseil/conversations")).text()).group(1)
            for name, method, path in everything:
                roles = needed(name)
                if method == "POST":
                    bare = await client.post(path, allow_redirects=False)
                    assert bare.status == 403 and "Rechargez la page" in await bare.text(), name
                if not roles or role in roles:
                    continue
                response = await client.request(method, path, allow_redirects=False,
                                                data={"csrf_token": token} if method == "POST" else None)
                assert response.status == 403, (login, name)
                text = await response.text()
                assert all(f"« {r.label} »" in text for r in roles) and "réservée au" in text, (login, name)
        assert received == []  # nothing reached Rasa

    run_console(staff_url, conversations_url, fake_rasa, scenario)
