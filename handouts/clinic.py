"""The clinic profile: a TOML file with the clinic's own contact details.

One loader turns the file into a ClinicProfile or into one clear error that
names the file, the key, what is wrong and how to fix it. Nothing downstream
validates again.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel import Locale

from handouts.errors import ProfileError, UsageProblem
from handouts.input_files import known_keys, quoted, read_bytes, read_toml
from handouts.localization import paper_for_territory, resolve_language
from handouts.raster_images import PNG_SIGNATURE, ImageProblem, check_png
from handouts.resources import asset_dir
from handouts.svg_images import check_svg

PAPER_SIZES = ("letter", "a4")
DEFAULT_PAPER = "letter"
MAX_LOGO_BYTES = 2 * 1024 * 1024
# A logo prints about 2 cm tall; a few hundred pixels is plenty. The cap stops a
# small file that unpacks to gigabytes (a PNG of 20000 x 20000 pixels is ~1 MB).
MAX_LOGO_PIXELS_A_SIDE = 4000

# key: (required, longest sensible value); every key is text.
SCHEMA: dict[str, dict[str, tuple[bool, int]]] = {
    "clinic": {
        "name": (True, 120),
        "phone": (True, 40),
        "after_hours_phone": (False, 40),
        "address": (False, 300),
        "country": (False, 2),
        "website": (False, 200),
        "logo": (False, 300),
    },
    "emergency": {"number": (True, 40), "crisis_line": (False, 40), "poison_control": (False, 40)},
    "defaults": {"paper": (False, 10), "language": (False, 35)},
}

PHONE_KEYS = {
    "clinic.phone",
    "clinic.after_hours_phone",
    "emergency.number",
    "emergency.crisis_line",
    "emergency.poison_control",
}
# Digits with the usual separators, an optional leading + and an extension.
_PHONE = re.compile(r"\+?[(0-9][0-9 ()./-]*(?: ?(?:ext\.?|x) ?[0-9]+)?", re.IGNORECASE)


@dataclass(frozen=True)
class ClinicProfile:
    name: str
    phone: str
    emergency_number: str
    after_hours_phone: str | None = None
    address: str | None = None
    website: str | None = None
    logo: Path | None = None
    crisis_line: str | None = None
    poison_control: str | None = None  # printed with the overdose signs; without it, the emergency number alone
    country: str | None = None  # ISO 3166-1 alpha-2; picks the paper size
    paper: str | None = None
    language: str | None = None  # the shipped language tag, already resolved
    folder: Path | None = None
    is_sample: bool = False

    def printed_text(self) -> dict[str, str | None]:
        """Every value from the profile that appears on a page, by field name."""
        return {
            "name": self.name,
            "phone": self.phone,
            "after_hours_phone": self.after_hours_phone,
            "address": self.address,
            "website": self.website,
            "emergency_number": self.emergency_number,
            "crisis_line": self.crisis_line,
            "poison_control": self.poison_control,
        }

    @property
    def address_lines(self) -> list[str]:
        return [line.strip() for line in (self.address or "").splitlines() if line.strip()]


def paper_size(clinic: ClinicProfile, option: str | None) -> str:
    """--paper, else the profile's paper, else its country's (CLDR), else letter."""
    if option:
        return option
    if clinic.paper:
        return clinic.paper
    return paper_for_territory(clinic.country) if clinic.country else DEFAULT_PAPER


def sample_profile_path() -> Path:
    return asset_dir("data") / "sample-clinic" / "clinic.toml"


def load_sample_profile() -> ClinicProfile:
    profile = load_clinic_profile(sample_profile_path())
    return ClinicProfile(**{**profile.__dict__, "is_sample": True})


def load_clinic_profile(path: Path) -> ClinicProfile:
    data = read_toml(
        path,
        ProfileError,
        "clinic profile",
        "give the path of an existing clinic profile (handouts init writes one)",
    )
    where = str(path)
    values: dict[str, str] = {}
    for section, key, item in known_keys(data, SCHEMA, ProfileError, where):
        values[f"{section}.{key}"] = _check_value(where, section, key, item)
    for section, keys in SCHEMA.items():
        for key, (required, _) in keys.items():
            if required and not values.get(f"{section}.{key}"):
                raise ProfileError(
                    f"[{section}] {key} is missing or empty",
                    where=where,
                    fix=f'add {key} = "..." under [{section}]',
                )
    folder = Path(os.path.realpath(path.parent))
    logo = _check_logo(where, folder, values["clinic.logo"]) if values.get("clinic.logo") else None
    paper = values.get("defaults.paper")
    language = values.get("defaults.language")
    if language:
        try:
            language = resolve_language(language).tag
        except UsageProblem as problem:
            raise ProfileError(f"[defaults] language: {problem.what}", where=where, fix=problem.fix) from None
    return ClinicProfile(
        name=values["clinic.name"],
        phone=values["clinic.phone"],
        emergency_number=values["emergency.number"],
        after_hours_phone=values.get("clinic.after_hours_phone") or None,
        address=values.get("clinic.address") or None,
        website=values.get("clinic.website") or None,
        logo=logo,
        crisis_line=values.get("emergency.crisis_line") or None,
        poison_control=values.get("emergency.poison_control") or None,
        country=values.get("clinic.country", "").upper() or None,
        paper=paper.lower() if paper else None,
        language=language or None,
        folder=folder,
    )


def _check_value(where: str, section: str, key: str, value: object) -> str:
    if not isinstance(value, str):
        raise ProfileError(
            f"[{section}] {key} must be text, not {type(value).__name__}",
            where=where,
            fix=f'put the value in quotes: {key} = "{quoted(value)}"',
        )
    text = value.strip()
    longest = SCHEMA[section][key][1]
    if len(text) > longest:
        raise ProfileError(
            f"[{section}] {key} is {len(text)} characters long",
            where=where,
            fix=f"shorten it to at most {longest} characters",
        )
    allowed_controls = "\n" if key == "address" else ""
    for char in text:
        if unicodedata.category(char) == "Cc" and char not in allowed_controls:
            raise ProfileError(
                f"[{section}] {key} contains the control character U+{ord(char):04X}",
                where=where,
                fix="retype the value; it was probably pasted from another program",
            )
    dotted = f"{section}.{key}"
    if text and dotted in PHONE_KEYS and not _is_phone_number(text):
        raise ProfileError(
            f"[{section}] {key} '{text}' is not a phone number",
            where=where,
            fix='use digits with spaces, dashes or brackets, e.g. "555-0100" or "+1 555 0100 ext. 12"',
        )
    if text and dotted == "clinic.country" and text.upper() not in _territories():
        raise ProfileError(
            f"[clinic] country '{text}' is not a two-letter country code",
            where=where,
            fix='use the ISO code, e.g. "US", "CA", "GB", "FR"',
        )
    if text and dotted == "defaults.paper" and text.lower() not in PAPER_SIZES:
        raise ProfileError(
            f"[defaults] paper '{text}' is not a paper size",
            where=where,
            fix=f"use one of: {', '.join(PAPER_SIZES)}",
        )
    return text


@cache
def _territories() -> frozenset[str]:
    codes = Locale("en").territories
    return frozenset(code for code in codes if isinstance(code, str) and code.isalpha() and len(code) == 2)


def _is_phone_number(text: str) -> bool:
    # Emergency numbers can be as short as two digits (15 in France).
    return bool(_PHONE.fullmatch(text)) and sum(char.isdigit() for char in text) >= 2


def _check_logo(where: str, folder: Path, value: str) -> Path:
    fix = 'put a PNG or SVG file in the profile\'s folder and give its name, e.g. logo = "logo.png"'
    shown = quoted(value)
    if "://" in value:
        raise ProfileError(
            f"[clinic] logo '{shown}' is a URL; handouts never downloads anything",
            where=where,
            fix=fix,
        )
    logo = Path(os.path.realpath(folder / value))
    if not logo.is_relative_to(folder):
        raise ProfileError(f"[clinic] logo '{shown}' is outside the profile's folder", where=where, fix=fix)
    if not logo.exists():
        raise ProfileError(f"[clinic] logo '{shown}' was not found", where=where, fix=fix)
    size = logo.stat().st_size
    if logo.is_file() and size > MAX_LOGO_BYTES:
        raise ProfileError(
            f"[clinic] logo '{shown}' is {size // 1024} KiB",
            where=where,
            fix=f"use an image under {MAX_LOGO_BYTES // 1024 // 1024} MiB",
        )
    data = read_bytes(logo, ProfileError, "logo", fix, MAX_LOGO_BYTES)
    is_png = data.startswith(PNG_SIGNATURE)
    is_svg = logo.suffix.lower() == ".svg" and b"<svg" in data
    if not (is_png or is_svg):
        raise ProfileError(f"[clinic] logo '{shown}' is not a PNG or SVG image", where=where, fix=fix)
    try:
        (check_png if is_png else check_svg)(data, MAX_LOGO_PIXELS_A_SIDE)
    except ImageProblem as problem:
        raise ProfileError(f"[clinic] logo '{shown}' {problem.what}", where=where, fix=problem.fix) from None
    return logo
