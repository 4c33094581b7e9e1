"""Commune resolution: what citizens type ("st brieuc", "sur le 28", "chatres") to a
commune of the directory."""
from directory.communes.info import CommuneInfo
from directory.communes.mentions import Mention
from directory.communes.resolver import CommuneResolver, Resolution, load_resolver

__all__ = ["CommuneInfo", "CommuneResolver", "Mention", "Resolution", "load_resolver"]
