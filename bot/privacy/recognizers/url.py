"""URLs that point at a person (profiles, ids in the path or query) and @handles.

Bare site names ("parcoursup.fr", "www.onisep.fr") are kept: they are the
services people talk about.
"""
from __future__ import annotations

import re
from typing import Iterable

from .base import FinderRecognizer, Span

_URL = re.compile(
    r"(?<![\w@.])(?:https?://)?(?:www\.)?(?P<host>(?:[a-z0-9-]+\.)+[a-z]{2,})"
    r"(?P<rest>[/?#][^\s<>\"]*)?",
    re.IGNORECASE,
)
_SOCIAL = re.compile(
    r"(?:^|\.)(?:facebook\.com|fb\.com|fb\.me|linkedin\.com|instagram\.com|twitter\.com|x\.com|"
    r"tiktok\.com|youtube\.com|snapchat\.com|github\.com|gitlab\.com|pinterest\.\w+|"
    r"viadeo\.com|t\.me|wa\.me|discord\.gg|twitch\.tv|medium\.com|about\.me|doyoubuzz\.com)$",
    re.IGNORECASE,
)
# In other URLs, a path or query that carries an identifier.
_ID_HINT = re.compile(
    r"\d{4,}|[?&](?:id|user|uid|u|profile|profil|email|mail|nom|name|tel)=|/(?:in|profile|"
    r"profil|user|users|u|people|membre|~)[/.]|@|/[a-z]+[._-][a-z]+(?:/|$)"
    r"|/(?=[\w-]*\d)(?=[\w-]*[a-z])[\w-]{8,}",  # opaque ids (shared files, tokens)
    re.IGNORECASE,
)
_HANDLE = re.compile(r"(?<![\w@.])@[a-z0-9_][a-z0-9_.]{2,29}\b", re.IGNORECASE)
_FILE_EXTENSIONS = {"pdf", "doc", "docx", "jpg", "png", "odt"}


class UrlRecognizer(FinderRecognizer):
    ENTITY = "URL"
    NAME = "IdentifyingUrlRecognizer"

    def find(self, text: str) -> Iterable[Span]:
        for match in _URL.finditer(text):
            host, rest = match.group("host"), match.group("rest") or ""
            if host.rsplit(".", 1)[-1].lower() in _FILE_EXTENSIONS:
                continue  # "cv.pdf" is a file name, not a site
            rest = rest.rstrip(".,;:!?)")
            if rest.strip("/") and (_SOCIAL.search(host) or _ID_HINT.search(rest)):
                yield match.start(), match.start("rest") + len(rest), 1.0
        for match in _HANDLE.finditer(text):
            yield match.start(), match.end(), 0.9
