"""Doses in words a patient reads without arithmetic, in the page's language:
"1½ tablets of 10 mg", "2.5 mL", "Bedtime".

Every amount goes through format_dose (doses.py); the words come from the
catalog, with plural forms chosen for the number."""

from __future__ import annotations

import datetime
import gettext
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from babel.dates import format_date, format_time
from babel.lists import format_list
from babel.numbers import format_percent

from handouts.doses import format_dose
from handouts.localization import Language, format_number, full_weekday_pattern, has_month_names
from handouts.localization import format_date as format_long_date
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
        return format_long_date(day, self.language, self.translations)

    def full_date(self, day: datetime.date) -> str:
        """The weekday and month in full, without the year: "Wednesday, December 9"."""
        if not has_month_names(self.language):
            return self.date(day)
        return format_date(day, format=full_weekday_pattern(self.language), locale=self.language.locale)

    def dose_check(self, mg: Decimal, syringe: Decimal | None) -> str:
        """The mg to check against the label, and for a liquid the syringe to measure with."""
        t = self.translations
        if syringe is None:
            # TRANSLATORS: after what to take, the amount in mg to check against the label, e.g. "(7.5 mg)".
            return t.gettext("(%(mg)s)") % {"mg": self.mg(mg)}
        # TRANSLATORS: after a liquid dose in mL, its mg and the oral syringe to use, e.g. "(8 mg, 5 mL syringe)".
        return t.gettext("(%(mg)s, %(size)s syringe)") % {"mg": self.mg(mg), "size": self.ml(syringe)}

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

    def action(self, preparation: Preparation, supply: Supply) -> str:
        """What the patient takes, the part printed large: "1½ tablets of 5 mg", "1.6 mL"."""
        if supply.form == "solution":
            assert preparation.ml is not None
            return self.ml(preparation.ml)
        parts = [self._counted(strength, halves, supply.form) for strength, halves in preparation.halves]
        return self.joined(parts)

    def _counted(self, strength: Decimal, halves: int, form: str) -> str:
        t = self.translations
        wholes, half = divmod(halves, 2)
        if form == "granules" or not half:
            return self._pieces(strength, halves, form)
        values = {"count": format_number(wholes, self.language), "strength": self.mg(strength)}
        if not wholes:
            # TRANSLATORS: ½ is the character U+00BD, as printed on the sheet: half a tablet.
            return t.gettext("½ tablet of %(strength)s") % values
        # TRANSLATORS: 1½, 2½ tablets: the whole number then ½ (U+00BD), written as one number.
        return t.ngettext("%(count)s½ tablets of %(strength)s", "%(count)s½ tablets of %(strength)s", wholes) % values

    def date_and_time(self, day: datetime.date, time: datetime.time) -> str:
        """A date and a clock time joined by the locale's own CLDR pattern, not ", "."""
        pattern = str(self.language.locale.datetime_formats["medium"])
        return pattern.replace("{1}", self.date(day)).replace("{0}", self.clock(time))

    def counted_whole(self, strength: Decimal, count: int, form: str) -> str:
        """Whole tablets or packets: "12 tablets of 5 mg"."""
        return self._pieces(strength, count * 2, form)

    def total_liquid(self, ml: Decimal) -> str:
        # TRANSLATORS: the whole amount of liquid medicine the plan needs, e.g. "420 mL in all".
        return self.translations.gettext("%(ml)s in all") % {"ml": self.ml(ml)}

    def derivation_explicit(self, prescriber: str) -> tuple[str, ...]:
        # TRANSLATORS: the prescriber set every amount on this sheet; the tool only laid it out.
        return (
            self.translations.gettext(
                "%(prescriber)s set every amount on this sheet: each day's doses and the days they change."
            )
            % {"prescriber": prescriber},
        )

    def derivation_shared(self, prescriber: str, percent: Decimal | None, extra_first: str) -> tuple[str, ...]:
        t = self.translations
        if percent is not None:
            # TRANSLATORS: the tool worked out each step's daily amount from a percentage the prescriber set.
            first = t.gettext(
                "%(prescriber)s set the current dose and a cut of %(percent)s at each step. This tool worked "
                "out each day's amount, rounded down to what the medicine can make."
            ) % {"prescriber": prescriber, "percent": format_percent(percent / 100, locale=self.language.locale)}
        else:
            # TRANSLATORS: the prescriber set the daily amounts; the tool worked out the doses from them.
            first = t.gettext("%(prescriber)s set the daily amounts and the days they change.") % {
                "prescriber": prescriber
            }
        # TRANSLATORS: how the tool shared a day's amount among the times of day.
        second = t.gettext(
            "This tool shared each day's amount among the times of day: as evenly as the medicine allows, "
            "with any extra at %(time)s first, and doses kept spread over the day."
        ) % {"time": extra_first}
        return first, second

    def bottle(self, supply: Supply) -> str:
        """A liquid's strength as the bottle shows it: "5 mg in 5 mL"."""
        assert supply.concentration_mg_per_ml is not None
        # TRANSLATORS: a liquid medicine's strength as its bottle prints it, e.g. "5 mg in 5 mL".
        return self.translations.gettext("%(mg)s in %(ml)s") % {
            "mg": self.mg(supply.concentration_mg_per_ml * 5),
            "ml": self.ml(Decimal(5)),
        }

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
