"""The discharge sheet before and after the compact calendar, side by side.

    python bench/sheet.py --before PATH   # PATH: a checkout of an earlier commit

Renders the review's long case (80 mg a day in 4 doses, 5 mg less every week:
16 steps) and a 5-week 3-dose taper with each version, alternating A B A B in
separate processes so that a busy moment hits both, and prints pages and
render times (the median of the in-process renders, WeasyPrint already loaded).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES = {
    "16 steps, letter": ("long", ()),
    "16 steps, A4": ("long", ("--paper", "a4")),
    "16 steps, large print": ("long", ("--large-print",)),
    "5 weeks, letter": ("five", ()),
}
PATIENT = """[patient]
name = "Pat Long"
date_of_birth = 1950-02-03
[discharge]
date = 2026-12-01
prescriber = "Dr. A. Chen"
[medication]
form = "tablet"
strengths_mg = [10, 5]
split_tablets = true
daily_mg = {daily}
doses_per_day = {per_day}
[taper]
start = 2026-12-02
step_mg = 5
every_days = 7
"""
# Run in a child process with one version on its path: render each case
# `repeat` times in-process and print pages and seconds as JSON.
CHILD = """
import json, sys, time
from pathlib import Path
from handouts.cli import main
from pypdf import PdfReader
folder, repeat = Path(sys.argv[1]), int(sys.argv[2])
cases = json.loads(sys.argv[3])
out = {}
for name, (patient, options) in cases.items():
    times = []
    for _ in range(repeat):
        target = folder / "sheet.pdf"
        start = time.perf_counter()
        try:
            main(["discharge", "--patient", str(folder / (patient + ".toml")), "--lang", "en",
                  "-o", str(target), *options])
        except SystemExit as done:
            assert not done.code, done.code
        times.append(time.perf_counter() - start)
    out[name] = [len(PdfReader(target).pages), times]
print(json.dumps(out))
"""


def run(tree: Path, folder: Path, repeat: int) -> dict[str, list[object]]:
    environment = {**os.environ, "PYTHONPATH": str(tree)}
    completed = subprocess.run(
        [sys.executable, "-c", CHILD, str(folder), str(repeat), json.dumps(CASES)],
        env=environment, capture_output=True, text=True, check=True, cwd=folder,
    )  # fmt: skip
    return json.loads(completed.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--before", type=Path, required=True, help="a checkout of the earlier version")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=2)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        (folder / "long.toml").write_text(PATIENT.format(daily=80, per_day=4), encoding="utf-8")
        (folder / "five.toml").write_text(PATIENT.format(daily=30, per_day=3), encoding="utf-8")
        results: dict[str, dict[str, list[float]]] = {"before": {}, "after": {}}
        pages: dict[str, dict[str, int]] = {"before": {}, "after": {}}
        for _round in range(arguments.rounds):
            for label, tree in (("before", arguments.before), ("after", ROOT)):
                for case, (count, times) in run(tree, folder, arguments.repeat).items():
                    pages[label][case] = int(count)  # type: ignore[call-overload]
                    results[label].setdefault(case, []).extend(times)  # type: ignore[arg-type]
    print(f"{'case':24} {'pages before':>12} {'pages after':>12} {'s before':>9} {'s after':>8} {'ratio':>6}")
    for case in CASES:
        before = statistics.median(results["before"][case])
        after = statistics.median(results["after"][case])
        print(
            f"{case:24} {pages['before'][case]:12} {pages['after'][case]:12} "
            f"{before:9.2f} {after:8.2f} {after / before:6.2f}"
        )


if __name__ == "__main__":
    main()
