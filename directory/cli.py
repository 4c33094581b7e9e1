"""`python -m directory …`: one sub-command per module of directory/commands.

Each command module exposes `HELP` (French), `add_arguments(parser)` and
`run(args) -> int`. User mistakes raise `UserError` (French message, exit status 2),
never a traceback.
"""
from __future__ import annotations

import argparse
import importlib
import sys

COMMANDS = {
    "import": "directory.commands.import_data",
    "stats": "directory.commands.stats",
    "search": "directory.commands.search",
    "commune": "directory.commands.commune",
}


class UserError(Exception):
    """A mistake of the person running the command; its message is French."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m directory",
        description="Annuaire des partenaires du SPRO : import, recherche, statistiques.",
    )
    parser.add_argument("--database-url", help="URL SQLAlchemy (défaut : $DIRECTORY_DATABASE_URL ou var/directory.sqlite)")
    sub = parser.add_subparsers(dest="command", metavar="COMMANDE")
    sub.required = True
    for name, module_name in COMMANDS.items():
        module = importlib.import_module(module_name)
        module.add_arguments(sub.add_parser(name, help=module.HELP, description=module.HELP))
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    module = importlib.import_module(COMMANDS[args.command])
    try:
        return module.run(args)
    except UserError as error:
        print(f"Erreur : {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Interrompu.", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `… | head` closed the pipe early: not an error
        sys.stdout = None
        return 0
