"""`python -m directory search` in a real subprocess against the fixture database."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest


@pytest.fixture(scope="module")
def run_cli(directory_engine):
    url = directory_engine.url.render_as_string(hide_password=False)

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "directory", "--database-url", url, *args],
                              capture_output=True, text=True, timeout=120)

    return run


def test_json_prints_the_bot_payload(run_cli):
    done = run_cli("search", "--need", "vae", "--public", "salarie", "--age", "34", "--commune", "Lucé", "--json")
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)["custom"]
    assert payload["type"] == "referral" and payload["commune"] == "Lucé"
    assert payload["structures"][0]["network"] == "conseil_vae"
    assert "Lucé" in done.stdout  # ensure_ascii=False


def test_text_output_is_readable_french(run_cli):
    done = run_cli("search", "--need", "recherche_emploi", "--public", "demandeur_emploi", "--commune", "28085")
    assert done.returncode == 0, done.stderr
    assert "Structures proposées" in done.stdout and "Adresse :" in done.stdout and "28000 Chartres" in done.stdout
    assert "Pourquoi" in done.stdout


@pytest.mark.parametrize("args, message", [
    (("--need", "nope"), "besoin inconnu"),
    (("--need", "vae", "--public", "nope"), "public inconnu"),
    (("--need", "vae", "--commune", "Saint-Denis"), "plusieurs communes"),
    (("--need", "vae", "--commune", "Zzqxw"), "commune introuvable"),
])
def test_user_mistakes_exit_2_in_french_without_traceback(run_cli, args, message):
    done = run_cli("search", *args)
    assert done.returncode == 2
    assert message in done.stderr and "Traceback" not in done.stderr


def test_a_dominant_homonym_is_chosen_as_the_bot_does_and_said_on_stderr(run_cli):
    result = run_cli("search", "--need", "vae", "--public", "salarie", "--commune", "Montreuil", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["custom"]["commune"] == "Montreuil"
    assert "Commune comprise : Montreuil (Seine-Saint-Denis)" in result.stderr


def test_the_site_region_settles_equal_homonyms(run_cli):
    result = run_cli("search", "--need", "vae", "--commune", "Saint-Denis", "--region", "11", "--json")
    assert result.returncode == 0, result.stderr
    assert "Saint-Denis (Seine-Saint-Denis)" in result.stderr
