"""The project's socket.io channel: referral payloads reach the client, long messages
are refused in French."""
from __future__ import annotations

import asyncio

from rasa.core.channels.channel import UserMessage

from bot.channels.guard import MAX_MESSAGE_CHARS
from bot.channels.socketio import SocketIOInput, SocketIOOutput


class FakeSio:
    def __init__(self) -> None:
        self.emitted: list[tuple] = []

    async def emit(self, event, data=None, to=None, room=None, skip_sid=None, namespace=None,
                   callback=None, ignore_queue=False):  # python-socketio's signature
        self.emitted.append((event, data, room))


PAYLOAD = {"type": "referral", "need": "vae", "public": None, "commune": "Lucé",
           "structures": [], "remote": []}


def test_custom_payload_is_sent_as_custom_in_bot_uttered():
    sio = FakeSio()
    asyncio.run(SocketIOOutput(sio, "bot_uttered").send_response("session-1", {"custom": dict(PAYLOAD)}))
    assert sio.emitted == [("bot_uttered", {"custom": PAYLOAD}, "session-1")]


def test_channel_keeps_rasa_name_and_options():
    channel = SocketIOInput.from_credentials({"user_message_evt": "user_uttered",
                                              "bot_message_evt": "bot_uttered",
                                              "session_persistence": True})
    assert channel.name() == "socketio"
    assert channel.session_persistence is True


def test_long_messages_are_refused_in_french_and_not_processed():
    channel = SocketIOInput(session_persistence=True)
    received: list = []

    async def on_new_message(message: UserMessage) -> None:
        received.append(message)

    channel.blueprint(on_new_message)
    handle = channel.sio.handlers["/"]["user_uttered"]
    fake = FakeSio()
    channel.sio = fake

    asyncio.run(handle("sid", {"message": "x" * (MAX_MESSAGE_CHARS + 1), "session_id": "s1"}))
    assert received == []
    [(event, data, room)] = fake.emitted
    assert (event, room) == ("bot_uttered", "s1")
    assert "trop long" in data["text"]

    asyncio.run(handle("sid", {"message": "bonjour", "session_id": "s1"}))
    [message] = received
    assert message.text == "bonjour" and message.sender_id == "s1"
    assert isinstance(message.output_channel, SocketIOOutput)


def session_request(data: dict) -> list:
    """What the channel's session_request handler does with `data`: rooms joined
    (sid, room) and events emitted (event, data, room)."""
    channel = SocketIOInput(session_persistence=True)

    async def on_new_message(message: UserMessage) -> None:
        pass

    channel.blueprint(on_new_message)
    sio = channel.sio
    handler = sio.handlers["/"]["session_request"]
    done: list = []

    async def enter_room(sid, room, namespace=None):  # a coroutine, as in python-socketio 5
        done.append((sid, room))

    async def emit(event, data=None, room=None, namespace=None, **kwargs):
        done.append((event, data, room))

    sio.enter_room, sio.emit = enter_room, emit
    asyncio.run(handler("sid-1", data))
    return done


def test_session_request_joins_the_session_room_so_answers_arrive():
    assert session_request({"session_id": "abc"}) == [("sid-1", "abc"), ("session_confirm", "abc", "sid-1")]


def test_text_messages_carry_their_response_name():
    sio = FakeSio()
    output = SocketIOOutput(sio, "bot_uttered")
    asyncio.run(output.send_response("s1", {"text": "Un.\n\nDeux.", "utter_action": "utter_referral_outro",
                                            "timestamp": 1.0}))
    asyncio.run(output.send_response("s1", {"text": "Sans nom."}))
    assert [data for _, data, _ in sio.emitted] == [
        {"text": "Un.", "utter_action": "utter_referral_outro"},
        {"text": "Deux.", "utter_action": "utter_referral_outro"},
        {"text": "Sans nom."},
    ]


def test_counsellor_messages_are_flagged():
    sio = FakeSio()
    asyncio.run(SocketIOOutput(sio, "bot_uttered").send_response("s1", {"text": "Bonjour", "counsellor": True}))
    assert sio.emitted[0][1] == {"text": "Bonjour", "counsellor": True}


def _channel_with_received() -> tuple[SocketIOInput, list, FakeSio]:
    channel = SocketIOInput(session_persistence=True)
    received: list = []

    async def on_new_message(message: UserMessage) -> None:
        received.append(message)

    channel.blueprint(on_new_message)
    return channel, received, FakeSio()


def test_socketio_lets_through_what_the_guard_lets_through():
    channel, received, fake = _channel_with_received()
    handle = channel.sio.handlers["/"]["user_uttered"]
    channel.sio = fake
    asyncio.run(handle("sid", {"message": "/counsellor_message", "session_id": "s1",
                               "metadata": {"region": "53", "email": "x@y.fr"}}))
    asyncio.run(handle("sid", {"message": "/wrong_need", "session_id": "s1"}))
    asyncio.run(handle("sid", {"message": "bonjour", "session_id": "../default"}))
    first, second = received
    assert first.text == "counsellor_message" and first.metadata == {"region": "53"}
    assert second.text == "/wrong_need"


def test_a_session_id_out_of_form_is_replaced():
    [(_, room), (event, session_id, _)] = session_request({"session_id": "x" * 500})
    assert event == "session_confirm" and session_id == room
    assert session_id != "x" * 500 and len(session_id) == 32
