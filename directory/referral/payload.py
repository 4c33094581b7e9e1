"""The referral result and its payload, exactly the spec's inner object:
{"type": "referral", "need", "public", "commune", "structures": [...], "remote": [...]}.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

STRUCTURE_KEYS = ("id", "name", "network", "address", "postcode", "commune", "phone", "email",
                  "website", "distance_km", "reason")
REMOTE_KEYS = ("name", "kind", "contact", "hours")


@dataclass(frozen=True)
class ReferralStructure:
    """A structure proposed to the person, or a network's remote service standing
    in its place (then `distance_km` is None and only sourced contacts are set)."""

    id: str
    name: str
    network: str
    address: str | None
    postcode: str | None
    commune: str | None
    phone: str | None
    email: str | None
    website: str | None
    distance_km: float | None
    reason: str

    def to_payload(self) -> dict[str, Any]:
        return {key: getattr(self, key) for key in STRUCTURE_KEYS}


@dataclass(frozen=True)
class RemoteContact:
    name: str
    kind: str  # phone | tchat | web | visio | mail
    contact: str
    hours: str | None

    def to_payload(self) -> dict[str, Any]:
        return {key: getattr(self, key) for key in REMOTE_KEYS}


@dataclass(frozen=True)
class Referral:
    need: str
    public: str | None
    commune: Any | None  # directory.communes.CommuneInfo
    structures: list[ReferralStructure] = field(default_factory=list)
    remote: list[RemoteContact] = field(default_factory=list)
    networks: tuple[str, ...] = ()  # accepted networks, most appropriate first (for logs/tests)

    def to_payload(self) -> dict[str, Any]:
        """The inner object of the bot's custom message: `{"custom": referral.to_payload()}`."""
        return {
            "type": "referral",
            "need": self.need,
            "public": self.public,
            "commune": self.commune.name if self.commune is not None else None,
            "structures": [structure.to_payload() for structure in self.structures],
            "remote": [remote.to_payload() for remote in self.remote],
        }
