"""The tool's own temporary folder, one per process.

WeasyPrint's FontConfiguration copies every @font-face font (about 12.5 MB
for the bundled ones) into a folder made with tempfile.mkdtemp and removes it
only when the object is garbage-collected; a process that is killed leaves
the copies behind for good. Pointing tempfile at a folder named after our PID
lets the next run remove the folders of processes that are no longer alive.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from handouts.processes import pid_alive

PREFIX = "handouts-"
_NAME = re.compile(rf"^{PREFIX}(\d+)-")

_folder: Path | None = None
_owner = 0  # the PID that made _folder; a forked child makes its own


def own_folder() -> Path:
    """This process's folder, made on first use; removed when the process ends normally."""
    global _folder, _owner
    if _folder is None or _owner != os.getpid():
        remove_stale()
        _folder = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-"))
        _owner = os.getpid()
        atexit.register(remove_own)
    return _folder


def remove_own() -> None:
    if _folder is not None and _owner == os.getpid():
        shutil.rmtree(_folder, ignore_errors=True)


@contextmanager
def temporary_files_in_own_folder() -> Iterator[None]:
    """While inside, tempfile's default folder (and so WeasyPrint's) is ours."""
    folder = own_folder()
    previous = tempfile.tempdir
    tempfile.tempdir = str(folder)
    try:
        yield
    finally:
        tempfile.tempdir = previous


def remove_stale() -> list[Path]:
    """Remove this user's folders left by processes that are no longer running."""
    removed: list[Path] = []
    base = Path(tempfile.gettempdir())
    try:
        entries = list(os.scandir(base))
    except OSError:
        return removed
    for entry in entries:
        match = _NAME.match(entry.name)
        if not match or not entry.is_dir(follow_symlinks=False):
            continue
        try:
            mine = entry.stat(follow_symlinks=False).st_uid == os.getuid()
        except OSError:
            continue
        if mine and not pid_alive(int(match[1])):
            shutil.rmtree(entry.path, ignore_errors=True)
            removed.append(Path(entry.path))
    return removed
