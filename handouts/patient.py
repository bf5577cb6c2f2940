"""The patient file: one discharge order (who, when, which medicine, which
taper). One loader turns it into a DischargeOrder with its TaperPlan, or into
one clear error.

Patient data is health information: no error message repeats a value from
the file, only the field's name.
"""

from __future__ import annotations

import datetime
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from handouts.errors import HandoutsError
from handouts.input_files import known_keys, read_toml
from handouts.taper import (
    DEFAULT_DOSE_TIMES,
    DEFAULT_EXTRA_TO,
    DOSE_TIMES,
    ExplicitStep,
    Prescription,
    Supply,
    TaperError,
    TaperPlan,
    plan_taper,
)

MAX_NAME = 100
MAX_TEXT = 200
DEFAULT_CLOCK = {"morning": "08:00", "midday": "13:00", "evening": "18:00", "bedtime": "21:00"}

# section -> key -> kind. Kinds: text, name, date, datetime, bool, int, number, numbers, times, clock.
SCHEMA: dict[str, dict[str, str]] = {
    "patient": {"name": "name", "date_of_birth": "date", "language": "text"},
    "discharge": {"date": "date", "prescriber": "text", "taper_may_start_before_discharge": "bool"},
    "follow_up": {"when": "datetime", "with": "text", "where": "text"},
    "medication": {
        "form": "text",
        "strengths_mg": "numbers",
        "split_tablets": "bool",
        "concentration_mg_per_ml": "number",
        "smallest_ml": "number",
        "daily_mg": "number",
        "doses_per_day": "int",
        "dose_times": "times",
        "clock_times": "clock",
        "above_label_maximum_acknowledged": "bool",
    },
    "taper": {
        "start": "date",
        "every_days": "int",
        "step_mg": "number",
        "step_percent": "number",
        "daily_totals_mg": "numbers",
        "hold_at_mg": "number",
        "hold_days": "int",
        "extra_to": "times",
        "max_days": "int",
        "max_steps": "int",
        "steps": "steps",
    },
}
REQUIRED = [
    ("patient", "name"),
    ("discharge", "date"),
    ("discharge", "prescriber"),
    ("medication", "form"),
    ("medication", "daily_mg"),
    ("taper", "start"),
]


class PatientFileError(HandoutsError):
    """The patient file (or the options standing in for it) cannot be used."""


@dataclass(frozen=True)
class FollowUp:
    when: datetime.datetime | datetime.date | None
    with_whom: str | None
    where: str | None


@dataclass(frozen=True)
class DischargeOrder:
    patient_name: str
    date_of_birth: datetime.date | None
    language: str | None
    discharge_date: datetime.date
    prescriber: str
    follow_up: FollowUp | None
    plan: TaperPlan
    clock_times: dict[str, datetime.time]

    @property
    def prescription(self) -> Prescription:
        return self.plan.prescription


def load_patient_file(path: Path) -> DischargeOrder:
    data = read_toml(
        path, PatientFileError, "patient file", "give the path of a patient file (see examples/)"
    )
    return discharge_order(data, str(path))


def discharge_order(data: dict[str, Any], where: str) -> DischargeOrder:
    """Validate a patient file's data (from TOML or from command-line options)."""
    values = _typed_values(data, where)
    for section, key in REQUIRED:
        if values.get((section, key)) in (None, ""):
            raise PatientFileError(
                f"[{section}] {key} is missing", where=where, fix=f"add {key} under [{section}]"
            )
    get = _getter(values)
    discharge_date = get("discharge", "date")
    birth = get("patient", "date_of_birth")
    if birth and birth > discharge_date:
        raise PatientFileError(
            "[patient] date_of_birth is after the discharge date", where=where, fix="check the date of birth"
        )
    follow_up = None
    if any(get("follow_up", key) for key in ("when", "with", "where")):
        when = get("follow_up", "when")
        when_day = when.date() if isinstance(when, datetime.datetime) else when
        if when_day and when_day < discharge_date:
            raise PatientFileError(
                "[follow_up] when is before the discharge date", where=where, fix="check both dates"
            )
        follow_up = FollowUp(when, get("follow_up", "with"), get("follow_up", "where"))
    start = get("taper", "start")
    if start < discharge_date and not get("discharge", "taper_may_start_before_discharge", False):
        raise PatientFileError(
            "[taper] start is before the discharge date",
            where=where,
            fix="check the dates; if the taper began in hospital, set "
            "taper_may_start_before_discharge = true",
        )
    prescription = _prescription(values, where)
    try:
        plan = plan_taper(prescription)
    except TaperError as problem:
        raise PatientFileError(f"{problem.field}: {problem.what}", where=where, fix=problem.fix) from None
    clock = _clock_times(get("medication", "clock_times"), prescription.dose_times, where)
    return DischargeOrder(
        patient_name=get("patient", "name"),
        date_of_birth=birth,
        language=get("patient", "language") or None,
        discharge_date=discharge_date,
        prescriber=get("discharge", "prescriber"),
        follow_up=follow_up,
        plan=plan,
        clock_times=clock,
    )


