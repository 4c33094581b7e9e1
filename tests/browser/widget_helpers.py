"""Small page actions shared by the browser tests."""
from __future__ import annotations

from pathlib import Path

VENDOR = Path(__file__).resolve().parents[2] / "bot" / "web" / "static" / "vendor"
LAUNCHER = "button.spro-launcher"
INPUT = "#spro-input"
LOG = "[role=log]"


def tab_to_launcher(page, max_tabs: int = 30) -> None:
    """Keyboard only: Tab until the launcher has the focus."""
    for _ in range(max_tabs):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.matches('button.spro-launcher')"):
            return
    raise AssertionError("the launcher is not reachable with Tab")


def open_by_keyboard(page) -> None:
    tab_to_launcher(page)
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'spro-input'")


def axe_violations(page) -> list[dict]:
    """axe-core (copied by scripts/build-widget) on the whole page, default rules (WCAG A/AA
    and best practices)."""
    # Contrast is judged on what is painted: let the opening animation (opacity 0 -> 1)
    # finish first, or axe sees half-transparent text.
    page.evaluate("""() => Promise.all(document.getAnimations()
        .filter(a => a.effect && a.effect.getTiming().iterations !== Infinity)
        .map(a => a.finished.catch(() => null)))""")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Served by the web app itself: the page's CSP (script-src 'self') stays on.
        page.add_script_tag(url="/static/vendor/axe.min.js")
    return page.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ['violations']});
        return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => n.target.join(' ') + ' : ' + n.failureSummary)}));
    }""")


def session_state(page) -> dict | None:
    return page.evaluate("JSON.parse(sessionStorage.getItem('spro-widget:v1'))")


BOT = ".spro-from-bot"


def bot_count(page) -> int:
    return page.locator(BOT).count()


def say(page, text: str, expect: str, timeout_s: float = 60) -> None:
    """Type `text` and send it with the keyboard, then wait until a bot message
    that arrived after it contains `expect` (no fixed pause: a slow turn waits
    longer, a wrong answer fails with the conversation shown)."""
    before = bot_count(page)
    page.focus(INPUT)
    page.keyboard.type(text)
    page.keyboard.press("Enter")
    wait_for_bot(page, expect, after=before, timeout_s=timeout_s)


def wait_for_bot(page, expect: str, after: int = 0, timeout_s: float = 60) -> None:
    """Until one of the bot messages after the first `after` ones contains `expect`
    (a CSS selector when it starts with ".", else text)."""
    script = """([selector, after, expect]) => {
        const bubbles = [...document.querySelectorAll(selector)].slice(after);
        return expect.startsWith('.') ? bubbles.some(b => b.querySelector(expect) || b.matches(expect))
                                      : bubbles.some(b => b.innerText.includes(expect));
    }"""
    try:
        page.wait_for_function(script, arg=[BOT, after, expect], timeout=timeout_s * 1000)
    except Exception as error:  # the conversation so far makes the failure readable
        raise AssertionError(f"{expect!r} never came:\n{page.inner_text(LOG)}") from error
