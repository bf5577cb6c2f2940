"""Numbers in messages are written as a person writes them: 10, not 1E+1."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handouts.numbers import plain_number
from handouts.taper import Prescription, Supply, TaperError, plan_taper

D = Decimal
PLAIN = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]*[1-9])?")


@given(st.decimals(allow_nan=False, allow_infinity=False))
def test_any_number_is_written_plainly_and_exactly(value: Decimal) -> None:
    """No exponent, no trailing zero, no "-0": with the same value, one way to write it."""
    written = plain_number(value)
    assert PLAIN.fullmatch(written), written
    assert D(written) == value
    assert written != "-0"


@pytest.mark.parametrize(
    ("value", "written"),
    [(D("1E+1"), "10"), (D("2.50"), "2.5"), (D("0.250"), "0.25"), (D("1E+6"), "1000000"),
     (D("-0.00"), "0"), (D("5E-7"), "0.0000005"), (25, "25")],
)  # fmt: skip
def test_examples(value: Decimal | int, written: str) -> None:
    assert plain_number(value) == written


@pytest.mark.parametrize("value", [D("NaN"), D("Infinity"), D("-Infinity")])
def test_what_is_not_a_number_is_refused(value: Decimal) -> None:
    with pytest.raises(ValueError, match="not a number"):
        plain_number(value)


@given(st.sampled_from([D(10), D(20), D(100), D(1000)]))
def test_the_taper_refusal_names_the_multiple_plainly(strength: Decimal) -> None:
    """The unit comes out of a division as 1E+1; the nurse reads 'a multiple of 10 mg'."""
    prescription = Prescription(
        supply=Supply("tablet", (strength,)),
        daily_mg=strength + 5,
        dose_times=("bedtime",),
        start=datetime.date(2026, 12, 2),
        every_days=7,
        step_mg=D(5),
        above_label_maximum_acknowledged=True,
    )
    with pytest.raises(TaperError) as refused:
        plan_taper(prescription)
    assert refused.value.fix == f"use a multiple of {int(strength)} mg, or list other strengths"
