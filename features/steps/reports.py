"""What the reporting features' steps share: chasing a late unit, a province's own report dossier."""
from engine.dossiers import tasks


def follow_up(story, official, title: str, step_name: str, dossier_id: int) -> None:
    """The official records how they chased a late unit: its chase task on that unit's report dossier."""
    (task,) = [t for t in tasks.inbox(official, story.new_uow(), size=500).tasks
               if (t.title, t.step_name, t.dossier_id) == (title, step_name, dossier_id)]
    story.complete(official, {"note": "Đã gọi điện và gửi công văn đôn đốc."}, task_id=task.id)
    assert story.refusal is None, story.refusal


def province_report_of(story, title: str) -> int:
    """Hà Nội's own report dossier of this kind (the province's tasks name it)."""
    return next(t.dossier_id for t in tasks.inbox(story.officials.province, story.new_uow(), size=500).tasks
                if t.title == title and t.unit_code == "01" and t.step_name != "Đôn đốc báo cáo của xã quá hạn"
                and t.step_name != "Duyệt báo cáo của xã")
