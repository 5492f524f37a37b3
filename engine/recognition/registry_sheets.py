"""The registry as .xlsx sheets, with the columns of its pages: downloaded at once, or written by an export job."""
from collections.abc import Iterable

from engine.model import TITLE_LABELS, RecognisedTitle
from engine.recognition.registry import TitleCount
from engine.spreadsheets import Sheet

TITLES = "Sổ danh hiệu"
TITLE_COLUMNS = ["Tên", "Danh hiệu", "Mức độ", "Năm", "Điểm", "Chi hội, đơn vị", "Xã", "Tỉnh", "Số quyết định",
                 "Ngày quyết định", "Người ký", "Hiệu lực đến", "Hồ sơ"]


def title_row(t: RecognisedTitle) -> list:
    return [t.subject_name, TITLE_LABELS.get(t.title, t.title), t.level, t.year, t.score, t.branch_code,
            t.commune_code, t.province_code, t.decision_number, t.decision_date, t.signer, t.valid_until, t.dossier_id]


def titles_sheet(titles: Iterable[RecognisedTitle]) -> Sheet:
    return Sheet(TITLES, TITLE_COLUMNS, [title_row(t) for t in titles])


def counts_sheet(rows: list[TitleCount]) -> Sheet:
    return Sheet("Số lượng theo xã", ["Năm", "Danh hiệu", "Tỉnh", "Xã", "Số lượng"], [
        [c.year, TITLE_LABELS.get(c.title, c.title), c.province_code, c.commune_code, c.count] for c in rows])
