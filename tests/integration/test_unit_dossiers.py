"""The "Hồ sơ của đơn vị" list (issue 17, part 1): the dossiers a unit proposed or holds, scoped to it, newest first,
keyset paged, narrowed by status and year, each with where it waits by the holding unit's name."""
import pytest

from engine.dossiers import starting, tasks, withdrawing
from engine.dossiers.unit_dossiers import Waiting, unit_dossiers
from engine.errors import Forbidden, InvalidInput
from engine.model import DossierStatus
from tests.support.builders import CANDIDATES, PROCESS, only_task, to_commune
from tests.support.databases import on_both_databases


def open_list(new_uow, official, year=2026, name="Tổ"):
    return starting.start_dossier(PROCESS, official, {"year": year, "title": "family", "name": name}, new_uow())


@on_both_databases  # the unit scopes and the join to the holding units on PostgreSQL's plans
def test_a_branch_finds_the_dossier_it_sent_and_where_it_waits(new_uow, officials, clock):
    sent_id, verify = to_commune(new_uow, officials)
    (sent,) = unit_dossiers(officials.branch, new_uow()).dossiers
    assert (sent.id, sent.name, sent.title, sent.year, sent.status, sent.proposer) == (
        sent_id, "Tổ 1", "family", 2026, DossierStatus.IN_PROGRESS, "Chi hội tổ 1")
    assert sent.waiting == (Waiting("Thẩm định hồ sơ", "Phường Hoàn Kiếm", verify.created_at),)
    assert unit_dossiers(officials.other_branch, new_uow()).dossiers == []
    approve = only_task(tasks.complete_task(verify.id, officials.commune, {"decision": "approve"}, new_uow()))
    (sent,) = unit_dossiers(officials.branch, new_uow()).dossiers
    assert sent.waiting == (Waiting(approve.step_name, "Thành phố Hà Nội", approve.created_at),)


def test_each_unit_sees_what_it_proposed_or_holds(new_uow, officials):
    ours, _ = to_commune(new_uow, officials)
    theirs = open_list(new_uow, officials.other_branch).id
    scopes = {who: [d.id for d in unit_dossiers(official, new_uow()).dossiers]
              for who, official in (("commune", officials.commune), ("other", officials.other_commune),
                                    ("province", officials.province), ("hue", officials.other_province),
                                    ("ministry", officials.ministry))}
    assert scopes == {"commune": [ours], "other": [theirs], "province": [theirs, ours], "hue": [],
                      "ministry": [theirs, ours]}
    with pytest.raises(Forbidden):
        unit_dossiers(officials.designer, new_uow())


def test_pages_walk_every_dossier_once_newest_first_by_status_and_year(new_uow, officials):
    made = [open_list(new_uow, officials.branch, year).id for year in (2025, 2026, 2026, 2026, 2025)]
    withdrawing.withdraw_dossier(made[1], officials.branch, "Mở nhầm", new_uow())
    done = tasks.complete_task(only_task(open_list(new_uow, officials.branch)).id, officials.branch,
                               {"candidates": CANDIDATES}, new_uow())
    made.append(done.dossier_id)
    seen, after = [], None
    while True:
        page = unit_dossiers(officials.branch, new_uow(), after, size=2)
        seen += [d.id for d in page.dossiers]
        if page.next_page is None:
            break
        after = page.next_page
    assert seen == sorted(made, reverse=True)
    closed = unit_dossiers(officials.branch, new_uow(), status="closed").dossiers
    assert [(d.id, d.waiting) for d in closed] == [(made[1], ())]
    assert [d.id for d in unit_dossiers(officials.branch, new_uow(), year=2025).dossiers] == [made[4], made[0]]
    assert [d.id for d in unit_dossiers(officials.branch, new_uow(), status="in_progress", year=2026).dossiers] == [
        made[5], made[3], made[2]]


@pytest.mark.parametrize(("options", "field"), [
    ({"status": "withdrawn"}, "status"), ({"year": 1999}, "year"), ({"after": "abc"}, "after"),
    ({"after": "9" * 30}, "after"), ({"size": 0}, "size")])
def test_a_filter_no_page_could_match_is_refused_naming_it(new_uow, officials, options, field):
    with pytest.raises(InvalidInput) as refused:
        unit_dossiers(officials.branch, new_uow(), **options)
    assert set(refused.value.errors) == {field}
