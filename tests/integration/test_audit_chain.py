"""The tamper-evident audit: each dossier's history is a hash chain that survives both databases' round trip, the
daily anchors are idempotent, archiving moves rows but cannot drop one, completions of two dossiers do not wait on
each other for the audit, and a citizen's personal data stays out of the audit."""
import threading
import unicodedata
from datetime import date, timedelta

import pytest
from sqlalchemy import select, text

from engine.auditing import anchors, archiving, chain, verifying
from engine.dossiers import starting, step_runner, tasks, viewing
from engine.dossiers.attachments import Upload
from engine.errors import InvalidInput
from engine.jobs.dispatchers import inline_units_of_work
from engine.storage.database import downgrade_schema, make_engine, make_session_factory, upgrade_schema
from engine.storage.tables import AuditAnchorRow, AuditArchiveRow, AuditRow
from engine.storage.unit_of_work import UnitOfWork
from tests.support.builders import only_task, to_commune
from tests.support.databases import database_at, on_both_databases, write_past_triggers

# What JSON and the databases could each give back differently: floats, a float that is whole, an integer past a
# double's precision, Vietnamese text composed and decomposed, nesting, null, and a key that is not a string.
AWKWARD = {"score": 86.5, "tiny": 1e-7, "whole": 1.0, "big": 2 ** 53 + 1, "nfc": "Nguyễn Thị Ánh",
           "nfd": unicodedata.normalize("NFD", "Nguyễn Thị Ánh"), "nested": {"b": [1, {"a": None}], "a": True},
           3: "khoá số"}


def day_of(new_uow) -> date:
    with new_uow() as uow:
        return uow.clock.now().astimezone(anchors.VIETNAM).date()


@on_both_databases
def test_a_row_hashed_before_the_insert_verifies_after_reading_it_back(new_uow, officials, clock):
    dossier_id, _ = to_commune(new_uow, officials)
    clock.advance(microseconds=123457)
    with new_uow() as uow:
        step_runner.record(uow, officials.commune, uow.dossiers.get(dossier_id), "note", AWKWARD)
        uow.commit()
    with new_uow() as uow:
        rows = uow.audit.for_dossier(dossier_id)
        assert [row.previous_hash for row in rows] == [chain.GENESIS] + [row.row_hash for row in rows[:-1]]
        assert all(chain.row_hash(row, row.previous_hash) == row.row_hash for row in rows)
        assert rows[-1].payload["3"] == "khoá số" and rows[-1].at.microsecond == 123457
    assert verifying.verify_audit(new_uow) == verifying.Verification(rows=len(rows), anchors=0, broken=None)


@on_both_databases
def test_anchors_archive_and_verify_on_a_clean_audit(new_uow, officials, clock):
    first, verify = to_commune(new_uow, officials)
    tasks.complete_task(verify.id, officials.commune, {"decision": "approve"}, new_uow())
    clock.advance(days=1)
    second, _ = to_commune(new_uow, officials)
    clock.advance(days=1)
    made = anchors.anchor_past_days(new_uow)
    # 34 provinces and the ministry, each day; the first day names the first dossier's head, the second the second's.
    assert [(a.anchors, a.heads) for a in made] == [(35, 1), (35, 1)]
    assert anchors.anchor_past_days(new_uow) == []
    assert anchors.anchor_audit(made[0].day, new_uow()) == anchors.Anchored(made[0].day, 0, 0)
    assert archiving.archive_audit(made[1].day, new_uow) == 3
    with new_uow() as uow:
        assert [row.action for row in uow.audit.for_dossier(first)] == ["start", "complete", "complete"]
        assert uow.session.scalar(select(AuditArchiveRow.id).limit(1)) is not None
    result = verifying.verify_audit(new_uow, batch=1)
    assert (result.rows, result.anchors, result.broken) == (5, 70, None)
    assert verifying.verify_audit(new_uow, "01", since=made[1].day).rows == 2
    # A row written after the archive run chains onto the archived rows: the first dossier's own rows all left.
    with new_uow() as uow:
        step_runner.record(uow, officials.commune, uow.dossiers.get(first), "note", {})
        uow.commit()
    assert verifying.verify_audit(new_uow).broken is None
    with new_uow() as uow:
        assert uow.audit.for_dossier(second)[0].previous_hash == chain.GENESIS


