"""Use cases on inbox filters saved under a name: an official's own, or shared with everyone of their unit and role."""
import dataclasses

from engine.dossiers.tasks import check_filter, saved_filter
from engine.errors import Forbidden, InvalidInput, NotFound
from engine.model import InboxFilter, Official, SavedFilter
from engine.storage.tables import SavedFilterRow
from engine.storage.unit_of_work import UnitOfWork, commit_or_conflict

MAX_NAME = 80  # characters of a filter's name
MAX_SAVED = 50  # filters an official may keep


def saved_filters(official: Official, uow: UnitOfWork) -> list[SavedFilter]:
    """The filters the official saved and those shared within their unit and role, by name."""
    with uow.reading():
        return [saved_filter(row) for row in uow.saved_filters.visible_to(official)]


def save_filter(official: Official, name: str, narrowed: InboxFilter, shared: bool, uow: UnitOfWork) -> SavedFilter:
    """Save the filter under `name`, for the official alone or shared within their unit and role; saving under a name
    the official already used replaces that filter."""
    name = " ".join(name.split())
    _check(name, narrowed)
    with uow:
        row = uow.saved_filters.own(official, name)
        if row is None:
            if uow.saved_filters.count_own(official) >= MAX_SAVED:
                raise InvalidInput({"name": f"Mỗi người lưu tối đa {MAX_SAVED} bộ lọc: xoá bớt một bộ lọc rồi lưu."})
            row = SavedFilterRow(username=official.username, unit_code=official.unit_code, role=official.role,
                                 name=name, created_at=uow.clock.now())
            uow.saved_filters.add(row)
        row.shared, row.narrowed = shared, dataclasses.asdict(narrowed)
        commit_or_conflict(uow, "Một bộ lọc cùng tên vừa được lưu cùng lúc; hãy thử lại.")
        return saved_filter(row)


def delete_filter(filter_id: int, official: Official, uow: UnitOfWork) -> None:
    """Delete a filter the official saved (one shared with them by another official stays)."""
    with uow:
        row = uow.saved_filters.visible(official, filter_id)
        if row is None:
            raise NotFound(f"Không có bộ lọc số {filter_id}.")
        if row.username != official.username:
            raise Forbidden(f"Bộ lọc “{row.name}” do {row.username} lưu: chỉ người lưu mới xoá được.")
        uow.saved_filters.delete(row)
        uow.commit()


def _check(name: str, narrowed: InboxFilter) -> None:
    """Refuse a nameless or overlong name and a filter no inbox could match, naming every part at once."""
    errors = {}
    if not name:
        errors["name"] = "Cần đặt tên cho bộ lọc."
    elif len(name) > MAX_NAME:
        errors["name"] = f"Tên bộ lọc tối đa {MAX_NAME} ký tự."
    try:
        check_filter(narrowed)
    except InvalidInput as error:
        errors.update(error.errors)
    if errors:
        raise InvalidInput(errors)
