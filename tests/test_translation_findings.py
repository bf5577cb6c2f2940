"""The medical translators' findings, checked on what the pages print: the
crisis line never reads as a seizure line, Arabic says "twice" and "two
tablets", punctuation comes from each language, dates name the weekday in
full, and Arabic citations keep their order."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import discharge, pdf_text

from handouts.catalogs import load_catalog
from handouts.dose_text import DoseWords
from handouts.localization import LANGUAGES
from handouts.taper import Form, Preparation, Supply


def _words(tag: str) -> DoseWords:
    translations, _status = load_catalog(tag)
    return DoseWords(LANGUAGES[tag], translations)


def _gettext(tag: str, message: str) -> str:
    translations, _status = load_catalog(tag)
    return translations.gettext(message)


# In these languages the everyday word for a fit is in the old crisis-line names.
SEIZURE_WORDS = {"fr": "en cas de crise", "ht": "kriz", "es": "crisis convulsiva", "ko": "발작"}


@pytest.mark.parametrize("tag", sorted(SEIZURE_WORDS))
def test_the_crisis_line_is_named_by_its_purpose(tag: str) -> None:
    for message in ("Suicide and crisis line", "Suicide and crisis line (call or text): %(number)s."):
        translated = _gettext(tag, message)
        assert translated != message
        assert SEIZURE_WORDS[tag] not in translated.lower(), translated


def test_arabic_dual_forms_say_two_in_words() -> None:
    words = _words("ar")
    supply = Supply(Form.TABLET, (Decimal(10),), split_tablets=False)
    two = words.action(Preparation(Decimal(20), ((Decimal(10), 4),)), supply)
    one = words.action(Preparation(Decimal(10), ((Decimal(10), 2),)), supply)
    assert "قرصان" in two and "2" not in two.replace("10", "")
    assert "قرص واحد" in one


def test_portuguese_do_not_stop_cannot_read_as_quit_for_good() -> None:
    translated = _gettext("pt", "<strong>Do not stop taking baclofen all at once</strong>, and do not change the plan on your own.")
    assert "de uma vez" not in translated and "de repente" in translated


@pytest.mark.parametrize(
    ("tag", "colon"),
    [("zh-Hans", "："), ("ar", ":"), ("fr", "\u00a0:"), ("ko", ":")],
)
def test_label_punctuation_is_the_languages_own(tag: str, colon: str) -> None:
    translated = _gettext(tag, "<strong>After hours:</strong> %(number)s")
    assert colon in translated or (tag == "fr" and "\u202f:" in translated), translated
    if tag == "zh-Hans":
        assert ":" not in translated


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("ru", "воскресенье, 6 декабря"),
        ("vi", "Chủ Nhật, 6 tháng 12"),
        ("ar", "الأحد، 6 ديسمبر"),
        ("en", "Sunday, December 6"),
    ],
)
def test_calendar_dates_name_the_weekday_in_full(tag: str, expected: str) -> None:
    assert _words(tag).full_date(datetime.date(2026, 12, 6)) == expected


def test_an_arabic_sheet_keeps_citations_in_order(ward: Path) -> None:
    assert discharge(ward, "--patient", "patient.toml", "--lang", "ar", "-o", "s.pdf").code == 0
    text = pdf_text(ward / "s.pdf")
    assert "Drug and Therapeutics Bulletin 2021;59:189" in text
    assert "قرص واحد" in text
