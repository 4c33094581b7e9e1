"""`CommuneResolver`: what a citizen typed -> a commune, several candidates, or nothing.

Built once from the `communes` table into in-memory indexes (names, postcodes, INSEE
codes, départements), so a resolution is a few dict look-ups, plus one RapidFuzz pass
over names of similar length when nothing matches exactly. Deterministic: ties are
broken by population, then name, then INSEE code.
"""
from __future__ import annotations

import json
import re
import threading
import time
import weakref
import zlib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process
from sqlalchemy import select

from directory.communes.info import CommuneInfo
from directory.communes.normalize import normalize, strip_article, tokens

if TYPE_CHECKING:
    from directory.communes.mentions import Mention

FOUND, AMBIGUOUS, NOT_FOUND = "found", "ambiguous", "not_found"

# Paris, Lyon, Marseille: a postcode of an arrondissement means the arrondissement.
_PLM_PARENTS = frozenset({"75056", "69123", "13055"})
_POSTCODE = re.compile(r"^\d{5}$")
_INSEE = re.compile(r"^(?:\d{5}|2[ab]\d{3})$")
_DEPARTMENT_CODE = re.compile(r"^(?:\d{2}|2[ab]|97\d|98\d)$")

# Words people put before the commune when answering "où habitez-vous ?".
_LEADING_FILLERS = frozenset(
    "a au aux sur vers dans pres de d du cote proche j je jhabite habite habites suis vis reside "
    "c est moi secteur region ville commune coin environs alentours".split()
)

# Fuzzy matching: below these scores (RapidFuzz ratio, 0-100) a name is not "close".
_MIN_FUZZY_LENGTH = 4
# Misspellings usually keep the first letter; without it, only towns of 10,000+ are searched.
_FIRST_LETTER_TYPO_LENGTH = 7


def _fuzzy_cutoff(length: int) -> float:
    return 88.0 if length <= 5 else 85.0


# "chatres": an exact but tiny homonym (Châtres, 700 inhabitants) must not hide the
# city the person most likely meant (Chartres): both are offered, biggest first.
_SMALL_EXACT = 2000
_BIG_NEIGHBOUR = 10000
_BIG_NEIGHBOUR_RATIO = 10
_NEIGHBOUR_CUTOFF = 88.0

# A town is often called by the first part of its name: "Charleville" for
# Charleville-Mézières, "Chalon" for Chalon-sur-Saône, "Cherbourg" for Cherbourg-en-
# Cotentin, "Nogent" for Nogent-le-Rotrou. Towns of 5,000+ are found by that short
# name too, beside any commune of exactly that name when one of them is three times
# bigger; the settling (homonyms.py: the site's region, a tenfold population) then
# chooses, or the person is asked.
_SHORT_NAME_MIN_POPULATION = 5000
_SHORT_NAME_RATIO = 3
_NAME_LINKS = frozenset("sur sous en la le les lez les de du des d aux au et".split())
# First words that name no town on their own.
_NOT_SHORT_NAMES = frozenset("saint sainte saints saintes".split())


def short_name(key: str) -> str | None:
    """"chalon sur saone" -> "chalon", "charleville mezieres" -> "charleville"; None
    for a one-word name."""
    words = key.split()
    short = next((" ".join(words[:i]) for i in range(1, len(words)) if words[i] in _NAME_LINKS),
                 words[0] if len(words) > 1 else None)
    return None if short is None or short in _NOT_SHORT_NAMES else short


@dataclass(frozen=True)
class Resolution:
    status: str  # "found" | "ambiguous" | "not_found"
    commune: CommuneInfo | None = None
    candidates: list[CommuneInfo] = field(default_factory=list)

    @property
    def found(self) -> bool:
        return self.status == FOUND


@dataclass(frozen=True)
class _Row:
    info: CommuneInfo
    population: int
    commune_type: str
    key: str  # normalize(name): the costly part of building the index, stored with it

    @classmethod
    def of(cls, info: CommuneInfo, commune_type: str) -> "_Row":
        return cls(info, info.population, commune_type, normalize(info.name))


# Fields of a row in the stored index (compact JSON lists), in this order, then the
# commune type and the key.
_INDEX_FIELDS = ("insee_code", "name", "postcodes", "department_code", "department_name", "region_code",
                 "region_name", "latitude", "longitude", "population")
