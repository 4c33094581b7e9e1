"""The directory pages of the console (role admin): search and view structures,
correct one, mark it closed, add one, import a CSV in the partners' format after a
dry run; and the audit log. The writes go through directory/corrections.py, in
one transaction each, and are audited (ids only). The bot's next referral sees
them without a restart (the catalog reloads on a new correction).
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from aiohttp import web
from sqlalchemy import func, or_, select

from bot.handoff import accounts
from directory import corrections
from directory.models import Structure
from directory.referral.desk import network_choices

PAGE_SIZE = 50
AUDIT_PAGE = 200


def add_routes(app: web.Application) -> None:
    app.router.add_get("/annuaire", structure_list, name="directory")
    app.router.add_get("/annuaire/ajouter", add_page, name="structure_add")
    app.router.add_post("/annuaire/ajouter", add_structure, name="structure_add_post")
    app.router.add_get("/annuaire/import", import_page, name="directory_import")
    app.router.add_post("/annuaire/import", import_file, name="directory_import_post")
    app.router.add_get("/annuaire/structures/{structure_id:\\d+}", structure_page, name="structure")
    app.router.add_post("/annuaire/structures/{structure_id:\\d+}", correct_structure, name="structure_post")
    app.router.add_post("/annuaire/structures/{structure_id:\\d+}/fermer", close_structure, name="structure_close")
    app.router.add_get("/journal", audit_page, name="audit")


def _console():
    from bot.handoff import console  # the console imports this module to add its routes

    return console


def _audit(request: web.Request, action: str, target: str = "") -> None:
    console = _console()
    with request.app[console.STAFF_DB].begin() as session:
        accounts.record(session, request["staff"].login, action, target)


def _directory(request: web.Request):
    return request.app[_console().DIRECTORY_DB]


def _render(request: web.Request, template: str, status: int = 200, **context) -> web.Response:
    return _console().render(request, template, status=status, networks=network_choices(), **context)


async def structure_list(request: web.Request) -> web.Response:
    text = request.query.get("q", "").strip()
    network = request.query.get("reseau", "").strip()
    department = request.query.get("departement", "").strip()
    query = select(Structure)
    if text:
        like = f"%{text}%"
        query = query.where(or_(Structure.name.ilike(like), Structure.commune.ilike(like),
                                Structure.postcode.like(like)))
    if network:
        query = query.where(Structure.network_code == network)
    if department:
        query = query.where(or_(Structure.department_code == department,
                                Structure.served_department_code == department))
    with _directory(request)() as session:
        total = session.scalar(select(func.count()).select_from(query.subquery()))
        rows = session.scalars(query.order_by(Structure.name, Structure.id).limit(PAGE_SIZE)).all()
    return _render(request, "directory.html", rows=rows, total=total, page_size=PAGE_SIZE,
                   filters={"q": text, "reseau": network, "departement": department},
                   notice=request.query.get("info"))


def _structure_or_404(session, request: web.Request) -> Structure:
    structure = session.get(Structure, int(request.match_info["structure_id"]))
    if structure is None:
        raise web.HTTPNotFound(text="Structure introuvable (elle a peut-être été fermée).")
    return structure


async def structure_page(request: web.Request) -> web.Response:
    with _directory(request)() as session:
        structure = _structure_or_404(session, request)
        history = corrections.history(session, structure.source, structure.source_id)
        values = {name: getattr(structure, name) or "" for name in corrections.EDITABLE}
    return _render(request, "structure.html", structure=structure, values=values, history=history,
                   problems={}, notice=request.query.get("info"))


async def correct_structure(request: web.Request) -> web.Response:
    posted = dict(await request.post())
    with _directory(request).begin() as session:
        structure = _structure_or_404(session, request)
        try:
            changed = corrections.correct(session, structure, posted, request["staff"].login)
        except corrections.CorrectionError as error:
            history = corrections.history(session, structure.source, structure.source_id)
            return _render(request, "structure.html", status=422, structure=structure, history=history,
                           values={name: posted.get(name, "") for name in corrections.EDITABLE},
                           problems=error.problems, notice=None)
        structure_id = structure.id
    if changed:
        _audit(request, "directory.correct", f"structure:{structure_id}")
    target = request.app.router["structure"].url_for(structure_id=str(structure_id))
    raise web.HTTPSeeOther(target.with_query(info="corrigee" if changed else "inchangee"))


async def close_structure(request: web.Request) -> web.Response:
    with _directory(request).begin() as session:
        structure = _structure_or_404(session, request)
        structure_id = structure.id
        corrections.close(session, structure, request["staff"].login)
    _audit(request, "directory.close", f"structure:{structure_id}")
    raise web.HTTPSeeOther(request.app.router["directory"].url_for().with_query(info="fermee"))


async def add_page(request: web.Request) -> web.Response:
    return _render(request, "structure.html", structure=None, history=[], problems={}, notice=None,
                   values={name: "" for name in corrections.EDITABLE})


async def add_structure(request: web.Request) -> web.Response:
    posted = dict(await request.post())
    with _directory(request).begin() as session:
        try:
            structure = corrections.add(session, posted, request["staff"].login)
        except corrections.CorrectionError as error:
            return _render(request, "structure.html", status=422, structure=None, history=[],
                           values={name: posted.get(name, "") for name in corrections.EDITABLE},
                           problems=error.problems, notice=None)
        structure_id = structure.id
    _audit(request, "directory.add", f"structure:{structure_id}")
    target = request.app.router["structure"].url_for(structure_id=str(structure_id))
    raise web.HTTPSeeOther(target.with_query(info="ajoutee"))


async def import_page(request: web.Request) -> web.Response:
    return _render(request, "directory_import.html", report=None, dry_run=True, error=None)


async def import_file(request: web.Request) -> web.Response:
    posted = await request.post()
    upload = posted.get("fichier")
    dry_run = posted.get("action") != "importer"
    if not isinstance(upload, web.FileField):
        return _render(request, "directory_import.html", status=422, report=None, dry_run=True,
                       error="Choisissez un fichier CSV à importer.")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "import.csv"
        with upload.file as received:
            path.write_bytes(received.read())
        with _directory(request).begin() as session:
            report = corrections.import_csv(session, path, request["staff"].login, dry_run=dry_run)
    if not dry_run and not report.rejected:
        _audit(request, "directory.import", f"added:{len(report.added)} updated:{len(report.updated)}")
    return _render(request, "directory_import.html", status=422 if report.rejected else 200,
                   report=report, dry_run=dry_run, error=None)


async def audit_page(request: web.Request) -> web.Response:
    action = request.query.get("action", "").strip()
    actor = request.query.get("compte", "").strip()
    query = select(accounts.AuditEntry)
    if action:
        query = query.where(accounts.AuditEntry.action == action)
    if actor:
        query = query.where(accounts.AuditEntry.actor == actor)
    console = _console()
    with request.app[console.STAFF_DB]() as session:
        entries = session.scalars(query.order_by(accounts.AuditEntry.id.desc()).limit(AUDIT_PAGE)).all()
        actions = session.scalars(select(accounts.AuditEntry.action).distinct()
                                  .order_by(accounts.AuditEntry.action)).all()
    return _render(request, "audit.html", entries=entries, actions=actions,
                   filters={"action": action, "compte": actor})
