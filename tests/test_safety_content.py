"""What the pharmacist's review asked the pages to say: a fever with a number
in the clinic's units, the overdose signs with poison control only when the
clinic names it, the prescriber's missed-dose rule, teach-back for staff, and
notices a patient and a nurse can both read."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import GOOD_PROFILE, PATIENT, discharge, pdf_text, run_handouts

from handouts.catalogs import load_catalog
from handouts.localization import LANGUAGES
from handouts.temperatures import fever_threshold


def _render(folder: Path, kind: str, *args: str) -> str:
    result = run_handouts("render", kind, "--clinic", "clinic.toml", "-o", "out.pdf", *args, cwd=folder)
    assert result.code == 0, result.stderr
    return pdf_text(folder / "out.pdf")


def _profile(folder: Path, extra: str = "", country: str | None = None) -> None:
    text = GOOD_PROFILE.replace('crisis_line = "988"', 'crisis_line = "988"' + extra)
    if country:
        text = text.replace('website = "riverside.example.org"', f'website = "riverside.example.org"\ncountry = "{country}"')
    (folder / "clinic.toml").write_text(text, encoding="utf-8")


@pytest.mark.parametrize(
    ("tag", "country", "expected"),
    [
        ("en", "US", "100.4°F (38°C)"),
        ("en", None, "100.4°F (38°C)"),  # no country: taken as US, as the paper is
        ("fr", "CA", "38\u202f°C (100,4\u202f°F)"),  # CLDR's French narrow no-break space
        ("fr", "FR", "38\u202f°C"),
        ("es", "US", "100,4\u00a0°F (38\u00a0°C)"),  # never broken between number and unit
        ("hi", "US", "100.4°F (38°C)"),  # the thermometer's symbols, not CLDR's Hindi words
        ("pl", "PL", "38°C"),  # not CLDR's "38 st. C"
    ],
)
def test_the_fever_threshold_is_in_the_units_the_country_uses(tag: str, country: str | None, expected: str) -> None:
    translations, _status = load_catalog(tag)
    assert fever_threshold(LANGUAGES[tag], country, translations) == expected


def test_the_warning_levels_are_complete(ward: Path) -> None:
    text = _render(ward, "warning-signs")
    assert "A fever of 100.4°F (38°C) or higher, together with stiff muscles, spasms or confusion" in text
    assert "A fever of 100.4°F (38°C) or higher, even if you feel well otherwise" in text
    for call_today in ("Vomiting, so that you cannot keep your doses down", "Shaking or trembling", "stiffness or spasms come back"):
        assert call_today in text
    assert "some stiffness" not in text  # stiffness left "Expected"
    # The pump box has the emergency step, and a way when the pump team cannot be reached.
    assert "If you also have a fever, confusion or very stiff muscles, call 911 now" in text
    assert "say that you have a baclofen pump" in text


def test_poison_control_is_printed_only_when_the_profile_names_it(ward: Path) -> None:
    without = _render(ward, "tapering")
    assert "If you take too much baclofen" in without and "very sleepy, or hard to wake up" in without
    assert "is breathing slowly or has a seizure, call 911 now" in without
    assert "Poison Control" not in without
    _profile(ward, '\npoison_control = "1-800-222-1222"')
    with_poison = _render(ward, "tapering")
    assert "call Poison Control at 1-800-222-1222 now, day or night" in with_poison
    assert "Poison Control" in with_poison and "1-800-222-1222 if you may have taken too much baclofen" in with_poison


def test_a_poison_control_value_that_is_not_a_number_is_refused(ward: Path) -> None:
    _profile(ward, '\npoison_control = "call the hospital"')
    result = run_handouts("render", "tapering", "--clinic", "clinic.toml", "-o", "out.pdf", cwd=ward)
    assert result.code != 0 and len(result.stderr_lines) == 1
    assert "[emergency] poison_control 'call the hospital' is not a phone number" in result.stderr
    assert not (ward / "out.pdf").exists()


def test_init_shows_the_us_poison_help_number(tmp_path: Path) -> None:
    assert run_handouts("init", "clinic.toml", cwd=tmp_path).code == 0
    written = (tmp_path / "clinic.toml").read_text(encoding="utf-8")
    assert 'poison_control = ""' in written and "1-800-222-1222" in written


def test_the_prescribers_missed_dose_rule_is_printed(ward: Path) -> None:
    (ward / "rule.toml").write_text(PATIENT.replace("doses_per_day = 3", "doses_per_day = 3\nmissed_dose_window_hours = 2"), encoding="utf-8")
    assert discharge(ward, "--patient", "rule.toml", "--lang", "en", "-o", "s.pdf").code == 0
    text = pdf_text(ward / "s.pdf")
    assert "If you remember within 2 hours of the time you should have taken it, take it now." in text
    assert "skip it and take the next dose at its usual time" in text
    assert "Do not take two doses at once" in text


def test_without_a_rule_the_sheet_says_what_to_do_until_the_clinic_opens(ward: Path) -> None:
    assert discharge(ward, "--patient", "patient.toml", "--lang", "en", "-o", "s.pdf").code == 0
    text = pdf_text(ward / "s.pdf")
    assert "Take your next dose at its usual time." in text
    assert "If you missed more than one dose in a row, call today, even at night: 312-555-0177" in text


@pytest.mark.parametrize(("hours", "shown"), [("8", "at most 7 hours"), ("0", "missed_dose_window_hours")])
def test_a_missed_dose_window_that_cannot_work_is_refused(ward: Path, hours: str, shown: str) -> None:
    (ward / "rule.toml").write_text(
        PATIENT.replace("doses_per_day = 3", f"doses_per_day = 3\nmissed_dose_window_hours = {hours}"), encoding="utf-8"
    )
    result = discharge(ward, "--patient", "rule.toml", "--lang", "en", "-o", "s.pdf")
    assert result.code != 0 and len(result.stderr_lines) == 1, result.stderr
    assert "[medication] missed_dose_window_hours" in result.stderr and shown in result.stderr
    assert not (ward / "s.pdf").exists()


def test_the_window_is_a_csv_column_and_an_option_like_every_field(ward: Path) -> None:
    result = run_handouts("discharge", "--help", cwd=ward)
    assert "--missed-dose-window-hours" in result.stdout.decode()


def test_teach_back_questions_are_marked_for_staff_and_name_the_first_lower_dose(ward: Path) -> None:
    assert discharge(ward, "--patient", "patient.toml", "--lang", "en", "-o", "s.pdf").code == 0
    text = pdf_text(ward / "s.pdf")
    assert "For staff. Teach-back: ask the patient to answer in their own words." in text
    assert "“Show me on this sheet what you take on Wednesday, December 2, and how you measure it.”" in text
    assert "“What do you do if you miss a dose?”" in text
    assert "My symptom log" in text and "What I notice" in text


def test_a_translated_sheet_gives_staff_the_english_beside_each_question(ward: Path) -> None:
    assert discharge(ward, "--patient", "patient.toml", "--lang", "es", "-o", "s.pdf").code == 0
    text = pdf_text(ward / "s.pdf")
    assert "For staff. Teach-back: ask the patient to answer in their own words." in text
    assert "“What do you do if you miss a dose?”" in text
    assert "what you take on Wednesday, December 2, and how you measure it" in text  # the date in English too
    # The draft notice: one calm line in the patient's language, one line for staff in English.
    translations, _status = load_catalog("es")
    patient_line = translations.gettext(
        "This translation has not yet been checked by a medical translator. Ask your nurse to go over it with you."
    )
    assert patient_line in text and patient_line != "This translation has not yet been checked by a medical translator."
    assert "For staff: draft translation, not yet reviewed by a qualified medical translator." in text


def test_the_english_copy_says_it_is_for_staff(ward: Path) -> None:
    text = _render(ward, "warning-signs", "--lang", "es", "--with-english")
    assert "English copy for staff. The patient’s copy is in Spanish." in text


def test_the_sample_banner_is_in_the_pages_language_and_in_english(tmp_path: Path) -> None:
    result = run_handouts("render", "warning-signs", "--lang", "es", "-o", "s.pdf", cwd=tmp_path)
    assert result.code == 0, result.stderr
    text = pdf_text(tmp_path / "s.pdf")
    translations, _status = load_catalog("es")
    banner = "Sample – not for patient use. The clinic details are placeholders."
    assert translations.gettext(banner).upper() in text.upper() and banner.upper() in text.upper()
