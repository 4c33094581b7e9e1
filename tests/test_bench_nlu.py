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


def test_the_real_sets_load_with_their_labels_and_classes():
    from bench import nlu_real
    from collections import Counter

    messages = nlu_real.load()
    sources = Counter(m.source for m in messages)
    assert sources["long"] >= 150 and sources["distress"] >= 60 and sources["out_of_scope"] >= 60
    assert len({m.id for m in messages}) == len(messages)
    allowed = set(nlu_real.NEEDS) | {"distress", "out_of_scope"}
    assert {m.label for m in messages} <= allowed
    assert all(m.text and m.klass for m in messages)


def test_real_scores_count_failures_by_class_without_texts():
    from bench.nlu_real import RealMessage, score

    def message(label, klass, source):
        return RealMessage("x", label, klass, "self", "sms", "texte", source)

    def parsed(intent, *ranking):
        return {"intent": {"name": intent},
                "intent_ranking": [{"name": n, "confidence": 0.3} for n in ranking]}

    messages = [message("vae", "need_last", "long"), message("vae", "implicit_need", "long"),
                message("distress", "suicidal", "distress"), message("distress", "no_food", "distress"),
                message("formation", "distress_word_not_distress", "distress"),
                message("out_of_scope", "manipulation", "out_of_scope"),
                message("out_of_scope", "benefits", "out_of_scope")]
    parses = [parsed("vae"), parsed("nlu_fallback", "bilan_competences", "vae"),
              parsed("distress"), parsed("out_of_scope"), parsed("distress"),
              parsed("out_of_scope"), parsed("recherche_emploi")]
    result = score(messages, parses)
    assert result.long_accuracy == 0.5
    assert (result.long_fallback, result.long_fallback_offers_right) == (1, 1)
    assert result.distress_recall == 0.5 and dict(result.distress_misses) == {("no_food", "out_of_scope"): 1}
    assert result.distress_false_alarms == 1
    assert result.oos_kept == 0.5 and dict(result.oos_misses) == {("benefits", "recherche_emploi"): 1}
