"""Rasa component: entities `metier` (official ROME appellation label) and
`rome_code` (e.g. "J1506") on the same span, from job titles in the message, and
the trade's `secteur` (directory/rules/trade_sectors.yml: a baker's is crafts) when
the message does not say one in words."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe

from bot.nlu.base import TextEntityExtractor, entity
from bot.nlu.metier import MetierIndex
from directory.referral.sectors import sector_of_rome


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False
)
class MetierExtractor(TextEntityExtractor):
    only_if_absent = frozenset({"secteur"})

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # None: $SPRO_DATA_DIR/metiers/rome_appellations.csv (see bot.nlu.rome).
        return {"appellations_csv": None}

    @classmethod
    def from_config(cls, config: Dict[Text, Any]) -> "MetierExtractor":
        # Built when the model loads (about 1 s), never at import.
        return cls(config, MetierIndex.load(config["appellations_csv"]))

    def __init__(self, config: Dict[Text, Any], index: MetierIndex) -> None:
        super().__init__(config)
        self._index = index

    def extract(self, text: str) -> List[Dict[Text, Any]]:
        entities = []
        sector_given = False
        for mention in self._index.find(text):
            appellation = mention.appellation
            entities.append(entity("metier", mention.start, mention.end, appellation.label))
            entities.append(entity("rome_code", mention.start, mention.end, appellation.rome_code))
            sector = sector_of_rome(appellation.rome_code)
            if sector and not sector_given:  # the first trade with a chamber
                entities.append(entity("secteur", mention.start, mention.end, sector))
                sector_given = True
        return entities
