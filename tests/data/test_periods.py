"""Reading Fingertips period labels into first and last days."""

import datetime as dt

import pytest

from data.periods import PeriodError, financial_quarter_label, parse_period

D = dt.date


@pytest.mark.parametrize(
    ("label", "year_type", "start", "end", "granularity"),
    [
        ("2022/23", "financial", D(2022, 4, 1), D(2023, 3, 31), "year"),
        ("2022/23", "academic", D(2022, 9, 1), D(2023, 8, 31), "year"),
        ("2023", "financial", D(2023, 1, 1), D(2023, 12, 31), "year"),
        ("2020 - 22", "financial", D(2020, 1, 1), D(2022, 12, 31), "multi_year"),
        ("2020-22", "financial", D(2020, 1, 1), D(2022, 12, 31), "multi_year"),
        ("2020/21 - 24/25", "academic", D(2020, 9, 1), D(2025, 8, 31), "multi_year"),
        ("2023/24 Q1", "financial", D(2023, 4, 1), D(2023, 6, 30), "quarter"),
        ("2023/24 Q4", "financial", D(2024, 1, 1), D(2024, 3, 31), "quarter"),
        ("2023/24 q3", "financial", D(2023, 10, 1), D(2023, 12, 31), "quarter"),
        ("2023 Q4", "financial", D(2023, 10, 1), D(2023, 12, 31), "quarter"),
        ("Apr 2024", "financial", D(2024, 4, 1), D(2024, 4, 30), "month"),
        ("February 2024", "financial", D(2024, 2, 1), D(2024, 2, 29), "month"),
        ("1999/00", "financial", D(1999, 4, 1), D(2000, 3, 31), "year"),
        ("  2016/17  ", "financial", D(2016, 4, 1), D(2017, 3, 31), "year"),
    ],
)
def test_fingertips_labels_read_as_first_and_last_day(label, year_type, start, end, granularity):
    period = parse_period(label, year_type)
    assert (period.start, period.end, period.granularity) == (start, end, granularity)
    assert period.label == label.strip()


@pytest.mark.parametrize(
    ("label", "words"),
    [
        ("", "blank"),
        ("last year", "not one we can read"),
        ("2022/24", "not a single year"),
        ("2023/24 Q5", "not one we can read"),
        ("2022 - 20", "up to 10 years"),
        ("Smarch 2024", "not one we can read"),
        ("0000", "outside 1900 to 2100"),
        ("9999/00", "outside 1900 to 2100"),
        ("9998 - 9999", "outside 1900 to 2100"),
        ("2263", "outside 1900 to 2100"),
        ("2100/01", "outside 1900 to 2100"),
        ("Apr 1899", "outside 1900 to 2100"),
        ("2" * 5000, "not one we can read"),
    ],
)
def test_unreadable_labels_say_what_is_wrong(label, words):
    with pytest.raises(PeriodError, match=words):
        parse_period(label)


def test_unknown_year_type_is_a_programming_error_not_a_period_error():
    with pytest.raises(ValueError, match="year_type"):
        parse_period("2022/23", "fiscal")


@pytest.mark.parametrize(
    ("day", "label"),
    [(D(2025, 4, 1), "2025/26 Q1"), (D(2025, 12, 31), "2025/26 Q3"), (D(2026, 3, 31), "2025/26 Q4")],
)
def test_financial_quarter_of_a_day(day, label):
    assert financial_quarter_label(day) == label
