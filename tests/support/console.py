"""A counsellor account for the console tests (tests/handoff, tests/e2e): its
password, the CSRF field of the console's forms, and the staff database holding it."""
from __future__ import annotations

import re

import pytest

from bot.handoff import accounts

PASSWORD = "mot-de-passe-de-test-1"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def staff_url(tmp_path):
    url = f"sqlite:///{tmp_path / 'staff.sqlite'}"
    factory = accounts.make_session_factory(url)
    with factory.begin() as session:
        accounts.add_counsellor(session, "camille.test", PASSWORD)
    factory.kw["bind"].dispose()
    return url
