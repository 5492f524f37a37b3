"""Form validation: the contract fields and the messages an official reads. Bad inputs tried are listed below."""
import json
from pathlib import Path

import pytest

from engine.dossiers import forms
from engine.errors import InvalidInput

FORMS = Path(__file__).parents[2] / "bpmn" / "forms"


def schema(name):
    return forms.load_schema(name, (FORMS / name).read_text())


def validate(name, values):
    return forms.Form(schema(name)).validate(values)


def errors_of(name, values):
    with pytest.raises(InvalidInput) as caught:
        validate(name, values)
    return caught.value.errors


def test_valid_submissions_pass():
    validate("verification.schema.json", {"decision": "approve"})
    validate("verification.schema.json", {"decision": "return", "comment": "Thiếu minh chứng"})
    validate("candidate_list.schema.json", {"candidates": [{"name": "Nguyễn Văn A", "score": 80.5}]})
    validate("approval.schema.json", {"decision": "approve", "decision_number": "12/QĐ-UBND",
                                                    "decision_date": "2026-12-01", "signer": "Lê Văn C", "signer_office": "Chủ tịch"})


@pytest.mark.parametrize("decision", ["return", "reject"])
def test_comment_is_required_to_return_or_reject(decision):
    assert errors_of("verification.schema.json", {"decision": decision}) == {"comment": "Bắt buộc nhập."}
    assert errors_of("approval.schema.json", {"decision": decision, "comment": "   "}) == {
        "comment": "Không được để trống."}


@pytest.mark.parametrize(("values", "expected"), [
    ({}, {"decision": "Bắt buộc nhập."}),
    ({"decision": "maybe"}, {"decision": "Phải là một trong: approve, return, reject."}),
    ({"decision": "approve", "extra": 1}, {"extra": "Trường này không có trong biểu mẫu."}),
])
def test_bad_decisions(values, expected):
    assert errors_of("verification.schema.json", values) == expected


def test_approval_needs_the_decision_particulars():
    errors = errors_of("approval.schema.json", {"decision": "approve", "decision_date": "20/11/2026"})
    assert errors == {"decision_number": "Bắt buộc nhập.", "signer": "Bắt buộc nhập.", "signer_office": "Bắt buộc nhập.",
                      "decision_date": "Ngày không hợp lệ, nhập theo dạng YYYY-MM-DD."}


@pytest.mark.parametrize(("values", "expected"), [
    ({}, {"candidates": "Bắt buộc nhập."}),
    ({"candidates": []}, {"candidates": "Cần ít nhất 1 dòng."}),
    ({"candidates": [{"name": "A", "score": "tám"}]}, {"candidates.0.score": "Phải là một số."}),
    ({"candidates": [{"name": "A", "score": 101}]}, {"candidates.0.score": "Không được lớn hơn 100."}),
    ({"candidates": [{"name": " ", "score": 50}]}, {"candidates.0.name": "Không được để trống."}),
    ({"candidates": [{"name": "A", "score": 50}, {"score": 60}]}, {"candidates.1.name": "Bắt buộc nhập."}),
    ({"candidates": "A, B"}, {"candidates": "Phải là một danh sách."}),
])
def test_bad_candidate_lists(values, expected):
    assert errors_of("candidate_list.schema.json", values) == expected


def test_fields_describe_the_form_for_pages_and_api():
    fields = {f.name: f for f in forms.fields_of(schema("approval.schema.json"))}
    assert fields["decision"].kind == "choice"
    assert [value for value, _ in fields["decision"].options] == ["approve", "return", "reject"]
    assert fields["decision_date"].kind == "date"
    candidates = forms.fields_of(schema("candidate_list.schema.json"))[0]
    assert candidates.kind == "list" and [f.name for f in candidates.item_fields] == ["name", "score"]


def test_a_broken_schema_is_refused_with_the_line():
    with pytest.raises(ValueError, match="dòng 2"):
        forms.load_schema("x.json", '{"type": "object",\n "properties": }')
    with pytest.raises(ValueError, match="JSON Schema sai"):
        forms.load_schema("x.json", json.dumps({"type": "object", "properties": {"a": {"type": 5}}}))


@pytest.mark.parametrize("number", [float("nan"), float("inf"), float("-inf")])
def test_non_finite_numbers_are_refused(number):
    errors = errors_of("candidate_list.schema.json", {"candidates": [{"name": "A", "score": number}]})
    assert errors == {"candidates.0.score": "Phải là một số hữu hạn."}
