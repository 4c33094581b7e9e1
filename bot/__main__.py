"""`python -m bot <command>`: maintenance of the conversation store.

    purge [--days 180]   delete conversations started more than N days ago, after
                         counting them into daily_indicators (one short transaction
                         per batch of conversations)
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
    purge = sub.add_parser("purge", help="supprime les conversations commencées il y a plus de N jours "
                           "(après les avoir comptées dans les indicateurs)")
    purge.add_argument("--days", type=int, default=retention.DEFAULT_DAYS,
                       help=f"durée de conservation en jours (défaut : {retention.DEFAULT_DAYS})")
    sub.add_parser("indicators", help="affiche les indicateurs quotidiens anonymes (JSON)")
    return parser


def purge_in_batches(engine, days: int, batch: int = retention.BATCH):
    """One transaction per batch: Rasa's writes wait for one batch at most, never for
    the whole purge, and what is done stays done if the purge is interrupted."""
    import datetime as dt

    now = dt.datetime.now(dt.timezone.utc)
    conversations = deleted_events = 0
    dates: set = set()
    while True:
        with engine.begin() as connection:
            report = retention.purge(connection, days=days, now=now, limit=batch)
        conversations += report.conversations
        deleted_events += report.events
        dates |= report.dates
        if report.conversations < batch:
            return conversations, deleted_events, len(dates), report.cutoff


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if getattr(args, "days", 0) < 0:
        print("Erreur : --days doit être positif ou nul.", file=sys.stderr)
        return 2
    engine = make_engine(database_url(args.database_url, args.endpoints))
    try:
        if args.command == "purge":
            conversations, deleted_events, days, cutoff = purge_in_batches(engine, args.days)
            print(f"{conversations} conversation(s) supprimée(s) "
                  f"({deleted_events} événements), commencée(s) avant le "
                  f"{cutoff:%Y-%m-%d} ; {days} jour(s) d'indicateurs mis à jour.")
        else:
            with engine.begin() as connection:
                for row in retention.read_indicators(connection):
                    print(json.dumps(row, default=str, ensure_ascii=False))
    finally:
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
