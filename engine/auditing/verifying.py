"""Use case: verify the audit. Every dossier's chain is recomputed, its archived and live rows as one, a batch of
dossiers a read (never every row at once); then every province's anchors: their own chain, a day no province may lack
once another has it, and the heads they name. It stops at the first broken link, in that order."""
from dataclasses import dataclass
from datetime import date
from itertools import groupby
from operator import attrgetter

from engine.auditing import chain
from engine.auditing.anchors import day_bounds
from engine.errors import InvalidInput
from engine.model import MINISTRY_CODE, UnitLevel
from engine.storage.tables import AuditAnchorRow
from engine.storage.unit_of_work import UnitOfWork

BATCH = 500  # dossiers whose rows are read at once
HEADS_BATCH = 1000  # an anchor's heads looked up at once

# What a broken link can be.
CHANGED, LINK, MISSING, HEAD, ANCHOR = "row changed", "link broken", "row missing", "head missing", "anchor broken"


@dataclass(frozen=True)
class BrokenLink:
    problem: str  # CHANGED, LINK, MISSING, HEAD or ANCHOR
    what: str  # what is wrong, for the official who reads it
    dossier_id: int | None = None
    row_id: int | None = None
    province_code: str | None = None
    day: date | None = None

    def __str__(self) -> str:
        where = ([f"hồ sơ {self.dossier_id}"] if self.dossier_id is not None else []) + \
                ([f"hàng {self.row_id}"] if self.row_id is not None else []) + \
                ([f"mốc neo của {self.province_code} ngày {self.day:%d/%m/%Y}"] if self.province_code else [])
        return f"{', '.join(where)}: {self.what}"


@dataclass
class Verification:
    rows: int = 0  # rows whose hash and link were checked
    anchors: int = 0  # anchors checked
    broken: BrokenLink | None = None  # the first broken link, or None: the audit is intact


def verify_audit(new_uow, province_code: str | None = None, since: date | None = None,
                 batch: int = BATCH) -> Verification:
    """Check every chain and anchor (of one province; of dossiers written to and days from `since`)."""
    with new_uow() as uow:
        _check_province(uow, province_code)
    result = Verification()
    result.broken = (_verify_chains(new_uow, province_code, since, batch, result)
                     or _verify_anchors(new_uow(), province_code, since, result))
    return result


def _check_province(uow: UnitOfWork, province_code: str | None) -> None:
    if province_code is None or province_code == MINISTRY_CODE:
        return
    unit = uow.units.get(province_code)
    if unit is None or unit.level != UnitLevel.PROVINCE:
        raise InvalidInput({"province": f"'{province_code}' không phải mã một tỉnh (ví dụ 01), hay VN (Bộ)."})


def _verify_chains(new_uow, province_code: str | None, since: date | None, batch: int,
                   result: Verification) -> BrokenLink | None:
    moment = day_bounds(since)[0] if since else None
    after = 0
    while True:
        with new_uow() as uow:
            heads = dict(uow.audit.dossiers_after(after, batch, province_code, moment))
            if not heads:
                return None
            broken = _verify_batch(heads, uow.audit.chains_of(list(heads)), result)
        if broken:
            return broken
        after = max(heads)


def _verify_batch(heads: dict[int, str | None], rows, result: Verification) -> BrokenLink | None:
    """Walk the rows (by dossier, then id) of these dossiers, in the order of their ids, each to the head its
    dossier keeps."""
    chains = groupby(rows, key=attrgetter("dossier_id"))
    current = next(chains, None)
    for dossier_id, head in heads.items():
        if current is None or current[0] != dossier_id:
            return BrokenLink(MISSING, "hồ sơ không còn hàng nhật ký nào (mọi hồ sơ có ít nhất hàng mở hồ sơ).",
                              dossier_id)
        broken = _verify_chain(dossier_id, current[1], head, result)
        if broken:
            return broken
        current = next(chains, None)
    return None


