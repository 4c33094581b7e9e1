"""The NLU benchmark's helpers: seeded copies of config.yml and the fallback rule."""
from pathlib import Path

import yaml

from bench.nlu import unsafe_confusions, with_seed, with_threshold

ROOT = Path(__file__).resolve().parent.parent


def test_a_seeded_copy_changes_only_diets_seed(tmp_path):
    copy = with_seed(ROOT / "config.yml", 43, tmp_path)
    original = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    seeded = yaml.safe_load(copy.read_text(encoding="utf-8"))
    diet = [c for c in seeded["pipeline"] if c["name"].endswith("DIETClassifier")]
    assert [c["random_seed"] for c in diet] == [43]
    for component in diet:
        component["random_seed"] = 42
    assert seeded == original


def test_the_fallback_rule_matches_rasas_threshold_and_ambiguity():
    parsed = {"intent": {"name": "vae"}, "intent_ranking": [
        {"name": "vae", "confidence": 0.55}, {"name": "bilan_competences", "confidence": 0.48}]}
    assert with_threshold(parsed, 0.5, 0.1) == "nlu_fallback"  # too close to the second
    assert with_threshold(parsed, 0.5, 0.05) == "vae"
    assert with_threshold(parsed, 0.6, 0.0) == "nlu_fallback"  # under the threshold


def test_unsafe_confusions_count_only_unsafe_messages_taken_for_a_need():
    truth = ["out_of_scope", "out_of_scope", "distress", "out_of_scope", "formation", "distress"]
    predicted = ["formation", "nlu_fallback", "vae", "formation", "vae", "distress"]
    assert unsafe_confusions(truth, predicted) == [("distress", "vae", 1), ("out_of_scope", "formation", 2)]
