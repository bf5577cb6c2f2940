"""The taper arithmetic: property-tested rules and hand-checked examples."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from handouts.taper import (
    DEFAULT_DOSE_TIMES,
    ExplicitStep,
    Prescription,
    Supply,
    TaperError,
    plan_taper,
)

D = Decimal
START = datetime.date(2026, 12, 2)

tablets = st.builds(
    Supply,
    form=st.just("tablet"),
    strengths_mg=st.sets(st.sampled_from([D(5), D(10), D(15), D(20)]), min_size=1).map(
        lambda s: tuple(sorted(s, reverse=True))
    ),
    split_tablets=st.booleans(),
)
solutions = st.builds(
    Supply,
    form=st.just("solution"),
    concentration_mg_per_ml=st.sampled_from([D(1), D(2), D(5)]),
    smallest_ml=st.sampled_from([D("0.5"), D(1)]),
)
granules = st.builds(
    Supply,
    form=st.just("granules"),
    strengths_mg=st.sets(st.sampled_from([D(5), D(10), D(20)]), min_size=1).map(
        lambda s: tuple(sorted(s, reverse=True))
    ),
)


@st.composite
def prescriptions(draw):
    supply = draw(st.one_of(tablets, solutions, granules))
    unit = supply.unit_mg
    daily = unit * draw(st.integers(1, int(D(80) / unit)))
    doses_per_day = draw(st.integers(1, 4))
    way = draw(st.sampled_from(["step_mg", "step_percent", "totals"]))
    kwargs = {}
    if way == "step_mg":
        kwargs["step_mg"] = unit * draw(st.integers(1, 4))
    elif way == "step_percent":
        kwargs["step_percent"] = D(draw(st.integers(5, 50)))
    else:
        count = int(daily / unit)
        picks = draw(st.lists(st.integers(1, count), min_size=1, max_size=12))
        kwargs["daily_totals_mg"] = tuple(sorted({unit * k for k in picks}, reverse=True))
    if draw(st.booleans()):
        kwargs["hold_at_mg"] = unit * draw(st.integers(1, int(daily / unit)))
        kwargs["hold_days"] = draw(st.integers(1, 28))
    return Prescription(
        supply=supply,
        daily_mg=daily,
        dose_times=DEFAULT_DOSE_TIMES[doses_per_day],
        start=START + datetime.timedelta(days=draw(st.integers(0, 400))),
        every_days=draw(st.integers(1, 14)),
        max_days=10_000,
        max_steps=10_000,
        **kwargs,
    )


def _every_multiple_makeable(supply: Supply) -> bool:
    """A liquid, or a piece as small as the unit: every multiple of the unit can be made."""
    if supply.form == "solution":
        return True
    pieces = set(supply.strengths_mg) | (
        {s / 2 for s in supply.strengths_mg} if supply.split_tablets else set()
    )
    return supply.unit_mg in pieces


def _plan_or_skip(prescription):
    try:
        return plan_taper(prescription)
    except TaperError as error:
        assume("at once" not in error.what)  # a one-step "taper" from the smallest dose
        # A percentage that rounds down to no cut at all is the prescriber's to decide.
        assume("smaller cut" not in error.what)
        # Only strengths that cannot make some amount (15 and 20 mg without
        # halves, say) may refuse; never a supply that can make every multiple.
        assume("cannot be" not in error.what or _every_multiple_makeable(prescription.supply))
        raise


@settings(max_examples=300, deadline=None)
@given(prescriptions())
def test_taper_rules(prescription) -> None:
    plan = _plan_or_skip(prescription)
    totals = [step.daily_mg for step in plan.steps]
    # Daily totals never increase, starting from the current dose.
    assert all(a >= b for a, b in zip([prescription.daily_mg, *totals], totals, strict=False))
    # The plan ends at zero: nothing after the last step.
    assert plan.daily_mg_on(plan.stop_day) == 0 and totals[-1] > 0
    for step in plan.steps:
        # The doses of a day add up to its total.
        assert sum(dose.mg for dose in step.doses) == step.daily_mg
        for dose in step.doses:
            preparation = dose.preparation
            # Every dose is exactly makeable from what is available.
            if prescription.supply.form == "solution":
                if dose.mg:
                    assert preparation.ml * prescription.supply.concentration_mg_per_ml == dose.mg
                    assert preparation.ml % prescription.supply.smallest_ml == 0
            else:
                assert preparation.made_mg == dose.mg
                assert all(strength in prescription.supply.strengths_mg for strength, _ in preparation.halves)
                if not (prescription.supply.form == "tablet" and prescription.supply.split_tablets):
                    assert all(count % 2 == 0 for _, count in preparation.halves)
    # Dates are contiguous, with no gap or overlap.
    assert plan.steps[0].first_day == prescription.start
    for before, after in zip(plan.steps, plan.steps[1:], strict=False):
        assert after.first_day == before.last_day + datetime.timedelta(days=1)
    assert plan.total_days == sum(step.days for step in plan.steps)
    assert len(plan.days()) == plan.total_days


@settings(max_examples=200, deadline=None)
@given(prescriptions())
def test_step_percent_never_makes_a_zero_step(prescription) -> None:
    """Either every step goes down, or the refusal names the percentage."""
    assume(prescription.step_percent is not None)
    try:
        plan = plan_taper(prescription)
    except TaperError as refused:
        assume(refused.field == "taper.step_percent" or "at once" in refused.what or "cannot be" in refused.what)
        return
    totals = [prescription.daily_mg, *(step.daily_mg for step in plan.steps)]
    assert all(a > b for a, b in itertools.pairwise(totals))


def _doses(step) -> dict[str, tuple[Decimal, tuple]]:
    return {dose.time: (dose.mg, dose.preparation.halves or dose.preparation.ml) for dose in step.doses}


def test_tablet_plan_with_halves_checked_by_hand() -> None:
    supply = Supply("tablet", (D(10), D(5)), split_tablets=True)
    plan = plan_taper(Prescription(supply, D(20), DEFAULT_DOSE_TIMES[3], START, every_days=7, step_mg=D(5)))
    assert [step.daily_mg for step in plan.steps] == [15, 10, 5]
    # 15 mg in three doses: 5 mg each, one 5 mg tablet.
    assert _doses(plan.steps[0]) == {t: (D(5), ((D(5), 2),)) for t in ("morning", "midday", "bedtime")}
    # 10 mg: 2.5 + 2.5 + 5; the extra goes to bedtime. 2.5 mg = half a 5 mg tablet.
    assert _doses(plan.steps[1]) == {
        "morning": (D("2.5"), ((D(5), 1),)),
        "midday": (D("2.5"), ((D(5), 1),)),
        "bedtime": (D(5), ((D(5), 2),)),
    }
    assert plan.steps[2].first_day == datetime.date(2026, 12, 16)
    assert plan.last_dose_day == datetime.date(2026, 12, 22)
    assert plan.total_days == 21


def test_one_and_a_half_tablets_rather_than_three_pieces() -> None:
    supply = Supply("tablet", (D(10),), split_tablets=True)
    preparation = supply.preparation(D(15))
    assert preparation.halves == ((D(10), 3),)  # one and a half tablets of 10 mg


def test_liquid_plan_checked_by_hand() -> None:
    supply = Supply("solution", concentration_mg_per_ml=D(1), smallest_ml=D("0.5"))
    plan = plan_taper(
        Prescription(
            supply,
            D(15),
            DEFAULT_DOSE_TIMES[3],
            START,
            every_days=4,
            daily_totals_mg=(D("10.5"), D(6), D(3), D(0)),
        )
    )
    assert [step.daily_mg for step in plan.steps] == [D("10.5"), 6, 3]
    # 10.5 mg of 1 mg/mL in 3 doses: 3.5 mL each.
    assert _doses(plan.steps[0]) == {t: (D("3.5"), D("3.5")) for t in ("morning", "midday", "bedtime")}
    assert plan.total_days == 12


def test_granules_plan_checked_by_hand() -> None:
    supply = Supply("granules", (D(10), D(5)))
    plan = plan_taper(Prescription(supply, D(30), DEFAULT_DOSE_TIMES[2], START, every_days=10, step_mg=D(10)))
    assert [step.daily_mg for step in plan.steps] == [20, 10]
    assert _doses(plan.steps[0]) == {"morning": (D(10), ((D(10), 2),)), "bedtime": (D(10), ((D(10), 2),))}
    assert _doses(plan.steps[1]) == {"morning": (D(5), ((D(5), 2),)), "bedtime": (D(5), ((D(5), 2),))}


def test_hold_checked_by_hand() -> None:
    supply = Supply("tablet", (D(10),), split_tablets=True)
    plan = plan_taper(
        Prescription(
            supply,
            D(30),
            DEFAULT_DOSE_TIMES[2],
            START,
            every_days=7,
            step_mg=D(5),
            hold_at_mg=D(15),
            hold_days=21,
        )
    )
    assert [(step.daily_mg, step.days) for step in plan.steps] == [
        (25, 7),
        (20, 7),
        (15, 21),
        (10, 7),
        (5, 7),
    ]


def test_explicit_per_dose_amounts() -> None:
    supply = Supply("tablet", (D(10), D(5)), split_tablets=True)
    steps = (ExplicitStep(7, {"morning": D(10), "bedtime": D(10)}), ExplicitStep(7, {"bedtime": D(5)}))
    plan = plan_taper(Prescription(supply, D(20), DEFAULT_DOSE_TIMES[2], START, explicit_steps=steps))
    assert [step.daily_mg for step in plan.steps] == [20, 5]
    assert _doses(plan.steps[1])["morning"] == (D(0), None)


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"step_mg": D(0)}, "taper.step_mg", "never go down"),
        ({"step_mg": D(3)}, "taper.step_mg", "cannot be made"),
        ({"step_mg": None, "step_percent": D(0)}, "taper.step_percent", "above 0"),
        ({"dose_times": ()}, "medication.doses_per_day", "is 0"),
        ({"dose_times": ("morning",) * 5}, "medication.doses_per_day", "is 5"),
        ({"daily_mg": D(90)}, "medication.daily_mg", "label maximum"),
        ({"daily_mg": D(32)}, "medication.daily_mg", "cannot be made"),
        ({"every_days": 0}, "taper.every_days", "below 1"),
        ({"step_mg": D("2.5"), "every_days": 60}, "taper", "would take"),
        ({"step_mg": None, "daily_totals_mg": (D(20), D(25))}, "taper.daily_totals_mg[2]", "higher"),
        ({"hold_at_mg": D(10)}, "taper.hold_days", "needs both"),
    ],
)
def test_prescription_errors_name_the_field(changes, field, words) -> None:
    base = {
        "supply": Supply("tablet", (D(10), D(5)), split_tablets=True),
        "daily_mg": D(30),
        "dose_times": DEFAULT_DOSE_TIMES[3],
        "start": START,
        "every_days": 7,
        "step_mg": D(5),
        "label_maximum_daily_mg": D(80),
    }
    with pytest.raises(TaperError) as raised:
        plan_taper(Prescription(**{**base, **changes}))
    assert raised.value.field == field and words in raised.value.what
    assert raised.value.fix


def test_high_dose_passes_only_when_acknowledged() -> None:
    supply = Supply("tablet", (D(20),))
    prescription = Prescription(
        supply,
        D(100),
        DEFAULT_DOSE_TIMES[4],
        START,
        every_days=7,
        step_mg=D(20),
        above_label_maximum_acknowledged=True,
        label_maximum_daily_mg=D(80),
    )
    assert [step.daily_mg for step in plan_taper(prescription).steps] == [80, 60, 40, 20]


@given(
    daily=st.integers(min_value=4, max_value=32).map(lambda units: D(units) * D("2.5")),
    percent=st.integers(min_value=5, max_value=60),
)
def test_a_percentage_step_never_cuts_more_than_ordered(daily: Decimal, percent: int) -> None:
    supply = Supply("tablet", (D(10), D(5)), split_tablets=True)
    prescription = Prescription(
        supply, daily, DEFAULT_DOSE_TIMES[3], START, every_days=7, step_percent=D(percent)
    )
    try:
        plan = plan_taper(prescription)
    except TaperError as refused:
        assert refused.field == "taper.step_percent" and "smaller cut" in refused.what
        return
    previous = daily
    for step in plan.steps:
        cut = previous - step.daily_mg
        assert D(0) < cut <= previous * percent / 100
        previous = step.daily_mg


@given(
    per_day=st.sampled_from([2, 3, 4]),
    units=st.integers(min_value=1, max_value=3),
)
def test_doses_that_cannot_fill_every_time_stay_spread_over_the_day(per_day: int, units: int) -> None:
    """Fewer doses than dose times: the ones kept are as far apart as the day allows."""
    supply = Supply("tablet", (D(5),), split_tablets=True)
    total = D(units) * D("2.5")
    assume(units < per_day)
    prescription = Prescription(
        supply, total + D(5), DEFAULT_DOSE_TIMES[per_day], START, daily_totals_mg=(total,), every_days=7
    )
    step = plan_taper(prescription).steps[0]
    kept = tuple(dose.time for dose in step.doses if dose.mg)
    hours = {"morning": 8, "midday": 13, "evening": 18, "bedtime": 21}
    if len(kept) == 2:
        assert set(kept) == {"morning", "bedtime"}  # 11 and 13 hours apart, not 3
    if len(kept) == 3 and per_day == 4:
        assert "evening" not in kept  # evening and bedtime are only 3 hours apart
    assert sum(dose.mg for dose in step.doses) == total
    assert all(time in hours for time in kept)


def test_the_calendar_covers_every_day_from_discharge() -> None:
    supply = Supply("tablet", (D(10), D(5)), split_tablets=True)
    discharge = START - datetime.timedelta(days=3)
    plan = plan_taper(
        Prescription(supply, D(30), DEFAULT_DOSE_TIMES[3], START, every_days=7, step_mg=D(10), first_day=discharge)
    )
    first = plan.steps[0]
    assert first.current and first.first_day == discharge and first.last_day == START - datetime.timedelta(days=1)
    assert first.daily_mg == 30 and [dose.mg for dose in first.doses] == [10, 10, 10]
    assert plan.steps[1].first_day == START and not plan.steps[1].current
    # A taper begun in hospital: the calendar starts on the discharge day, with that day's dose.
    later = START + datetime.timedelta(days=9)
    begun = plan_taper(
        Prescription(supply, D(30), DEFAULT_DOSE_TIMES[3], START, every_days=7, step_mg=D(10), first_day=later)
    )
    assert begun.steps[0].first_day == later and begun.steps[0].daily_mg == 10
