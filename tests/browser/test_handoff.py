"""Handoff end to end: the widget asks for a counsellor, the bot then stays silent; a
counsellor's message sent the console's way (Rasa's HTTP API) reaches the widget;
once handed back, the assistant answers again."""
from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor

import aiohttp
import pytest

from widget_helpers import BOT, INPUT, LOG, bot_count, open_by_keyboard, say, session_state, wait_for_bot

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


def bot_events_after(servers, sender_id: str, text: str, timeout_s: float = 60) -> list[dict]:
    """Once Rasa has recorded the person's `text` and finished its turn (listening
    again), the bot events that followed it, read from Rasa's own tracker: no pause
    that guesses how long "silent" takes."""
    import json
    import urllib.request

    deadline = time.monotonic() + timeout_s
    while True:
        url = f"{servers.rasa_url}/conversations/{sender_id}/tracker?token={servers.token}"
        with urllib.request.urlopen(url, timeout=30) as response:
            events = json.loads(response.read())["events"]
        users = [i for i, e in enumerate(events) if e.get("event") == "user" and e.get("text") == text]
        if users and events[-1].get("event") == "action" and events[-1].get("name") == "action_listen" \
                and len(events) > users[-1] + 1:
            return [e for e in events[users[-1]:] if e.get("event") == "bot"]
        assert time.monotonic() < deadline, f"Rasa never finished the turn of {text!r}"
        time.sleep(0.2)


def test_a_counsellor_takes_over_then_hands_back(page, live_site, live_servers):
    page.goto(live_site.url + "/")
    open_by_keyboard(page)
    page.wait_for_selector(".spro-status", state="hidden", timeout=30000)
    say(page, "je veux parler à un conseiller", "Je transmets votre demande")
    sender_id = session_state(page)["sessionId"]

    # While a counsellor is awaited, the bot does not answer.
    before = bot_count(page)
    page.focus(INPUT)
    page.keyboard.type("je cherche une formation en comptabilité")
    page.keyboard.press("Enter")
    assert bot_events_after(live_servers, sender_id, "je cherche une formation en comptabilité") == []
    assert bot_count(page) == before, page.inner_text(LOG)

    assert console_triggers(live_servers, sender_id, "counsellor_message",
                            {"counsellor_text": COUNSELLOR_WORDS})
    wait_for_bot(page, COUNSELLOR_WORDS, after=before)
    assert page.locator(f"{BOT}").last.inner_text().strip().endswith(COUNSELLOR_WORDS)

    answered = bot_count(page)
    assert console_triggers(live_servers, sender_id, "counsellor_hand_back")
    wait_for_bot(page, "assistant automatique", after=answered)
    # The assistant answers again (the need was heard during the wait: its question comes).
    say(page, "je cherche une formation en comptabilité", "quelle est votre situation")
