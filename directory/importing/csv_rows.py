"""Reading a source CSV row by row with the line number each row starts on."""
from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from directory.importing.errors import ImportDataError


def read_csv(path: Path, required: set[str], shown_as: str) -> Iterator[tuple[int, dict[str, str]]]:
    """Yields (line number, row with stripped values) for each data row of `path`.

    Raises ImportDataError (French) when the file is missing, is not UTF-8, has no
    header or lacks one of the `required` columns.
    """
    if not path.is_file():
        raise ImportDataError(f"Fichier introuvable : {shown_as}")
    try:
        # Read fully first: a decoding error must fail the whole import, not halfway.
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportDataError(
            f"{shown_as} n'est pas encodé en UTF-8 (octet {error.start}) : fichier mal formé."
        ) from None
    reader = csv.reader(text.splitlines(keepends=True))
    try:
        header = [name.strip() for name in next(reader)]
    except StopIteration:
        raise ImportDataError(f"{shown_as} est vide : la ligne d'en-tête manque.") from None
    except csv.Error as error:
        raise ImportDataError(f"{shown_as}, ligne 1 : en-tête illisible ({error}).") from None
    missing = sorted(required - set(header))
    if missing:
        raise ImportDataError(
            f"{shown_as} : colonne(s) obligatoire(s) absente(s) de l'en-tête : {', '.join(missing)}."
        )
    previous_end = reader.line_num
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise ImportDataError(f"{shown_as}, ligne {previous_end + 1} : CSV mal formé ({error}).") from None
        start = previous_end + 1
        previous_end = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue  # blank line
        if len(cells) > len(header):
            raise ImportDataError(
                f"{shown_as}, ligne {start} : {len(cells)} cellules pour {len(header)} colonnes "
                "(virgule non protégée par des guillemets ?)."
            )
        row = {name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(header)}
        yield start, row
