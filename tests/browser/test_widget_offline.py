"""The widget in headless chromium, without a Rasa server (its socket URL points at a
closed port): privacy before opening, keyboard use, length limit, lost connection,
small screens, axe-core."""
from __future__ import annotations

import pytest

from widget_helpers import INPUT, LAUNCHER, LOG, axe_violations, open_by_keyboard, session_state

pytestmark = pytest.mark.browser


def test_nothing_is_stored_and_nothing_connects_before_opening(page, offline_site):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(offline_site.url + "/")
    page.wait_for_selector(LAUNCHER)
    page.wait_for_load_state("networkidle")  # every request the page makes by itself
    assert page.context.cookies() == []
    assert page.evaluate("sessionStorage.length + localStorage.length") == 0
    assert page.evaluate("document.cookie") == ""
    assert not any("socket.io" in url for url in requests), requests
    assert page.evaluate("typeof window.io") == "undefined"
    assert page.js_errors == []


def test_keyboard_opens_focuses_input_and_escape_returns_to_launcher(page, offline_site):
    page.goto(offline_site.url + "/")
    open_by_keyboard(page)
    assert page.get_attribute(LAUNCHER, "aria-expanded") == "true"
    assert page.is_visible("[role=dialog]")
    assert page.get_attribute(LOG, "aria-live") == "polite"
    assert page.locator("label[for=spro-input]").inner_text() == "Votre message"
    assert "Conversation anonyme : n'indiquez ni nom ni coordonnées" in page.inner_text("[role=dialog]")
    state = session_state(page)
    assert len(state["sessionId"]) == 32 and state["open"] is True
    page.keyboard.press("Escape")
    assert not page.is_visible("[role=dialog]")
    assert page.evaluate("document.activeElement.matches('button.spro-launcher')")
    assert page.get_attribute(LAUNCHER, "aria-expanded") == "false"
    assert page.js_errors == []


def test_messages_over_1000_characters_are_refused_with_an_explanation(page, offline_site):
    page.goto(offline_site.url + "/")
    open_by_keyboard(page)
    page.fill(INPUT, "a" * 1001)
    assert "1\u202f001 / 1\u202f000 caractères" in page.inner_text("#spro-counter")
    page.keyboard.press("Enter")
    error = page.inner_text("#spro-error")
    assert "la limite est de 1\u202f000" in error
    assert page.get_attribute(INPUT, "aria-invalid") == "true"
    assert page.input_value(INPUT) == "a" * 1001  # nothing lost
    assert "aaaa" not in page.inner_text(LOG)
    assert session_state(page)["queue"] == []
    page.fill(INPUT, "a" * 1000)
    assert page.inner_text("#spro-error") == ""


def test_unreachable_server_is_announced_and_messages_wait_in_the_tab(page, offline_site):
    page.goto(offline_site.url + "/")
    open_by_keyboard(page)
    page.wait_for_selector("text=Connexion perdue, nouvelle tentative…", timeout=15000)
    page.fill(INPUT, "bonjour")
    page.keyboard.press("Enter")
    assert "en attente d'envoi" in page.inner_text(LOG)
    assert [q["message"] for q in session_state(page)["queue"]] == ["bonjour"]
    page.reload()  # still there after a page load, still waiting
    page.wait_for_selector("[role=dialog]")
    assert "bonjour" in page.inner_text(LOG)
    assert [q["message"] for q in session_state(page)["queue"]] == ["bonjour"]


@pytest.mark.parametrize("width,height", [(320, 640), (640, 400)])  # 320 px; 1280x800 at 200 %
def test_small_screens_and_zoom_keep_everything_inside_the_viewport(chromium, offline_site, width, height):
    context = chromium.new_context(viewport={"width": width, "height": height}, locale="fr-FR")
    try:
        page = context.new_page()
        page.goto(offline_site.url + "/")
        page.click(LAUNCHER)
        page.wait_for_selector("[role=dialog]")
        page.wait_for_function("() => document.getAnimations().length === 0")  # the opening animation is over
        for selector in ("[role=dialog]", INPUT, "button.spro-send", "button.spro-close"):
            box = page.locator(selector).bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= width, selector
            assert box["y"] >= 0 and box["y"] + box["height"] <= height, selector
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    finally:
        context.close()


def test_reduced_motion_is_respected(chromium, offline_site):
    context = chromium.new_context(reduced_motion="reduce")
    try:
        page = context.new_page()
        page.goto(offline_site.url + "/")
        page.click(LAUNCHER)
        animation = page.evaluate("getComputedStyle(document.querySelector('.spro-panel')).animationName")
        assert animation == "none"
    finally:
        context.close()


def test_axe_finds_no_violation_with_the_widget_open(page, offline_site):
    page.goto(offline_site.url + "/")
    assert axe_violations(page) == []
    open_by_keyboard(page)
    page.fill(INPUT, "a" * 1001)
    page.keyboard.press("Enter")
    assert axe_violations(page) == []


def test_privacy_page_passes_axe(page, offline_site):
    page.goto(offline_site.url + "/confidentialite")
    assert axe_violations(page) == []
