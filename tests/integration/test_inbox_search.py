"""The inbox at volume: a search by number, dossier name or subject names that ignores Vietnamese accents, filters
by title, year, step, proposing unit and overdue, three orders (received, due, name), each row with the dossier's name
and the proposing unit's, keyset pages that keep the filter and walk every task once in their order. Bad input tried:
LIKE's wildcards and its escape character typed as text, a name holding the cursor's separator, a search past 200
characters, an unknown title or order, a year out of range, a cursor of another order. "Returned to me": the rounds a
higher level sent back, with the reason. Counts that stop past 1,000 ("1 000+")."""
import re

import pytest
from sqlalchemy import event

from engine.designing import deployments
from engine.dossiers import starting, step_runner, tasks
from engine.errors import InvalidInput
from engine.model import SYSTEM, InboxFilter
from engine.organisation import units
from engine.search import fold, search_text
from engine.storage.repositories.dossiers import NO_DEADLINE, TaskRepository
from tests.support.builders import CANDIDATES, PROCESS, approve_all_the_way, only_task, to_commune
from tests.support.databases import on_both_databases
from tests.support.diagrams import deadline_diagram


def found(new_uow, official, **narrowed) -> list[int]:
    return [t.dossier_id for t in tasks.inbox(official, new_uow(), narrowed=InboxFilter(**narrowed)).tasks]


def test_vietnamese_is_folded_without_accents_and_d_bar():
    assert fold("  Nguyễn   Văn ĐỨC, Đồng Tháp ") == "nguyen van duc, dong thap"
    assert search_text({"name": "Thôn Đông", "candidates": [{"name": "Hộ bà Lê Thị Ánh"}, "not a row"]}) == \
        "thon dong | ho ba le thi anh"


@on_both_databases
def test_the_commune_finds_dossiers_by_number_name_and_subject_names_accents_or_not(database_url, new_uow, officials,
                                                                                    clock):
    first, _ = to_commune(new_uow, officials)
    clock.advance(minutes=1)
    second, _ = to_commune(new_uow, officials, candidates=[{"name": "Phạm Đức Thắng", "score": 90}])
    commune = officials.commune
    assert found(new_uow, commune) == [second, first]
    assert found(new_uow, commune, text="nguyen van an") == [first]
    assert found(new_uow, commune, text="Nguyễn Văn An") == [first]
    assert found(new_uow, commune, text="PHAM DUC") == [second]
    assert found(new_uow, commune, text=str(second)) == [second]
    # As the rows show it ("Số 37") or marked "#": the number alone; digits that are no ASCII digits are words.
    for shown in (f"Số {second}", f"số{second}", f"#{second}"):
        assert found(new_uow, commune, text=shown) == [second], shown
    assert found(new_uow, commune, text="²") == []
    assert found(new_uow, commune, text="to 1") == [second, first]  # the dossiers' name, "Tổ 1"
    for wildcard in ("%", "_", "\\", "an%binh"):
        assert found(new_uow, commune, text=wildcard) == [], wildcard
    (row, *_) = tasks.inbox(commune, new_uow()).tasks
    assert (row.dossier_name, row.proposer) == ("Tổ 1", "Chi hội tổ 1")


def test_a_renamed_dossier_is_found_and_ordered_by_its_new_name_in_its_open_tasks(new_uow, officials):
    """Each task holds a copy of its dossier's name and search text: when the step runner brings a renamed dossier's
    rows in line, its open task's copy follows in the same transaction (its done tasks keep theirs)."""
    dossier_id, verify = to_commune(new_uow, officials)
    with new_uow() as uow:
        task, dossier, version = uow.dossiers.task_for_update(verify.id)
        # Renamed beside its open task (as a parallel step's form could), then run on: a sweep finding no timer due.
        dossier.data, dossier.timer_due_at = {**dossier.data, "name": "Thôn Đông Hòa"}, uow.clock.now()
        step_runner.fire_timers(uow, SYSTEM, dossier, version)
        uow.commit()
    commune = officials.commune
    assert found(new_uow, commune, text="dong hoa") == [dossier_id]
    assert found(new_uow, commune, text="to 1") == []
    (row,) = tasks.inbox(commune, new_uow(), narrowed=InboxFilter(sort="name")).tasks
    assert (row.id, row.dossier_name) == (verify.id, "Thôn Đông Hòa")
    with new_uow() as uow:
        copies = {t.status: (t.dossier_name, t.search_text) for t in uow.tasks.of_dossier(dossier_id)}
    assert copies["open"] == ("Thôn Đông Hòa", search_text({"name": "Thôn Đông Hòa", "candidates": CANDIDATES}))
    assert copies["completed"][0] == "Tổ 1"


