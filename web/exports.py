"""Every list an official sees, as an .xlsx sheet with the same columns as the page."""
from engine.forms import Field
from engine.model import BRANCH_KIND_LABELS, ROLE_LABELS, TITLE_LABELS, DossierView, OpenTask, RecognisedTitle
from engine.registry import TitleCount
from engine.spreadsheets import Sheet


def inbox(tasks: list[OpenTask]) -> Sheet:
    return Sheet("Hộp việc", ["Hồ sơ", "Danh hiệu", "Bước", "Vai trò", "Đơn vị", "Ngày nhận", "Hạn"], [
        [t.dossier_id, TITLE_LABELS.get(t.title, t.title), t.step_name, ROLE_LABELS.get(t.role, t.role), t.unit_code,
         t.created_at.replace(tzinfo=None), t.due_at.replace(tzinfo=None) if t.due_at else None] for t in tasks])


def registry(titles: list[RecognisedTitle]) -> Sheet:
    return Sheet("Sổ danh hiệu", ["Tên", "Danh hiệu", "Mức độ", "Năm", "Điểm", "Chi hội, đơn vị", "Xã", "Tỉnh",
                                  "Số quyết định", "Ngày quyết định", "Người ký", "Hiệu lực đến", "Hồ sơ"], [
        [t.subject_name, TITLE_LABELS.get(t.title, t.title), t.level, t.year, t.score, t.branch_code, t.commune_code,
         t.province_code, t.decision_number, t.decision_date, t.signer, t.valid_until, t.dossier_id] for t in titles])


def counts(rows: list[TitleCount]) -> Sheet:
    return Sheet("Số lượng theo xã", ["Năm", "Danh hiệu", "Tỉnh", "Xã", "Số lượng"], [
        [c.year, TITLE_LABELS.get(c.title, c.title), c.province_code, c.commune_code, c.count] for c in rows])


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
