"""Run a real extractor component on texts, as the Rasa graph does."""
from __future__ import annotations

from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message


def create(component_class, tmp_path, config=None):
    """Instantiate like Rasa does when loading a model."""
    return component_class.create(
        {**component_class.get_default_config(), **(config or {})},
        LocalModelStorage(tmp_path),
        Resource(component_class.__name__),
        ExecutionContext(GraphSchema({}), "test"),
    )


def entities(component, text: str) -> list[dict]:
    [message] = component.process([Message(data={"text": text})])
    return message.get("entities", [])


def values(component, text: str, kind: str) -> list:
    return [e["value"] for e in entities(component, text) if e["entity"] == kind]


def need_training_examples():
    """(need, text) for every training example written for one of the 13 needs, as
    Rasa reads it (entity markup removed)."""
    import warnings
    from pathlib import Path

    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

    from directory.vocabulary import Need

    needs = {need.value for need in Need}
    for path in sorted((Path(__file__).resolve().parents[2] / "data" / "nlu").glob("*.yml")):
        with warnings.catch_warnings():
            # Rasa's schema check imports pkg_resources, deprecated by setuptools.
            warnings.simplefilter("ignore", DeprecationWarning)
            examples = RasaYAMLReader().read(path).intent_examples
        for example in examples:
            if example.get("intent") in needs:
                yield example.get("intent"), example.get("text")