INDEX_FORMAT = 2


class _StoredRows:
    """The rows of a stored index, made into objects when first used: a resolver
    read at start-up builds only the few rows a look-up returns."""

    def __init__(self, values: list[list]):
        self._values = values
        self._made: dict[int, _Row] = {}

    def __len__(self) -> int:
        return len(self._values)

    def __getitem__(self, index: int) -> _Row:
        row = self._made.get(index)
        if row is None:
            (insee, name, postcodes, dep, dep_name, region, region_name, lat, lon, population,
             commune_type, key) = self._values[index]
            info = CommuneInfo(insee, name, tuple(postcodes.split()), dep, dep_name, region, region_name,
                               lat, lon, population)
            row = self._made[index] = _Row(info, population, commune_type, key)
        return row


class CommuneResolver:
    def __init__(self, rows: list[_Row]):
        # Rows sorted once, so every candidate list is already "biggest first".
        self._rows = sorted(rows, key=lambda r: (-r.population, r.info.name, r.info.insee_code))
        self._by_full: dict[str, list[int]] = defaultdict(list)
        self._by_key: dict[str, list[int]] = defaultdict(list)
        self._by_postcode: dict[str, list[int]] = defaultdict(list)
        self._departments: dict[str, str] = {}  # normalised name or code -> code
        department_keys: dict[str, str] = {}
        for index, row in enumerate(self._rows):
            info = row.info
            full = row.key
            self._by_full[full].append(index)
            self._by_key[strip_article(full)].append(index)
            for postcode in info.postcodes:
                self._by_postcode[postcode].append(index)
            self._departments[info.department_code.lower()] = info.department_code
            if info.department_name:
                if info.department_name not in department_keys:
                    department_keys[info.department_name] = normalize(info.department_name)
                department = department_keys[info.department_name]
                self._departments[department] = info.department_code
                self._departments[strip_article(department)] = info.department_code
        for postcode, indices in self._by_postcode.items():
            if any(self._rows[i].commune_type == "arrondissement_municipal" for i in indices):
                indices[:] = [i for i in indices if self._rows[i].info.insee_code not in _PLM_PARENTS]
        # Fuzzy search space: one entry per distinct key, biggest commune first (ties go
        # to it); `_big_keys` are the towns a misspelling most likely means.
        self._key_population = {k: self._rows[v[0]].population for k, v in self._by_key.items()}
        self._fuzzy_keys = sorted(self._by_key, key=lambda k: (-self._key_population[k], k))
        self._derive([row.info.insee_code for row in self._rows])

    def _derive(self, insee_codes: list[str]) -> None:
        """The look-ups quicker to rebuild than to store."""
        self._by_insee = {code.lower(): index for index, code in enumerate(insee_codes)}
        self._big_keys = [k for k in self._fuzzy_keys if self._key_population[k] >= _BIG_NEIGHBOUR]
        self._by_short_name: dict[str, list[int]] = defaultdict(list)
        for key in self._fuzzy_keys:  # biggest first
            if self._key_population[key] < _SHORT_NAME_MIN_POPULATION:
                break
            short = short_name(key)
            if short:
                self._by_short_name[short].extend(self._by_key[key])
        self._buckets: dict[tuple[str, int], list[str]] = defaultdict(list)
        for key in self._fuzzy_keys:
            self._buckets[(key[0], len(key))].append(key)

    # ------------------------------------------------------------------ building
    @classmethod
    def from_session(cls, session) -> "CommuneResolver":
        """Built from the communes table (35,000 rows: about a second). Processes use
        `load_resolver`, which reads the index the import stored instead."""
        from directory.models import Commune

        columns = (
            Commune.insee_code, Commune.name, Commune.postcodes, Commune.department_code,
            Commune.department_name, Commune.region_code, Commune.region_name,
            Commune.latitude, Commune.longitude, Commune.commune_type, Commune.population,
        )
        rows = [
            _Row.of(
                CommuneInfo(
                    insee_code=r.insee_code, name=r.name, postcodes=tuple((r.postcodes or "").split()),
                    department_code=r.department_code, department_name=r.department_name or "",
                    region_code=r.region_code, region_name=r.region_name or "",
                    latitude=r.latitude, longitude=r.longitude, population=r.population or 0,
                ),
                r.commune_type or "commune",
            )
            for r in session.execute(select(*columns))
        ]
        return cls(rows)

    def to_index(self) -> bytes:
        """The sorted rows with their keys and the look-ups built from them, as the
        import stores them (compressed JSON)."""
        rows = [self._rows[i] for i in range(len(self._rows))]
        content = {
            "format": INDEX_FORMAT,
            "rows": [[*(" ".join(r.info.postcodes) if f == "postcodes" else getattr(r.info, f)
                        for f in _INDEX_FIELDS), r.commune_type, r.key] for r in rows],
            "by_full": self._by_full, "by_key": self._by_key, "by_postcode": self._by_postcode,
            "departments": self._departments, "key_population": self._key_population,
            "fuzzy_keys": self._fuzzy_keys,
        }
        return zlib.compress(json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 6)

    @classmethod
    def from_index(cls, data: bytes) -> "CommuneResolver":
        """The resolver of a stored index (a tenth of a second; rows made on use)."""
        content = json.loads(zlib.decompress(data).decode("utf-8"))
        if content.get("format") != INDEX_FORMAT:
            raise ValueError("stored commune index of another format")
        resolver = cls.__new__(cls)
        resolver._rows = _StoredRows(content["rows"])
        for name in ("by_full", "by_key", "by_postcode", "departments", "key_population", "fuzzy_keys"):
            setattr(resolver, f"_{name}", content[name])
        resolver._derive([values[0] for values in content["rows"]])
        return resolver

    def __len__(self) -> int:
        return len(self._rows)

    # ----------------------------------------------------------------- resolving
    def resolve(self, text: str) -> Resolution:
        """What a person typed as a commune: name, postcode, INSEE code, arrondissement."""
        toks = tokens(text)
        # "à Rennes", "sur le 35000", "j'habite Lucé": the words before the commune are
        # dropped one by one; exact matches are tried on every variant before fuzzy ones.
        variants = [toks]
        while len(variants[-1]) > 1 and variants[-1][0] in _LEADING_FILLERS:
            variants.append(variants[-1][1:])
        for fuzzy in (False, True):
            for variant in variants:
                resolution = self._resolve_tokens(variant, fuzzy)
                if resolution.status != NOT_FOUND:
                    return resolution
        return Resolution(NOT_FOUND)

    def _resolve_tokens(self, toks: list[str], fuzzy: bool) -> Resolution:
        if not toks:
            return Resolution(NOT_FOUND)
        if len(toks) == 1 or (len(toks) == 2 and toks[0] in ("le", "la")):
            code = self._resolve_code(toks[-1])
            if code is not None:
                return code
        indices = self.exact_indices(" ".join(toks))
        if indices:
            return self._result(self._with_long_names(" ".join(toks),
                                                      self._with_big_neighbours(strip_article(" ".join(toks)), indices)))
        indices = self._by_short_name.get(strip_article(" ".join(toks)))
        if indices:
            return self._result(indices)
        # Fuzzy pass: the whole name first ("saint sorlinde vienne" is Saint-Sorlin-de-
        # Vienne, not a "Sainte-Soline" of the Vienne département); never on numbers.
        if fuzzy and not any(t[0].isdigit() for t in toks):
            indices = self.fuzzy_indices(" ".join(toks))
            if indices:
                return self._result(indices)
        qualified = self._resolve_qualified(toks, fuzzy)
        return qualified if qualified is not None else Resolution(NOT_FOUND)

    def _resolve_code(self, token: str) -> Resolution | None:
        """A postcode, an INSEE code, or a bare number (a département is not a commune)."""
        if _POSTCODE.match(token) and token in self._by_postcode:
            return self._result(self._by_postcode[token])
        if _INSEE.match(token) and token in self._by_insee:
            return self._result([self._by_insee[token]])
        if token.isdigit() or _DEPARTMENT_CODE.match(token):
            return Resolution(NOT_FOUND)
        return None

    def _resolve_qualified(self, toks: list[str], fuzzy: bool) -> Resolution | None:
        """ "saint denis 974", "rennes 35000", "saint-denis (la réunion)", "35000 rennes"."""
        splits = [(toks[:-n], toks[-n:]) for n in range(1, min(4, len(toks) - 1) + 1)]
        splits.append((toks[1:], toks[:1]))
        for name_toks, qualifier_toks in splits:
            keep = self._qualifier(" ".join(qualifier_toks))
            if keep is None:
                continue
            name = " ".join(name_toks)
            indices = self.exact_indices(name) or (self.fuzzy_indices(name) if fuzzy else [])
            if not indices:
                continue
            kept = [i for i in indices if keep(self._rows[i].info)]
            return self._result(kept or indices)
        return None

    def _qualifier(self, text: str):
        if _POSTCODE.match(text) and text in self._by_postcode:
            return lambda info: text in info.postcodes
        code = self._departments.get(text) or self._departments.get(strip_article(text))
        if code is not None:
            return lambda info: info.department_code == code
        return None

    # ------------------------------------- building blocks for find_in_text
    def find_in_text(self, sentence: str) -> list["Mention"]:
        """Commune mentions in a free sentence ("j'habite à Lucé", "sur le 35000")."""
        from directory.communes.mentions import find_mentions

        return find_mentions(self, sentence)

    def exact_resolution(self, key: str) -> Resolution:
        indices = self.exact_indices(key)
        if not indices:
            return self._result(self._by_short_name.get(strip_article(key), []))
        return self._result(self._with_long_names(key, self._with_big_neighbours(strip_article(key), indices)))

    def fuzzy_resolution(self, key: str, cutoff: float) -> Resolution:
        return self._result(self.fuzzy_indices(key, cutoff))

    def postcode_resolution(self, postcode: str) -> Resolution:
        return self._result(self._by_postcode.get(postcode, []))

    def population(self, key: str) -> int:
        """Population of the biggest commune named `key` (article optional), else 0."""
        return self._key_population.get(strip_article(key), 0)

    def narrow(self, resolution: Resolution, qualifier: str) -> Resolution | None:
        """Homonyms kept by a département or postcode qualifier ("saint denis 974"), or
        None when `qualifier` is not one or keeps none of them."""
        keep = self._qualifier(qualifier) if resolution.status == AMBIGUOUS else None
        kept = [c for c in resolution.candidates if keep(c)] if keep else []
        if not kept:
            return None
        return Resolution(FOUND, commune=kept[0], candidates=kept) if len(kept) == 1 else Resolution(
            AMBIGUOUS, candidates=kept
        )

    # ------------------------------------------------------------ index helpers
    def exact_indices(self, key: str) -> list[int]:
        """Rows whose normalised name is `key` ("le mans" or "mans"), biggest first.
        Typed without its article, a name is every commune of that name with or
        without one: "Lamentin" is Lamentin (Guadeloupe) and Le Lamentin (Martinique)."""
        if strip_article(key) == key:
            return self._by_key.get(key) or []
        return self._by_full.get(key) or self._by_key.get(strip_article(key)) or []

    def fuzzy_indices(self, key: str, cutoff: float | None = None) -> list[int]:
        """Rows of the closest name (RapidFuzz ratio); a populous name within 3 points
        of the best one wins, so "sant brieuc" is Saint-Brieuc and not a hamlet."""
        key = strip_article(key)
        if len(key) < _MIN_FUZZY_LENGTH:
            return []
        cutoff = cutoff if cutoff is not None else _fuzzy_cutoff(len(key))
        best = self._closest(key, cutoff)
        if best is None and len(key) >= _FIRST_LETTER_TYPO_LENGTH:  # "hartres": first letter lost,
            best = self._extract_one(key, self._big_keys, cutoff)  # looked for among towns only
        if best is None:
            return []
        choice, score = best
        big = self._extract_one(key, self._big_keys, score - 3)
        if big is not None and self._key_population[big[0]] > self._key_population[choice]:
            choice = big[0]
        return self._by_key[choice]

    def _closest(self, key: str, cutoff: float) -> tuple[str, float] | None:
        """Best key with the same first letter, scanning only the lengths that can
        reach `cutoff` (ratio = 2·common / total length)."""
        spread = 200.0 / cutoff - 1.0
        best: tuple[str, float] | None = None
        for length in range(int(len(key) / spread), int(len(key) * spread) + 2):
            choices = self._buckets.get((key[0], length))
            found = choices and self._extract_one(key, choices, best[1] if best else cutoff)
            if found and (
                best is None
                or (found[1], self._key_population[found[0]], best[0]) > (best[1], self._key_population[best[0]], found[0])
            ):
                best = found
        return best

    @staticmethod
    def _extract_one(key: str, choices: list[str], cutoff: float) -> tuple[str, float] | None:
        # extractOne keeps the first of equal scores: `choices` are sorted biggest first.
        found = process.extractOne(key, choices, scorer=fuzz.ratio, processor=None, score_cutoff=cutoff)
        return (found[0], found[1]) if found else None

    def _with_long_names(self, key: str, indices: list[int]) -> list[int]:
        """The exact matches, and the towns of 10,000+ called by this short name
        when one of them is ten times bigger ("Charleville" village and
        Charleville-Mézières): the settling then picks the town."""
        longer = [i for i in self._by_short_name.get(strip_article(key), []) if i not in indices]
        if longer and self._rows[min(longer)].population >= _SHORT_NAME_RATIO * max(
                self._rows[indices[0]].population, 1):
            return sorted(set(indices) | set(longer))
        return indices

    def _with_big_neighbours(self, key: str, indices: list[int]) -> list[int]:
        biggest = self._rows[indices[0]].population
        if biggest >= _SMALL_EXACT or len(key) < 5:
            return indices
        floor = max(_BIG_NEIGHBOUR, biggest * _BIG_NEIGHBOUR_RATIO)
        neighbour = self._extract_one(key, self._big_keys, _NEIGHBOUR_CUTOFF)
        if neighbour is None or neighbour[0] == key or self._key_population[neighbour[0]] < floor:
            return indices
        return sorted(set(indices) | set(self._by_key[neighbour[0]]))

    def _result(self, indices: list[int]) -> Resolution:
        if not indices:
            return Resolution(NOT_FOUND)
        infos = [self._rows[i].info for i in sorted(indices)]
        if len(infos) == 1:
            return Resolution(FOUND, commune=infos[0], candidates=infos)
        return Resolution(AMBIGUOUS, commune=None, candidates=infos)


