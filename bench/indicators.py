"""`python -m bench.indicators`: the dashboard and the annual report over HTTP for a
year of 200,000 synthetic conversations (fact rows, four départements, two
channels), asked by a logged-in reviewer with random filters. The monthly sums are
made once first (timed apart), as the first page after a deployment would; then
one month in every 30 pages changes, as conversations go on, and is summed again.
Target: dashboard p95 < 300 ms."""
from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import random
import statistics
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

CONVERSATIONS = 200_000
YEAR = 2025
REQUESTS = 150
REPORTS = 10
SEED = 11
TARGET_P95_MS = 300.0
NEEDS = ["vae", "formation", "recherche_emploi", "reconversion", "orientation_scolaire", "alternance",
         "creation_entreprise", "decrochage", None]
PUBLICS = ["salarie", "demandeur_emploi", "lyceen", "etudiant", "sans_activite", None]
NETWORKS = ["cio", "france_travail", "mission_locale", "conseil_vae", "transitions_pro", "info_jeunesse", "apec",
            "cap_emploi", "cci", "cma"]
DEPARTMENTS = ["22", "29", "35", "56"]
REASONS = ["abandon", "hors_sujet", "refus", "detresse"]


def fill(url: str, rng: random.Random) -> None:
    from bot.indicators import facts, rollup

    engine = sa.create_engine(url)
    rollup.create(engine)
    rows = []
    for i in range(CONVERSATIONS):
        day = dt.date(YEAR, 1, 1) + dt.timedelta(days=rng.randrange(365))
        year, week, _ = day.isocalendar()
        offered = rng.sample(NETWORKS, rng.choice([0, 1, 1, 2, 2, 3]))
        rows.append({"fact_key": f"{i:032x}", "day": day, "week": f"{year}-W{week:02d}", "month": day.strftime("%Y-%m"),
                     "year": day.year, "channel": rng.choice(["socketio", "socketio", "rest"]),
                     "department_code": rng.choice(DEPARTMENTS + [None]), "need": rng.choice(NEEDS),
                     "public": rng.choice(PUBLICS), "age_band": rng.choice(["16_25", "26_44", "45_plus", None]),
                     "handicap": rng.random() < 0.05, "first_network": offered[0] if offered else None,
                     "networks": "," + ",".join(offered) + "," if offered else "",
                     "no_referral_reason": None if offered else rng.choice(REASONS), "messages": rng.randint(1, 14),
                     "fallbacks": rng.choice([0, 0, 0, 1, 2]), "wrong_need": rng.choice([0] * 9 + [1]),
                     "handoff_asked": rng.random() < 0.05, "handoff_served": rng.random() < 0.04,
                     "callback_asked": rng.random() < 0.02, "rating": rng.choice([None, None, 2, 3, 4, 5]),
                     "commented": rng.random() < 0.05, "distress": rng.random() < 0.005,
                     "handoff_wait_seconds": rng.randint(20, 900) if rng.random() < 0.04 else None,
                     "handoff_timed_out": rng.random() < 0.01,
                     "remote_kinds": rng.choice(["", ",phone,", ",phone,web,", ",tchat,phone,mail,"])})
    with engine.begin() as connection:
        connection.execute(sa.insert(facts.facts), rows)
    engine.dispose()


def measure(folder: Path, url: str, rng: random.Random, directory_url: str) -> dict[str, list[float]]:
    from aiohttp import web
    from aiohttp.test_utils import TestClient, TestServer

    from bot.handoff.console import mount_console

    from bench.console_login import console_settings, log_in
    from bot.indicators import facts

    settings = console_settings(folder, url, "banc.indicateurs", "reviewer", directory_url)
    engine = sa.create_engine(url)

    def filters() -> dict:
        first = rng.randint(1, 12)
        chosen = {"du": f"{YEAR}-{first:02d}", "au": f"{YEAR}-{rng.randint(first, 12):02d}",
                  "departement": rng.choice(DEPARTMENTS), "canal": rng.choice(["socketio", "rest"]), "region": "53"}
        return dict(rng.sample(sorted(chosen.items()), rng.randint(0, 3)))

    async def run():
        root = web.Application()
        mount_console(root, settings)
        async with TestClient(TestServer(root)) as client:
            await log_in(client, "banc.indicateurs")
            timings = {"first": [], "dashboard": [], "changed": [], "report": [], "pdf": []}

            async def get(kind, path, params):
                started = time.perf_counter()
                response = await client.get(path, params=params, allow_redirects=False)
                await response.read()
                timings[kind].append((time.perf_counter() - started) * 1000)
                if response.status != 200:
                    raise RuntimeError(f"{path} answered {response.status} to {params}")

            await get("first", "/conseil/indicateurs", {"du": f"{YEAR}-01", "au": f"{YEAR}-12"})
            for n in range(REQUESTS):
                if n % 30 == 29:  # a month changed more than a minute ago: summed again at this page
                    with engine.begin() as connection:
                        facts.mark_stale(connection, [f"{YEAR}-{rng.randint(1, 12):02d}"])
                        connection.execute(sa.text("UPDATE indicator_months_summed SET summed_at = 0"))
                    await get("changed", "/conseil/indicateurs", filters())
                    continue
                await get("dashboard", "/conseil/indicateurs", filters())
            for _ in range(REPORTS):
                await get("report", "/conseil/indicateurs/bilan", {"annee": str(YEAR), "region": "53"})
            for _ in range(3):
                await get("pdf", "/conseil/indicateurs/bilan.pdf", {"annee": str(YEAR), "region": "53"})
            return timings

    try:
        return asyncio.run(run())
    finally:
        engine.dispose()


def main(argv: list[str] | None = None) -> None:
    argparse.ArgumentParser(prog="python -m bench.indicators", description=__doc__.split("\n\n")[0]).parse_args(argv)
    import warnings

    from directory.db import database_url

    rng = random.Random(SEED)
    with tempfile.TemporaryDirectory() as tmp, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        url = f"sqlite:///{Path(tmp) / 'conversations.sqlite'}"
        started = time.perf_counter()
        fill(url, rng)
        filled = time.perf_counter() - started
        timings = measure(Path(tmp), url, rng, database_url())
    p95 = lambda values: statistics.quantiles(values, n=20)[-1]  # noqa: E731
    print(f"{'Mesure':<52}  {'Valeur':>10}  {'Cible':>9}  État")
    print(f"{'Remplissage (200 000 conversations, une année)':<52}  {filled:>8.1f} s")
    print(f"{'Première page : sommes des 12 mois':<52}  {timings['first'][0]:>7.0f} ms")
    print(f"{'Tableau de bord : médiane':<52}  {statistics.median(timings['dashboard']):>7.1f} ms")
    state = "OK" if p95(timings["dashboard"]) < TARGET_P95_MS else "AU-DESSUS"
    print(f"{'Tableau de bord : p95':<52}  {p95(timings['dashboard']):>7.1f} ms  {'< 300 ms':>9}  {state}")
    print(f"{'Tableau de bord, un mois à recalculer : médiane':<52}  {statistics.median(timings['changed']):>7.1f} ms")
    print(f"{'Bilan annuel (page) : médiane':<52}  {statistics.median(timings['report']):>7.1f} ms")
    print(f"{'Bilan annuel (page) : p95':<52}  {p95(timings['report']):>7.1f} ms")
    print(f"{'Bilan annuel (PDF) : médiane de 3':<52}  {statistics.median(timings['pdf']):>7.0f} ms")


if __name__ == "__main__":
    main()
