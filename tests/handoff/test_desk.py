"""The referral desk of the console, over real HTTP, on the real directory: the
same referral as the bot with its reasons, filters, French errors, and the cards
sent into a handed-over conversation (what reaches Rasa is recorded by a real
HTTP peer; the action that rebuilds the cards: tests/handoff/test_actions.py)."""
from __future__ import annotations

import json
import re

from tests.handoff.test_console import (conversations_url, csrf_of, fake_rasa,  # noqa: F401 (fixtures)
                                        log_in, run_console)

DESK = "/conseil/orienter"
CARD = re.compile(r'name="carte" value="([^"]+)"')


def run_desk(staff_url, conversations_url, fake_rasa, directory_engine, scenario):
    run_console(staff_url, conversations_url, fake_rasa, scenario,
                directory_database_url=str(directory_engine.url))


def test_the_desk_needs_a_login(staff_url, conversations_url, fake_rasa, directory_engine):
    async def scenario(client, received):
        response = await client.get(DESK + "?besoin=vae", allow_redirects=False)
        assert response.status == 303 and response.headers["Location"] == "/conseil/connexion"
        posted = await client.post("/conseil/conversations/citizen-waiting/orientation",
                                   data={"besoin": "vae", "carte": "1"}, allow_redirects=False)
        assert posted.status == 403 and received == []

    run_desk(staff_url, conversations_url, fake_rasa, directory_engine, scenario)


def test_the_desk_gives_the_bots_referral_with_reasons_information_and_remote(
        staff_url, conversations_url, fake_rasa, directory_engine):
    async def scenario(client, received):
        await log_in(client)
        empty = await client.get(DESK)
        assert empty.status == 200 and "Besoin (obligatoire)" in await empty.text()
        page = await client.get(DESK, params={"besoin": "reconversion", "situation": "salarie",
                                              "age": "41", "commune": "luce"})
        html = await page.text()
        assert page.status == 200
        assert "Lucé (Eure-et-Loir)" in html
        assert "Transitions Pro Centre-Val de Loire" in html and "compétente pour votre département" in html
        assert "Pourquoi :" in html and "Première information" in html
        assert "0 800 222 100" in html  # the region's remote service
        assert "Autres structures proches" in html
        assert 'name="carte"' not in html  # no conversation: nothing to send

    run_desk(staff_url, conversations_url, fake_rasa, directory_engine, scenario)


def test_filters_by_network_and_distance(staff_url, conversations_url, fake_rasa, directory_engine):
    async def scenario(client, received):
        await log_in(client)
        html = await (await client.get(DESK, params={
            "besoin": "recherche_emploi", "situation": "demandeur_emploi", "commune": "Rennes",
            "reseau": "france_travail", "distance": "10"})).text()
        distances = [float(km.replace(",", ".")) for km in re.findall(r"à (\d+,\d) km", html)]
        assert len(distances) >= 3 and max(distances) <= 10
        networks = re.findall(r"<p>([^<]*?) –\s", html)
        assert networks and set(networks) == {"France Travail (ex-Pôle emploi)"}

    run_desk(staff_url, conversations_url, fake_rasa, directory_engine, scenario)


def test_mistakes_are_said_in_french_next_to_their_field(staff_url, conversations_url, fake_rasa,
                                                       directory_engine):
    async def scenario(client, received):
        await log_in(client)
        page = await client.get(DESK, params={"besoin": "nope", "age": "quarante", "commune": "Zzqxw"})
        html = await page.text()
        assert page.status == 422 and 'role="alert"' in html and "3 erreurs" in html
        for message in ("Choisissez le besoin", "Indiquez l&#39;âge en années", "Commune introuvable"):
            assert message in html
        assert html.count('aria-invalid="true"') == 3
        homonyms = await (await client.get(DESK, params={"besoin": "vae", "commune": "Saint-Denis"})).text()
        assert "Plusieurs communes s&#39;appellent" in homonyms and "commune=93066" in homonyms
        escaped = await (await client.get(DESK, params={"besoin": "vae", "commune": "<script>x</script>"})).text()
        assert "<script>x" not in escaped and "&lt;script&gt;x" in escaped

    run_desk(staff_url, conversations_url, fake_rasa, directory_engine, scenario)


def test_chosen_cards_go_into_the_conversation_as_ids_and_situation(
        staff_url, conversations_url, fake_rasa, directory_engine):
    params = {"besoin": "recherche_emploi", "situation": "demandeur_emploi", "commune": "28218",
              "distance": "60", "conversation": "citizen-waiting"}

    async def scenario(client, received):
        await log_in(client)
        html = await (await client.get(DESK, params=params)).text()
        cards = CARD.findall(html)
        assert len(cards) >= 3
        token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
        form = {key: value for key, value in params.items() if key != "conversation"}
        nothing = await client.post("/conseil/conversations/citizen-waiting/orientation",
                                    data={**form, "csrf_token": token})
        assert nothing.status == 422 and "Cochez au moins une structure" in await nothing.text()
        forged = await client.post("/conseil/conversations/citizen-waiting/orientation",
                                   data={**form, "csrf_token": token, "carte": "999999"})
        assert forged.status == 422 and received == []

        sent = await client.post("/conseil/conversations/citizen-waiting/orientation", allow_redirects=False,
                                 data=[*form.items(), ("csrf_token", token), ("carte", cards[0]),
                                       ("carte", cards[2])])
        assert sent.status == 303 and sent.headers["Location"].endswith("?info=orientation")
        [call] = received
        assert call["json"]["name"] == "counsellor_message"
        choice = json.loads(call["json"]["entities"]["counsellor_referral"])
        assert choice == {"need": "recherche_emploi", "public": "demandeur_emploi", "age": None, "handicap": False, "cadre": False,
                          "commune_insee": "28218", "network": None, "max_km": 60.0,
                          "ids": [cards[0], cards[2]]}
        page = await (await client.get("/conseil/conversations/citizen-waiting?info=orientation")).text()
        assert "Orientation envoyée" in page

    run_desk(staff_url, conversations_url, fake_rasa, directory_engine, scenario)


def test_nothing_is_sent_to_a_closed_conversation(staff_url, conversations_url, fake_rasa, directory_engine):
    async def scenario(client, received):
        await log_in(client)
        html = await (await client.get(DESK, params={"besoin": "vae", "commune": "28218",
                                                     "conversation": "citizen-closed"})).text()
        assert 'name="carte"' not in html  # not handed over: no sending form
        token = await csrf_of(client, DESK)
        response = await client.post("/conseil/conversations/citizen-closed/orientation", allow_redirects=False,
                                     data={"besoin": "vae", "commune": "28218", "csrf_token": token,
                                           "carte": "remote:france-vae"})
        assert received == []
        assert response.status in (303, 422)

    run_desk(staff_url, conversations_url, fake_rasa, directory_engine, scenario)
