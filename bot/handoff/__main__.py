"""`python -m bot.handoff add-counsellor LOGIN [--role admin …]`: creates an account
of the staff console (password asked, or read from standard input when not a
terminal), with the counsellor's role unless other roles are given."""
from __future__ import annotations

import argparse
import getpass
import sys

from bot.handoff import accounts


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot.handoff",
                                     description="Comptes de la console des conseiller·es.")
    parser.add_argument("--database-url", help="URL SQLAlchemy (défaut : $SPRO_STAFF_DATABASE_URL, "
                        "puis sqlite:///var/staff.sqlite)")
    sub = parser.add_subparsers(dest="command", metavar="COMMANDE")
    sub.required = True
    add = sub.add_parser("add-counsellor", help="crée un compte de la console (conseiller·e par défaut)")
    add.add_argument("login", help="identifiant de connexion")
    add.add_argument("--role", action="append", dest="roles", metavar="RÔLE",
                     help="counsellor, reviewer ou admin ; à répéter pour plusieurs rôles "
                          "(défaut : counsellor)")
    return parser


def read_password() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("Mot de passe : ")
        if getpass.getpass("Mot de passe (confirmation) : ") != first:
            raise accounts.AccountError("Les deux mots de passe sont différents.")
        return first
    return sys.stdin.readline().rstrip("\n")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        password = read_password()
        factory = accounts.make_session_factory(args.database_url)
        with factory.begin() as session:
            accounts.add_counsellor(session, args.login, password,
                                    tuple(args.roles or (accounts.Role.COUNSELLOR.value,)))
    except accounts.AccountError as error:
        print(f"Erreur : {error}", file=sys.stderr)
        return 1
    print(f"Compte « {args.login.strip()} » créé.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
