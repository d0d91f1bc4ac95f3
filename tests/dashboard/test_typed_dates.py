"""Dates typed into the forms: every way a UK user writes one is read the same, and a date that does not
exist is refused with the form's own sentence."""

import datetime as dt

import pytest

from dashboard.components.typed_dates import typed_date

REFUSAL = "The due date must be a real date, for example 31/12/2025."


@pytest.mark.parametrize(
    "text", ["31/12/2025", "31 12 2025", "31.12.2025", "31-12-2025", "2025-12-31", " 31 / 12 / 2025 "]
)
def test_each_way_of_writing_a_date_reads_as_that_day(text):
    assert typed_date(text, REFUSAL) == dt.date(2025, 12, 31)


@pytest.mark.parametrize("text", [None, "", "   "])
def test_a_blank_date_is_no_date(text):
    assert typed_date(text, REFUSAL) is None


@pytest.mark.parametrize("text", ["31/02/2025", "12/31/2025", "next Tuesday", "2025-13-01", "1/4/24"])
def test_a_date_that_does_not_exist_is_refused_in_the_forms_words(text):
    with pytest.raises(ValueError, match=r"^The due date must be a real date"):
        typed_date(text, REFUSAL)
