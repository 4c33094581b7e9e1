"""The review in Debian's chromium, on a conversation store written by the real
redacting tracker store: log in, filter, open a transcript, annotate a message, tag
the conversation, read the triage inbox, export; axe-core finds no violation on
each page. Screenshots: tests/artifacts/console-review-*.png."""
from __future__ import annotations

import asyncio
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.support.console import PASSWORD
from widget_helpers import axe_violations

pytestmark = pytest.mark.browser
LOGIN = "sacha.revue"  # reviewer and admin


def said(text, intent, confidence):
    from rasa.shared.core.events import UserUttered

    parse = {"text": text, "intent": {"name": intent, "confidence": confidence}, "entities": [],
             "intent_ranking": [{"name": intent, "confidence": confidence}, {"name": "formation", "confidence": 0.2}]}
    return UserUttered(text, intent=parse["intent"], parse_data=parse, input_channel="socketio")


@pytest.fixture
def stored_conversation(monkeypatch, tmp_path):
    """Written before the site starts, in the database console_site points at."""
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet
    from rasa.shared.core.trackers import DialogueStateTracker
    from sqlalchemy.engine import make_url

    from tests.tracker_store.test_redacting_store import _domain, open_store

    import warnings

    with warnings.catch_warnings():  # Rasa always warns about slot auto-fill here
        warnings.simplefilter("ignore", UserWarning)
        domain = _domain(Domain)
    store = open_store(make_url(f"sqlite:///{tmp_path / 'conversations.sqlite'}"), domain)
    sender = uuid.uuid4().hex
    events = [ActionExecuted("action_listen"), said("mon fils veut arreter le lycee, on fait koi", "nlu_fallback", 0.42),
              SlotSet("need", "decrochage"), SlotSet("commune_insee", "29019"),
              BotUttered(data={"custom": {"type": "referral", "need": "decrochage", "structures": [
                  {"id": "1", "name": "Mission locale du Pays de Brest", "network": "mission_locale",
                   "distance_km": 2.1}]}}),
              ActionExecuted("action_listen")]
    # Playwright's loop runs in this thread: the store's coroutine runs in another.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, store.save(DialogueStateTracker.from_events(sender, events))).result()
    store.engine.dispose()
    return sender


def test_review_annotate_and_export_by_keyboard_and_mouse_with_no_violation(page, stored_conversation, console_site,
                                                                            staff_url, artifacts_dir):
    from bot.handoff import accounts

    factory = accounts.make_session_factory(staff_url)
    with factory.begin() as session:
        accounts.add_counsellor(session, LOGIN, PASSWORD, ("reviewer", "admin"))
    factory.kw["bind"].dispose()
    page.goto(console_site.url + "/conseil/connexion")
    page.fill("#login", LOGIN)
    page.fill("#password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/conseil/annuaire")
    page.goto(console_site.url + "/conseil/revue")
    page.select_option("#besoin", "decrochage")
    page.select_option("#annotee", "non")
    page.click("button:text('Filtrer')")
    assert "1 conversation" in page.inner_text("#resultats")
    assert axe_violations(page) == []
    page.click(f"a[href$='{stored_conversation}']")
    assert "Mission locale du Pays de Brest" in page.inner_text("main")
    assert axe_violations(page) == []
    page.click("summary")
    page.select_option("select[name=intention]", "decrochage")
    page.fill("textarea[name=entites]", "ville : Brest")  # no such entity: refused, said in French
    page.click("button:text('Enregistrer l\\'annotation')")
    assert "l'entité « ville » n'existe pas" in page.inner_text("[role=alert]")
    assert axe_violations(page) == []
    page.fill("textarea[name=entites]", "")
    page.click("button:text('Enregistrer l\\'annotation')")
    assert "Annotation du message enregistrée" in page.inner_text("[role=status]")
    page.check("input[value=bonne_orientation]")
    page.fill("#commentaire", "Bonne orientation malgré le message mal compris.")
    page.click("#etiquettes ~ form button[type=submit]")
    assert "Étiquettes et commentaire enregistrés" in page.inner_text("[role=status]")
    page.screenshot(path=str(artifacts_dir / "console-review-transcript.png"), full_page=True)
    page.goto(console_site.url + "/conseil/revue/messages?annotes=oui")
    assert "on fait koi" in page.inner_text("main") and "annoté : decrochage" in page.inner_text("main")
    assert axe_violations(page) == []
    page.goto(console_site.url + "/conseil/revue/exports")
    page.click("button:text('Exporter les messages annotés')")
    assert "Export 1 créé" in page.inner_text("[role=status]")
    assert axe_violations(page) == []
    page.click("button:text('Ajouter l\\'étiquette')")  # empty: refused next to its field
    assert "Libellé de 2 à 120 caractères" in page.inner_text("#erreur-libelle")
    assert axe_violations(page) == []
    page.screenshot(path=str(artifacts_dir / "console-review-exports.png"), full_page=True)
    assert page.js_errors == []
