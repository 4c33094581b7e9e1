"""aiohttp's test utilities without pytest-aiohttp: each request runs in asyncio.run."""
from __future__ import annotations

import asyncio
from dataclasses import dataclass

import pytest
from aiohttp.test_utils import TestClient, TestServer
from multidict import CIMultiDictProxy


@dataclass
class Fetched:
    status: int
    headers: CIMultiDictProxy
    text: str


@pytest.fixture
def fetch():
    """fetch(path, settings=None, method="GET") -> Fetched, against a fresh create_app."""
    from bot.web.app import create_app
    from bot.web.settings import Settings

    def _fetch(path: str, settings: Settings | None = None, method: str = "GET") -> Fetched:
        async def go() -> Fetched:
            async with TestClient(TestServer(create_app(settings or Settings()))) as client:
                response = await client.request(method, path, allow_redirects=False)
                return Fetched(response.status, response.headers, await response.text())

        return asyncio.run(go())

    return _fetch


@pytest.fixture
def fetch_raw():
    """fetch_raw(target) -> (status, body): the request line sent byte for byte over a
    socket, so that "/static/../x" reaches the server as typed (an HTTP client
    library would normalise the dots away before sending)."""
    from bot.web.app import create_app
    from bot.web.settings import Settings

    def _fetch(target: str) -> tuple[int, str]:
        async def go() -> tuple[int, str]:
            server = TestServer(create_app(Settings()))
            await server.start_server()
            try:
                reader, writer = await asyncio.open_connection(server.host, server.port)
                writer.write(f"GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".encode())
                await writer.drain()
                raw = await reader.read()
                writer.close()
            finally:
                await server.close()
            head, _, body = raw.decode(errors="replace").partition("\r\n\r\n")
            return int(head.split()[1]), body

        return asyncio.run(go())

    return _fetch