def _getter(values: dict[tuple[str, str], Any]) -> Callable[..., Any]:
    """Checked values by (section, key); their types were checked by _typed_values."""

    def get(section: str, key: str, default: Any = None) -> Any:
        return values.get((section, key), default)

    return get


def _prescription(values: dict[tuple[str, str], Any], where: str) -> Prescription:
    get = _getter(values)
    form = get("medication", "form")
    dose_times = get("medication", "dose_times")
    per_day = get("medication", "doses_per_day")
    if dose_times is None:
        if per_day is None:
            raise PatientFileError(
                "[medication] needs doses_per_day or dose_times", where=where, fix="e.g. doses_per_day = 3"
            )
        if per_day not in DEFAULT_DOSE_TIMES:
            raise PatientFileError(
                "[medication] doses_per_day must be 1 to 4",
                where=where,
                fix="baclofen is taken 1 to 4 times a day",
            )
        dose_times = DEFAULT_DOSE_TIMES[per_day]
    elif per_day is not None and per_day != len(dose_times):
        raise PatientFileError(
            "[medication] doses_per_day does not match the number of dose_times",
            where=where,
            fix="give one of them, or make them agree",
        )
    explicit = None
    if get("taper", "steps"):
        explicit = tuple(ExplicitStep(days, amounts) for days, amounts in get("taper", "steps"))
    return Prescription(
        supply=Supply(
            form=form,
            strengths_mg=tuple(get("medication", "strengths_mg") or ()),
            split_tablets=bool(get("medication", "split_tablets", False)),
            concentration_mg_per_ml=get("medication", "concentration_mg_per_ml"),
            smallest_ml=get("medication", "smallest_ml"),
        ),
        daily_mg=get("medication", "daily_mg"),
        dose_times=tuple(dose_times),
        start=get("taper", "start"),
        every_days=get("taper", "every_days"),
        step_mg=get("taper", "step_mg"),
        step_percent=get("taper", "step_percent"),
        daily_totals_mg=tuple(get("taper", "daily_totals_mg")) if get("taper", "daily_totals_mg") else None,
        explicit_steps=explicit,
        hold_at_mg=get("taper", "hold_at_mg"),
        hold_days=get("taper", "hold_days"),
        extra_to=tuple(get("taper", "extra_to") or DEFAULT_EXTRA_TO),
        above_label_maximum_acknowledged=bool(get("medication", "above_label_maximum_acknowledged", False)),
        max_days=get("taper", "max_days") or 365,
        max_steps=get("taper", "max_steps") or 200,
    )


def _typed_values(data: dict[str, Any], where: str) -> dict[tuple[str, str], Any]:
    values: dict[tuple[str, str], Any] = {}
    for section, key, value in known_keys(data, SCHEMA, PatientFileError, where):
        values[(section, key)] = _convert(SCHEMA[section][key], value, f"[{section}] {key}", where)
    return values


