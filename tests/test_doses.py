"""The one dose formatter: Joint Commission and ISMP rules in every locale."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handouts.doses import format_dose
from handouts.localization import LANGUAGES

# Doses as prescribed: up to 3 decimals, from 0.001 mg to well past the 80 mg label maximum.
doses = st.decimals(min_value=Decimal("0.001"), max_value=Decimal("5000"), places=3)
languages = st.sampled_from(list(LANGUAGES.values()))


@pytest.mark.parametrize(
    ("tag", "amount", "unit", "expected"),
    [
        ("en", "2.5", "mg", "2.5\u00a0mg"),
        ("en", "5.0", "mg", "5\u00a0mg"),
        ("en", "0.5", "mg", "0.5\u00a0mg"),
        ("en", "1250", "mg", "1,250\u00a0mg"),
        ("en", "7.5", "mL", "7.5\u00a0mL"),
        ("fr", "2.5", "mg", "2,5\u00a0mg"),
        ("es", "2.50", "mg", "2,5\u00a0mg"),
        ("pt", "0.5", "mL", "0,5\u00a0mL"),
        ("ru", "2.5", "mg", "2,5\u00a0мг"),
        ("ar", "2.5", "mg", "2.5\u00a0مغم"),
        ("ko", "2.5", "mg", "2.5\u00a0mg"),
        ("zh-Hans", "10", "mg", "10\u00a0mg"),
        ("vi", "2.5", "mg", "2,5\u00a0mg"),
    ],
)
def test_examples(tag: str, amount: str, unit: str, expected: str) -> None:
    assert format_dose(Decimal(amount), unit, LANGUAGES[tag]) == expected


@given(doses, languages)
def test_no_trailing_zero_and_always_a_leading_zero(amount: Decimal, language) -> None:
    text = format_dose(amount, "mg", language)
    number = re.match(r"[\d.,\u00a0\u202f]+", text)
    assert number, text
    digits = number.group().rstrip("\u00a0\u202f ")
    decimal_mark = "," if language.locale.number_symbols["latn"]["decimal"] == "," else "."
    assert not digits.startswith((".", ",")), text  # 0.5, never .5
    if decimal_mark in digits:
        assert not digits.endswith("0"), text  # 2.5, never 2.50
        assert not digits.endswith(decimal_mark), text


@given(doses, languages)
def test_the_amount_survives_formatting(amount: Decimal, language) -> None:
    text = format_dose(amount, "mg", language)
    symbols = language.locale.number_symbols["latn"]
    number = re.match(r"[\d.,\u00a0\u202f]+", text).group().strip("\u00a0\u202f ")
    plain = number.replace(symbols["group"], "").replace(symbols["decimal"], ".")
    assert Decimal(plain) == amount.normalize()


@given(doses, languages, st.sampled_from(["mg", "mL"]))
def test_a_space_separates_number_and_latin_unit_and_no_banned_units(amount, language, unit) -> None:
    text = format_dose(amount, unit, language)
    assert not re.search(r"\d(mg|mL|ml)\b", text), text
    assert "ml" not in text  # ISMP: mL
    for banned in ("cc", "µg", "μg", "mcg", "IU"):
        assert banned not in text


def test_negative_dose_is_refused() -> None:
    with pytest.raises(ValueError):
        format_dose(Decimal("-1"), "mg", LANGUAGES["en"])


@pytest.mark.parametrize("tag", list(LANGUAGES))
def test_every_language_writes_a_dose_with_its_own_decimal_mark(tag: str) -> None:
    language = LANGUAGES[tag]
    decimal = language.locale.number_symbols["latn"]["decimal"]
    text = format_dose(Decimal("2.5"), "mg", language)
    assert text.startswith(f"2{decimal}5"), text
