"""The indicators of the console, on a real store of invented conversations' facts
and the real directory (names of regions and départements): the figures a reviewer
and an admin read, small counts hidden with their neighbour, the filters and their
French errors, the CSV of a chart and of a cross table parsed back, and the annual
report as a page and as a PDF whose text holds the key figures."""
from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import re

import pytest
import sqlalchemy as sa

from bot.handoff import accounts
from bot.indicators import rollup
from directory.vocabulary import Need
from tests.handoff.test_console import fake_rasa, run_console  # noqa: F401 (fixtures)
from tests.handoff.test_directory_admin import log_in_as
from tests.support.console import PASSWORD
from tests.support.facts import fact, not_referred, write

REVIEWER, ADMIN = "dominique.revue", "sacha.admin"
YEAR = 2026


@pytest.fixture
def facts_url(tmp_path):
    """2026: 30 conversations in the Finistère (formation, CIO), 12 in Ille-et-Vilaine
    (VAE, two networks), 3 in the Morbihan left without referral; 2025: 20."""
    url = f"sqlite:///{tmp_path / 'conversations.sqlite'}"
    engine = sa.create_engine(url)
    rollup.create(engine)
    rows = [fact(dt.date(YEAR, 3, 1 + i % 28), rating=5 if i < 8 else None) for i in range(30)]
    rows += [fact(dt.date(YEAR, 4, 2), department_code="35", need="vae", first_network="conseil_vae",
                  networks=",conseil_vae,transitions_pro,", channel="rest", public="demandeur_emploi",
                  handoff_asked=i < 6, handoff_served=i < 5, handoff_wait_seconds=120 * (i + 1) if i < 5 else None,
                  handoff_timed_out=i == 5) for i in range(12)]
    rows += [not_referred(dt.date(YEAR, 4, 9), department_code="56", need="vae") for _ in range(3)]
    rows += [fact(dt.date(YEAR - 1, 6, 1)) for _ in range(20)]
    with engine.begin() as connection:
        write(connection, rows)
    engine.dispose()
    return url


@pytest.fixture
def staff(staff_url):
    factory = accounts.make_session_factory(staff_url)
    with factory.begin() as session:
        accounts.add_counsellor(session, REVIEWER, PASSWORD, ("reviewer",))
        accounts.add_counsellor(session, ADMIN, PASSWORD, ("admin",))
    factory.kw["bind"].dispose()
    return staff_url


def run(staff, facts_url, fake_rasa, directory_engine, scenario):
    run_console(staff, facts_url, fake_rasa, scenario, directory_database_url=str(directory_engine.url))


def row_value(html: str, section: str, label: str) -> str:
    """The figure next to `label` in the table of the chart titled `section`."""
    part = html[html.index(f'id="titre-{section}"'):]
    part = part[:part.index("</section>")]
    found = re.search(r"<th scope=\"row\">" + re.escape(label) + r"</th><td class=\"number\">([^<]+)</td>", part)
    assert found, (section, label)
    return found.group(1).replace("\u202f", " ").replace("&lt;", "<")


def figure(html: str, label: str) -> str:
    found = re.search(re.escape(label) + r"(?: <span[^<]*</span>)?</th><td class=\"number\">([^<]+)</td>", html)
    assert found, label
    return found.group(1).replace("\u202f", " ").replace("\u00a0", " ").replace("&lt;", "<")


