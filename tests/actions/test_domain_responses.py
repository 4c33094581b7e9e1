"""The domain the actions rely on: every response they send exists, links point only
to official sites, the distress message carries the help numbers."""
import re
from pathlib import Path

import pytest

from directory.vocabulary import Need

ACTIONS_DIR = Path(__file__).resolve().parents[2] / "actions"
OFFICIAL_HOSTS = {
    "www.onisep.fr", "www.monorientationenligne.fr", "www.parcoursup.gouv.fr",
    "www.moncompteformation.gouv.fr", "www.francetravail.fr", "vae.gouv.fr", "www.apec.fr",
    "mon-cep.org", "www.alternance.emploi.gouv.fr", "bpifrance-creation.fr",
    "www.1jeune1solution.gouv.fr", "agence.erasmusplus.fr",
}


def test_every_response_sent_by_an_action_is_in_the_domain(domain):
    used = set()
    for path in ACTIONS_DIR.glob("*.py"):
        used |= set(re.findall(r'response="(utter_[a-z_]+)"', path.read_text(encoding="utf-8")))
    used |= {f"utter_info_{need.value}" for need in Need}
    assert used - set(domain["responses"]) == set()


def test_links_are_official_sites_only(domain):
    for name, variants in domain["responses"].items():
        for variant in variants:
            for host in re.findall(r"https?://([^/\s)]+)", variant.get("text", "")):
                assert host.rstrip(".,") in OFFICIAL_HOSTS, f"{name}: {host}"


@pytest.mark.parametrize("number", ["3114", "119", "3919", "3018", "3020", "115", "17", "112"])
def test_distress_gives_the_help_numbers(domain, number):
    assert re.search(rf"\b{number}\b", domain["responses"]["utter_distress"][0]["text"])


def test_form_questions_accept_declining(domain):
    for question in ("utter_ask_public", "utter_ask_age", "utter_ask_commune"):
        payloads = [b["payload"] for b in domain["responses"][question][0]["buttons"]]
        assert "/decline_to_say" in payloads


def test_fallback_action_receives_the_domain(domain):
    assert {"action_offer_likely_needs": {"send_domain": True}} in domain["actions"]
