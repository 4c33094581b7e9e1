"""`python -m bench.nlu`: intent quality and speed on the held-out sets.

Trains the NLU twice on data/nlu (our config.yml, then Rasa's default pipeline
without spaCy as a baseline), evaluates both on bench/data/nlu_holdout.yml, which
training never sees, and prints the figures side by side; then, with the same model,
on the real-style messages of bench/data/nlu_real/ (long stories, distress,
out-of-scope look-alikes and manipulation attempts: bench/nlu_real.py). Those sets
are written blind; only counts and classes of failures are printed, never a text.
"""
from __future__ import annotations

import argparse
import asyncio
import logging
import os
import statistics
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bench import nlu_real
from directory.vocabulary import Need

ROOT = Path(__file__).resolve().parent.parent
HOLDOUT = ROOT / "bench" / "data" / "nlu_holdout.yml"
PIPELINES = {
    "config.yml (spaCy fr)": ROOT / "config.yml",
    "Rasa par défaut (sans spaCy)": ROOT / "bench" / "configs" / "rasa_default_pipeline.yml",
}
NEEDS = [need.value for need in Need]
# Predictions that keep a message away from any referral.
REJECTIONS = {"out_of_scope", "nlu_fallback"}


@dataclass
class Evaluation:
    train_seconds: float
    accuracy: float
    needs_macro_f1: float
    per_need_f1: dict[str, float]
    oos_rejection: float
    distress_recall: float
    referred_unsafe: int
    parse_median_ms: float
    parse_p95_ms: float
    # Macro-F1 / out-of-scope rejection / unsafe count if the fallback's threshold and
    # ambiguity were other values (same model): shows what they trade.
    by_threshold: dict[tuple[float, float], tuple[float, float, int]]
    unsafe_confusions: list[tuple[str, str, int]]
    confusions: list[tuple[str, str, int]]
    real: "nlu_real.RealScores | None" = None


def load_holdout() -> list[tuple[str, str]]:
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(HOLDOUT))
    return [(m.get("text"), m.get("intent")) for m in data.intent_examples]


def train(config: Path, out_dir: Path) -> tuple[str, float]:
    from rasa.model_training import train_nlu

    started = time.perf_counter()
    model = train_nlu(str(config), str(ROOT / "data" / "nlu"), str(out_dir), fixed_model_name=config.stem)
    return model, time.perf_counter() - started


FIRST_SEED = 42  # config.yml's random_seed
# (threshold, ambiguity_threshold) of the FallbackClassifier; config.yml: 0.5, 0.1.
THRESHOLDS = ((0.3, 0.1), (0.4, 0.1), (0.5, 0.1), (0.6, 0.1), (0.5, 0.05), (0.5, 0.0))


async def predict(model: str, texts: list[str]) -> tuple[list[dict], list[float]]:
    from rasa.core.agent import Agent

    agent = Agent.load(model)
    await agent.parse_message("bonjour")  # warm-up
    parses, durations = [], []
    for text in texts:
        started = time.perf_counter()
        parses.append(await agent.parse_message(text))
        durations.append((time.perf_counter() - started) * 1000)
    return parses, durations


def with_threshold(parsed: dict, threshold: float, ambiguity: float) -> str:
    """The intent FallbackClassifier would give with these thresholds."""
    ranking = [r for r in parsed.get("intent_ranking") or [] if r["name"] != "nlu_fallback"]
    if not ranking:
        return parsed["intent"]["name"]
    top = ranking[0]["confidence"]
    second = ranking[1]["confidence"] if len(ranking) > 1 else 0.0
    if top < threshold or top - second < ambiguity:
        return "nlu_fallback"
    return ranking[0]["name"]


def scores(truth: list[str], predicted: list[str]) -> tuple[float, float, int]:
    """Needs macro-F1, share of out-of-scope rejected, unsafe messages taken for a need."""
    from sklearn.metrics import f1_score

    macro = float(f1_score(truth, predicted, labels=NEEDS, average="macro", zero_division=0))
    oos = [p for t, p in zip(truth, predicted) if t == "out_of_scope"]
    rejected = sum(p in REJECTIONS for p in oos) / len(oos) if oos else float("nan")
    unsafe = sum(1 for t, p in zip(truth, predicted)
                 if t in ("out_of_scope", "distress") and p in NEEDS)
    return macro, rejected, unsafe


