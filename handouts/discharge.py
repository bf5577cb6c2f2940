"""The discharge sheet's content: the order and its taper plan turned into
text already formatted for the page's language (the template only lays it out).

The calendar is compact: one row per step (its dates and each dose time's
amount, drawn and in words), then a tick grid of one small box per dose per
day, by week. Every day from discharge to the first day without the medicine
is on it.
"""

from __future__ import annotations

import datetime
import gettext
import math
from dataclasses import dataclass
from decimal import Decimal

from babel.dates import format_interval, format_skeleton

from handouts.dose_text import DoseWords
from handouts.localization import LANGUAGES, SOURCE_LANGUAGE, has_month_names, weekday_names
from handouts.order import DischargeOrder
from handouts.pictograms import PictogramError, data_uri, dose_pictogram, syringe_size
from handouts.taper import DoseStep, Form, Preparation, Supply, TaperPlan

ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class DoseCell:
    """One amount, and the dose times of the day that take it."""

    time: str  # "Morning, Midday" in the page's language
    action: str  # what the patient takes: "1½ tablets of 5 mg", "1.6 mL"; "" for no dose
    check: str  # the mg to check against, and a liquid's syringe: "(7.5 mg)", "(8 mg, 5 mL syringe)"
    picture: str  # a data: URI of the pictogram, or ""
    picture_width: float


@dataclass(frozen=True)
class StepRow:
    number: int
    dates: str
    daily_total: str
    current: bool  # the dose the patient takes now, before the first reduction
    cells: tuple[DoseCell, ...]  # one per distinct amount, in the order of the day


@dataclass(frozen=True)
class GridDay:
    day: datetime.date
    label: str  # the day of the month as the locale writes it
    boxes: int  # one per dose that day
    new_step: int | None  # the step number when a new dose starts that day


@dataclass(frozen=True)
class GridWeek:
    label: str
    days: tuple[GridDay | None, ...]  # seven, from the locale's first day of the week


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
    dose_times: tuple[str, ...]
    dose_times_listed: str  # "Morning, Midday, and Bedtime" in the page's language
    is_liquid: bool
    splits_tablets: bool
    bottle: str | None
    steps: tuple[StepRow, ...]
    weekdays: tuple[str, ...]
    weeks: tuple[GridWeek, ...]
    supply_needed: str  # "260 tablets of 10 mg and 336 tablets of 5 mg", as the locale lists things
    first_day: str
    last_dose_day: str
    stop_day: str
    derivation: tuple[str, ...]  # which amounts the prescriber set, and what the tool worked out
    missed_dose_window_hours: int | None  # the prescriber's missed-dose rule, if they set one
    teach_back_title: tuple[str, str]  # in the page's language, and in English for staff ("" on English pages)
    teach_back: tuple[tuple[str, str], ...]  # each question, and its English for staff
    chart_copy: bool  # a second copy of the signatures, for the chart


