"""The one schema of a discharge order: patient, discharge, follow-up,
medication and taper.

Every way in (the TOML patient file, a CSV row, the `discharge` options, the
web form, a JSON body, a FHIR order) maps its own syntax onto these models;
the CSV columns, the command-line options, the README's field table and the
JSON Schema are all derived from them. Each field carries its one flat name
(`flat`: the CSV column and, with dashes, the option), a hint and an example.

Values go through the converters in `order_values`, so a number, a date or a
list is written the same way everywhere.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from functools import cache
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

from handouts import order_values as values
from handouts.taper import DoseTime, Form

MAX_NAME = 100
MAX_TEXT = 200
HIGHEST_MG = Decimal(10_000)  # a sanity bound for any one amount; the medication sets tighter ones
HIGHEST_ML = Decimal(100)
CEILING_DAYS = 730  # the longest plan the tool prints: two years
CEILING_STEPS = 400


def _checked(convert: Any) -> BeforeValidator:
    """A converter from order_values as a pydantic validator with our message."""

    def validate(value: Any) -> Any:
        try:
            return convert(value)
        except values.ValueProblem as problem:
            raise PydanticCustomError("order", problem.what, {"fix": problem.fix}) from None

    return BeforeValidator(validate)


def _text_of(longest: int) -> Any:
    return _checked(lambda value: values.text(value, longest))


def _amount_of(highest: Decimal) -> Any:
    return _checked(lambda value: values.amount(value, highest))


def _int_of(lowest: int, highest: int) -> Any:
    return _checked(lambda value: values.whole_number(value, lowest, highest))


def _amounts(value: Any) -> list[Decimal]:
    items = values.listed(value)
    if not items:
        raise values.ValueProblem("is empty", "list at least one number, e.g. 10,5")
    return [values.amount(item, HIGHEST_MG) for item in items]


def _dose_times(value: Any) -> list[DoseTime]:
    items = values.listed(value)
    known = [time.value for time in DoseTime]
    if not items or any(item not in known for item in items):
        raise values.ValueProblem(
            f"must be a list of dose times from {', '.join(known)}", "write it like morning,bedtime"
        )
    if len(set(items)) != len(items):
        raise values.ValueProblem("names a dose time twice", "give each dose time once")
    return [DoseTime(item) for item in items]


def _clock_times(value: Any) -> dict[DoseTime, datetime.time]:
    table = values.clock_table(value)
    known = [time.value for time in DoseTime]
    result: dict[DoseTime, datetime.time] = {}
    for key, time in table.items():
        if key not in known:
            raise values.ValueProblem(
                "names something that is not a dose time", f"use dose times from {', '.join(known)}"
            )
        result[DoseTime(key)] = values.clock_time(time)
    return result


def _form(value: Any) -> Form:
    known = [form.value for form in Form]
    if not isinstance(value, str) or value.strip() not in known:
        raise values.ValueProblem("is not a form the tool knows", f"use one of: {', '.join(known)}")
    return Form(value.strip())


def _schema(kind: str, **extra: Any) -> WithJsonSchema:
    return WithJsonSchema({"type": kind, **extra})


Name = Annotated[str, _text_of(MAX_NAME), _schema("string", maxLength=MAX_NAME)]
Text = Annotated[str, _text_of(MAX_TEXT), _schema("string", maxLength=MAX_TEXT)]
Language = Annotated[str, _text_of(35), _schema("string", maxLength=35)]
Day = Annotated[datetime.date, _checked(values.date), _schema("string", format="date")]
DayOrTime = Annotated[
    datetime.date | datetime.datetime,
    _checked(values.date_or_time),
    WithJsonSchema({"anyOf": [{"type": "string", "format": "date"}, {"type": "string", "format": "date-time"}]}),
]
Flag = Annotated[bool, _checked(values.boolean), _schema("boolean")]
Mg = Annotated[Decimal, _amount_of(HIGHEST_MG), _schema("number", minimum=0, maximum=float(HIGHEST_MG))]
Ml = Annotated[Decimal, _amount_of(HIGHEST_ML), _schema("number", minimum=0, maximum=float(HIGHEST_ML))]
Percent = Annotated[Decimal, _amount_of(Decimal(100)), _schema("number", minimum=0, maximum=100)]
MgList = Annotated[
    list[Decimal], _checked(_amounts), _schema("array", items={"type": "number", "minimum": 0}, minItems=1)
]
DoseTimes = Annotated[
    list[DoseTime],
    _checked(_dose_times),
    _schema("array", items={"enum": [time.value for time in DoseTime]}, uniqueItems=True),
]
ClockTimes = Annotated[
    dict[DoseTime, datetime.time],
    _checked(_clock_times),
    _schema("object", additionalProperties={"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"}),
]
FormValue = Annotated[Form, _checked(_form), _schema("string", enum=[form.value for form in Form])]


PlanDays = Annotated[int, _int_of(1, CEILING_DAYS), _schema("integer", minimum=1, maximum=CEILING_DAYS)]
StepDays = Annotated[int, _int_of(1, 365), _schema("integer", minimum=1, maximum=365)]
StepCount = Annotated[int, _int_of(1, CEILING_STEPS), _schema("integer", minimum=1, maximum=CEILING_STEPS)]


def field(
    flat: str | None, hint: str, example: str, *, required: bool = False, alias: str | None = None
) -> Any:
    """A field's metadata: its flat name (CSV column, --option), hint and example."""
    extra: dict[str, Any] = {"flat": flat, "example": example}
    if required:
        return Field(description=hint, json_schema_extra=extra, alias=alias)
    return Field(default=None, description=hint, json_schema_extra=extra, alias=alias)


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PatientPart(_Section):
    name: Name = field("name", "The patient's name, up to 100 characters, any script.", "María José Núñez", required=True)
    date_of_birth: Day | None = field("date_of_birth", "Date of birth.", "1956-03-14")
    language: Language | None = field(
        "language", "The language the patient reads (a BCP 47 tag such as es, zh-CN).", "es"
    )


