"""Reading a file a user wrote (clinic profile, patient file, manifest, CSV,
translator's catalog, logo), or one clear error that names the file and says
how to fix it.

Every such file is opened only if it is a regular file (after symlinks are
resolved) and read up to a cap: /dev/zero, a pipe or a huge export fails at
once instead of filling the memory."""

from __future__ import annotations

import math
import os
import re
import stat
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from handouts.errors import HandoutsError

MAX_TEXT_BYTES = 1024 * 1024  # a profile, patient file, manifest, CSV or catalog
# Far beyond any dose, day count or step, and exact as a float (2**53 is 16 digits).
MAX_INTEGER_DIGITS = 15
# Deeper than any real file nests its tables and lists; tomllib recurses per level.
MAX_TOML_NESTING = 50
QUOTE_AT_MOST = 40

_FILE_TYPES = {
    stat.S_IFDIR: "a folder",
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a device",
    stat.S_IFIFO: "a pipe",
    stat.S_IFSOCK: "a socket",
}


class UnreadableFile(Exception):
    """Why a file was not read, in words for a message."""

    def __init__(self, reason: str, size: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.size = size


def read_capped(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes.

    Raises FileNotFoundError, OSError, or UnreadableFile for anything that is
    not a regular file or is larger than the limit. O_NONBLOCK keeps a pipe
    with no writer from blocking the open; the type is checked again on the
    open file, so a file swapped in between is caught too."""
    _check_type(os.stat(path).st_mode)
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(descriptor, "rb") as stream:
        info = os.fstat(stream.fileno())
        _check_type(info.st_mode)
        if info.st_size > limit:
            raise UnreadableFile("too large", info.st_size)
        # The size a file claims is not trusted (/proc files say 0): read one byte past the cap.
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise UnreadableFile("too large", len(data))
    return data


def _check_type(mode: int) -> None:
    kind = stat.S_IFMT(mode)
    if kind != stat.S_IFREG:
        raise UnreadableFile(_FILE_TYPES.get(kind, "not a regular file"))


def size_in_words(size: int) -> str:
    mib = 1024 * 1024
    if size % mib == 0:
        return f"{size // mib} MiB"
    return f"{size // 1024} KiB" if size < mib else f"{size / mib:.1f} MiB"


def quoted(value: object) -> str:
    """A user's value for a message: short, on one line, never a page of data."""
    text = " ".join(str(value).split()) if not isinstance(value, int) else _int_text(value)
    return text if len(text) <= QUOTE_AT_MOST else text[: QUOTE_AT_MOST - 1] + "…"


def _int_text(value: int) -> str:
    # str() of an int over 4,300 digits raises ValueError on Python 3.11+.
    return str(value) if value.bit_length() < 200 else f"a number of {value.bit_length()} bits"


def read_text(
    path: Path,
    error: type[HandoutsError],
    kind: str,
    fix_path: str,
    fix_encoding: str = "save the file as UTF-8 in your editor",
    limit: int = MAX_TEXT_BYTES,
) -> str:
    """The file's text; a byte-order mark from a Windows editor is dropped."""
    where = str(path)
    raw = read_bytes(path, error, kind, fix_path, limit)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as problem:
        line = raw[: problem.start].count(b"\n") + 1
        raise error(f"line {line} is not UTF-8 text", where=where, fix=fix_encoding) from None


def read_bytes(path: Path, error: type[HandoutsError], kind: str, fix_path: str, limit: int) -> bytes:
    """read_capped, with every refusal as one `error` naming the file."""
    where = str(path)
    try:
        return read_capped(path, limit)
    except FileNotFoundError:
        raise error("no such file", where=where, fix=fix_path) from None
    except UnreadableFile as problem:
        if problem.size is not None:
            # A file that said it was small and was not (/proc) has no size to quote.
            size = f"is {size_in_words(problem.size)}" if problem.size > limit + 1 else "is larger"
            raise error(
                f"{size}; a {kind} is at most {size_in_words(limit)}",
                where=where,
                fix=f"check that this is the right file; {fix_path}",
            ) from None
        raise error(f"is {problem.reason}, not a {kind}", where=where, fix=fix_path) from None
    except OSError as problem:
        raise error(f"cannot be read ({problem.strerror})", where=where, fix=fix_path) from None


def read_toml(path: Path, error: type[HandoutsError], kind: str, fix_path: str) -> dict[str, Any]:
    text = read_text(path, error, kind, fix_path)
    where = str(path)
    if not text.strip():
        raise error("is empty", where=where, fix=fix_path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as problem:
        raise error(
            f"is not valid TOML: {problem}",
            where=where,
            fix='each setting is key = "value" inside a [section]',
        ) from None
    except RecursionError:
        # tomllib parses each [ or { by recursion; thousands of them overflow the stack.
        raise _too_deep(error, where) from None
    except ValueError:
        # tomllib lets int() refuse a decimal number of more than 4,300 digits.
        raise _absurd_number(error, where, _line_of_long_number(text)) from None
    for name, value in _numbers(data, error, where):
        if isinstance(value, int) and abs(value) >= 10**MAX_INTEGER_DIGITS:
            raise _absurd_number(error, where, name)
        if isinstance(value, float) and not math.isfinite(value):
            raise error(
                f"{name} is {value}, not a number a person would write",
                where=where,
                fix="give an ordinary number, e.g. 10 or 2.5",
            )
    return data


def _absurd_number(error: type[HandoutsError], where: str, name: str) -> HandoutsError:
    return error(
        f"{name} is a number of more than {MAX_INTEGER_DIGITS} digits",
        where=where,
        fix="check the value; it was probably pasted by mistake",
    )


def _too_deep(error: type[HandoutsError], where: str) -> HandoutsError:
    return error(
        f"nests lists or tables more than {MAX_TOML_NESTING} levels deep",
        where=where,
        fix="check the file for a paste; no setting needs more than a few levels",
    )


def _numbers(
    data: dict[str, Any], error: type[HandoutsError], where: str
) -> Iterator[tuple[str, int | float]]:
    """Every number in the data, with where it is: "[medication] daily_mg".
    A loop, not recursion, and a bound on depth: later code prints values."""
    stack: list[tuple[object, tuple[str, ...]]] = [(data, ())]
    while stack:
        value, path = stack.pop()
        if len(path) > MAX_TOML_NESTING:
            raise _too_deep(error, where)
        if isinstance(value, dict):
            stack.extend((item, (*path, str(key))) for key, item in value.items())
        elif isinstance(value, list):
            stack.extend(
                (item, (*path[:-1], f"{path[-1]} (item {index})") if path else ("item",))
                for index, item in enumerate(value, start=1)
            )
        elif isinstance(value, int | float) and not isinstance(value, bool):
            yield _name(path), value


def _name(path: tuple[str, ...]) -> str:
    parts = [quoted(part) for part in path]
    if len(parts) < 2:
        return "".join(parts)
    return f"[{'.'.join(parts[:-1])}] {parts[-1]}"


_LONG_NUMBER = re.compile(rf"\d[\d_]{{{MAX_INTEGER_DIGITS},}}")


def _line_of_long_number(text: str) -> str:
    """Where tomllib's int() gave up: the key, its table and the line."""
    table = ""
    for number, line in enumerate(text.splitlines(), start=1):
        header = _TABLE.match(line)
        if header:
            table = header.group(1).strip()
        elif _LONG_NUMBER.search(line):
            key = line.split("=", 1)[0].strip() if "=" in line else "a value"
            name = _name((table, key)) if table else quoted(key)
            return f"{name} (line {number})"
    return "a value"


_TABLE = re.compile(r"\s*\[\[?([^\]]*)\]")


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
