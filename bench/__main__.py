"""`python -m bench`: runs every benchmark module of the registry that exists.

Each module exposes `main()` and prints its own table. Add a module name to
BENCHES to include it; a name whose module is absent is skipped with a note.
"""
from __future__ import annotations

import importlib
import importlib.util

BENCHES = [
    "bench.directory",
    "bench.nlu",
    "bench.privacy",
    "bench.turn",
    "bench.dialogue",
    "bench.review",
    "bench.indicators",
]


def main() -> None:
    for name in BENCHES:
        if importlib.util.find_spec(name) is None:
            print(f"[{name}] absent, ignoré.")
            continue
        print(f"=== {name} ===")
        importlib.import_module(name).main()
        print()


if __name__ == "__main__":
    main()
