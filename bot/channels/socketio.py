"""Rasa's socket.io channel, with two fixes for the widget:

- custom messages: the stock output calls `sio.emit(event, **payload)`, which fails on
  the spec's referral payload (`type`, `need`… are not emit() arguments) and would lose
  the referral; here they reach the client as `bot_uttered` `{"custom": payload}`, the
  same shape as the REST channel's;
- session persistence: Rasa 3.6 calls `sio.enter_room()` without `await`, but it is a
  coroutine in python-socketio 5.x: the socket never joined its session's room, so no
  answer ever reached the client (RuntimeWarning "enter_room was never awaited");
- text messages carry the name of their response (`utter_action`), so a client that
  shows the referral as cards can drop the same referral's text lines, and
  `counsellor: true` when a counsellor wrote them (action_counsellor_message);
- what passes is what bot/channels/guard.py lets through, as for REST: a message over
  1,000 characters is refused with a French explanation, slash commands other than
  the buttons' payloads are read as plain text, only the region code is kept from the
  metadata, and a session id the client made up out of form is replaced.

credentials.yml: `bot.channels.socketio.SocketIOInput:` instead of `socketio:` (same
options: user_message_evt, bot_message_evt, session_persistence…)."""
from __future__ import annotations

import inspect
import uuid
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels import socketio as rasa_socketio
from rasa.core.channels.channel import OutputChannel, UserMessage
from sanic import Blueprint

from bot.channels import guard


class SocketIOOutput(rasa_socketio.SocketIOOutput):
    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        response = kwargs.get("utter_action")
        for part in text.strip().split("\n\n"):
            message: Dict[Text, Any] = {"text": part}
            if isinstance(response, str):
                message["utter_action"] = response
            if kwargs.get("counsellor") is True:
                message["counsellor"] = True
            await self._send_message(recipient_id, message)

    async def send_custom_json(self, recipient_id: Text, json_message: Dict[Text, Any],
                               **kwargs: Any) -> None:
        await self._send_message(recipient_id, {"custom": json_message})


class SocketIOInput(rasa_socketio.SocketIOInput):
    @classmethod
    def name(cls) -> Text:
        return "socketio"

    def get_output_channel(self) -> Optional[OutputChannel]:
        if self.sio is None:
            return super().get_output_channel()
        return SocketIOOutput(self.sio, self.bot_message_evt)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        async def handle(message: UserMessage) -> None:
            output = SocketIOOutput(self.sio, self.bot_message_evt)
            if not guard.valid_sender(message.sender_id):
                return
            if guard.too_long(message.text):
                await output.send_text_message(message.sender_id, guard.TOO_LONG)
                return
            message.text = guard.public_text(message.text)
            message.metadata = guard.public_metadata(message.metadata)
            message.output_channel = output
            await on_new_message(message)

        blueprint = super().blueprint(handle)
        sio = self.sio

        # Replaces Rasa's handler of the same event (same logic, enter_room awaited).
        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: Text, data: Optional[Dict]) -> None:
            data = data if isinstance(data, dict) else {}
            if not guard.valid_sender(data.get("session_id")):
                data["session_id"] = uuid.uuid4().hex
            if self.session_persistence:
                entered = sio.enter_room(sid, data["session_id"], namespace=self.namespace)
                if inspect.isawaitable(entered):
                    await entered
            await sio.emit("session_confirm", data["session_id"], room=sid, namespace=self.namespace)

        return blueprint
