"""`handouts batch`: every handout in every language, or a ward's discharge sheets."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from handouts.application import choose_clinic, content_medication
from handouts.batch import BatchSummary, JobStatus, Reporter, check_merge_target, merge_pdfs, run_batch
from handouts.errors import HandoutsError, UsageProblem
from handouts.folder_lock import folder_lock
from handouts.manifest import load_manifest
from handouts.output import check_writable_folder


def terminal_reporter(echo: Callable[[str], None]) -> Reporter:
    if sys.stderr.isatty():

        def status(text: str) -> None:
            sys.stderr.write("\r\033[K" + text)
            sys.stderr.flush()

        def line(text: str) -> None:
            sys.stderr.write("\r\033[K")
            echo(text)

        return Reporter(line=line, status=status)
    return Reporter(line=echo)


@dataclass(frozen=True)
class BatchRequest:
    manifest_path: Path
    out_dir: Path
    clinic_path: Path | None = None
    jobs: int = 1
    force: bool = False
    fail_fast: bool = False
    merge: Path | None = None
    large_print: bool = False


def run_batch_command(request: BatchRequest, echo: Callable[[str], None]) -> BatchSummary:
    manifest_path, out_dir, clinic_path = request.manifest_path, request.out_dir, request.clinic_path
    jobs, force, fail_fast = request.jobs, request.force, request.fail_fast
    merge, large_print = request.merge, request.large_print
    if jobs < 1:
        raise UsageProblem("-j must be at least 1", fix="e.g. -j 2")
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageProblem(f"'{out_dir}' is a file", fix="give a folder with -o")
    check_writable_folder(out_dir if out_dir.exists() else out_dir.parent)
    if not manifest_path.exists() or manifest_path.is_dir():  # a pipe or device: refused as it is read
        raise HandoutsError(
            "is a folder, not a manifest file" if manifest_path.is_dir() else "no such manifest file",
            where=str(manifest_path),
            fix="give a .toml or .csv manifest (see examples/)",
        )
    clinic = None
    if manifest_path.suffix.lower() == ".csv":
        clinic = choose_clinic(clinic_path, lambda text: echo(f"handouts: warning: {text}"))
    elif clinic_path is not None:
        raise UsageProblem(
            "a TOML manifest names its own clinics", fix="leave --clinic out, or use a CSV manifest"
        )
    manifest = load_manifest(manifest_path, clinic, content_medication(), large_print)
    if merge is not None:
        check_merge_target(merge, out_dir, manifest)
    out_dir.mkdir(parents=True, exist_ok=True)
    with folder_lock(out_dir):  # held until the merged file, made from the folder's PDFs, is written
        summary = run_batch(manifest, out_dir, jobs, force, fail_fast, terminal_reporter(echo))
        if merge is not None:
            done = {o.job.output for o in summary.outcomes if o.status != JobStatus.FAILED}
            paths = [out_dir / job.output for job in manifest.jobs if job.output in done]
            if paths:
                merge_pdfs(paths, merge)
                echo(f"merged {len(paths)} documents into {merge}")
    echo(
        f"written: {summary.count('written')}, unchanged: {summary.count('unchanged')}, "
        f"failed: {summary.failed}"
    )
    return summary
