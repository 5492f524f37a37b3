"""What can go wrong in a use case, in the engine's own words (the web layer maps them to HTTP)."""


class EngineError(Exception):
    """Base of every error a use case raises on purpose."""


class NotFound(EngineError):
    pass


class DossierNotFound(NotFound):
    def __init__(self, dossier_id):
        super().__init__(f"Không có hồ sơ số {dossier_id}.")


class TaskNotFound(NotFound):
    def __init__(self, task_id):
        super().__init__(f"Không có nhiệm vụ {task_id}.")


class ProcessNotFound(NotFound):
    def __init__(self, process_id):
        super().__init__(f"Không có quy trình '{process_id}' đã triển khai.")


class UnitNotFound(NotFound):
    def __init__(self, code):
        super().__init__(f"Không có đơn vị mã '{code}'.")


class Forbidden(EngineError):
    """The official may not do this (another unit's task, a role that cannot act)."""


class NotYourTask(Forbidden):
    def __init__(self):
        super().__init__("Việc này không thuộc đơn vị hoặc vai trò của bạn: mở việc từ hộp việc của bạn.")


class Conflict(EngineError):
    """The record changed under the official: the action was not applied."""


class TaskAlreadyDone(Conflict):
    """A step no longer waits: done (by whom), or `ended` without being done (the dossier withdrawn, a deadline's
    escalation): named by its step, as officials know it."""

    def __init__(self, step: str, by: str | None = None, ended: bool = False):
        if ended:
            super().__init__(f"Bước “{step}” không còn chờ xử lý: hồ sơ đã được rút hoặc đã chuyển sang bước khác; "
                             "không cần làm gì thêm.")
        else:
            who = f" bởi {by}" if by else ""
            super().__init__(f"Bước “{step}” đã được hoàn thành{who}; không thể thực hiện lại.")


# How people know the fields use cases check outside a form (a form names its own fields: its labels).
FIELD_LABELS = {
    "year": "Năm", "name": "Tên", "title": "Danh hiệu", "process": "Quy trình", "kind": "Loại", "file": "Tệp",
    "files": "Tệp", "unit": "Đơn vị", "province": "Tỉnh", "reason": "Lý do", "username": "Tên đăng nhập",
    "password": "Mật khẩu", "current_password": "Mật khẩu hiện tại",  # nosec B105: field labels, not passwords
    "new_password": "Mật khẩu mới",  # nosec B105: a field's label, not a password
    "role": "Vai trò", "scopes": "Quyền", "days": "Số ngày", "recipient": "Nơi nhận báo cáo",
    "province_deadline": "Hạn nộp của tỉnh", "commune_deadline": "Hạn nộp của xã",
    "reminder_days": "Số ngày nhắc trước hạn", "decision_number": "Số quyết định", "decision_date": "Ngày quyết định",
    "model": "Mô hình", "milestone_year": "Năm mốc", "rate": "Tỷ lệ", "q": "Tìm", "sort": "Sắp xếp", "step": "Bước",
    "after": "Trang", "body": "Nội dung gửi",
}


# A page's cursor that no page gave: the page is opened again from the start (a program follows the next page's link).
BAD_PAGE = "Địa chỉ trang không còn đúng: mở lại từ trang đầu (chương trình: theo liên kết trang sau của trang trước)."


class InvalidInput(EngineError):
    """Submitted values are wrong; `errors` maps each field to what to fix. Its message names each field as people
    know it (`labels`, else FIELD_LABELS; a list's row by its number), never by its internal name."""

    def __init__(self, errors: dict[str, str], labels: dict[str, str] | None = None):
        self.errors = errors
        known = {**FIELD_LABELS, **(labels or {})}
        super().__init__("; ".join(_named(field, message, known) for field, message in errors.items()))


def _named(field: str, message: str, labels: dict[str, str]) -> str:
    """"Danh sách đề nghị, dòng 2, Điểm: …" for "candidates.1.score"; a field no label names is left unsaid."""
    parts = [f"dòng {int(part) + 1}" if part.isdigit() else labels.get(part) for part in field.split(".")]
    said = ", ".join(part for part in parts if part)
    return f"{said}: {message}" if said else message


class DeploymentRefused(EngineError):
    """A diagram or form cannot be deployed; nothing was stored."""

    def __init__(self, file: str, reason: str, line: int | None = None, element: str | None = None):
        self.file, self.reason, self.line, self.element = file, reason, line, element
        where = file + (f", dòng {line}" if line else "") + (f", phần tử {element}" if element else "")
        super().__init__(f"{where}: {reason}")

    @classmethod
    def at(cls, file: str, element, reason: str, line: int | None = None) -> "DeploymentRefused":
        """Refused at an element of a diagram's XML: named by its id and name, with its line (or `line`, where the
        fault is in a part of the element)."""
        label = element.get("id") + (f" ({element.get('name')})" if element.get("name") else "")
        return cls(file, reason, line=line or element.sourceline, element=label)


class WorkflowFailed(EngineError):
    """The process itself failed while running (a diagram error surfaced at run time)."""
