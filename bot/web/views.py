"""Page handlers."""
from __future__ import annotations

from aiohttp import web

from bot.web.security import INLINE_STYLES
from bot.web.templates import render


async def index(request: web.Request) -> web.Response:
    """The demo regional home page, with the widget's one script tag."""
    return render(request, "index.html", {})


async def privacy(request: web.Request) -> web.Response:
    return render(request, "confidentialite.html", {})


async def rasa_webchat_page(request: web.Request) -> web.Response:
    """Tests only: the same Rasa socket.io channel driven by rasa-webchat."""
    request[INLINE_STYLES] = True  # rasa-webchat injects its styles
    return render(request, "essais/rasa_webchat.html", {})


async def rasa_webchat_bundle(request: web.Request) -> web.FileResponse:
    from bot.web.app import SETTINGS_KEY

    bundle = request.app[SETTINGS_KEY].rasa_webchat_bundle
    if bundle is None or not bundle.is_file():
        raise web.HTTPNotFound()
    return web.FileResponse(bundle, headers={"Content-Type": "text/javascript; charset=utf-8"})
