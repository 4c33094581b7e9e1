"""Network codes: the vocabulary's networks table rows, and the mapping of the
names sources use (old or administrative ones) to the spec's codes."""
from __future__ import annotations

import re
import unicodedata

from directory.vocabulary import NETWORK_SERVES, Network

# Names found in sources or written by people for networks renamed or typed
# differently in the service-public.fr directory.
NETWORK_ALIASES = {
    "pole_emploi": Network.FRANCE_TRAVAIL,  # renamed France Travail on 1 January 2024
    "fongecif": Network.TRANSITIONS_PRO,  # Fongecif/Opacif became Transitions Pro in 2020
    "msap": Network.FRANCE_SERVICES,  # Maisons de services au public, France services since 2020
    "cij": Network.INFO_JEUNESSE,
    "cidf": Network.CIDFF,
    "chambre_metier": Network.CMA,
}


def network_rows() -> list[dict]:
    return [{"code": n.value, "label": n.label, "serves": NETWORK_SERVES.get(n, "")} for n in Network]


def normalize_network(raw: str) -> Network | None:
    """The Network for a code as a source writes it ("Pôle emploi", "pole_emploi",
    "mission-locale"…), or None if unknown."""
    ascii_text = unicodedata.normalize("NFKD", raw).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")
    if slug in NETWORK_ALIASES:
        return NETWORK_ALIASES[slug]
    try:
        return Network(slug)
    except ValueError:
        return None
