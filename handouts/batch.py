"""Running a batch: many jobs, each through the same single-document path.

This module's only concerns are the pool, progress, skipping unchanged work,
the index and the summary. A worker process builds one Renderer (fonts,
stylesheets, templates, catalogs) and reuses it for every job it is given.
"""

from __future__ import annotations

import concurrent.futures
import csv
import hashlib
import io
import json
import multiprocessing
import os
import resource
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from handouts import __version__
from handouts.application import check_printable
from handouts.errors import HandoutsError, UsageProblem
from handouts.folder_lock import LOCK_FILE
from handouts.handout_cache import render_packet
from handouts.localization import LANGUAGES
from handouts.manifest import Job, JobProblem, Manifest
from handouts.output import check_writable_file, refuse_special_file, remove_stale_parts, write_atomically
from handouts.page import PageOptions
from handouts.processes import exit_with_parent
from handouts.resources import asset_dir
from handouts.temporary_folder import remove_own, remove_stale

if TYPE_CHECKING:
    from handouts.rendering import Renderer

STATE_FILE = ".handouts-batch.json"  # fingerprints of what this folder holds
INDEX_FILE = "index.csv"


class JobStatus(StrEnum):
    WRITTEN = "written"
    UNCHANGED = "unchanged"
    FAILED = "failed"


@dataclass(frozen=True)
class JobOutcome:
    job: Job
    status: JobStatus
    sha256: str = ""
    pages: int = 0
    message: str = ""
    peak_rss_kib: int = 0


@dataclass
class BatchSummary:
    outcomes: list[JobOutcome] = field(default_factory=list)
    problems: list[JobProblem] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status == status)

    @property
    def failed(self) -> int:
        return self.count(JobStatus.FAILED) + len(self.problems)


@dataclass(frozen=True)
class Reporter:
    """Where progress goes: a line that updates itself on a terminal, plain lines otherwise."""

    line: Callable[[str], None]
    status: Callable[[str], None] | None = None  # rewrites one terminal line; None when not a terminal


def assets_digest() -> str:
    """One hash of everything the tool draws with: templates, catalogs, fonts."""
    digest = hashlib.sha256(__version__.encode())
    for folder in ("templates", "locales", "fonts"):
        root = asset_dir(folder)
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(root)).encode())
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def fingerprint(job: Job, assets: str) -> str:
    """Everything that decides a job's bytes: if it is unchanged, so is the PDF."""
    digest = hashlib.sha256(assets.encode())
    digest.update(
        repr((job.kind, job.language_tag, job.paper, job.large_print, job.include, job.order)).encode()
    )
    digest.update(repr(job.clinic).encode())  # every value of the profile
    if job.clinic.logo is not None and job.clinic.logo.is_file():
        digest.update(job.clinic.logo.read_bytes())
    return digest.hexdigest()


def run_batch(
    manifest: Manifest,
    out_dir: Path,
    jobs: int,
    force: bool,
    fail_fast: bool,
    reporter: Reporter,
) -> BatchSummary:
    out_dir.mkdir(parents=True, exist_ok=True)
    for own in (STATE_FILE, INDEX_FILE):
        refuse_special_file(out_dir / own, f"remove it: the batch keeps its own {own} in the folder")
    # A run that was killed outright leaves its temporary files and font copies behind.
    remove_stale_parts(out_dir)
    remove_stale()
    summary = BatchSummary(problems=list(manifest.problems))
    for problem in manifest.problems:
        reporter.line(f"failed: {problem.message}")
    if fail_fast and manifest.problems:
        return summary
    state = _read_state(out_dir)
    assets = assets_digest()
    todo: list[tuple[Job, str]] = []
    for job in manifest.jobs:
        print_ = fingerprint(job, assets)
        target = out_dir / job.output
        known = state.get(job.output, {})
        if (
            not force
            and known.get("fingerprint") == print_
            and target.is_file()
            and known.get("sha256") == _sha256_file(target)
        ):
            summary.outcomes.append(JobOutcome(job, JobStatus.UNCHANGED, known["sha256"]))
        else:
            todo.append((job, print_))
    total = len(todo)
    if total:
        reporter.line(
            f"rendering {total} of {len(manifest.jobs)} documents with {jobs} "
            f"{'worker' if jobs == 1 else 'workers'}"
        )
    progress = _Progress(total, reporter)
    try:
        for outcome, print_ in _execute(todo, out_dir, jobs, fail_fast):
            summary.outcomes.append(outcome)
            if outcome.status == JobStatus.WRITTEN:
                state[outcome.job.output] = {"fingerprint": print_, "sha256": outcome.sha256}
                _write_state(out_dir, state)  # after each file, so an interrupted run resumes
            else:
                reporter.line(f"failed: {outcome.message}")
            progress.advance(outcome)
        progress.finish()
    finally:
        _write_index(out_dir, summary)  # whatever stopped the run, the index says what was done
    return summary