def discharge_sheet(order: DischargeOrder, words: DoseWords, chart_copy: bool = False) -> DischargeSheet:
    plan = order.plan
    prescription = plan.prescription
    supply = prescription.supply
    follow_up = order.follow_up
    when = None
    if follow_up and follow_up.when:
        when_day = follow_up.when.date() if isinstance(follow_up.when, datetime.datetime) else follow_up.when
        when = words.date(when_day)
        if isinstance(follow_up.when, datetime.datetime):
            when = words.date_and_time(when_day, follow_up.when.time())
    return DischargeSheet(
        patient_name=order.patient_name,
        date_of_birth=words.date(order.date_of_birth) if order.date_of_birth else None,
        discharge_date=words.date(order.discharge_date),
        prescriber=order.prescriber,
        follow_up_when=when,
        follow_up_with=follow_up.with_whom if follow_up else None,
        follow_up_where=follow_up.where if follow_up else None,
        medicine=words.medicine(supply),
        dose_times=tuple(words.dose_time(time) for time in prescription.dose_times),
        dose_times_listed=words.joined([words.dose_time(time) for time in prescription.dose_times]),
        is_liquid=supply.form == Form.SOLUTION,
        splits_tablets=any(halves % 2 for step in plan.steps for d in step.doses for _s, halves in d.preparation.halves),
        bottle=words.bottle(supply) if supply.form == Form.SOLUTION else None,
        steps=tuple(_step_row(number, step, supply, words) for number, step in enumerate(plan.steps, 1)),
        weekdays=_weekdays(words),
        weeks=_weeks(plan, words),
        supply_needed=words.joined(list(_supply_needed(plan, words))),
        first_day=words.date(plan.steps[0].first_day),
        last_dose_day=words.date(plan.last_dose_day),
        stop_day=words.date(plan.stop_day),
        derivation=_derivation(order, words),
        missed_dose_window_hours=order.missed_dose_window_hours,
        teach_back_title=_for_staff(TEACH_BACK_TITLE, words),
        teach_back=tuple(_for_staff(question, words, day=_teach_back_day(plan)) for question in TEACH_BACK),
        chart_copy=chart_copy,
    )


def N_(message: str) -> str:
    """Marks a message for extraction; it is translated where it is used."""
    return message


TEACH_BACK_TITLE = N_("For staff. Teach-back: ask the patient to answer in their own words.")
TEACH_BACK = (
    N_("“Show me on this sheet what you take on %(day)s, and how you measure it.”"),
    N_("“What do you do if you get a fever, or your muscles get very stiff?”"),
    N_("“What do you do if you miss a dose?”"),
)


def _for_staff(message: str, words: DoseWords, **days: datetime.date) -> tuple[str, str]:
    """The message in the page's language, and in English for a nurse who does not read it
    (its dates in English too)."""
    translated = words.translations.gettext(message) % {name: words.full_date(day) for name, day in days.items()}
    if words.language.tag == SOURCE_LANGUAGE:
        return translated, ""
    english_words = DoseWords(LANGUAGES[SOURCE_LANGUAGE], gettext.NullTranslations())
    english = message % {name: english_words.full_date(day) for name, day in days.items()}
    return translated, english if english != translated else ""


def _teach_back_day(plan: TaperPlan) -> datetime.date:
    """The first day of the first lower dose: the change a patient most needs to get right."""
    lower = [step for step in plan.steps if not step.current]
    return (lower or list(plan.steps))[0].first_day


def _step_row(number: int, step: DoseStep, supply: Supply, words: DoseWords) -> StepRow:
    return StepRow(
        number=number,
        dates=_dates(step.first_day, step.last_day, words),
        daily_total=words.mg(step.daily_mg),
        current=step.current,
        cells=_grouped_cells(step, supply, words),
    )


def _grouped_cells(step: DoseStep, supply: Supply, words: DoseWords) -> tuple[DoseCell, ...]:
    """Dose times that take the same amount share one line: "Morning, Midday: 2 tablets of 10 mg"."""
    groups: dict[Preparation, list[str]] = {}
    for dose in step.doses:
        groups.setdefault(dose.preparation, []).append(dose.time)
    if len(groups) == 1 and len(step.doses) > 1:
        # TRANSLATORS: every dose time of the day takes the same amount, e.g. "Every dose of the day: 1 tablet".
        (preparation,) = groups
        return (_cell(words.translations.gettext("Every dose of the day"), preparation, supply, words),)
    return tuple(
        _cell(words.joined([words.dose_time(time) for time in times]), preparation, supply, words)
        for preparation, times in groups.items()
    )


def _cell(times: str, preparation: Preparation, supply: Supply, words: DoseWords) -> DoseCell:
    if not preparation.mg:
        return DoseCell(times, "", "", "", 0.0)
    try:
        svg, width = dose_pictogram(preparation, supply.form)
    except PictogramError as problem:  # the schema and taper checks make this unreachable
        raise AssertionError(f"an undrawable dose reached the sheet: {problem}") from None
    syringe = None
    if supply.form == Form.SOLUTION and preparation.ml is not None:
        syringe = syringe_size(preparation.ml)
    return DoseCell(
        time=times,
        action=words.action(preparation, supply),
        check=words.dose_check(preparation.mg, syringe),
        picture=data_uri(svg),
        picture_width=width,
    )


