"""Reading a TOML input file into a dict, or one clear error that names the
file and says how to fix it. Shared by the clinic profile and patient files."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from handouts.errors import HandoutsError


def read_toml(path: Path, error: type[HandoutsError], kind: str, fix_path: str) -> dict[str, Any]:
    where = str(path)
    if path.is_dir():
        raise error(f"is a folder, not a {kind}", where=where, fix=fix_path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise error("no such file", where=where, fix=fix_path) from None
    except OSError as problem:
        raise error(f"cannot be read ({problem.strerror})", where=where, fix=fix_path) from None
    if not raw.strip():
        raise error("is empty", where=where, fix=fix_path)
    try:
        text = raw.decode("utf-8-sig")  # a BOM from a Windows editor is harmless
    except UnicodeDecodeError as problem:
        raise error(
            f"is not UTF-8 text (bad byte at offset {problem.start})",
            where=where,
            fix="save the file as UTF-8 in your editor",
        ) from None
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
