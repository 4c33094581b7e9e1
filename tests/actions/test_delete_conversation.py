"""action_delete_conversation erases what the conversation left elsewhere: its
call-back requests and its satisfaction answers (by the ids its slots keep), and
nothing of other conversations."""
from __future__ import annotations

import sqlalchemy as sa
from rasa_sdk.events import Restarted
from rasa_sdk.executor import CollectingDispatcher

from actions import callback_access, satisfaction_access
from actions.delete_conversation import ActionDeleteConversation
from bot import satisfaction
from bot.callbacks import store
from tests.actions.conftest import make_tracker


def test_erasure_deletes_its_call_back_requests_and_satisfaction_answers(tmp_path, monkeypatch, domain):
    monkeypatch.delenv("SPRO_CALLBACK_KEY", raising=False)
    monkeypatch.setenv("SPRO_CALLBACK_KEY_FILE", str(tmp_path / "callback.key"))
    monkeypatch.setenv("SPRO_CALLBACKS_DATABASE_URL", f"sqlite:///{tmp_path / 'callbacks.sqlite'}")
    monkeypatch.setenv("CONVERSATIONS_DATABASE_URL", f"sqlite:///{tmp_path / 'conversations.sqlite'}")
    callback_access.reset()
    satisfaction_access.reset()
    try:
        mine = callback_access.save_request(number="+33612345678", need="vae", commune=None, moment=None)
        other = callback_access.save_request(number="+33698765432", need="vae", commune=None, moment=None)
        my_answer = satisfaction_access.save_answer(5, "merci", "vae")
        other_answer = satisfaction_access.save_answer(3, None, "formation")

        tracker = make_tracker({"callback_request_ids": [mine], "satisfaction_answer_ids": [my_answer]})
        dispatcher = CollectingDispatcher()
        events = ActionDeleteConversation().run(dispatcher, tracker, domain)

        assert events == [Restarted()]
        assert [m["response"] for m in dispatcher.messages] == ["utter_conversation_deleted"]
        engine = store.make_engine(f"sqlite:///{tmp_path / 'callbacks.sqlite'}")
        with engine.connect() as connection:
            assert connection.execute(sa.select(store.CallbackRequest.id)).scalars().all() == [other]
        engine.dispose()
        with satisfaction_access.engine().connect() as connection:
            ids = connection.execute(sa.select(satisfaction.satisfaction.c.id)).scalars().all()
        assert ids == [other_answer]
    finally:
        callback_access.reset()
        satisfaction_access.reset()


def test_erasure_without_traces_elsewhere_only_restarts(domain):
    dispatcher = CollectingDispatcher()
    assert ActionDeleteConversation().run(dispatcher, make_tracker(), domain) == [Restarted()]
