"""`python -m bench.review`: the review pages of the console over HTTP with 100,000
synthetic conversations (summary rows; events for 20,000 of them; 4 typed messages
each in the triage index, 5% annotated and tagged), asked by a logged-in reviewer
with random filters: list page, triage inbox and transcript page, median and p95.
Targets: list and triage p95 < 200 ms, transcript p95 < 100 ms."""
from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

CONVERSATIONS = 100_000
WITH_EVENTS = 20_000
EVENTS_EACH = 10
REQUESTS = 300
SEED = 7
MESSAGES_EACH = 4
TARGETS = {"list_p95_ms": 200.0, "triage_p95_ms": 200.0, "transcript_p95_ms": 100.0}
BANDS = ["a_traiter", "a_verifier", "sur"]
TAGS = ["bonne_orientation", "mauvaise_comprehension", "hors_sujet"]
NEEDS = ["vae", "formation", "recherche_emploi", "reconversion", "orientation_scolaire", "alternance"]
PUBLICS = ["salarie", "demandeur_emploi", "lyceen", "etudiant", None]
NETWORKS = ["cio", "france_travail", "mission_locale", "conseil_vae", "transitions_pro", "info_jeunesse"]


def fill(url: str, rng: random.Random) -> list[str]:
    """The synthetic store; returns the senders that have events."""
    from bot.review import store as review_store
    from bot.review.summaries import create, summaries
    from rasa.core.tracker_store import SQLTrackerStore

    store = SQLTrackerStore(dialect="sqlite", db=url.removeprefix("sqlite:///"))  # Rasa's own events table
    engine = store.engine
    create(engine)
    review_store.create(engine)
    start = time.time() - 180 * 86400
    rows, events, with_events = [], [], []
    for i in range(CONVERSATIONS):
        sender = f"{i:08x}{rng.getrandbits(64):016x}"
        began = start + rng.random() * 180 * 86400
        networks = rng.sample(NETWORKS, rng.randint(0, 3))
        rows.append({"sender_id": sender, "started_at": began, "last_at": began + rng.random() * 900,
                     "channel": rng.choice(["socketio", "rest"]), "need": rng.choice(NEEDS),
                     "public": rng.choice(PUBLICS), "department_code": f"{rng.randint(1, 95):02d}",
                     "networks": "," + ",".join(networks) + ("," if networks else ""),
                     "messages": rng.randint(1, 12), "fallbacks": rng.choice([0, 0, 0, 1, 2]),
                     "wrong_need": rng.choice([0] * 9 + [1]), "handoff": rng.random() < 0.05,
                     "rating": rng.choice([None, None, 3, 4, 5]), "min_confidence": rng.random()})
        if i < WITH_EVENTS:
            with_events.append(sender)
            for k in range(EVENTS_EACH):
                user = k % 2 == 0
                data = ({"event": "user", "text": "je cherche une formation <PERSONNE>",
                         "parse_data": {"intent": {"name": "formation", "confidence": 0.9},
                                        "intent_ranking": [{"name": "formation", "confidence": 0.9}],
                                        "entities": []}} if user
                        else {"event": "bot", "text": "Quelle est votre situation ?", "data": {}})
                events.append({"sender_id": sender, "type_name": data["event"], "timestamp": began + k,
                               "intent_name": "formation" if user else None, "action_name": None,
                               "data": json.dumps(data)})
    with engine.begin() as connection:
        connection.execute(sa.insert(summaries), rows)
        connection.execute(sa.insert(store.SQLEvent.__table__), events)
        # The triage index as the tracker store keeps it: real event ids for the
        # conversations that have events, ids past them for the others.
        typed = connection.execute(sa.select(review_store.events.c.id, review_store.events.c.sender_id,
                                             review_store.events.c.timestamp)
                                   .where(review_store.events.c.type_name == "user")).all()
        next_id = max(row.id for row in typed) + 1
        indexed = [(row.id, row.sender_id, row.timestamp) for row in typed]
        for row in rows[WITH_EVENTS:]:
            indexed += [(next_id + k, row["sender_id"], row["started_at"] + k) for k in range(MESSAGES_EACH)]
            next_id += MESSAGES_EACH
        messages = []
        for event_id, sender, at in indexed:
            annotated = rng.random() < 0.05
            messages.append({"event_id": event_id, "sender_id": sender, "at": at, "intent": rng.choice(NEEDS),
                             "confidence": rng.random(), "corrected": rng.random() < 0.03,
                             "right_intent": rng.choice(NEEDS) if annotated else None,
                             "annotated_by": "banc" if annotated else None, "annotated_at": at if annotated else None})
        connection.execute(sa.insert(review_store.messages), messages)
        connection.execute(sa.insert(review_store.conversation_reviews), [
            {"sender_id": row["sender_id"], "tags": f",{rng.choice(TAGS)},", "comment": "",
             "reviewed_by": "banc", "reviewed_at": row["last_at"]} for row in rows if rng.random() < 0.05])
    engine.dispose()
    return with_events


