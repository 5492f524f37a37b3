"""Certificates: one PDF per recognised household, Vietnamese text read back from the file."""
from io import BytesIO

import pytest
from pypdf import PdfReader

from engine import registry, tasks
from engine.errors import Forbidden, NotFound
from tests.integration.test_use_cases import APPROVAL, only_task, to_commune


@pytest.fixture
def recognised(new_uow, officials):
    _, verify = to_commune(new_uow, officials)
    approve = only_task(tasks.complete_task(verify.id, officials.commune, {"decision": "approve"}, new_uow()))
    tasks.complete_task(approve.id, officials.province, APPROVAL, new_uow())
    return registry.recognised_titles(officials.province, new_uow(), year=2026)


def test_each_household_gets_its_certificate_in_vietnamese(new_uow, officials, recognised):
    for title in recognised:
        name, pdf = registry.certificate(title.id, officials.commune, new_uow())
        assert name == f"giay-cong-nhan-2026-{title.id}.pdf"
        reader = PdfReader(BytesIO(pdf))
        assert len(reader.pages) == 1
        text = " ".join(reader.pages[0].extract_text().split())
        for expected in ("GIẤY CÔNG NHẬN", "“GIA ĐÌNH HỌC TẬP” NĂM 2026", title.subject_name,
                         "Chi hội tổ 1, Phường Hoàn Kiếm, Thành phố Hà Nội",
                         "Công nhận hộ gia đình",
                         "Theo Quyết định số 125/QĐ-UBND ngày 18/11/2026", "Có giá trị đến hết ngày 31/12/2027",
                         "ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI", "PHÓ CHỦ TỊCH UBND TỈNH", "Lê Văn Cường"):
            assert expected in text, (expected, text)
        assert "Giấy công nhận Gia đình học tập" in reader.metadata.title


def test_certificates_stay_within_the_units_that_may_see_them(new_uow, officials, recognised):
    for outsider in (officials.other_commune, officials.other_branch, officials.other_province, officials.designer):
        with pytest.raises(Forbidden):
            registry.certificate(recognised[0].id, outsider, new_uow())
    with pytest.raises(NotFound):
        registry.certificate(999_999, officials.ministry, new_uow())
