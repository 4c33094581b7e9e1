"""French error pages instead of aiohttp's English plain text."""
from __future__ import annotations

import logging
from typing import Awaitable, Callable

from aiohttp import web

from bot.web.templates import render

log = logging.getLogger(__name__)

MESSAGES = {
    404: ("Page introuvable", "La page demandée n'existe pas ou a été déplacée."),
    405: ("Action non autorisée", "Cette action n'est pas possible sur cette page."),
    500: ("Erreur du service", "Une erreur s'est produite de notre côté. Veuillez réessayer plus tard."),
}


@web.middleware
async def error_pages_middleware(request: web.Request,
                                 handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
                                 ) -> web.StreamResponse:
    try:
        return await handler(request)
    except web.HTTPException as exc:
        if exc.status not in MESSAGES:
            raise
        return _page(request, exc.status)
    except Exception:
        log.exception("Erreur non gérée sur %s", request.path)
        return _page(request, 500)


def _page(request: web.Request, status: int) -> web.Response:
    title, text = MESSAGES[status]
    return render(request, "erreur.html", {"status": status, "title": title, "text": text}, status=status)
