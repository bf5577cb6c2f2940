"""Batches: every good row written, bad rows reported, nothing lost, no work redone."""

from __future__ import annotations

import csv
import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pikepdf
from conftest import assert_accessible, pdf_pages, pdf_text, run_handouts
from pypdf import PdfReader

HEADER = (
    "id,name,language,discharge_date,prescriber,form,strengths_mg,split_tablets,daily_mg,"
    "doses_per_day,start,step_mg,every_days"
)


def _row(row_id: str, name: str = "Pat Example", daily: str = "20", step: str = "5", lang: str = "en") -> str:
    return f"{row_id},{name},{lang},2026-12-01,Dr. A. Chen,tablet,\"10,5\",yes,{daily},2,2026-12-02,{step},7"


def batch(ward: Path, *args: str):
    return run_handouts("batch", "--clinic", "clinic.toml", *args, cwd=ward)


def _write_csv(ward: Path, rows: list[str]) -> None:
    (ward / "rows.csv").write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")


def _index(folder: Path) -> list[dict[str, str]]:
    with (folder / "index.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_good_rows_written_bad_rows_reported(ward: Path) -> None:
    _write_csv(ward, [_row("a"), _row("b", daily="32"), _row("c"), "d,only,three", _row("e", step="0")])
    result = batch(ward, "rows.csv", "-o", "out", "-j", "2")
    assert result.code == 1
    out = ward / "out"
    assert sorted(p.name for p in out.glob("*.pdf")) == ["discharge-a-en.pdf", "discharge-c-en.pdf"]
    assert "rows.csv row 3" in result.stderr and "column daily_mg" in result.stderr
    assert "rows.csv row 5: has 3 cells but the header has 13" in result.stderr
    assert "rows.csv row 6" in result.stderr and "column step_mg" in result.stderr
    assert "written: 2, unchanged: 0, failed: 3" in result.stderr
    assert "Pat Example" not in result.stderr  # no patient data in messages or file names
    # The index lists every output with its SHA-256, and every failure.
    index = _index(out)
    written = {row["file"]: row for row in index if row["status"] == "written"}
    assert set(written) == {"discharge-a-en.pdf", "discharge-c-en.pdf"}
    for name, row in written.items():
        assert row["sha256"] == hashlib.sha256((out / name).read_bytes()).hexdigest()
        assert row["source"].startswith("rows.csv row")
    assert sum(1 for row in index if row["status"] == "failed") == 3


def test_rerun_writes_nothing_and_one_changed_row_rerenders(ward: Path) -> None:
    rows = [_row("a"), _row("b"), _row("c")]
    _write_csv(ward, rows)
    assert batch(ward, "rows.csv", "-o", "out", "-j", "1").code == 0
    stamps = {p.name: p.stat().st_mtime_ns for p in (ward / "out").glob("*.pdf")}
    again = batch(ward, "rows.csv", "-o", "out", "-j", "1")
    assert again.code == 0 and "written: 0, unchanged: 3, failed: 0" in again.stderr
    rows[1] = _row("b", daily="30")
    _write_csv(ward, rows)
    touched = batch(ward, "rows.csv", "-o", "out", "-j", "1")
    assert "written: 1, unchanged: 2, failed: 0" in touched.stderr
    after = {p.name: p.stat().st_mtime_ns for p in (ward / "out").glob("*.pdf")}
    assert [name for name in after if after[name] != stamps[name]] == ["discharge-b-en.pdf"]
    forced = batch(ward, "rows.csv", "-o", "out", "-j", "1", "--force")
    assert "written: 3, unchanged: 0" in forced.stderr


def test_parallel_and_serial_runs_produce_identical_files(ward: Path) -> None:
    _write_csv(ward, [_row("a"), _row("b", lang="es"), _row("c", lang="ar"), _row("d", lang="zh-Hans")])
    assert batch(ward, "rows.csv", "-o", "serial", "-j", "1").code == 0
    assert batch(ward, "rows.csv", "-o", "parallel", "-j", "2").code == 0
    for path in (ward / "serial").glob("*.pdf"):
        assert path.read_bytes() == (ward / "parallel" / path.name).read_bytes(), path.name


def test_interrupted_batch_resumes_with_every_file_whole(ward: Path) -> None:
    _write_csv(ward, [_row(f"r{n}") for n in range(12)])
    env = {k: v for k, v in os.environ.items() if k != "HANDOUTS_CLINIC"}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "handouts",
            "batch",
            "--clinic",
            "clinic.toml",
            "rows.csv",
            "-o",
            "out",
            "-j",
            "1",
        ],
        cwd=ward,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
    )
    out = ward / "out"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list(out.glob("*.pdf"))) < 3:
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)  # the harshest stop: no clean-up at all
    process.wait()
    finished_before = len(list(out.glob("*.pdf")))
    assert 3 <= finished_before < 12
    for path in out.glob("*.pdf"):
        assert PdfReader(path).pages  # whatever is there is a whole PDF
    result = batch(ward, "rows.csv", "-o", "out", "-j", "2")
    assert result.code == 0, result.stderr
    assert (
        f"unchanged: {finished_before}" in result.stderr
        or f"unchanged: {finished_before - 1}" in result.stderr
    )
    assert len(list(out.glob("*.pdf"))) == 12 and not list(out.rglob("*.part"))
    for path in out.glob("*.pdf"):
        assert "Pat Example" in pdf_text(path)


