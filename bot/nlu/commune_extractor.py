"""Rasa component: entity `commune` (+ `commune_insee` when the place is certain)
from place names and postcodes in the message, resolved against the directory's
real commune list ("j'habite à Lucé", "sur le 35000", "vers Saint-Brieuc")."""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Dict, List, Optional, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe

from bot.nlu.base import TextEntityExtractor, entity

logger = logging.getLogger(__name__)


def load_directory_resolver(url: Optional[str] = None):
    """The directory's commune resolver, or None (with one warning) when the
    directory database is missing or unreadable: Rasa must still start."""
    from sqlalchemy.exc import SQLAlchemyError

    from directory.communes import load_resolver
    from directory.db import database_url, make_engine, make_session_factory

    url = database_url(url)
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).is_file():
        logger.warning(
            "Directory database not found (%s): communes will not be recognised. "
            "Build it with `python -m directory import`.", url,
        )
        return None
    try:
        return load_resolver(make_session_factory(make_engine(url)))
    except SQLAlchemyError as error:
        logger.warning(
            "Directory database unreadable (%s): communes will not be recognised (%s).",
            url, error.__class__.__name__,
        )
        return None


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False
)
class CommuneExtractor(TextEntityExtractor):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # None: $DIRECTORY_DATABASE_URL, else var/directory.sqlite (directory.db).
        return {"database_url": None}

    @classmethod
    def from_config(cls, config: Dict[Text, Any]) -> "CommuneExtractor":
        # Opened when the model loads, never at import; the French word list too, so
        # that the first message does not wait for it.
        from directory.communes import lexicon

        lexicon.load()
        return cls(config, load_directory_resolver(config["database_url"]))

    def __init__(self, config: Dict[Text, Any], resolver) -> None:
        super().__init__(config)
        self._resolver = resolver

    def extract(self, text: str) -> List[Dict[Text, Any]]:
        if self._resolver is None:
            return []
        entities = []
        for mention in self._resolver.find_in_text(text):
            resolution = mention.resolution
            if resolution.status == "found":
                commune = resolution.commune
                entities.append(entity("commune", mention.start, mention.end, commune.name))
                entities.append(
                    entity("commune_insee", mention.start, mention.end, commune.insee_code)
                )
            elif resolution.status == "ambiguous":
                # The dialogue asks which one; it gets what the person typed.
                entities.append(entity("commune", mention.start, mention.end, mention.text))
        return entities
