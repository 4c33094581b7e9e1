"""Browser tests: Debian's chromium driven by Playwright (no browser download), the web
app on a free port, and for the `e2e` ones the real Rasa server with the project's
socket.io channel (plus REST) and the action server."""
from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

from bot.local_servers import free_port

ROOT = Path(__file__).resolve().parents[2]

def chromium_path() -> Path | None:
    """Debian's chromium (scripts/ci-chromium), wherever it is: $SPRO_CHROMIUM, the
    PATH, then the usual places."""
    for candidate in (os.environ.get("SPRO_CHROMIUM"), shutil.which("chromium"),
                      shutil.which("chromium-browser"), "/usr/bin/chromium", "/usr/lib/chromium/chromium"):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None

VENDOR = ROOT / "bot" / "web" / "static" / "vendor"
RASA_WEBCHAT = ROOT / "widget" / "node_modules" / "rasa-webchat" / "lib" / "index.js"
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def widget_vendor_files():
    """socket.io-client and axe-core copied by scripts/build-widget (npm ci if needed)."""
    if not ((VENDOR / "socket.io.min.js").is_file() and (VENDOR / "axe.min.js").is_file()):
        if shutil.which("npm") is None:
            pytest.skip("npm is missing: scripts/build-widget cannot fetch socket.io-client and axe-core")
        subprocess.run([str(ROOT / "scripts" / "build-widget")], check=True, cwd=ROOT)
    return VENDOR


# Module scope: Playwright's sync API keeps an event loop running in the main thread
# while it is started, which would break asyncio.run() in the test modules that follow.
@pytest.fixture(scope="module")
def chromium(widget_vendor_files):
    executable = chromium_path()
    if executable is None:
        pytest.skip("chromium is missing (Debian package chromium, scripts/ci-chromium): browser tests skipped")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


class WebServer:
    """The aiohttp app served from a thread with its own event loop."""

    def __init__(self, settings) -> None:
        from bot.web.app import create_app

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._app = create_app(settings)
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        from aiohttp import web

        asyncio.set_event_loop(self._loop)
        self._runner = web.AppRunner(self._app, access_log=None)
        self._loop.run_until_complete(self._runner.setup())
        self._loop.run_until_complete(web.TCPSite(self._runner, "127.0.0.1", self.port).start())
        self._ready.set()
        self._loop.run_forever()
        self._loop.run_until_complete(self._runner.cleanup())
        self._loop.close()

    def __enter__(self) -> "WebServer":
        self._thread.start()
        if not self._ready.wait(30):
            pytest.fail("web app did not start")
        return self

    def __exit__(self, *exc) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(30)


@pytest.fixture(scope="session")
def offline_site(widget_vendor_files):
    """The demo site whose socket URL points at a port where nothing listens."""
    from bot.web.settings import Settings

    with WebServer(Settings(socket_url=f"http://127.0.0.1:{free_port()}")) as server:
        yield server


@pytest.fixture(scope="session")
def rasa_socketio(live_servers):
    """The shared live Rasa server (REST and the project's socket.io channel): its URL."""
    return live_servers.rasa_url


@pytest.fixture(scope="session")
def live_site(rasa_socketio, widget_vendor_files):
    """The demo site talking to the real Rasa; also serves the rasa-webchat test page."""
    from bot.web.settings import Settings

    bundle = RASA_WEBCHAT if RASA_WEBCHAT.is_file() else None
    with WebServer(Settings(socket_url=rasa_socketio, rasa_webchat_bundle=bundle)) as server:
        yield server


@pytest.fixture
def page(chromium):
    """A fresh browser context (empty storage) per test."""
    context = chromium.new_context(locale="fr-FR", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors  # type: ignore[attr-defined]
    yield page
    context.close()


@pytest.fixture(scope="session")
def artifacts_dir():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def console_site(monkeypatch, staff_url, directory_engine, tmp_path, widget_vendor_files):
    """The web app with the staff console on a fresh staff database (one counsellor,
    tests/support/console.py) and the real directory; plain http on 127.0.0.1."""
    from bot.web.settings import Settings

    monkeypatch.setenv("SPRO_STAFF_DATABASE_URL", staff_url)
    monkeypatch.setenv("DIRECTORY_DATABASE_URL", str(directory_engine.url))
    monkeypatch.setenv("CONVERSATIONS_DATABASE_URL", f"sqlite:///{tmp_path / 'conversations.sqlite'}")
    monkeypatch.setenv("SPRO_CONSOLE_SECURE_COOKIE", "0")
    with WebServer(Settings()) as server:
        yield server
