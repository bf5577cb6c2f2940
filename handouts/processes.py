"""Which processes are still alive, and a worker that dies with its batch.

Temporary files and folders carry the PID of the process that made them, so
a later run can tell its own stale leftovers (a dead PID) from files that are
still being written or that belong to another program.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time
from collections.abc import Callable

_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process: alive
    return True


def exit_with_parent(parent: int, clean_up: Callable[[], None]) -> None:
    """In a worker: when the batch that started it dies, even by kill -9, stop
    at once instead of rendering and writing the rest of the queue.

    The pool would catch a Python exception raised inside a job and go on with
    the next one, so the signal handler leaves with os._exit after clean_up."""

    def stop(signum: int, _frame: object) -> None:
        clean_up()
        os._exit(128 + signum)

    signal.signal(signal.SIGTERM, stop)
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    else:
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # the parent died before the line above took effect
        os.kill(os.getpid(), signal.SIGTERM)


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1)
    os.kill(os.getpid(), signal.SIGTERM)
