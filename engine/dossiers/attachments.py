"""Files submitted with a step (evidence, self-assessment reports, meeting minutes): recognised by their content,
stored with the dossier in the step's transaction, read back by whoever may see the dossier."""
import hashlib
import unicodedata
from dataclasses import dataclass
from pathlib import PurePath

from engine.dossiers.forms import Form
from engine.errors import InvalidInput, NotFound
from engine.model import Official
from engine.storage.tables import AttachmentRow, DossierRow
from engine.storage.unit_of_work import UnitOfWork

MAX_FILE_BYTES = 10_000_000
# What officials scan or write evidence in, recognised by the first bytes, never by the name a browser sends.
_SIGNATURES = ((b"%PDF-", "application/pdf"), (b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"))
# Office files are zip archives: only these two, named as such.
_OFFICE = {".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
           ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
ACCEPTED = "PDF, ảnh JPEG/PNG, Word .docx hoặc Excel .xlsx"
_EXTENSIONS = {"application/pdf": (".pdf",), "image/png": (".png",), "image/jpeg": (".jpg", ".jpeg"),
               **{media_type: (extension,) for extension, media_type in _OFFICE.items()}}


@dataclass(frozen=True)
class Upload:
    file_name: str
    content: bytes


@dataclass(frozen=True)
class AttachmentInfo:
    id: int
    field: str
    file_name: str
    media_type: str
    size: int


def with_files(uow: UnitOfWork, dossier: DossierRow, form: Form, submitted: dict,
               uploads: dict[str, list[Upload]], official: Official) -> dict:
    """The submitted values with each file field holding its files' ids: the ones kept from earlier steps (this
    dossier's, of the same field) and the new uploads, stored now and rolled back with the step if it fails."""
    file_fields = {field.name for field in form.fields if field.kind == "files"}
    errors = {name: "Biểu mẫu không có trường tệp này." for name in uploads if name not in file_fields}
    earlier = uow.attachments.of_dossier(dossier.id) if file_fields else {}
    new_rows = []
    for name in sorted(file_fields):
        kept = submitted.get(name, [])
        if not isinstance(kept, list) or not all(type(i) is int for i in kept):
            errors[name] = "Phải là danh sách mã số các tệp đã gửi trước (số nguyên)."
        elif any(earlier.get(i) is None or earlier[i].field != name for i in kept):
            errors[name] = "Có tệp không thuộc hồ sơ này hoặc không thuộc trường này."
        new_rows += [row for upload in uploads.get(name, [])
                     if (row := _stored(upload, dossier, name, official, uow, errors)) is not None]
    if errors:
        raise InvalidInput(errors)
    uow.attachments.add_all(new_rows)
    values = dict(submitted)
    for row in new_rows:
        values[row.field] = [*values.get(row.field, []), row.id]
    return values


def _stored(upload: Upload, dossier: DossierRow, field: str, official: Official, uow: UnitOfWork,
            errors: dict) -> AttachmentRow | None:
    try:
        file = checked(upload, field)
    except InvalidInput as refused:
        errors.update(refused.errors)
        return None
    return AttachmentRow(dossier_id=dossier.id, field=field, file_name=file.file_name, media_type=file.media_type,
                         size=len(file.content), sha256=hashlib.sha256(file.content).hexdigest(),
                         content=file.content, uploaded_by=official.username, uploaded_at=uow.clock.now())


@dataclass(frozen=True)
class CheckedFile:
    file_name: str  # no folder part, with the extension of what the file is
    media_type: str
    content: bytes


def checked(upload: Upload, field: str) -> CheckedFile:
    """An upload recognised by its content, within the size limit, under the name it is kept as; else InvalidInput
    naming the field and the file."""
    name = _clean_name(upload.file_name)
    media_type = _media_type(name, upload.content)
    if not upload.content:
        raise InvalidInput({field: f"Tệp “{name}” rỗng."})
    if len(upload.content) > MAX_FILE_BYTES:
        raise InvalidInput({field: f"Tệp “{name}” lớn hơn {MAX_FILE_BYTES // 1_000_000} MB."})
    if media_type is None:
        raise InvalidInput({field: f"Tệp “{name}” không nhận được: chỉ nhận {ACCEPTED}."})
    return CheckedFile(_named_as(name, media_type), media_type, upload.content)


def _clean_name(file_name: str) -> str:
    """The name without any folder part or control characters, at most 200 characters."""
    name = PurePath(file_name.replace("\\", "/")).name
    name = "".join(c for c in unicodedata.normalize("NFC", name) if unicodedata.category(c)[0] != "C").strip()
    return (name or "tep")[-200:]


def _named_as(name: str, media_type: str) -> str:
    """The name with the extension of what the file is, so a download opens in the right program only."""
    path = PurePath(name)
    extension = path.suffix.lower()
    if extension in _EXTENSIONS[media_type]:
        return name
    return path.stem[:190] + _EXTENSIONS[media_type][0]


def _media_type(name: str, content: bytes) -> str | None:
    for signature, media_type in _SIGNATURES:
        if content.startswith(signature):
            return media_type
    if content.startswith(b"PK\x03\x04"):
        return _OFFICE.get(PurePath(name).suffix.lower())
    return None


def attachments_of(uow: UnitOfWork, dossier_id: int) -> tuple[AttachmentInfo, ...]:
    return tuple(AttachmentInfo(row.id, row.field, row.file_name, row.media_type, row.size)
                 for row in sorted(uow.attachments.of_dossier(dossier_id).values(), key=lambda r: r.id))


def download(attachment_id: int, official: Official, uow: UnitOfWork) -> tuple[AttachmentInfo, bytes]:
    """A file of a dossier the official may see."""
    with uow:
        row = uow.attachments.get(attachment_id)
        # The same answer whether the file does not exist or is out of reach: no probing other units' files.
        if row is None or uow.dossiers.visible(official, row.dossier_id) is None:
            raise NotFound(f"Không có tệp số {attachment_id} trong phạm vi của bạn.")
        return AttachmentInfo(row.id, row.field, row.file_name, row.media_type, row.size), row.content