def test_filters_narrow_by_title_year_step_and_proposing_unit(new_uow, officials):
    first, verify = to_commune(new_uow, officials)
    other_branch = units.add_branch("00070", "Chi hội tổ 2", new_uow())
    commune = officials.commune
    assert found(new_uow, commune, title="family", year=2026, step=verify.step) == [first]
    assert found(new_uow, commune, title="clan") == found(new_uow, commune, year=2025) == []
    assert found(new_uow, commune, unit=officials.branch_code) == found(new_uow, commune, unit="00070") == [first]
    assert found(new_uow, commune, unit=other_branch) == []
    assert found(new_uow, commune, overdue=True) == []  # the list's step has no deadline


def test_pages_keep_the_filter_and_count_only_what_it_keeps(new_uow, officials):
    kept = [to_commune(new_uow, officials)[0] for _ in range(3)]
    to_commune(new_uow, officials, candidates=[{"name": "Phạm Đức Thắng", "score": 90}])
    narrowed = InboxFilter(text=fold(CANDIDATES[1]["name"]))
    first = tasks.inbox(officials.commune, new_uow(), size=2, narrowed=narrowed)
    second = tasks.inbox(officials.commune, new_uow(), after=first.next_page, size=2, narrowed=narrowed)
    assert (first.total, second.total, second.next_page) == (3, 3, None)
    # One moment for all (the test's clock stands still): the task id orders them, each shown once.
    assert sorted(t.dossier_id for t in first.tasks + second.tasks) == kept


@pytest.mark.parametrize("narrowed, field", [(InboxFilter(text="x" * 201), "q"), (InboxFilter(title="vip"), "title"),
                                             (InboxFilter(text="a\x00b"), "q"), (InboxFilter(unit="00070\x00"), "unit"),
                                             (InboxFilter(year=1999), "year"), (InboxFilter(unit="0" * 17), "unit")])
def test_a_filter_no_inbox_could_match_is_refused_naming_its_part(new_uow, officials, narrowed, field):
    with pytest.raises(InvalidInput) as refused:
        tasks.inbox(officials.commune, new_uow(), narrowed=narrowed)
    assert set(refused.value.errors) == {field}


@on_both_databases
@pytest.mark.parametrize("sort", ["received", "due", "name"])
def test_each_order_pages_through_every_task_once_in_its_order(database_url, new_uow, officials, clock, sort):
    """Dossiers with and without deadlines and names, some at the same moment: each order walks every task once."""
    deployments.deploy({"with_deadline.bpmn": deadline_diagram("deadline")}, officials.designer, new_uow())
    for index, name in enumerate(["Thôn Đông", None, "An Phú", "Thôn Đông", None, "Bắc | Nam"]):
        data = {"year": 2026, **({"name": name} if name else {})}
        process = "with_deadline" if index % 2 else PROCESS
        data = data if index % 2 else {**data, "title": "family"}
        starting.start_dossier(process, officials.branch, data, new_uow())
        clock.advance(minutes=index % 3)
    pages, after = [], None
    while True:
        page = tasks.inbox(officials.branch, new_uow(), after=after, size=2, narrowed=InboxFilter(sort=sort))
        pages += page.tasks
        after = page.next_page
        if after is None:
            break
    assert len(pages) == len({t.id for t in pages}) == page.total == 6
    keys = {"received": lambda t: (-t.created_at.timestamp(), t.id),
            "due": lambda t: (t.due_at or NO_DEADLINE, t.id), "name": lambda t: (t.dossier_name or "", t.id)}
    assert pages == sorted(pages, key=keys[sort])


def test_a_cursor_of_another_order_is_refused(new_uow, officials):
    for _ in range(3):
        to_commune(new_uow, officials)
    page = tasks.inbox(officials.commune, new_uow(), size=1)
    with pytest.raises(InvalidInput) as refused:
        tasks.inbox(officials.commune, new_uow(), after=page.next_page, size=1, narrowed=InboxFilter(sort="due"))
    assert set(refused.value.errors) == {"after"} and "next_page" not in refused.value.errors["after"]
    with pytest.raises(InvalidInput) as refused:
        tasks.inbox(officials.commune, new_uow(), narrowed=InboxFilter(sort="random"))
    assert set(refused.value.errors) == {"sort"} and "Hạn gần trước (due)" in refused.value.errors["sort"]
    with pytest.raises(InvalidInput) as refused:  # a NUL is no character PostgreSQL's text holds
        tasks.inbox(officials.commune, new_uow(), after="name|a\x00|b", narrowed=InboxFilter(sort="name"))
    assert set(refused.value.errors) == {"after"}


RETURN = {"decision": "return", "comment": "Thiếu biên bản họp thôn"}


