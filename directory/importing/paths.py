"""Where the import reads from: the shared open-data folder and the package's own
curated corrections and referral rules."""
from __future__ import annotations

import os
from pathlib import Path

from directory.db import PROJECT_ROOT

DATA_DIR_ENV = "SPRO_DATA_DIR"
PACKAGE_DIR = Path(__file__).resolve().parent.parent
CURATED_DIR = PACKAGE_DIR / "curated"
RULES_DIR = PACKAGE_DIR / "rules"


def default_data_dir() -> Path:
    return Path(os.environ.get(DATA_DIR_ENV, PROJECT_ROOT.parent / "shared" / "data"))


def display_path(path: Path, data_dir: Path | None = None) -> str:
    """A short path for reports: relative to the data folder or the project."""
    path = Path(path).resolve()
    for base in (data_dir, PROJECT_ROOT):
        if base is None:
            continue
        try:
            return str(path.relative_to(Path(base).resolve()))
        except ValueError:
            continue
    return str(path)
