"""A taper plan, computed from the prescriber's prescription and nothing else.

Pure arithmetic: no I/O, no locale, no HTML. The tool never proposes a taper;
it turns the prescriber's numbers into dated steps, checks that every dose
can be made from what the patient has, and refuses anything it cannot make
exactly.

Conventions (documented in the README):
- The first reduction starts on `start` at the first *lower* daily total
  (current dose minus the reduction); with explicit totals, at the first one.
  With `first_day` (the discharge day) the plan covers every day from it: the
  current dose until `start`, or, for a taper begun earlier, that day's dose.
- The plan ends when the next reduction would reach zero or below: the day
  after the last step, the patient takes none of the medicine.
- A hold (`hold_at_mg`, `hold_days`) makes the first step at or below that
  total last `hold_days` instead of `every_days`.
- A percentage step is rounded down to a makeable amount (never a bigger cut
  than ordered); where that is no cut at all, the prescription is refused.
- A daily total is shared among the dose times as evenly as the makeable
  amounts allow; what cannot be shared evenly goes to the dose times in
  `extra_to` order (default: bedtime, evening, morning, midday: drowsiness
  matters least at night). When a total cannot fill every dose time, the
  doses kept are those furthest apart over the day.
"""

from __future__ import annotations

import datetime
import itertools
import math
from dataclasses import dataclass, replace
from decimal import ROUND_DOWN, Decimal
from enum import StrEnum

from handouts.numbers import plain_number


class Form(StrEnum):
    TABLET = "tablet"
    SOLUTION = "solution"
    GRANULES = "granules"


class DoseTime(StrEnum):
    MORNING = "morning"
    MIDDAY = "midday"
    EVENING = "evening"
    BEDTIME = "bedtime"


FORMS = tuple(form.value for form in Form)
DOSE_TIMES = tuple(time.value for time in DoseTime)
DEFAULT_DOSE_TIMES = {
    1: ("bedtime",),
    2: ("morning", "bedtime"),
    3: ("morning", "midday", "bedtime"),
    4: ("morning", "midday", "evening", "bedtime"),
}
DEFAULT_EXTRA_TO = ("bedtime", "evening", "morning", "midday")
# Sharing a total among dose times tries combinations; past this many, the
# strengths cannot share it in any way a patient could follow.
_MOST_COMBINATIONS = 200_000
_MICRO = 1000  # amounts are compared in whole micrograms


class TaperError(ValueError):
    """A prescription the tool cannot turn into a safe plan; names the field."""

    def __init__(self, field: str, what: str, fix: str):
        super().__init__(f"{field}: {what}")
        self.field = field
        self.what = what
        self.fix = fix


@dataclass(frozen=True)
class Supply:
    """What the patient has at home to make each dose from."""

    form: str
    strengths_mg: tuple[Decimal, ...] = ()  # tablets, or granule packets
    split_tablets: bool = False
    concentration_mg_per_ml: Decimal | None = None  # oral solution
    smallest_ml: Decimal | None = None  # smallest volume the patient can measure

    @property
    def unit_mg(self) -> Decimal:
        """The smallest amount the supply can make; every dose is a multiple."""
        if self.form == "solution":
            assert self.concentration_mg_per_ml is not None and self.smallest_ml is not None
            return self.concentration_mg_per_ml * self.smallest_ml
        sizes = [_micro(size) for size, _strength, _half in self._pieces()]
        return Decimal(math.gcd(*sizes)) / _MICRO

    def _pieces(self) -> list[tuple[Decimal, Decimal, bool]]:
        """(mg, strength, is a half) for each kind of piece the patient can take."""
        pieces = [(strength, strength, False) for strength in self.strengths_mg]
        if self.form == "tablet" and self.split_tablets:
            pieces += [(strength / 2, strength, True) for strength in self.strengths_mg]
        return pieces

    def preparation(self, mg: Decimal) -> Preparation | None:
        """How to make `mg` with the fewest pieces (then the fewest halves), or
        None when it cannot be made exactly."""
        if mg == 0:
            return Preparation(mg=Decimal(0))
        if self.form == "solution":
            assert self.concentration_mg_per_ml is not None and self.smallest_ml is not None
            ml = mg / self.concentration_mg_per_ml
            if _micro(ml) % _micro(self.smallest_ml):
                return None
            return Preparation(mg=mg, ml=ml.normalize())
        return _fewest_pieces(self._pieces(), mg)


