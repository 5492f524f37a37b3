"""Opening a dossier with care (issue 17, part 3): the title named explicitly where a process offers several, the year
always; refused naming the field, nothing stored. A process of one title still opens it unnamed (programs' calls)."""
import pytest

from engine.dossiers import starting
from engine.errors import InvalidInput
from tests.support.builders import PROCESS, snapshot


@pytest.mark.parametrize(("data", "fields"), [
    ({"year": 2026}, {"title"}),  # was: opened as the process's first title, Gia đình học tập
    ({"title": "clan"}, {"year"}),  # was: opened for this year
    ({"year": None, "title": "clan"}, {"year"}),
    ({"name": "Tổ 1"}, {"title", "year"}),
])
def test_a_list_is_not_opened_without_its_title_and_year(new_uow, officials, data, fields):
    before = snapshot(new_uow)
    with pytest.raises(InvalidInput) as refused:
        starting.start_dossier(PROCESS, officials.branch, data, new_uow())
    assert set(refused.value.errors) == fields
    assert "Gia đình học tập" in refused.value.errors.get("title", "Gia đình học tập")
    assert snapshot(new_uow) == before


def test_no_choice_made_is_refused_as_a_missing_title_with_the_other_fields(new_uow, officials):
    with pytest.raises(InvalidInput) as refused:
        starting.start_dossier("", officials.branch, {"name": "Tổ 1"}, new_uow())
    assert refused.value.errors == {"title": "Chọn danh hiệu đề nghị.", "year": "Cần năm đề nghị, từ 2000 đến 2027."}


def test_a_process_of_one_title_opens_it_unnamed_and_a_named_title_is_kept(new_uow, officials):
    citizen = starting.start_dossier("learning_citizen_recognition", officials.branch, {"year": 2026}, new_uow())
    clan = starting.start_dossier(PROCESS, officials.branch, {"year": 2026, "title": "clan"}, new_uow())
    with new_uow() as uow:
        assert [uow.dossiers.get(d.id).title for d in (citizen, clan)] == ["citizen", "clan"]
