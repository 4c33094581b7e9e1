"""`python -m bot <command>`: maintenance of the conversation store.

    purge [--days 180]   delete conversations whose last event is older than N days,
                         after counting them into daily_indicators
    indicators           print the daily anonymous indicators (JSON lines)
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot import retention
from bot.conversations_db import database_url, make_engine


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="Conversations de l'assistant : durée de conservation, indicateurs anonymes.",
    )
    parser.add_argument("--database-url", help="URL SQLAlchemy (défaut : $CONVERSATIONS_DATABASE_URL, "
                        "puis tracker_store de endpoints.yml, puis var/conversations.sqlite)")
    parser.add_argument("--endpoints", type=Path, default=Path("endpoints.yml"),
                        help="fichier endpoints.yml de Rasa (défaut : endpoints.yml)")
    sub = parser.add_subparsers(dest="command", metavar="COMMANDE")
    sub.required = True
    purge = sub.add_parser("purge", help="supprime les conversations anciennes "
                           "(après les avoir comptées dans les indicateurs)")
    purge.add_argument("--days", type=int, default=retention.DEFAULT_DAYS,
                       help=f"durée de conservation en jours (défaut : {retention.DEFAULT_DAYS})")
    sub.add_parser("indicators", help="affiche les indicateurs quotidiens anonymes (JSON)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if getattr(args, "days", 0) < 0:
        print("Erreur : --days doit être positif ou nul.", file=sys.stderr)
        return 2
    engine = make_engine(database_url(args.database_url, args.endpoints))
    try:
        if args.command == "purge":
            with engine.begin() as connection:
                report = retention.purge(connection, days=args.days)
            print(f"{report.conversations} conversation(s) supprimée(s) "
                  f"({report.events} événements), dernier échange avant le "
                  f"{report.cutoff:%Y-%m-%d} ; {report.days} jour(s) d'indicateurs mis à jour.")
        else:
            with engine.begin() as connection:
                for row in retention.read_indicators(connection):
                    print(json.dumps(row, default=str, ensure_ascii=False))
    finally:
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