def test_bad_days_and_provinces_are_refused_naming_the_field(new_uow, officials):
    """Tried: anchoring today (not over), archiving before tomorrow, verifying a commune's code and an unknown one."""
    to_commune(new_uow, officials)
    today = day_of(new_uow)
    with pytest.raises(InvalidInput) as caught:
        anchors.anchor_audit(today, new_uow())
    assert list(caught.value.errors) == ["day"]
    with pytest.raises(InvalidInput) as caught:
        archiving.archive_audit(today + timedelta(days=1), new_uow)
    assert list(caught.value.errors) == ["before"]
    for code in ("00070", "99"):
        with pytest.raises(InvalidInput) as caught:
            verifying.verify_audit(new_uow, code)
        assert list(caught.value.errors) == ["province"]
    with new_uow() as uow:
        assert uow.session.scalar(select(AuditAnchorRow.id).limit(1)) is None
        assert uow.session.scalar(select(AuditArchiveRow.id).limit(1)) is None


@on_both_databases  # each database's own triggers
def test_archiving_cannot_drop_a_row_it_has_not_copied(new_uow, officials, clock, database_url):
    dossier_id, _ = to_commune(new_uow, officials)
    clock.advance(days=2)
    with new_uow() as uow:
        first, second = (row.id for row in uow.audit.for_dossier(dossier_id))
        # A copy under the same id but another hash does not count as archived.
        uow.session.execute(text(
            "INSERT INTO audit_log_archive SELECT id, dossier_id, at, username, role, unit_code, action, task_id, "
            f"step, payload, previous_hash, '{'f' * 64}' FROM audit_log WHERE id = {second}"))
        uow.commit()
    for statement in (f"DELETE FROM audit_log WHERE id = {first}", f"DELETE FROM audit_log WHERE id = {second}",
                      f"UPDATE audit_log SET payload = '{{}}' WHERE id = {first}"):
        with new_uow() as uow, pytest.raises(Exception, match="append-only"):
            uow.session.execute(text(statement))
    for table in ("audit_log_archive", "audit_anchors"):
        for statement in (f"UPDATE {table} SET id = id", f"DELETE FROM {table}"):
            with new_uow() as uow:
                uow.session.execute(text("INSERT INTO audit_anchors (province_code, day, heads, previous_hash, "
                                         "anchor_hash, made_at) VALUES ('01', '2026-01-01', '{}', 'p', 'h', "
                                         "'2026-01-02 00:00:00+00')"))
                with pytest.raises(Exception, match="append-only"):
                    uow.session.execute(text(statement))
    with new_uow() as uow:
        assert [row.id for row in uow.audit.for_dossier(dossier_id)] == [second, first, second]
    write_past_triggers(database_url, f"DELETE FROM audit_log_archive WHERE id = {second}")
    # The archive run copies the rows itself, then the trigger lets them go.
    assert archiving.archive_audit(day_of(new_uow), new_uow) == 2
    assert verifying.verify_audit(new_uow).broken is None


@pytest.mark.postgres  # only PostgreSQL has row locks and two writers at once
def test_two_dossiers_complete_at_once_without_waiting_on_each_others_audit(new_uow, officials, database_url):
    """Dossier 1's completion holds its transaction open (its audit row inserted, its row lock held) while dossier 2
    completes: with a lock timeout, dossier 2 would fail rather than wait if the audit made it wait."""
    (first, first_task), (second, second_task) = to_commune(new_uow, officials), to_commune(new_uow, officials)
    impatient = make_engine(database_url)
    impatient_uow = UnitOfWork(make_session_factory(impatient), new_uow().clock)
    inserted, finished = threading.Event(), threading.Event()

    def hold_first_open():
        with new_uow() as uow:
            task, dossier, version = uow.dossiers.task_for_update(first_task.id)
            step_runner.complete(uow, officials.commune, dossier, version, task, {"decision": "approve"})
            uow.session.flush()
            inserted.set()
            finished.wait()
            uow.commit()

    holder = threading.Thread(target=hold_first_open)
    holder.start()
    inserted.wait()
    try:
        with impatient_uow as uow:
            uow.session.execute(text("SET LOCAL lock_timeout = '3s'"))
            task, dossier, version = uow.dossiers.task_for_update(second_task.id)
            step_runner.complete(uow, officials.commune, dossier, version, task, {"decision": "approve"})
            uow.commit()
    finally:
        finished.set()
        holder.join()
        impatient.dispose()
    with new_uow() as uow:
        assert [len(uow.audit.for_dossier(d)) for d in (first, second)] == [3, 3]
    assert verifying.verify_audit(new_uow).broken is None


