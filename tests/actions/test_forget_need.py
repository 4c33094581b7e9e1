"""action_forget_need: the need does not survive a distress message."""
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.forget_need import ActionForgetNeed
from tests.actions.conftest import make_tracker


def test_the_need_is_forgotten_and_the_situation_kept(domain):
    dispatcher = CollectingDispatcher()
    tracker = make_tracker({"need": "formation", "public": "demandeur_emploi"}, intent="distress")
    events = ActionForgetNeed().run(dispatcher, tracker, domain)
    assert events == [SlotSet("need", None)]
    assert dispatcher.messages == []


def test_nothing_to_forget(domain):
    events = ActionForgetNeed().run(CollectingDispatcher(), make_tracker(intent="distress"), domain)
    assert events == []
