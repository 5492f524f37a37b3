"""The JSON API's shapes as marshmallow schemas: what each route reads (path, query, body) and answers, from which
flask-smorest writes the OpenAPI description (/api/openapi.json). Answers are sent as web.views.api.plain makes them;
these schemas describe them, and the fuzz test (tests/e2e/test_api_fuzz.py) checks every answer against them."""
import marshmallow as ma
from marshmallow import fields, validate

from engine.dossiers.saved_filters import MAX_NAME as MAX_FILTER_NAME
from engine.dossiers.tasks import INBOX_PAGE
from engine.dossiers.unit_dossiers import PAGE as UNIT_PAGE
from engine.model import INBOX_SORTS, DossierStatus, ReportKind
from web.forms import ascii_int

MAX_PAGE = 500
MAX_ID = 2**63 - 1  # dossiers and decisions are numbered in BIGINT columns: a larger number reached the database
MAX_YEAR = 9999  # years are INTEGER columns; past this a year is a typo, not a query


class AsciiInt(fields.Integer):
    """An integer in plain ASCII digits: Python's int() also reads '²'-like digits of other scripts, which we refuse."""

    def _deserialize(self, value, attr, data, **kwargs):
        number = ascii_int(value) if isinstance(value, str) else None
        if number is None:
            raise self.make_error("invalid")
        return super()._deserialize(number, attr, data, **kwargs)


class Values(ma.Schema):
    """A JSON object of any fields (a form's values, a dossier's data): each form checks its own."""

    class Meta:
        unknown = ma.INCLUDE


# Reading


class StartDossier(ma.Schema):
    process = fields.String(required=True, metadata={"description": "Mã quy trình (GET /api/processes)."},
                            validate=validate.Length(min=1, error="Cần 'process' (mã quy trình)."),
                            error_messages={"required": "Cần 'process' (mã quy trình).",
                                            "invalid": "'process' phải là một chuỗi (mã quy trình).",
                                            "null": "'process' phải là một chuỗi (mã quy trình)."})
    data = fields.Dict(load_default=dict, metadata={"description": "Dữ liệu mở hồ sơ: year (bắt buộc), title (bắt "
                                                                   "buộc khi quy trình có nhiều danh hiệu), name.",
                                                    "additionalProperties": True},
                       error_messages={"invalid": "'data' phải là một đối tượng.", "null": "'data' phải là một đối tượng."})

    class Meta:
        unknown = ma.EXCLUDE  # as before: fields other than these two are not read


class Withdrawal(ma.Schema):
    reason = fields.String(required=True, metadata={"description": "Lý do rút hồ sơ (bắt buộc, tối đa 1000 ký tự)."},
                           error_messages={"required": "Cần 'reason' (lý do rút hồ sơ).",
                                           "invalid": "'reason' phải là một chuỗi (lý do rút hồ sơ).",
                                           "null": "'reason' phải là một chuỗi (lý do rút hồ sơ)."})

    class Meta:
        unknown = ma.EXCLUDE


class TaskFiles(Values):
    """Multipart: the values as JSON in part `values`, each file in a part named after its field."""
    values = fields.String(metadata={"description": "Các giá trị của biểu mẫu, dạng JSON."})


def _bounded(label: str, top: int, **options) -> fields.Integer:
    """A whole number from 0 to `top`, refused naming `label` (an id past its column's range is no row's)."""
    return fields.Integer(validate=validate.Range(min=0, max=top, error=f"{label} phải từ 0 đến {top}."), **options)


class DossierPath(ma.Schema):
    dossier_id = _bounded("Mã hồ sơ", MAX_ID, required=True)


class TaskPath(ma.Schema):
    task_id = fields.String(required=True)


class DecisionPath(ma.Schema):
    decision_id = _bounded("Mã quyết định", MAX_ID, required=True)


class ReportPath(ma.Schema):
    kind = fields.String(required=True, metadata={"enum": [kind.value for kind in ReportKind],
                                                  "description": "Loại kỳ báo cáo (một kỳ chưa mở: 404)."})
    year = _bounded("Năm", MAX_YEAR, required=True)