def test_a_citizens_personal_data_stays_out_of_the_audit(new_uow, officials, clock):
    started = starting.start_dossier("learning_citizen_recognition", officials.branch, {"year": 2026}, new_uow())
    personal = {"full_name": "Phạm Văn Minh", "id_number": "001090012345", "birth_year": 1987}
    done = tasks.complete_task(only_task(started).id, officials.branch,
                               {**personal, **{f"indicator_{i}": 8 for i in range(1, 11)}, "comment": "đủ"},
                               new_uow(), uploads={"evidence": [Upload("giay-khen.pdf", b"%PDF-1.4\n% minh chung\n")]})
    listed, _ = to_commune(new_uow, officials, candidates=[{"name": "Nguyễn Văn Bình", "score": 86}])
    with new_uow() as uow:
        stored = " ".join(str(payload) for payload in uow.session.scalars(select(AuditRow.payload)))
        candidates = uow.audit.for_dossier(listed)[-1].payload["candidates"]
    view = viewing.get_dossier(started.id, officials.branch, new_uow())
    for value in (*personal.values(), "Nguyễn Văn Bình"):
        assert str(value) not in stored
    registered = view.history[-1].payload
    assert {name: registered[name] for name in personal} == {name: {"personal": name} for name in personal}
    assert registered["indicator_1"] == 8 and registered["comment"] == "đủ" and registered["evidence"]
    assert candidates == [{"name": {"personal": "candidates.0.name"}, "score": 86}]
    assert view.data["id_number"] == "001090012345" and done.status == "in_progress"


BEFORE_THE_CHAIN = [
    "INSERT INTO units (code, name, level) VALUES ('VN', 'Bộ', 'ministry')",
    "INSERT INTO units (code, name, level, parent_code, province_code) VALUES ('01', 'Hà Nội', 'province', 'VN', '01')",
    "INSERT INTO units (code, name, level, parent_code, province_code) VALUES ('00070', 'Hoàn Kiếm', 'commune', '01', "
    "'01')",
    "INSERT INTO process_versions (id, process_id, name, version, content_hash, title, starter_role, diagram_file, "
    "decisions, properties, files, spec, state_version, deployed_at, deployed_by) VALUES (1, 'p', 'p', 1, 'h', "
    "'family', 'commune', 'p.bpmn', '[]', '{}', '{}', '{}', 1, '2026-11-20 00:00:00+00', 'x')",
    *(f"INSERT INTO dossiers (id, process_version_id, title, status, year, branch_code, commune_code, province_code, "
      f"data, decision_tables, state, state_version, trail, revision, created_by, created_at, updated_at) VALUES ({d}, "
      f"1, 'family', 'in_progress', 2026, '00070', '00070', '01', '{{}}', '{{}}', '', 1, '[]', 1, 'x', "
      f"'2026-11-20 00:00:00+00', '2026-11-20 00:00:00+00')" for d in (1, 2)),
    # Rows of two dossiers interleaved, with floats, Vietnamese text and microseconds.
    *(f"INSERT INTO audit_log (dossier_id, at, username, role, unit_code, action, task_id, step, payload) VALUES "
      f"({d}, '2026-11-20 0{n}:00:00.{n}00001+00', 'xa-hoankiem', 'commune', '00070', 'complete', NULL, "
      f"'Thẩm định', '{{\"score\": 8{n}.5, \"comment\": \"Đạt yêu cầu lần {n}\", \"n\": [1.0, {n}]}}')"
      for n in range(1, 5) for d in (1, 2)),
]


@on_both_databases  # the migration's SQL on each
def test_rows_written_before_the_chain_are_chained_by_the_migration(database_url, tmp_path, clock):
    _, engine = database_at(database_url, tmp_path, "0013", BEFORE_THE_CHAIN)
    upgrade_schema(engine)
    new_uow = inline_units_of_work(make_session_factory(engine), clock)  # as the fixture makes them
    assert verifying.verify_audit(new_uow) == verifying.Verification(rows=8, anchors=0, broken=None)
    with new_uow() as uow:
        assert [row.id for row in uow.audit.for_dossier(2)] == [2, 4, 6, 8]
        assert uow.audit.for_dossier(2)[1].previous_hash == uow.audit.for_dossier(2)[0].row_hash
    # Down again: archived rows come back to the live table, and 0002's triggers refuse every delete.
    clock.advance(days=1)
    assert archiving.archive_audit(date(2026, 11, 21), new_uow, batch=3) == 8
    downgrade_schema(engine, "0013")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM audit_log")).scalar() == 8
        with pytest.raises(Exception, match="append-only"):
            connection.execute(text("DELETE FROM audit_log WHERE id = 1"))
    engine.dispose()


@on_both_databases
def test_a_provinces_last_anchor_removed_shows_against_the_others(new_uow, officials, clock, database_url):
    """The tail of a province's anchor chain has no successor to break: the day the other provinces have shows it."""
    to_commune(new_uow, officials)
    clock.advance(days=2)
    first, last = (anchored.day for anchored in anchors.anchor_past_days(new_uow))
    write_past_triggers(database_url, f"DELETE FROM audit_anchors WHERE province_code = '01' AND day = '{last}'")
    broken = verifying.verify_audit(new_uow).broken
    assert (broken.problem, broken.province_code, broken.day) == (verifying.ANCHOR, "01", last)
    assert verifying.verify_audit(new_uow, "01", since=first).broken == broken
