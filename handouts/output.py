"""Writing finished files: each whole or not at all, and never over what is not ours.

- A file is first written beside its target as `.NAME.handouts-PID-XXXXXXXX.part`
  (a name only this tool makes; the PID tells a stale one from one still being
  written) and renamed into place when complete.
- Files that belong together (a discharge sheet and its calendar) are renamed
  together: if one cannot be written, none of their paths changes.
- A name the tool chose (UnusedName) never replaces a file: it is numbered
  -2, -3, ... instead. A path the user named is theirs to replace.
- A rename over a device, pipe or socket would put a plain file in its place,
  so such targets are refused; standard output is `-o -`.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import stat
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from handouts.errors import OutputError
from handouts.processes import pid_alive

STDOUT = "-"
MAX_NUMBER = 999  # discharge-2026-12-01-en-999.pdf is the last name tried
_PART = re.compile(r"^\..+\.handouts-(\d+)-[0-9a-f]{8}\.part$")
_DISK_FIX = "check the free disk space and the folder's permissions"


@dataclass(frozen=True)
class UnusedName:
    """A file name the tool chose: the first free one of STEM.SUFFIX, STEM-2.SUFFIX, ..."""

    folder: Path
    stem: str
    suffix: str

    def candidates(self) -> Iterator[Path]:
        yield self.folder / f"{self.stem}{self.suffix}"
        for number in range(2, MAX_NUMBER + 1):
            yield self.folder / f"{self.stem}-{number}{self.suffix}"

    def __str__(self) -> str:
        return str(self.folder / f"{self.stem}{self.suffix}")


Target = Path | UnusedName


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
    if is_folder(path):
        raise OutputError("is a folder", where=str(path), fix=f"give a file name, e.g. {example}")
    fix = f"name a file, e.g. {example}"
    if example.startswith("-o "):
        fix = f"to write to standard output use -o -; otherwise {fix}"
    refuse_special_file(path, fix)
    check_writable_folder(path.parent)


def check_target(target: Target, example: str = "-o handout.pdf") -> None:
    if isinstance(target, UnusedName):
        check_writable_folder(target.folder)
    else:
        check_writable_file(target, example)


def refuse_special_file(path: Path, fix: str) -> None:
    """A device node, a pipe, a socket, or a link to one, is not ours to replace."""
    mode = _mode(path)
    if mode is not None and not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        raise OutputError("is a device, pipe or socket, not a file", where=str(path), fix=fix)


def is_folder(path: Path) -> bool:
    mode = _mode(path)
    return mode is not None and stat.S_ISDIR(mode)


def _mode(path: Path) -> int | None:
    """What is at path, following a link; None when nothing is (a new file will be made)."""
    try:
        return path.stat().st_mode
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as error:  # a name too long, a link loop, a folder we may not look into
        raise OutputError(
            f"cannot be used ({error.strerror})", where=str(path), fix="choose another name or folder"
        ) from None


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside the target, then rename it into place,
    so a reader never sees half a file and a failure leaves nothing behind."""
    write_together([(path, data)])


def write_together(files: Sequence[tuple[Target, bytes]]) -> list[Path]:
    """Write files that belong together: each whole, and if any of them cannot
    be written, none of their paths changes. Returns the paths written."""
    for target, _data in files:
        check_target(target)
    paths = [Path(str(target)).resolve() for target, _data in files]
    for number, path in enumerate(paths):
        if path in paths[:number]:
            raise OutputError(
                "is named for two files at once",
                where=str(files[number][0]),
                fix="give each file its own name",
            )
    staged: list[Path] = []
    try:
        for target, data in files:
            staged.append(_stage(target, data))
        return _commit([target for target, _data in files], staged)
    finally:
        for temporary in staged:
            temporary.unlink(missing_ok=True)


def remove_stale_parts(folder: Path) -> list[Path]:
    """Remove this tool's temporary files whose process is no longer running;
    anyone else's hidden .part files are left alone."""
    removed = []
    for root, _folders, names in os.walk(folder):
        for name in names:
            match = _PART.match(name)
            if match and not pid_alive(int(match[1])):
                path = Path(root, name)
                path.unlink(missing_ok=True)
                removed.append(path)
    return removed


def write_stdout(data: bytes) -> None:
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def _part_path(path: Path) -> Path:
    # A long name is cut so that the temporary name stays within 255 bytes.
    return path.parent / f".{path.name[:180]}.handouts-{os.getpid()}-{secrets.token_hex(4)}.part"


def _stage(target: Target, data: bytes) -> Path:
    """The complete file under a temporary name beside its target."""
    shown = Path(str(target))
    while True:
        temporary = _part_path(shown)
        try:
            handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
            break
        except FileExistsError:
            continue
        except OSError as error:
            # os.access can say yes (to root, or on special file systems) where creating a file fails.
            raise _unwritable(shown, error) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise _unwritable(shown, error) from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def _commit(targets: list[Target], staged: list[Path]) -> list[Path]:
    """Rename every staged file into place; on a failure, put back what was there."""
    done: list[tuple[Path, Path | None]] = []  # each path renamed into place, and its old file kept
    kept: list[Path] = []
    try:
        for target, temporary in zip(targets, staged, strict=True):
            try:
                if isinstance(target, UnusedName):
                    done.append((_link_unused(target, temporary), None))
                    continue
                old = _keep_old(target) if len(targets) > 1 else None
                if old is not None:
                    kept.append(old)
                os.replace(temporary, target)
                done.append((target, old))
            except OSError as error:
                raise _unwritable(Path(str(target)), error) from None
    except BaseException:
        for path, old in reversed(done):
            try:
                if old is None:
                    path.unlink(missing_ok=True)  # it did not exist before
                else:
                    os.replace(old, path)
            except OSError:
                pass  # nothing more can be done; the error below is what the user sees
        raise
    finally:
        for old in kept:
            old.unlink(missing_ok=True)
    return [path for path, _old in done]


def _keep_old(path: Path) -> Path | None:
    """A second name for the file at path, so that it can be put back."""
    if not os.path.lexists(path):
        return None
    while True:
        keep = _part_path(path)
        try:
            os.link(path, keep, follow_symlinks=False)
        except FileExistsError:
            continue
        except OSError:  # no hard links on this file system (FAT, some network shares)
            shutil.copy2(path, keep, follow_symlinks=False)
        return keep


def _link_unused(name: UnusedName, temporary: Path) -> Path:
    """Give the staged file the first free candidate name, never replacing a file."""
    for candidate in name.candidates():
        if os.path.lexists(candidate):
            continue
        try:
            os.link(temporary, candidate)  # fails if the name was taken meanwhile
        except FileExistsError:
            continue
        except OSError:
            # No hard links here: claim the name, then rename over our own claim.
            try:
                os.close(os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
            except FileExistsError:
                continue
            os.replace(temporary, candidate)
        return candidate
    raise OutputError(
        f"{MAX_NUMBER} files named {name.stem}{name.suffix}, {name.stem}-2{name.suffix}, ... already exist",
        where=str(name.folder),
        fix="name the file with -o, or move older files to another folder",
    )


def _unwritable(path: Path, error: OSError) -> OutputError:
    return OutputError(f"could not be written ({error.strerror or error})", where=str(path), fix=_DISK_FIX)
