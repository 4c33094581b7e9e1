"""How fast one conversation may write: at most $SPRO_MAX_MESSAGES_PER_MINUTE messages
a minute (20 by default, a burst of that many then one every three seconds). A person
never types that fast; a script that loops on one conversation would otherwise hold
the NLU for everyone. Beyond, the message is refused in French, not read, not stored.

Counted per process and per conversation: several conversations from one address are
the reverse proxy's to limit (docs/exploitation.md)."""
from __future__ import annotations

import os
from collections import OrderedDict

from aiolimiter import AsyncLimiter

RATE_ENV = "SPRO_MAX_MESSAGES_PER_MINUTE"
DEFAULT_PER_MINUTE = 20
# The conversations remembered at once; the least recently active are forgotten first.
MAX_TRACKED = 10_000
TOO_FAST = ("Vous envoyez beaucoup de messages à la suite : ce dernier message n'a pas été "
            "lu. Attendez quelques secondes avant d'écrire à nouveau ; votre conversation "
            "est gardée.")


def per_minute_from_environment() -> int:
    try:
        value = int(os.environ.get(RATE_ENV, DEFAULT_PER_MINUTE))
    except ValueError:
        return DEFAULT_PER_MINUTE
    return value if value > 0 else DEFAULT_PER_MINUTE


class SenderRateLimit:
    def __init__(self, per_minute: int | None = None, max_tracked: int = MAX_TRACKED) -> None:
        self.per_minute = per_minute or per_minute_from_environment()
        self.max_tracked = max_tracked
        self._limiters: OrderedDict[str, AsyncLimiter] = OrderedDict()

    async def allow(self, sender: str) -> bool:
        """True, and the message counted, if this conversation may write now."""
        limiter = self._limiters.get(sender)
        if limiter is None:
            limiter = self._limiters[sender] = AsyncLimiter(self.per_minute, 60)
            if len(self._limiters) > self.max_tracked:
                self._limiters.popitem(last=False)
        self._limiters.move_to_end(sender)
        if not limiter.has_capacity():
            return False
        await limiter.acquire()  # immediate: there is capacity
        return True
