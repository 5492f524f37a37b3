"""Stored workflow state across releases: an integer version on every dossier and process version, a chain of upgrade
steps, `flask upgrade-state` in batches that survives a crash, and the refusals at start-up. Bad inputs tried: state
from before versions (0), state newer than the code, a step that dies half-way through a batch, another
SpiffWorkflow installed."""
import json
import shutil
import zlib
from importlib import metadata
from pathlib import Path

import pytest
from sqlalchemy import MetaData, create_engine, insert, select, text

from engine.dossiers import starting, stored_state, tasks
from engine.errors import WorkflowFailed
from engine.jobs.dispatchers import inline_units_of_work
from engine.model import DossierStatus, Official, Role
from engine.storage.database import downgrade_schema, make_engine, make_session_factory, upgrade_schema
from engine.storage.tables import DossierRow
from engine.workflow import serializing, state_upgrades
from tests.support.databases import database_at, on_both_databases

PROCESS = "candidate_list_recognition"
FIXTURE = Path(__file__).parents[1] / "fixtures" / "stored_state_1.sqlite"


def approval(number: str) -> dict:
    return {"decision": "approve", "decision_number": number, "decision_date": "2026-11-18", "signer": "Lê Văn Cường",
            "signer_office": "Phó Chủ tịch UBND tỉnh"}


def _v1_to_v2(state: bytes) -> bytes:
    """The test-only change of stored shape: the workflow's task table is stored under another key."""
    dct = json.loads(zlib.decompress(state))
    dct["task_table"] = dct.pop("tasks")
    return zlib.compress(json.dumps(dct).encode())


def become_version_2(monkeypatch) -> None:
    """The code as it would be after a release that changes the stored shape (version 2): it reads and writes only
    the new shape, and brings version 1 up with its step. The version-1 reader is gone, as it would be."""
    read, write = serializing.decode, serializing.encode

    def decode(state: bytes) -> dict:
        dct = read(state)
        dct["tasks"] = dct.pop("task_table")  # a KeyError on version-1 state: it must be upgraded first
        return dct

    def encode(dct: dict) -> bytes:
        return write({**{k: v for k, v in dct.items() if k != "tasks"}, "task_table": dct["tasks"]})

    monkeypatch.setattr(serializing, "STATE_VERSION", 2)
    monkeypatch.setattr(serializing, "decode", decode)
    monkeypatch.setattr(serializing, "encode", encode)
    monkeypatch.setattr(serializing, "process_specs", lambda stored: (stored["own"], stored["called"]))
    monkeypatch.setitem(state_upgrades.STEPS, 1, state_upgrades.UpgradeStep(
        "task table renamed; a spec's parts renamed", _v1_to_v2,
        lambda spec: {"own": spec["spec"], "called": spec["subprocess_specs"]}))


def dossiers_at_every_step(new_uow, officials, count: int) -> list[int]:
    """`count` dossiers, in turn at the branch, at the commune, at the province, and recognised."""
    made = []
    for i in range(count):
        dossier = starting.start_dossier(PROCESS, officials.branch, {"year": 2026, "title": "family", "name": f"Tổ {i}"}, new_uow())
        made.append(dossier.id)
        task = dossier.open_tasks[0]
        for who, values in [(officials.branch, {"candidates": [{"name": f"Hộ {i}", "score": 90}]}),
                            (officials.commune, {"decision": "approve"}),
                            (officials.province, approval(f"{i}/QĐ"))][:i % 4]:
            done = tasks.complete_task(task.id, who, values, new_uow())
            task = done.next_tasks[0] if done.next_tasks else None
    return made


def walk_to_the_end(new_uow, officials_by_role: dict[str, Official], dossier_ids) -> None:
    """Complete every open task of these dossiers, as its unit would, until none is open."""
    for dossier_id in dossier_ids:
        for _ in range(5):
            open_tasks = _open_tasks(new_uow, dossier_id)
            if not open_tasks:
                break
            task_id, role, unit_code = open_tasks[0]
            values = {"branch": {"candidates": [{"name": f"Gia đình {dossier_id}", "score": 90}]},
                      "commune": {"decision": "approve"}, "province": approval(f"{dossier_id}/QĐ")}[role]
            tasks.complete_task(task_id, officials_by_role[(role, unit_code)], values, new_uow())


