"""Import behaviour on throw-away databases: rejection report, all-or-nothing,
idempotent re-import. The shared communes file is reused; partner files are small
fixtures (invented structures)."""
from __future__ import annotations

import shutil

import pytest
from sqlalchemy import func, select

from directory.db import make_engine, make_session_factory
from directory.importing import RULES_DIR, ImportDataError, run_import
from directory.migrations import upgrade
from directory.models import ReferralRule, RemoteService, Structure

HEADER = ("source_id,network,name,address,postcode,commune,insee_code,latitude,longitude,phone,email,"
          "website,department_code,coord_precision,data_date,source")
GOOD = [
    "t-1,cio,CIO de test Chartres,1 rue Imaginaire,28000,Chartres,28085,48.44,1.49,,,,28,commune_centre,2019,test",
    "t-2,mission_locale,Mission locale de test,,35000,Rennes,35238,48.11,-1.68,,,,35,commune_centre,2019,test",
]
BROKEN = [
    "t-3,cio,CIO sans position,,,,,,,,,,28,,2019,test",                                  # line 4
    "t-4,agence_inconnue,Structure inconnue,,28000,Chartres,28085,48.44,1.49,,,,28,,2019,test",  # line 5
    "t-5,cio,CIO code postal faux,,28A00,Chartres,28085,48.44,1.49,,,,28,,2019,test",     # line 6
    "t-1,cio,CIO en double,,28000,Chartres,28085,48.44,1.49,,,,28,,2019,test",            # line 7
]


@pytest.fixture()
def data_dir(tmp_path, shared_data_dir):
    folder = tmp_path / "data"
    (folder / "partners").mkdir(parents=True)
    shutil.copy(shared_data_dir / "communes.csv", folder / "communes.csv")
    (folder / "partners" / "test_partners.csv").write_text("\n".join([HEADER] + GOOD + BROKEN) + "\n", encoding="utf-8")
    return folder


@pytest.fixture()
def factory(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'directory.sqlite'}")
    upgrade(engine)
    yield make_session_factory(engine)
    engine.dispose()


def _count(factory, model) -> int:
    with factory() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_broken_rows_are_reported_with_line_and_french_reason(factory, data_dir):
    report = run_import(factory, data_dir)
    mine = {r.line: r.reason_fr for r in report.rejected if r.file.endswith("test_partners.csv")}
    assert set(mine) == {4, 5, 6, 7}
    assert "coordonnées manquantes" in mine[4]
    assert "réseau inconnu" in mine[5]
    assert "code postal invalide" in mine[6]
    assert "doublon" in mine[7]
    assert _count(factory, Structure) == len(GOOD)
    assert "ligne 4" in report.to_text()


def test_reimport_is_idempotent(factory, data_dir):
    run_import(factory, data_dir)
    counts = {model: _count(factory, model) for model in (Structure, RemoteService, ReferralRule)}
    second = run_import(factory, data_dir)
    assert second.imported == 0 and second.updated == 0 and second.deleted == 0
    assert second.unchanged > 0
    assert {model: _count(factory, model) for model in counts} == counts


def test_failing_import_leaves_previous_directory_intact(factory, data_dir, tmp_path):
    run_import(factory, data_dir)
    before = {model: _count(factory, model) for model in (Structure, RemoteService, ReferralRule)}
    bad_rules = tmp_path / "rules"
    shutil.copytree(RULES_DIR, bad_rules)
    (bad_rules / "matrix.yml").write_text("needs: [this is: not valid\n", encoding="utf-8")
    (data_dir / "partners" / "more.csv").write_text(HEADER + "\n" + GOOD[0].replace("t-1", "t-9") + "\n",
                                                    encoding="utf-8")
    with pytest.raises(ImportDataError):
        run_import(factory, data_dir, rules_dir=bad_rules)
    assert {model: _count(factory, model) for model in before} == before


def test_malformed_curated_remote_file_fails_cleanly(factory, data_dir, tmp_path):
    curated = tmp_path / "curated"
    curated.mkdir()
    (curated / "remote_services.yml").write_text("- slug: x\n  name: [unclosed\n", encoding="utf-8")
    with pytest.raises(ImportDataError, match="remote_services.yml"):
        run_import(factory, data_dir, curated_dir=curated)
