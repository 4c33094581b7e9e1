"""`python -m bench.directory`: import time, referral and commune-resolution
latency, peak memory, against the targets of the directory issue.

- import: full real import into a fresh temporary SQLite, median of 3 runs;
- refer: 1,000 random realistic queries (need, public, handicap/cadre, age drawn
  at random; commune drawn weighted by population), median and p95;
- resolution: the same communes typed as people do (name, lower case without
  accents, postcode), when directory.communes provides load_resolver;
- memory: peak resident set size of this process (ru_maxrss).
"""
from __future__ import annotations

import importlib
import random
import resource
import statistics
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

from sqlalchemy import select

from directory.communes.info import CommuneInfo
from directory.db import make_engine, make_session_factory
from directory.importing import default_data_dir, run_import
from directory.migrations import upgrade
from directory.models import Commune
from directory.referral import refer
from directory.vocabulary import Need, Public

QUERIES = 1_000
IMPORT_RUNS = 3
SEED = 20_240_101  # fixed: the same queries on every run
TARGETS = {"import": 60.0, "refer_p95_ms": 10.0, "resolution_p95_ms": 5.0, "desk_p95_ms": 100.0}
DESK_QUERIES = 300  # pages of the counsellors' desk, over HTTP


def main(argv: list[str] | None = None) -> None:
    import argparse

    argparse.ArgumentParser(
        prog="python -m bench.directory",
        description=f"Import complet de l'annuaire ({IMPORT_RUNS} fois), puis {QUERIES} orientations "
                    "et résolutions de communes tirées au hasard (graine fixe).").parse_args(argv)
    data_dir = default_data_dir()
    with tempfile.TemporaryDirectory() as tmp:
        import_times = []
        for run in range(IMPORT_RUNS):
            engine = make_engine(f"sqlite:///{Path(tmp) / f'bench{run}.sqlite'}")
            upgrade(engine)
            factory = make_session_factory(engine)
            started = time.perf_counter()
            run_import(factory, data_dir)
            import_times.append(time.perf_counter() - started)
            if run < IMPORT_RUNS - 1:
                engine.dispose()
        rng = random.Random(SEED)
        with factory() as session:
            communes = _communes(session)
            picked = rng.choices(communes, weights=[max(c[1], 1) for c in communes], k=QUERIES)
            refer_ms = _time_refer(session, rng, [c[0] for c in picked])
        resolution_ms = _time_resolution(factory, rng, [c[0] for c in picked])
        desk_ms = _time_desk(str(engine.url), Path(tmp), rng, [c[0] for c in picked[:DESK_QUERIES]])
        engine.dispose()
    rows = [
        ("Import complet (médiane de 3)", f"{statistics.median(import_times):.2f} s", f"< {TARGETS['import']:.0f} s",
         statistics.median(import_times) < TARGETS["import"]),
        ("refer : médiane", f"{statistics.median(refer_ms):.2f} ms", "", None),
        ("refer : p95", f"{_p95(refer_ms):.2f} ms", f"< {TARGETS['refer_p95_ms']:.0f} ms",
         _p95(refer_ms) < TARGETS["refer_p95_ms"]),
    ]
    if resolution_ms is None:
        rows.append(("Résolution de commune", "non mesurée (directory.communes.load_resolver absent)", "", None))
    else:
        rows += [
            ("Résolution : médiane", f"{statistics.median(resolution_ms):.2f} ms", "", None),
            ("Résolution : p95", f"{_p95(resolution_ms):.2f} ms", f"< {TARGETS['resolution_p95_ms']:.0f} ms",
             _p95(resolution_ms) < TARGETS["resolution_p95_ms"]),
        ]
    rows += [
        ("Bureau des conseiller·es, page : médiane", f"{statistics.median(desk_ms):.1f} ms", "", None),
        ("Bureau des conseiller·es, page : p95", f"{_p95(desk_ms):.1f} ms", f"< {TARGETS['desk_p95_ms']:.0f} ms",
         _p95(desk_ms) < TARGETS["desk_p95_ms"]),
    ]
    rows.append(("Mémoire (pic, ru_maxrss)", f"{_peak_rss_mb():.0f} Mo", "", None))
    _print_table(rows)


