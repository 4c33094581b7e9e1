"""The web app: pages, French errors, security headers, static files."""
from __future__ import annotations

from pathlib import Path

import pytest

from bot.web.settings import Settings


def test_demo_page_is_french_and_embeds_the_widget_with_one_script_tag(fetch):
    page = fetch("/", Settings(region_name="Région Exemple", socket_url="http://chat.exemple.test:5005"))
    assert page.status == 200
    assert page.headers["Content-Type"] == "text/html; charset=utf-8"
    assert '<html lang="fr">' in page.text
    assert "<title>Région Exemple — Service public régional de l'orientation</title>" in page.text
    assert page.text.count("<script") == 1
    assert 'src="/static/widget/spro-widget.js"' in page.text
    assert 'data-socket-url="http://chat.exemple.test:5005"' in page.text
    assert 'data-privacy-url="/confidentialite"' in page.text


def test_privacy_page_says_what_is_kept_how_long_and_how_to_erase(fetch):
    page = fetch("/confidentialite")
    assert page.status == 200
    assert "180 jours" in page.text
    assert "supprimer ma conversation" in page.text
    assert "anonyme" in page.text
    assert "Aucun cookie" in page.text


@pytest.mark.parametrize("path", ["/", "/confidentialite", "/static/site/site.css", "/nulle-part"])
def test_security_headers_on_every_response(fetch, path):
    response = fetch(path, Settings(socket_url="https://chat.exemple.test"))
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "style-src 'self';" in csp  # no inline styles on our pages
    assert "connect-src 'self' https://chat.exemple.test wss://chat.exemple.test" in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_plain_http_socket_url_allows_ws_in_the_csp(fetch):
    csp = fetch("/").headers["Content-Security-Policy"]
    assert "connect-src 'self' http://localhost:5005 ws://localhost:5005" in csp


def test_unknown_page_is_a_french_404_page(fetch):
    response = fetch("/nulle-part")
    assert response.status == 404
    assert "Page introuvable" in response.text
    assert "Retour à l'accueil" in response.text


def test_wrong_method_is_a_french_405_page(fetch):
    response = fetch("/", method="POST")
    assert response.status == 405
    assert "Action non autorisée" in response.text


def test_missing_static_file_is_a_french_404(fetch):
    response = fetch("/static/widget/absent.js")
    assert response.status == 404
    assert "Page introuvable" in response.text


def test_static_files_are_served(fetch):
    response = fetch("/static/site/site.css")
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/css")


def test_dots_in_a_static_path_reach_the_static_handler(fetch_raw):
    """The control: a path with ".." sent as typed is resolved by the static
    handler inside its folder (so the escape attempts below really reach it)."""
    status, body = fetch_raw("/static/site/../site/site.css")
    assert status == 200 and "{" in body


@pytest.mark.parametrize("target", ["/static/../app.py", "/static/%2e%2e/app.py", "/static/site/../../app.py",
                                    "/static/..%2fapp.py", "/static/%2e%2e%2fapp.py"])
def test_static_does_not_escape_its_folder(fetch_raw, target):
    status, body = fetch_raw(target)
    assert status in (403, 404)
    assert "create_app" not in body


def test_rasa_webchat_test_page_only_exists_when_enabled(fetch, tmp_path):
    assert fetch("/essais/rasa-webchat").status == 404
    bundle = tmp_path / "index.js"
    bundle.write_text("window.WebChat = {};")
    settings = Settings(rasa_webchat_bundle=bundle)
    page = fetch("/essais/rasa-webchat", settings)
    assert page.status == 200
    assert "style-src 'self' 'unsafe-inline'" in page.headers["Content-Security-Policy"]
    script = fetch("/essais/rasa-webchat.js", settings)
    assert script.status == 200
    assert script.text == "window.WebChat = {};"


def test_invalid_socket_url_is_refused_in_french():
    with pytest.raises(ValueError, match="URL du serveur de conversation invalide"):
        Settings(socket_url="localhost:5005")


def test_settings_from_environment(monkeypatch):
    monkeypatch.delenv("SPRO_SOCKET_URL", raising=False)
    monkeypatch.setenv("RASA_PORT", "6006")
    monkeypatch.setenv("SPRO_REGION_NAME", "Région Exemple")
    settings = Settings.from_env()
    assert settings.socket_url == "http://localhost:6006"
    assert settings.region_name == "Région Exemple"
    monkeypatch.setenv("SPRO_SOCKET_URL", "https://chat.exemple.test")
    assert Settings.from_env().socket_url == "https://chat.exemple.test"
    assert Settings.from_env(socket_url="http://127.0.0.1:7007").socket_url == "http://127.0.0.1:7007"


def test_command_line_parser_defaults():
    from bot.web.__main__ import build_parser

    args = build_parser().parse_args(["--port", "8181"])
    assert (args.host, args.port, args.socket_url) == ("127.0.0.1", 8181, None)


def test_a_handler_may_set_its_own_security_headers(tmp_path):
    """The staff console (a sub-application) keeps its own, stricter policy."""
    import asyncio

    from aiohttp import web
    from aiohttp.test_utils import TestClient, TestServer

    from bot.web.app import create_app

    async def strict(request: web.Request) -> web.Response:
        return web.Response(text="ok", headers={"Content-Security-Policy": "default-src 'none'"})

    async def go() -> tuple[str, str]:
        app = create_app(Settings())
        app.router.add_get("/strict", strict)
        async with TestClient(TestServer(app)) as client:
            response = await client.get("/strict")
            return response.headers["Content-Security-Policy"], response.headers["X-Content-Type-Options"]

    assert asyncio.run(go()) == ("default-src 'none'", "nosniff")


def test_the_counsellor_console_is_mounted_and_routes_with_a_port_in_host(fetch, monkeypatch, tmp_path):
    # The test client sends "Host: 127.0.0.1:<port>": sub-application routing must cope.
    monkeypatch.setenv("SPRO_STAFF_DATABASE_URL", f"sqlite:///{tmp_path / 'staff.sqlite'}")
    response = fetch("/conseil/connexion")
    if response.status in (301, 302, 303):
        response = fetch(response.headers["Location"])
    assert response.status == 200
    assert "Connexion" in response.text or "connexion" in response.text
