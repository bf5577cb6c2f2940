"""Benchmarks for `handouts serve`, side by side in one run, loopback only.

    python bench/serve.py            # about three minutes on two cores
    python bench/serve.py --quick    # shorter, for a smoke run

1. one sheet at concurrency 1 through the server (p50, p95) vs the in-process render median
2. throughput at concurrency 4 through the server vs `handouts batch -j2` on the same sheets
3. a packet (sheet + two handouts, from the handout cache) vs the sheet alone, in process
4. load: 4 and 16 clients for a fixed time; only correct PDFs or 503s; RSS after warm-up and at the end
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from handouts.application import content_medication
from handouts.clinic import load_sample_profile
from handouts.handout_cache import HandoutCache, render_packet
from handouts.localization import LANGUAGES
from handouts.order import Source, Style, build_order
from handouts.page import PageOptions
from handouts.rendering import Renderer

ROOT = Path(__file__).resolve().parent.parent
HEADER = "id,name,discharge_date,prescriber,form,strengths_mg,split_tablets,daily_mg,doses_per_day,start,step_mg,every_days"


def order(n: int) -> dict[str, dict[str, object]]:
    daily = [30, 25, 20, 40][n % 4]
    return {
        "patient": {"name": f"Pat Example {n}"},
        "discharge": {"date": "2026-12-01", "prescriber": "Dr. A. Chen"},
        "medication": {
            "form": "tablet",
            "strengths_mg": [10, 5],
            "split_tablets": True,
            "daily_mg": daily,
            "doses_per_day": 3,
        },
        "taper": {"start": "2026-12-02", "step_mg": 5, "every_days": 7},
    }


def csv_row(n: int) -> str:
    data = order(n)
    med = data["medication"]
    return f's{n},Pat Example {n},2026-12-01,Dr. A. Chen,tablet,"10,5",yes,{med["daily_mg"]},3,2026-12-02,5,7'


class Server:
    def __init__(self, workers: int, queue: int) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.process = subprocess.Popen(
            [sys.executable, "-m", "handouts", "serve", "--port", str(self.port), "--workers", str(workers),
             "--queue", str(queue)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=tempfile.mkdtemp(),
        )  # fmt: skip
        for _ in range(600):
            try:
                if self.get("/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.1)
        raise SystemExit("the server did not start")

    def get(self, path: str) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()

    def post(self, n: int) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        connection.request(
            "POST",
            "/api/v1/discharge",
            body=json.dumps(order(n)),
            headers={"content-type": "application/json"},
        )
        response = connection.getresponse()
        return response.status, response.read()

    def rss_mib(self) -> float:
        """The server and its render workers together."""
        pids = [self.process.pid]
        # Workers are started from a helper thread: read every thread's children.
        for children in Path(f"/proc/{self.process.pid}/task").glob("*/children"):
            pids += [int(pid) for pid in children.read_text().split()]
        total = 0
        for pid in pids:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        return total / 1024

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(20)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def concurrent(server: Server, clients: int, count: int) -> float:
    """Sheets a second with `clients` at once, `count` sheets in all."""
    todo = list(range(count))
    lock = threading.Lock()

    def client() -> None:
        while True:
            with lock:
                if not todo:
                    return
                n = todo.pop()
            status, body = server.post(n)
            assert status == 200 and body.startswith(b"%PDF-"), status

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return count / (time.perf_counter() - started)


def load(server: Server, clients: int, seconds: float) -> dict[str, float]:
    counts = {"pdf": 0, "503": 0, "other": 0}
    latencies: list[float] = []
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client(k: int) -> None:
        n = k
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            status, body = server.post(n)
            took = time.perf_counter() - started
            good = status == 200 and body.startswith(b"%PDF-") and body.rstrip().endswith(b"%%EOF")
            with lock:
                key = "pdf" if good else "503" if status == 503 else "other"
                counts[key] += 1
                if good:
                    latencies.append(took)
            if status == 503:
                time.sleep(0.2)  # what Retry-After asks, shortened
            n += clients

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {**counts, "p95_s": percentile(latencies, 0.95) if latencies else 0.0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    quick = parser.parse_args().quick
    repeats, sheets, seconds = (6, 12, 8.0) if quick else (20, 40, 30.0)
    medication = content_medication()
    clinic = load_sample_profile()
    options = PageOptions(LANGUAGES["en"], "letter", False)
    renderer = Renderer()
    orders = [build_order(order(n), Source("bench", Style.JSON), medication) for n in range(repeats)]

    # 1. concurrency 1: the server's warm worker vs the same render in process
    server = Server(workers=2, queue=8)
    try:
        renderer.render_discharge(orders[0], clinic, options)
        for n in range(4):  # every worker has printed a sheet
            server.post(n)
        in_process, served = [], []
        for n in range(repeats):  # ABAB: a busy moment on the shared machine hits both
            started = time.perf_counter()
            renderer.render_discharge(orders[n], clinic, options)
            in_process.append(time.perf_counter() - started)
            started = time.perf_counter()
            status, _body = server.post(n)
            served.append(time.perf_counter() - started)
            assert status == 200
        median = statistics.median(in_process)
        p50, p95 = percentile(served, 0.5), percentile(served, 0.95)
        print(
            f"1. one sheet, concurrency 1: in process median {median * 1000:.0f} ms; served p50 {p50 * 1000:.0f} ms "
            f"= {p50 / median:.2f}x, p95 {p95 * 1000:.0f} ms = {p95 / median:.2f}x (target <= 1.2x)"
        )

        # 2. concurrency 4 vs batch -j2, the same sheets
        rate = concurrent(server, 4, sheets)
        with tempfile.TemporaryDirectory() as folder:
            manifest = Path(folder) / "sheets.csv"
            manifest.write_text(
                "\n".join([HEADER, *(csv_row(n) for n in range(sheets))]) + "\n", encoding="utf-8"
            )
            started = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "handouts", "batch", str(manifest), "-o", str(Path(folder) / "out"), "-j", "2"],
                check=True, capture_output=True,
            )  # fmt: skip
            batch_rate = sheets / (time.perf_counter() - started)
        print(
            f"2. {sheets} sheets: served at concurrency 4 {rate:.2f}/s; batch -j2 {batch_rate:.2f}/s "
            f"= {rate / batch_rate:.2f}x (target >= 0.9x)"
        )

        # 4. load, bounded: only PDFs or 503s; memory flat after warm-up
        for clients in (4, 16):
            warm = server.rss_mib()
            result = load(server, clients, seconds)
            print(
                f"4. {clients} clients for {seconds:.0f} s: {result['pdf']:.0f} PDFs, {result['503']:.0f} 503s, "
                f"{result['other']:.0f} other; p95 {result['p95_s']:.2f} s; RSS {warm:.0f} MiB after warm-up, "
                f"{server.rss_mib():.0f} MiB at the end"
            )
    finally:
        server.stop()

    # 3. a packet vs the sheet alone (the cache holds the handouts after the first packet)
    cache = HandoutCache()
    include = ("tapering", "warning-signs")
    render_packet(renderer, orders[0], clinic, options, include, cache)
    sheet_times, packet_times, uncached = [], [], []
    for n in range(min(repeats, 8)):
        started = time.perf_counter()
        renderer.render_discharge(orders[n], clinic, options)
        sheet_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        render_packet(renderer, orders[n], clinic, options, include, cache)
        packet_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        renderer.render_discharge(orders[n], clinic, options, include=include)
        uncached.append(time.perf_counter() - started)
    sheet = statistics.median(sheet_times)
    print(
        f"3. packet of sheet + 2 handouts: {statistics.median(packet_times) * 1000:.0f} ms = "
        f"{statistics.median(packet_times) / sheet:.2f}x the sheet alone ({sheet * 1000:.0f} ms; target <= 1.25x); "
        f"without the cache {statistics.median(uncached) / sheet:.2f}x"
    )
    print(f"   (pid {os.getpid()}, {os.cpu_count()} CPUs)")


if __name__ == "__main__":
    main()
