"""Rasa component: entity `age` (an int) from what the person says ("j'ai 17 ans")."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe

from bot.nlu.age import find_ages
from bot.nlu.base import TextEntityExtractor, entity


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False
)
class AgeExtractor(TextEntityExtractor):
    def extract(self, text: str) -> List[Dict[Text, Any]]:
        return [entity("age", m.start, m.end, m.age) for m in find_ages(text)]
