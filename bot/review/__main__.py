"""`python -m bot.review export`: the annotated messages of the review, as Rasa NLU
YAML files (bot/review/export.py), written to --out and recorded in the audit log.

    python -m bot.review export [--out var/export] [--part-mise-de-cote 0.2]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.conversations_db import database_url, make_engine


def build_parser() -> argparse.ArgumentParser:
    from bot.review.export import HELD_OUT_SHARE

    parser = argparse.ArgumentParser(prog="python -m bot.review",
                                     description="Revue des conversations : export des annotations vers le NLU.")
    parser.add_argument("--database-url", help="URL SQLAlchemy du magasin de conversations (défaut : "
                        "$CONVERSATIONS_DATABASE_URL, puis endpoints.yml, puis var/conversations.sqlite)")
    sub = parser.add_subparsers(dest="command", metavar="COMMANDE")
    sub.required = True
    export = sub.add_parser("export", help="écrit les messages annotés en YAML Rasa (entraînement et mise de côté)")
    export.add_argument("--out", type=Path, default=Path("var/export"), help="dossier de sortie (défaut : var/export)")
    export.add_argument("--part-mise-de-cote", dest="held_out_share", type=float, default=HELD_OUT_SHARE,
                        help=f"part des conversations mises de côté pour la mesure (défaut : {HELD_OUT_SHARE})")
    export.add_argument("--nlu", type=Path, default=Path("data/nlu"),
                        help="données d'entraînement contre lesquelles dédoublonner (défaut : data/nlu)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if not 0 <= args.held_out_share < 1:
        print("Erreur : --part-mise-de-cote doit être entre 0 et 1 (1 exclu), par exemple 0.2.", file=sys.stderr)
        return 2
    if not args.nlu.is_dir():
        print(f"Erreur : dossier {args.nlu} introuvable (lancez la commande depuis la racine du dépôt).",
              file=sys.stderr)
        return 2
    from bot.handoff import accounts
    from bot.review import export, store
    from bot.review.annotating import vocabulary

    engine = make_engine(database_url(args.database_url))
    store.create(engine)
    with engine.begin() as connection:
        export_id, result, train, held_out = export.run(connection, vocabulary(args.nlu), "commande",
                                                        held_out_share=args.held_out_share)
    engine.dispose()
    args.out.mkdir(parents=True, exist_ok=True)
    paths = (args.out / f"revue_{export_id}_entrainement.yml", args.out / f"revue_{export_id}_mise_de_cote.yml")
    for path, text in zip(paths, (train, held_out)):
        path.write_text(text, encoding="utf-8")
    staff = accounts.make_session_factory()
    with staff.begin() as session:
        accounts.record(session, "commande", "review.export", f"export:{export_id}")
    staff.kw["bind"].dispose()
    counts = result.counts
    print(f"Export {export_id} : {counts['train']} exemple(s) pour l'entraînement dans {paths[0]}, "
          f"{counts['held_out']} mis de côté dans {paths[1]}, {counts['duplicates']} déjà présent(s), "
          f"{counts['skipped']} écarté(s) (masqués ou intention inconnue).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
