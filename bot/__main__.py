"""`python -m bot <command>`: maintenance of the conversation store.

    purge [--days 180]   delete conversations started more than N days ago, after
                         counting them into daily_indicators (one short transaction
                         per batch of conversations)
    indicators           print the daily anonymous indicators (JSON lines)
    indicators --from 2026-01-01 --to 2026-12-31 --by need,departement --csv [--sep ";"]
                         conversations counted by dimension from the facts kept per
                         conversation, small counts hidden ("< 5", bot/indicators)
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
    indicators = sub.add_parser("indicators", help="indicateurs anonymes : quotidiens (JSON), ou comptés par "
                                "dimension avec --by/--from/--to (petits effectifs masqués)")
    indicators.add_argument("--from", dest="start", type=_day, help="premier jour (AAAA-MM-JJ) des conversations")
    indicators.add_argument("--to", dest="end", type=_day, help="dernier jour (AAAA-MM-JJ), inclus")
    indicators.add_argument("--by", default=None, help="dimensions séparées par des virgules : jour, semaine, mois, "
                            "annee, canal, departement, besoin, situation, age, handicap, reseau, sans_orientation, "
                            "conseiller, note (ou need, department…)")
    indicators.add_argument("--csv", action="store_true", help="sortie CSV (UTF-8) au lieu d'un tableau lisible")
    indicators.add_argument("--sep", default=",", choices=[",", ";"], help="séparateur CSV (« ; » pour un tableur "
                            "en français)")
    indicators.add_argument("--seuil", type=int, default=5, help="effectif sous lequel une case est masquée "
                            "(défaut : 5)")
    return parser


def _day(typed: str):
    import datetime as dt

    try:
        return dt.date.fromisoformat(typed)
    except ValueError:
        raise argparse.ArgumentTypeError(f"date attendue au format AAAA-MM-JJ, par exemple 2026-01-31 "
                                         f"(reçu : {typed!r})") from None


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
        elif args.by is None and not (args.start or args.end or args.csv):
            with engine.begin() as connection:
                for row in retention.read_indicators(connection):
                    print(json.dumps(row, default=str, ensure_ascii=False))
        else:
            return _counted(engine, args)
    finally:
        engine.dispose()
    return 0


def _counted(engine, args) -> int:
    from bot.indicators import counting

    try:
        by = counting.dimensions(args.by or "")
    except ValueError as error:
        print(f"Erreur : {error}.", file=sys.stderr)
        return 2
    if args.start and args.end and args.start > args.end:
        print("Erreur : --from doit précéder --to.", file=sys.stderr)
        return 2
    if args.seuil < 1:
        print("Erreur : --seuil doit valoir au moins 1.", file=sys.stderr)
        return 2
    with engine.connect() as connection:
        cells = counting.count(connection, args.start, args.end, by)
    text = counting.to_csv(cells, by, separator=args.sep if args.csv else ";", threshold=args.seuil)
    if args.csv:
        sys.stdout.write(text)
    else:
        for line in text.splitlines():
            print("  ".join(f"{part:<24}" for part in line.split(";")).rstrip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
