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

from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po
from babel.support import Translations

from handouts.catalog_rules import (
    plural_rule_problem,
    single_number_forms,
    syntax_problem,
    translation_problems,
)
from handouts.errors import ContentError, UsageProblem
from handouts.input_files import read_text
from handouts.resources import asset_dir

DRAFT, REVIEWED, SOURCE = "draft", "reviewed", "source"
_HEADER_FIELD = re.compile(
    r'^"(X-Review-Status|X-Reviewed-By|X-Reviewed-On|Language): *(.*?)\\n"$', re.MULTILINE
)
_FIX_SYNTAX = "correct that line (a PO editor such as Poedit shows it), then run handouts check"


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


def catalog_file_language(path: Path) -> str:
    """The language tag a translator's .po file names in its header.

    The file itself is then passed along with the language (PageOptions.catalog),
    never stored in a global: one run's --catalog cannot leak into another's."""
    from handouts.localization import LANGUAGES, SOURCE_LANGUAGE, resolve_language

    named = _header(_read(path)).get("Language", "")
    if not named:
        raise ContentError(
            "the catalog does not say its language",
            where=str(path),
            fix='add "Language: es\\n" (or its tag) to the header entry',
        )
    try:
        tag = resolve_language(named.replace("_", "-")).tag
    except UsageProblem:
        tag = ""
    if tag not in LANGUAGES or tag == SOURCE_LANGUAGE:
        raise ContentError(
            f"the catalog's Language '{named}' is not one this tool translates into",
            where=str(path),
            fix=f"use one of: {', '.join(t for t in LANGUAGES if t != SOURCE_LANGUAGE)}",
        )
    return tag


def template_path() -> Path:
    return asset_dir("locales") / "messages.pot"


@cache
def template_ids() -> frozenset[str | tuple[str, str]]:
    """Every message the sources ask for, keyed as Babel keys them."""
    with template_path().open("rb") as handle:
        template = read_po(handle)
    return frozenset(message_key(message) for message in template if message.id)


def load_catalog(tag: str, file: Path | None = None) -> tuple[gettext.NullTranslations, CatalogStatus]:
    """The translations for a language and what state its catalog is in: the
    bundled catalog, or a translator's file (--catalog) for that language."""
    path = file or catalog_path(tag)
    try:
        found = path.stat()
        stamp = (found.st_mtime_ns, found.st_size)
    except OSError:
        stamp = (0, 0)  # _read reports the missing file
    return _compiled(tag, path, stamp)


@cache
def _compiled(
    tag: str, path: Path, _stamp: tuple[int, int]
) -> tuple[gettext.NullTranslations, CatalogStatus]:
    """Compiled once per file version (the stamp): an edited catalog is read again."""
    from handouts.localization import SOURCE_LANGUAGE

    if tag == SOURCE_LANGUAGE:
        return gettext.NullTranslations(), CatalogStatus(tag, len(template_ids()), review=SOURCE)
    text = _read(path)
    problem = syntax_problem(text)
    if problem:
        raise ContentError(f"the {tag} catalog does not compile: {problem}", where=str(path), fix=_FIX_SYNTAX)
    try:
        catalog = read_po(io.StringIO(text), locale=None, abort_invalid=True)
    except Exception as error:  # Babel raises several types for a malformed .po
        raise ContentError(
            f"the {tag} catalog does not compile: {error}", where=str(path), fix=_FIX_SYNTAX
        ) from None
    if catalog.charset.lower() not in ("utf-8", "utf8"):  # the .mo would be written in it, and fail
        raise ContentError(
            f"the {tag} catalog's header says charset={catalog.charset}, but the file is UTF-8 text",
            where=str(path),
            fix='write "Content-Type: text/plain; charset=UTF-8\\n" in the header entry',
        )
    status = _status(tag, path, text, catalog)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)  # fuzzy entries are left out, as msgfmt does
    buffer.seek(0)
    try:
        return Translations(buffer), status
    except ValueError:  # gettext refuses a Plural-Forms rule that is not arithmetic on n
        raise ContentError(
            f"the {tag} catalog does not compile: {_plural_problems(tag, catalog)[0]}", where=str(path)
        ) from None


def _status(tag: str, path: Path, text: str, catalog: Catalog) -> CatalogStatus:
    wanted = template_ids()
    translated = {
        message_key(message)
        for message in catalog
        if message.id and not message.fuzzy and _all_strings_filled(message.string)
    }
    missing = tuple(sorted(str(key) for key in wanted - translated))
    # Our own placeholder and markup rules first; Babel's checks add format-type errors.
    single = single_number_forms(catalog.plural_expr, catalog.num_plurals)
    errors = tuple(
        f"{_where(message)}: {problem}"
        for message in catalog
        if message.id and not message.fuzzy
        for problem in translation_problems(message_forms(message.id), message_forms(message.string), single)
    )
    errors += tuple(f"{_where(message)}: {error}" for message, found in catalog.check() for error in found)
    errors += _plural_problems(tag, catalog)
    header = _header(text)
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


def _plural_problems(tag: str, catalog: Catalog) -> tuple[str, ...]:
    from handouts.localization import LANGUAGES

    language = get_plural(LANGUAGES[tag].cldr_locale)
    problem = plural_rule_problem(
        catalog.plural_expr, catalog.num_plurals, language.plural_expr, language.num_plurals
    )
    return (problem,) if problem else ()


def _read(path: Path) -> str:
    return read_text(
        path,
        ContentError,
        "translation catalog (.po file)",
        "give the path of a .po file",
        "save the catalog as UTF-8 (the header must say charset=UTF-8)",
    )


def _header(text: str) -> dict[str, str]:
    return {name: value.strip() for name, value in _HEADER_FIELD.findall(text)}


def message_forms(value: str | tuple[str, ...] | list[str] | None) -> tuple[str, ...]:
    """A message's id or string as a tuple: one item, or one per plural form."""
    if value is None:
        return ()
    return tuple(value) if isinstance(value, tuple | list) else (value,)


def _where(message: Message) -> str:
    """Where a translator finds a message: its line and the start of its msgid."""
    msgid = (message_forms(message.id) or ("",))[0]
    start = msgid if len(msgid) <= 40 else msgid[:40] + "..."
    return f"line {message.lineno} (msgid {start!r})"


def message_key(message: Message) -> str | tuple[str, str]:
    msgid = message.id
    singular = msgid[0] if isinstance(msgid, tuple | list) else msgid
    context = message.context
    return (context, singular) if context else singular


def _all_strings_filled(string: str | tuple[str, ...] | list[str] | None) -> bool:
    forms = message_forms(string)
    return bool(forms) and all(part.strip() for part in forms)
