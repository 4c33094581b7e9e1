"""The console's login guard: an account is locked after repeated failures, and
parallel password checks queue within the global limit (counted, not timed)."""
from __future__ import annotations

import asyncio
import threading
import time

from bot.handoff.login_guard import LoginGuard


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_an_account_is_locked_after_five_failures_for_the_window():
    clock = Clock()

    async def main():
        guard = LoginGuard(clock=clock)
        for _ in range(4):
            assert await guard.check("Sam.Test ", lambda: None, 0) is None
        assert guard.locked_for("sam.test") == 0
        await guard.check("sam.test", lambda: None, 0)
        assert guard.locked_for("SAM.TEST") == 15 * 60
        assert guard.locked_for("alex.test") == 0  # others are not locked
        clock.now += 15 * 60
        assert guard.locked_for("sam.test") == 0
        assert guard._failures == {}  # expired failures are forgotten, not kept in memory

    asyncio.run(main())


def test_a_success_clears_the_failures():
    async def main():
        guard = LoginGuard()
        for _ in range(4):
            await guard.check("sam.test", lambda: None, 0)
        assert await guard.check("sam.test", lambda: "jeton", 0) == "jeton"
        await guard.check("sam.test", lambda: None, 0)
        assert guard.locked_for("sam.test") == 0

    asyncio.run(main())


def test_parallel_checks_run_two_at_a_time_off_the_event_loop():
    running, most = 0, 0
    lock = threading.Lock()
    loop_thread = threading.get_ident()
    threads = set()

    def verify():
        nonlocal running, most
        threads.add(threading.get_ident())
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.05)
        with lock:
            running -= 1
        return None

    async def main():
        guard = LoginGuard(concurrent_checks=2, max_failures=100)
        await asyncio.gather(*(guard.check(f"compte{i}", verify, 0.01) for i in range(8)))

    asyncio.run(main())
    assert most == 2
    assert loop_thread not in threads