def _execute(
    todo: list[tuple[Job, str]], out_dir: Path, jobs: int, fail_fast: bool
) -> Iterable[tuple[JobOutcome, str]]:
    if not todo:
        return
    if jobs <= 1:
        # In this process: a Renderer of its own, no worker globals.
        from handouts.rendering import Renderer

        try:
            renderer: Renderer | HandoutsError = Renderer()
        except HandoutsError as problem:
            renderer = problem
        for job, print_ in todo:
            outcome = render_one(renderer, job, out_dir)
            yield outcome, print_
            if fail_fast and outcome.status == JobStatus.FAILED:
                return
        return
    context = multiprocessing.get_context("spawn")  # a fresh interpreter: no inherited Pango state
    with concurrent.futures.ProcessPoolExecutor(
        jobs, mp_context=context, initializer=_init_worker, initargs=(os.getpid(),)
    ) as pool:
        futures = {pool.submit(render_job, job, out_dir): print_ for job, print_ in todo}
        try:
            for future in concurrent.futures.as_completed(futures):
                outcome = future.result()
                yield outcome, futures[future]
                if fail_fast and outcome.status == JobStatus.FAILED:
                    for pending in futures:
                        pending.cancel()
                    return
        except BaseException:
            for pending in futures:
                pending.cancel()
            raise


_RENDERER = None
# Why a worker could not start (a full temporary disk, say): each of its jobs
# then fails with this one message, instead of the pool dying with a traceback.
_START_PROBLEM: HandoutsError | None = None


def _init_worker(parent: int | None) -> None:
    """Load fonts, stylesheets, templates and catalogs once per worker; a worker
    process (parent given) stops as soon as the batch that started it dies."""
    global _RENDERER, _START_PROBLEM
    if parent is not None:
        exit_with_parent(parent, remove_own)
    if _RENDERER is None:
        # Imported here: WeasyPrint takes a second to load, and only workers need it.
        from handouts.rendering import Renderer

        try:
            _RENDERER = Renderer()
        except HandoutsError as problem:
            _START_PROBLEM = problem


def render_job(job: Job, out_dir: Path) -> JobOutcome:
    """In a worker process: one job with the worker's Renderer."""
    renderer = _START_PROBLEM or _RENDERER
    assert renderer is not None, "the pool's initializer builds the Renderer"
    return render_one(renderer, job, out_dir)


def render_one(renderer: Renderer | HandoutsError, job: Job, out_dir: Path) -> JobOutcome:
    """One job, through the same path as `handouts render` / `handouts discharge`.

    Whatever goes wrong fails this job only; an unexpected error is reported
    without its text, which could hold a patient value."""
    try:
        if isinstance(renderer, HandoutsError):
            raise renderer  # why the renderer could not start
        check_printable(LANGUAGES[job.language_tag], preview_incomplete=False)
        target = out_dir / job.output
        refuse_special_file(target, "remove it, or give the batch another folder with -o")
        options = PageOptions(LANGUAGES[job.language_tag], job.paper, job.large_print)
        if job.order is not None:
            # Included handouts come from this worker's cache: each is laid out once per batch.
            pdf = render_packet(renderer, job.order, job.clinic, options, job.include)
        else:
            pdf = renderer.render(job.kind, job.clinic, options)
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(target, pdf.data)
    except HandoutsError as problem:
        return JobOutcome(job, JobStatus.FAILED, message=f"{job.source}: {problem}", peak_rss_kib=_peak_rss())
    except Exception:  # a bug: this job fails, the batch and its index go on
        return JobOutcome(
            job,
            JobStatus.FAILED,
            message=f"{job.source}: internal error (a bug in handouts; details are not shown, as they "
            "may hold patient data). Rerun this row alone with handouts --debug discharge to see them",
            peak_rss_kib=_peak_rss(),
        )
    return JobOutcome(
        job, JobStatus.WRITTEN, hashlib.sha256(pdf.data).hexdigest(), pdf.pages, peak_rss_kib=_peak_rss()
    )


