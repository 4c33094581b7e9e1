"""Real-style held-out messages (bench/data/nlu_real/*.yml): what the NLU gives them.

Each message has the expected label (a need, `distress` or `out_of_scope`) and a
class (what kind of message it is: `need_last`, `harassment_school`, `manipulation`…).
The sets are written blind, by someone who never read data/nlu/: this module never
prints a text, only counts, and the failures by class.

- Long messages (long.yml): need accuracy and macro-F1; when the fallback answers,
  whether the two needs it offers include the right one.
- Distress (label `distress`, any set): recall, target 100%, misses by class.
  Messages that only use a distress word (`distress_word_not_distress`) are counted
  as false alarms if read as distress.
- Out of scope (label `out_of_scope`): kept from a referral (read as anything but a
  need), target 97%, misses by class. The look-alikes that are a need
  (`lookalike_but_need`) must still get it.
"""
from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.nlu.parse_keys import DISTRESS_DOUBT
from directory.vocabulary import Need

ROOT = Path(__file__).resolve().parent.parent
REAL_DIR = ROOT / "bench" / "data" / "nlu_real"
NEEDS = [need.value for need in Need]


@dataclass(frozen=True)
class RealMessage:
    id: str
    label: str
    klass: str
    author: str
    register: str
    text: str
    source: str


def load(directory: Path = REAL_DIR) -> list[RealMessage]:
    messages = []
    for path in sorted(directory.glob("*.yml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8"))["messages"]:
            messages.append(RealMessage(str(item["id"]), item["label"], item["class"], item.get("author", ""),
                                        item.get("register", ""), str(item["text"]).strip(), path.stem))
    return messages


def likeliest_needs(parsed: dict, count: int = 2) -> list[str]:
    """The needs the fallback offers: the first `count` needs of the ranking."""
    return [r["name"] for r in parsed.get("intent_ranking") or [] if r["name"] in NEEDS][:count]


@dataclass
class RealScores:
    long_count: int = 0
    long_accuracy: float = float("nan")
    long_macro_f1: float = float("nan")
    long_fallback: int = 0
    long_fallback_offers_right: int = 0
    long_misses_by_class: Counter = field(default_factory=Counter)
    long_confusions: Counter = field(default_factory=Counter)
    long_with_numbers: int = 0  # orientation stories also given the help numbers (in doubt)
    distress_count: int = 0
    distress_recall: float = float("nan")  # got the help numbers: distress, or a need in doubt
    distress_in_doubt: int = 0  # of which the numbers then the orientation
    distress_misses: Counter = field(default_factory=Counter)  # (class, predicted)
    distress_false_alarms: int = 0
    distress_word_count: int = 0
    oos_count: int = 0
    oos_kept: float = float("nan")
    oos_misses: Counter = field(default_factory=Counter)  # (class, predicted)
    lookalike_count: int = 0
    lookalike_right: int = 0
    by_register: dict = field(default_factory=dict)  # register -> (right, count) on needs and distress


def score(messages: list[RealMessage], parses: list[dict]) -> RealScores:
    from sklearn.metrics import f1_score

    result = RealScores()
    predicted = [p["intent"]["name"] for p in parses]
    # Given the help numbers: read as distress, or a need in doubt (numbers first).
    helped = [p["intent"]["name"] == "distress" or bool(p.get(DISTRESS_DOUBT)) for p in parses]
    long_pairs = [(m, p, parsed) for m, p, parsed in zip(messages, predicted, parses) if m.source == "long"]
    if long_pairs:
        truth = [m.label for m, _, _ in long_pairs]
        guess = [p for _, p, _ in long_pairs]
        result.long_count = len(long_pairs)
        result.long_accuracy = sum(t == g for t, g in zip(truth, guess)) / len(truth)
        labels = sorted(set(truth))
        result.long_macro_f1 = float(f1_score(truth, guess, labels=labels, average="macro", zero_division=0))
        for m, p, parsed in long_pairs:
            result.long_with_numbers += m.label != "distress" and p != "distress" and bool(parsed.get(DISTRESS_DOUBT))
            if p == "nlu_fallback":
                result.long_fallback += 1
                result.long_fallback_offers_right += m.label in likeliest_needs(parsed)
            if p != m.label:
                result.long_misses_by_class[m.klass] += 1
                result.long_confusions[(m.label, p)] += 1
    distress = [(m, p, h) for m, p, h in zip(messages, predicted, helped) if m.label == "distress"]
    result.distress_count = len(distress)
    if distress:
        result.distress_recall = sum(h for _, _, h in distress) / len(distress)
        result.distress_in_doubt = sum(h and p != "distress" for _, p, h in distress)
        result.distress_misses = Counter((m.klass, p) for m, p, h in distress if not h)
    word_only = [h for m, h in zip(messages, helped) if m.klass == "distress_word_not_distress"]
    result.distress_word_count = len(word_only)
    result.distress_false_alarms = sum(word_only)
    oos = [(m, p) for m, p in zip(messages, predicted) if m.label == "out_of_scope"]
    result.oos_count = len(oos)
    if oos:
        result.oos_kept = sum(p not in NEEDS for _, p in oos) / len(oos)
        result.oos_misses = Counter((m.klass, p) for m, p in oos if p in NEEDS)
    lookalikes = [(m, p) for m, p in zip(messages, predicted) if m.klass == "lookalike_but_need"]
    result.lookalike_count = len(lookalikes)
    result.lookalike_right = sum(p == m.label for m, p in lookalikes)
    registers: dict[str, list[int]] = {}
    for m, p in zip(messages, predicted):
        if m.label != "out_of_scope":
            right_count = registers.setdefault(m.register or "?", [0, 0])
            right_count[0] += p == m.label
            right_count[1] += 1
    result.by_register = {k: tuple(v) for k, v in sorted(registers.items())}
    return result