def _verify_chain(dossier_id: int, rows, head: str | None, result: Verification) -> BrokenLink | None:
    expected, known, last_id = chain.GENESIS, {chain.GENESIS}, None
    for row in rows:
        where = " (trong kho lưu trữ)" if row.archived else ""
        if chain.row_hash(row, row.previous_hash) != row.row_hash:
            return BrokenLink(CHANGED, f"nội dung hàng{where} đã bị sửa (mã băm không khớp nội dung).", dossier_id,
                              row.id)
        if row.previous_hash != expected:
            if row.previous_hash in known:
                return BrokenLink(LINK, f"hàng{where} không nối với hàng ngay trước nó (thứ tự bị đổi hoặc có hàng "
                                        "bị chèn).", dossier_id, row.id)
            return BrokenLink(MISSING, f"thiếu hàng ngay trước hàng này{where}: hàng mà nó nối tới đã bị xoá "
                                       "(hoặc bị sửa).", dossier_id, row.id)
        known.add(row.row_hash)
        expected, last_id = row.row_hash, row.id
        result.rows += 1
    if expected != head:
        return BrokenLink(HEAD, "chuỗi không kết thúc ở hàng cuối mà hồ sơ ghi nhận: hàng cuối của chuỗi đã bị xoá "
                                "(hoặc đầu chuỗi trên hồ sơ bị sửa).", dossier_id, last_id)
    return None


def _verify_anchors(uow: UnitOfWork, province_code: str | None, since: date | None,
                    result: Verification) -> BrokenLink | None:
    with uow:
        every_day = uow.audit.anchored_days()
        province, expected, days, seen = None, chain.GENESIS, set(), set()
        for anchor in uow.audit.anchors(province_code):
            if anchor.province_code != province:
                broken = _day_missing(province, days, every_day, since)
                if broken:
                    return broken
                province, expected, days = anchor.province_code, chain.GENESIS, set()
                seen.add(province)
            broken = _verify_anchor(uow, anchor, expected, since)
            if broken:
                return broken
            expected = anchor.anchor_hash
            days.add(anchor.day)
            result.anchors += 1
        return _day_missing(province, days, every_day, since) or _unanchored(uow, province_code, seen, every_day)


def _unanchored(uow: UnitOfWork, province_code: str | None, seen: set[str], every_day: set[date]
                ) -> BrokenLink | None:
    """A province with no anchor at all, though anchoring has begun: each run anchors every province (a province
    added to the units since the last run is reported too, until the next)."""
    provinces = [province_code] if province_code else sorted({u.code for u in uow.units.provinces()} | {MINISTRY_CODE})
    missing = [province for province in provinces if province not in seen]
    if not every_day or not missing:
        return None
    return BrokenLink(ANCHOR, "tỉnh này không còn mốc neo nào (các tỉnh khác có): mốc neo đã bị xoá.",
                      province_code=missing[0], day=min(every_day))


def _verify_anchor(uow: UnitOfWork, anchor: AuditAnchorRow, expected: str, since: date | None) -> BrokenLink | None:
    def broken(what: str) -> BrokenLink:
        return BrokenLink(ANCHOR, what, province_code=anchor.province_code, day=anchor.day)

    if chain.anchor_hash(anchor.province_code, anchor.day.isoformat(), anchor.heads,
                         anchor.previous_hash) != anchor.anchor_hash:
        return broken("mốc neo đã bị sửa (mã băm không khớp nội dung).")
    if anchor.previous_hash != expected:
        return broken("mốc neo trước nó của tỉnh này đã bị xoá hoặc bị sửa.")
    if since is not None and anchor.day < since:
        return None
    return _verify_heads(uow, anchor)


def _verify_heads(uow: UnitOfWork, anchor: AuditAnchorRow) -> BrokenLink | None:
    """Each head the anchor names is still in its dossier's chain (live or archived), with the hash it had."""
    heads = list(anchor.heads.items())
    for start in range(0, len(heads), HEADS_BATCH):
        part = heads[start:start + HEADS_BATCH]
        found = uow.audit.hashes_of([head["row"] for _, head in part])
        for dossier, head in part:
            stored = found.get(head["row"])
            if stored != (int(dossier), head["hash"]):
                what = "không còn" if stored is None else "không còn như khi neo"
                return BrokenLink(HEAD, f"hàng cuối của hồ sơ trong ngày {anchor.day:%d/%m/%Y} {what} (theo mốc neo "
                                        f"của {anchor.province_code} ngày đó): hàng cuối của chuỗi bị xoá.",
                                  int(dossier), head["row"], day=anchor.day)
    return None


def _day_missing(province: str | None, days: set[date], every_day: set[date], since: date | None
                 ) -> BrokenLink | None:
    """A day anchored for some province but not this one, since this one's first anchor: its anchor was removed."""
    if province is None:
        return None
    missing = sorted(day for day in every_day - days if day >= min(days) and (since is None or day >= since))
    if not missing:
        return None
    return BrokenLink(ANCHOR, "không có mốc neo ngày này (các tỉnh khác có): mốc neo đã bị xoá.",
                      province_code=province, day=missing[0])
