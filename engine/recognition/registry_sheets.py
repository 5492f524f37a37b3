"""The registry as .xlsx sheets, with the columns of its pages: downloaded at once, or written by an export job."""
from collections.abc import Callable, Iterable

from engine.model import TITLE_LABELS, RecognisedTitle
from engine.recognition.registry import TitleCount
from engine.spreadsheets import Sheet

TITLES = "Sổ danh hiệu"
TITLE_COLUMNS = ["Tên", "Danh hiệu", "Mức độ", "Năm", "Điểm", "Chi hội, đơn vị", "Xã", "Tỉnh", "Số quyết định",
                 "Ngày quyết định", "Người ký", "Hiệu lực đến", "Hồ sơ"]


def title_row(t: RecognisedTitle, unit: Callable[[str], str]) -> list:
    """A title's row, its units named by `unit` (a code to its label), as the pages name them."""
    return [t.subject_name, TITLE_LABELS.get(t.title, t.title), t.level, t.year, t.score, unit(t.branch_code),
            unit(t.commune_code), unit(t.province_code), t.decision_number, t.decision_date, t.signer, t.valid_until,
            t.dossier_id]


def titles_sheet(titles: Iterable[RecognisedTitle], unit: Callable[[str], str]) -> Sheet:
    return Sheet(TITLES, TITLE_COLUMNS, [title_row(t, unit) for t in titles])


def counts_sheet(rows: list[TitleCount], unit: Callable[[str], str]) -> Sheet:
    """The counts per commune, named, with the commune's code (what the registry's filter takes)."""
    return Sheet("Số lượng theo xã", ["Năm", "Danh hiệu", "Tỉnh", "Xã", "Mã xã", "Số lượng"], [
        [c.year, TITLE_LABELS.get(c.title, c.title), unit(c.province_code), unit(c.commune_code), c.commune_code,
         c.count] for c in rows])
