"""A discharge order: checked against the one schema, then against the
medicine's facts and the calendar, then planned.

Every way in calls `build_order` with a `Source` that says how to name a
field in its own terms (`[medication] daily_mg` in a patient file, `column
daily_mg` in a CSV row, `--daily-mg` on the command line, `medication.daily_mg`
in JSON). Patient data is health information: no message repeats a value,
only the field's name.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from pydantic import BaseModel, ValidationError

from handouts.errors import HandoutsError, UsageProblem
from handouts.medication import Medication
from handouts.numbers import plain_number
from handouts.order_schema import SECTIONS, OrderInput, order_fields
from handouts.pictograms import PictogramError, dose_pictogram
from handouts.taper import (
    DEFAULT_DOSE_TIMES,
    DEFAULT_EXTRA_TO,
    DoseTime,
    ExplicitStep,
    Prescription,
    Supply,
    TaperError,
    TaperPlan,
    plan_taper,
)

DEFAULT_CLOCK = {
    DoseTime.MORNING: datetime.time(8, 0),
    DoseTime.MIDDAY: datetime.time(13, 0),
    DoseTime.EVENING: datetime.time(18, 0),
    DoseTime.BEDTIME: datetime.time(21, 0),
}
DEFAULT_MAX_DAYS = 365
DEFAULT_MAX_STEPS = 200


class Style(Enum):
    """How a way in names a field."""

    FILE = "file"  # [section] key
    CSV = "csv"  # column key
    OPTIONS = "options"  # --key
    JSON = "json"  # section.key
    FORM = "form"  # the web form's field, named by its flat name


@dataclass(frozen=True)
class Source:
    where: str
    style: Style

    def label(self, path: tuple[str | int, ...]) -> str:
        """A field path in this way in's own terms, e.g. ('medication', 'daily_mg')."""
        if not path:
            return "the order"
        section, rest = str(path[0]), path[1:]
        if not rest:
            return f"[{section}]" if self.style is Style.FILE else f"the {section.replace('_', ' ')}"
        key = str(rest[0])
        tail = "".join(f"[{part + 1}]" if isinstance(part, int) else f".{part}" for part in rest[1:])
        if self.style is Style.JSON:
            return f"{section}.{key}{tail}"
        flat = _flat_name(section, key)
        if self.style is Style.CSV:
            return f"column {flat}{tail}"
        if self.style is Style.OPTIONS:
            return f"--{flat.replace('_', '-')}{tail}"
        if self.style is Style.FORM:
            return f"{flat}{tail}"
        if key == "steps" and rest[1:] and isinstance(rest[1], int):
            return f"[[taper.steps]] number {rest[1] + 1}" + "".join(f" {part}" for part in rest[2:])
        return f"[{section}] {key}{tail}"

    def fix_missing(self, path: tuple[str | int, ...]) -> str:
        section, key = str(path[0]), str(path[-1])
        if self.style is Style.FILE:
            return f"add {key} under [{section}]" if len(path) > 1 else f"add a [{section}] section"
        if self.style is Style.CSV:
            return f"fill in the {_flat_name(section, key)} column"
        if self.style is Style.OPTIONS:
            return f"give --{_flat_name(section, key).replace('_', '-')}"
        if self.style is Style.FORM:
            return f"fill in {_flat_name(section, key)}"
        return f"add {'.'.join(str(part) for part in path)}"


class OrderError(HandoutsError):
    """The order (a patient file, a row, the options, a JSON body) cannot be used."""

    def __init__(self, what: str, *, where: str | None, fix: str | None, field: str = "", exit_code: int = 1):
        super().__init__(what, where=where, fix=fix)
        self.field = field
        self.exit_code = exit_code


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
    medication: Medication
    missed_dose_window_hours: int | None = None

    @property
    def prescription(self) -> Prescription:
        return self.plan.prescription


def build_order(data: Mapping[str, Any], source: Source, medication: Medication) -> DischargeOrder:
    """Check an order field by field, then as a whole, then plan its taper."""
    checked = _validated(data, source)
    return _planned(checked, source, medication)


def _validated(data: Mapping[str, Any], source: Source) -> OrderInput:
    if not isinstance(data, Mapping):
        raise OrderError("is not a table of sections", where=source.where, fix="see examples/")
    for section in data:
        if section not in SECTIONS:
            raise OrderError(
                f"unknown section {_section_name(str(section), source)}",
                where=source.where,
                fix=f"use only {', '.join(_section_name(name, source) for name in SECTIONS)}; check the spelling",
            )
    try:
        return OrderInput.model_validate(data)
    except ValidationError as errors:
        raise schema_problem(errors, source, SECTIONS) from None


