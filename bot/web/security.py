"""Security headers on every response (pages, static files, errors)."""
from __future__ import annotations

from typing import Awaitable, Callable

from aiohttp import web

from bot.web.settings import Settings

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def content_security_policy(settings: Settings, *, inline_styles: bool = False) -> str:
    """Only our own files; the browser may connect to us and to the socket.io server.
    No inline script anywhere; inline styles only for the rasa-webchat test page."""
    style = "'self' 'unsafe-inline'" if inline_styles else "'self'"
    return "; ".join([
        "default-src 'self'",
        "script-src 'self'",
        f"style-src {style}",
        "img-src 'self' data:",
        "font-src 'self'",
        f"connect-src 'self' {' '.join(settings.socket_origins)}",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


# Set by a handler that needs a looser policy (the rasa-webchat test page).
INLINE_STYLES = "spro_inline_styles"


def security_headers_middleware(settings: Settings) -> Callable:
    strict = content_security_policy(settings)
    relaxed = content_security_policy(settings, inline_styles=True)

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        try:
            response = await handler(request)
        except web.HTTPException as exc:
            _set_missing(exc.headers, _headers(strict))
            raise
        # A sub-application (the staff console) may set its own, stricter headers.
        _set_missing(response.headers, _headers(relaxed if request.get(INLINE_STYLES) else strict))
        return response

    return middleware


def _set_missing(headers, values: dict[str, str]) -> None:
    for name, value in values.items():
        headers.setdefault(name, value)


def _headers(csp: str) -> dict[str, str]:
    return {
        "Content-Security-Policy": csp,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "X-Frame-Options": "DENY",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
        "Cross-Origin-Opener-Policy": "same-origin",
    }
