"""Every list an official sees, as an .xlsx sheet with the same columns as the page (the registry's sheets are the
engine's, engine/recognition/registry_sheets.py: an export job writes them too)."""
from flask import Response

from engine import spreadsheets
from engine.clock import VIETNAM
from engine.dossiers.forms import Field
from engine.model import BRANCH_KIND_LABELS, MINISTRY_CODE, ROLE_LABELS, TITLE_LABELS, DossierView, OpenTask
from engine.spreadsheets import Sheet
from web.templating import unit

# The most rows a download holds (an inbox page on screen holds far fewer).
MAX_ROWS = 50_000


def download(name: str, *sheets: Sheet) -> Response:
    """The sheets as one .xlsx file the browser saves as `name`.xlsx."""
    return send(spreadsheets.write(*sheets), spreadsheets.XLSX, f"{name}.xlsx")


def send(content: bytes, media_type: str, name: str, disposition: str = "attachment") -> Response:
    """A file as the browser receives it: saved as `name`, or shown (`inline`)."""
    return Response(content, mimetype=media_type, headers={"Content-Disposition": f'{disposition}; filename="{name}"'})


def inbox(tasks: list[OpenTask]) -> Sheet:
    return Sheet("Hộp việc", ["Hồ sơ", "Tên hồ sơ", "Đơn vị đề nghị", "Danh hiệu", "Bước", "Vai trò", "Đơn vị",
                              "Ngày nhận", "Hạn"], [
        [t.dossier_id, t.dossier_name, t.proposer, TITLE_LABELS.get(t.title, t.title), t.step_name,
         ROLE_LABELS.get(t.role, t.role), unit(t.unit_code),
         t.created_at.replace(tzinfo=None), t.due_at.replace(tzinfo=None) if t.due_at else None] for t in tasks])


def list_field(field: Field, items: list[dict]) -> Sheet:
    """A form's list with its own column titles, so the file can be filled in and imported back."""
    return Sheet(field.label, [sub.label for sub in field.item_fields],
                 [[item.get(sub.name) for sub in field.item_fields] for item in items])


def candidates(dossier: DossierView) -> Sheet:
    return Sheet(f"Hồ sơ {dossier.id}", ["Tên (chủ hộ, dòng họ, thôn)", "Điểm đánh giá"],
                 [[c.get("name"), c.get("score")] for c in dossier.data.get("candidates", [])])


def branches(rows: list[tuple[str, str, str]]) -> Sheet:
    return Sheet("Chi hội", ["Mã", "Tên", "Loại"],
                 [[code, name, BRANCH_KIND_LABELS.get(kind, kind)] for code, name, kind in rows])


NOT_ASKED = "chưa giao cho xã"  # a unit whose communes were not asked yet has nothing waiting, nor anything sent


def report(view) -> Sheet:
    """One row per unit: the communes expected, accepted, waiting, overdue (and, for the ministry, the province's own
    report); for the annual report per model registered, recognised, total, both rates, target and gap, for another
    report each figure of the communes and the province's own; then the totals."""
    ministry = view.unit_code == MINISTRY_CODE
    header = (["Mã", "Đơn vị", "Số xã", "Đã chấp nhận", "Chưa nộp", "Quá hạn"] + ["Báo cáo của tỉnh"] * ministry
              + _figure_headers(view))
    rows = [[u.code, u.name, u.communes, u.accepted, u.waiting if u.asked else NOT_ASKED, u.overdue,
             *[_sent(view, u)] * ministry,
             *_figures(view, u.models, u.values, u.own)] for u in view.rows]
    rows.append(["", "Tổng", *(sum(getattr(u, part) for u in view.rows)
                               for part in ("communes", "accepted", "waiting", "overdue")),
                 *[f"{sum(1 for u in view.rows if u.sent_at)} đã gửi"] * ministry,
                 *_figures(view, view.totals, view.values, view.own)])
    return Sheet(f"{view.kind} {view.year}", header, rows)


MODEL_PARTS = ("đăng ký", "công nhận", "tổng số", "tỷ lệ/đăng ký", "tỷ lệ/tổng số", "chỉ tiêu", "còn thiếu")


def _figure_headers(view) -> list[str]:
    if view.totals:
        return [f"{TITLE_LABELS.get(f.model, f.model)}: {part}" for f in view.totals for part in MODEL_PARTS]
    return [f"{i.label}: {whose}" for i in view.indicators for whose in ("các xã", "cấp tỉnh")]


def _figures(view, models, values: dict, own: dict) -> list:
    if view.totals:
        return [value for f in models for value in (f.registered, f.recognised, f.total, f.rate_of_registered,
                                                    f.rate_of_total, f.target, f.gap)]
    return [value for i in view.indicators for value in (values.get(i.name, 0), own.get(i.name))]


def _sent(view, unit):
    if unit.sent_at:
        return unit.sent_at.astimezone(VIETNAM).replace(tzinfo=None)
    return "quá hạn, chưa gửi" if view.past_deadline else "chưa gửi"
