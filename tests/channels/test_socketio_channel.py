"""The project's socket.io channel: referral payloads reach the client, long messages
are refused in French."""
from __future__ import annotations

import asyncio

import pytest

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

    loop = asyncio.new_event_loop()  # one loop, as in the server (the rate limiter is bound to it)
    loop.run_until_complete(handle("sid", {"message": "x" * (MAX_MESSAGE_CHARS + 1), "session_id": "s1"}))
    assert received == []
    [(event, data, room)] = fake.emitted
    assert (event, room) == ("bot_uttered", "s1")
    assert "trop long" in data["text"]

    loop.run_until_complete(handle("sid", {"message": "bonjour", "session_id": "s1"}))
    loop.close()
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

    async def messages():
        await handle("sid", {"message": "/counsellor_message", "session_id": "s1",
                             "metadata": {"region": "53", "email": "x@y.fr"}})
        await handle("sid", {"message": "/wrong_need", "session_id": "s1"})
        await handle("sid", {"message": "bonjour", "session_id": "../default"})
    asyncio.run(messages())
    first, second = received
    assert first.text == "counsellor_message" and first.metadata == {"region": "53"}
    assert second.text == "/wrong_need"


def test_a_conversation_writing_too_fast_is_asked_to_wait():
    from bot.channels.rate import DEFAULT_PER_MINUTE

    channel, received, fake = _channel_with_received()
    handle = channel.sio.handlers["/"]["user_uttered"]
    channel.sio = fake

    async def messages():
        for index in range(DEFAULT_PER_MINUTE + 1):
            await handle("sid", {"message": f"message {index}", "session_id": "s1"})
        await handle("sid", {"message": "bonjour", "session_id": "s2"})
    asyncio.run(messages())
    assert [m.sender_id for m in received] == ["s1"] * DEFAULT_PER_MINUTE + ["s2"]
    [(event, data, room)] = fake.emitted
    assert room == "s1" and "beaucoup de messages" in data["text"]


def test_a_session_id_out_of_form_is_replaced():
    [(_, room), (event, session_id, _)] = session_request({"session_id": "x" * 500})
    assert event == "session_confirm" and session_id == room
    assert session_id != "x" * 500 and len(session_id) == 32


@pytest.mark.parametrize("data", [None, [], "bonjour", 12, {"session_id": ["s1"]}, {"message": "x"},
                                  {"session_id": "../s1", "message": "bonjour"}])
def test_frames_without_a_conversation_are_dropped_without_an_error(data):
    channel, received, fake = _channel_with_received()
    handle = channel.sio.handlers["/"]["user_uttered"]
    channel.sio = fake
    asyncio.run(handle("sid") if data is None else handle("sid", data))
    assert received == [] and fake.emitted == []


def test_a_message_that_is_not_a_text_is_answered_in_french():
    channel, received, fake = _channel_with_received()
    handle = channel.sio.handlers["/"]["user_uttered"]
    channel.sio = fake
    asyncio.run(handle("sid", {"session_id": "s1", "message": {"text": "bonjour"}}))
    assert received == []
    [(_, data, room)] = fake.emitted
    assert room == "s1" and "doit être un texte" in data["text"]


@pytest.mark.parametrize("metadata, kept", [('{"region": "53"}', {"region": "53"}), ("{pas du json", None),
                                            (["53"], None), ({"region": "53", "ip": "1.2.3.4"}, {"region": "53"})])
def test_metadata_as_json_text_or_object_only_the_region_kept(metadata, kept):
    channel, received, fake = _channel_with_received()
    handle = channel.sio.handlers["/"]["user_uttered"]
    channel.sio = fake
    asyncio.run(handle("sid", {"session_id": "s1", "message": "bonjour", "metadata": metadata}))
    [message] = received
    assert message.metadata == kept


def test_a_session_request_without_data_gets_a_new_session():
    channel = SocketIOInput(session_persistence=True)

    async def on_new_message(message: UserMessage) -> None:
        pass

    channel.blueprint(on_new_message)
    handler = channel.sio.handlers["/"]["session_request"]
    done: list = []

    async def enter_room(sid, room, namespace=None):
        done.append((sid, room))

    async def emit(event, data=None, room=None, namespace=None, **kwargs):
        done.append((event, data, room))

    channel.sio.enter_room, channel.sio.emit = enter_room, emit
    asyncio.run(handler("sid-1"))
    [(_, room), (event, session_id, _)] = done
    assert event == "session_confirm" and session_id == room and len(session_id) == 32


@pytest.mark.parametrize("packet", ['2[', '2["user_uttered",{]', "2/unknown"])
def test_a_packet_that_cannot_be_decoded_leaves_one_warning_line(packet, caplog):
    channel = SocketIOInput(session_persistence=True)

    async def on_new_message(message: UserMessage) -> None:
        pass

    channel.blueprint(on_new_message)
    eio = channel.sio.eio
    eio.logger.setLevel("WARNING")
    with caplog.at_level("WARNING", logger=eio.logger.name):
        # As engine.io runs the socket.io handler of a packet, logging what it raises.
        asyncio.run(eio._trigger_event("message", "eio-sid", packet, run_async=False))
    [record] = caplog.records
    assert record.levelname == "WARNING" and record.exc_info is None
    assert "mal formée" in record.getMessage() and packet not in caplog.text
