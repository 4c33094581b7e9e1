"""Project recognizers, one per kind of personal data (French formats)."""
from .address import AddressRecognizer
from .birth_date import BirthDateRecognizer
from .card import CardRecognizer
from .email import EmailRecognizer
from .iban import IbanRecognizer
from .identifier import IdentifierRecognizer
from .nir import NirRecognizer
from .person_cue import PersonCueRecognizer
from .phone import FrenchPhoneRecognizer
from .url import UrlRecognizer


def project_recognizers(language: str = "fr") -> list:
    return [
        cls(supported_language=language)
        for cls in (
            FrenchPhoneRecognizer,
            EmailRecognizer,
            NirRecognizer,
            IbanRecognizer,
            CardRecognizer,
            BirthDateRecognizer,
            AddressRecognizer,
            IdentifierRecognizer,
            UrlRecognizer,
            PersonCueRecognizer,
        )
    ]
