"""The project's socket.io channel on the real Rasa server, with a real socket.io
client (python-socketio): a session, an answer, a referral as the spec's payload,
and a message over 1,000 characters refused in French and never processed."""
from __future__ import annotations

import asyncio
import json
import urllib.request
import uuid

import pytest

from bot.channels.guard import MAX_MESSAGE_CHARS

pytestmark = pytest.mark.e2e


async def converse(rasa_url: str, session_id: str, messages: list[str], wait_s: float = 60) -> list[list[dict]]:
    """Each message and the bot's replies to it (until the replies stop for a beat)."""
    import socketio

    client = socketio.AsyncClient(reconnection=False)
    inbox: asyncio.Queue = asyncio.Queue()
    confirmed = asyncio.Event()
    client.on("bot_uttered", lambda data: inbox.put_nowait(data))
    client.on("session_confirm", lambda data: confirmed.set())
    # Long-polling: the websocket transport of this python-engineio needs a newer
    # aiohttp than Rasa pins (3.9); the browser tests drive the websocket one.
    await client.connect(rasa_url, socketio_path="socket.io", transports=["polling"])
    try:
        await client.emit("session_request", {"session_id": session_id})
        await asyncio.wait_for(confirmed.wait(), 30)
        answers = []
        for message in messages:
            await client.emit("user_uttered", {"message": message, "session_id": session_id})
            replies = [await asyncio.wait_for(inbox.get(), wait_s)]  # at least one answer
            while True:
                try:
                    replies.append(await asyncio.wait_for(inbox.get(), 2))
                except asyncio.TimeoutError:
                    break
            answers.append(replies)
        return answers
    finally:
        await client.disconnect()


def user_events(servers, sender: str) -> list[dict]:
    url = f"{servers.rasa_url}/conversations/{sender}/tracker?token={servers.token}"
    with urllib.request.urlopen(url, timeout=30) as response:
        return [e for e in json.loads(response.read())["events"] if e.get("event") == "user"]


def test_a_message_too_long_is_refused_in_french_over_the_real_channel(live_servers):
    session = uuid.uuid4().hex
    [refusal] = asyncio.run(converse(live_servers.rasa_url, session, ["é" * (MAX_MESSAGE_CHARS + 1)]))
    assert len(refusal) == 1 and "trop long" in refusal[0]["text"] and "1 000 caractères" in refusal[0]["text"]
    assert user_events(live_servers, session) == []  # never processed, never stored


def test_a_conversation_reaches_its_referral_payload_over_the_real_channel(live_servers):
    session = uuid.uuid4().hex
    answers = asyncio.run(converse(live_servers.rasa_url, session, [
        "je voudrais faire une VAE, je suis salariée, j'ai 34 ans et j'habite à Lucé"]))
    customs = [r["custom"] for r in answers[0] if isinstance(r.get("custom"), dict)]
    [payload] = [c for c in customs if c.get("type") == "referral"]
    assert payload["need"] == "vae" and payload["commune"] == "Lucé"
    # The referral's text lines name their response: the widget drops them for its cards.
    name = payload["structures"][0]["name"]
    lines = [r for r in answers[0] if name in r.get("text", "")]
    assert lines and all(r.get("utter_action", "").startswith("utter_referral_structure") for r in lines)
