"""Random requests through the real REST channel and Rasa server: never a 5xx, never
a crash, a JSON answer within 2 s (tests/fuzz/conftest.py sets how many)."""
from __future__ import annotations

import json
import time
import urllib.error
import urllib.request

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.conftest import settings  # noqa: F401  (loads the profiles)

pytestmark = [pytest.mark.e2e, pytest.mark.fuzz]

TEXT = st.one_of(
    st.text(max_size=1200),
    st.sampled_from(["", " ", "\x00\x01", "/inform{\"age\": 1e999}", "/counsellor_message",
                     "<script>alert(1)</script>", "'; DROP TABLE events; --", "{\"sender\": \"x\"}",
                     "مرحبا أريد تكوين", "😀" * 300, "/inform{\"commune\": \"Rennes 0612345678\"}"]),
)
BODY = st.fixed_dictionaries(
    {"message": st.one_of(TEXT, st.integers(), st.none(), st.lists(st.text(max_size=5), max_size=2))},
    optional={"sender": st.one_of(st.from_regex(r"[a-z0-9]{8,20}", fullmatch=True), st.text(max_size=80),
                                  st.integers()),
              "metadata": st.one_of(st.dictionaries(st.text(max_size=10), st.text(max_size=10), max_size=3),
                                    st.text(max_size=10))},
)


def post(url: str, body: bytes) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@given(body=BODY)
def test_any_request_gets_an_answer_quickly(live_servers, body):
    started = time.monotonic()
    status, raw = post(f"{live_servers.rasa_url}/webhooks/rest/webhook", json.dumps(body).encode())
    elapsed = time.monotonic() - started
    # 429: Hypothesis draws the same few senders often, past 20 messages a minute.
    assert status in (200, 400, 429), (status, raw[:200])
    json.loads(raw)
    assert elapsed < 2, f"{elapsed:.1f} s"


@given(raw=st.binary(max_size=400))
def test_any_bytes_get_a_french_refusal_or_an_answer(live_servers, raw):
    status, answer = post(f"{live_servers.rasa_url}/webhooks/rest/webhook", raw)
    assert status in (200, 400, 429), (status, answer[:200])
