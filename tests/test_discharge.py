"""The discharge sheet as a nurse prints it and a patient reads it."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

import icalendar
import pytest
from conftest import PATIENT, discharge, pdf_fonts, pdf_pages, pdf_text

from handouts.catalogs import load_catalog
from handouts.content import load_content
from handouts.dose_text import DoseWords
from handouts.doses import format_dose
from handouts.localization import LANGUAGES
from handouts.medication import load_medication
from handouts.patient import load_patient_file

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _spaced(text: str) -> str:
    """Spacing as pdf_text gives it: no-break spaces become plain ones."""
    return " ".join(text.split())


def test_sheet_shows_the_patient_every_day_and_every_amount(ward: Path) -> None:
    result = discharge(ward, "--patient", "patient.toml", "--lang", "en")
    assert result.code == 0, result.stderr
    sheet = ward / "discharge-2026-12-01-en.pdf"  # never the patient's name
    text = pdf_text(sheet)
    assert "María José Núñez" in text
    assert "Riverside Spasticity Clinic" in text and "(312) 555-0142" in text
    order = load_patient_file(ward / "patient.toml", load_medication("baclofen"))
    words = DoseWords(LANGUAGES["en"], load_catalog("en")[0])
    for day, step in order.plan.days():
        assert _spaced(words.short_date(day)) in text, day
        for dose in step.doses:
            if dose.mg:
                assert _spaced(words.preparation(dose.preparation, order.prescription.supply)) in text
    assert "1 and a half tablets of 5 mg" in text and "half a tablet of 5 mg" in text
    assert "From January 13, 2027: no more baclofen." in text
    assert "Your last dose is on January 12, 2027." in text
    assert "The instructions were explained to me" in text and "Nurse signature" in text
    assert "Do not take two doses at once" in text
    assert "EMERGENCY" in text and "CALL TODAY" in text and "EXPECTED" in text
    # A long taper flows over pages with the header row on each of them.
    pages = pdf_pages(sheet)
    assert pages >= 3
    assert text.count("Total for the day") >= pages - 2
    fonts = pdf_fonts(sheet)
    assert fonts and all(fonts.values())
    assert "María" not in result.stderr


def test_liquid_doses_show_mg_ml_and_the_concentration(ward: Path) -> None:
    result = discharge(
        ward, "--patient", str(EXAMPLES / "patient-liquid.toml"), "--lang", "en", "-o", "l.pdf"
    )
    assert result.code == 0, result.stderr
    text = pdf_text(ward / "l.pdf")
    assert "Baclofen oral solution (liquid), 1 mg in each mL" in text
    assert "4 mg = 4 mL" in text and "3 mg = 3 mL" in text and "1 mg = 1 mL" in text
    assert "mg and mL" in text


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


@pytest.mark.parametrize("tag", [tag for tag in LANGUAGES if tag != "en"])
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
