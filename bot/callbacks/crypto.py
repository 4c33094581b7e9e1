"""Encryption of call-back numbers at rest (Fernet: AES-128-CBC + HMAC-SHA256).

The key comes from $SPRO_CALLBACK_KEY, else from a key file ($SPRO_CALLBACK_KEY_FILE,
default `$XDG_CONFIG_HOME/spro-orientation/callback.key`, i.e. under ~/.config) created
with mode 0600 on first use. The default is outside `var/` on purpose: a copy or a
backup of `var/` (where the encrypted numbers are) must not carry the key with it; a key
file inside `var/` is used, with a warning in the log. The key and the clear numbers
are never logged.
"""
from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Optional

from cryptography.fernet import Fernet, InvalidToken

KEY_ENV = "SPRO_CALLBACK_KEY"
KEY_FILE_ENV = "SPRO_CALLBACK_KEY_FILE"
# Where earlier versions kept the key: still read if it is there and no other key is.
LEGACY_KEY_FILE = Path("var/callback.key")
logger = logging.getLogger(__name__)


class CallbackKeyError(ValueError):
    """The configured key is not a Fernet key (message in French, for staff)."""


def default_key_file() -> Path:
    config_home = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(config_home) / "spro-orientation" / "callback.key"


def key_file_path() -> Path:
    if os.environ.get(KEY_FILE_ENV):
        return Path(os.environ[KEY_FILE_ENV])
    default = default_key_file()
    if not default.exists() and LEGACY_KEY_FILE.exists():
        return LEGACY_KEY_FILE
    return default


def _warn_if_beside_the_data(path: Path) -> None:
    """`var/` of the working directory: where the call-back database is by default."""
    if Path("var").resolve() in path.resolve().parents:
        logger.warning(
            "La clé de chiffrement des rappels (%s) est rangée dans var/, à côté des numéros "
            "chiffrés : une copie de var/ suffirait à les lire. Déplacez-la (par défaut "
            "%s) ou donnez-la par $%s.", path, default_key_file(), KEY_ENV)


def load_key(path: Optional[Path] = None) -> bytes:
    """$SPRO_CALLBACK_KEY, else the key file (created 0600 if missing)."""
    if os.environ.get(KEY_ENV):
        return os.environ[KEY_ENV].strip().encode("ascii")
    path = path or key_file_path()
    _warn_if_beside_the_data(path)
    if not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        try:
            # O_EXCL: two processes starting together cannot both write a key.
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "wb") as handle:
                handle.write(Fernet.generate_key())
    return path.read_bytes().strip()


class NumberCipher:
    def __init__(self, key: bytes) -> None:
        try:
            self._fernet = Fernet(key)
        except (ValueError, TypeError):
            # Never echo the key itself.
            raise CallbackKeyError("Clé de chiffrement des rappels invalide (clé Fernet attendue).") from None

    @classmethod
    def from_environment(cls) -> "NumberCipher":
        return cls(load_key())

    def encrypt(self, number: str) -> str:
        return self._fernet.encrypt(number.encode("utf-8")).decode("ascii")

    def decrypt(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode("ascii")).decode("utf-8")
        except InvalidToken:
            raise CallbackKeyError("Impossible de déchiffrer ce numéro : la clé a changé ?") from None

    def __repr__(self) -> str:  # keeps the key out of tracebacks and logs
        return "NumberCipher(<clé masquée>)"
