"""The accounts page of the console (role admin): create an account with its roles,
change roles, disable or enable it, end all its sessions. Every action is in the
audit log (the account's id). An admin cannot lock themself out (disable their own
account or drop their own admin role): another admin has to.
"""
from __future__ import annotations

from aiohttp import web

from bot.handoff import accounts


def add_routes(app: web.Application) -> None:
    app.router.add_get("/comptes", account_list, name="accounts")
    app.router.add_post("/comptes", create_account, name="account_create")
    app.router.add_post("/comptes/{account_id:\\d+}/roles", change_roles, name="account_roles")
    app.router.add_post("/comptes/{account_id:\\d+}/desactiver", disable, name="account_disable")
    app.router.add_post("/comptes/{account_id:\\d+}/reactiver", enable, name="account_enable")
    app.router.add_post("/comptes/{account_id:\\d+}/deconnecter", revoke, name="account_revoke")


ROUTES = ("accounts", "account_create", "account_roles", "account_disable", "account_enable", "account_revoke")
NOTICES = {"cree": "Compte créé.", "roles": "Rôles enregistrés.", "desactive": "Compte désactivé : ses sessions sont fermées.",
           "reactive": "Compte réactivé.", "deconnecte": "Toutes les sessions du compte sont fermées."}


def _console():
    from bot.handoff import console

    return console


def _page(request: web.Request, status: int = 200, error: str | None = None, draft: dict | None = None):
    console = _console()
    with request.app[console.STAFF_DB]() as session:
        rows = accounts.list_accounts(session)
    notice = NOTICES.get(request.query.get("info", ""))
    return console.render(request, "accounts.html", status=status, rows=rows, roles=list(accounts.Role),
                          error=error, notice=None if error else notice, draft=draft or {})


async def account_list(request: web.Request) -> web.Response:
    return _page(request)


def _done(request: web.Request, info: str) -> web.Response:
    raise web.HTTPSeeOther(request.app.router["accounts"].url_for().with_query(info=info))


def _change(request: web.Request, action: str, change, info: str):
    console = _console()
    account_id = int(request.match_info["account_id"])
    try:
        with request.app[console.STAFF_DB].begin() as session:
            if session.get(accounts.Counsellor, account_id) is None:
                raise web.HTTPNotFound(text="Compte introuvable.")
            change(session, account_id)
            accounts.record(session, request["staff"].login, action, f"account:{account_id}")
    except accounts.AccountError as error:
        return _page(request, status=422, error=str(error))
    return _done(request, info)


def _not_myself(request: web.Request, account_id: int, what: str) -> None:
    if account_id == request["staff"].counsellor_id:
        raise accounts.AccountError(f"Vous ne pouvez pas {what} votre propre compte : demandez-le à un·e autre admin.")


async def create_account(request: web.Request) -> web.Response:
    posted = await request.post()
    login, password = str(posted.get("login", "")), str(posted.get("password", ""))
    roles = tuple(str(role) for role in posted.getall("roles", []))
    console = _console()
    try:
        with request.app[console.STAFF_DB].begin() as session:
            accounts.add_counsellor(session, login, password, roles)
            created = session.scalar(accounts.sa.select(accounts.Counsellor.id)
                                     .where(accounts.Counsellor.login == login.strip()))
            accounts.record(session, request["staff"].login, "staff.create", f"account:{created}")
    except accounts.AccountError as error:
        return _page(request, status=422, error=str(error), draft={"login": login, "roles": roles})
    return _done(request, "cree")


async def change_roles(request: web.Request) -> web.Response:
    roles = tuple(str(role) for role in (await request.post()).getall("roles", []))

    def change(session, account_id):
        if accounts.Role.ADMIN.value not in roles:
            _not_myself(request, account_id, "retirer le rôle admin de")
        accounts.set_roles(session, account_id, roles)

    return _change(request, "staff.roles", change, "roles")


async def disable(request: web.Request) -> web.Response:
    def change(session, account_id):
        _not_myself(request, account_id, "désactiver")
        accounts.set_disabled(session, account_id, True)

    return _change(request, "staff.disable", change, "desactive")


async def enable(request: web.Request) -> web.Response:
    return _change(request, "staff.enable", lambda session, account_id: accounts.set_disabled(session, account_id, False),
                   "reactive")


async def revoke(request: web.Request) -> web.Response:
    return _change(request, "staff.revoke", lambda session, account_id: accounts.revoke_sessions(session, account_id),
                   "deconnecte")
