"""The widget against the real Rasa server (project socket.io channel) and action server:
a conversation by keyboard to a referral card, kept across a page load, axe-core clean,
a screenshot; messages typed offline are sent on reconnect; rasa-webchat compatibility."""
from __future__ import annotations

import time

import pytest

from widget_helpers import (BOT, INPUT, LOG, axe_violations, bot_count, open_by_keyboard, say, session_state,
                            wait_for_bot)

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

# Each answer and what the bot says next: the need said back and the situation
# question, the age question, then the referral cards (the commune was given first).
CONVERSATION = [
    ("je cherche du travail j'habite à Chartres", "quelle est votre situation"),
    ("je suis au chômage", "Quel âge avez-vous"),
    ("42 ans", ".spro-card"),
]
FIRST = CONVERSATION[0][0]


def converse_to_referral(page) -> None:
    for text, expect in CONVERSATION:
        say(page, text, expect)
    assert page.locator(".spro-card").count(), page.inner_text(LOG)


def test_conversation_to_a_referral_card_survives_a_reload_and_passes_axe(page, live_site, artifacts_dir):
    started = time.monotonic()
    page.goto(live_site.url + "/")
    load_ms = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
    open_by_keyboard(page)
    page.wait_for_selector(".spro-status", state="hidden", timeout=30000)  # connected
    assert axe_violations(page) == []

    converse_to_referral(page)
    card = page.locator(".spro-card").first
    assert card.locator("a[href^='tel:']").count() or card.locator(".spro-card-address").count()
    assert "France Travail" in page.inner_text(".spro-referral")
    assert page.locator(".spro-card-reason").count()
    # The referral's text lines gave way to the cards (intro and outro stay).
    name = page.locator(".spro-card-name").first.inner_text()
    assert page.locator(".spro-from-bot .spro-bubble", has_text=name).count() == 0
    referral_s = time.monotonic() - started
    page.screenshot(path=str(artifacts_dir / "widget-referral.png"), full_page=False)
    assert axe_violations(page) == []

    before = page.inner_text(LOG)
    cards = page.locator(".spro-card").count()
    page.reload()
    page.wait_for_selector("[role=dialog]")
    assert page.locator(".spro-card").count() == cards
    assert FIRST in page.inner_text(LOG)
    assert page.inner_text(LOG) == before
    page.screenshot(path=str(artifacts_dir / "widget-after-reload.png"))
    print(f"\n[measure] demo page load {load_ms:.0f} ms; conversation to referral card {referral_s:.1f} s")
    assert page.js_errors == []


def test_buttons_send_their_payload_and_show_their_label(page, live_site):
    page.goto(live_site.url + "/")
    open_by_keyboard(page)
    say(page, "je cherche du travail", "quelle est votre situation")
    # The need said back carries "Ce n'est pas ma question" (payload /wrong_need).
    button = page.locator("button.spro-choice", has_text="Ce n'est pas ma question")
    button.wait_for()
    shown = page.locator("button.spro-choice").count()
    before = bot_count(page)
    button.click()
    # The payload's effect: the need is dropped and the person asked to say it again.
    wait_for_bot(page, "je vous ai mal compris", after=before)
    assert page.locator(".spro-from-user").last.inner_text().endswith("Ce n'est pas ma question")
    # The clicked group is gone.
    assert page.locator("button.spro-choice").count() < shown


def test_the_situation_buttons_answer_the_question(page, live_site):
    page.goto(live_site.url + "/")
    open_by_keyboard(page)
    say(page, "je voudrais faire une VAE", "quelle est votre situation")
    before = bot_count(page)
    page.locator("button.spro-choice", has_text="Salarié·e").click()
    # /inform{"public": "salarie"} fills the situation: the next question comes.
    wait_for_bot(page, "Quel âge avez-vous", after=before)


def test_messages_typed_offline_are_sent_on_reconnect(page, live_site):
    page.goto(live_site.url + "/")
    open_by_keyboard(page)
    page.wait_for_selector(".spro-status", state="hidden", timeout=30000)
    page.context.set_offline(True)
    page.wait_for_selector("text=Connexion perdue, nouvelle tentative…", timeout=30000)
    before = bot_count(page)
    page.fill(INPUT, "bonjour")
    page.keyboard.press("Enter")
    assert "en attente d'envoi" in page.inner_text(LOG)
    page.context.set_offline(False)
    page.wait_for_function(f"() => document.querySelectorAll('{BOT}').length > {before}", timeout=60000)
    assert "en attente d'envoi" not in page.inner_text(LOG)


def test_rasa_webchat_gets_an_answer_from_the_same_channel(page, live_site, artifacts_dir):
    """Protocol compatibility: rasa-webchat (npm), an existing socket.io client of Rasa,
    on the same channel (session_request/session_confirm, user_uttered/bot_uttered)."""
    page.goto(live_site.url + "/essais/rasa-webchat")
    if page.evaluate("typeof window.WebChat") == "undefined":
        pytest.skip("rasa-webchat is not installed (npm ci --prefix widget)")
    page.wait_for_selector(".rw-new-message", timeout=30000)
    page.fill(".rw-new-message", "bonjour")
    page.keyboard.press("Enter")
    # The bot's greeting mentions that the conversation is anonymous.
    page.locator(".rw-response", has_text="anonyme").first.wait_for(timeout=60000)
    page.fill(".rw-new-message", "je cherche du travail")
    page.keyboard.press("Enter")
    page.locator(".rw-response", has_text="situation").first.wait_for(timeout=60000)
    page.screenshot(path=str(artifacts_dir / "rasa-webchat.png"))


def test_erasing_the_conversation_forgets_it_in_the_browser_too(page, live_site):
    page.goto(live_site.url + "/")
    open_by_keyboard(page)
    say(page, "je voudrais faire une VAE à Lucé", "quelle est votre situation")
    old = session_state(page)
    say(page, "supprimer ma conversation", "Voulez-vous vraiment supprimer")
    page.locator("button.spro-choice", has_text="Oui, supprimer").click()
    wait_for_bot(page, "a été supprimée")
    # Only the confirmation is left, in the page and in the tab's storage, under a
    # new session id (nothing links the tab to the erased conversation).
    shown = page.inner_text(LOG)
    assert "a été supprimée" in shown and "VAE" not in shown and "Lucé" not in shown
    state = session_state(page)
    assert state["sessionId"] != old["sessionId"]
    assert len(state["messages"]) == 1 and "a été supprimée" in state["messages"][0]["text"]
    assert state["queue"] == [] and "VAE" not in str(state)
    # The conversation goes on with the new session.
    say(page, "je cherche une formation", "J'ai compris votre demande")
