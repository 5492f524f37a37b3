"""The schema's migration track: an existing database upgrades with its rows kept and filled in."""
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, text

from engine.db import MIGRATIONS, make_engine, upgrade_schema


def alembic_to(engine, revision):
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


ROWS = [
    "INSERT INTO units (code, name, level) VALUES ('VN', 'Bộ', 'ministry')",
    "INSERT INTO units (code, name, level, parent_code, province_code) VALUES ('01', 'Hà Nội', 'province', 'VN', '01')",
    "INSERT INTO units (code, name, level, parent_code, province_code) VALUES ('00070', 'Hoàn Kiếm', 'commune', '01', '01')",
    "INSERT INTO units (code, name, level, parent_code, province_code) VALUES ('00070-01', 'Tổ 1', 'branch', '00070', '01')",
    "INSERT INTO process_versions (id, process_id, name, version, content_hash, title, starter_role, diagram_file, "
    "files, spec, deployed_at, deployed_by) VALUES (1, 'p', 'p', 1, 'h', 'family', 'branch', 'p.bpmn', '{}', '{}', "
    "'2026-11-20 00:00:00+00', 'x')",
    "INSERT INTO dossiers (id, process_version_id, title, status, year, branch_code, commune_code, province_code, "
    "data, state, serializer_version, revision, created_by, created_at, updated_at) VALUES (1, 1, 'family', "
    "'recognised', 2026, '00070-01', '00070', '01', '{}', '', 'v', 1, 'x', '2026-11-20 00:00:00+00', "
    "'2026-11-20 00:00:00+00')",
    "INSERT INTO titles (id, title, subject_name, score, year, branch_code, commune_code, province_code, dossier_id, "
    "decision_number, decision_date, signer, valid_until, recorded_at) VALUES (1, 'family', '  NGUYỄN  Văn An ', 86, "
    "2026, '00070-01', '00070', '01', 1, '1/QĐ', '2026-11-18', 'Lê Văn C, Chủ tịch UBND tỉnh', '2027-12-31', "
    "'2026-11-18 00:00:00+00')",
]


def test_titles_recorded_before_0003_get_their_identity_and_decision(database_url, tmp_path):
    # A database of its own, stopped at revision 0002 with a title in it.
    url = f"sqlite:///{tmp_path / 'old.sqlite'}" if database_url.startswith("sqlite") else database_url
    engine = make_engine(url)
    if not url.startswith("sqlite"):
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    alembic_to(engine, "0002")
    with engine.begin() as connection:
        for statement in ROWS:
            connection.execute(text(statement))
    upgrade_schema(engine)
    with create_engine(url).connect() as connection:
        row = connection.execute(text("SELECT subject_key, deciding_unit, level FROM titles")).one()
        decision = connection.execute(text(
            "SELECT d.deciding_unit, d.number, d.year, d.signer_name, d.signer_office, d.title FROM titles t "
            "JOIN recognition_decisions d ON d.id = t.decision_id")).one()
        kinds = connection.execute(text("SELECT code, kind FROM units ORDER BY code")).all()
    assert tuple(row) == ("00070-01:nguyễn văn an", "01", None)
    # 0005: each title's decision becomes a record of its own; branches so far are villages' chi hội.
    assert tuple(decision) == ("01", "1/QĐ", 2026, "Lê Văn C", "Chủ tịch UBND tỉnh", "family")
    assert [tuple(k) for k in kinds] == [("00070", None), ("00070-01", "village"), ("01", None), ("VN", None)]
    engine.dispose()
