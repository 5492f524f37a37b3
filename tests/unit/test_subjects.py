"""Level 2 waits twelve calendar months after level 1, counted to the same day (the last day of a shorter month)."""
from datetime import date

import pytest

from engine.subjects import _months_after, subject_key


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
