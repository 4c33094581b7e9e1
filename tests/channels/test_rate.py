"""The per-conversation message rate (bot/channels/rate.py)."""
from __future__ import annotations

import asyncio

import pytest

from bot.channels.rate import DEFAULT_PER_MINUTE, RATE_ENV, SenderRateLimit, per_minute_from_environment


def allowed(limit: SenderRateLimit, sender: str, times: int) -> list[bool]:
    async def run():
        return [await limit.allow(sender) for _ in range(times)]
    return LOOP.run_until_complete(run())


# One loop for all, as in the server: each limiter is bound to the loop it first ran in.
LOOP = asyncio.new_event_loop()


def test_a_burst_up_to_the_limit_passes_the_next_message_does_not():
    limit = SenderRateLimit(per_minute=3)
    assert allowed(limit, "s1", 4) == [True, True, True, False]
    assert allowed(limit, "s2", 1) == [True], "another conversation is not slowed down"


def test_the_limit_refills_with_time():
    limit = SenderRateLimit(per_minute=120)  # one more message every half second

    async def run():
        burst = [await limit.allow("s1") for _ in range(121)]
        await asyncio.sleep(0.6)
        return burst, [await limit.allow("s1"), await limit.allow("s1")]
    burst, later = asyncio.run(run())
    assert burst == [True] * 120 + [False]
    assert later == [True, False]


def test_only_so_many_conversations_are_remembered():
    limit = SenderRateLimit(per_minute=1, max_tracked=2)
    allowed(limit, "a", 1), allowed(limit, "b", 1), allowed(limit, "c", 1)
    assert list(limit._limiters) == ["b", "c"]


@pytest.mark.parametrize("value, expected", [("5", 5), ("0", DEFAULT_PER_MINUTE),
                                             ("vingt", DEFAULT_PER_MINUTE), ("-3", DEFAULT_PER_MINUTE)])
def test_the_rate_comes_from_the_environment(monkeypatch, value, expected):
    monkeypatch.setenv(RATE_ENV, value)
    assert per_minute_from_environment() == expected
