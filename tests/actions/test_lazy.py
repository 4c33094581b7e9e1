"""actions.lazy.Lazy: built once on first use, closed and rebuilt after reset."""
from actions.lazy import Lazy


def test_built_on_first_use_only_once():
    built = []
    lazy = Lazy(lambda: built.append(1) or len(built))
    assert built == []
    assert lazy.get() == 1 and lazy.get() == 1
    assert built == [1]


def test_reset_closes_then_rebuilds():
    closed = []
    values = iter(["first", "second"])
    lazy = Lazy(lambda: next(values), closed.append)
    lazy.reset()  # nothing built yet: nothing to close
    assert closed == []
    assert lazy.get() == "first"
    lazy.reset()
    assert closed == ["first"]
    assert lazy.get() == "second"