def unsafe_confusions(truth: list[str], predicted: list[str]) -> list[tuple[str, str, int]]:
    """Every out-of-scope or distress message taken for a need, as (expected,
    predicted, count): says which need draws them without printing the held-out texts."""
    return [(t, p, count) for (t, p), count in sorted(Counter(
        (t, p) for t, p in zip(truth, predicted)
        if t in ("out_of_scope", "distress") and p in NEEDS).items())]


def evaluate(config: Path, holdout: list[tuple[str, str]], out_dir: Path,
             real: list[nlu_real.RealMessage] | None = None) -> Evaluation:
    from sklearn.metrics import accuracy_score, f1_score

    model, train_seconds = train(config, out_dir)
    texts = [text for text, _ in holdout]
    truth = [intent for _, intent in holdout]
    parses, durations = asyncio.run(predict(model, texts + [m.text for m in real or []]))
    real_parses = parses[len(texts):]
    parses, durations = parses[:len(texts)], durations[:len(texts)]
    predicted = [parsed["intent"]["name"] for parsed in parses]
    per_need = f1_score(truth, predicted, labels=NEEDS, average=None, zero_division=0)
    macro_f1, oos_rejection, referred_unsafe = scores(truth, predicted)
    # Given the help numbers: read as distress, or a need kept in doubt (numbers first).
    distress = [p == "distress" or bool(parsed.get(nlu_real.DISTRESS_DOUBT))
                for t, p, parsed in zip(truth, predicted, parses) if t == "distress"]
    return Evaluation(
        train_seconds=train_seconds,
        accuracy=accuracy_score(truth, predicted),
        needs_macro_f1=macro_f1,
        per_need_f1=dict(zip(NEEDS, map(float, per_need))),
        oos_rejection=oos_rejection,
        distress_recall=sum(distress) / len(distress) if distress else float("nan"),
        referred_unsafe=referred_unsafe,
        parse_median_ms=statistics.median(durations),
        parse_p95_ms=statistics.quantiles(durations, n=20)[-1],
        by_threshold={pair: scores(truth, [with_threshold(p, *pair) for p in parses])
                      for pair in THRESHOLDS},
        unsafe_confusions=unsafe_confusions(truth, predicted),
        confusions=[(t, p, count) for (t, p), count in
                    Counter((t, p) for t, p in zip(truth, predicted) if t != p).most_common(12)],
        real=nlu_real.score(real, real_parses) if real else None,
    )


def print_table(results: dict[str, Evaluation], examples: int) -> None:
    names = list(results)
    width = max(len(n) for n in names) + 2
    rows = [
        ("macro-F1 besoins (cible ≥ 0,92)", lambda e: f"{e.needs_macro_f1:.3f}"),
        ("exactitude (toutes intentions)", lambda e: f"{e.accuracy:.3f}"),
        ("hors sujet rejetés", lambda e: f"{e.oos_rejection:.1%}"),
        ("détresse reconnue", lambda e: f"{e.distress_recall:.1%}"),
        ("hors sujet/détresse pris pour un besoin (cible 0)", lambda e: str(e.referred_unsafe)),
        ("analyse médiane (ms)", lambda e: f"{e.parse_median_ms:.1f}"),
        ("analyse p95 (ms)", lambda e: f"{e.parse_p95_ms:.1f}"),
        ("entraînement (s)", lambda e: f"{e.train_seconds:.0f}"),
    ] + [(f"F1 {need}", lambda e, need=need: f"{e.per_need_f1[need]:.3f}") for need in NEEDS] + [
        (f"seuil {t[0]}, ambiguïté {t[1]} : F1 / hors sujet rejetés / à risque",
         lambda e, t=t: "{:.3f} / {:.1%} / {}".format(*e.by_threshold[t])) for t in THRESHOLDS
    ]
    label_width = max(len(label) for label, _ in rows) + 2
    print(f"\nNLU sur le jeu réservé ({examples} messages, jamais vus à l'entraînement)")
    print("".ljust(label_width) + "".join(n.rjust(width) for n in names))
    for label, cell in rows:
        print(label.ljust(label_width) + "".join(cell(results[n]).rjust(width) for n in names))
    for name in names:
        print(f"\nConfusions les plus fréquentes ({name}) : attendu → prédit (nombre)")
        for truth, predicted, count in results[name].confusions:
            print(f"  {truth} → {predicted} ({count})")
        print(f"Hors sujet ou détresse pris pour un besoin ({name}) :")
        for truth, predicted, count in results[name].unsafe_confusions:
            print(f"  {truth} → {predicted} ({count})")
        if not results[name].unsafe_confusions:
            print("  aucun")
    if all(e.real is not None for e in results.values()):
        nlu_real.print_table({name: e.real for name, e in results.items()})