def test_the_dashboard_shows_the_figures_and_hides_small_counts(staff, facts_url, fake_rasa, directory_engine):
    async def scenario(client, _):
        assert (await log_in_as(client, REVIEWER)).status == 303
        page = await client.get(f"/conseil/indicateurs?du={YEAR}-01&au={YEAR}-12")
        html = await page.text()
        assert page.status == 200, html
        assert figure(html, "Conversations") == "45"
        # 3 conversations ended without referral: hidden, and with them what would
        # give them away (the total of those referred, the smaller network).
        assert figure(html, "Conversations terminées par une orientation") == "secret"
        assert figure(html, "Part des conversations orientées") == "—"
        assert figure(html, "Passages à un·e conseiller·e demandés") == "6"
        assert figure(html, "dont pris en charge") == "5"
        assert figure(html, "dont restés sans conseiller·e disponible à temps") == "< 5"
        assert figure(html, "Attente moyenne avant la prise en charge") == "6,0 min"  # 2 to 10 minutes
        assert figure(html, "Note moyenne") == "5,0 / 5"
        # The Morbihan's 3 conversations are hidden, and so is the next smallest
        # département, so that neither comes out of the total.
        assert row_value(html, "departement", "Morbihan (56)") == "< 5"
        assert row_value(html, "departement", "Ille-et-Vilaine (35)") == "secret"
        assert row_value(html, "departement", "Finistère (29)") == "30"
        # Referred or not, and why: one table, protected with its subtotals.
        assert row_value(html, "fin", "sans orientation : conversation laissée") == "< 5"
        assert row_value(html, "fin", "orientée : Centre d&#39;information et d&#39;orientation (CIO)") == "30"
        assert row_value(html, "fin", "orientée : France VAE / point relais conseil VAE") == "secret"
        assert figure(html, "Conversations terminées sans orientation") == "< 5"
        assert row_value(html, "mois", f"mars {YEAR}") == "30"
        assert row_value(html, "reseaux", "Transitions Pro (ex-Fongecif)") == "12"
        # Each chart is an image with a title and a description, then its table.
        assert html.count('<svg role="img"') == html.count("<caption>") == 10
        assert '<svg role="img" aria-labelledby="svg-titre-besoin svg-desc-besoin"' in html
        assert f"Besoin exprimé : 2 valeurs ; la plus fréquente est « {Need.FORMATION.label} » (30)." in html
        assert "Département : 3 valeurs ; la plus fréquente est « Finistère (29) » (30). 2 valeurs sous 5" in html

        # A département of the region, on one channel.
        one = await (await client.get(f"/conseil/indicateurs?du={YEAR}-01&au={YEAR}-12&region=53"
                                      f"&departement=35&canal=rest")).text()
        assert figure(one, "Conversations") == "12" and "Ille-et-Vilaine (35)" in one
        # A département whose count the wider view hides is not shown apart: the
        # Morbihan's 3, and Ille-et-Vilaine's 12 hidden with them (45 - 30 - 12 = 3).
        for code in ("56", "35"):
            refused = await (await client.get(f"/conseil/indicateurs?du={YEAR}-01&au={YEAR}-12&departement={code}")).text()
            assert "Trop peu de conversations pour ce choix" in refused and "table class=\"key-figures\"" not in refused
            csv_refused = await client.get(f"/conseil/indicateurs.csv?du={YEAR}-01&au={YEAR}-12&departement={code}"
                                           "&par=besoin")
            assert csv_refused.status == 422 and "Trop peu de conversations" in await csv_refused.text()
        shown = await (await client.get(f"/conseil/indicateurs?du={YEAR}-01&au={YEAR}-12&departement=29")).text()
        assert figure(shown, "Conversations") == "30"
        wrong = await client.get("/conseil/indicateurs?du=2026-13&au=2026-01&departement=75&region=53")
        text = await wrong.text()
        assert wrong.status == 422
        assert "Mois attendu au format AAAA-MM" in text and "pas dans la région choisie" in text
        assert 'aria-invalid="true" aria-describedby="erreur-du"' in text

        assert (await log_in_as(client, ADMIN)).status == 303
        assert (await client.get("/conseil/indicateurs")).status == 200

    run(staff, facts_url, fake_rasa, directory_engine, scenario)


def parse(text: str, separator: str) -> list[list[str]]:
    assert text.startswith("\ufeff")  # spreadsheets read UTF-8 with its mark
    return list(csv.reader(io.StringIO(text[1:]), delimiter=separator))


