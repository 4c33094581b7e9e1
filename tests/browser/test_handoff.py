"""Handoff end to end: the widget asks for a counsellor, the bot then stays silent; a
counsellor's message sent the console's way (Rasa's HTTP API) reaches the widget;
once handed back, the assistant answers again."""
from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor

import aiohttp
import pytest

from test_widget_conversation import BOT, bot_count, say
from widget_helpers import INPUT, LOG, open_by_keyboard, session_state

pytestmark = [pytest.mark.browser, pytest.mark.e2e]
COUNSELLOR_WORDS = "Bonjour, je suis conseillère. Je lis votre demande."


def console_triggers(servers, sender_id: str, intent: str, entities=None) -> bool:
    from bot.handoff.rasa_api import trigger_intent

    async def go() -> bool:
        async with aiohttp.ClientSession() as client:
            return await trigger_intent(client, servers.rasa_url, servers.token, sender_id, intent, entities)

    # Playwright's sync API owns this thread's event loop: the console's call runs in
    # a thread of its own, as it would in the web app's loop.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, go()).result(timeout=30)


def wait_for_text(page, text: str, timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while text not in page.inner_text(LOG):
        assert time.monotonic() < deadline, f"{text!r} never shown:\n{page.inner_text(LOG)}"
        page.wait_for_timeout(100)


def test_a_counsellor_takes_over_then_hands_back(page, live_site, live_servers):
    page.goto(live_site.url + "/")
    open_by_keyboard(page)
    page.wait_for_selector(".spro-status", state="hidden", timeout=30000)
    say(page, "je veux parler à un conseiller")
    wait_for_text(page, "Je transmets votre demande")
    sender_id = session_state(page)["sessionId"]

    # While a counsellor is awaited, the bot does not answer.
    before = bot_count(page)
    page.focus(INPUT)
    page.keyboard.type("je cherche une formation en comptabilité")
    page.keyboard.press("Enter")
    page.wait_for_timeout(5000)
    assert bot_count(page) == before, page.inner_text(LOG)

    assert console_triggers(live_servers, sender_id, "counsellor_message",
                            {"counsellor_text": COUNSELLOR_WORDS})
    wait_for_text(page, COUNSELLOR_WORDS)
    assert page.locator(f"{BOT}").last.inner_text().strip().endswith(COUNSELLOR_WORDS)

    assert console_triggers(live_servers, sender_id, "counsellor_hand_back")
    wait_for_text(page, "assistant automatique")
    answered = bot_count(page)
    say(page, "je cherche une formation en comptabilité")
    assert bot_count(page) > answered
