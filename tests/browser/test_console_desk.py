"""The console's desk and directory pages in Debian's chromium. The counsellors'
referral desk used with the keyboard only: log in, describe a situation, read the
referral; axe-core finds no violation on the form, the result or the error
summary. The admin's directory pages (search, a structure, the CSV import, the
audit log): no violation either. Screenshots: tests/artifacts/console-*.png."""
from __future__ import annotations

import pytest

from tests.support.console import PASSWORD
from widget_helpers import axe_violations

pytestmark = pytest.mark.browser


HOMES = {"camille.test": "conversations", "alex.admin": "annuaire", "robin.relecture": "revue"}


def log_in(page, site, login="camille.test"):
    page.goto(site.url + "/conseil/connexion")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'login'")
    page.keyboard.type(login)  # the login field has the focus
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/conseil/{HOMES[login]}")


def test_the_desk_by_keyboard_with_no_accessibility_violation(page, console_site, artifacts_dir):
    log_in(page, console_site)
    page.goto(console_site.url + "/conseil/orienter")
    # autofocus runs after the load, when the browser gets to it (HTML spec): waited for
    page.wait_for_function("document.activeElement && document.activeElement.id === 'besoin'", timeout=5000)
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


def test_the_directory_pages_of_an_admin_have_no_accessibility_violation(page, console_site, staff_url,
                                                                       artifacts_dir):
    from bot.handoff import accounts

    factory = accounts.make_session_factory(staff_url)
    with factory.begin() as session:
        accounts.add_counsellor(session, "alex.admin", PASSWORD, ("admin",))
    factory.kw["bind"].dispose()
    log_in(page, console_site, "alex.admin")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'q'")
    page.keyboard.type("Chartres")  # the search field has the focus
    page.keyboard.press("Enter")
    page.wait_for_selector("#resultats")
    assert page.input_value("#q") == "Chartres" and "Chartres" in page.inner_text("tbody")
    assert axe_violations(page) == []
    page.screenshot(path=str(artifacts_dir / "console-directory.png"), full_page=True)
    page.locator("tbody a").first.click()
    page.wait_for_selector("text=Marquer la structure fermée")
    assert axe_violations(page) == []
    for path in ("/conseil/annuaire/ajouter", "/conseil/annuaire/import", "/conseil/comptes", "/conseil/journal"):
        page.goto(console_site.url + path)
        assert axe_violations(page) == [], path
    assert "staff.login" in page.inner_text("main")
    assert page.js_errors == []


def test_the_review_list_of_a_reviewer_has_no_accessibility_violation(page, console_site, staff_url):
    from bot.handoff import accounts

    factory = accounts.make_session_factory(staff_url)
    with factory.begin() as session:
        accounts.add_counsellor(session, "robin.relecture", PASSWORD, ("reviewer",))
    factory.kw["bind"].dispose()
    log_in(page, console_site, "robin.relecture")
    assert "0 conversation" in page.inner_text("#resultats")
    assert axe_violations(page) == []
    page.goto(console_site.url + "/conseil/revue?du=hier&besoin=nope")
    assert "Filtres à corriger" in page.inner_text("[role=alert]")
    assert axe_violations(page) == []
