"""The discharge sheet's content: the order and its taper plan turned into
text already formatted for the page's language (the template only lays it out)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from handouts.dose_text import DoseWords
from handouts.order import DischargeOrder


@dataclass(frozen=True)
class DoseCell:
    time: str
    amount: str  # "7.5 mg", or "" when no dose at this time
    how: str  # "1 and a half tablets of 5 mg", or the mL of a liquid


@dataclass(frozen=True)
class CalendarRow:
    day: datetime.date
    day_text: str
    daily_total: str
    new_step: bool
    cells: tuple[DoseCell, ...]


@dataclass(frozen=True)
class DischargeSheet:
    patient_name: str
    date_of_birth: str | None
    discharge_date: str
    prescriber: str
    follow_up_when: str | None
    follow_up_with: str | None
    follow_up_where: str | None
    medicine: str
    current_dose: str
    frequency: str
    dose_times: tuple[str, ...]
    is_liquid: bool
    concentration: str | None
    rows: tuple[CalendarRow, ...]
    first_day: str
    last_dose_day: str
    stop_day: str
    total_days: int
    steps: int


def discharge_sheet(order: DischargeOrder, words: DoseWords) -> DischargeSheet:
    plan = order.plan
    prescription = plan.prescription
    supply = prescription.supply
    rows = []
    for day, step in plan.days():
        cells = tuple(
            DoseCell(
                time=words.dose_time(dose.time),
                amount=words.mg(dose.mg) if dose.mg else "",
                how=words.preparation(dose.preparation, supply) if dose.mg else "",
            )
            for dose in step.doses
        )
        rows.append(
            CalendarRow(day, words.short_date(day), words.mg(step.daily_mg), day == step.first_day, cells)
        )
    follow_up = order.follow_up
    when = None
    if follow_up and follow_up.when:
        when = words.date(
            follow_up.when if not isinstance(follow_up.when, datetime.datetime) else follow_up.when.date()
        )
        if isinstance(follow_up.when, datetime.datetime):
            when = f"{when}, {words.clock(follow_up.when.time())}"
    return DischargeSheet(
        patient_name=order.patient_name,
        date_of_birth=words.date(order.date_of_birth) if order.date_of_birth else None,
        discharge_date=words.date(order.discharge_date),
        prescriber=order.prescriber,
        follow_up_when=when,
        follow_up_with=follow_up.with_whom if follow_up else None,
        follow_up_where=follow_up.where if follow_up else None,
        medicine=words.medicine(supply),
        current_dose=words.mg(prescription.daily_mg),
        frequency=words.times_a_day(len(prescription.dose_times)),
        dose_times=tuple(words.dose_time(time) for time in prescription.dose_times),
        is_liquid=supply.form == "solution",
        concentration=words.concentration(supply) if supply.form == "solution" else None,
        rows=tuple(rows),
        first_day=words.date(plan.steps[0].first_day),
        last_dose_day=words.date(plan.last_dose_day),
        stop_day=words.date(plan.stop_day),
        total_days=plan.total_days,
        steps=len(plan.steps),
    )
