"""Runs after the browser tests of this folder (name order): the event loop that
Playwright's sync API runs in the main thread is gone, asyncio.run() works again for
the test modules that follow (tests/channels, tests/web…)."""
from __future__ import annotations

import asyncio

import pytest

pytestmark = pytest.mark.browser


async def _answer() -> int:
    return 42


def test_asyncio_run_works_after_the_browser_tests():
    assert asyncio.run(_answer()) == 42