def with_diet_settings(config: Path, out_dir: Path, suffix: str, **settings) -> Path:
    """A copy of `config` whose DIETClassifier takes `settings` (epochs, random_seed…)."""
    import yaml

    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    for component in data["pipeline"]:
        if component["name"].endswith("DIETClassifier"):
            component.update(settings)
    copy = out_dir / f"{config.stem}-{suffix}.yml"
    copy.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return copy


def with_epochs(config: Path, epochs: int, out_dir: Path) -> Path:
    return with_diet_settings(config, out_dir, f"{epochs}-epochs", epochs=epochs)


def with_seed(config: Path, seed: int, out_dir: Path) -> Path:
    return with_diet_settings(config, out_dir, f"seed-{seed}", random_seed=seed)


def print_seed_summary(results: dict[str, Evaluation]) -> None:
    """Median and range over seeds: a difference smaller than the range decides nothing."""
    f1 = [e.needs_macro_f1 for e in results.values()]
    unsafe = [e.referred_unsafe for e in results.values()]
    print(f"\nSur {len(f1)} graines : macro-F1 médiane {statistics.median(f1):.3f} "
          f"(de {min(f1):.3f} à {max(f1):.3f}), à risque médian {statistics.median(unsafe):g} "
          f"(de {min(unsafe)} à {max(unsafe)})")
    if all(e.real is not None for e in results.values()):
        nlu_real.print_seed_summary([e.real for e in results.values()])


def quiet_rasa() -> None:
    """Rasa's structured log prints every parse at debug level unless configured."""
    from rasa.utils.log_utils import configure_structlog

    logging.basicConfig(level=logging.WARNING)
    configure_structlog(logging.WARNING)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.nlu", description=__doc__)
    parser.add_argument(
        "--only", choices=["ours", "baseline"],
        help="n'entraîner qu'un pipeline (ours = config.yml, baseline = Rasa par défaut)",
    )
    parser.add_argument("--config", type=Path, help="évaluer seulement ce fichier de configuration (essai)")
    parser.add_argument(
        "--epochs", type=int,
        help="imposer ce nombre d'époques au DIETClassifier de chaque pipeline "
             "(comparaison à budget égal ; le nom de la colonne l'indique)",
    )
    parser.add_argument(
        "--seeds", type=int, default=1,
        help="entraîner chaque pipeline avec N graines (42, 43…) et résumer : "
             "la variation d'une graine à l'autre dit quels écarts comptent",
    )
    parser.add_argument("--no-real", action="store_true",
                        help="ne pas évaluer les messages réels (bench/data/nlu_real/)")
    args = parser.parse_args(argv)
    chosen = list(PIPELINES.items())
    if args.only:
        chosen = chosen[:1] if args.only == "ours" else chosen[1:]
    if args.config:
        chosen = [(args.config.name, args.config)]
    quiet_rasa()
    # Cold training, as on a fresh machine: Rasa's cache would otherwise reuse
    # components trained by an earlier run and hide the real training time.
    os.environ["RASA_MAX_CACHE_SIZE"] = "0"
    holdout = load_holdout()
    real = None if args.no_real else nlu_real.load()
    results: dict[str, Evaluation] = {}
    with tempfile.TemporaryDirectory(prefix="bench-nlu-") as tmp:
        for name, config in chosen:
            if args.epochs:
                name, config = f"{name}, {args.epochs} époques", with_epochs(config, args.epochs, Path(tmp))
            for seed in range(FIRST_SEED, FIRST_SEED + args.seeds):
                label, seeded = (name, config) if args.seeds == 1 else (
                    f"{name}, graine {seed}", with_seed(config, seed, Path(tmp)))
                results[label] = evaluate(seeded, holdout, Path(tmp), real)
                # Each table is printed as soon as it is known: the baseline trains long.
                print_table(results, len(holdout))
        if args.seeds > 1:
            print_seed_summary(results)


if __name__ == "__main__":
    main()