def _open_tasks(new_uow, dossier_id) -> list[tuple[str, str, str]]:
    with new_uow() as uow:
        return [(task.id, task.role, task.unit_code) for task in uow.tasks.open_for_dossier(dossier_id)]


def statuses(new_uow, dossier_ids) -> set[str]:
    with new_uow() as uow:
        return set(uow.session.scalars(select(DossierRow.status).where(DossierRow.id.in_(dossier_ids))))


def state_versions(new_uow) -> dict[int, int]:
    with new_uow() as uow:
        return dict(uow.session.execute(text(
            "SELECT state_version, count(*) FROM dossiers GROUP BY state_version")).all())


class Killed(BaseException):
    """What a kill -9 half-way through a batch leaves: the batch's transaction never commits."""


@on_both_databases
def test_an_upgrade_killed_after_three_batches_resumes_and_every_dossier_then_runs(new_uow, officials, monkeypatch):
    made = dossiers_at_every_step(new_uow, officials, 100)
    become_version_2(monkeypatch)
    assert state_versions(new_uow) == {1: 100}
    with pytest.raises(WorkflowFailed, match="upgrade-state"):
        walk_to_the_end(new_uow, by_role(officials), made[:1])

    step, upgraded = state_upgrades.STEPS[1], []

    def dies_in_the_fourth_batch(state: bytes) -> bytes:
        if len(upgraded) == 30:
            raise Killed
        upgraded.append(1)
        return step.dossier_state(state)

    monkeypatch.setitem(state_upgrades.STEPS, 1, state_upgrades.UpgradeStep(step.what, dies_in_the_fourth_batch,
                                                                             step.process_spec))
    with pytest.raises(Killed):
        stored_state.upgrade_state(new_uow, batch=10)
    assert state_versions(new_uow) == {2: 30, 1: 70}

    monkeypatch.setitem(state_upgrades.STEPS, 1, step)
    summary = stored_state.upgrade_state(new_uow, batch=10)
    assert (summary.upgraded, summary.failed) == (70, {})
    assert summary.current == 30 + process_versions(new_uow)  # the specs were upgraded before the kill
    assert state_versions(new_uow) == {2: 100}
    with new_uow() as uow:  # the finished ones too are in the new shape
        assert all("tasks" in serializing.decode(row.state) for row in uow.session.scalars(select(DossierRow)))
    walk_to_the_end(new_uow, by_role(officials), made)
    assert statuses(new_uow, made) == {DossierStatus.RECOGNISED}


def process_versions(new_uow) -> int:
    with new_uow() as uow:
        return len(uow.processes.every_version())


def by_role(officials) -> dict[tuple[str, str], Official]:
    return {(o.role, o.unit_code): o for o in (officials.branch, officials.commune, officials.province)}


def test_a_dry_run_keeps_nothing_and_state_from_before_versions_is_reported(new_uow, officials, monkeypatch):
    made = dossiers_at_every_step(new_uow, officials, 4)
    with new_uow() as uow:
        uow.session.execute(text(f"UPDATE dossiers SET state_version = 0 WHERE id = {made[1]}"))
        uow.commit()
    become_version_2(monkeypatch)
    trial = stored_state.upgrade_state(new_uow, dry_run=True)
    assert (trial.upgraded, trial.failed) == (3 + process_versions(new_uow), {
        f"hồ sơ {made[1]}": "không có bước nâng cấp từ phiên bản 0 (dữ liệu ghi trước khi có số phiên bản)"})
    assert state_versions(new_uow) == {0: 1, 1: 3}
    done = stored_state.upgrade_state(new_uow)
    assert (done.upgraded, list(done.failed)) == (trial.upgraded, list(trial.failed))
    assert state_versions(new_uow) == {0: 1, 2: 3}


def test_the_app_refuses_newer_state_and_names_the_command_for_older(database_url, new_uow, officials, caplog):
    from web import create_app
    dossiers_at_every_step(new_uow, officials, 1)
    for version, refused in ((2, True), (0, False)):
        with new_uow() as uow:
            uow.session.execute(text(f"UPDATE dossiers SET state_version = {version}"))
            uow.commit()
        if refused:
            with pytest.raises(RuntimeError, match="phiên bản 2, mới hơn phần mềm này"):
                create_app({"DATABASE_URL": database_url, "TESTING": True})
        else:
            create_app({"DATABASE_URL": database_url, "TESTING": True})
            assert "flask --app web upgrade-state" in caplog.text


