"""Reading a TOML input file into a dict, or one clear error that names the
file and says how to fix it. Shared by the clinic profile and patient files."""

from __future__ import annotations

import tomllib
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
