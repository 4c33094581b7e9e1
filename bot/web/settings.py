"""Web app settings: plain values, read from the environment by `from_env`."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

PACKAGE_DIR = Path(__file__).resolve().parent
DEFAULT_SOCKET_URL = "http://localhost:5005"


@dataclass(frozen=True)
class Settings:
    # Where browsers reach Rasa's socket.io channel (it goes into the widget's
    # data-socket-url and into the page's Content-Security-Policy).
    socket_url: str = DEFAULT_SOCKET_URL
    # Shown on the demo page and in the widget's title.
    region_name: str = "Région"
    # INSEE region code of the site ("53"): the widget sends it with each message so
    # that communes of the same name are settled for the person's region.
    region_code: str = ""
    static_dir: Path = PACKAGE_DIR / "static"
    templates_dir: Path = PACKAGE_DIR / "templates"
    # Tests only: the built rasa-webchat bundle; when set, /essais/rasa-webchat serves a
    # page that talks to the same socket.io channel with it (protocol compatibility).
    rasa_webchat_bundle: Path | None = None

    def __post_init__(self) -> None:
        if self.region_code and not (self.region_code.isalnum() and len(self.region_code) <= 3):
            raise ValueError(f"Code de région invalide : {self.region_code!r} (code INSEE, par exemple 53)")
        parts = urlsplit(self.socket_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"URL du serveur de conversation invalide : {self.socket_url!r} "
                             "(attendu : http(s)://hôte:port)")

    @classmethod
    def from_env(cls, **overrides: object) -> "Settings":
        """$SPRO_SOCKET_URL, else http://localhost:$RASA_PORT; $SPRO_REGION_NAME,
        $SPRO_REGION_CODE."""
        values: dict[str, object] = {}
        if os.environ.get("SPRO_SOCKET_URL"):
            values["socket_url"] = os.environ["SPRO_SOCKET_URL"]
        elif os.environ.get("RASA_PORT"):
            values["socket_url"] = f"http://localhost:{os.environ['RASA_PORT']}"
        if os.environ.get("SPRO_REGION_NAME"):
            values["region_name"] = os.environ["SPRO_REGION_NAME"]
        if os.environ.get("SPRO_REGION_CODE"):
            values["region_code"] = os.environ["SPRO_REGION_CODE"]
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]

    @property
    def socket_origins(self) -> tuple[str, str]:
        """The socket.io server as CSP sources: http(s) for polling, ws(s) for WebSocket."""
        parts = urlsplit(self.socket_url)
        ws_scheme = "wss" if parts.scheme == "https" else "ws"
        return f"{parts.scheme}://{parts.netloc}", f"{ws_scheme}://{parts.netloc}"