class InboxFilter(ma.Schema):
    """The inbox's filter: in /api/tasks's query, and what a saved filter keeps."""
    q = fields.String(metadata={"description": "Số hồ sơ, hoặc chữ trong tên hồ sơ hay tên đối tượng (không dấu cũng "
                                               "được: nguyen van an)."})
    title = fields.String(metadata={"description": "Danh hiệu (family, clan, ..., annual_models)."})
    year = AsciiInt(error_messages={"invalid": "Năm phải là số, ví dụ 2026."})
    step = fields.String(metadata={"description": "Mã bước trong sơ đồ (step của việc)."})
    unit = fields.String(metadata={"description": "Đơn vị đề nghị (chi hội) hoặc xã của nó."})
    overdue = fields.Boolean(metadata={"description": "Chỉ việc quá hạn."})
    returned = fields.Boolean(metadata={"description": "Chỉ việc bị cấp trên trả lại đơn vị (vòng bổ sung)."})
    sort = fields.String(metadata={"enum": list(INBOX_SORTS), "description": "received (mới nhận trước, mặc định), "
                                                                             "due (hạn gần trước), name (theo tên)."})


class InboxQuery(InboxFilter):
    size = AsciiInt(load_default=INBOX_PAGE, validate=validate.Range(min=1, max=MAX_PAGE,
                                                                     error=f"Cỡ trang phải từ 1 đến {MAX_PAGE}."),
                    error_messages={"invalid": f"Cỡ trang phải từ 1 đến {MAX_PAGE}."})
    after = fields.String(metadata={"description": "Trang sau: giá trị từ header Link (rel=next)."})


class FilterBody(InboxFilter):
    """The inbox's filter in a JSON body: a year as a number; null for a part left out, as GET /api/filters gives it."""
    title = fields.String(allow_none=True)
    year = _bounded("Năm", MAX_YEAR, allow_none=True)
    step = fields.String(allow_none=True)
    unit = fields.String(allow_none=True)

    class Meta:
        unknown = ma.EXCLUDE


class SaveFilter(ma.Schema):
    name = fields.String(required=True, metadata={"description": f"Tên bộ lọc (tối đa {MAX_FILTER_NAME} ký tự; "
                                                                 "trùng tên một bộ lọc của mình: thay bộ lọc đó)."},
                         error_messages={"required": "Cần 'name' (tên bộ lọc).",
                                         "invalid": "'name' phải là một chuỗi (tên bộ lọc).",
                                         "null": "'name' phải là một chuỗi (tên bộ lọc)."})
    shared = fields.Boolean(load_default=False, metadata={
        "description": "true: mọi người cùng đơn vị và vai trò thấy bộ lọc; false (mặc định): chỉ mình."})
    filter = fields.Nested(FilterBody, load_default=dict, metadata={"description": "Bộ lọc, như query của GET "
                                                                                    "/api/tasks."})

    class Meta:
        unknown = ma.EXCLUDE


class FilterPath(ma.Schema):
    filter_id = _bounded("Mã bộ lọc", MAX_ID, required=True)


class UnitDossiersQuery(ma.Schema):
    size = AsciiInt(load_default=UNIT_PAGE, validate=validate.Range(min=1, max=MAX_PAGE,
                                                                    error=f"Cỡ trang phải từ 1 đến {MAX_PAGE}."),
                    error_messages={"invalid": f"Cỡ trang phải từ 1 đến {MAX_PAGE}."})
    after = fields.String(metadata={"description": "Trang sau: giá trị từ header Link (rel=next)."})
    status = fields.String(metadata={"enum": [status.value for status in DossierStatus],
                                     "description": "Trạng thái hồ sơ."})
    year = AsciiInt(error_messages={"invalid": "Năm phải là số, ví dụ 2026."})


class RegistryQuery(ma.Schema):
    year = AsciiInt(validate=validate.Range(min=0, max=MAX_YEAR, error=f"Năm phải từ 0 đến {MAX_YEAR}."),
                    error_messages={"invalid": "Năm phải là số, ví dụ 2026."})
    unit = fields.String(metadata={"description": "Mã đơn vị (mặc định: đơn vị của người gọi)."})


# Answers


class Error(ma.Schema):
    """Every refusal under /api: the reason, and for bad input each field with what is wrong with it."""
    error = fields.String(required=True)
    errors = fields.Dict(keys=fields.String(), values=fields.String())


class Process(ma.Schema):
    id = fields.String(required=True)
    name = fields.String(required=True)
    version = fields.Integer(required=True)
    titles = fields.List(fields.String(), required=True)


class OpenTask(ma.Schema):
    id = fields.String(required=True)
    dossier_id = fields.Integer(required=True)
    process = fields.String(required=True)
    title = fields.String(required=True)
    step = fields.String(required=True)
    step_name = fields.String(required=True)
    lane = fields.String(required=True)
    role = fields.String(required=True)
    unit_code = fields.String(required=True)
    dossier_name = fields.String(allow_none=True, metadata={"description": "Tên hồ sơ (trong hộp việc)."})
    proposer = fields.String(allow_none=True, metadata={"description": "Tên đơn vị đề nghị (trong hộp việc)."})
    return_reason = fields.String(allow_none=True, metadata={
        "description": "Lý do cấp trên trả lại, nếu việc là vòng bổ sung sau khi bị trả lại (\"\": không ghi lý do)."})
    created_at = fields.DateTime(required=True)
    due_at = fields.DateTime(required=True, allow_none=True)