@dataclass(frozen=True)
class Preparation:
    """One dose: mg, and either tablet/packet counts or a volume."""

    mg: Decimal
    # (strength mg, number of halves): 3 halves of 10 mg = one and a half tablets.
    halves: tuple[tuple[Decimal, int], ...] = ()
    ml: Decimal | None = None

    @property
    def made_mg(self) -> Decimal:
        return sum((strength * count / 2 for strength, count in self.halves), Decimal(0))


@dataclass(frozen=True)
class DoseAmount:
    time: str
    preparation: Preparation

    @property
    def mg(self) -> Decimal:
        return self.preparation.mg


@dataclass(frozen=True)
class DoseStep:
    first_day: datetime.date
    last_day: datetime.date  # inclusive
    daily_mg: Decimal
    doses: tuple[DoseAmount, ...]
    current: bool = False  # the dose before the first reduction, from the discharge day

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1


@dataclass(frozen=True)
class ExplicitStep:
    days: int
    amounts_mg: dict[str, Decimal]


@dataclass(frozen=True)
class Prescription:
    supply: Supply
    daily_mg: Decimal
    dose_times: tuple[str, ...]
    start: datetime.date
    every_days: int | None = None
    step_mg: Decimal | None = None
    step_percent: Decimal | None = None
    daily_totals_mg: tuple[Decimal, ...] | None = None
    explicit_steps: tuple[ExplicitStep, ...] | None = None
    hold_at_mg: Decimal | None = None
    hold_days: int | None = None
    extra_to: tuple[str, ...] = DEFAULT_EXTRA_TO
    above_label_maximum_acknowledged: bool = False
    # From the medicine's content file: taper.py knows no medicine.
    label_maximum_daily_mg: Decimal | None = None
    medication_name: str = "the medicine"
    max_days: int = 365
    max_steps: int = 200
    # The discharge day: the calendar covers every day from it, the current dose
    # included. None: the plan starts at `start` (the arithmetic alone).
    first_day: datetime.date | None = None


@dataclass(frozen=True)
class TaperPlan:
    prescription: Prescription
    steps: tuple[DoseStep, ...]

    @property
    def last_dose_day(self) -> datetime.date:
        return self.steps[-1].last_day

    @property
    def stop_day(self) -> datetime.date:
        """The first day with none of the medicine at all."""
        return self.last_dose_day + datetime.timedelta(days=1)

    @property
    def total_days(self) -> int:
        return (self.last_dose_day - self.steps[0].first_day).days + 1

    def daily_mg_on(self, day: datetime.date) -> Decimal:
        for step in self.steps:
            if step.first_day <= day <= step.last_day:
                return step.daily_mg
        return self.prescription.daily_mg if day < self.steps[0].first_day else Decimal(0)

    def days(self) -> list[tuple[datetime.date, DoseStep]]:
        return [
            (step.first_day + datetime.timedelta(days=offset), step)
            for step in self.steps
            for offset in range(step.days)
        ]


def plan_taper(prescription: Prescription) -> TaperPlan:
    """The dated steps of the prescriber's taper, or a TaperError naming the field."""
    _check_prescription(prescription)
    if prescription.explicit_steps:
        levels = [
            (step.days, _explicit_doses(prescription, index, step))
            for index, step in enumerate(prescription.explicit_steps)
        ]
    else:
        totals = _daily_totals(prescription)
        if not totals:
            raise TaperError(
                "taper",
                f"the first reduction already reaches zero, so this stops {prescription.medication_name} at once",
                "check the current daily dose and the reduction; stopping at once is not a taper",
            )
        levels = [
            (_duration(prescription, totals, index), _shared(prescription, total))
            for index, total in enumerate(totals)
        ]
    steps: list[DoseStep] = []
    first_day = prescription.start
    for days, doses in levels:
        last_day = first_day + datetime.timedelta(days=days - 1)
        steps.append(DoseStep(first_day, last_day, sum((d.mg for d in doses), Decimal(0)), doses))
        first_day = last_day + datetime.timedelta(days=1)
    plan = TaperPlan(prescription, _from_first_day(prescription, tuple(steps)))
    if len(steps) > prescription.max_steps or plan.total_days > prescription.max_days:
        raise TaperError(
            "taper",
            f"the plan would take {plan.total_days} days in {len(steps)} steps",
            f"check the reduction and its interval; plans longer than {prescription.max_days} days or "
            f"{prescription.max_steps} steps need max_days / max_steps set in the prescription",
        )
    return plan


