"""Jinja2 pages (plain jinja2 Environment: aiohttp-jinja2 is not a dependency)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from aiohttp import web

from bot import templating


def make_environment(templates_dir: Path) -> jinja2.Environment:
    return jinja2.Environment(
        loader=templating.loader(templates_dir),  # then bot/templates (layout.html)
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,  # a typo in a template fails the tests
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(request: web.Request, name: str, context: dict[str, Any], *, status: int = 200) -> web.Response:
    from bot.web.app import SETTINGS_KEY, TEMPLATES_KEY

    app = request.app
    page = app[TEMPLATES_KEY].get_template(name).render(
        settings=app[SETTINGS_KEY],
        static=lambda path: str(app.router["static"].url_for(filename=path)),
        url=lambda route, **parts: str(app.router[route].url_for(**parts)),
        **context,
    )
    return web.Response(text=page, status=status, content_type="text/html", charset="utf-8")
