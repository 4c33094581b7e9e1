"""Reading French numbers in free text, and the preferred moment."""
import pytest

from bot.callbacks.phone import find_moment, find_number, for_display


@pytest.mark.parametrize("text", [
    "06 12 34 56 78", "06.12.34.56.78", "0612345678", "06-12-34-56-78",
    "+33 6 12 34 56 78", "+33612345678", "0033 6 12 34 56 78",
    "c'est le 06 12 34 56 78 merci", "tel:0612345678",
])
def test_french_formats(text):
    assert find_number(text) == "+33612345678"


@pytest.mark.parametrize("text", [
    "", "oui", "0612", "06 12 34 56", "12345", "06 12 34 56 78 90 12",
    "+44 20 7946 0958", "mon numéro c'est le zéro six", "le 35000",
])
def test_invalid_or_foreign_numbers(text):
    assert find_number(text) is None


def test_landline_and_display():
    assert find_number("02 99 12 34 56") == "+33299123456"
    assert for_display("+33612345678") == "06 12 34 56 78"


@pytest.mark.parametrize("text, moment", [
    ("06 12 34 56 78 le matin svp", "le matin"),
    ("0612345678 plutôt l'après-midi", "l'après-midi"),
    ("mardi apres midi", "mardi l'après-midi"),
    ("vendredi", "vendredi"),
    ("06 12 34 56 78", None),
])
def test_moment(text, moment):
    assert find_moment(text) == moment