class StoredFilter(ma.Schema):
    q = fields.String(required=True)
    title = fields.String(required=True, allow_none=True)
    year = fields.Integer(required=True, allow_none=True)
    step = fields.String(required=True, allow_none=True)
    unit = fields.String(required=True, allow_none=True)
    overdue = fields.Boolean(required=True)
    returned = fields.Boolean(required=True)
    sort = fields.String(required=True)


class SavedFilter(ma.Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    owner = fields.String(required=True, metadata={"description": "Tài khoản đã lưu bộ lọc."})
    shared = fields.Boolean(required=True, metadata={"description": "Chia sẻ với cả đơn vị (cùng vai trò)."})
    mine = fields.Boolean(required=True, metadata={"description": "Người gọi đã lưu (xoá được)."})
    filter = fields.Nested(StoredFilter, required=True, metadata={"description": "Dùng làm query của GET /api/tasks."})


class HistoryEntry(ma.Schema):
    at = fields.DateTime(required=True)
    username = fields.String(required=True)
    role = fields.String(required=True)
    unit_code = fields.String(required=True)
    action = fields.String(required=True)
    step = fields.String(required=True, allow_none=True)
    task_id = fields.String(required=True, allow_none=True)
    payload = fields.Dict(required=True)


class Attachment(ma.Schema):
    id = fields.Integer(required=True)
    field = fields.String(required=True)
    file_name = fields.String(required=True)
    media_type = fields.String(required=True)
    size = fields.Integer(required=True)


STATUS = fields.String(required=True, validate=validate.OneOf([status.value for status in DossierStatus]))


class Dossier(ma.Schema):
    id = fields.Integer(required=True)
    process = fields.String(required=True)
    process_name = fields.String(required=True)
    process_version = fields.Integer(required=True)
    title = fields.String(required=True)
    status = STATUS
    year = fields.Integer(required=True)
    branch_code = fields.String(required=True)
    commune_code = fields.String(required=True)
    province_code = fields.String(required=True)
    data = fields.Dict(required=True)
    open_tasks = fields.List(fields.Nested(OpenTask), required=True)
    history = fields.List(fields.Nested(HistoryEntry), required=True)
    created_at = fields.DateTime(required=True)
    updated_at = fields.DateTime(required=True)
    attachments = fields.List(fields.Nested(Attachment), required=True)
    trail = fields.List(fields.String(), required=True, metadata={"description": "Bước đã qua và luồng đã đi."})
    withdrawable = fields.Boolean(required=True, metadata={"description": "Người gọi rút được hồ sơ lúc này không."})
    unit_names = fields.Dict(keys=fields.String(), values=fields.String(), required=True, metadata={
        "description": "Tên các đơn vị hồ sơ nhắc đến (của hồ sơ, nơi đang chờ, trong lịch sử), theo mã."})


class Waiting(ma.Schema):
    step_name = fields.String(required=True)
    unit = fields.String(required=True, metadata={"description": "Tên đơn vị đang giữ bước."})
    since = fields.DateTime(required=True)


class UnitDossier(ma.Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True, allow_none=True)
    title = fields.String(required=True)
    year = fields.Integer(required=True)
    status = STATUS
    proposer = fields.String(required=True, metadata={"description": "Tên đơn vị đề nghị."})
    waiting = fields.List(fields.Nested(Waiting), required=True, metadata={"description": "Các bước đang chờ."})
    updated_at = fields.DateTime(required=True)


class Started(ma.Schema):
    id = fields.Integer(required=True)
    open_tasks = fields.List(fields.Nested(OpenTask), required=True)


class Withdrawn(ma.Schema):
    id = fields.Integer(required=True)
    status = STATUS
    cancelled = fields.List(fields.String(), required=True, metadata={"description": "Các bước đang chờ đã hủy."})


class FormField(ma.Schema):
    name = fields.String(required=True)
    label = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(["string", "number", "date", "choice", "list",
                                                                 "files"]))
    options = fields.List(fields.List(fields.String()), required=True,
                          metadata={"description": "Các lựa chọn: [giá trị, nhãn]."})
    item_fields = fields.List(fields.Nested(lambda: FormField()), required=True)


