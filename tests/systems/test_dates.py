import datetime as dt

import pytest

from core.dates import (
    DatePrecision,
    format_partial_date,
    parse_partial_date,
    partial_date_text,
)


@pytest.mark.parametrize(
    ("text", "expected", "precision", "shown"),
    [
        ("2018-05-24", dt.date(2018, 5, 24), DatePrecision.DAY, "24 May 2018"),
        ("2017-06", dt.date(2017, 6, 1), DatePrecision.MONTH, "June 2017"),
        ("2020", dt.date(2020, 1, 1), DatePrecision.YEAR, "2020"),
    ],
)
def test_partial_date_round_trip(text, expected, precision, shown):
    """A date is stored as the first day of the period it is known to and shown no finer."""
    value, parsed_precision = parse_partial_date(text)
    assert (value, parsed_precision) == (expected, precision)
    assert format_partial_date(value, parsed_precision) == shown
    assert partial_date_text(value, parsed_precision) == text


@pytest.mark.parametrize("text", ["", "June 2017", "2017-13", "2018-02-30", "17-06"])
def test_partial_date_refuses_nonsense(text):
    """Anything but YYYY, YYYY-MM or a real YYYY-MM-DD is refused with a reason."""
    with pytest.raises(ValueError):
        parse_partial_date(text)
