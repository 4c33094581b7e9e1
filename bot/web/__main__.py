"""`python -m bot.web [--host H] [--port 8080] [--socket-url URL] [--region NOM]`."""
from __future__ import annotations

import argparse

from aiohttp import web

from bot.logging_filter import configure as configure_logging
from bot.web.app import create_app
from bot.web.settings import Settings


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot.web",
                                     description="Site de démonstration avec le widget de conversation.")
    parser.add_argument("--host", default="127.0.0.1", help="adresse d'écoute (défaut : 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080, help="port (défaut : 8080)")
    parser.add_argument("--socket-url", help="URL du serveur Rasa (socket.io) vue par le navigateur "
                        "(défaut : $SPRO_SOCKET_URL, sinon http://localhost:$RASA_PORT ou :5005)")
    parser.add_argument("--region", help="nom de la région affiché (défaut : $SPRO_REGION_NAME ou « Région »)")
    return parser


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    configure_logging()  # logging.yml: redacted records only
    settings = Settings.from_env(socket_url=args.socket_url, region_name=args.region)
    print(f"Site de démonstration : http://{args.host}:{args.port}/ (Rasa : {settings.socket_url})", flush=True)
    web.run_app(create_app(settings), host=args.host, port=args.port, print=None,
                access_log=None)  # no IP addresses in the logs (privacy)


if __name__ == "__main__":
    main()
