"""`python -m bench.privacy`: redaction time per user message over the privacy corpus
(tests/privacy/corpus.yml): model load time, then median and p95 per message,
measured after one warm-up pass."""
from __future__ import annotations

import statistics
import time
from pathlib import Path

import yaml

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "privacy" / "corpus.yml"
PASSES = 3


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main(argv: list[str] | None = None) -> None:
    import argparse

    from bot.privacy import get_redactor

    parser = argparse.ArgumentParser(
        prog="python -m bench.privacy",
        description="Durée du caviardage d'un message (corpus de tests/privacy).")
    parser.add_argument("--passes", type=int, default=PASSES,
                        help=f"passages sur le corpus (défaut : {PASSES})")
    passes = parser.parse_args(argv).passes

    texts = [case["text"] for case in yaml.safe_load(CORPUS.read_text("utf-8"))["cases"]]
    started = time.perf_counter()
    redactor = get_redactor()
    load_s = time.perf_counter() - started
    for text in texts:  # warm-up: first calls pay lazy initialisations
        redactor.redact(text)
    timings_ms = []
    for _ in range(passes):
        for text in texts:
            started = time.perf_counter()
            redactor.redact(text)
            timings_ms.append((time.perf_counter() - started) * 1000)
    print(f"{'mesure':<32}{'valeur':>12}")
    print(f"{'messages (x passes)':<32}{f'{len(texts)} x {passes}':>12}")
    print(f"{'chargement (s)':<32}{load_s:>12.2f}")
    print(f"{'redaction médiane (ms)':<32}{statistics.median(timings_ms):>12.2f}")
    print(f"{'redaction p95 (ms)':<32}{_percentile(timings_ms, 0.95):>12.2f}")
    print(f"{'redaction max (ms)':<32}{max(timings_ms):>12.2f}")


if __name__ == "__main__":
    main()
