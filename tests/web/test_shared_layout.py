"""One layout for the public site and the counsellor console: each site's own
templates come first, the shared document (bot/templates/layout.html) after."""
from bot import templating
from bot.handoff import console
from bot.web.settings import PACKAGE_DIR
from bot.web.templates import make_environment


def _source(loader, name):
    return loader.get_source(None, name)[1]


def test_each_site_keeps_its_own_base_and_shares_the_layout():
    site = make_environment(PACKAGE_DIR / "templates").loader
    staff = templating.loader(console.HERE / "templates")
    layout = str(templating.SHARED_TEMPLATES / "layout.html")
    assert _source(site, "layout.html") == _source(staff, "layout.html") == layout
    assert _source(site, "base.html") == str(PACKAGE_DIR / "templates" / "base.html")
    assert _source(staff, "base.html") == str(console.HERE / "templates" / "base.html")


def test_layout_is_french_and_has_no_inline_script_or_style():
    text = (templating.SHARED_TEMPLATES / "layout.html").read_text(encoding="utf-8")
    assert '<html lang="fr">' in text and 'name="viewport"' in text
    assert "<script" not in text and "<style" not in text and "style=" not in text
