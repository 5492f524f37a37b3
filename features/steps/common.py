"""Steps every feature may use: the dossier's status, history and open tasks, what another commune sees, a refusal,
today's date, the timers' sweep."""
from datetime import date, datetime, time

import pytest
from pytest_bdd import given, parsers, then, when

from engine.clock import VIETNAM
from engine.dossiers import tasks, timers, viewing
from engine.errors import EngineError

DECISIONS = {"chuyển tỉnh": "approve", "công nhận": "approve", "trả lại": "return", "không công nhận": "reject"}
STATUSES = {"đã công nhận": "recognised", "không công nhận": "rejected", "đang xử lý": "in_progress"}
SIGNER = {"signer": "Lê Văn Cường", "signer_office": "Phó Chủ tịch UBND tỉnh"}
# The step saying the action before it was refused: the only step that may follow a refused action.
REFUSED = "việc bị từ chối vì"


def decision(word: str, comment: str | None = None) -> dict:
    values = {"decision": DECISIONS[word]}
    if comment is not None:
        values["comment"] = comment
    return values


@then(parsers.parse('hồ sơ "{status}"'))
def dossier_status(story, status):
    view = viewing.get_dossier(story.dossier_id, story.officials.ministry, story.new_uow())
    assert view.status == STATUSES[status]


@then("không còn việc nào của hồ sơ")
def no_open_task(story):
    assert viewing.get_dossier(story.dossier_id, story.officials.branch, story.new_uow()).open_tasks == ()


@then(parsers.parse('lịch sử hồ sơ ghi lần lượt "{names}"'))
def history_by(story, names):
    history = viewing.get_dossier(story.dossier_id, story.officials.ministry, story.new_uow()).history
    assert [h.username for h in history] == names.split(", ")


@then("hộp việc của cán bộ xã Cửa Nam trống")
def other_inbox_empty(story):
    assert tasks.inbox(story.officials.other_commune, story.new_uow()).tasks == []


@then("cán bộ xã Cửa Nam không mở được hồ sơ")
def other_cannot_open(story):
    with pytest.raises(EngineError, match="Không có hồ sơ"):
        viewing.get_dossier(story.dossier_id, story.officials.other_commune, story.new_uow())


@then(parsers.parse(REFUSED + ' "{reason}"'))
def refused(story, reason):
    refusal = story.take_refusal()
    assert reason in str(refusal), refusal


@given(parsers.parse('hôm nay là ngày "{day}"'))
@when(parsers.parse('hôm nay là ngày "{day}"'))
def today_is(clock, day):
    morning = datetime.combine(date.fromisoformat(day), time(9), VIETNAM)
    clock.advance(seconds=(morning - clock.now()).total_seconds())


@when("bộ hẹn giờ chạy")
def timers_run(story):
    sweep = timers.run_due_timers(story.new_uow, limit=5000)
    assert sweep.failed == {}
