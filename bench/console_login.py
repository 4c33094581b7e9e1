"""A logged-in staff member for the console benchmarks (bench.review,
bench.indicators): the account in a fresh staff database, the console's settings,
and the login through the real form."""
from __future__ import annotations

import re
from pathlib import Path

PASSWORD = "mot-de-passe-du-banc"


def console_settings(folder: Path, conversations_url: str, login: str, role: str, directory_url: str):
    from bot.handoff import accounts
    from bot.handoff.console import ConsoleSettings

    staff_url = f"sqlite:///{folder / 'staff.sqlite'}"
    staff = accounts.make_session_factory(staff_url)
    with staff.begin() as session:
        accounts.add_counsellor(session, login, PASSWORD, (role,))
    staff.kw["bind"].dispose()
    return ConsoleSettings(staff_database_url=staff_url, conversations_database_url=conversations_url,
                           directory_database_url=directory_url, secure_cookie=False, failed_login_delay=0.0)


async def log_in(client, login: str) -> None:
    page = await (await client.get("/conseil/connexion")).text()
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    logged = await client.post("/conseil/connexion", allow_redirects=False, cookies={"spro_conseil_csrf": token},
                               data={"login": login, "password": PASSWORD, "csrf_token": token})
    if logged.status != 303:
        raise RuntimeError(f"the bench account could not log in ({logged.status})")
