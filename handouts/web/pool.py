"""A bounded pool of warm render workers for `handouts serve`.

Each worker is a process that imports WeasyPrint and builds its Renderer
(fonts, stylesheets, templates) once, then prints job after job: a request
never pays for the import or the font setup. The pool holds at most
`workers + queue` requests; one more is refused at once (the web app answers
503 with Retry-After) rather than waiting in an unbounded backlog. A worker
that dies mid-job (killed, out of memory) is replaced, and the request it was
printing gets a clear error instead of a hang.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import TYPE_CHECKING

from handouts.clinic import ClinicProfile
from handouts.errors import HandoutsError, RenderError
from handouts.order import DischargeOrder
from handouts.page import PageOptions

if TYPE_CHECKING:
    from handouts.rendering import Renderer

START_SECONDS = 60.0  # importing WeasyPrint and building the fonts, on a busy machine
JOB_SECONDS = 120.0  # a sheet takes about half a second; a stuck worker is replaced

INTERNAL = (
    "internal error while printing (a bug in handouts; details are not shown, as they may hold patient data)"
)


@dataclass(frozen=True)
class PacketJob:
    """A discharge sheet and the handouts to follow it."""

    order: DischargeOrder
    clinic: ClinicProfile
    options: PageOptions
    include: tuple[str, ...] = ()


@dataclass(frozen=True)
class HandoutsJob:
    """Handouts alone, one after the other in one PDF."""

    kinds: tuple[str, ...]
    clinic: ClinicProfile
    options: PageOptions


Job = PacketJob | HandoutsJob


@dataclass(frozen=True)
class Printed:
    data: bytes
    pages: int


class PoolBusy(Exception):
    """Every worker is printing and the queue is full."""


class WorkerLost(HandoutsError):
    """The worker printing this request stopped (killed or out of memory)."""


def run_job(renderer: Renderer, job: Job) -> Printed:
    from handouts.handout_cache import render_handouts, render_packet

    if isinstance(job, PacketJob):
        pdf = render_packet(renderer, job.order, job.clinic, job.options, job.include)
    else:
        pdf = render_handouts(renderer, job.kinds, job.clinic, job.options)
    return Printed(pdf.data, pdf.pages)


def _worker(connection: Connection, parent: int) -> None:
    """In the worker process: build the Renderer once, then answer jobs until told to stop."""
    from handouts.processes import exit_with_parent
    from handouts.temporary_folder import remove_own

    exit_with_parent(parent, remove_own)
    from handouts.rendering import Renderer

    try:
        warm = Renderer()
        _warm_up(warm)
        renderer: Renderer | HandoutsError = warm
    except HandoutsError as problem:
        renderer = problem
    connection.send("ready")
    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        try:
            if isinstance(renderer, HandoutsError):
                raise renderer
            reply: tuple[str, object] = ("ok", run_job(renderer, job))
        except HandoutsError as problem:
            reply = ("problem", (problem.what, problem.where, problem.fix))
        except Exception:  # the message could hold a patient value: not passed on
            reply = ("problem", (INTERNAL, None, None))
        connection.send(reply)


def _warm_up(renderer: Renderer) -> None:
    """Lay out one page before the first request: Pango and the fonts fill their
    caches on first use, which would otherwise land on a nurse's first print."""
    from handouts.clinic import load_sample_profile
    from handouts.content import handout_kinds
    from handouts.localization import LANGUAGES, SOURCE_LANGUAGE

    renderer.render(handout_kinds()[0], load_sample_profile(), PageOptions(LANGUAGES[SOURCE_LANGUAGE]))


@dataclass
class _Worker:
    process: BaseProcess
    connection: Connection


class RenderPool:
    def __init__(self, workers: int = 2, queue: int = 8) -> None:
        if workers < 1 or queue < 0:
            raise ValueError("a pool needs at least one worker and a queue of 0 or more")
        self.size = workers
        self.limit = workers + queue
        self._context = multiprocessing.get_context("spawn")  # a fresh interpreter: no inherited state
        self._idle: asyncio.Queue[_Worker] | None = None
        self._all: list[_Worker] = []
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self.in_flight = 0
        self.replaced = 0

    def start(self) -> None:
        """Start every worker and wait until each has its Renderer (blocking)."""
        self._idle = asyncio.Queue()
        for worker in self._start_many(self.size):
            self._idle.put_nowait(worker)

    def _start_many(self, count: int) -> list[_Worker]:
        started = []
        for _ in range(count):
            mine, theirs = self._context.Pipe()
            process = self._context.Process(target=_worker, args=(theirs, os.getpid()), daemon=True)
            process.start()
            theirs.close()
            started.append(_Worker(process, mine))
        for worker in started:
            if not worker.connection.poll(START_SECONDS) or worker.connection.recv() != "ready":
                raise RenderError("a render worker did not start", fix="check the free memory and disk space")
        with self._lock:
            self._all.extend(started)
        return started

    def pids(self) -> list[int]:
        with self._lock:
            return [worker.process.pid for worker in self._all if worker.process.pid is not None]

    async def run(self, job: Job) -> Printed:
        """Print one job on an idle worker; PoolBusy at once when the pool is full."""
        assert self._idle is not None, "start() first"
        if self.in_flight >= self.limit:
            raise PoolBusy
        self.in_flight += 1
        try:
            worker = await self._idle.get()
            loop = self._loop = asyncio.get_running_loop()
            try:
                reply = await loop.run_in_executor(None, self._exchange, worker, job)
            except WorkerLost:
                loop.run_in_executor(None, self._replace, worker)
                raise
            self._idle.put_nowait(worker)
        finally:
            self.in_flight -= 1
        status, value = reply
        if status == "ok":
            assert isinstance(value, Printed)
            return value
        assert isinstance(value, tuple)
        what, where, fix = value
        raise HandoutsError(str(what), where=where, fix=fix)

    def _exchange(self, worker: _Worker, job: Job) -> tuple[str, object]:
        try:
            worker.connection.send(job)
            if not worker.connection.poll(JOB_SECONDS):
                raise EOFError
            reply: tuple[str, object] = worker.connection.recv()
            return reply
        except (EOFError, OSError, BrokenPipeError):
            raise WorkerLost(
                "the render worker printing this request stopped before it finished",
                fix="print it again; if it keeps happening, tell IT (the ward PC may be short of memory)",
            ) from None

    def _replace(self, lost: _Worker) -> None:
        with contextlib.suppress(Exception):
            lost.process.kill()
        lost.process.join(5)
        lost.connection.close()
        with self._lock:
            if lost in self._all:
                self._all.remove(lost)
        try:
            (worker,) = self._start_many(1)
        except HandoutsError:
            return  # the pool runs one short; healthz shows it
        self.replaced += 1
        idle, loop = self._idle, self._loop
        assert idle is not None and loop is not None
        # Called from a thread: hand the new worker to the event loop's queue safely.
        loop.call_soon_threadsafe(idle.put_nowait, worker)

    def alive(self) -> int:
        with self._lock:
            return sum(1 for worker in self._all if worker.process.is_alive())

    def stop(self) -> None:
        with self._lock:
            workers, self._all = list(self._all), []
        for worker in workers:
            with contextlib.suppress(Exception):
                worker.connection.send(None)
        for worker in workers:
            worker.process.join(5)
            if worker.process.is_alive():
                worker.process.kill()
            worker.connection.close()