def _section_name(section: str, source: Source) -> str:
    return f"[{section}]" if source.style is Style.FILE else section


def schema_problem(
    errors: ValidationError,
    source: Source,
    sections: Mapping[str, type[BaseModel]],
    prefix: tuple[str, ...] = (),
) -> OrderError:
    """The first problem pydantic found, as one line in the source's own terms."""
    found = errors.errors(include_url=False, include_input=False)
    # A value written wrongly says more than a field left out: report it first.
    error = sorted(found, key=lambda item: item["type"] == "missing")[0]
    path = (*prefix, *error["loc"])
    kind = error["type"]
    exit_code = 2 if source.style is Style.OPTIONS else 1
    field = ".".join(str(part) for part in path)
    if kind == "missing":
        return OrderError(
            f"{source.label(path)} is missing",
            where=source.where,
            fix=source.fix_missing(path),
            field=field,
            exit_code=exit_code,
        )
    if kind == "extra_forbidden":
        section = str(path[0])
        model = sections.get(section)
        known = [info.alias or name for name, info in model.model_fields.items()] if model else []
        owner = _section_name(section, source)
        if section == "taper" and len(path) > 2:
            owner, known = "[[taper.steps]]", ["days", *(time.value for time in DoseTime)]
        return OrderError(
            f"unknown key '{path[-1]}' in {owner}",
            where=source.where,
            fix=f"{owner} takes only: {', '.join(known)}",
            field=field,
            exit_code=exit_code,
        )
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return OrderError(
            f"'{path[-1]}' must be a section" if len(path) == 1 else f"{source.label(path)} must be a table",
            where=source.where,
            fix=f"write it as [{path[0]}]" if len(path) == 1 else "see examples/",
            field=field,
            exit_code=exit_code,
        )
    if kind == "list_type":
        return OrderError(
            f"{source.label(path)} must be a list of [[taper.steps]] tables",
            where=source.where,
            fix="write [[taper.steps]] with days = 7 and morning = 10",
            field=field,
            exit_code=exit_code,
        )
    context = error.get("ctx") or {}
    return OrderError(
        f"{source.label(path)} {error['msg']}",
        where=source.where,
        fix=str(context.get("fix", "see the field table in the README")),
        field=field,
        exit_code=exit_code,
    )


def _planned(order: OrderInput, source: Source, medication: Medication) -> DischargeOrder:
    def problem(path: tuple[str | int, ...], what: str, fix: str) -> OrderError:
        return OrderError(
            f"{source.label(path)} {what}", where=source.where, fix=fix, field=".".join(map(str, path))
        )

    discharge_date = order.discharge.date
    birth = order.patient.date_of_birth
    if birth and birth > discharge_date:
        raise problem(("patient", "date_of_birth"), "is after the discharge date", "check the date of birth")
    follow = order.follow_up
    follow_up = None
    if follow and (follow.when or follow.with_ or follow.where):
        when = follow.when
        when_day = when.date() if isinstance(when, datetime.datetime) else when
        if when_day and when_day < discharge_date:
            raise problem(("follow_up", "when"), "is before the discharge date", "check both dates")
        follow_up = FollowUp(when, follow.with_, follow.where)
    start = order.taper.start
    if start < discharge_date and not order.discharge.taper_may_start_before_discharge:
        raise problem(
            ("taper", "start"),
            "is before the discharge date",
            "check the dates; if the taper began in hospital, set taper_may_start_before_discharge to true",
        )
    language = _language(order, source)
    prescription = _prescription(order, source, medication, problem)
    try:
        plan = plan_taper(prescription)
    except TaperError as refused:
        path = _taper_path(refused.field)
        raise problem(path, refused.what, refused.fix) from None
    _drawable(plan, problem)
    clock = dict(DEFAULT_CLOCK)
    for time, value in (order.medication.clock_times or {}).items():
        if time not in prescription.dose_times:
            raise problem(
                ("medication", "clock_times"),
                "names a dose time the patient does not have",
                f"use: {', '.join(prescription.dose_times)}",
            )
        clock[time] = value
    window = order.medication.missed_dose_window_hours
    doses = len(prescription.dose_times)
    if window is not None and window * doses >= 24:
        # A window as long as the gap between doses would have two doses due at once.
        raise problem(
            ("medication", "missed_dose_window_hours"),
            f"must be shorter than the time between {doses} doses a day",
            f"use at most {math.ceil(24 / doses) - 1} hours",
        )
    return DischargeOrder(
        patient_name=order.patient.name,
        date_of_birth=birth,
        language=language,
        discharge_date=discharge_date,
        prescriber=order.discharge.prescriber,
        follow_up=follow_up,
        plan=plan,
        clock_times={str(time.value): clock[time] for time in DoseTime if time in prescription.dose_times},
        medication=medication,
        missed_dose_window_hours=window,
    )