@dataclass
class _Cached:
    resolver: CommuneResolver
    built_at: object  # the stored index's date, None when built from the table
    checked_at: float


# How often a long-running process asks whether the directory was re-imported (one
# indexed query), so that a new index is read without a restart.
RECHECK_SECONDS = 5.0
_cache: "weakref.WeakKeyDictionary[object, _Cached]" = weakref.WeakKeyDictionary()
_cache_lock = threading.Lock()


def load_resolver(session_factory) -> CommuneResolver:
    """The resolver of this session factory's database, read on first use from the
    index the import stored (built from the communes table when there is none, e.g.
    a database imported before the index existed), then reused until a new import
    stores another index (checked every RECHECK_SECONDS)."""
    with _cache_lock:
        cached = _cache.get(session_factory)
        now = time.monotonic()
        if cached is not None and now - cached.checked_at < RECHECK_SECONDS:
            return cached.resolver
        with session_factory() as session:
            built_at = _stored_built_at(session)
            if cached is None or built_at != cached.built_at:
                resolver = _stored(session) or CommuneResolver.from_session(session)
                cached = _Cached(resolver, built_at, now)
                _cache[session_factory] = cached
            cached.checked_at = now
        return cached.resolver


def forget_resolver(session_factory) -> None:
    """Drops the cached resolver of this database (after an import)."""
    with _cache_lock:
        _cache.pop(session_factory, None)


def _stored_built_at(session):
    from sqlalchemy.exc import SQLAlchemyError

    from directory.models import CommuneIndex

    try:
        return session.execute(select(CommuneIndex.built_at).where(CommuneIndex.id == 1)).scalar()
    except SQLAlchemyError:
        session.rollback()
        return None


def _stored(session) -> CommuneResolver | None:
    from sqlalchemy import inspect
    from sqlalchemy.exc import SQLAlchemyError

    from directory.models import CommuneIndex

    try:
        if not inspect(session.connection()).has_table(CommuneIndex.__tablename__):
            return None
        data = session.execute(select(CommuneIndex.data).where(CommuneIndex.id == 1)).scalar()
        return CommuneResolver.from_index(data) if data else None
    except (SQLAlchemyError, ValueError, zlib.error):
        return None


def store_index(session, resolver: CommuneResolver, built_at) -> None:
    """Replaces the stored index (the import calls it; the caller commits)."""
    from directory.models import CommuneIndex

    row = session.get(CommuneIndex, 1) or CommuneIndex(id=1)
    row.built_at, row.communes, row.data = built_at, len(resolver), resolver.to_index()
    session.add(row)
