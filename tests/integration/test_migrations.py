"""The schema's migration track: an existing database upgrades with its rows kept and filled in."""
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from engine.storage.database import downgrade_schema, make_engine, upgrade_schema
from engine.storage.tables import Base
from tests.support.databases import database_at, on_both_databases


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


def old_database(database_url, tmp_path, revision):
    """A database of its own, stopped at revision 0002 with a title in it, then brought to `revision`."""
    url, engine = database_at(database_url, tmp_path, "0002", ROWS)
    upgrade_schema(engine, revision)
    return url, engine


@on_both_databases  # each migration's SQL, up and down, on both
def test_titles_recorded_before_0003_get_their_identity_and_decision(database_url, tmp_path):
    url, engine = old_database(database_url, tmp_path, "0002")
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


@on_both_databases
def test_annual_figures_accepted_before_0008_become_values_and_come_back_on_downgrade(database_url, tmp_path):
    url, engine = old_database(database_url, tmp_path, "0007")
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO reporting_periods (id, kind, year, province_deadline, recipient, opened_by, opened_at) "
            "VALUES (1, 'annual_models', 2026, '2026-12-15 10:00:00+00', 'Bộ', 'bo', '2026-11-20 00:00:00+00')"))
        connection.execute(text(
            "INSERT INTO report_figures (period_id, province_code, commune_code, model, registered, recognised, total, "
            "dossier_id, accepted_at) VALUES (1, '01', '00070', 'family', 150, 120, 200, 1, "
            "'2026-12-01 00:00:00+00'), (1, '01', '00070', 'clan', 3, 2, 4, 1, '2026-12-01 00:00:00+00')"))
    upgrade_schema(engine)
    query = "SELECT unit_code, indicator, value FROM report_values ORDER BY indicator"
    with create_engine(url).connect() as connection:
        values = [tuple(row) for row in connection.execute(text(query))]
    assert values == [("00070", "recognised_clan", 2), ("00070", "recognised_family", 120),
                      ("00070", "registered_clan", 3), ("00070", "registered_family", 150),
                      ("00070", "total_clan", 4), ("00070", "total_family", 200)]
    downgrade_schema(engine, "0007")
    with create_engine(url).connect() as connection:
        figures = connection.execute(text("SELECT model, registered, recognised, total FROM report_figures "
                                          "ORDER BY model")).all()
    assert [tuple(row) for row in figures] == [("clan", 3, 2, 4), ("family", 150, 120, 200)]
    engine.dispose()


@pytest.mark.postgres  # SQLite does not keep the types compared (a VARCHAR's length, FLOAT or DOUBLE)
def test_the_models_make_the_tables_the_migrations_make(database_url):
    """The in-memory test database is made from the models, not by the migrations: they must agree."""
    engine = make_engine(database_url)
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
    engine.dispose()


AT_0017 = [
    *ROWS[:4],
    "INSERT INTO process_versions (id, process_id, name, version, content_hash, title, starter_role, diagram_file, "
    "decisions, properties, files, spec, state_version, deployed_at, deployed_by) VALUES (1, 'p', 'p', 1, 'h', "
    "'family', 'branch', 'p.bpmn', '[]', '{}', '{}', '{}', 1, '2026-11-20 00:00:00+00', 'x')",
    *(f"INSERT INTO dossiers (id, process_version_id, title, status, year, branch_code, commune_code, province_code, "
      f"data, decision_tables, state, state_version, trail, revision, created_by, created_at, updated_at) VALUES "
      f"({n}, 1, 'family', 'in_progress', 2026, '00070-01', '00070', '01', '{{}}', '{{}}', '', 1, '[]', 1, 'x', "
      f"'2026-11-20 00:00:00+00', '2026-11-20 00:00:00+00')" for n in (1, 2)),
    # Dossier 1, all at one moment (a clock standing still): sent, returned by the commune, open at the branch again.
    *(f"INSERT INTO human_tasks (id, dossier_id, bpmn_id, name, lane, role, unit_code, status, created_at) VALUES "
      f"('{task}', {dossier}, '{step}', '{step}', 'l', '{role}', '{unit}', '{status}', '{at}')"
      for task, dossier, step, role, unit, status, at in (
          ("t1", 1, "prepare", "branch", "00070-01", "completed", "2026-11-21 10:00:00+00"),
          ("t2", 1, "verify", "commune", "00070", "completed", "2026-11-21 10:00:00+00"),
          ("t3", 1, "revise", "branch", "00070-01", "open", "2026-11-21 10:00:00+00"),
          ("t4", 2, "prepare", "branch", "00070-01", "completed", "2026-11-21 09:00:00+00"),
          ("t5", 2, "verify", "commune", "00070", "open", "2026-11-21 11:00:00+00"))),
    *(f"INSERT INTO audit_log (id, dossier_id, at, username, role, unit_code, action, task_id, payload, "
      f"previous_hash, row_hash) VALUES ({n}, {dossier}, '{at}', 'x', 'branch', '00070', 'complete', '{task}', "
      f"'{payload}', 'p{n}', 'h{n}')" for n, dossier, task, at, payload in (
          (1, 1, "t1", "2026-11-21 10:00:00+00", '{"candidates": []}'),
          (2, 1, "t2", "2026-11-21 10:00:00+00", '{"decision": "return", "comment": "Thiếu biên bản"}'),
          (3, 2, "t4", "2026-11-21 11:00:00+00", '{"candidates": []}'))),
]


@on_both_databases
def test_open_tasks_a_return_opened_before_0018_get_its_reason_and_lose_it_on_downgrade(database_url, tmp_path):
    url, engine = database_at(database_url, tmp_path, "0017", AT_0017)
    upgrade_schema(engine, "0018")
    with create_engine(url).connect() as connection:
        reasons = connection.execute(text("SELECT id, return_reason FROM human_tasks ORDER BY id")).all()
    assert [tuple(row) for row in reasons] == [("t1", None), ("t2", None), ("t3", "Thiếu biên bản"), ("t4", None),
                                               ("t5", None)]
    downgrade_schema(engine, "0017")
    with create_engine(url).connect() as connection:
        assert "saved_filters" not in inspect(connection).get_table_names()
        assert "return_reason" not in {c["name"] for c in inspect(connection).get_columns("human_tasks")}
    engine.dispose()


@on_both_databases
def test_tasks_stored_before_0020_get_their_dossiers_values_and_lose_them_on_downgrade(database_url, tmp_path):
    named = ["UPDATE dossiers SET name = 'Tổ 1', search_text = 'to 1 | nguyen van an', year = 2025 WHERE id = 1",
             "UPDATE dossiers SET title = 'clan', branch_code = '00070', commune_code = '00070' WHERE id = 2"]
    url, engine = database_at(database_url, tmp_path, "0019", [*AT_0017, *named])
    upgrade_schema(engine, "0020")
    with create_engine(url).connect() as connection:
        copies = connection.execute(text("SELECT id, dossier_title, dossier_year, branch_code, commune_code, "
                                         "dossier_name, search_text FROM human_tasks ORDER BY id")).all()
    first = ("family", 2025, "00070-01", "00070", "Tổ 1", "to 1 | nguyen van an")
    second = ("clan", 2026, "00070", "00070", None, None)
    assert [tuple(row) for row in copies] == [("t1", *first), ("t2", *first), ("t3", *first), ("t4", *second),
                                              ("t5", *second)]
    downgrade_schema(engine, "0019")
    with create_engine(url).connect() as connection:
        assert not {"dossier_title", "dossier_name", "search_text"} & {
            c["name"] for c in inspect(connection).get_columns("human_tasks")}
    engine.dispose()
