"""The one function that writes a dose, in every language.

It follows the Joint Commission "Do Not Use" list and ISMP's error-prone
abbreviations: never a trailing zero (5 mg, not 5.0 mg), always a leading zero
(0.5 mg, not .5 mg), the locale's own decimal and thousands separators, a
no-break space between number and unit, and only "mg" and "mL" (never cc or µg). The
number and the unit come from Babel's CLDR data for the reader's locale.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Literal

from babel.numbers import format_decimal
from babel.units import format_unit

from handouts.localization import Language

Unit = Literal["mg", "mL"]
_CLDR_UNITS: dict[str, str] = {"mg": "mass-milligram", "mL": "volume-milliliter"}
# The space (or none, as in Korean data: "2.5mg") between the number and the unit.
_NUMBER_THEN_UNIT = re.compile(r"(\d)[ \u00a0\u202f]?(?=[^\d\s.,\u00a0\u202f])")
# CLDR writes "ml" for Spanish, French, Portuguese; ISMP asks for "mL" everywhere.
_LOWER_ML = re.compile(r"\bml\b")
# Languages whose CLDR unit abbreviations are printed as "mg" and "mL" instead. Hindi's
# "मि॰ग्रा॰" and "मि॰ ली॰" share their first syllable, so milligrams and millilitres
# could be taken for each other; a US label says "mg" and "mL", as the Hindi catalog does.
# The Traditional Chinese catalog writes "mg" and "mL" too (每mL含), so its doses match it.
LATIN_UNITS = frozenset(["hi", "zh-Hant"])


def format_dose(amount: Decimal | int, unit: Unit, language: Language) -> str:
    """'2.5 mg' in English, '2,5 mg' in French, '2.5 مغم' in Arabic."""
    value = Decimal(amount)
    if value < 0:
        raise ValueError(f"a dose cannot be negative: {value}")
    # normalize() drops trailing zeros (5.0 -> 5); a whole number must not
    # turn into exponent form (50 -> 5E+1), hence the quantize.
    value = value.normalize()
    if value == value.to_integral_value():
        value = value.quantize(Decimal(1))
    if language.tag in LATIN_UNITS:
        # The number is still the locale's own; only the unit is the label's.
        text = f"{format_decimal(value, locale=language.locale)} {unit}"
    else:
        text = format_unit(value, _CLDR_UNITS[unit], length="short", locale=language.locale)
    text = _LOWER_ML.sub("mL", text)
    # A no-break space: "10" and "mg" must never end up on two lines.
    if not _is_cjk_unit(text):
        text = _NUMBER_THEN_UNIT.sub("\\1\u00a0", text, count=1)
    # Nor may any other space of a dose break: Traditional Chinese "2.5 毫克",
    # Hindi's two-word unit "मि॰ ली॰".
    return text.replace(" ", "\u00a0")


def _is_cjk_unit(text: str) -> bool:
    # Chinese writes its own unit words straight after the number ("7.5毫升").
    return any("\u4e00" <= char <= "\u9fff" for char in text)