def _peak_rss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _read_state(out_dir: Path) -> dict[str, dict[str, str]]:
    try:
        data = json.loads((out_dir / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # no state, or a damaged one: everything is rendered again
    return data if isinstance(data, dict) else {}


def _write_state(out_dir: Path, state: dict[str, dict[str, str]]) -> None:
    write_atomically(out_dir / STATE_FILE, json.dumps(state, indent=1, sort_keys=True).encode())


def _write_index(out_dir: Path, summary: BatchSummary) -> None:
    """index.csv: every output with its source and SHA-256, and every failure."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["file", "source", "status", "sha256", "message"])
    for outcome in sorted(summary.outcomes, key=lambda o: o.job.output):
        writer.writerow(
            [outcome.job.output, outcome.job.source, outcome.status, outcome.sha256, outcome.message]
        )
    for problem in summary.problems:
        writer.writerow([problem.output or "", problem.source, JobStatus.FAILED, "", problem.message])
    write_atomically(out_dir / INDEX_FILE, buffer.getvalue().encode())


class _Progress:
    def __init__(self, total: int, reporter: Reporter):
        self.clock = time.monotonic
        self.started = self.clock()
        self.total = total
        self.done = 0
        self.reporter = reporter

    def advance(self, outcome: JobOutcome) -> None:
        self.done += 1
        elapsed = max(self.clock() - self.started, 1e-6)
        rate = self.done / elapsed
        left = (self.total - self.done) / rate if rate else 0
        text = f"[{self.done}/{self.total}] {rate:.1f} documents/s, about {left:.0f} s left"
        if self.reporter.status is not None:
            self.reporter.status(text)
        else:
            self.reporter.line(f"[{self.done}/{self.total}] {outcome.status} {outcome.job.output}")

    def finish(self) -> None:
        if self.reporter.status is not None and self.total:
            self.reporter.status("")


def check_merge_target(merge: Path, out_dir: Path, manifest: Manifest) -> None:
    """--merge must not replace a file the batch itself writes, not even through a link."""
    names = [job.output for job in manifest.jobs]
    names += [problem.output for problem in manifest.problems if problem.output]
    names += [INDEX_FILE, STATE_FILE, LOCK_FILE]
    target = merge.resolve()
    for name in names:
        own = out_dir / name
        same = own.exists() and merge.exists() and os.path.samefile(own, merge)
        if same or str(own.resolve()).casefold() == str(target).casefold():
            raise UsageProblem(
                f"--merge {merge} would replace {name}, which this batch writes in {out_dir}",
                fix="give the combined PDF a file of its own, e.g. --merge ward.pdf",
            )
    if merge.parent.resolve() != out_dir.resolve() or out_dir.exists():  # else the batch makes the folder
        check_writable_file(merge, example="--merge all.pdf")


def merge_pdfs(paths: list[Path], target: Path) -> None:
    """One combined PDF for a single print job, tagged like its parts; each
    part starts on a fresh sheet of paper when printed on both sides."""
    from handouts.blank_page import BlankPages  # only --merge needs these
    from handouts.pdf_merge import merge_tagged

    title = f"Print job {target.name}: {len(paths)} {'document' if len(paths) == 1 else 'documents'}"
    write_atomically(target, merge_tagged([path.read_bytes() for path in paths], title, BlankPages()))


def default_jobs() -> int:
    return os.cpu_count() or 1
