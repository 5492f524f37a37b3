"""Level 2 waits twelve calendar months after level 1, counted to the same day (the last day of a shorter month)."""
from datetime import date

import pytest

from engine.recognition.subjects import _months_after, subject_key


@pytest.mark.parametrize("start, end", [
    (date(2026, 11, 19), date(2027, 11, 19)),
    (date(2024, 2, 29), date(2025, 2, 28)),
    (date(2026, 1, 31), date(2027, 1, 31)),
])
def test_twelve_months_after(start, end):
    assert _months_after(start, 12) == end


def test_a_household_is_the_same_however_its_name_is_typed():
    assert subject_key("00070-01", "  NGUYỄN  Văn An ") == subject_key("00070-01", "Nguyễn Văn An")
    assert subject_key("00070-01", "Nguyễn Văn An") != subject_key("00070-02", "Nguyễn Văn An")


def test_signers_of_approvals_made_before_the_office_had_its_field_are_split():
    from engine.recognition.registry import _signer
    assert _signer({"signer": " Lê Văn Cường,  Phó Chủ tịch UBND tỉnh"}) == ("Lê Văn Cường", "Phó Chủ tịch UBND tỉnh")
    assert _signer({"signer": "Lê  Văn Cường", "signer_office": "Chủ tịch"}) == ("Lê Văn Cường", "Chủ tịch")


def test_time_at_level_one_counts_from_the_start_of_an_unbroken_run():
    from types import SimpleNamespace as Row

    from engine.recognition.subjects import _chain_start
    first = Row(level=1, decision_date=date(2022, 3, 1), valid_until=date(2025, 12, 31))
    renewed = Row(level=1, decision_date=date(2025, 3, 1), valid_until=date(2028, 12, 31))
    assert _chain_start([first, renewed], date(2026, 6, 1)) is first
    lapsed = Row(level=1, decision_date=date(2019, 3, 1), valid_until=date(2021, 12, 31))
    assert _chain_start([lapsed, renewed], date(2026, 6, 1)) is renewed
    assert _chain_start([lapsed], date(2026, 6, 1)) is None
    # A level-2 title still standing counts as at least level 1.
    level_two = Row(level=2, decision_date=date(2024, 3, 1), valid_until=date(2027, 12, 31))
    assert _chain_start([level_two], date(2027, 6, 1)) is level_two
