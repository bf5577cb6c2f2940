"""Writing a finished PDF: all of it or nothing."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from handouts.errors import OutputError

STDOUT = "-"


def check_writable_folder(folder: Path) -> None:
    """Fail before rendering when the output cannot be written at all."""
    fix = "choose a folder you can write to with -o"
    if not folder.exists():
        raise OutputError("the output folder does not exist", where=str(folder), fix=fix)
    if not folder.is_dir():
        raise OutputError("is not a folder", where=str(folder), fix=fix)
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError("the output folder is not writable", where=str(folder), fix=fix)


def check_writable_file(path: Path, example: str = "-o handout.pdf") -> None:
    """Fail before rendering when this file cannot be written."""
    if path.is_dir():
        raise OutputError("is a folder", where=str(path), fix=f"give a file name, e.g. {example}")
    check_writable_folder(path.parent)


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside the target, then rename it into place,
    so a reader never sees half a PDF and a failure leaves nothing behind."""
    check_writable_file(path)
    fix = "check the free disk space and the folder's permissions"
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as error:
        # os.access can say yes (to root, or on special file systems) where creating a file fails.
        raise OutputError(f"could not be written ({error.strerror})", where=str(path), fix=fix) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise OutputError(f"could not be written ({error.strerror})", where=str(path), fix=fix) from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_stdout(data: bytes) -> None:
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()
