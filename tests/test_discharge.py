"""The discharge sheet as a nurse prints it and a patient reads it."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

import icalendar
import pytest
from conftest import PATIENT, discharge, pdf_fonts, pdf_pages, pdf_text, with_catalogs
from pypdf import PdfReader

from handouts.catalogs import load_catalog
from handouts.content import load_content
from handouts.discharge import DischargeSheet, discharge_sheet
from handouts.dose_text import DoseWords
from handouts.doses import format_dose
from handouts.localization import LANGUAGES
from handouts.medication import load_medication
from handouts.patient import load_patient_file

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _spaced(text: str) -> str:
    """Spacing as pdf_text gives it: no-break spaces become plain ones."""
    return " ".join(text.split())


def _sheet(order_file: Path, tag: str = "en") -> DischargeSheet:
    order = load_patient_file(order_file, load_medication("baclofen"))
    return discharge_sheet(order, DoseWords(LANGUAGES[tag], load_catalog(tag)[0]))


def _page_texts(path: Path) -> list[str]:
    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(path).pages]


def test_sheet_shows_every_day_from_discharge_and_every_amount(ward: Path) -> None:
    result = discharge(ward, "--patient", "patient.toml", "--lang", "en")
    assert result.code == 0, result.stderr
    sheet = ward / "discharge-2026-12-01-en.pdf"  # never the patient's name
    text = pdf_text(sheet)
    model = _sheet(ward / "patient.toml")
    # The dose of the discharge day is on the sheet, in the present tense, like any other day.
    first = model.steps[0]
    assert first.current and "Your dose now" in text and first.dates == "Tuesday, December 1"
    for step in model.steps:
        assert _spaced(step.dates) in text
        for cell in step.cells:
            assert _spaced(cell.action) in text and _spaced(cell.check) in text
    assert "1½ tablets of 5 mg" in text and "½ tablet of 5 mg" in text  # never "1 / and a half"
    # The tick grid has one box per dose for every day from discharge to the last dose.
    days = [day for week in model.weeks for day in week.days if day is not None]
    order = load_patient_file(ward / "patient.toml", load_medication("baclofen"))
    assert [day.day for day in days] == [day for day, _step in order.plan.days()]
    assert days[0].day == datetime.date(2026, 12, 1) and days[-1].day == datetime.date(2027, 1, 12)
    assert all(day.boxes == sum(1 for dose in step.doses if dose.mg) for day, (_d, step) in zip(days, order.plan.days(), strict=True))
    assert "From January 13, 2027: no more baclofen." in text
    assert "Your last dose is on January 12, 2027." in text
    assert "Do not take two doses at once" in text
    fonts = pdf_fonts(sheet)
    assert fonts and all(fonts.values())
    assert "María" not in result.stderr


def test_every_page_names_the_patient_and_the_clinic_and_page_one_holds_what_matters(ward: Path) -> None:
    assert discharge(ward, "--patient", "patient.toml", "--lang", "en", "-o", "s.pdf").code == 0
    pages = _page_texts(ward / "s.pdf")
    assert len(pages) >= 2
    for number, page in enumerate(pages, 1):
        assert "María José Núñez" in page and "March 14, 1956" in page, number
        assert "(312) 555-0142" in page and f"Page {number} of {len(pages)}" in page, number
    first = pages[0]
    assert "Key points" in first and "Who to call" in first
    assert all(level in first for level in ("EMERGENCY", "CALL TODAY", "EXPECTED"))
    assert "Sources" not in pages[-1] or len(pages[-1]) > 600  # never a page of sources alone


def test_the_sheet_says_what_the_prescriber_set_and_what_the_tool_worked_out(ward: Path) -> None:
    assert discharge(ward, "--patient", "patient.toml", "--lang", "en", "-o", "s.pdf", "--chart-copy").code == 0
    text = pdf_text(ward / "s.pdf")
    assert "Dr. A. Chen set the daily amounts and the days they change." in text
    assert "This tool shared each day's amount among the times of day" in text
    assert "Checked by (pharmacist, doctor or nurse practitioner)" in text
    assert "Medicine you need for the whole plan" in text and "tablets of 10 mg" in text
    assert text.count("Nurse signature") == 2 and "Copy for the patient’s chart" in text
    assert "Printed name" in text and "Interpreter" not in text  # an English sheet needs no interpreter


def test_liquid_doses_lead_with_the_ml_and_name_the_bottle_and_syringe(ward: Path) -> None:
    result = discharge(
        ward, "--patient", str(EXAMPLES / "patient-liquid.toml"), "--lang", "en", "-o", "l.pdf"
    )
    assert result.code == 0, result.stderr
    text = pdf_text(ward / "l.pdf")
    assert "Check that your bottle says 5 mg in 5 mL" in text
    assert "4 mL (4 mg, 5 mL syringe)" in text and "1 mL (1 mg, 1 mL syringe)" in text
    assert "180 mL in all" in text


@pytest.mark.parametrize(
    ("case", "options", "most"),
    [
        # One page more than before the symptom log, the overdose section and the
        # teach-back questions were added (measured 5, 5, 10, 4, 4).
        ("long", (), 5),
        ("long", ("--paper", "a4"), 5),
        ("long", ("--large-print",), 10),
        ("five weeks", (), 4),
        ("five weeks", ("--paper", "a4"), 4),
    ],
)
def test_sheet_length(ward: Path, case: str, options: tuple[str, ...], most: int) -> None:
    """80 mg a day, 4 doses, 5 mg less every week (16 steps); and a 5-week, 3-dose taper."""
    long = LONG_TAPER if case == "long" else LONG_TAPER.replace("daily_mg = 80", "daily_mg = 30").replace("= 4", "= 3")
    (ward / "taper.toml").write_text(long, encoding="utf-8")
    result = discharge(ward, "--patient", "taper.toml", "--lang", "en", "-o", "t.pdf", *options)
    assert result.code == 0, result.stderr
    assert pdf_pages(ward / "t.pdf") <= most


# The review's long case: 80 mg a day in 4 doses, 5 mg less every week.
LONG_TAPER = (
    PATIENT.replace("daily_mg = 30", "daily_mg = 80")
    .replace("doses_per_day = 3", "doses_per_day = 4")
    .replace("hold_at_mg = 10\nhold_days = 14\n", "")
)


def test_include_appends_handouts_in_one_pdf(ward: Path) -> None:
    alone = discharge(ward, "--patient", "patient.toml", "--lang", "en", "-o", "alone.pdf")
    packet = discharge(
        ward,
        "--patient",
        "patient.toml",
        "--lang",
        "en",
        "-o",
        "packet.pdf",
        "--include",
        "tapering,warning-signs",
    )
    assert alone.code == 0 and packet.code == 0, packet.stderr
    text = pdf_text(ward / "packet.pdf")
    for kind in ("tapering", "warning-signs"):
        assert load_content().handouts[kind].title in text
    assert pdf_pages(ward / "packet.pdf") > pdf_pages(ward / "alone.pdf") + 3


def test_ics_has_one_event_per_dose_in_the_patients_language(ward: Path) -> None:
    result = discharge(ward, "--patient", "patient.toml", "--lang", "en", "--ics", "doses.ics", "-o", "s.pdf")
    assert result.code == 0, result.stderr
    calendar = icalendar.Calendar.from_ical((ward / "doses.ics").read_bytes())
    events = list(calendar.walk("VEVENT"))
    order = load_patient_file(ward / "patient.toml", load_medication("baclofen"))
    expected = sum(1 for _day, step in order.plan.days() for dose in step.doses if dose.mg)
    assert len(events) == expected == 122  # from the discharge day: its 3 doses, then the taper's 119
    first = events[0]
    assert _spaced(str(first["summary"])) == "Baclofen 10 mg: 1 tablet of 10 mg"
    assert first["dtstart"].dt == datetime.datetime(2026, 12, 1, 8, 0)
    assert "María" not in (ward / "doses.ics").read_text(encoding="utf-8")


def test_quick_use_through_options(ward: Path) -> None:
    result = discharge(
        ward,
        "--name",
        "Ana Ruiz",
        "--prescriber",
        "Dr. Chen",
        "--discharge-date",
        "2026-12-01",
        "--form",
        "tablet",
        "--strengths-mg",
        "10,5",
        "--split-tablets",
        "--daily-mg",
        "15",
        "--doses-per-day",
        "3",
        "--start",
        "2026-12-02",
        "--step-mg",
        "5",
        "--every-days",
        "3",
        "--lang",
        "en",
    )
    assert result.code == 0, result.stderr
    text = pdf_text(ward / "discharge-2026-12-01-en.pdf")
    assert "Ana Ruiz" in text and "From December 8, 2026: no more baclofen." in text


def test_patient_name_in_arabic_on_an_english_sheet(ward: Path) -> None:
    (ward / "patient.toml").write_text(PATIENT.replace("María José Núñez", "فاطمة الزهراء"), encoding="utf-8")
    result = discharge(ward, "--patient", "patient.toml", "--lang", "en", "-o", "s.pdf")
    assert result.code == 0, result.stderr
    assert any("Noto-Sans-Arabic" in name for name in pdf_fonts(ward / "s.pdf"))


@pytest.mark.parametrize("tag", with_catalogs([tag for tag in LANGUAGES if tag != "en"]))
def test_sheet_in_every_language_with_its_dates_and_doses(ward: Path, tag: str) -> None:
    result = discharge(ward, "--patient", "patient.toml", "--lang", tag, "-o", "s.pdf")
    assert result.code == 0, result.stderr
    language = LANGUAGES[tag]
    translations = load_catalog(tag)[0]
    words = DoseWords(language, translations)
    html_dose = format_dose(Decimal("7.5"), "mg", language)
    if language.direction == "ltr":
        text = "".join(pdf_text(ward / "s.pdf").split())
        assert "".join(translations.gettext("Your baclofen taper plan").split()) in text
        assert "".join(html_dose.split()) in text
        assert "".join(words.date(datetime.date(2027, 1, 12)).split()) in text
        assert "Total for the day" not in text


def test_arabic_sheet_is_right_to_left(ward: Path) -> None:
    from handouts.clinic import load_clinic_profile
    from handouts.page import PageOptions
    from handouts.rendering import Renderer

    order = load_patient_file(ward / "patient.toml", load_medication("baclofen"))
    html = Renderer().discharge_html(
        order, load_clinic_profile(ward / "clinic.toml"), PageOptions(LANGUAGES["ar"])
    )
    assert '<html lang="ar" dir="rtl">' in html
    assert format_dose(Decimal("7.5"), "mg", LANGUAGES["ar"]) in html
    assert '<span class="user-text" dir="ltr">María José Núñez</span>' in html


def test_large_print_sheet_is_large(ward: Path) -> None:
    from test_render import _text_sizes

    result = discharge(ward, "--patient", "patient.toml", "--lang", "en", "--large-print", "-o", "big.pdf")
    assert result.code == 0, result.stderr
    sizes = _text_sizes(ward / "big.pdf")
    assert sorted(sizes)[len(sizes) // 2] >= 18
    assert min(sizes) >= 14


def test_sheet_to_standard_output(ward: Path) -> None:
    result = discharge(ward, "--patient", "patient.toml", "--lang", "en", "-o", "-")
    assert result.code == 0, result.stderr
    assert result.stdout.startswith(b"%PDF-") and "María José Núñez" in pdf_text(result.stdout)
    assert not list(ward.glob("*.pdf"))


@pytest.mark.parametrize("tag", ["en", "ar", "zh-Hans"])
def test_sheet_is_an_accessible_pdf(ward: Path, tag: str) -> None:
    from conftest import assert_accessible

    result = discharge(
        ward, "--patient", "patient.toml", "--lang", tag, "-o", "s.pdf", "--include", "treatment"
    )
    assert result.code == 0, result.stderr
    assert_accessible(ward / "s.pdf", tag)


def test_a_sheet_not_in_english_has_an_interpreter_line_in_its_language(ward: Path) -> None:
    assert discharge(ward, "--patient", "patient.toml", "--lang", "es", "-o", "es.pdf").code == 0
    text = pdf_text(ward / "es.pdf")
    spanish = load_catalog("es")[0]
    assert _spaced(spanish.gettext("Interpreter: name or ID")) in text
    assert _spaced(spanish.gettext("Printed name")) in text