def _communes(session) -> list[tuple[CommuneInfo, int]]:
    located = select(Commune).where(Commune.latitude.is_not(None))
    return [(CommuneInfo.from_row(row), row.population or 0) for row in session.execute(located).scalars()]


def _time_refer(session, rng: random.Random, communes: list[CommuneInfo]) -> list[float]:
    needs, publics = [n.value for n in Need], [p.value for p in Public] + [None]
    refer(session, need="vae", commune=communes[0])  # loads the in-memory catalog once
    timings = []
    for commune in communes:
        public = rng.choice(publics)
        query = dict(need=rng.choice(needs), public=public, handicap=rng.random() < 0.1,
                     cadre=public == "salarie" and rng.random() < 0.2,
                     age=rng.choice([None, rng.randint(15, 64)]), commune=commune)
        started = time.perf_counter()
        refer(session, **query)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def _time_desk(directory_url: str, tmp: Path, rng: random.Random, communes: list[CommuneInfo]) -> list[float]:
    """The desk's result page, asked over HTTP of the real console by a logged-in
    counsellor (form reading, commune resolution, referral, nearby, rendering)."""
    import asyncio
    import re

    from aiohttp import web
    from aiohttp.test_utils import TestClient, TestServer

    from bot.handoff import accounts
    from bot.handoff.console import ConsoleSettings, mount_console

    staff_url = f"sqlite:///{tmp / 'staff.sqlite'}"
    staff = accounts.make_session_factory(staff_url)
    with staff.begin() as session:
        accounts.add_counsellor(session, "banc.essai", "mot-de-passe-du-banc")
    staff.kw["bind"].dispose()
    settings = ConsoleSettings(staff_database_url=staff_url, directory_database_url=directory_url,
                               conversations_database_url=f"sqlite:///{tmp / 'conversations.sqlite'}",
                               secure_cookie=False, failed_login_delay=0.0)
    needs, publics = [n.value for n in Need], [p.value for p in Public] + [""]

    async def run() -> list[float]:
        root = web.Application()
        mount_console(root, settings)
        async with TestClient(TestServer(root)) as client:
            page = await (await client.get("/conseil/connexion")).text()
            token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
            logged = await client.post("/conseil/connexion", data={"login": "banc.essai", "password": "mot-de-passe-du-banc",
                                                          "csrf_token": token},
                              cookies={"spro_conseil_csrf": token}, allow_redirects=False)
            if logged.status != 303:
                raise RuntimeError(f"the bench counsellor could not log in ({logged.status})")
            await client.get("/conseil/orienter", params={"besoin": "vae", "commune": communes[0].name})
            timings = []
            for commune in communes:
                params = {"besoin": rng.choice(needs), "situation": rng.choice(publics),
                          "commune": rng.choice([commune.name, _plain(commune.name), *commune.postcodes[:1]]),
                          "distance": rng.choice(["10", "30", "60"])}
                started = time.perf_counter()
                response = await client.get("/conseil/orienter", params=params, allow_redirects=False)
                await response.read()
                timings.append((time.perf_counter() - started) * 1000)
                if response.status not in (200, 422):
                    raise RuntimeError(f"desk page answered {response.status}")
            return timings

    return asyncio.run(run())


def _time_resolution(factory, rng: random.Random, communes: list[CommuneInfo]) -> list[float] | None:
    communes_module = importlib.import_module("directory.communes")
    load_resolver = getattr(communes_module, "load_resolver", None)
    if load_resolver is None:
        return None
    resolver = load_resolver(factory)
    timings = []
    for commune in communes:
        text = rng.choice([commune.name, _plain(commune.name), *commune.postcodes[:1]])
        started = time.perf_counter()
        resolver.resolve(text)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def _plain(name: str) -> str:
    """How people often type a name: lower case, no accents, spaces for hyphens."""
    decomposed = unicodedata.normalize("NFKD", name.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("-", " ")


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[94]


def _peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024  # bytes on macOS, KiB on Linux


def _print_table(rows) -> None:
    width = max(len(r[0]) for r in rows)
    print(f"{'Mesure':<{width}}  {'Valeur':>12}  {'Cible':>8}  État")
    for label, value, target, ok in rows:
        state = "" if ok is None else ("OK" if ok else "HORS CIBLE")
        print(f"{label:<{width}}  {value:>12}  {target:>8}  {state}")


if __name__ == "__main__":
    main()