def _dates(first: datetime.date, last: datetime.date, words: DoseWords) -> str:
    if not has_month_names(words.language):
        # No CLDR month names (Haitian Creole): the catalog's long dates.
        return words.date(first) if first == last else f"{words.date(first)} – {words.date(last)}"
    # Full weekday and month names: "CN, 6 thg 12" (Vietnamese) is too terse for many readers.
    if first == last:
        return words.full_date(first)
    return format_interval(first, last, "MMMMd", locale=words.language.locale)


def _weekdays(words: DoseWords) -> tuple[str, ...]:
    names = weekday_names(words.language, words.translations)
    first = words.language.locale.first_week_day
    return tuple(names[(first + offset) % 7] for offset in range(7))


def _weeks(plan: TaperPlan, words: DoseWords) -> tuple[GridWeek, ...]:
    """Every day of the plan in weeks that start on the locale's first day."""
    locale = words.language.locale
    first, last = plan.steps[0].first_day, plan.last_dose_day
    start = first - datetime.timedelta(days=(first.weekday() - locale.first_week_day) % 7)
    starts = {step.first_day: number for number, step in enumerate(plan.steps, 1)}
    by_day = {day: step for day, step in plan.days()}
    weeks = []
    week_start = start
    while week_start <= last:
        days: list[GridDay | None] = []
        for offset in range(7):
            day = week_start + datetime.timedelta(days=offset)
            step = by_day.get(day)
            if step is None:
                days.append(None)
                continue
            label = format_skeleton("d", day, locale=locale) if has_month_names(words.language) else str(day.day)
            boxes = sum(1 for dose in step.doses if dose.mg)
            days.append(GridDay(day, label, boxes, starts.get(day)))
        shown = [day.day for day in days if day is not None]
        weeks.append(GridWeek(_week_label(shown[0], shown[-1], words), tuple(days)))
        week_start += datetime.timedelta(days=7)
    return tuple(weeks)


def _week_label(first: datetime.date, last: datetime.date, words: DoseWords) -> str:
    if not has_month_names(words.language):
        return words.date(first)
    if first == last:
        return format_skeleton("MMMd", first, locale=words.language.locale)
    return format_interval(first, last, "MMMd", locale=words.language.locale)


def _supply_needed(plan: TaperPlan, words: DoseWords) -> tuple[str, ...]:
    """What the whole plan takes, for the pharmacy and for the patient's own check."""
    supply = plan.prescription.supply
    days = plan.days()
    if supply.form == Form.SOLUTION:
        total = sum((dose.preparation.ml or Decimal(0) for _day, step in days for dose in step.doses), Decimal(0))
        return (words.total_liquid(total),)
    halves: dict[Decimal, int] = {}
    for _day, step in days:
        for dose in step.doses:
            for strength, count in dose.preparation.halves:
                halves[strength] = halves.get(strength, 0) + count
    return tuple(
        words.counted_whole(strength, math.ceil(count / 2), supply.form)
        for strength, count in sorted(halves.items(), key=lambda item: -item[0])
    )


def _derivation(order: DischargeOrder, words: DoseWords) -> tuple[str, ...]:
    """Which numbers the prescriber set, and which the tool worked out from them."""
    prescription = order.plan.prescription
    if prescription.explicit_steps:
        return words.derivation_explicit(order.prescriber)
    first_extra = next(
        (time for time in prescription.extra_to if time in prescription.dose_times), prescription.dose_times[-1]
    )
    return words.derivation_shared(
        order.prescriber, percent=prescription.step_percent, extra_first=words.dose_time(first_extra)
    )
