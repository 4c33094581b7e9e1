"""The console's call to Rasa: refused, down or too slow, it says so (False) and
never raises, so the console can release the conversation and tell the counsellor."""
from __future__ import annotations

import asyncio
import socket

import aiohttp
from aiohttp import web

from bot.handoff.rasa_api import trigger_intent


async def _with_server(handler, call):
    app = web.Application()
    app.router.add_post("/conversations/{sender}/trigger_intent", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    try:
        async with aiohttp.ClientSession() as client:
            return await call(client, f"http://127.0.0.1:{port}")
    finally:
        await runner.cleanup()


def test_accepted():
    async def ok(request):
        assert request.query["token"] == "t" and (await request.json())["name"] == "counsellor_message"
        return web.json_response({})

    assert asyncio.run(_with_server(ok, lambda client, url: trigger_intent(
        client, url, "t", "abc", "counsellor_message", {"text": "bonjour"})))


def test_refused():
    async def forbidden(_request):
        return web.json_response({}, status=401)

    assert not asyncio.run(_with_server(forbidden, lambda client, url: trigger_intent(
        client, url, "t", "abc", "counsellor_message")))


def test_too_slow_is_false_not_an_exception():
    async def slow(_request):
        await asyncio.sleep(1)
        return web.json_response({})

    short = aiohttp.ClientTimeout(total=0.3)
    assert not asyncio.run(_with_server(slow, lambda client, url: trigger_intent(
        client, url, "t", "abc", "counsellor_message", timeout=short)))


def test_down():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    async def call():
        async with aiohttp.ClientSession() as client:
            return await trigger_intent(client, f"http://127.0.0.1:{port}", "t", "abc", "counsellor_message")

    assert not asyncio.run(call())
