"""Certificates (giấy công nhận): one A4 landscape page per recognised subject, in Vietnamese, as PDF."""
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from fpdf import FPDF

from engine.model import TITLE_LABELS, RecognisedTitle

FONTS = Path(__file__).parent / "fonts"


# How the certificate names the kind of subject it recognises.
SUBJECT_LABELS = {"family": "hộ gia đình", "clan": "dòng họ", "community_village": "thôn, tổ dân phố",
                  "community_commune": "xã, phường", "unit": "đơn vị", "citizen": "công dân"}


@dataclass(frozen=True)
class Issuer:
    """Names as printed: the unit whose People's Committee decided, where the subject is (from its branch or
    commune up to its province), and who signed (office, name)."""

    deciding_unit: str
    place: str
    signer_office: str
    signer_name: str


def certificate_pdf(title: RecognisedTitle, issuer: Issuer) -> bytes:
    """The certificate of one recognised subject."""
    return certificates_pdf([(title, issuer)])


def certificates_pdf(certificates: Iterable[tuple[RecognisedTitle, Issuer]]) -> bytes:
    """Certificates, one page each, in one document to print at once (a recognition decision's batch)."""
    pdf = FPDF(orientation="landscape", format="A4")
    pdf.set_creator("learning-models")
    pdf.add_font("DejaVu", "", FONTS / "DejaVuSans.ttf")
    pdf.add_font("DejaVu", "B", FONTS / "DejaVuSans-Bold.ttf")
    pdf.set_auto_page_break(False)
    for title, issuer in certificates:
        if pdf.page == 0:
            pdf.set_title(f"Giấy công nhận {TITLE_LABELS.get(title.title, title.title)} - {title.subject_name}")
        _page(pdf, title, issuer)
    return bytes(pdf.output())


def _page(pdf: FPDF, title: RecognisedTitle, issuer: Issuer) -> None:
    pdf.add_page()
    pdf.set_draw_color(11, 79, 138)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, 277, 190)
    _line(pdf, f"ỦY BAN NHÂN DÂN {issuer.deciding_unit.upper()}", 10, "B", y=18, x=15, width=120)
    _line(pdf, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 11, "B", y=18, x=140, width=140)
    _line(pdf, "Độc lập - Tự do - Hạnh phúc", 11, "B", y=25, x=140, width=140)
    _line(pdf, "GIẤY CÔNG NHẬN", 30, "B", y=50)
    level = f" - MỨC ĐỘ {title.level}" if title.level else ""
    _line(pdf, f"“{TITLE_LABELS.get(title.title, title.title).upper()}”{level} NĂM {title.year}", 20, "B", y=66)
    _line(pdf, f"Công nhận {SUBJECT_LABELS.get(title.title, '')}", 13, y=88)
    _line(pdf, title.subject_name, 22, "B", y=97)
    _line(pdf, issuer.place, 13, y=114)
    _line(pdf, f"Theo Quyết định số {title.decision_number} ngày {_day(title.decision_date)}", 12, y=130)
    _line(pdf, f"Có giá trị đến hết ngày {_day(title.valid_until)}", 12, y=138)
    _line(pdf, f"{issuer.deciding_unit}, {_long_day(title.decision_date)}", 11, y=156, x=150, width=130)
    _line(pdf, issuer.signer_office.upper(), 11, "B", y=164, x=150, width=130)
    _line(pdf, issuer.signer_name, 12, "B", y=186, x=150, width=130)


def _line(pdf: FPDF, text: str, size: int, style: str = "", *, y: float, x: float = 10, width: float = 277):
    pdf.set_font("DejaVu", style, size)
    pdf.set_xy(x, y)
    pdf.cell(width, size * 0.5, text, align="C")


def _day(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _long_day(day: date) -> str:
    return f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"
