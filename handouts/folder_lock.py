"""One batch at a time in an output folder.

Two batches writing one folder would each keep half of the record of what is
up to date. The lock is fcntl.flock on a file in the folder: the kernel drops
it when the process ends, even by kill -9, so a stale lock never blocks a run.
"""

from __future__ import annotations

import fcntl
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from handouts.errors import OutputError

LOCK_FILE = ".handouts-batch.lock"


@contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Hold the folder's lock while inside; refuse at once if another process has it."""
    path = folder / LOCK_FILE
    try:
        # O_NOFOLLOW: a link planted in the folder cannot make us open something else.
        handle = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    except OSError as error:
        raise OutputError(
            f"could not open the lock file {LOCK_FILE} ({error.strerror})",
            where=str(folder),
            fix="remove it if it is not a plain file, and check the folder's permissions",
        ) from None
    try:
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            raise OutputError(
                f"the lock file {LOCK_FILE} is not a plain file", where=str(folder), fix="remove it"
            )
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputError(
                "another batch is writing to this folder",
                where=str(folder),
                fix="wait until it has finished, or give this batch another folder with -o",
            ) from None
        yield
    finally:
        os.close(handle)
