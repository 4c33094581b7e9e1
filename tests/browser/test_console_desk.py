"""The counsellors' referral desk in Debian's chromium, used with the keyboard only:
log in, describe a situation, read the referral; axe-core finds no violation on the
form, the result or the error summary. Screenshot: tests/artifacts/console-desk.png."""
from __future__ import annotations

import pytest

from tests.support.console import PASSWORD
from widget_helpers import axe_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def console_site(monkeypatch, staff_url, directory_engine, tmp_path, widget_vendor_files):
    from bot.web.settings import Settings
    from conftest import WebServer

    monkeypatch.setenv("SPRO_STAFF_DATABASE_URL", staff_url)
    monkeypatch.setenv("DIRECTORY_DATABASE_URL", str(directory_engine.url))
    monkeypatch.setenv("CONVERSATIONS_DATABASE_URL", f"sqlite:///{tmp_path / 'conversations.sqlite'}")
    monkeypatch.setenv("SPRO_CONSOLE_SECURE_COOKIE", "0")  # plain http on 127.0.0.1
    with WebServer(Settings()) as server:
        yield server


def log_in(page, site):
    page.goto(site.url + "/conseil/connexion")
    page.keyboard.type("camille.test")  # the login field has the focus
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/conseil/conversations")


def test_the_desk_by_keyboard_with_no_accessibility_violation(page, console_site, artifacts_dir):
    log_in(page, console_site)
    page.goto(console_site.url + "/conseil/orienter")
    assert page.evaluate("document.activeElement.id") == "besoin"
    assert axe_violations(page) == []

    page.select_option("#besoin", "reconversion")  # the focused list, as arrow keys would
    page.keyboard.press("Tab")
    page.select_option("#situation", "salarie")
    page.keyboard.press("Tab")
    page.keyboard.type("41")
    page.keyboard.press("Tab")
    page.keyboard.type("luce")
    page.keyboard.press("Enter")
    page.wait_for_selector("#resultats")
    assert "Lucé (Eure-et-Loir)" in page.inner_text("#resultats")
    assert "Transitions Pro Centre-Val de Loire" in page.inner_text("main")
    assert axe_violations(page) == []
    page.screenshot(path=str(artifacts_dir / "console-desk.png"), full_page=True)

    page.goto(console_site.url + "/conseil/orienter?besoin=vae&age=quarante&commune=Zzqxw")
    summary = page.locator("[role=alert]")
    assert "2 erreurs" in summary.inner_text()
    summary.locator("a").first.focus()
    page.keyboard.press("Enter")  # the summary's link takes the focus to its field
    assert page.evaluate("location.hash") == "#age"
    assert axe_violations(page) == []
    assert page.js_errors == []
