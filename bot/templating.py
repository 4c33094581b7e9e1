"""Jinja2 templates shared by the bot's pages (public site, counsellor console):
each site looks in its own folder first, then in bot/templates (layout.html)."""
from __future__ import annotations

from pathlib import Path

import jinja2

SHARED_TEMPLATES = Path(__file__).resolve().parent / "templates"


def loader(own_templates: Path) -> jinja2.FileSystemLoader:
    return jinja2.FileSystemLoader([str(own_templates), str(SHARED_TEMPLATES)])
