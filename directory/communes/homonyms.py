"""Which of several communes of the same name a person means ("Montreuil",
"Saint-Denis", "Valence"), without asking when the answer is clear.

The person is on their region's site: a single homonym in that region is theirs.
Otherwise one homonym ten times more populous than every other is the one most
people mean. Only when neither settles it is the person asked, with buttons. A
settled choice is always said back ("J'ai compris Montreuil (Seine-Saint-Denis)"),
so that the person can correct it."""
from __future__ import annotations

from directory.communes.resolver import AMBIGUOUS, FOUND, Resolution

# A homonym this many times more populous than the next is the one meant.
DOMINANCE_RATIO = 10


def settle(resolution: Resolution, region_code: str | None = None) -> Resolution:
    """`resolution` itself unless it is ambiguous and one candidate clearly
    dominates; then a "found" resolution that keeps every candidate (biggest first),
    so the caller can say which one was understood and offer the others."""
    if resolution.status != AMBIGUOUS:
        return resolution
    ranked = sorted(resolution.candidates, key=lambda c: (-c.population, c.name, c.insee_code))
    pool = ranked
    if region_code:
        local = [c for c in ranked if c.region_code == str(region_code)]
        if len(local) == 1:
            return _chosen(local[0], ranked)
        pool = local or ranked
    if len(pool) == 1 or pool[0].population >= DOMINANCE_RATIO * max(pool[1].population, 1):
        return _chosen(pool[0], ranked)
    return Resolution(AMBIGUOUS, candidates=ranked)


def chosen_among_homonyms(resolution: Resolution) -> bool:
    """A found commune that was settled among several of the same name."""
    return resolution.status == FOUND and len(resolution.candidates) > 1


def _chosen(commune, ranked) -> Resolution:
    return Resolution(FOUND, commune=commune, candidates=[commune] + [c for c in ranked if c is not commune])