class DischargePart(_Section):
    date: Day = field(
        "discharge_date",
        "The discharge date. The command-line options default it to today.",
        "2026-12-01",
        required=True,
    )
    prescriber: Text = field("prescriber", "Who set the taper.", "Dr. A. Chen", required=True)
    taper_may_start_before_discharge: Flag | None = field(
        "taper_may_start_before_discharge",
        "true if the taper began in hospital; otherwise a start before discharge is refused.",
        "false",
    )


class FollowUpPart(_Section):
    when: DayOrTime | None = field(
        "follow_up", "The follow-up visit: a date, or a date and local time; not before discharge.", "2026-12-29T10:30"
    )
    # `with` is a Python keyword: the model calls it with_, every input calls it with.
    with_: Text | None = field("follow_up_with", "Whom the patient sees.", "Dr. A. Chen", alias="with")
    where: Text | None = field("follow_up_where", "Where.", "Neurology clinic, 2nd floor")


class MedicationPart(_Section):
    form: FormValue = field("form", "tablet, solution or granules.", "tablet", required=True)
    strengths_mg: MgList | None = field(
        "strengths_mg", "Tablet or packet strengths the patient has, in mg.", "10,5"
    )
    split_tablets: Flag | None = field("split_tablets", "true if halves are allowed.", "true")
    concentration_mg_per_ml: Mg | None = field(
        "concentration_mg_per_ml", "A liquid's strength in mg per mL (5 mg in 5 mL is 1).", "1"
    )
    smallest_ml: Ml | None = field(
        "smallest_ml", "The smallest volume the patient can measure, in mL.", "0.5"
    )
    daily_mg: Mg = field("daily_mg", "The current total daily dose in mg.", "30", required=True)
    doses_per_day: Annotated[int, _int_of(1, 24), _schema("integer", minimum=1)] | None = field(
        "doses_per_day", "How many doses a day (the medication sets the range).", "3"
    )
    dose_times: DoseTimes | None = field(
        "dose_times", "The dose times, from morning, midday, evening, bedtime.", "morning,midday,bedtime"
    )
    clock_times: ClockTimes | None = field(
        "clock_times",
        "Clock times for the calendar file (local, 24-hour); defaults 08:00, 13:00, 18:00, 21:00.",
        "morning=07:30,bedtime=22:00",
    )
    missed_dose_window_hours: Annotated[int, _int_of(1, 12), _schema("integer", minimum=1, maximum=12)] | None = field(
        "missed_dose_window_hours",
        "The prescriber's missed-dose rule: take a missed dose if remembered within this many hours, "
        "otherwise skip it. Shorter than the time between doses.",
        "2",
    )
    above_label_maximum_acknowledged: Flag | None = field(
        "above_label_maximum_acknowledged",
        "true if the prescriber ordered more than the label maximum on purpose.",
        "false",
    )


