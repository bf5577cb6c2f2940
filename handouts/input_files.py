"""Reading a file a user wrote (clinic profile, patient file, manifest, CSV,
translator's catalog), or one clear error that names the file and says how
to fix it."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from handouts.errors import HandoutsError


def read_text(
    path: Path,
    error: type[HandoutsError],
    kind: str,
    fix_path: str,
    fix_encoding: str = "save the file as UTF-8 in your editor",
) -> str:
    """The file's text; a byte-order mark from a Windows editor is dropped."""
    where = str(path)
    if path.is_dir():
        raise error(f"is a folder, not a {kind}", where=where, fix=fix_path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise error("no such file", where=where, fix=fix_path) from None
    except OSError as problem:
        raise error(f"cannot be read ({problem.strerror})", where=where, fix=fix_path) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as problem:
        line = raw[: problem.start].count(b"\n") + 1
        raise error(f"line {line} is not UTF-8 text", where=where, fix=fix_encoding) from None


def read_toml(path: Path, error: type[HandoutsError], kind: str, fix_path: str) -> dict[str, Any]:
    text = read_text(path, error, kind, fix_path)
    where = str(path)
    if not text.strip():
        raise error("is empty", where=where, fix=fix_path)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as problem:
        raise error(
            f"is not valid TOML: {problem}",
            where=where,
            fix='each setting is key = "value" inside a [section]',
        ) from None


def known_keys(
    data: dict[str, Any], schema: Mapping[str, Iterable[str]], error: type[HandoutsError], where: str
) -> Iterator[tuple[str, str, Any]]:
    """(section, key, value) for every setting, refusing unknown sections and keys."""
    for section, content in data.items():
        if section not in schema:
            raise error(
                f"unknown section [{section}]",
                where=where,
                fix=f"use only {', '.join(f'[{name}]' for name in schema)}; check the spelling",
            )
        if not isinstance(content, dict):
            raise error(f"'{section}' must be a section", where=where, fix=f"write it as [{section}]")
        for key, value in content.items():
            if key not in schema[section]:
                raise error(
                    f"unknown key '{key}' in [{section}]",
                    where=where,
                    fix=f"[{section}] takes only: {', '.join(schema[section])}",
                )
            yield section, key, value
