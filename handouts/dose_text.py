"""Doses in words a patient reads without arithmetic, in the page's language:
"1 and a half tablets of 10 mg", "2.5 mL", "3 times a day", "Bedtime".

Every amount goes through format_dose (doses.py); the words come from the
catalog, with plural forms chosen for the number."""

from __future__ import annotations

import datetime
import gettext
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from babel.dates import format_skeleton, format_time
from babel.lists import format_list

from handouts.doses import format_dose
from handouts.localization import Language, format_date, format_number, has_month_names
from handouts.taper import Preparation, Supply


@cache
def _has_list_words(language: Language) -> bool:
    return format_list(["A", "B"], locale=language.locale) != "A, B"


@dataclass(frozen=True)
class DoseWords:
    language: Language
    translations: gettext.NullTranslations

    def mg(self, amount: Decimal) -> str:
        return format_dose(amount, "mg", self.language)

    def ml(self, amount: Decimal) -> str:
        return format_dose(amount, "mL", self.language)

    def date(self, day: datetime.date) -> str:
        return format_date(day, self.language, self.translations)

    def short_date(self, day: datetime.date) -> str:
        """Weekday and day for the calendar rows, e.g. "Wed, Dec 2"."""
        if not has_month_names(self.language):
            return self.date(day)  # no CLDR month names (Haitian Creole): the long form
        return format_skeleton("MMMEd", day, locale=self.language.locale)

    def clock(self, time: datetime.time) -> str:
        return format_time(time, format="short", locale=self.language.locale)

    def dose_time(self, name: str) -> str:
        t = self.translations
        return {
            "morning": t.pgettext("dose time", "Morning"),
            "midday": t.pgettext("dose time", "Midday"),
            "evening": t.pgettext("dose time", "Evening"),
            "bedtime": t.pgettext("dose time", "Bedtime"),
        }[name]

    def times_a_day(self, count: int) -> str:
        text = self.translations.ngettext("%(count)s time a day", "%(count)s times a day", count)
        return text % {"count": format_number(count, self.language)}

    def concentration(self, supply: Supply) -> str:
        assert supply.concentration_mg_per_ml is not None
        return self.translations.gettext("%(mg)s in each mL") % {
            "mg": self.mg(supply.concentration_mg_per_ml)
        }

    def preparation(self, preparation: Preparation, supply: Supply) -> str:
        """How to make one dose, e.g. "1 tablet of 10 mg and half a tablet of 5 mg"."""
        if preparation.mg == 0:
            return self.translations.pgettext("dose", "None")
        if supply.form == "solution":
            assert preparation.ml is not None
            return self.ml(preparation.ml)
        parts = [self._pieces(strength, halves, supply.form) for strength, halves in preparation.halves]
        return self.joined(parts)

    def joined(self, parts: list[str]) -> str:
        """ "a and b", "a, b and c" in the page's language."""
        if _has_list_words(self.language):
            return format_list(parts, locale=self.language.locale)
        # CLDR has no list words for this locale (Haitian Creole): the catalog's.
        # TRANSLATORS: joins two things, e.g. "1 tablet of 10 mg and half a tablet of 5 mg".
        pair = self.translations.pgettext("list", "%(first)s and %(second)s")
        text = parts[0]
        for part in parts[1:]:
            text = pair % {"first": text, "second": part}
        return text

    def _pieces(self, strength: Decimal, halves: int, form: str) -> str:
        t = self.translations
        wholes, half = divmod(halves, 2)
        values = {"count": format_number(wholes, self.language), "strength": self.mg(strength)}
        if form == "granules":
            return (
                t.ngettext("%(count)s packet of %(strength)s", "%(count)s packets of %(strength)s", wholes)
                % values
            )
        if not half:
            return (
                t.ngettext("%(count)s tablet of %(strength)s", "%(count)s tablets of %(strength)s", wholes)
                % values
            )
        if not wholes:
            return t.gettext("half a tablet of %(strength)s") % values
        # TRANSLATORS: one and a half, two and a half... tablets: a whole number of tablets plus a half.
        return (
            t.ngettext(
                "%(count)s and a half tablets of %(strength)s",
                "%(count)s and a half tablets of %(strength)s",
                wholes,
            )
            % values
        )

    def medicine(self, supply: Supply) -> str:
        """The medication line: which product the patient has."""
        t = self.translations
        if supply.form == "solution":
            return t.gettext("Baclofen oral solution (liquid), %(concentration)s") % {
                "concentration": self.concentration(supply)
            }
        strengths = self.joined([self.mg(s) for s in supply.strengths_mg])
        if supply.form == "granules":
            return t.gettext("Baclofen granules, packets of %(strengths)s") % {"strengths": strengths}
        return t.gettext("Baclofen tablets of %(strengths)s") % {"strengths": strengths}
