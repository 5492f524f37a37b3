"""Certificates: one PDF per recognised subject (household, commune, citizen), Vietnamese text read back from the file."""
from io import BytesIO

import pytest
from pypdf import PdfReader

from engine.dossiers import starting, tasks
from engine.dossiers.attachments import Upload
from engine.errors import NotFound
from engine.recognition import registry
from tests.support.builders import APPROVAL, only_task, to_commune


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
    """Out of reach is answered as missing, naming neither the title's branch nor its commune."""
    for outsider in (officials.other_commune, officials.other_branch, officials.other_province, officials.designer):
        with pytest.raises(NotFound) as refused:
            registry.certificate(recognised[0].id, outsider, new_uow())
        assert str(refused.value) == f"Không có danh hiệu số {recognised[0].id}."
    with pytest.raises(NotFound):
        registry.certificate(999_999, officials.ministry, new_uow())


def certificate_text(title_id, official, new_uow) -> str:
    _, pdf = registry.certificate(title_id, official, new_uow())
    return " ".join(PdfReader(BytesIO(pdf)).pages[0].extract_text().split())


def test_a_commune_s_certificate_names_its_level_and_the_province(new_uow, officials):
    started = starting.start_dossier("commune_community_recognition", officials.commune, {"year": 2026}, new_uow())
    pdf = Upload("bao-cao.pdf", b"%PDF-1.4\n")
    done = tasks.complete_task(started.open_tasks[0].id, officials.commune, {
        "level": "1", **{f"criterion_{i}": "met" for i in range(1, 6)}}, new_uow(),
        {"report": [pdf], "criteria_table": [pdf], "minutes": [pdf]})
    tasks.complete_task(only_task(done).id, officials.province, APPROVAL, new_uow())
    (title,) = registry.recognised_titles(officials.commune, new_uow(), year=2026)
    text = certificate_text(title.id, officials.commune, new_uow)
    for expected in ("“CỘNG ĐỒNG HỌC TẬP CẤP XÃ” - MỨC ĐỘ 1 NĂM 2026", "Công nhận xã, phường", "Phường Hoàn Kiếm",
                     "Phường Hoàn Kiếm, Thành phố Hà Nội", "ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI",
                     "Có giá trị đến hết ngày 31/12/2029"):
        assert expected in text, (expected, text)


def test_a_citizen_recognised_by_the_commune_gets_the_commune_s_certificate(new_uow, officials):
    started = starting.start_dossier("learning_citizen_recognition", officials.branch, {"year": 2026}, new_uow())
    done = tasks.complete_task(started.open_tasks[0].id, officials.branch, {
        "full_name": "Phạm Văn Minh", "id_number": "001090012345", **{f"indicator_{i}": 8 for i in range(1, 11)}},
        new_uow(), {"evidence": [Upload("a.pdf", b"%PDF-1.4\n")]})
    done = tasks.complete_task(only_task(done).id, officials.branch, {"decision": "approve"}, new_uow())
    tasks.complete_task(only_task(done).id, officials.commune, {
        **APPROVAL, "signer": "Phạm Thị Dung", "signer_office": "Chủ tịch UBND phường Hoàn Kiếm"}, new_uow())
    (title,) = registry.recognised_titles(officials.branch, new_uow(), year=2026)
    text = certificate_text(title.id, officials.branch, new_uow)
    for expected in ("“CÔNG DÂN HỌC TẬP” NĂM 2026", "Công nhận công dân", "Phạm Văn Minh",
                     "ỦY BAN NHÂN DÂN PHƯỜNG HOÀN KIẾM", "CHỦ TỊCH UBND PHƯỜNG HOÀN KIẾM", "Phạm Thị Dung"):
        assert expected in text, (expected, text)