def test_fail_fast_stops_at_the_first_failure(ward: Path) -> None:
    _write_csv(ward, [_row("a", daily="32"), _row("b"), _row("c")])
    result = batch(ward, "rows.csv", "-o", "out", "--fail-fast")
    assert result.code == 1 and not list((ward / "out").glob("*.pdf"))


def test_merge_writes_one_print_job_as_tagged_as_its_parts(ward: Path) -> None:
    _write_csv(ward, [_row("a", lang="es"), _row("b", lang="ar"), _row("c", lang="zh-Hans")])
    result = batch(ward, "rows.csv", "-o", "out", "--merge", "all.pdf")
    assert result.code == 0, result.stderr
    parts = sorted((ward / "out").glob("*.pdf"))
    counts = [pdf_pages(path) for path in parts]
    # Duplex-safe: a blank page after each document but the last with an odd number of pages.
    assert pdf_pages(ward / "all.pdf") == sum(counts) + sum(count % 2 for count in counts[:-1])
    assert_accessible(ward / "all.pdf", "es")
    with pikepdf.open(ward / "all.pdf") as merged:
        tree = merged.Root.StructTreeRoot
        # Each part keeps its own language on its own branch of the structure tree.
        assert [str(element.Lang) for element in tree.K] == ["es", "ar", "zh-Hans"]
        # Every element the marked content points at is on a page of the merged file
        # (None: the place of marked content that became a page-furniture artifact).
        pages = {page.obj.objgen for page in merged.pages}
        for _key, value in pikepdf.NumberTree(tree.ParentTree).items():
            for element in value if isinstance(value, pikepdf.Array) else [value]:
                assert element is None or element.Pg.objgen in pages
        keys = [int(page.obj.StructParents) for page in merged.pages if "/StructParents" in page.obj]
        assert len(set(keys)) == len(keys) == sum(counts)
    # Each document starts on the front of a sheet: its first page is an odd page of the job.
    merged_pages = [page.extract_text() for page in PdfReader(ward / "all.pdf").pages]
    for path in parts:
        first = PdfReader(path).pages[0].extract_text()
        assert merged_pages.index(first) % 2 == 0, path.name
    assert "Su plan de reducción gradual del baclofeno" in pdf_text(ward / "all.pdf")


def test_toml_manifest_with_a_bad_profile_still_writes_the_good_clinic(ward: Path) -> None:
    (ward / "broken.toml").write_text("[clinic]\nname = 5\n", encoding="utf-8")
    (ward / "batch.toml").write_text(
        '[batch]\nclinics = ["clinic.toml", "broken.toml"]\nlanguages = ["en", "es"]\nkinds = ["tapering"]\n',
        encoding="utf-8",
    )
    result = run_handouts("batch", "batch.toml", "-o", "shelf", "-j", "2", cwd=ward)
    assert result.code == 1
    assert sorted(p.name for p in (ward / "shelf" / "clinic").glob("*.pdf")) == [
        "tapering-en.pdf",
        "tapering-es.pdf",
    ]
    assert "broken.toml" in result.stderr and "[clinic] name must be text" in result.stderr
    assert "written: 2, unchanged: 0, failed: 2" in result.stderr


def test_progress_on_a_terminal_shows_count_rate_and_time_left() -> None:
    from handouts.batch import JobOutcome, Reporter, _Progress

    lines: list[str] = []
    statuses: list[str] = []
    progress = _Progress(4, Reporter(line=lines.append, status=statuses.append))
    for _ in range(2):
        progress.advance(JobOutcome(job=None, status="written"))  # type: ignore[arg-type]
    progress.finish()
    assert statuses[0].startswith("[1/4] ") and "documents/s" in statuses[0] and "s left" in statuses[0]
    assert statuses[1].startswith("[2/4] ") and statuses[-1] == ""
    assert lines == []  # a terminal gets one rewritten line, not a scroll of them