def _from_first_day(p: Prescription, steps: tuple[DoseStep, ...]) -> tuple[DoseStep, ...]:
    """Every day from the discharge day: the current dose until the first
    reduction, or, for a taper begun in hospital, that day's dose first."""
    first_day = p.first_day
    if first_day is None or first_day == steps[0].first_day:
        return steps
    if first_day > steps[-1].last_day:
        raise TaperError(
            "taper.start",
            "makes the whole taper end before the discharge day",
            "check the start date and the discharge date",
        )
    if first_day < steps[0].first_day:
        before = steps[0].first_day - datetime.timedelta(days=1)
        current = DoseStep(first_day, before, p.daily_mg, _shared(p, p.daily_mg), current=True)
        return (current, *steps)
    kept = [step for step in steps if step.last_day >= first_day]
    kept[0] = replace(kept[0], first_day=max(first_day, kept[0].first_day))
    return tuple(kept)


def _check_prescription(p: Prescription) -> None:
    supply = p.supply
    if supply.form not in FORMS:
        raise TaperError(
            "medication.form", f"'{supply.form}' is not a form", f"use one of: {', '.join(FORMS)}"
        )
    if supply.form == "solution":
        if not supply.concentration_mg_per_ml or supply.concentration_mg_per_ml <= 0:
            raise TaperError(
                "medication.concentration_mg_per_ml",
                "is missing or not above zero",
                "give the strength of the liquid, e.g. 1 for 5 mg/5 mL, 2 for 10 mg/5 mL",
            )
        if not supply.smallest_ml or supply.smallest_ml <= 0:
            raise TaperError(
                "medication.smallest_ml",
                "is missing or not above zero",
                "give the smallest volume the patient can measure, e.g. 0.5",
            )
    elif not supply.strengths_mg or any(strength <= 0 for strength in supply.strengths_mg):
        raise TaperError(
            "medication.strengths_mg",
            "is missing or has a strength that is not above zero",
            "list the strengths the patient has, e.g. [10, 5]",
        )
    if not 1 <= len(p.dose_times) <= 4:
        raise TaperError("medication.doses_per_day", f"is {len(p.dose_times)}", "give 1 to 4 doses a day")
    unknown = [time for time in (*p.dose_times, *p.extra_to) if time not in DOSE_TIMES]
    if unknown or len(set(p.dose_times)) != len(p.dose_times):
        raise TaperError(
            "medication.dose_times",
            "has an unknown or repeated dose time",
            f"use each of {', '.join(DOSE_TIMES)} at most once",
        )
    if p.daily_mg <= 0:
        raise TaperError(
            "medication.daily_mg", "is not above zero", "give the current total daily dose in mg"
        )
    maximum = p.label_maximum_daily_mg
    if maximum is not None and p.daily_mg > maximum and not p.above_label_maximum_acknowledged:
        raise TaperError(
            "medication.daily_mg",
            f"is above the label maximum of {plain_number(maximum)} mg a day",
            "check for a typo; if the prescriber ordered it, set above_label_maximum_acknowledged = true",
        )
    if _micro(p.daily_mg) % _micro(supply.unit_mg):
        raise TaperError(
            "medication.daily_mg",
            "cannot be made from the strengths the patient has",
            f"use a multiple of {plain_number(supply.unit_mg)} mg, or list other strengths",
        )
    ways = [
        p.step_mg is not None,
        p.step_percent is not None,
        bool(p.daily_totals_mg),
        bool(p.explicit_steps),
    ]
    if sum(ways) != 1:
        raise TaperError(
            "taper",
            "needs exactly one of step_mg, step_percent, daily_totals_mg or steps",
            "give the reduction the prescriber ordered in one of those ways",
        )
    if not p.explicit_steps and (p.every_days is None or p.every_days < 1):
        raise TaperError("taper.every_days", "is missing or below 1", "give how many days each step lasts")
    if (p.hold_at_mg is None) != (p.hold_days is None) or (p.hold_days is not None and p.hold_days < 1):
        raise TaperError(
            "taper.hold_days",
            "a hold needs both hold_at_mg and hold_days of at least 1",
            "give both, or neither",
        )


