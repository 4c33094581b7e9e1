"""`python -m bench.review`: the review pages of the console over HTTP with 100,000
synthetic conversations (summary rows; events for 20,000 of them), asked by a
logged-in reviewer with random filters: list page and transcript page, median and
p95. Targets: list p95 < 200 ms, transcript p95 < 100 ms."""
from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
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
TARGETS = {"list_p95_ms": 200.0, "transcript_p95_ms": 100.0}
NEEDS = ["vae", "formation", "recherche_emploi", "reconversion", "orientation_scolaire", "alternance"]
PUBLICS = ["salarie", "demandeur_emploi", "lyceen", "etudiant", None]
NETWORKS = ["cio", "france_travail", "mission_locale", "conseil_vae", "transitions_pro", "info_jeunesse"]


def fill(url: str, rng: random.Random) -> list[str]:
    """The synthetic store; returns the senders that have events."""
    from bot.review.summaries import create, summaries
    from rasa.core.tracker_store import SQLTrackerStore

    store = SQLTrackerStore(dialect="sqlite", db=url.removeprefix("sqlite:///"))  # Rasa's own events table
    engine = store.engine
    create(engine)
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
    engine.dispose()
    return with_events


def measure(folder: Path, url: str, rng: random.Random, senders: list[str]) -> tuple[list[float], list[float]]:
    from aiohttp import web
    from aiohttp.test_utils import TestClient, TestServer

    from bot.handoff import accounts
    from bot.handoff.console import ConsoleSettings, mount_console

    staff_url = f"sqlite:///{folder / 'staff.sqlite'}"
    staff = accounts.make_session_factory(staff_url)
    with staff.begin() as session:
        accounts.add_counsellor(session, "banc.revue", "mot-de-passe-du-banc", ("reviewer",))
    staff.kw["bind"].dispose()
    settings = ConsoleSettings(staff_database_url=staff_url, conversations_database_url=url,
                               directory_database_url=f"sqlite:///{folder / 'absent.sqlite'}",
                               secure_cookie=False, failed_login_delay=0.0)

    def filters() -> dict:
        chosen = {"besoin": rng.choice(NEEDS), "reseau": rng.choice(NETWORKS),
                  "departement": f"{rng.randint(1, 95):02d}", "repli": "oui", "faible": "oui", "note": "oui",
                  "pas_ma_question": "oui", "du": "2026-09-01"}
        return dict(rng.sample(sorted(chosen.items()), rng.randint(0, 3)), page=str(rng.randint(1, 3)))

    async def run():
        root = web.Application()
        mount_console(root, settings)
        async with TestClient(TestServer(root)) as client:
            page = await (await client.get("/conseil/connexion")).text()
            token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
            logged = await client.post("/conseil/connexion", allow_redirects=False, cookies={"spro_conseil_csrf": token},
                                       data={"login": "banc.revue", "password": "mot-de-passe-du-banc",
                                             "csrf_token": token})
            if logged.status != 303:
                raise RuntimeError(f"the bench reviewer could not log in ({logged.status})")
            timings = {"list": [], "transcript": []}
            for _ in range(REQUESTS):
                for kind, path, params in (("list", "/conseil/revue", filters()),
                                           ("transcript", f"/conseil/revue/{rng.choice(senders)}", {})):
                    started = time.perf_counter()
                    response = await client.get(path, params=params, allow_redirects=False)
                    await response.read()
                    timings[kind].append((time.perf_counter() - started) * 1000)
                    if response.status != 200:
                        raise RuntimeError(f"{path} answered {response.status}")
            return timings["list"], timings["transcript"]

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
        lists, transcripts = measure(Path(tmp), url, rng, senders)
    p95 = lambda values: statistics.quantiles(values, n=20)[-1]  # noqa: E731
    print(f"{'Mesure':<44}  {'Valeur':>10}  {'Cible':>9}  État")
    print(f"{'Remplissage (100 000 conversations)':<44}  {filled:>8.1f} s  {'':>9}")
    for label, values, target in (("Liste de revue", lists, TARGETS["list_p95_ms"]),
                                  ("Page d'une conversation", transcripts, TARGETS["transcript_p95_ms"])):
        print(f"{label + ' : médiane':<44}  {statistics.median(values):>7.1f} ms  {'':>9}")
        state = "OK" if p95(values) < target else "AU-DESSUS"
        print(f"{label + ' : p95':<44}  {p95(values):>7.1f} ms  {'< %.0f ms' % target:>9}  {state}")


if __name__ == "__main__":
    main()
