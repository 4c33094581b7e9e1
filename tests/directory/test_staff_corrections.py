"""Corrections by regional staff on a throw-away directory built by the real import
(shared communes, two invented structures): they change the next referral at once,
outlive a re-import, and a CSV dry run changes nothing."""
from __future__ import annotations

import shutil

import pytest
from sqlalchemy import select

from directory import corrections
from directory.communes.info import CommuneInfo
from directory.db import make_engine, make_session_factory
from directory.importing import run_import
from directory.migrations import upgrade
from directory.models import Commune, Structure, StructureCorrection
from directory.referral import refer

HEADER = ("source_id,network,name,address,postcode,commune,insee_code,latitude,longitude,phone,email,"
          "website,department_code,coord_precision,data_date,source")
ROWS = [
    "t-1,cio,CIO de test Chartres,1 rue Imaginaire,28000,Chartres,28085,48.44,1.49,,,,28,commune_centre,2019,test",
    "t-2,cio,CIO de test Dreux,2 rue Imaginaire,28100,Dreux,28134,48.73,1.37,,,,28,commune_centre,2019,test",
]


@pytest.fixture()
def directory(tmp_path, shared_data_dir):
    data = tmp_path / "data"
    (data / "partners").mkdir(parents=True)
    shutil.copy(shared_data_dir / "communes.csv", data / "communes.csv")
    (data / "partners" / "test.csv").write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    engine = make_engine(f"sqlite:///{tmp_path / 'directory.sqlite'}")
    upgrade(engine)
    factory = make_session_factory(engine)
    run_import(factory, data, curated_dir=tmp_path / "no-curated")
    yield factory, data, tmp_path
    engine.dispose()


def structure(session, source_id):
    return session.scalar(select(Structure).where(Structure.source_id == source_id))


def fields_of(row: Structure, **changes) -> dict:
    return {**{name: getattr(row, name) for name in corrections.EDITABLE}, **changes}


def cio_near_chartres(session):
    chartres = CommuneInfo.from_row(session.get(Commune, "28085"))
    return refer(session, need="orientation_scolaire", public="lyceen", commune=chartres).structures[0]


def test_a_correction_reaches_the_next_referral_at_once(directory):
    factory, _, _ = directory
    with factory() as session:
        assert cio_near_chartres(session).name == "CIO de test Chartres"  # catalog loaded
    with factory.begin() as session:
        row = structure(session, "t-1")
        changed = corrections.correct(session, row, fields_of(row, name="CIO de Chartres (nouveau nom)",
                                                            phone="02 37 00 00 00"), "alex.admin")
        assert set(changed) == {"name", "phone"}
    with factory() as session:
        offered = cio_near_chartres(session)
        assert offered.name == "CIO de Chartres (nouveau nom)" and offered.phone == "02 37 00 00 00"
        [entry] = session.scalars(select(StructureCorrection)).all()
        assert (entry.author, entry.kind, entry.target_source_id) == ("alex.admin", "correct", "t-1")


def test_corrections_outlive_a_reimport(directory):
    factory, data, tmp_path = directory
    with factory.begin() as session:
        row = structure(session, "t-1")
        corrections.correct(session, row, fields_of(row, name="CIO corrigé"), "alex.admin")
        corrections.close(session, structure(session, "t-2"), "alex.admin")
        added = corrections.add(session, {"name": "Antenne ajoutée", "network_code": "cap_emploi",
                                          "insee_code": "28218", "phone": "0237000001"}, "alex.admin")
        added_id = added.source_id
    report = run_import(factory, data, curated_dir=tmp_path / "no-curated")
    assert any("console" in note for note in report.notes_fr)
    with factory() as session:
        assert structure(session, "t-1").name == "CIO corrigé"
        assert structure(session, "t-2") is None
        again = structure(session, added_id)
        assert again.network_code == "cap_emploi" and again.latitude is not None
        assert again.source_label == "Ajoutée dans la console par alex.admin"


