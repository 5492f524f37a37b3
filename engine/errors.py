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
    def __init__(self, task_id):
        super().__init__(f"Nhiệm vụ {task_id} không thuộc đơn vị hoặc vai trò của bạn.")


class Conflict(EngineError):
    """The record changed under the official: the action was not applied."""


class TaskAlreadyDone(Conflict):
    def __init__(self, task_id, by=None):
        who = f" bởi {by}" if by else ""
        super().__init__(f"Nhiệm vụ {task_id} đã được hoàn thành{who}; không thể thực hiện lại.")


class InvalidInput(EngineError):
    """Submitted values are wrong; `errors` maps each field to what to fix."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors.items()))


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
