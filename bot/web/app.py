"""create_app(settings): the aiohttp application (aio-libs/aiohttp-demos layout)."""
from __future__ import annotations

import jinja2
from aiohttp import web

from bot.handoff.console import ConsoleSettings, mount_console
from bot.web import views
from bot.web.errors import error_pages_middleware
from bot.web.security import security_headers_middleware
from bot.web.settings import Settings
from bot.web.templates import make_environment

SETTINGS_KEY = web.AppKey("settings", Settings)
TEMPLATES_KEY = web.AppKey("templates", jinja2.Environment)


def create_app(settings: Settings | None = None) -> web.Application:
    settings = settings or Settings()
    # Outermost first: the security headers also cover the French error pages.
    app = web.Application(middlewares=[security_headers_middleware(settings), error_pages_middleware])
    app[SETTINGS_KEY] = settings
    app[TEMPLATES_KEY] = make_environment(settings.templates_dir)
    setup_routes(app, settings)
    return app


def setup_routes(app: web.Application, settings: Settings) -> None:
    app.router.add_get("/", views.index, name="index")
    app.router.add_get("/confidentialite", views.privacy, name="privacy")
    app.router.add_static("/static/", settings.static_dir, name="static")
    # The counsellor console (login, waiting conversations, replies) under /conseil/.
    mount_console(app, ConsoleSettings.from_env())
    if settings.rasa_webchat_bundle is not None:
        app.router.add_get("/essais/rasa-webchat", views.rasa_webchat_page, name="rasa_webchat")
        app.router.add_get("/essais/rasa-webchat.js", views.rasa_webchat_bundle, name="rasa_webchat_js")
