"""The Jinja environment: autoescaped, strict about undefined names, with
gettext installed for one language. Built once per language and reused."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from handouts.catalogs import load_catalog
from handouts.localization import Language, text_direction
from handouts.resources import asset_dir


def build_environment(language: Language, catalog: Path | None = None) -> Environment:
    env = Environment(
        loader=FileSystemLoader(asset_dir("templates")),
        autoescape=True,  # every clinic or patient string is data, never markup
        undefined=StrictUndefined,  # a typo in a template fails loudly
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # Collapse template whitespace in msgids so translators see clean text.
    env.policies["ext.i18n.trimmed"] = True
    env.filters["text_direction"] = text_direction
    translations, _status = load_catalog(language.tag, catalog)
    env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    return env