class FormRules(ma.Schema):
    table = fields.String(required=True, metadata={"description": "Tên bảng quyết định bước này đối chiếu."})
    source = fields.String(required=True, metadata={"description": "Bảng của ai, phiên bản nào."})
    pass_mark = fields.Float(required=True, allow_none=True, metadata={"description": "Ngưỡng điểm phải đạt."})
    indicators = fields.List(fields.String(), required=True, metadata={"description": "Chỉ số bảng đọc, kèm điểm."})
    rules = fields.List(fields.String(), required=True, metadata={"description": "Từng quy tắc của bảng."})


class TaskDetail(OpenTask):
    status = fields.String(required=True)
    form_title = fields.String(required=True)
    documentation = fields.String(required=True)
    rules = fields.Nested(FormRules, required=True, allow_none=True, metadata={
        "description": "Bảng quyết định mà bài gửi của bước phải đạt (null: bước không đối chiếu bảng nào)."})
    fields_ = fields.List(fields.Nested(FormField), required=True, data_key="fields")
    values = fields.Dict(required=True)
    dossier_status = STATUS


class DraftFile(ma.Schema):
    id = fields.Integer(required=True)
    field = fields.String(required=True)
    file_name = fields.String(required=True)
    size = fields.Integer(required=True)


class Draft(ma.Schema):
    values = fields.Dict(required=True, metadata={"description": "Các giá trị đã lưu, chưa được kiểm tra."})
    saved_at = fields.DateTime(required=True)
    files = fields.List(fields.Nested(DraftFile), required=True,
                        metadata={"description": "Tệp đã chọn trong bản nháp; gửi kèm khi hoàn thành trên trang."})


class Completed(ma.Schema):
    dossier_id = fields.Integer(required=True)
    status = STATUS
    next_tasks = fields.List(fields.Nested(OpenTask), required=True)


class RecognisedTitle(ma.Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    subject_name = fields.String(required=True)
    score = fields.Float(required=True, allow_none=True)
    year = fields.Integer(required=True)
    branch_code = fields.String(required=True)
    commune_code = fields.String(required=True)
    province_code = fields.String(required=True)
    dossier_id = fields.Integer(required=True)
    decision_number = fields.String(required=True)
    decision_date = fields.Date(required=True)
    signer = fields.String(required=True)
    valid_until = fields.Date(required=True)
    level = fields.Integer(required=True, allow_none=True)
    decision_id = fields.Integer(required=True, allow_none=True)


class RecognitionDecision(ma.Schema):
    id = fields.Integer(required=True)
    number = fields.String(required=True)
    decided_on = fields.Date(required=True)
    deciding_unit = fields.String(required=True)
    signer_name = fields.String(required=True)
    signer_office = fields.String(required=True)
    title = fields.String(required=True)
    subjects = fields.List(fields.Nested(RecognisedTitle), required=True)


class TitleCount(ma.Schema):
    year = fields.Integer(required=True)
    title = fields.String(required=True)
    province_code = fields.String(required=True)
    commune_code = fields.String(required=True)
    count = fields.Integer(required=True)


class Indicator(ma.Schema):
    name = fields.String(required=True)
    label = fields.String(required=True)


class ModelFigures(ma.Schema):
    model = fields.String(required=True)
    registered = fields.Integer(required=True)
    recognised = fields.Integer(required=True)
    total = fields.Integer(required=True)
    rate_of_registered = fields.Float(required=True, allow_none=True)
    rate_of_total = fields.Float(required=True, allow_none=True)
    target = fields.Float(required=True)
    gap = fields.Float(required=True, allow_none=True)


FIGURES = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)


class UnitFigures(ma.Schema):
    code = fields.String(required=True)
    name = fields.String(required=True)
    values = FIGURES
    own = FIGURES
    models = fields.List(fields.Nested(ModelFigures), required=True)
    communes = fields.Integer(required=True)
    accepted = fields.Integer(required=True)
    waiting = fields.Integer(required=True)
    overdue = fields.Integer(required=True)
    sent_at = fields.DateTime(required=True, allow_none=True)
    asked = fields.Boolean(required=True, metadata={
        "description": "Các xã đã được giao báo cáo (false: tỉnh chưa đặt hạn cho xã, `waiting` 0 không có nghĩa là "
                       "đã nộp đủ)."})


class Report(ma.Schema):
    kind = fields.String(required=True)
    year = fields.Integer(required=True)
    unit_code = fields.String(required=True)
    indicators = fields.List(fields.Nested(Indicator), required=True)
    rows = fields.List(fields.Nested(UnitFigures), required=True)
    values = FIGURES
    own = FIGURES
    totals = fields.List(fields.Nested(ModelFigures), required=True)
    deadline = fields.DateTime(required=True)
    past_deadline = fields.Boolean(required=True)
    sent_at = fields.DateTime(required=True, allow_none=True)
