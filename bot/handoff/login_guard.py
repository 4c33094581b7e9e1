"""Slowing password guessing at the console's login: per account, at most
MAX_FAILURES wrong passwords in WINDOW (then the account's login is refused, even
with the right password, until the window has passed); globally, at most
CONCURRENT_CHECKS password checks at a time, each failure followed by the fixed
delay inside that limit, so that parallel attempts queue instead of running
together. The argon2 check itself runs in a thread, off the event loop.

In memory, per process: behind several processes, add the proxy's limit per
address (docs/exploitation.md).
"""
from __future__ import annotations

import asyncio
import time
from collections import deque

MAX_FAILURES = 5
WINDOW_SECONDS = 15 * 60
CONCURRENT_CHECKS = 2


class LoginGuard:
    def __init__(self, max_failures: int = MAX_FAILURES, window_seconds: float = WINDOW_SECONDS,
                 concurrent_checks: int = CONCURRENT_CHECKS, clock=time.monotonic):
        self.max_failures = max_failures
        self.window = window_seconds
        self._clock = clock
        self._failures: dict[str, deque] = {}  # only logins with recent failures
        self._checks = asyncio.Semaphore(concurrent_checks)

    def locked_for(self, login: str) -> float:
        """Seconds before this login may be tried again (0: it may)."""
        failures = self._recent(login)
        if len(failures) < self.max_failures:
            return 0.0
        return max(0.0, failures[0] + self.window - self._clock())

    async def check(self, login: str, verify, failed_delay: float):
        """`verify()` (blocking) in a thread, within the global limit; a failure
        (None) is counted and waited for. Returns what verify returned."""
        async with self._checks:
            result = await asyncio.get_running_loop().run_in_executor(None, verify)
            if result is None:
                self._recent(login)
                self._failures.setdefault(_key(login), deque()).append(self._clock())
                await asyncio.sleep(failed_delay)
            else:
                self._failures.pop(_key(login), None)
            return result

    def _recent(self, login: str) -> deque:
        """The failures still in the window; a login whose failures all expired is
        forgotten, so that logins typed at random do not pile up in memory."""
        failures = self._failures.get(_key(login), deque())
        while failures and failures[0] + self.window <= self._clock():
            failures.popleft()
        if not failures:
            self._failures.pop(_key(login), None)
        return failures


def _key(login: str) -> str:
    return login.strip().lower()
