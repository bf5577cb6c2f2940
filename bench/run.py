"""Benchmarks for `handouts`, measured side by side in one run on one machine.

    python bench/run.py            # about three minutes on two cores
    python bench/run.py --quick    # fewer repetitions, for a smoke run

Prints each figure with its target. Timings live here, never in tests:
shared machines are noisy, so compare the ratios, which are measured in the
same run, rather than the seconds.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from weasyprint import HTML

from handouts.application import content_medication
from handouts.batch import Reporter, run_batch
from handouts.clinic import load_sample_profile
from handouts.fonts import font_face_css, font_family_css, with_fallbacks
from handouts.localization import LANGUAGES
from handouts.manifest import load_manifest
from handouts.page import PageOptions
from handouts.patient import load_patient_file
from handouts.pdf_merge import merge_tagged
from handouts.rendering import PDF_VARIANT, Renderer
from handouts.resources import asset_dir

ROOT = Path(__file__).resolve().parent.parent
ROW = "{n},Pat Example {n},{lang},2026-12-01,Dr. A. Chen,tablet,10;5,yes,{daily},3,2026-12-02,5,7"
HEADER = (
    "id,name,language,discharge_date,prescriber,form,strengths_mg,split_tablets,daily_mg,doses_per_day,"
    "start,step_mg,every_days"
)


def timed(function, repeat: int) -> float:
    """Median seconds of `repeat` calls (after one warm-up call)."""
    return side_by_side([function], repeat)[0]


def side_by_side(functions, repeat: int) -> list[float]:
    """Median seconds of each function, called in turn (ABAB...) so that a
    busy moment on a shared machine hits all of them alike."""
    for function in functions:
        function()
    samples: list[list[float]] = [[] for _ in functions]
    for _ in range(repeat):
        for index, function in enumerate(functions):
            start = time.perf_counter()
            function()
            samples[index].append(time.perf_counter() - start)
    return [statistics.median(column) for column in samples]


def weasyprint_cli() -> list[str]:
    found = shutil.which("weasyprint", path=os.path.dirname(sys.executable)) or shutil.which("weasyprint")
    return [found] if found else [sys.executable, "-m", "weasyprint"]


def weasyprint_command(style: Path, html: Path, pdf: Path) -> list[str]:
    """The weasyprint command on our HTML and stylesheet, as a user of it would run it."""
    base = asset_dir("templates").as_uri() + "/"
    return [*weasyprint_cli(), "-s", str(style), "--pdf-variant", "pdf/ua-1", "-u", base, str(html), str(pdf)]


def handouts_cli() -> list[str]:
    return [sys.executable, "-m", "handouts"]


def write_csv(path: Path, count: int) -> None:
    tags = list(LANGUAGES)
    rows = [ROW.format(n=n, lang=tags[n % len(tags)], daily=[10, 15, 20, 30][n % 4]) for n in range(count)]
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")


def batch_rate(manifest: Path, out: Path, jobs: int, force: bool = True) -> tuple[float, int, list[int]]:
    clinic = load_sample_profile()
    loaded = load_manifest(manifest, clinic, content_medication())
    start = time.perf_counter()
    summary = run_batch(
        loaded, out, jobs, force=force, fail_fast=False, reporter=Reporter(line=lambda _t: None)
    )
    elapsed = time.perf_counter() - start
    written = summary.count("written")
    return elapsed, written, [o.peak_rss_kib for o in summary.outcomes if o.peak_rss_kib]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    repeat = 3 if args.quick else 8
    work = Path(tempfile.mkdtemp(prefix="handouts-bench-"))
    results: list[tuple[str, str, str]] = []

    # 1 and 2: the WeasyPrint floor against the tool's own cost, in process.
    renderer = Renderer()
    clinic = load_sample_profile()
    options = PageOptions(LANGUAGES["en"], "letter")
    html = renderer.handout_html("warning-signs", clinic, options)
    sheets = renderer.stylesheets(options)
    fetcher = renderer.fetcher.for_document(clinic.folder)
    base = asset_dir("templates").as_uri() + "/"

    def floor() -> bytes:
        document = HTML(string=html, base_url=base, url_fetcher=fetcher)
        return document.render(stylesheets=sheets, font_config=renderer.font_config).write_pdf(
            pdf_variant=PDF_VARIANT
        )

    def tool() -> bytes:
        return renderer.render("warning-signs", clinic, options).data

    floor_s, tool_s = side_by_side([floor, tool], repeat * 2)
    results.append(
        ("1. WeasyPrint alone, same HTML, in process (the floor)", f"{floor_s * 1000:.0f} ms/doc", "")
    )
    results.append(
        (
            "2. handouts per document (templating, i18n, checks) vs floor",
            f"{tool_s * 1000:.0f} ms/doc = {tool_s / floor_s:.2f}x",
            "<= 1.10x",
        )
    )

    # 3: batch throughput through the real command: 100 discharge sheets in
    # all eleven languages, with one worker and with two.
    rows = work / "ward.csv"
    write_csv(rows, 20 if args.quick else 100)
    env = {k: v for k, v in os.environ.items() if k != "HANDOUTS_CLINIC"}

    def run_command(jobs: int, folder: str, force: bool = True) -> float:
        command = [*handouts_cli(), "batch", str(rows), "-o", str(work / folder), "-j", str(jobs)]
        start = time.perf_counter()
        subprocess.run([*command, *(["--force"] if force else [])], check=True, capture_output=True, env=env)
        return time.perf_counter() - start

    count = len(rows.read_text().splitlines()) - 1
    one_s = run_command(1, "j1")
    two_s = run_command(2, "ward")
    rate1, rate2 = count / one_s, count / two_s
    results.append(("3. batch, -j1 (whole command)", f"{rate1:.2f} docs/s ({count} sheets)", ""))
    results.append(
        ("   batch, -j2 (whole command)", f"{rate2:.2f} docs/s = {rate2 / rate1:.2f}x -j1", ">= 1.7x")
    )

    # 7 (measured here): peak memory of a worker, from a two-worker run in process.
    manifest = work / "shelf.toml"
    sample = asset_dir("data") / "sample-clinic" / "clinic.toml"
    manifest.write_text(
        f'[batch]\nclinics = ["{sample}"]\nlanguages = "all"\nkinds = "all"\n', encoding="utf-8"
    )
    _seconds, _written, rss = batch_rate(manifest, work / "shelf", 2)

    # 4: the naive way: one weasyprint process per document, on the HTML of
    # the same discharge sheets the batch rendered (its first twelve).
    html_dir = work / "html"
    html_dir.mkdir()
    style = html_dir / "style.css"
    style.write_text("\n".join(sheet_source(options)), encoding="utf-8")
    docs = []
    for job in load_manifest(rows, clinic, content_medication()).jobs[:12]:
        assert job.order is not None
        page_options = PageOptions(LANGUAGES[job.language_tag], job.paper)
        path = html_dir / job.output.replace(".pdf", ".html")
        path.write_text(renderer.discharge_html(job.order, clinic, page_options), encoding="utf-8")
        docs.append(path)
    start = time.perf_counter()
    for path in docs:
        subprocess.run(
            weasyprint_command(style, path, path.with_suffix(".pdf")), check=True, capture_output=True
        )
    naive_rate = len(docs) / (time.perf_counter() - start)
    results.append(("4. naive: one weasyprint process per document", f"{naive_rate:.2f} docs/s", ""))
    results.append(("   batch -j2 vs naive", f"{rate2 / naive_rate:.2f}x", ">= 3x"))

    # 5: a no-change rebuild of the same documents, through the real command.
    rebuild = timed(lambda: run_command(2, "ward", force=False), 3)
    results.append(
        (f"5. no-change rebuild of {count} documents (whole command)", f"{rebuild:.2f} s", "< 2 s")
    )

    # 8 (measured here, on the sheets just written): --merge keeps the tags,
    # which costs more than copying pages; compare it with rendering them.
    merged_parts = [path.read_bytes() for path in sorted((work / "ward").glob("*.pdf"))]
    merge_s = timed(lambda: merge_tagged(merged_parts, "bench"), 3)
    merge_per_doc = merge_s / len(merged_parts)

    # 6: one discharge sheet: the handouts command against weasyprint on its HTML.
    patient = ROOT / "examples" / "patient-tablets.toml"
    sheet_cmd = [
        *handouts_cli(),
        "discharge",
        "--patient",
        str(patient),
        "--lang",
        "en",
        "-o",
        str(work / "s.pdf"),
    ]
    sheet_html = html_dir / "sheet.html"
    sheet_html.write_text(
        renderer.discharge_html(load_patient_file(patient, content_medication()), clinic, options), encoding="utf-8"
    )
    wp_cmd = weasyprint_command(style, sheet_html, work / "w.pdf")
    ours, theirs = side_by_side(
        [
            lambda: subprocess.run(sheet_cmd, check=True, capture_output=True, env=env),
            lambda: subprocess.run(wp_cmd, check=True, capture_output=True),
        ],
        repeat,
    )
    results.append(
        (
            "6. one discharge sheet: handouts vs weasyprint command",
            f"{ours:.2f} s vs {theirs:.2f} s = {ours / theirs:.2f}x",
            "<= 1.3x",
        )
    )

    # 7: peak memory of a worker.
    results.append(("7. peak RSS per worker (-j2 batch)", f"{max(rss) / 1024:.0f} MB", "<= 400 MB"))

    results.append(
        (
            f"8. --merge, tagged, per document ({len(merged_parts)} sheets) vs rendering one",
            f"{merge_per_doc * 1000:.0f} ms/doc = {merge_per_doc / tool_s:.2f}x",
            "<= 0.25x",
        )
    )

    width = max(len(name) for name, _, _ in results)
    print(f"handouts benchmarks, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    for name, figure, target in results:
        print(f"{name.ljust(width)}  {figure:32} {target}")
    shutil.rmtree(work, ignore_errors=True)


def sheet_source(options: PageOptions) -> list[str]:
    """The stylesheets as text, for the weasyprint command line."""
    style = asset_dir("templates") / "style"
    css = (style / "handout.css").read_text(encoding="utf-8")
    css = css.replace("url(../icons/", f"url({style.parent.as_uri()}/icons/")
    return [
        font_face_css(),
        css,
        f"@page {{ size: {options.paper}; }}",
        f"html {{ font-family: {font_family_css(with_fallbacks(options.language.font_stack))}; }}",
    ]


if __name__ == "__main__":
    main()
