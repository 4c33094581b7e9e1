"""The indicators in Debian's chromium: a reviewer opens the dashboard from the
menu, filters by département with the keyboard, reads a chart's table, opens the
annual report; axe-core finds no violation on either page, nor on the dashboard's
error state. Screenshots: tests/artifacts/console-indicators-*.png."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from tests.support.console import PASSWORD
from tests.support.facts import fact, not_referred, write
from widget_helpers import axe_violations

pytestmark = pytest.mark.browser
LOGIN = "claude.relecture"


@pytest.fixture
def stored_facts(tmp_path):
    """In the database console_site points at: 2026 and 2025, three départements."""
    from bot.indicators import rollup

    engine = sa.create_engine(f"sqlite:///{tmp_path / 'conversations.sqlite'}")
    rollup.create(engine)
    rows = [fact(dt.date(2026, 1 + i % 11, 3), need="orientation_scolaire" if i % 3 else "formation",
                 rating=4 if i % 4 == 0 else None) for i in range(60)]
    rows += [fact(dt.date(2026, 5, 5), department_code="35", need="vae", networks=",conseil_vae,",
                  first_network="conseil_vae") for _ in range(9)]
    rows += [not_referred(dt.date(2026, 6, 6), "hors_sujet", department_code="56") for _ in range(2)]
    rows += [fact(dt.date(2025, 3, 3)) for _ in range(40)]
    with engine.begin() as connection:
        write(connection, rows)
    engine.dispose()


def test_dashboard_and_report_with_no_violation(page, stored_facts, console_site, staff_url, artifacts_dir):
    from bot.handoff import accounts

    factory = accounts.make_session_factory(staff_url)
    with factory.begin() as session:
        accounts.add_counsellor(session, LOGIN, PASSWORD, ("reviewer",))
    factory.kw["bind"].dispose()
    page.goto(console_site.url + "/conseil/connexion")
    page.fill("#login", LOGIN)
    page.fill("#password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/conseil/revue")
    page.click("nav >> text=Indicateurs")
    page.fill("#du", "2026-01")
    page.fill("#au", "2026-12")
    page.select_option("#region", "53")
    page.focus("#au")
    page.keyboard.press("Enter")
    page.wait_for_url("**region=53**")
    conversations = page.locator("table.key-figures tr", has=page.locator("th", has_text="Conversations")).first
    assert conversations.locator("td").inner_text() == "71"
    chart = page.locator("section.chart", has=page.locator("#titre-departement"))
    assert "< 5" in chart.locator("table").inner_text()  # the Morbihan's 2 and their neighbour
    assert chart.locator("svg[role=img] > title").text_content() == "Département"
    assert axe_violations(page) == []
    page.screenshot(path=str(artifacts_dir / "console-indicators-dashboard.png"), full_page=True)
    page.click("text=Bilan d'activité annuel 2026")
    assert "Bilan d'activité 2026" in page.inner_text("h1")
    assert "Bretagne" in page.inner_text("main")
    assert axe_violations(page) == []
    page.screenshot(path=str(artifacts_dir / "console-indicators-report.png"), full_page=True)
    page.goto(console_site.url + "/conseil/indicateurs?du=2026-1")
    assert "Mois attendu au format AAAA-MM" in page.inner_text("[role=alert]")
    assert axe_violations(page) == []