class StepPart(BaseModel):
    """One explicit step: how many days, and the mg at each dose time."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    days: PlanDays = Field(description="Days at this step.")
    morning: Mg | None = None
    midday: Mg | None = None
    evening: Mg | None = None
    bedtime: Mg | None = None

    def amounts(self) -> dict[str, Decimal]:
        return {
            time.value: amount
            for time in DoseTime
            if (amount := getattr(self, time.value)) is not None
        }


class TaperPart(_Section):
    start: Day = field("start", "The first day of the first lower dose.", "2026-12-02", required=True)
    every_days: StepDays | None = field("every_days", "Days at each step.", "7")
    step_mg: Mg | None = field("step_mg", "mg less a day at each step.", "5")
    step_percent: Percent | None = field(
        "step_percent", "A percentage of the current daily dose less at each step.", "10"
    )
    daily_totals_mg: MgList | None = field(
        "daily_totals_mg", "Explicit daily totals, one per step.", "25,20,15,10,5"
    )
    steps: list[StepPart] | None = field(
        None, "Explicit steps, each with days and the mg at each dose time (files and JSON only).", ""
    )
    hold_at_mg: Mg | None = field("hold_at_mg", "A pause: the first step at or below this daily total...", "10")
    hold_days: StepDays | None = field("hold_days", "...lasts this many days.", "14")
    extra_to: DoseTimes | None = field(
        "extra_to",
        "Where the part of a daily total that cannot be shared evenly goes; default bedtime, evening, morning, midday.",
        "bedtime,evening",
    )
    max_days: PlanDays | None = field(
        "max_days", f"The longest plan allowed: 365 days unless raised here (at most {CEILING_DAYS}).", "365"
    )
    max_steps: StepCount | None = field(
        "max_steps", f"The most steps allowed: 200 unless raised here (at most {CEILING_STEPS}).", "200"
    )


class OrderInput(BaseModel):
    """A discharge order as any way in gives it, checked field by field."""

    model_config = ConfigDict(extra="forbid", frozen=True, title="Discharge order")
    patient: PatientPart
    discharge: DischargePart
    follow_up: FollowUpPart | None = None
    medication: MedicationPart
    taper: TaperPart


SECTIONS: dict[str, type[_Section]] = {
    "patient": PatientPart,
    "discharge": DischargePart,
    "follow_up": FollowUpPart,
    "medication": MedicationPart,
    "taper": TaperPart,
}


class FieldInfo(BaseModel):
    """One field as the adapters and the docs see it."""

    section: str
    key: str
    flat: str | None
    hint: str
    example: str
    required: bool
    kind: str


@cache
def order_fields() -> tuple[FieldInfo, ...]:
    """Every field of the order, in order: the source of CSV columns, options and docs."""
    fields = []
    for section, model in SECTIONS.items():
        for name, info in model.model_fields.items():
            extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
            fields.append(
                FieldInfo(
                    section=section,
                    key=info.alias or name,
                    flat=extra.get("flat"),  # type: ignore[arg-type]
                    hint=info.description or "",
                    example=str(extra.get("example", "")),
                    required=info.is_required(),
                    kind=_kind_name(info.annotation),
                )
            )
    return tuple(fields)


def _kind_name(annotation: Any) -> str:
    text = str(annotation)
    for marker, kind in (
        ("StepPart", "steps"),
        ("ClockTimes", "clock"),
        ("dict", "clock"),
        ("list[handouts.taper.DoseTime]", "times"),
        ("list[decimal.Decimal]", "numbers"),
        ("Decimal", "number"),
        ("datetime.datetime", "date or date and time"),
        ("datetime.date", "date"),
        ("bool", "yes/no"),
        ("int", "whole number"),
        ("Form", "form"),
    ):
        if marker in text:
            return kind
    return "text"


def json_schema() -> dict[str, Any]:
    return OrderInput.model_json_schema(by_alias=True)
