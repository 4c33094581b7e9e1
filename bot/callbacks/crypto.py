"""Encryption of call-back numbers at rest (Fernet: AES-128-CBC + HMAC-SHA256).

The key comes from $SPRO_CALLBACK_KEY, else from a key file ($SPRO_CALLBACK_KEY_FILE,
default var/callback.key) created with mode 0600 on first use. The key and the
clear numbers are never logged.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

from cryptography.fernet import Fernet, InvalidToken

KEY_ENV = "SPRO_CALLBACK_KEY"
KEY_FILE_ENV = "SPRO_CALLBACK_KEY_FILE"
DEFAULT_KEY_FILE = Path("var/callback.key")


class CallbackKeyError(ValueError):
    """The configured key is not a Fernet key (message in French, for staff)."""


def key_file_path() -> Path:
    return Path(os.environ.get(KEY_FILE_ENV) or DEFAULT_KEY_FILE)


def load_key(path: Optional[Path] = None) -> bytes:
    """$SPRO_CALLBACK_KEY, else the key file (created 0600 if missing)."""
    if os.environ.get(KEY_ENV):
        return os.environ[KEY_ENV].strip().encode("ascii")
    path = path or key_file_path()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
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
