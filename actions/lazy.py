"""A shared resource created on first use and closed on reset: the action server
connects to nothing and reads no key at import time, and tests repoint it (through
the environment) by resetting it."""
from __future__ import annotations

from typing import Any, Callable, Generic, Optional, TypeVar

T = TypeVar("T")


class Lazy(Generic[T]):
    def __init__(self, factory: Callable[[], T],
                 close: Optional[Callable[[T], None]] = None) -> None:
        self._factory = factory
        self._close = close
        self._value: Optional[T] = None

    def get(self) -> T:
        if self._value is None:
            self._value = self._factory()
        return self._value

    def reset(self) -> None:
        """Forgets the value (closing it first); the next get() builds a new one."""
        value, self._value = self._value, None
        if value is not None and self._close is not None:
            self._close(value)


def dispose_engine(engine: Any) -> None:
    engine.dispose()


def dispose_bound_engine(session_factory: Any) -> None:
    """Closes the connections of a sessionmaker's engine."""
    session_factory.kw["bind"].dispose()