@pytest.mark.parametrize("changes, field", [
    ({"name": ""}, "name"), ({"network_code": "nope"}, "network_code"), ({"postcode": "28 000"}, "postcode"),
    ({"insee_code": "99999"}, "insee_code"), ({"email": "pas-une-adresse"}, "email"),
    ({"website": "javascript:alert(1)"}, "website"),
])
def test_a_wrong_field_is_refused_in_french_and_nothing_changes(directory, changes, field):
    factory, _, _ = directory
    with factory.begin() as session:
        row = structure(session, "t-1")
        with pytest.raises(corrections.CorrectionError) as refused:
            corrections.correct(session, row, fields_of(row, **changes), "alex.admin")
        assert set(refused.value.problems) == {field}
    with factory() as session:
        assert session.scalars(select(StructureCorrection)).all() == []


def dump(factory):
    with factory() as session:
        return [tuple(getattr(row, c.name) for c in Structure.__table__.columns)
                for row in session.scalars(select(Structure).order_by(Structure.id))]


def upload(tmp_path, *rows):
    path = tmp_path / "envoi.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def test_csv_dry_run_changes_nothing_then_the_import_does(directory, tmp_path):
    factory, _, _ = directory
    upload_file = upload(
        tmp_path,
        "t-1,cio,CIO de Chartres (nouvelle adresse),5 place Imaginaire,28000,Chartres,28085,,,,,,28,,2026,région",
        "r-9,cidff,CIDFF ajouté,,28000,Chartres,28085,,,,,,28,,2026,région")
    before = dump(factory)
    with factory.begin() as session:
        report = corrections.import_csv(session, upload_file, "alex.admin", dry_run=True)
    assert (report.added, report.updated, report.rejected) == (["CIDFF ajouté"], ["CIO de Chartres (nouvelle adresse)"], [])
    assert dump(factory) == before
    with factory.begin() as session:
        corrections.import_csv(session, upload_file, "alex.admin", dry_run=False)
    with factory() as session:
        assert structure(session, "t-1").address == "5 place Imaginaire"
        assert structure(session, "console-r-9").network_code == "cidff"


def test_one_bad_csv_row_and_nothing_is_imported(directory, tmp_path):
    factory, _, _ = directory
    upload_file = upload(tmp_path, "r-1,cidff,CIDFF correct,,28000,Chartres,28085,,,,,,28,,2026,région",
                         "r-2,inconnu,Réseau faux,,28000,Chartres,28085,,,,,,28,,2026,région")
    before = dump(factory)
    with factory.begin() as session:
        report = corrections.import_csv(session, upload_file, "alex.admin", dry_run=False)
    assert [line for line, _ in report.rejected] == [3] and "réseau" in report.rejected[0][1]
    assert dump(factory) == before


def test_a_long_running_process_reads_a_new_commune_index_without_restart(directory, monkeypatch):
    """The action server's resolver (its own session factory) sees a re-import made
    by another process (another factory on the same file)."""
    from directory.communes import resolver as resolver_module

    factory, data, tmp_path = directory
    server = make_session_factory(factory.kw["bind"])  # the long-running process
    assert resolver_module.load_resolver(server).resolve("Essai-sur-Loir").status == "not_found"
    with open(data / "communes.csv", "a", encoding="utf-8") as communes:
        communes.write("28999,Essai-sur-Loir,28999,28,24,Centre-Val de Loire,48.5,1.5,Eure-et-Loir,commune,120,essai\n")
    run_import(factory, data, curated_dir=tmp_path / "no-curated")
    # Within the recheck delay the cached index is kept; after it, the new one is read.
    assert resolver_module.load_resolver(server).resolve("Essai-sur-Loir").status == "not_found"
    monkeypatch.setattr(resolver_module, "RECHECK_SECONDS", 0.0)
    assert resolver_module.load_resolver(server).resolve("Essai-sur-Loir").status == "found"