@on_both_databases
def test_returned_to_me_keeps_the_rounds_a_higher_level_sent_back_with_their_reason(database_url, new_uow, officials,
                                                                                    clock):
    """The commune returns a list to its branch, the province one to the commune: each lands in the inbox below as
    returned, with the reason; a first round, and the round the branch sends back up, are not returned."""
    sent_back, verify = to_commune(new_uow, officials)
    revise = only_task(tasks.complete_task(verify.id, officials.commune, RETURN, new_uow()))
    clock.advance(minutes=1)
    up_again, verify = to_commune(new_uow, officials)
    approve, _ = approve_all_the_way(new_uow, officials, verify)
    round_two = only_task(tasks.complete_task(approve.id, officials.province,
                                              {"decision": "return", "comment": "Sai điểm hộ 2"}, new_uow()))
    clock.advance(minutes=1)
    first_round, _ = to_commune(new_uow, officials)
    commune = officials.commune
    assert found(new_uow, commune) == [first_round, up_again]
    assert found(new_uow, commune, returned=True) == [up_again]
    (row,) = tasks.inbox(commune, new_uow(), narrowed=InboxFilter(returned=True)).tasks
    assert (row.id, row.return_reason) == (round_two.id, "Sai điểm hộ 2")
    assert found(new_uow, officials.branch, returned=True) == [sent_back]
    (row,) = tasks.inbox(officials.branch, new_uow(), narrowed=InboxFilter(returned=True)).tasks
    assert (row.id, row.step_name, row.return_reason) == (revise.id, "Bổ sung danh sách đề nghị",
                                                          "Thiếu biên bản họp thôn")
    # The branch sends the list back up: the commune's task is a resubmission, not a return to the commune.
    resent = only_task(tasks.complete_task(revise.id, officials.branch, {"candidates": CANDIDATES}, new_uow()))
    assert resent.return_reason is None and found(new_uow, commune, returned=True) == [up_again]
    assert found(new_uow, officials.branch, returned=True) == []


def test_counts_stop_past_the_cap_and_a_page_holding_every_task_is_its_own_count(new_uow, officials, monkeypatch):
    for _ in range(4):
        to_commune(new_uow, officials)
    monkeypatch.setattr(tasks, "COUNT_CAP", 2)
    capped = tasks.inbox(officials.commune, new_uow(), size=1)
    assert (capped.total, capped.capped, len(capped.tasks)) == (3, True, 1)
    later = tasks.inbox(officials.commune, new_uow(), after=capped.next_page, size=1)
    assert (later.total, later.capped) == (3, True)
    monkeypatch.setattr(TaskRepository, "count_open_for", lambda *args, **kwargs: pytest.fail("counted again"))
    whole = tasks.inbox(officials.commune, new_uow(), size=4)
    assert (whole.total, whole.capped, whole.next_page) == (4, False, None)


@pytest.mark.postgres  # the plans are PostgreSQL's, and so are the expression indexes
@pytest.mark.parametrize("narrowed, read", [
    (InboxFilter(sort="due"), "Index Scan using ix_human_tasks_inbox_due"),
    (InboxFilter(sort="name"), "Index Scan using ix_human_tasks_open_name"),
    (InboxFilter(unit="00070-01"), "Index Scan Backward using ix_human_tasks_open_branch"),
    (InboxFilter(unit="00070"), "Index Scan Backward using ix_human_tasks_open_commune"),
    (InboxFilter(returned=True), "Index Scan Backward using ix_human_tasks_returned"),
    (InboxFilter(returned=True, sort="due"), "Index Scan using ix_human_tasks_returned_due"),
    (InboxFilter(step="verify"), "Index Scan Backward using ix_human_tasks_inbox_step"),
    (InboxFilter(overdue=True), "Index Scan Backward using ix_human_tasks_open_overdue")])
def test_each_order_and_filter_is_read_in_its_order_from_an_index(new_uow, officials, session_factory, narrowed,
                                                                     read):
    """The rows query as the repository sends it, planned with sorts and table scans priced out: an index walked in
    the page's order (its SQL writes the constants the expression indexes hold; the unit is in the SQL), no sort of
    the inbox (a dossier name's ties are sorted by task id within the name); only the page's rows, joined to their
    dossiers, are sorted again."""
    to_commune(new_uow, officials)
    engine, sent = session_factory.kw["bind"], []

    def record(_connection, _cursor, statement, parameters, _context, _many):
        sent.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    tasks.inbox(officials.commune, new_uow(), narrowed=narrowed)
    event.remove(engine, "before_cursor_execute", record)
    statement, parameters = next(s for s in sent if "ORDER BY" in s[0])
    with engine.connect() as connection:
        connection.exec_driver_sql("SET enable_sort = off; SET enable_seqscan = off; SET enable_bitmapscan = off")
        plan = "\n".join(connection.exec_driver_sql(f"EXPLAIN {statement}", parameters).scalars())
    assert read in plan, plan
    below_the_page = plan[plan.index("Limit"):]
    assert not re.search(r"(^|->  )Sort ", below_the_page, re.M), plan
