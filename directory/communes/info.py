"""What the rest of the service knows about a commune once it is resolved."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CommuneInfo:
    insee_code: str
    name: str
    postcodes: tuple[str, ...]
    department_code: str
    department_name: str
    region_code: str
    region_name: str
    latitude: float | None
    longitude: float | None
    population: int = 0

    @classmethod
    def from_row(cls, row) -> "CommuneInfo":
        """From a `directory.models.Commune` (or any object with the same attributes)."""
        return cls(
            insee_code=row.insee_code,
            name=row.name,
            postcodes=tuple((row.postcodes or "").split()),
            department_code=row.department_code,
            department_name=row.department_name,
            region_code=row.region_code,
            region_name=row.region_name,
            latitude=row.latitude,
            longitude=row.longitude,
            population=row.population or 0,
        )

    @property
    def label(self) -> str:
        """"Saint-Denis (La Réunion)": the name with its département, to tell homonyms apart."""
        return f"{self.name} ({self.department_name})"
