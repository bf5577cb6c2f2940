"""The one order schema: the same field, the same syntax, the same message
from every way in; and a second medicine needs a content file, not Python."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handouts.medication import load_medication, read_medication
from handouts.numbers import plain_number
from handouts.order import OrderError, Source, Style, build_order
from handouts.order_schema import json_schema, order_fields
from handouts.order_values import ValueProblem, amount, listed

BACLOFEN = load_medication("baclofen")
FICTOLIN = read_medication(Path(__file__).parent / "data" / "fictolin" / "medication.toml")


def order(**changes: object) -> dict[str, dict[str, object]]:
    """A good order as text, as a CSV row or the options give it."""
    data: dict[str, dict[str, object]] = {
        "patient": {"name": "Pat Example"},
        "discharge": {"date": "2026-12-01", "prescriber": "Dr. A. Chen"},
        "medication": {"form": "tablet", "strengths_mg": "10,5", "split_tablets": "yes", "daily_mg": "30",
                       "doses_per_day": "3"},
        "taper": {"start": "2026-12-02", "step_mg": "5", "every_days": "7"},
    }  # fmt: skip
    for path, value in changes.items():
        section, key = path.split("__")
        data.setdefault(section, {})[key] = value
    return data


SOURCES = {
    Style.FILE: ("patient.toml", "[medication] daily_mg"),
    Style.CSV: ("ward.csv row 3", "column daily_mg"),
    Style.OPTIONS: ("the command-line options", "--daily-mg"),
    Style.JSON: ("the request body", "medication.daily_mg"),
    Style.FORM: ("the form", "daily_mg"),
}


@pytest.mark.parametrize("style", list(Style))
def test_every_way_in_names_the_field_in_its_own_terms(style: Style) -> None:
    where, label = SOURCES[style]
    with pytest.raises(OrderError) as raised:
        build_order(order(medication__daily_mg="32"), Source(where, style), BACLOFEN)
    message = str(raised.value)
    assert message.startswith(f"{where}: {label} cannot be made") and "2.5 mg" in message


def test_text_and_typed_values_mean_the_same() -> None:
    typed = order(
        medication__strengths_mg=[10, 5], medication__split_tablets=True, medication__daily_mg=30,
        medication__doses_per_day=3, taper__start=datetime.date(2026, 12, 2), taper__step_mg=5,
        taper__every_days=7, discharge__date=datetime.date(2026, 12, 1),
    )  # fmt: skip
    as_text = build_order(order(), Source("row", Style.CSV), BACLOFEN)
    as_typed = build_order(typed, Source("file", Style.FILE), BACLOFEN)
    assert as_text.plan.steps == as_typed.plan.steps


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"medication__strengths_mg": "10;5"}, "Separate them with commas"),
        ({"medication__daily_mg": "1E+1"}, "without quotes or units"),
        ({"medication__daily_mg": 1e9}, "at most 10000"),
        ({"medication__clock_times": "morning=07:30+05:00"}, "time zone"),
        ({"follow_up__when": "2026-12-29T10:30:00-06:00"}, "time zone"),
        ({"discharge__date": "9999-12-31"}, "between 1900-01-01 and 2100-12-31"),
        ({"taper__every_days": "1000000000"}, "from 1 to 365"),
        ({"taper__max_days": "10000"}, "from 1 to 730"),
        ({"patient__language": "xx"}, "'xx'"),
        ({"medication__daily_mg": "3000"}, "above 300 mg a day"),
    ],
)
def test_bounds_and_syntax_are_refused_with_the_field(changes: dict[str, object], words: str) -> None:
    data = order(**changes)
    with pytest.raises(OrderError) as raised:
        build_order(data, Source("ward.csv row 2", Style.CSV), BACLOFEN)
    assert words in str(raised.value)
    assert "Pat Example" not in str(raised.value)


def test_a_second_medicine_is_content_not_python() -> None:
    """The limits, doses a day, forms and the name in messages all come from its file."""
    good = order(medication__strengths_mg="8,4", medication__split_tablets="no", medication__daily_mg="16",
                 medication__doses_per_day="2", taper__step_mg="4")  # fmt: skip
    plan = build_order(good, Source("row", Style.CSV), FICTOLIN).plan
    assert [step.daily_mg for step in plan.steps] == [16, 12, 8, 4]  # from discharge: the current dose first
    refusals = [
        (order(medication__strengths_mg="8,4", medication__daily_mg="48", medication__doses_per_day="2"),
         "label maximum of 40 mg"),
        (order(medication__strengths_mg="8,4", medication__daily_mg="16"), "must be 1 to 2"),
        (order(medication__form="solution", medication__daily_mg="16"), "not a form fictolin comes in"),
        (order(medication__strengths_mg="8", medication__daily_mg="64", medication__doses_per_day="2",
               medication__above_label_maximum_acknowledged="yes"), "most this tool prints for fictolin"),
    ]  # fmt: skip
    for data, words in refusals:
        with pytest.raises(OrderError) as raised:
            build_order(data, Source("row", Style.CSV), FICTOLIN)
        assert words in str(raised.value)


def test_fields_csv_options_and_json_schema_come_from_one_place() -> None:
    schema = json.dumps(json_schema())
    for info in order_fields():
        assert f'"{info.key}"' in schema
    flats = [info.flat for info in order_fields() if info.flat]
    assert len(flats) == len(set(flats))  # one name per field across every interface
    checked = Path(__file__).parent.parent / "schema" / "discharge-order.schema.json"
    assert json.loads(checked.read_text(encoding="utf-8")) == json_schema()


@given(st.decimals(min_value=0, max_value=10_000, places=3, allow_nan=False, allow_infinity=False))
def test_a_number_reads_back_as_itself_and_is_written_as_a_person_writes_it(value: Decimal) -> None:
    written = plain_number(value)
    assert "E" not in written and not (written.endswith("0") and "." in written)
    assert amount(written, Decimal(10_000)) == value


@given(st.lists(st.sampled_from(["10", "5", "2.5"]), min_size=1, max_size=5))
def test_one_list_syntax(items: list[str]) -> None:
    assert listed(",".join(items)) == items
    with pytest.raises(ValueProblem):
        listed(";".join([*items, "5"]))
