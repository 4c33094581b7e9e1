"""Coverage figures (`python -m directory stats`), hand-checked on two invented
départements imported by the real importer: every commune lies on the 2° E
meridian, so distances are latitude differences (1° ≈ 111.2 km)."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from directory.coverage import network_coverage, national_share_far
from directory.db import make_engine, make_session_factory
from directory.importing import run_import
from directory.migrations import upgrade

COMMUNES = """insee_code,name,postcodes,department_code,department_name,region_code,region_name,latitude,longitude,commune_type,population
91001,Villebrune,91100,91,Essai-Nord,11,Région d'essai,48.00,2.0,commune,1000
91002,Prébrune,91110,91,Essai-Nord,11,Région d'essai,48.09,2.0,commune,500
91003,Montbrune,91120,91,Essai-Nord,11,Région d'essai,48.45,2.0,commune,250
92001,Haute-Ville,92100,92,Essai-Sud,11,Région d'essai,49.00,2.0,commune,400
92002,Basse-Ville,92110,92,Essai-Sud,11,Région d'essai,48.30,2.0,commune,100
92101,Haute-Ville 1er Arrondissement,92101,92,Essai-Sud,11,Région d'essai,49.00,2.0,arrondissement_municipal,9999
"""
HEADER = ("source_id,network,name,address,postcode,commune,insee_code,latitude,longitude,phone,email,website,"
          "department_code,coord_precision,data_date,source")
PARTNERS = [
    "e-1,cio,CIO de Villebrune,,91100,Villebrune,91001,48.00,2.0,,,,91,commune_centre,2019,essai",
    "e-2,mission_locale,Mission locale de Haute-Ville,,92100,Haute-Ville,92001,49.00,2.0,,,,92,commune_centre,2024,essai",
]
# The association serving 91 has its seat in Haute-Ville (92); the one serving 92 has no address.
TRANSITIONS_PRO = [
    "tp-91,transitions_pro,Transitions Pro Essai,1 rue du Siège,92100,Haute-Ville,92001,49.00,2.0,,,https://tp.example,91,commune_centre_of_seat,2022-05,essai",
    "tp-92,transitions_pro,Transitions Pro Essai,,,,,,,,contact@tp.example,https://tp.example,92,,2022-05,essai",
]


@pytest.fixture(scope="module")
def database_url(tmp_path_factory):
    folder = tmp_path_factory.mktemp("coverage")
    data = folder / "data"
    (data / "partners").mkdir(parents=True)
    (data / "staged").mkdir()
    (data / "communes.csv").write_text(COMMUNES, encoding="utf-8")
    (data / "partners" / "essai.csv").write_text("\n".join([HEADER, *PARTNERS]) + "\n", encoding="utf-8")
    (data / "staged" / "transitions_pro_2022.csv").write_text("\n".join([HEADER, *TRANSITIONS_PRO]) + "\n",
                                                              encoding="utf-8")
    url = f"sqlite:///{folder / 'directory.sqlite'}"
    engine = make_engine(url)
    upgrade(engine)
    report = run_import(make_session_factory(engine), data)
    assert not report.rejected, report.rejected
    engine.dispose()
    return url


@pytest.fixture()
def coverage(database_url):
    engine = make_engine(database_url)
    with make_session_factory(engine)() as session:
        rows = network_coverage(session)
    engine.dispose()
    return {(row.network, row.department_code): row for row in rows}


def test_a_network_with_a_structure_in_the_departement(coverage):
    north = coverage[("cio", "91")]
    # Arrondissements are not counted on top of their city.
    assert (north.population, north.located, north.data_date_min) == (1750, 1, "2019")
    # Villebrune 0 km, Prébrune 10 km: near; Montbrune 50 km: far.
    assert north.population_far == 250
    assert north.share_far == pytest.approx(250 / 1750)
    south = coverage[("cio", "92")]
    # Haute-Ville 111 km, Basse-Ville 33 km from the CIO: both far, none located.
    assert (south.population, south.located, south.population_far, south.data_date_min) == (500, 0, 500, None)


def test_distance_counts_wherever_the_structure_stands(coverage):
    # The mission locale of Haute-Ville (92) is 61 km from Montbrune (91), too far.
    assert coverage[("mission_locale", "91")].population_far == 1750
    # In 92: Haute-Ville 0 km, Basse-Ville 78 km.
    assert (coverage[("mission_locale", "92")].located, coverage[("mission_locale", "92")].population_far) == (1, 100)


def test_an_association_counts_in_the_departement_it_serves(coverage):
    assert coverage[("transitions_pro", "91")].located == 1   # seat known, in 92
    assert coverage[("transitions_pro", "92")].located == 0   # no address
    assert coverage[("transitions_pro", "92")].population_far == 100  # Basse-Ville, 78 km from the seat


def test_a_network_without_structures_leaves_everyone_far(coverage):
    assert all(coverage[("apec", code)].share_far == 1.0 for code in ("91", "92"))


def test_national_share(coverage):
    shares = national_share_far(list(coverage.values()))
    assert shares["cio"] == pytest.approx((250 + 500) / 2250)
    assert shares["apec"] == 1.0


def run_stats(database_url, *args):
    return subprocess.run([sys.executable, "-m", "directory", "stats", *args], capture_output=True, text=True,
                          env={**os.environ, "DIRECTORY_DATABASE_URL": database_url}, timeout=120)


def test_the_command_prints_the_figures_in_french(database_url):
    done = run_stats(database_url, "--couverture", "--departement", "91")
    assert done.returncode == 0, done.stderr
    cio = next(line for line in done.stdout.splitlines() if line.strip().startswith("cio"))
    assert "91 Essai-Nord" in cio and cio.rstrip().endswith("14,3 %")
    summary = run_stats(database_url)
    assert "33,3 % de la population à plus de 30 km" in summary.stdout  # the CIO, nationally


@pytest.mark.parametrize("args, message", [
    (("--couverture", "--reseau", "inconnu"), "réseau inconnu"),
    (("--couverture", "--departement", "00"), "département inconnu"),
])
def test_unknown_filters_are_refused_in_french(database_url, args, message):
    done = run_stats(database_url, *args)
    assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr
