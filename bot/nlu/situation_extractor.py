"""Rasa component: entities `public`, `handicap`, `cadre`, `secteur` with the slot
values the domain expects ("au chômdu" -> public=demandeur_emploi)."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe

from bot.nlu.base import TextEntityExtractor, entity
from bot.nlu.situation import find_situation, load_cues


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False
)
class SituationExtractor(TextEntityExtractor):
    def __init__(self, config: Dict[Text, Any] | None = None) -> None:
        super().__init__(config)
        self._cues = load_cues()

    def extract(self, text: str) -> List[Dict[Text, Any]]:
        return [entity(m.entity, m.start, m.end, m.value) for m in find_situation(text, self._cues)]