def measure(folder: Path, url: str, rng: random.Random, senders: list[str]) -> dict[str, list[float]]:
    from aiohttp import web
    from aiohttp.test_utils import TestClient, TestServer

    from bot.handoff.console import mount_console

    from bench.console_login import console_settings, log_in

    settings = console_settings(folder, url, "banc.revue", "reviewer", f"sqlite:///{folder / 'absent.sqlite'}")

    def filters() -> dict:
        chosen = {"besoin": rng.choice(NEEDS), "reseau": rng.choice(NETWORKS),
                  "departement": f"{rng.randint(1, 95):02d}", "repli": "oui", "faible": "oui", "note": "oui",
                  "pas_ma_question": "oui", "du": "2026-09-01", "etiquette": rng.choice(TAGS),
                  "annotee": rng.choice(["oui", "non"]), "tri": rng.choice(["recentes", "anciennes", "confiance"])}
        return dict(rng.sample(sorted(chosen.items()), rng.randint(0, 3)), page=str(rng.randint(1, 3)))

    def inbox() -> dict:
        return {"bande": rng.choice(BANDS), "page": str(rng.randint(1, 3)),
                **({"annotes": "oui"} if rng.random() < 0.3 else {})}

    async def run():
        root = web.Application()
        mount_console(root, settings)
        async with TestClient(TestServer(root)) as client:
            await log_in(client, "banc.revue")
            timings = {"list": [], "triage": [], "transcript": []}
            for _ in range(REQUESTS):
                for kind, path, params in (("list", "/conseil/revue", filters()),
                                           ("triage", "/conseil/revue/messages", inbox()),
                                           ("transcript", f"/conseil/revue/{rng.choice(senders)}", {})):
                    started = time.perf_counter()
                    response = await client.get(path, params=params, allow_redirects=False)
                    await response.read()
                    timings[kind].append((time.perf_counter() - started) * 1000)
                    if response.status != 200:
                        raise RuntimeError(f"{path} answered {response.status}")
            return timings

    return asyncio.run(run())


def main(argv: list[str] | None = None) -> None:
    argparse.ArgumentParser(prog="python -m bench.review", description=__doc__.split("\n\n")[0]).parse_args(argv)
    import warnings

    rng = random.Random(SEED)
    with tempfile.TemporaryDirectory() as tmp, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Rasa's store uses SQLAlchemy 1.x APIs
        url = f"sqlite:///{Path(tmp) / 'conversations.sqlite'}"
        started = time.perf_counter()
        senders = fill(url, rng)
        filled = time.perf_counter() - started
        timings = measure(Path(tmp), url, rng, senders)
    p95 = lambda values: statistics.quantiles(values, n=20)[-1]  # noqa: E731
    print(f"{'Mesure':<44}  {'Valeur':>10}  {'Cible':>9}  État")
    print(f"{'Remplissage (100 000 conversations)':<44}  {filled:>8.1f} s  {'':>9}")
    for label, values, target in (("Liste de revue", timings["list"], TARGETS["list_p95_ms"]),
                                  ("Messages à trier", timings["triage"], TARGETS["triage_p95_ms"]),
                                  ("Page d'une conversation", timings["transcript"], TARGETS["transcript_p95_ms"])):
        print(f"{label + ' : médiane':<44}  {statistics.median(values):>7.1f} ms  {'':>9}")
        state = "OK" if p95(values) < target else "AU-DESSUS"
        print(f"{label + ' : p95':<44}  {p95(values):>7.1f} ms  {'< %.0f ms' % target:>9}  {state}")


if __name__ == "__main__":
    main()
