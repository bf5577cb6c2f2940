"""The content manifest (templates/content.toml): which handouts exist.

Also the Babel extractor that puts the manifest's patient-facing strings
into the same catalog as the templates.
"""

from __future__ import annotations

import datetime
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import IO, Any

from handouts.errors import ContentError
from handouts.resources import asset_dir

MANIFEST = "content.toml"


@dataclass(frozen=True)
class HandoutKind:
    kind: str
    template: str
    title: str
    summary: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Source:
    about: str  # what the source says, in plain words: translated
    citation: str | None  # as published: printed as written


@dataclass(frozen=True)
class Content:
    medication: str
    version: str
    reviewed: datetime.date
    sources: dict[str, Source]
    handouts: dict[str, HandoutKind]
    discharge: HandoutKind


@cache
def load_content() -> Content:
    path = asset_dir("templates") / MANIFEST
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        meta = data["content"]
        sources = {
            key: Source(str(entry["about"]), str(entry["citation"]) if "citation" in entry else None)
            for key, entry in data["sources"].items()
        }
        handouts = {entry["kind"]: _kind(entry) for entry in data["handout"]}
        discharge = _kind(data["discharge"])
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError) as error:
        raise ContentError(f"the content manifest is broken: {error!r}", where=str(path)) from None
    for handout in (*handouts.values(), discharge):
        unknown = set(handout.sources) - set(sources)
        if unknown:
            raise ContentError(f"{handout.kind} cites unknown sources {sorted(unknown)}", where=str(path))
    return Content(meta["medication"], str(meta["version"]), meta["reviewed"], sources, handouts, discharge)


def _kind(entry: dict[str, Any]) -> HandoutKind:
    return HandoutKind(
        kind=entry["kind"],
        template=entry["template"],
        title=entry["title"],
        summary=entry["summary"],
        sources=tuple(entry["sources"]),
    )


def handout_kinds() -> tuple[str, ...]:
    return tuple(load_content().handouts)


def extract_manifest(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: Any
) -> Iterator[tuple[int, str, str, list[str]]]:
    """Babel extraction method for content.toml (see babel.cfg)."""
    text = fileobj.read().decode("utf-8")
    data = tomllib.loads(text)
    lines = text.splitlines()

    def line_of(value: str) -> int:
        quoted = f'"{value}"'
        return next((n for n, line in enumerate(lines, 1) if quoted in line), 0)

    for key, entry in data["sources"].items():
        about = entry["about"]
        yield line_of(about), "gettext", about, [f"What a source cited at the end of a handout says ({key})."]
    for entry in (*data["handout"], data["discharge"]):
        yield line_of(entry["title"]), "gettext", entry["title"], ["Handout title."]
        yield line_of(entry["summary"]), "gettext", entry["summary"], ["One-line description of a handout."]
