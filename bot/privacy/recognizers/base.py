"""Common base for the project's recognizers: plain Python finders wrapped for Presidio."""
from __future__ import annotations

from typing import Iterable, List, Optional, Tuple

from presidio_analyzer import EntityRecognizer, RecognizerResult

Span = Tuple[int, int, float]


class FinderRecognizer(EntityRecognizer):
    """A recognizer whose whole logic is `find(text)`; no NLP artifacts needed."""

    ENTITY: str = ""
    NAME: str = ""

    def __init__(self, supported_language: str = "fr"):
        super().__init__(
            supported_entities=[self.ENTITY],
            name=self.NAME or type(self).__name__,
            supported_language=supported_language,
        )

    def load(self) -> None:  # nothing to load: pure Python
        pass

    def find(self, text: str) -> Iterable[Span]:
        raise NotImplementedError

    def analyze(
        self, text: str, entities: List[str], nlp_artifacts: Optional[object] = None
    ) -> List[RecognizerResult]:
        if entities and self.ENTITY not in entities:
            return []
        return [
            RecognizerResult(self.ENTITY, start, end, score)
            for start, end, score in self.find(text)
            if end > start
        ]
