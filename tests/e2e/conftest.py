"""End-to-end tests through the REST channel of the shared live servers
(tests/conftest.py: real Rasa and action servers, the trained model of `make train`,
the directory built by the real import, every store in a temporary folder)."""
from __future__ import annotations

import pytest


@pytest.fixture
def rasa_servers(live_servers):
    return live_servers