def test_another_spiffworkflow_is_refused_at_start(database_url, monkeypatch):
    from web import create_app
    real = metadata.version
    monkeypatch.setattr(metadata, "version", lambda name: "3.1.1" if name == "spiffworkflow" else real(name))
    with pytest.raises(RuntimeError, match="SpiffWorkflow 3.1.1 is installed.*spiffworkflow==3.2.0"):
        create_app({"DATABASE_URL": database_url, "TESTING": True})


def copy_fixture(database_url: str, tmp_path) -> str:
    """The database the release before wrote (tests/fixtures), on this kind of database, schema as it left it."""
    if database_url.startswith("sqlite"):
        path = tmp_path / "release_before.sqlite"
        shutil.copy(FIXTURE, path)
        return f"sqlite:///{path}"
    _, target = database_at(database_url, tmp_path, "0010")
    source, tables = create_engine(f"sqlite:///{FIXTURE}"), MetaData()
    tables.reflect(target)
    with source.connect() as read, target.begin() as write:
        for table in tables.sorted_tables:
            if table.name != "alembic_version":
                rows = [dict(row._mapping) for row in read.execute(select(table))]
                if rows:
                    write.execute(insert(table), rows)
        for table in ("process_versions", "dossiers", "audit_log", "decision_tables", "recognition_decisions",
                      "titles", "reporting_periods"):
            write.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                               f"(SELECT coalesce(max(id), 1) FROM {table}))"))
    return database_url


@on_both_databases
def test_a_database_of_the_release_before_is_upgraded_and_walked_to_the_end(database_url, tmp_path, clock):
    from web import create_app
    url = copy_fixture(database_url, tmp_path)
    upgrade_schema(make_engine(url))
    app = create_app({"DATABASE_URL": url, "TESTING": True, "CLOCK": clock, "SECRET_KEY": "x"})
    result = app.test_cli_runner().invoke(args=["upgrade-state", "--batch-size", "10"])
    assert result.exit_code == 0, result.output
    assert "nâng cấp 0, đã ở phiên bản 1 51, lỗi 0." in result.output  # 41 dossiers and 10 specs, already version 1
    factory = make_session_factory(make_engine(url))
    new_uow = inline_units_of_work(factory, clock)
    with new_uow() as uow:
        recognitions = list(uow.session.scalars(select(DossierRow.id).where(DossierRow.title != "annual_models")))
    assert len(recognitions) == 6  # at the branch, the commune (2), the province, returned, recognised
    walk_to_the_end(new_uow, DEMO_OFFICIALS, recognitions)
    assert statuses(new_uow, recognitions) == {DossierStatus.RECOGNISED}


# The demo's accounts in the fixture, by what their tasks say (role, unit).
DEMO_OFFICIALS = {(role, unit): Official(name, role, unit) for name, role, unit in (
    ("chihoi1", Role.BRANCH, "00070-01"), ("chihoi5", Role.BRANCH, "00073-01"), ("xa-hoankiem", Role.COMMUNE, "00070"),
    ("xa-cuanam", Role.COMMUNE, "00073"), ("tinh-hanoi", Role.PROVINCE, "01"))}


@on_both_databases
def test_the_serializer_s_name_becomes_a_state_version_and_comes_back_on_downgrade(database_url, tmp_path):
    url = copy_fixture(database_url, tmp_path)
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE dossiers SET serializer_version = 'spiff-3.1.1/1.4' WHERE id = 2"))
    upgrade_schema(engine)
    with engine.connect() as connection:
        assert dict(connection.execute(text("SELECT state_version, count(*) FROM dossiers GROUP BY 1")).all()) == {
            0: 1, 1: 40}
        assert connection.execute(text("SELECT DISTINCT state_version FROM process_versions")).scalars().all() == [1]
    downgrade_schema(engine, "0010")
    with engine.connect() as connection:
        assert dict(connection.execute(text("SELECT serializer_version, count(*) FROM dossiers GROUP BY 1")).all()) == {
            "": 1, "spiff-3.2.0/1.5/compact-1": 40}