def test_the_csv_of_a_chart_and_of_a_cross_table(staff, facts_url, fake_rasa, directory_engine):
    async def scenario(client, _):
        assert (await log_in_as(client, REVIEWER)).status == 303
        response = await client.get(f"/conseil/indicateurs.csv?du={YEAR}-01&au={YEAR}-12&vue=departement&sep=;")
        assert response.status == 200 and response.content_type == "text/csv"
        assert "attachment" in response.headers["Content-Disposition"]
        rows = parse(await response.text(), ";")
        assert rows[0] == ["Département", "Conversations"]
        assert dict(rows[1:]) == {"Finistère (29)": "30", "Ille-et-Vilaine (35)": "secret", "Morbihan (56)": "< 5",
                                  "Total": "45"}
        crossed = await client.get(f"/conseil/indicateurs.csv?du={YEAR}-01&au={YEAR}-12&dimension=besoin"
                                   "&dimension=departement")
        rows = parse(await crossed.text(), ",")
        assert rows[0] == ["Besoin", "Département", "Conversations"]
        table = {(need, place): value for need, place, value in rows[1:]}
        assert table[("formation", "29")] == "30" and table[("Total", "Total")] == "45"
        assert table[("vae", "56")] == "< 5" and table[("vae", "35")] == "secret"
        truth = {("formation", "29"): 30, ("vae", "35"): 12, ("vae", "56"): 3, ("formation", "Total"): 30,
                 ("vae", "Total"): 15, ("Total", "29"): 30, ("Total", "35"): 12, ("Total", "56"): 3,
                 ("Total", "Total"): 45}
        for key, value in table.items():  # never a false figure: exact, "< 5" when small, else "secret"
            assert value == str(truth[key]) or value == ("< 5" if truth[key] < 5 else "secret"), key
        refused = await client.get(f"/conseil/indicateurs.csv?du={YEAR}-01&au={YEAR}-12&par=besoin,commune")
        assert refused.status == 422 and "Dimension inconnue : commune" in await refused.text()
        empty = await client.get(f"/conseil/indicateurs.csv?du={YEAR}-01&au={YEAR}-12")
        assert empty.status == 422 and "Cochez au moins une dimension" in await empty.text()

    run(staff, facts_url, fake_rasa, directory_engine, scenario)


def test_the_annual_report_page_and_its_pdf(staff, facts_url, fake_rasa, directory_engine, caplog):
    from pypdf import PdfReader

    async def scenario(client, _):
        assert (await log_in_as(client, ADMIN)).status == 303
        page = await client.get(f"/conseil/indicateurs/bilan?annee={YEAR}&region=53")
        html = await page.text()
        assert page.status == 200, html
        assert f"Bilan d'activité {YEAR}" in html and "Bretagne" in html
        # 45 conversations against 20 the year before.
        assert re.search(r"Conversations</th>\s*<td class=\"number\">45</td>\s*<td class=\"number\">20</td>\s*"
                         r"<td class=\"number\">\+125,0\u00a0%</td>", html)
        assert "Secret statistique" in html and "effacées après 180 jours" in html
        pdf = await client.get(f"/conseil/indicateurs/bilan.pdf?annee={YEAR}&region=53")
        assert pdf.status == 200 and pdf.content_type == "application/pdf"
        body = await pdf.read()
        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages)
        text = re.sub(r"\s+", " ", text)
        assert f"Bilan d'activité {YEAR}" in text and "Bretagne" in text
        assert "Conversations 45 20 +125,0" in text.replace("\u00a0", " ").replace(" %", "")
        assert "Secret statistique" in text
        assert "page 1 sur" in text  # the report's print style (its page footer) was read
        fetched = [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")]
        assert not [m for m in fetched if "Failed to load" in m or "not fetched" in m], fetched
        wrong = await client.get("/conseil/indicateurs/bilan?annee=1999")
        assert wrong.status == 422 and "Année attendue entre 2000" in await wrong.text()

    run(staff, facts_url, fake_rasa, directory_engine, scenario)
