"""What a disk thief would read of an SQLite database: the file and its journals."""
from __future__ import annotations

from pathlib import Path


def all_bytes(path: Path) -> bytes:
    path = Path(path)
    data = path.read_bytes() if path.exists() else b""
    for suffix in ("-wal", "-journal"):
        extra = path.with_name(path.name + suffix)
        if extra.exists():
            data += extra.read_bytes()
    return data
