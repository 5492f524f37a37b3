"""Inbox filters saved under a name: an official's own, or shared with everyone of their unit and role; listed,
replaced under the same name, deleted by who saved them. Bad input tried: no name, a name past 80 characters, a
filter no inbox could match, a 51st filter; another unit's filter, and a colleague's, to delete."""
import pytest

from engine.dossiers import saved_filters
from engine.errors import Forbidden, InvalidInput, NotFound
from engine.model import InboxFilter, Official
from tests.support.builders import snapshot

OVERDUE = InboxFilter(overdue=True, returned=True, sort="due")


def names(new_uow, official) -> list[tuple[str, str, bool]]:
    return [(f.name, f.owner, f.shared) for f in saved_filters.saved_filters(official, new_uow())]


def colleague_of(official: Official, username: str = "xa-hoankiem-2") -> Official:
    return Official(username, official.role, official.unit_code)


def test_an_official_sees_their_own_filters_and_those_shared_in_their_unit_and_role(new_uow, officials):
    commune = officials.commune
    mine = saved_filters.save_filter(commune, "  Quá hạn   trả lại ", OVERDUE, False, new_uow())
    assert (mine.name, mine.owner, mine.shared, mine.narrowed) == ("Quá hạn trả lại", commune.username, False, OVERDUE)
    saved_filters.save_filter(colleague_of(commune), "Của đồng nghiệp, chung", InboxFilter(year=2026), True, new_uow())
    saved_filters.save_filter(colleague_of(commune), "Của đồng nghiệp, riêng", InboxFilter(year=2025), False,
                              new_uow())
    saved_filters.save_filter(officials.other_commune, "Xã khác, chung", InboxFilter(), True, new_uow())
    # The same unit under another role shares nothing with the commune's officials.
    saved_filters.save_filter(Official("chihoi-xa", officials.branch.role, commune.unit_code), "Vai trò khác",
                              InboxFilter(), True, new_uow())
    assert names(new_uow, commune) == [("Của đồng nghiệp, chung", "xa-hoankiem-2", True),
                                       ("Quá hạn trả lại", "xa-hoankiem", False)]
    assert names(new_uow, officials.other_commune) == [("Xã khác, chung", "xa-cuanam", True)]


def test_saving_again_under_a_name_replaces_that_filter(new_uow, officials):
    first = saved_filters.save_filter(officials.commune, "Của tôi", OVERDUE, False, new_uow())
    again = saved_filters.save_filter(officials.commune, "Của tôi", InboxFilter(text="nguyen"), True, new_uow())
    assert again.id == first.id
    (only,) = saved_filters.saved_filters(officials.commune, new_uow())
    assert (only.narrowed, only.shared) == (InboxFilter(text="nguyen"), True)


@pytest.mark.parametrize("name, narrowed, fields", [
    ("", InboxFilter(), {"name"}), ("   ", InboxFilter(), {"name"}), ("x" * 81, InboxFilter(), {"name"}),
    ("Tìm dài", InboxFilter(text="x" * 201), {"q"}),
    ("", InboxFilter(title="vip", year=1999), {"name", "title", "year"})])
def test_a_bad_name_or_filter_is_refused_naming_each_part_and_nothing_is_saved(new_uow, officials, name, narrowed,
                                                                             fields):
    before = snapshot(new_uow)
    with pytest.raises(InvalidInput) as refused:
        saved_filters.save_filter(officials.commune, name, narrowed, False, new_uow())
    assert set(refused.value.errors) == fields
    assert snapshot(new_uow) == before and names(new_uow, officials.commune) == []


def test_an_official_keeps_at_most_fifty_filters_but_may_still_replace_one(new_uow, officials):
    for number in range(saved_filters.MAX_SAVED):
        saved_filters.save_filter(officials.commune, f"Bộ lọc {number}", InboxFilter(), False, new_uow())
    with pytest.raises(InvalidInput) as refused:
        saved_filters.save_filter(officials.commune, "Bộ lọc thứ 51", InboxFilter(), False, new_uow())
    assert set(refused.value.errors) == {"name"}
    saved_filters.save_filter(officials.commune, "Bộ lọc 7", OVERDUE, False, new_uow())
    # A colleague's own count is theirs.
    saved_filters.save_filter(colleague_of(officials.commune), "Bộ lọc 0", InboxFilter(), False, new_uow())
    assert len(names(new_uow, officials.commune)) == saved_filters.MAX_SAVED


def test_only_who_saved_a_filter_deletes_it_and_another_units_is_not_there(new_uow, officials):
    mine = saved_filters.save_filter(officials.commune, "Của tôi", OVERDUE, False, new_uow())
    shared = saved_filters.save_filter(colleague_of(officials.commune), "Chung", OVERDUE, True, new_uow())
    private = saved_filters.save_filter(colleague_of(officials.commune), "Riêng", OVERDUE, False, new_uow())
    elsewhere = saved_filters.save_filter(officials.other_commune, "Xã khác", OVERDUE, True, new_uow())
    with pytest.raises(Forbidden):
        saved_filters.delete_filter(shared.id, officials.commune, new_uow())
    for unseen in (private.id, elsewhere.id, 999_999):
        with pytest.raises(NotFound):
            saved_filters.delete_filter(unseen, officials.commune, new_uow())
    saved_filters.delete_filter(mine.id, officials.commune, new_uow())
    assert names(new_uow, officials.commune) == [("Chung", "xa-hoankiem-2", True)]
    assert names(new_uow, officials.other_commune) == [("Xã khác", "xa-cuanam", True)]
