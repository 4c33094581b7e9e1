"""`python -m directory import [--data-dir DIR]`: migrates the database, then
imports (or refreshes) the whole directory and prints the French report."""
from __future__ import annotations

import argparse
from pathlib import Path

from directory.cli import UserError

HELP = "Importe ou met à jour l'annuaire (communes, structures, services à distance, règles d'orientation)."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="dossier des données ouvertes (défaut : $SPRO_DATA_DIR ou ../shared/data)",
    )


def run(args: argparse.Namespace) -> int:
    # Imported here: the other commands start without the importer and Alembic.
    from directory.db import make_engine, make_session_factory
    from directory.importing import ImportDataError, default_data_dir, run_import
    from directory.migrations import upgrade

    data_dir = args.data_dir or default_data_dir()
    if not data_dir.is_dir():
        raise UserError(
            f"dossier de données introuvable : {data_dir}. "
            "Indiquez-le avec --data-dir ou la variable SPRO_DATA_DIR."
        )
    engine = make_engine(getattr(args, "database_url", None))
    try:
        upgrade(engine)
        report = run_import(make_session_factory(engine), data_dir)
    except ImportDataError as error:
        raise UserError(f"{error} Import annulé : l'annuaire précédent est inchangé.") from None
    finally:
        engine.dispose()
    print(report.to_text())
    return 0
