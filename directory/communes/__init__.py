"""Commune resolution: what citizens type ("st brieuc", "sur le 28", "chatres") to a
commune of the directory."""
from directory.communes.info import CommuneInfo

__all__ = ["CommuneInfo"]