def _drawable(plan: TaperPlan, problem: Any) -> None:
    """Every dose must be drawn exactly as it is taken; one that cannot is refused, never approximated."""
    for step in plan.steps:
        for dose in step.doses:
            try:
                dose_pictogram(dose.preparation, plan.prescription.supply.form)
            except PictogramError as refused:
                raise problem(
                    ("medication", "concentration_mg_per_ml"),
                    f"gives {refused}",
                    "use a stronger liquid, or more doses a day, so each dose fits one oral syringe",
                ) from None


def _language(order: OrderInput, source: Source) -> str | None:
    tag = order.patient.language
    if not tag:
        return None
    from handouts.localization import resolve_language

    try:
        return resolve_language(tag).tag
    except UsageProblem as refused:
        raise OrderError(
            f"{source.label(('patient', 'language'))}: {refused.what}",
            where=source.where,
            fix=refused.fix,
            field="patient.language",
        ) from None


def _prescription(order: OrderInput, source: Source, medication: Medication, problem: Any) -> Prescription:
    med = order.medication
    taper = order.taper
    if med.form.value not in medication.products:
        raise problem(
            ("medication", "form"),
            f"is not a form {medication.name} comes in",
            f"use one of: {', '.join(medication.products)}",
        )
    dose_times = tuple(time.value for time in med.dose_times) if med.dose_times else None
    per_day = med.doses_per_day
    if dose_times is None:
        if per_day is None:
            raise problem(("medication",), "needs doses_per_day or dose_times", "e.g. doses_per_day = 3")
        if per_day not in medication.doses_per_day:
            raise problem(
                ("medication", "doses_per_day"),
                f"must be {medication.doses_per_day_text()}",
                f"{medication.name} is taken {medication.doses_per_day_text()} times a day",
            )
        dose_times = DEFAULT_DOSE_TIMES[per_day]
    elif per_day is not None and per_day != len(dose_times):
        raise problem(
            ("medication", "doses_per_day"),
            "does not match the number of dose_times",
            "give one of them, or make them agree",
        )
    elif len(dose_times) not in medication.doses_per_day:
        raise problem(
            ("medication", "dose_times"),
            f"must name {medication.doses_per_day_text()} dose times",
            f"{medication.name} is taken {medication.doses_per_day_text()} times a day",
        )
    if med.daily_mg > medication.ceiling_daily_mg:
        raise problem(
            ("medication", "daily_mg"),
            f"is above {plain_number(medication.ceiling_daily_mg)} mg a day, the most this tool prints "
            f"for {medication.name}",
            "check for a typo in the daily dose",
        )
    explicit = None
    if taper.steps:
        explicit = tuple(ExplicitStep(step.days, dict(step.amounts())) for step in taper.steps)
    return Prescription(
        supply=Supply(
            form=med.form,
            strengths_mg=tuple(med.strengths_mg or ()),
            split_tablets=bool(med.split_tablets),
            concentration_mg_per_ml=med.concentration_mg_per_ml,
            smallest_ml=med.smallest_ml,
        ),
        daily_mg=med.daily_mg,
        dose_times=dose_times,
        start=taper.start,
        every_days=taper.every_days,
        step_mg=taper.step_mg,
        step_percent=taper.step_percent,
        daily_totals_mg=tuple(taper.daily_totals_mg) if taper.daily_totals_mg else None,
        explicit_steps=explicit,
        hold_at_mg=taper.hold_at_mg,
        hold_days=taper.hold_days,
        extra_to=tuple(time.value for time in taper.extra_to) if taper.extra_to else DEFAULT_EXTRA_TO,
        above_label_maximum_acknowledged=bool(med.above_label_maximum_acknowledged),
        label_maximum_daily_mg=medication.label_maximum_daily_mg,
        medication_name=medication.name,
        max_days=taper.max_days or DEFAULT_MAX_DAYS,
        max_steps=taper.max_steps or DEFAULT_MAX_STEPS,
        first_day=order.discharge.date,
    )


def _taper_path(field: str) -> tuple[str | int, ...]:
    """'taper.steps[2].morning' -> ('taper', 'steps', 1, 'morning')."""
    path: list[str | int] = []
    for part in field.split("."):
        name, _bracket, index = part.partition("[")
        path.append(name)
        if index:
            path.append(int(index.rstrip("]")) - 1)
    return tuple(path)


def _flat_name(section: str, key: str) -> str:
    return FLAT_NAMES.get((section, key), key)


FLAT_NAMES = {(info.section, info.key): info.flat or info.key for info in order_fields()}