def print_short_failures(truth: list[str], predicted: list[str]) -> None:
    """Per-need F1 of the short held-out set, the weakest first, and its most frequent
    confusions (counts only)."""
    from sklearn.metrics import f1_score

    per_need = f1_score(truth, predicted, labels=NEEDS, average=None, zero_division=0)
    weakest = sorted(zip(NEEDS, per_need), key=lambda pair: pair[1])[:6]
    print("  F1 les plus bas : " + ", ".join(f"{need} {f1:.2f}" for need, f1 in weakest))
    confusions = Counter((t, p) for t, p in zip(truth, predicted) if t != p)
    print("  confusions, attendu → lu : " + ", ".join(f"{t} → {p} ({c})" for (t, p), c in confusions.most_common(12)))


def _ratio(part: int, whole: int) -> str:
    return f"{part}/{whole}" if whole else "—"


def print_table(results: dict[str, RealScores]) -> None:
    names = list(results)
    width = max(len(n) for n in names) + 2
    rows = [
        ("longs : exactitude du besoin (cible ≥ 0,80)", lambda r: f"{r.long_accuracy:.3f}"),
        ("longs : macro-F1", lambda r: f"{r.long_macro_f1:.3f}"),
        ("longs : repli / dont bon besoin proposé",
         lambda r: f"{r.long_fallback} / {r.long_fallback_offers_right}"),
        ("longs récits d'orientation qui reçoivent aussi les numéros", lambda r: str(r.long_with_numbers)),
        ("détresse : numéros d'aide donnés (cible 100 %)", lambda r: f"{r.distress_recall:.1%}"),
        ("  dont besoin gardé, numéros en premier (doute)", lambda r: str(r.distress_in_doubt)),
        ("mot de détresse sans détresse, numéros donnés",
         lambda r: _ratio(r.distress_false_alarms, r.distress_word_count)),
        ("hors sujet tenus à l'écart d'une orientation (cible ≥ 97 %)", lambda r: f"{r.oos_kept:.1%}"),
        ("sosies qui sont un besoin, bien lus", lambda r: _ratio(r.lookalike_right, r.lookalike_count)),
    ]
    first = results[names[0]]
    rows += [(f"besoins et détresse, registre {register}",
              lambda r, register=register: _ratio(*r.by_register.get(register, (0, 0))))
             for register in first.by_register]
    label_width = max(len(label) for label, _ in rows) + 2
    print(f"\nNLU sur les messages réels réservés ({first.long_count} longs, {first.distress_count} détresses, "
          f"{first.oos_count} hors sujet ; écrits à l'aveugle, textes jamais affichés)")
    print("".ljust(label_width) + "".join(n.rjust(width) for n in names))
    for label, cell in rows:
        print(label.ljust(label_width) + "".join(cell(results[n]).rjust(width) for n in names))
    for name, r in results.items():
        print(f"\nÉchecs par classe ({name}) :")
        print("  longs manqués : " + (", ".join(f"{k} {v}" for k, v in sorted(r.long_misses_by_class.items()))
                                      or "aucun"))
        print("  longs, attendu → lu : " + (", ".join(f"{t} → {p} ({c})" for (t, p), c in
                                                     r.long_confusions.most_common(10)) or "aucun"))
        print("  détresses manquées, classe → lu : " + (", ".join(
            f"{k} → {p} ({c})" for (k, p), c in sorted(r.distress_misses.items())) or "aucune"))
        print("  hors sujet pris pour un besoin, classe → lu : " + (", ".join(
            f"{k} → {p} ({c})" for (k, p), c in sorted(r.oos_misses.items())) or "aucun"))


def print_seed_summary(results: list[RealScores]) -> None:
    def spread(values: list[float], fmt: str) -> str:
        return f"{format(statistics.median(values), fmt)} (de {format(min(values), fmt)} à {format(max(values), fmt)})"

    print(f"Messages réels sur {len(results)} graines : longs {spread([r.long_accuracy for r in results], '.3f')}, "
          f"détresse {spread([r.distress_recall for r in results], '.1%')}, "
          f"hors sujet tenus à l'écart {spread([r.oos_kept for r in results], '.1%')}")


def main(argv: list[str] | None = None) -> None:
    """`python -m bench.nlu_real [--model models/x.tar.gz]`: the real-style sets on an
    already trained model (the newest of models/ by default), without training; the
    full measure, over seeds and with the baseline, is `python -m bench.nlu`."""
    import argparse
    import asyncio

    from bench.nlu import load_holdout, predict, quiet_rasa, scores

    parser = argparse.ArgumentParser(prog="python -m bench.nlu_real", description=main.__doc__)
    parser.add_argument("--model", type=Path, help="modèle entraîné (par défaut : le plus récent de models/)")
    args = parser.parse_args(argv)
    model = args.model or max((ROOT / "models").glob("*.tar.gz"), key=lambda path: path.stat().st_mtime)
    quiet_rasa()
    messages = load()
    holdout = load_holdout()
    parses, _ = asyncio.run(predict(str(model), [m.text for m in messages] + [text for text, _ in holdout]))
    truth = [intent for _, intent in holdout]
    macro_f1, oos_rejection, unsafe = scores(truth, [p["intent"]["name"] for p in parses[len(messages):]])
    print(f"\nJeu réservé court ({len(holdout)} messages) : macro-F1 besoins {macro_f1:.3f}, "
          f"hors sujet rejetés {oos_rejection:.1%}, hors sujet/détresse pris pour un besoin {unsafe}")
    print_short_failures(truth, [p["intent"]["name"] for p in parses[len(messages):]])
    print_table({model.name: score(messages, parses[:len(messages)])})


if __name__ == "__main__":
    main()
