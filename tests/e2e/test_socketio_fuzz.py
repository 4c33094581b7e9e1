"""Malformed socket.io traffic on the real Rasa server (the project's channel): frames
whose data is of any JSON shape, and raw engine.io packets of any bytes. The server
never answers 5xx, never logs a traceback (the autouse log check), and still holds a
normal conversation afterwards (tests/fuzz/conftest.py sets how many inputs)."""
from __future__ import annotations

import asyncio
import time
import urllib.error
import urllib.request
import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.e2e.test_socketio_on_rasa import converse
from tests.fuzz.conftest import settings  # noqa: F401  (loads the profiles)

pytestmark = [pytest.mark.e2e, pytest.mark.fuzz]

SCALAR = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                   st.text(max_size=60), st.just("x" * 5000))
JSON = st.recursive(SCALAR, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=12), inner, max_size=3)),
    max_leaves=8)
FIELDS = {"message": JSON, "session_id": JSON, "metadata": JSON, "customData": JSON}
FRAME_DATA = st.one_of(JSON, st.fixed_dictionaries({}, optional=FIELDS))
EVENT = st.sampled_from(["user_uttered", "session_request", "bot_uttered", "disconnect_request", "x"])


async def emit_all(rasa_url: str, frames: list[tuple[str, object]]) -> None:
    import socketio

    client = socketio.AsyncClient(reconnection=False)
    await asyncio.wait_for(client.connect(rasa_url, socketio_path="socket.io", transports=["polling"]), 10)
    try:
        for event, data in frames:
            await asyncio.wait_for(client.emit(event, data), 10)
        await asyncio.sleep(0.2)  # long enough for the server to handle them
    finally:
        # Without waiting for the pending long-poll: with no answer to send, the server
        # holds it until its ping interval (25 s), and a graceful disconnect waits for it.
        await client.eio.disconnect(abort=True)


def answers_at_once(rasa_url: str) -> float:
    started = time.monotonic()
    with urllib.request.urlopen(f"{rasa_url}/webhooks/rest/", timeout=10) as response:
        assert response.status == 200
    return time.monotonic() - started


@given(frames=st.lists(st.tuples(EVENT, FRAME_DATA), min_size=1, max_size=3))
def test_frames_of_any_shape_do_not_break_the_channel(live_servers, frames):
    asyncio.run(emit_all(live_servers.rasa_url, frames))
    # The server is not blocked by what it just received.
    assert answers_at_once(live_servers.rasa_url) < 2


def _open_polling_session(rasa_url: str) -> str:
    with urllib.request.urlopen(f"{rasa_url}/socket.io/?EIO=4&transport=polling", timeout=10) as response:
        handshake = response.read().decode()
    return handshake[handshake.index('"sid":"') + 7:].split('"', 1)[0]


@given(raw=st.one_of(st.binary(max_size=300),
                     st.text(max_size=200).map(str.encode),
                     st.sampled_from([b"42", b"42[", b"42[\"user_uttered\"", b"42[\"user_uttered\",{]",
                                      b"40", b"4", b"9", b"", b"\x00\xff", b"42/unknown,[\"x\"]",
                                      b"42[\"user_uttered\",{\"message\":1e999}]"])))
def test_raw_engineio_packets_never_get_a_server_error(live_servers, raw):
    sid = _open_polling_session(live_servers.rasa_url)
    request = urllib.request.Request(
        f"{live_servers.rasa_url}/socket.io/?EIO=4&transport=polling&sid={sid}", data=raw,
        headers={"Content-Type": "text/plain;charset=UTF-8"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except TimeoutError:
        # engine.io holds a request with an unknown packet type ("6") until it has
        # closed that session: only the sender of the bad packet waits.
        status = None
    assert status is None or status < 500, status
    assert answers_at_once(live_servers.rasa_url) < 2


def test_after_the_noise_a_conversation_goes_on(live_servers):
    [answer] = asyncio.run(converse(live_servers.rasa_url, uuid.uuid4().hex, ["je cherche une formation"]))
    assert any("situation" in reply.get("text", "") for reply in answer), answer