def _convert(kind: str, value: Any, label: str, where: str) -> Any:
    def wrong(expected: str, example: str) -> PatientFileError:
        return PatientFileError(f"{label} must be {expected}", where=where, fix=f"write it like {example}")

    if kind in ("text", "name"):
        if not isinstance(value, str):
            raise wrong("text in quotes", f'{label.split()[-1]} = "..."')
        text = value.strip()
        longest = MAX_NAME if kind == "name" else MAX_TEXT
        if len(text) > longest:
            raise PatientFileError(
                f"{label} is {len(text)} characters long",
                where=where,
                fix=f"shorten it to at most {longest} characters",
            )
        if any(unicodedata.category(char) in ("Cc", "Co", "Cs") for char in text):
            raise PatientFileError(
                f"{label} contains a control or private-use character",
                where=where,
                fix="retype the value; it was probably pasted from another program",
            )
        return text
    if kind == "date":
        if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
            raise wrong("a date", f"{label.split()[-1]} = 2026-12-01 (year-month-day, no quotes)")
        return value
    if kind == "datetime":
        if isinstance(value, datetime.date):  # a date, or a date and time
            return value
        raise wrong("a date, or a date and time", f"{label.split()[-1]} = 2026-12-15T10:30:00 (no quotes)")
    if kind == "bool":
        if not isinstance(value, bool):
            raise wrong("true or false", f"{label.split()[-1]} = true")
        return value
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise wrong("a whole number", f"{label.split()[-1]} = 7")
        return value
    if kind == "number":
        return _decimal(value, label, where)
    if kind == "numbers":
        if not isinstance(value, list) or not value:
            raise wrong("a list of numbers", f"{label.split()[-1]} = [10, 5]")
        return [_decimal(item, label, where) for item in value]
    if kind == "times":
        if not isinstance(value, list) or any(item not in DOSE_TIMES for item in value):
            raise wrong(
                f"a list of dose times from {', '.join(DOSE_TIMES)}",
                f'{label.split()[-1]} = ["morning", "bedtime"]',
            )
        return value
    if kind == "clock":
        if not isinstance(value, dict):
            raise wrong("a table of dose times and clock times", '{ morning = "07:30", bedtime = "22:00" }')
        return value
    if kind == "steps":
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            raise wrong("a list of [[taper.steps]] tables", "[[taper.steps]] with days = 7 and morning = 10")
        steps = []
        for number, item in enumerate(value, 1):
            step_label = f"[[taper.steps]] number {number}"
            days = item.get("days")
            if isinstance(days, bool) or not isinstance(days, int):
                raise PatientFileError(
                    f"{step_label} needs days as a whole number", where=where, fix="e.g. days = 7"
                )
            amounts = {}
            for key, amount in item.items():
                if key == "days":
                    continue
                if key not in DOSE_TIMES:
                    raise PatientFileError(
                        f"{step_label} has an unknown key '{key}'",
                        where=where,
                        fix=f"use days and dose times: {', '.join(DOSE_TIMES)}",
                    )
                amounts[key] = _decimal(amount, f"{step_label} {key}", where)
            steps.append((days, amounts))
        return steps
    raise AssertionError(kind)


def _decimal(value: Any, label: str, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PatientFileError(
            f"{label} must be a number of mg or mL, without quotes or units", where=where, fix="e.g. 2.5"
        )
    try:
        # str() first: a TOML float such as 0.1 becomes Decimal("0.1"), not its binary neighbour.
        number = Decimal(str(value))
    except InvalidOperation:
        raise PatientFileError(f"{label} is not a number", where=where, fix="e.g. 2.5") from None
    if not number.is_finite() or number < 0:
        raise PatientFileError(f"{label} must be zero or more", where=where, fix="check the number")
    if number != number.quantize(Decimal("0.001")):
        raise PatientFileError(f"{label} has more than 3 decimal places", where=where, fix="round it")
    return number


def _clock_times(
    given: dict[str, Any] | None, dose_times: tuple[str, ...], where: str
) -> dict[str, datetime.time]:
    clock = {time: datetime.time.fromisoformat(DEFAULT_CLOCK[time]) for time in dose_times}
    for key, value in (given or {}).items():
        if key not in dose_times:
            raise PatientFileError(
                f"[medication] clock_times names '{key}', which is not one of the dose times",
                where=where,
                fix=f"use: {', '.join(dose_times)}",
            )
        try:
            clock[key] = datetime.time.fromisoformat(value) if isinstance(value, str) else value
        except ValueError:
            raise PatientFileError(
                f"[medication] clock_times {key} is not a time", where=where, fix='write it like "07:30"'
            ) from None
        if not isinstance(clock[key], datetime.time):
            raise PatientFileError(
                f"[medication] clock_times {key} is not a time", where=where, fix='write it like "07:30"'
            )
    return clock