def _daily_totals(p: Prescription) -> list[Decimal]:
    unit = p.supply.unit_mg
    if p.daily_totals_mg:
        listed = list(p.daily_totals_mg)
        while listed and listed[-1] == 0:
            listed.pop()  # a trailing 0 only says "then stop"
        previous = p.daily_mg
        for index, total in enumerate(listed):
            field = f"taper.daily_totals_mg[{index + 1}]"
            if total <= 0:
                raise TaperError(
                    field, "is zero or below before the end", "list only the totals before stopping"
                )
            if total > previous:
                raise TaperError(field, "is higher than the total before it", "daily totals must never go up")
            if _micro(total) % _micro(unit):
                raise TaperError(
                    field,
                    "cannot be made from the strengths the patient has",
                    f"use a multiple of {plain_number(unit)} mg",
                )
            previous = total
        return listed
    totals: list[Decimal] = []
    current = p.daily_mg
    while True:
        if p.step_mg is not None:
            reduction = p.step_mg
            if reduction <= 0:
                raise TaperError(
                    "taper.step_mg",
                    "is not above zero, so the dose would never go down",
                    f"give a reduction of at least {plain_number(unit)} mg",
                )
            if _micro(reduction) % _micro(unit):
                raise TaperError(
                    "taper.step_mg",
                    "cannot be made from the strengths the patient has",
                    f"use a multiple of {plain_number(unit)} mg",
                )
        else:
            assert p.step_percent is not None
            if not 0 < p.step_percent < 100:
                raise TaperError(
                    "taper.step_percent",
                    "must be above 0 and below 100",
                    "give the percentage of the current daily dose to remove at each step",
                )
            # Rounded down to a makeable amount: never a bigger cut than ordered. Where that
            # is nothing, the tool would have to invent a bigger cut: it asks instead.
            units = (current * p.step_percent / 100 / unit).to_integral_value(ROUND_DOWN)
            if units < 1:
                raise TaperError(
                    "taper.step_percent",
                    f"cuts less than {plain_number(unit)} mg from {plain_number(current)} mg a day, and the "
                    "strengths cannot make a smaller cut",
                    "give the whole taper as daily_totals_mg, choosing the last steps yourself",
                )
            reduction = units * unit
        current -= reduction
        if current <= 0:
            return totals
        totals.append(current)
        if len(totals) > p.max_steps:
            return totals  # reported as too long by plan_taper


def _duration(p: Prescription, totals: list[Decimal], index: int) -> int:
    assert p.every_days is not None
    if p.hold_at_mg is not None and p.hold_days is not None:
        first_at_or_below = next((i for i, total in enumerate(totals) if total <= p.hold_at_mg), None)
        if index == first_at_or_below:
            return p.hold_days
    return p.every_days


