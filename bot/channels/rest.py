"""Rasa's REST channel, with the limits of a public service (bot/channels/guard.py).

- a request without a valid `sender` is refused (400, French message): no shared
  "default" conversation;
- `message` must be a text; over 1,000 characters it is refused in French, as the
  socket.io channel does, without reaching the NLU;
- slash commands other than the buttons' payloads are read as plain text;
- at most 20 messages a minute per conversation (bot/channels/rate.py): beyond, 429
  and a French message, the text not read;
- the body is capped (MAX_BODY_BYTES, for the whole Rasa server: a larger request
  is refused before it is read);
- the channel name is always "rest" (Rasa lets the client choose it), and only the
  site's region code is kept from the metadata;
- Rasa's channel logs the raw text when a turn fails: here only the failure's kind.

credentials.yml: `bot.channels.rest.RestInput:` instead of `rest:` (same webhook URL,
/webhooks/rest/webhook; `?stream=true` is not offered).
"""
from __future__ import annotations

import logging
from asyncio import CancelledError
from typing import Any, Awaitable, Callable, Text

from rasa.core.channels import rest as rasa_rest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels import guard
from bot.channels.rate import TOO_FAST, SenderRateLimit

logger = logging.getLogger(__name__)

# A message of 1,000 characters with its JSON fits many times over.
MAX_BODY_BYTES = 64 * 1024
def refusal(text: str, status: int = 400) -> HTTPResponse:
    return response.json({"error": text}, status=status)


class RestInput(rasa_rest.RestInput):
    @classmethod
    def name(cls) -> Text:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        webhook = Blueprint(f"custom_webhook_{type(self).__name__}", __name__)
        rate_limit = SenderRateLimit()

        @webhook.listener("before_server_start")
        async def cap_body_size(app: Any, _loop: Any) -> None:
            app.config.REQUEST_MAX_SIZE = min(app.config.REQUEST_MAX_SIZE, MAX_BODY_BYTES)

        @webhook.route("/", methods=["GET"])
        async def health(_request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                body = request.json
            except Exception:  # Sanic raises InvalidUsage on malformed JSON
                body = None
            if not isinstance(body, dict):
                return refusal("Requête refusée : le corps doit être un objet JSON "
                               "{\"sender\": …, \"message\": …}.")
            sender, text = body.get("sender"), body.get("message")
            if not guard.valid_sender(sender):
                return refusal(guard.BAD_SENDER)
            if not isinstance(text, str):
                return refusal(guard.BAD_MESSAGE)
            if not await rate_limit.allow(sender):
                return response.json([{"recipient_id": sender, "text": TOO_FAST}], status=429)
            if guard.too_long(text):
                return response.json([{"recipient_id": sender, "text": guard.TOO_LONG}])
            collector = CollectingOutputChannel()
            message = UserMessage(guard.public_text(text), collector, sender,
                                  input_channel=self.name(), metadata=guard.public_metadata(body.get("metadata")))
            try:
                await on_new_message(message)
            except CancelledError:
                logger.error("REST : tour interrompu (délai dépassé).")
            except Exception as error:  # the kind only: the traceback would carry the text
                logger.error("REST : le tour a échoué (%s).", type(error).__name__)
            return response.json(collector.messages)

        return webhook
