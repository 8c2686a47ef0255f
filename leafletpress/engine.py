"""Editions rendered in worker processes, each with a time and a memory limit.

Each worker imports WeasyPrint once and keeps its fonts, image cache and catalogs for every
edition it renders. A worker that runs out of time or memory, or dies, fails only the edition it
was rendering; a fresh worker takes its place. Results come back by index so the caller can
report them in a stable order whatever the finishing order.
"""

from __future__ import annotations

import multiprocessing
import queue
import resource
import signal
from collections.abc import Callable, Sequence
from dataclasses import dataclass

DEFAULT_TIME_LIMIT = 120  # seconds per edition; a two-page leaflet takes well under one
DEFAULT_MEMORY_LIMIT = 2 * 1024**3  # bytes of address space per worker


class EditionTimeout(BaseException):
    """Raised in a worker when an edition takes too long (BaseException: WeasyPrint catches Exception)."""


@dataclass(frozen=True)
class Limits:
    seconds: int = DEFAULT_TIME_LIMIT
    memory: int = DEFAULT_MEMORY_LIMIT


def run_in_workers(
    count: int,
    jobs: Sequence[object],
    make_builder: Callable[[], Callable[[object], object]],
    failure: Callable[[object, str], object],
    on_result: Callable[[int, object], None],
    limits: Limits = Limits(),
) -> None:
    """Run `builder(job)` for every job in `count` worker processes; call on_result(index, result).

    `make_builder` runs once in each worker and returns the function that builds one job;
    `failure(job, message)` makes the result for a job whose worker failed.
    """
    context = multiprocessing.get_context("fork")
    tasks, results = context.Queue(), context.Queue()
    for index in range(len(jobs)):
        tasks.put(index)
    workers: dict[int, object] = {}
    in_progress: dict[int, int] = {}  # worker pid -> job index
    remaining = set(range(len(jobs)))

    def start_worker():
        process = context.Process(target=_worker, args=(jobs, make_builder, tasks, results, limits), daemon=True)
        process.start()
        workers[process.pid] = process

    for _ in range(min(count, len(jobs))):
        start_worker()
    while remaining:
        for kind, pid, index, payload in _messages(results):
            if kind == "start":
                in_progress[pid] = index
                continue
            in_progress.pop(pid, None)
            if index in remaining:
                remaining.discard(index)
                on_result(index, payload if kind == "done" else failure(jobs[index], payload))
        for pid, process in list(workers.items()):
            if process.is_alive():
                continue
            workers.pop(pid)
            index = in_progress.pop(pid, None)
            if index is not None and index in remaining:
                remaining.discard(index)
                on_result(index, failure(jobs[index], _death_message(process.exitcode, limits)))
            if remaining - set(in_progress.values()):
                start_worker()
    for _ in workers:
        tasks.put(None)
    for process in workers.values():
        process.join(timeout=5)
        if process.is_alive():
            process.kill()


def _messages(results) -> list[tuple]:
    """Every message waiting, after waiting up to half a second for the first."""
    try:
        found = [results.get(timeout=0.5)]
    except queue.Empty:
        return []
    while True:
        try:
            found.append(results.get_nowait())
        except queue.Empty:
            return found


def _worker(jobs, make_builder, tasks, results, limits: Limits) -> None:
    import os

    pid = os.getpid()
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory, limits.memory))
    signal.signal(signal.SIGALRM, _raise_timeout)
    builder = make_builder()
    while True:
        index = tasks.get()
        if index is None:
            return
        results.put(("start", pid, index, None))
        signal.alarm(limits.seconds)
        try:
            results.put(("done", pid, index, builder(jobs[index])))
            continue
        except EditionTimeout:
            message = f"took longer than {limits.seconds} s and was stopped"
        except MemoryError:
            message = f"needed more than {limits.memory // 1024**2} MB of memory and was stopped"
        finally:
            signal.alarm(0)
        # After a limit the worker's state cannot be trusted: report, then make way for a fresh one.
        results.put(("fail", pid, index, message))
        return


def _raise_timeout(signum, frame):
    raise EditionTimeout()


def _death_message(exitcode: int | None, limits: Limits) -> str:
    if exitcode is not None and exitcode < 0:
        name = signal.Signals(-exitcode).name
        return f"the renderer was killed by {name} (limits: {limits.seconds} s, {limits.memory // 1024**2} MB)"
    return f"the renderer stopped unexpectedly (exit code {exitcode})"