def _shared(p: Prescription, total: Decimal) -> tuple[DoseAmount, ...]:
    """Share a daily total among the dose times as evenly as makeable amounts allow."""
    unit = p.supply.unit_mg
    units = int(total / unit)
    count = len(p.dose_times)
    priority = [p.dose_times.index(time) for time in p.extra_to if time in p.dose_times]
    priority += [i for i in range(count) if i not in priority]
    makeable: dict[int, Preparation | None] = {}

    def can_make(k: int) -> bool:
        if k not in makeable:
            makeable[k] = p.supply.preparation(unit * k)
        return makeable[k] is not None

    tried = 0
    for spread in range(units + 1):
        low_start = max(0, units // count - spread)
        candidates = []
        for low in range(low_start, units // count + 1):
            tried += (spread + 1) ** count
            if tried > _MOST_COMBINATIONS:
                break
            for combo in itertools.product(range(low, low + spread + 1), repeat=count):
                if sum(combo) == units and all(can_make(k) for k in combo):
                    candidates.append(combo)
        if candidates:
            # Doses kept spread over the day first (morning and bedtime, not evening and
            # bedtime), then any remainder where extra_to says.
            best = max(
                candidates,
                key=lambda combo: (_spread(p.dose_times, combo), tuple(combo[i] for i in priority)),
            )
            return tuple(
                DoseAmount(time, makeable[k])  # type: ignore[arg-type]
                for time, k in zip(p.dose_times, best, strict=True)
            )
        if tried > _MOST_COMBINATIONS:
            break
    raise TaperError(
        "taper",
        f"a daily total of {plain_number(total)} mg cannot be shared among the dose times",
        "choose totals the strengths can make, or other strengths",
    )


# The usual hour of each dose time, to judge how far apart doses are.
_HOURS = {"morning": 8, "midday": 13, "evening": 18, "bedtime": 21}


def _spread(dose_times: tuple[str, ...], combo: tuple[int, ...]) -> int:
    """The shortest gap, in hours around the clock, between the doses a day keeps."""
    hours = sorted(_HOURS[time] for time, units in zip(dose_times, combo, strict=True) if units)
    if len(hours) < 2:
        return 24
    gaps = [later - earlier for earlier, later in itertools.pairwise(hours)]
    return min([*gaps, hours[0] + 24 - hours[-1]])


def _explicit_doses(p: Prescription, index: int, step: ExplicitStep) -> tuple[DoseAmount, ...]:
    field = f"taper.steps[{index + 1}]"
    if step.days < 1:
        raise TaperError(f"{field}.days", "is below 1", "give how many days this step lasts")
    unknown = set(step.amounts_mg) - set(p.dose_times)
    if unknown:
        raise TaperError(
            field, "names a dose time the patient does not have", f"use only: {', '.join(p.dose_times)}"
        )
    doses = []
    for time in p.dose_times:
        mg = step.amounts_mg.get(time, Decimal(0))
        preparation = p.supply.preparation(mg) if mg >= 0 else None
        if preparation is None:
            raise TaperError(
                f"{field}.{time}",
                "cannot be made from the strengths the patient has",
                f"use a multiple of {plain_number(p.supply.unit_mg)} mg",
            )
        doses.append(DoseAmount(time, preparation))
    total = sum((dose.mg for dose in doses), Decimal(0))
    previous = p.daily_mg if index == 0 else sum(p.explicit_steps[index - 1].amounts_mg.values(), Decimal(0))  # type: ignore[index]
    if total <= 0:
        raise TaperError(field, "adds up to zero", "list only the steps before stopping")
    if total > previous:
        raise TaperError(field, "adds up to more than the step before it", "daily totals must never go up")
    return tuple(doses)


def _fewest_pieces(pieces: list[tuple[Decimal, Decimal, bool]], mg: Decimal) -> Preparation | None:
    sizes = [_micro(size) for size, _strength, _half in pieces]
    step = math.gcd(*sizes)
    target = _micro(mg)
    if target % step:
        return None
    target //= step
    # best[t] = (pieces, halves, composition) for t units; a small coin-change table.
    best: list[tuple[int, int, tuple[int, ...]] | None] = [None] * (target + 1)
    best[0] = (0, 0, (0,) * len(pieces))
    for amount in range(1, target + 1):
        for index, size in enumerate(sizes):
            size //= step
            previous = best[amount - size] if size <= amount else None
            if previous is None:
                continue
            counts = list(previous[2])
            counts[index] += 1
            if pieces[index][2] and counts[index] > 1:
                continue  # two halves of one strength are a whole tablet
            candidate = (previous[0] + 1, previous[1] + int(pieces[index][2]), tuple(counts))
            if best[amount] is None or candidate[:2] < best[amount][:2]:  # type: ignore[index]
                best[amount] = candidate
    found = best[target]
    if found is None:
        return None
    halves: dict[Decimal, int] = {}
    for (_size, strength, is_half), count in zip(pieces, found[2], strict=True):
        if count:
            halves[strength] = halves.get(strength, 0) + count * (1 if is_half else 2)
    ordered = tuple(sorted(halves.items(), key=lambda item: -item[0]))
    return Preparation(mg=mg, halves=ordered)


def _micro(value: Decimal) -> int:
    scaled = value * _MICRO
    if scaled != scaled.to_integral_value():
        raise TaperError(
            "medication", "an amount has more than 3 decimal places", "round it to 0.001 mg"
        )
    return int(scaled)
