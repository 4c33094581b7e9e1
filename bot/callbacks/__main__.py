"""`python -m bot.callbacks <command>`: the counsellors' side of call-back requests.

    take                 print the oldest pending request (number in clear) and
                         delete it: a request is used once
    purge [--days 7]     delete requests older than N days (daily, with bot purge)
    count                number of pending requests
"""
from __future__ import annotations

import argparse
import sys
from typing import Optional

from bot.callbacks import store
from bot.callbacks.crypto import CallbackKeyError, NumberCipher
from bot.callbacks.phone import for_display


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot.callbacks",
        description="Demandes de rappel (numéros chiffrés, supprimés après usage ou après 7 jours).",
    )
    parser.add_argument("--database-url", help=f"URL SQLAlchemy (défaut : ${store.URL_ENV}, "
                        f"puis {store.DEFAULT_URL})")
    sub = parser.add_subparsers(dest="command", metavar="COMMANDE")
    sub.required = True
    sub.add_parser("take", help="affiche la demande la plus ancienne puis la supprime")
    purge = sub.add_parser("purge", help="supprime les demandes de plus de N jours")
    purge.add_argument("--days", type=int, default=store.RETENTION_DAYS,
                       help=f"durée de conservation en jours (défaut : {store.RETENTION_DAYS})")
    sub.add_parser("count", help="nombre de demandes en attente")
    return parser


def main(argv: Optional[list[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    if getattr(args, "days", 0) < 0:
        print("Erreur : --days doit être positif ou nul.", file=sys.stderr)
        return 2
    try:
        cipher = NumberCipher.from_environment()
    except CallbackKeyError as error:
        print(f"Erreur : {error}", file=sys.stderr)
        return 1
    engine = store.make_engine(args.database_url)
    factory = store.make_session_factory(engine)
    try:
        with factory.begin() as session:
            repository = store.CallbackRepository(session, cipher)
            if args.command == "take":
                return _take(repository)
            if args.command == "purge":
                deleted = repository.purge(days=args.days)
                print(f"{deleted} demande(s) de rappel de plus de {args.days} jour(s) supprimée(s).")
            else:
                print(f"{repository.pending_count()} demande(s) de rappel en attente.")
    except CallbackKeyError as error:
        print(f"Erreur : {error}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    return 0


def _take(repository: store.CallbackRepository) -> int:
    taken = repository.take_oldest()
    if taken is None:
        print("Aucune demande de rappel en attente.")
        return 0
    print(f"Demande du {taken.created_at:%d/%m/%Y à %H:%M} (UTC)")
    print(f"Numéro : {for_display(taken.number)}")
    print(f"Besoin : {taken.need or 'non précisé'}")
    print(f"Commune : {taken.commune or 'non précisée'}")
    print(f"Moment souhaité : {taken.moment or 'non précisé'}")
    print("Cette demande est maintenant supprimée de la base.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
