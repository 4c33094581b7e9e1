"""Partner directory schema (SQLAlchemy 1.4, 2.0-style usage).

Schema changes go through Alembic (directory/migrations); never edit a table by hand.
"""
from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import declarative_base, relationship

# Named constraints, so that later migrations can alter them (SQLite batch mode
# recreates tables and needs every constraint's name).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Base = declarative_base(metadata=MetaData(naming_convention=NAMING_CONVENTION))


class NetworkRow(Base):
    """A partner network (the spec's codes: cio, mission_locale, …)."""

    __tablename__ = "networks"

    code = Column(String(40), primary_key=True)
    label = Column(String(200), nullable=False)
    serves = Column(Text, nullable=False, default="")


class Commune(Base):
    """A current commune (INSEE COG) or a municipal arrondissement."""

    __tablename__ = "communes"

    insee_code = Column(String(5), primary_key=True)
    name = Column(String(200), nullable=False)
    postcodes = Column(String(200), nullable=False, default="")  # space-separated
    department_code = Column(String(3), nullable=False, index=True)
    department_name = Column(String(100), nullable=False, default="")
    region_code = Column(String(3), nullable=False, index=True)
    region_name = Column(String(100), nullable=False, default="")
    latitude = Column(Float)
    longitude = Column(Float)
    commune_type = Column(String(30), nullable=False, default="commune")
    population = Column(Integer)


class Structure(Base):
    """A local partner structure. Identity = (source, source_id): re-imports update."""

    __tablename__ = "structures"
    __table_args__ = (
        UniqueConstraint("source", "source_id", name="uq_structures_source"),
        Index("ix_structures_network_region", "network_code", "region_code"),
    )

    id = Column(Integer, primary_key=True, autoincrement=True)
    network_code = Column(String(40), ForeignKey("networks.code"), nullable=False, index=True)
    name = Column(String(300), nullable=False)
    address = Column(String(300))  # street part; None when the source has none
    postcode = Column(String(10))
    commune = Column(String(200))  # as written by the source (may include "Cedex")
    insee_code = Column(String(5), ForeignKey("communes.insee_code"), index=True)
    department_code = Column(String(3), index=True)
    region_code = Column(String(3))
    # For a network organised by département (Transitions Pro): the département this
    # row serves, whose people are sent to it whatever the distance. None: a local
    # structure, proposed by distance.
    served_department_code = Column(String(3), index=True)
    latitude = Column(Float)
    longitude = Column(Float)
    coord_precision = Column(String(60))  # e.g. commune_centre: never an address position
    phone = Column(String(300))
    email = Column(String(200))
    website = Column(String(300))
    opening_hours = Column(Text)
    source = Column(String(200), nullable=False)  # short source key, e.g. annuaire_2019
    source_id = Column(String(100), nullable=False)
    source_label = Column(Text)  # the full citation of the source
    data_date = Column(String(40))  # date of the data as the source states it
    curated = Column(Boolean, nullable=False, default=False)
    updated_at = Column(DateTime, nullable=False)  # when this row was last imported/changed

    network = relationship(NetworkRow)


class StructureCorrection(Base):
    """A correction made by regional staff in the console: it changes the structure
    at once and is applied again by every later import, so that it outlives the
    open data's refresh. Target = the corrected row's identity (source, source_id);
    an added structure has source "console". `changes` holds only corrected fields."""

    __tablename__ = "structure_corrections"
    __table_args__ = (Index("ix_structure_corrections_target", "target_source", "target_source_id"),)

    id = Column(Integer, primary_key=True, autoincrement=True)
    target_source = Column(String(200), nullable=False)
    target_source_id = Column(String(100), nullable=False)
    kind = Column(String(10), nullable=False)  # correct | close | add
    changes = Column(JSON, nullable=False, default=dict)
    author = Column(String(100), nullable=False)  # staff login
    created_at = Column(DateTime, nullable=False)


class RemoteService(Base):
    """A remote service (phone, tchat, web, visio, mail), national or regional."""

    __tablename__ = "remote_services"

    id = Column(Integer, primary_key=True, autoincrement=True)
    slug = Column(String(100), nullable=False, unique=True)
    name = Column(String(300), nullable=False)
    kind = Column(String(10), nullable=False)  # RemoteKind slug
    contact = Column(String(300), nullable=False)
    hours = Column(String(300))
    region_code = Column(String(3), index=True)  # None = national
    network_code = Column(String(40), ForeignKey("networks.code"))  # network it stands for, if any
    needs = Column(JSON, nullable=False, default=list)  # Need slugs it covers; [] = all
    source = Column(Text, nullable=False)  # where the contact details come from
    source_date = Column(String(40), nullable=False)
    curated = Column(Boolean, nullable=False, default=True)


class ReferralRule(Base):
    """One line of the referral matrix: for `need`, network `network_code` at `rank`
    is acceptable when `conditions` hold. region_code None = national default; a
    region's rules for a need replace the national ones for that need."""

    __tablename__ = "referral_rules"
    __table_args__ = (Index("ix_referral_rules_need_region", "need", "region_code"),)

    id = Column(Integer, primary_key=True, autoincrement=True)
    need = Column(String(40), nullable=False)
    region_code = Column(String(3))
    rank = Column(Integer, nullable=False)
    network_code = Column(String(40), ForeignKey("networks.code"), nullable=False)
    conditions = Column(JSON, nullable=False, default=dict)
    reason = Column(Text, nullable=False)  # French: why this network fits


class CommuneIndex(Base):
    """The commune resolver's index, built by the import from the communes table and
    stored (compressed JSON, one row), so that no process rebuilds it from 35,000
    rows at start-up (directory.communes.resolver)."""

    __tablename__ = "commune_index"

    id = Column(Integer, primary_key=True)
    built_at = Column(DateTime, nullable=False)
    communes = Column(Integer, nullable=False)  # rows in the index
    data = Column(LargeBinary, nullable=False)


class ImportRun(Base):
    """One run of `python -m directory import`, with its report (for stats and audit)."""

    __tablename__ = "import_runs"

    id = Column(Integer, primary_key=True, autoincrement=True)
    started_at = Column(DateTime, nullable=False)
    finished_at = Column(DateTime)
    report = Column(JSON, nullable=False, default=dict)
