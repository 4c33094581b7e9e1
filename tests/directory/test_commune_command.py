"""`python -m directory commune …` as staff run it: French output, exit status."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def run_commune(directory_engine):
    url = directory_engine.url.render_as_string(hide_password=False)

    def run(*words: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "directory", "--database-url", url, "commune", *words],
            cwd=ROOT, capture_output=True, text=True, timeout=120,
        )

    return run


def test_found_prints_department_region_postcodes_insee(run_commune):
    result = run_commune("st brieuc")
    assert result.returncode == 0, result.stderr
    assert "Commune : Saint-Brieuc" in result.stdout
    assert "Département : Côtes-d'Armor (22)" in result.stdout
    assert "Région : Bretagne" in result.stdout
    assert "Codes postaux : 22000" in result.stdout
    assert "Code INSEE : 22278" in result.stdout


def test_ambiguous_lists_numbered_candidates_with_department(run_commune):
    result = run_commune("saint", "denis")
    assert result.returncode == 0, result.stderr
    assert "Plusieurs communes correspondent à « saint denis »" in result.stdout
    assert "1. Saint-Denis (La Réunion, 974)" in result.stdout
    assert "2. Saint-Denis (Seine-Saint-Denis, 93)" in result.stdout


def test_not_found_is_a_french_message_and_status_1(run_commune):
    result = run_commune("xqzwv")
    assert result.returncode == 1
    assert "Aucune commune trouvée pour « xqzwv »" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_dominant_homonym_is_chosen_and_the_others_listed(run_commune):
    result = run_commune("Montreuil")
    assert result.returncode == 0, result.stderr
    assert "Code INSEE : 93048" in result.stdout
    assert "Autres communes de ce nom : Montreuil (Vendée, 85)" in result.stdout


def test_the_site_region_settles_equal_homonyms(run_commune):
    result = run_commune("saint", "denis", "--region", "04")
    assert result.returncode == 0, result.stderr
    assert "Code INSEE : 97411" in result.stdout and "Plusieurs communes" not in result.stdout
