"""Editions rendered in worker processes, each with a time and a memory limit.

Each worker imports WeasyPrint once and keeps its fonts, image cache and catalogs for every
edition it renders. The parent hands out one job at a time over each worker's own pipe, so it
always knows which job a worker holds: a worker that runs out of time or memory, or dies, fails
only that job, and a fresh worker takes its place. Results come back by index, so the caller can
report them in a stable order whatever the finishing order.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import resource
import signal
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import wait

DEFAULT_TIME_LIMIT = 120  # seconds per edition; a two-page leaflet takes well under one
DEFAULT_MEMORY_LIMIT = 2 * 1024**3  # bytes of address space per worker


class EditionTimeout(BaseException):
    """Raised in a worker when an edition takes too long (BaseException: WeasyPrint catches Exception)."""


@dataclass(frozen=True)
class Limits:
    seconds: int = DEFAULT_TIME_LIMIT
    memory: int = DEFAULT_MEMORY_LIMIT


@dataclass
class _Worker:
    process: object
    connection: object
    job: int | None = None  # the index it is working on


def run_in_workers(
    workers: int,
    tasks: Sequence[object],
    make_builder: Callable[[], Callable[[object], object]],
    failure: Callable[[object, str], object],
    on_result: Callable[[int, object], None],
    limits: Limits = Limits(),
) -> None:
    """Run `builder(task)` for every task in up to `workers` processes; call on_result(index, result).

    `make_builder` runs once in each worker and returns the function that builds one task;
    `failure(task, message)` makes the result for a task whose worker hit a limit or died.
    Whatever happens to the caller (an exception, Ctrl-C), no worker outlives the call.
    """
    pool = _Pool(tasks, make_builder, failure, on_result, limits)
    try:
        pool.run(workers)
    finally:
        pool.stop()


class _Pool:
    def __init__(self, tasks, make_builder, failure, on_result, limits: Limits):
        self.tasks, self.make_builder, self.failure, self.on_result, self.limits = tasks, make_builder, failure, on_result, limits
        self.context = multiprocessing.get_context("fork")
        self.pending = list(range(len(tasks)))[::-1]  # pop() hands out tasks in the given order
        self.running: list[_Worker] = []

    def run(self, workers: int) -> None:
        for _ in range(min(workers, len(self.tasks))):
            self.start_worker()
        while any(worker.job is not None for worker in self.running):
            busy = [worker.connection for worker in self.running if worker.job is not None]
            for connection in wait(busy, timeout=1):
                self.receive(next(worker for worker in self.running if worker.connection is connection))
        for worker in self.running:
            worker.connection.send(None)

    def start_worker(self) -> None:
        parent_end, child_end = self.context.Pipe()
        arguments = (self.tasks, self.make_builder, child_end, self.limits, os.getpid())
        process = self.context.Process(target=_worker, args=arguments, daemon=True)
        process.start()
        child_end.close()
        self.running.append(_Worker(process, parent_end))
        self.hand_out(self.running[-1])

    def hand_out(self, worker: _Worker) -> None:
        if self.pending:
            worker.job = self.pending.pop()
            worker.connection.send(worker.job)

    def receive(self, worker: _Worker) -> None:
        try:
            kind, index, payload = worker.connection.recv()
        except (EOFError, OSError):  # the worker died: its task fails, a new worker carries on
            worker.process.join()
            message = _death_message(worker.process.exitcode, self.limits)
            self.on_result(worker.job, self.failure(self.tasks[worker.job], message))
            self.replace(worker)
            return
        self.on_result(index, payload if kind == "done" else self.failure(self.tasks[index], payload))
        worker.job = None
        if kind == "fail":  # after a limit its state cannot be trusted: replace it
            self.replace(worker)
        else:
            self.hand_out(worker)

    def replace(self, worker: _Worker) -> None:
        worker.job = None
        _retire(self.running, worker)
        if self.pending:
            self.start_worker()

    def stop(self) -> None:
        """Every worker ends with the run: those still busy (the run was interrupted) are asked to
        stop (SIGTERM: they remove their temporary files on the way out), and killed if they do not."""
        for worker in self.running:
            if worker.job is not None and worker.process.is_alive():
                os.kill(worker.process.pid, signal.SIGTERM)
        for worker in self.running:
            worker.process.join(timeout=5)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()


def _retire(running: list[_Worker], worker: _Worker) -> None:
    running.remove(worker)
    worker.connection.close()
    worker.process.join(timeout=5)
    if worker.process.is_alive():
        worker.process.kill()


def _worker(tasks, make_builder, connection, limits: Limits, parent: int) -> None:
    _end_with_parent(parent)
    # What the worker inherited from the parent lives as long as it does: frozen, it is left out of
    # every collection (the builder collects after each edition) and its pages stay shared.
    gc.freeze()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the parent, which stops the workers
    signal.signal(signal.SIGTERM, _exit_cleanly)
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory, limits.memory))
    signal.signal(signal.SIGALRM, _raise_timeout)
    builder = make_builder()
    while True:
        try:
            index = connection.recv()
        except (EOFError, OSError):  # the parent is gone
            return
        if index is None:
            return
        signal.alarm(limits.seconds)
        try:
            connection.send(("done", index, builder(tasks[index])))
            continue
        except EditionTimeout:
            message = f"took longer than {limits.seconds} s and was stopped"
        except MemoryError:
            message = f"needed more than {limits.memory // 1024**2} MB of memory and was stopped"
        finally:
            signal.alarm(0)
        connection.send(("fail", index, message))
        return


def _raise_timeout(signum, frame):
    raise EditionTimeout()


def _exit_cleanly(signum, frame):
    raise SystemExit(128 + signum)  # unwinds: temporary files are removed on the way out


def _end_with_parent(parent: int) -> None:
    """A worker must never outlive the build: the kernel sends it SIGTERM when the parent dies
    (Linux PR_SET_PDEATHSIG), even when the parent is killed with SIGKILL."""
    PR_SET_PDEATHSIG = 1
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):
        pass  # not Linux: the pipe closing still ends the worker at its next task
    if os.getppid() != parent:  # the parent died before the request was made
        raise SystemExit(0)


def _death_message(exitcode: int | None, limits: Limits) -> str:
    if exitcode is not None and exitcode < 0:
        name = signal.Signals(-exitcode).name
        return f"the renderer was killed by {name} (limits: {limits.seconds} s, {limits.memory // 1024**2} MB)"
    return f"the renderer stopped unexpectedly (exit code {exitcode})"
