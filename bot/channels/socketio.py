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
  metadata, a session id the client made up out of form is replaced, and a
  conversation writing more than 20 messages a minute is asked to wait
  (bot/channels/rate.py);
- frames of any shape are answered or dropped without an error: no data, data that
  is not an object, metadata that is not JSON, packets that cannot be decoded.

credentials.yml: `bot.channels.socketio.SocketIOInput:` instead of `socketio:` (same
options: user_message_evt, bot_message_evt, session_persistence…)."""
from __future__ import annotations

import inspect
import json
import logging
import uuid
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels import socketio as rasa_socketio
from rasa.core.channels.channel import OutputChannel, UserMessage
from sanic import Blueprint

from bot.channels import guard
from bot.channels.rate import TOO_FAST, SenderRateLimit

logger = logging.getLogger(__name__)


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
        rate_limit = SenderRateLimit()

        async def handle(message: UserMessage) -> None:
            output = SocketIOOutput(self.sio, self.bot_message_evt)
            if not guard.valid_sender(message.sender_id):
                return
            if not await rate_limit.allow(message.sender_id):
                await output.send_text_message(message.sender_id, TOO_FAST)
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
        _quiet_malformed_requests(sio)

        # Replaces Rasa's handler of the same event, which fails on a frame without data
        # or whose data is not an object, and on metadata that is not valid JSON.
        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: Text, data: Any = None) -> None:
            data = data if isinstance(data, dict) else {}
            sender = data.get("session_id") if self.session_persistence else sid
            if not guard.valid_sender(sender):
                return  # no conversation to answer in (the widget always sends one)
            text = data.get("message")
            if not isinstance(text, str):
                await SocketIOOutput(self.sio, self.bot_message_evt).send_text_message(sender, guard.BAD_MESSAGE)
                return
            await handle(UserMessage(text, None, sender, input_channel=self.name(),
                                     metadata=_metadata(data.get(self.metadata_key))))

        # Replaces Rasa's handler of the same event (same logic, enter_room awaited).
        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: Text, data: Any = None) -> None:
            data = data if isinstance(data, dict) else {}
            if not guard.valid_sender(data.get("session_id")):
                data["session_id"] = uuid.uuid4().hex
            if self.session_persistence:
                entered = sio.enter_room(sid, data["session_id"], namespace=self.namespace)
                if inspect.isawaitable(entered):
                    await entered
            await sio.emit("session_confirm", data["session_id"], room=sid, namespace=self.namespace)

        return blueprint


def _metadata(value: Any) -> Any:
    """The client's metadata: an object, or an object as a JSON text (Rasa accepts both)."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return None
    return value


class _MalformedRequestsAsWarnings(logging.Filter):
    """engine.io logs a traceback when a client sends a request or a packet it cannot
    decode (invalid UTF-8, "42[", an event without a name…), then refuses or drops it:
    anyone could fill the log that way. Such a record becomes one warning line that
    tells the error's kind only (not the content)."""

    MESSAGES = ("post request handler error", "message async handler error")

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.getMessage() in self.MESSAGES:
            kind = record.exc_info[0].__name__ if record.exc_info[0] else "erreur"
            record.msg, record.args = "socket.io : requête mal formée ignorée (%s).", (kind,)
            record.exc_info, record.exc_text = None, None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


def _quiet_malformed_requests(sio: Any) -> None:
    engineio_logger = sio.eio.logger
    if not any(isinstance(f, _MalformedRequestsAsWarnings) for f in engineio_logger.filters):
        engineio_logger.addFilter(_MalformedRequestsAsWarnings())
