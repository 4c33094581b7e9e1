"""The console's calls to Rasa's HTTP API (Rasa runs with --enable-api --auth-token):
trigger an intent in a conversation; the bot's answer goes to the person's channel
(`output_channel=latest`)."""
from __future__ import annotations

import asyncio
import logging
from typing import Any, Dict, Optional
from urllib.parse import quote

import aiohttp

logger = logging.getLogger(__name__)
TIMEOUT = aiohttp.ClientTimeout(total=10)


async def trigger_intent(client: aiohttp.ClientSession, base_url: str, token: Optional[str],
                         sender_id: str, intent: str,
                         entities: Optional[Dict[str, Any]] = None,
                         timeout: aiohttp.ClientTimeout = TIMEOUT) -> bool:
    """True when Rasa accepted it; False when it refused, is down or too slow (the
    console then says nothing was sent and releases a conversation it had just
    taken). Never logs the text (it may name the person)."""
    url = f"{base_url.rstrip('/')}/conversations/{quote(sender_id, safe='')}/trigger_intent"
    params = {"output_channel": "latest"}
    if token:
        params["token"] = token
    try:
        async with client.post(url, params=params, timeout=timeout,
                               json={"name": intent, "entities": entities or {}}) as response:
            if response.status == 200:
                return True
            logger.warning("Rasa refused %s (HTTP %s).", intent, response.status)
    # aiohttp's total timeout raises asyncio.TimeoutError, not the built-in one
    # before Python 3.11.
    except (aiohttp.ClientError, asyncio.TimeoutError, TimeoutError) as error:
        logger.warning("Rasa unreachable for %s: %s", intent, type(error).__name__)
    return False
