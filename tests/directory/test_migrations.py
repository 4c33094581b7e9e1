"""The schema's migrations, run on real SQLite files: a directory built by an
older revision is brought to the current one without losing a row, and back."""
from __future__ import annotations

from sqlalchemy import inspect, text

from directory.db import make_engine
from directory.migrations import downgrade, upgrade
from directory.models import Base


def columns(engine, table: str) -> set[str]:
    return {column["name"] for column in inspect(engine).get_columns(table)}


def test_the_latest_schema_is_the_models_schema(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'directory.sqlite'}")
    upgrade(engine)
    for table in Base.metadata.sorted_tables:
        assert columns(engine, table.name) == {column.name for column in table.columns}, table.name
    engine.dispose()


def test_an_older_directory_keeps_its_rows_through_the_served_department_revision(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'directory.sqlite'}")
    upgrade(engine, "0002")
    assert "served_department_code" not in columns(engine, "structures")
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO networks (code, label, serves) VALUES ('cio', 'CIO', '')"))
        connection.execute(text(
            "INSERT INTO structures (network_code, name, source, source_id, curated, updated_at) "
            "VALUES ('cio', 'CIO d''essai', 'essai', 'e-1', 0, '2026-12-07 00:00:00')"))
    upgrade(engine)
    assert "served_department_code" in columns(engine, "structures")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT name, served_department_code FROM structures")).all() == [
            ("CIO d'essai", None)]
    downgrade(engine, "0002")
    assert "served_department_code" not in columns(engine, "structures")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM structures")).scalar() == 1
    engine.dispose()
