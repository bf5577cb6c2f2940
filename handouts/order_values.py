"""The value syntaxes of a discharge order, one of each, for every way in.

A TOML or JSON file brings typed values (numbers, dates, lists); a CSV cell,
a command-line option or a web form brings text. Both are accepted through
the same converters, so a number, a date or a list means the same thing
wherever it is written:

- numbers: `2.5` (a dot, no units, no exponent, at most 3 decimals);
- dates: `2026-12-01`; date and time: `2026-12-29T10:30` (no time zone);
- yes/no: `true`/`false`, `yes`/`no`;
- lists: `10,5` or `morning,bedtime` (commas);
- clock times: `morning=07:30,bedtime=22:00`.

A converter raises ValueProblem (what, fix), never echoing the value: a value
may be health information.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

from handouts.numbers import plain_number

LIST_SEPARATOR = ","
_PLAIN_NUMBER = re.compile(r"-?\d{1,9}(\.\d{1,9})?")
_PLAIN_INT = re.compile(r"\d{1,9}")
_CLOCK = re.compile(r"([01]\d|2[0-3]):[0-5]\d")
# Dates a discharge order can sensibly hold; anything else is a typo, and
# a far date would overflow the calendar arithmetic.
EARLIEST_DATE = datetime.date(1900, 1, 1)
LATEST_DATE = datetime.date(2100, 12, 31)


class ValueProblem(ValueError):
    def __init__(self, what: str, fix: str):
        super().__init__(what)
        self.what = what
        self.fix = fix


def text(value: Any, longest: int) -> str:
    if not isinstance(value, str):
        raise ValueProblem("must be text", 'put it in quotes, e.g. "Dr. A. Chen"')
    cleaned = value.strip()
    if len(cleaned) > longest:
        raise ValueProblem(f"is {len(cleaned)} characters long", f"shorten it to at most {longest} characters")
    if any(unicodedata.category(char) in ("Cc", "Co", "Cs") for char in cleaned):
        raise ValueProblem(
            "contains a control or private-use character",
            "retype the value; it was probably pasted from another program",
        )
    return cleaned


def boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("yes", "true"):
        return True
    if isinstance(value, str) and value.strip().lower() in ("no", "false"):
        return False
    raise ValueProblem("must be yes or no", "write true or false (yes or no in a CSV cell)")


def whole_number(value: Any, lowest: int, highest: int) -> int:
    if isinstance(value, str) and _PLAIN_INT.fullmatch(value.strip()):
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueProblem("must be a whole number", f"write a number from {lowest} to {highest}, e.g. 7")
    if not lowest <= value <= highest:
        raise ValueProblem(f"must be from {lowest} to {highest}", "check the number")
    return value


def amount(value: Any, highest: Decimal) -> Decimal:
    """mg, mL or a percentage: zero or more, at most 3 decimals, at most `highest`."""
    if isinstance(value, str):
        written = value.strip()
        if not _PLAIN_NUMBER.fullmatch(written):
            raise ValueProblem(
                "must be a number of mg or mL, without quotes or units",
                "write it like 2.5 (a dot for decimals)",
            )
        number = Decimal(written)
    elif isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise ValueProblem("must be a number of mg or mL, without quotes or units", "write it like 2.5")
    else:
        if isinstance(value, int) and abs(value) > 10**9:
            raise ValueProblem(f"must be at most {plain_number(highest)}", "check the number")
        try:
            # str() first: a TOML float such as 0.1 becomes Decimal("0.1"), not its binary neighbour.
            number = Decimal(str(value))
        except InvalidOperation:
            raise ValueProblem("is not a number", "write it like 2.5") from None
    if not number.is_finite() or number < 0:
        raise ValueProblem("must be zero or more", "check the number")
    if number > highest:
        raise ValueProblem(f"must be at most {plain_number(highest)}", "check the number")
    if number != number.quantize(Decimal("0.001")):
        raise ValueProblem("has more than 3 decimal places", "round it")
    return number


def listed(value: Any) -> list[Any]:
    """A list, or text with comma-separated items."""
    if isinstance(value, str):
        if ";" in value:
            raise ValueProblem("separates its items with ';'", "separate them with commas, e.g. 10,5")
        items = [part.strip() for part in value.split(LIST_SEPARATOR)]
        if not all(items):
            raise ValueProblem("has an empty item", "write the items with one comma between each, e.g. 10,5")
        return items
    if not isinstance(value, list | tuple):
        raise ValueProblem("must be a list", "write it like [10, 5] (or 10,5 in a cell or option)")
    return list(value)


def date(value: Any, earliest: datetime.date = EARLIEST_DATE) -> datetime.date:
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value.strip()) if len(value.strip()) == 10 else None
        except ValueError:
            value = None
    if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
        raise ValueProblem("must be a date", "write it as year-month-day, e.g. 2026-12-01")
    if not earliest <= value <= LATEST_DATE:
        raise ValueProblem(
            f"must be between {earliest.isoformat()} and {LATEST_DATE.isoformat()}", "check the year"
        )
    return value


def date_or_time(value: Any) -> datetime.date | datetime.datetime:
    """A date, or a local date and time (no time zone: the clinic's own clock)."""
    if isinstance(value, str):
        written = value.strip()
        if len(written) == 10:
            return date(written)
        try:
            value = datetime.datetime.fromisoformat(written)
        except ValueError:
            value = None
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            raise ValueProblem(
                "has a time zone", "give the clinic's local time without an offset, e.g. 2026-12-29T10:30"
            )
        date(value.date())
        return value
    if isinstance(value, datetime.date):
        return date(value)
    raise ValueProblem("must be a date, or a date and time", "write it like 2026-12-29T10:30")


def clock_time(value: Any) -> datetime.time:
    """A local clock time; an offset would move a reminder to another time zone."""
    if isinstance(value, datetime.time):
        if value.tzinfo is not None:
            raise ValueProblem("has a time zone", 'give the local time without an offset, e.g. "07:30"')
        return value.replace(second=0, microsecond=0)
    if isinstance(value, str) and _CLOCK.fullmatch(value.strip()):
        return datetime.time.fromisoformat(value.strip())
    if isinstance(value, str) and re.search(r"[+-]\d\d:?\d\d$|Z$", value.strip()):
        raise ValueProblem("has a time zone", 'give the local time without an offset, e.g. "07:30"')
    raise ValueProblem("must be a clock time", 'write it like "07:30" (24-hour clock)')


def clock_table(value: Any) -> dict[str, Any]:
    """{dose time: clock time}, or text `morning=07:30,bedtime=22:00`."""
    if isinstance(value, str):
        table: dict[str, Any] = {}
        for part in listed(value):
            key, equals, time = part.partition("=")
            if not equals:
                raise ValueProblem("must pair dose times with clock times", "write it like morning=07:30,bedtime=22:00")
            table[key.strip()] = time.strip()
        return table
    if not isinstance(value, dict):
        raise ValueProblem(
            "must be a table of dose times and clock times", 'write it like { morning = "07:30" }'
        )
    return dict(value)
