"""DistressGuard built as Rasa builds it (shared RuleBasedComponent plumbing), and
config.yml's graph accepted by Rasa's validation (no training)."""
from pathlib import Path

import yaml
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.distress_guard import DistressGuard
from tests.nlu.helpers import create

CONFIG = Path(__file__).resolve().parents[2] / "config.yml"


def test_created_by_rasa_guards_distress(tmp_path):
    guard = create(DistressGuard, tmp_path)
    [message] = guard.process([Message(data={"text": "je veux en finir",
                                             "intent": {"name": "formation", "confidence": 0.7}})])
    assert message.get("intent") == {"name": "distress", "confidence": 1.0}


def test_training_data_left_alone(tmp_path):
    data = TrainingData([Message(data={"text": "je veux en finir", "intent": "formation"})])
    assert create(DistressGuard, tmp_path).process_training_data(data) is data


def test_config_graph_is_valid():
    from rasa.engine.recipes.recipe import Recipe
    from rasa.engine.validation import validate
    from rasa.shared.data import TrainingType

    config = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    recipe = Recipe.recipe_for_name(config.get("recipe"))
    validate(recipe.graph_config_for_recipe(config, {}, TrainingType.BOTH))
