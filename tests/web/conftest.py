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
