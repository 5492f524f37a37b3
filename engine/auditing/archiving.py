"""Use case: move audit rows older than a day to the archive table, a batch a transaction. Each batch is copied, then
deleted from the live table, whose trigger lets a row go only once the same row (id and hash) is in the archive: an
archive run can move rows, never drop them. Verifying reads both tables as one chain per dossier."""
from datetime import date

from engine.auditing.anchors import day_bounds
from engine.clock import today_in_vietnam
from engine.errors import InvalidInput

BATCH = 5000


def archive_audit(before: date, new_uow, batch: int = BATCH) -> int:
    """Move every live audit row written before `before` (a day in Vietnam) to the archive; how many moved."""
    moved = 0
    while True:
        with new_uow() as uow:
            if before > today_in_vietnam(uow.clock):
                raise InvalidInput({"before": f"Ngày {before:%d/%m/%Y} chưa đến: chỉ lưu trữ hàng của những ngày "
                                              "đã qua."})
            row_ids = uow.audit.live_before(day_bounds(before)[0], batch)
            if not row_ids:
                return moved
            uow.audit.archive(row_ids)
            uow.commit()
        moved += len(row_ids)
