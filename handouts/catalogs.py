"""Translation catalogs: locales/<tag>/LC_MESSAGES/messages.po against
locales/messages.pot.

The .po file is the one source of truth. It is compiled in memory when first
needed (Babel's own compiler and checks), so there is no .mo file that can
fall out of date with it. A catalog is usable for patients only when it is
complete and its placeholders match; its header states whether a qualified
medical translator has reviewed it.
"""

from __future__ import annotations

import gettext
import io
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from handouts.errors import ContentError
from handouts.resources import asset_dir

DRAFT, REVIEWED, SOURCE = "draft", "reviewed", "source"
_HEADER_FIELD = re.compile(r'^"(X-Review-Status|X-Reviewed-By|X-Reviewed-On): *(.*?)\\n"$', re.MULTILINE)


@dataclass(frozen=True)
class CatalogStatus:
    tag: str
    total: int
    missing: tuple[str, ...] = ()
    errors: tuple[str, ...] = ()
    review: str = DRAFT
    reviewer: str = ""
    reviewed_on: str = ""
    path: Path | None = field(default=None, compare=False)

    @property
    def translated(self) -> int:
        return self.total - len(self.missing)

    @property
    def complete(self) -> bool:
        return not self.missing and not self.errors

    @property
    def is_draft(self) -> bool:
        return self.review != REVIEWED and self.review != SOURCE


def catalog_path(tag: str) -> Path:
    return asset_dir("locales") / tag / "LC_MESSAGES" / "messages.po"


def template_path() -> Path:
    return asset_dir("locales") / "messages.pot"


@cache
def template_ids() -> frozenset[str | tuple[str, str]]:
    """Every message the sources ask for, keyed as Babel keys them."""
    with template_path().open("rb") as handle:
        template = read_po(handle)
    return frozenset(message_key(message) for message in template if message.id)


@cache
def load_catalog(tag: str) -> tuple[gettext.NullTranslations, CatalogStatus]:
    """The translations for a language and what state its catalog is in."""
    from handouts.localization import SOURCE_LANGUAGE

    if tag == SOURCE_LANGUAGE:
        return gettext.NullTranslations(), CatalogStatus(tag, len(template_ids()), review=SOURCE)
    path = catalog_path(tag)
    try:
        raw = path.read_bytes()
        catalog = read_po(io.BytesIO(raw), locale=None)
    except OSError as error:
        raise ContentError(f"the {tag} catalog cannot be read ({error.strerror})", where=str(path)) from None
    except Exception as error:  # Babel raises several types for a malformed .po
        raise ContentError(f"the {tag} catalog is malformed: {error}", where=str(path)) from None
    status = _status(tag, path, raw.decode("utf-8", "replace"), catalog)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)  # fuzzy entries are left out, as msgfmt does
    buffer.seek(0)
    return Translations(buffer), status


def _status(tag: str, path: Path, text: str, catalog: Catalog) -> CatalogStatus:
    wanted = template_ids()
    translated = {
        message_key(message)
        for message in catalog
        if message.id and not message.fuzzy and _all_strings_filled(message.string)
    }
    missing = tuple(sorted(str(key) for key in wanted - translated))
    errors = tuple(f"{message.id!r}: {error}" for message, found in catalog.check() for error in found)
    header = {name: value.strip() for name, value in _HEADER_FIELD.findall(text)}
    review = header.get("X-Review-Status", DRAFT).lower() or DRAFT
    if review not in (DRAFT, REVIEWED):
        errors += (f"X-Review-Status must be '{DRAFT}' or '{REVIEWED}', not '{review}'",)
    if review == REVIEWED and not (header.get("X-Reviewed-By") and header.get("X-Reviewed-On")):
        errors += ("a reviewed catalog needs X-Reviewed-By and X-Reviewed-On in its header",)
        review = DRAFT
    return CatalogStatus(
        tag=tag,
        total=len(wanted),
        missing=missing,
        errors=errors,
        review=review,
        reviewer=header.get("X-Reviewed-By", ""),
        reviewed_on=header.get("X-Reviewed-On", ""),
        path=path,
    )


def message_key(message: object) -> str | tuple[str, str]:
    msgid = message.id  # type: ignore[attr-defined]
    singular = msgid[0] if isinstance(msgid, tuple | list) else msgid
    context = message.context  # type: ignore[attr-defined]
    return (context, singular) if context else singular


def _all_strings_filled(string: str | tuple[str, ...] | list[str]) -> bool:
    if isinstance(string, tuple | list):
        return all(part.strip() for part in string)
    return bool(string.strip())
