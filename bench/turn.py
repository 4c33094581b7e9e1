"""`python -m bench.turn`: time of a full turn through the real REST channel (Rasa
server + action server + directory + redacting conversation store), from the
message sent to the reply received, and the share of it spent on redaction.

Each conversation says everything at once, so its turn ends with a referral
(`action_refer`: the directory's search and the spec payload)."""
from __future__ import annotations

import json
import statistics
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

from bot.local_servers import ROOT, run_servers

MODEL = ROOT / "models" / "current.tar.gz"
CONVERSATIONS = 30
REFERRAL_MESSAGES = [
    "je cherche du travail, je suis au chômage, j'ai 30 ans et j'habite à Chartres",
    "je voudrais faire une VAE, je suis salariée, j'ai 41 ans, j'habite à Rennes",
    "jsuis en terminale a Tours jsais pas quoi faire apres le bac, jai 17 ans",
    "je veux créer mon entreprise, je suis demandeur d'emploi, j'ai 45 ans, à Lucé",
]


def say(url: str, sender: str, message: str) -> tuple[float, list[dict]]:
    request = urllib.request.Request(
        f"{url}/webhooks/rest/webhook",
        data=json.dumps({"sender": sender, "message": message}).encode(),
        headers={"Content-Type": "application/json"},
    )
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:
        replies = json.loads(response.read())
    return (time.perf_counter() - started) * 1000, replies


def has_referral(replies: list[dict]) -> bool:
    return any(isinstance(r.get("custom"), dict) and r["custom"].get("type") == "referral"
               for r in replies)


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def redaction_median_ms(texts: list[str]) -> float:
    from bot.privacy import get_redactor

    redactor = get_redactor()
    for text in texts:
        redactor.redact(text)  # warm-up
    timings = []
    for _ in range(5):
        for text in texts:
            started = time.perf_counter()
            redactor.redact(text)
            timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def main(argv: list[str] | None = None) -> None:
    import argparse

    from directory.db import make_engine

    parser = argparse.ArgumentParser(
        prog="python -m bench.turn",
        description="Durée d'un tour REST sur les vrais serveurs (« bonjour », puis un tour "
                    "terminé par une orientation) et part du caviardage.")
    parser.add_argument("--conversations", type=int, default=CONVERSATIONS,
                        help=f"conversations jouées (défaut : {CONVERSATIONS})")
    conversations = parser.parse_args(argv).conversations

    greeting_ms, referral_ms, referred = [], [], 0
    with tempfile.TemporaryDirectory(prefix="bench-turn-") as tmp:
        env = {"DIRECTORY_DATABASE_URL": str(make_engine().url),
               "CONVERSATIONS_DATABASE_URL": f"sqlite:///{Path(tmp) / 'conversations.sqlite'}"}
        with run_servers(Path(tmp), MODEL, env) as servers:
            for message in REFERRAL_MESSAGES:  # warm-up: first calls load lazily
                say(servers.rasa_url, uuid.uuid4().hex, message)
            for index in range(conversations):
                sender = uuid.uuid4().hex
                greeting_ms.append(say(servers.rasa_url, sender, "bonjour")[0])
                elapsed, replies = say(servers.rasa_url, sender,
                                       REFERRAL_MESSAGES[index % len(REFERRAL_MESSAGES)])
                # Only turns that really end in a referral count as referral turns.
                if has_referral(replies):
                    referral_ms.append(elapsed)
                    referred += 1
    redaction = redaction_median_ms(REFERRAL_MESSAGES)
    turn = statistics.median(referral_ms)
    rows = [
        ("conversations", f"{conversations}"),
        ("tours terminés par une orientation", f"{referred}/{conversations}"),
        ("tour « bonjour » médian (ms)", f"{statistics.median(greeting_ms):.0f}"),
        ("tour « bonjour » p95 (ms)", f"{p95(greeting_ms):.0f}"),
        ("tour avec orientation médian (ms, cible < 150)", f"{turn:.0f}"),
        ("tour avec orientation p95 (ms)", f"{p95(referral_ms):.0f}"),
        ("anonymisation d'un message médiane (ms)", f"{redaction:.1f}"),
        ("part de l'anonymisation dans le tour", f"{redaction / turn:.0%}"),
    ]
    width = max(len(label) for label, _ in rows) + 2
    print(f"{'mesure':<{width}}{'valeur':>10}")
    for label, value in rows:
        print(f"{label:<{width}}{value:>10}")


if __name__ == "__main__":
    main()
