"""Editions rendered in worker processes, each with a time and a memory limit.

Each worker imports WeasyPrint once and keeps its fonts, image cache and catalogs for every
edition it renders. The parent hands out one job at a time over each worker's own pipe, so it
always knows which job a worker holds: a worker that runs out of time or memory, or dies, fails
only that job, and a fresh worker takes its place. Results come back by index, so the caller can
report them in a stable order whatever the finishing order.
"""

from __future__ import annotations

import multiprocessing
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
    """
    context = multiprocessing.get_context("fork")
    pending = list(range(len(tasks)))[::-1]  # pop() hands out tasks in the given order
    running: list[_Worker] = []

    def start_worker() -> None:
        parent_end, child_end = context.Pipe()
        process = context.Process(target=_worker, args=(tasks, make_builder, child_end, limits), daemon=True)
        process.start()
        child_end.close()
        running.append(_Worker(process, parent_end))

    def hand_out(worker: _Worker) -> None:
        worker.job = pending.pop()
        worker.connection.send(worker.job)

    for _ in range(min(workers, len(tasks))):
        start_worker()
    for worker in list(running):
        hand_out(worker)
    while any(worker.job is not None for worker in running):
        for connection in wait([worker.connection for worker in running if worker.job is not None], timeout=1):
            worker = next(w for w in running if w.connection is connection)
            try:
                kind, index, payload = connection.recv()
            except (EOFError, OSError):  # the worker died: its job fails, a new worker carries on
                worker.process.join()
                on_result(worker.job, failure(tasks[worker.job], _death_message(worker.process.exitcode, limits)))
                _retire(running, worker)
                if pending:
                    start_worker()
                    hand_out(running[-1])
                continue
            on_result(index, payload if kind == "done" else failure(tasks[index], payload))
            worker.job = None
            if kind == "fail":  # after a limit its state cannot be trusted: replace it
                _retire(running, worker)
                if pending:
                    start_worker()
                    hand_out(running[-1])
            elif pending:
                hand_out(worker)
    for worker in running:
        worker.connection.send(None)
        worker.process.join(timeout=5)
        if worker.process.is_alive():
            worker.process.kill()


def _retire(running: list[_Worker], worker: _Worker) -> None:
    running.remove(worker)
    worker.connection.close()
    worker.process.join(timeout=5)
    if worker.process.is_alive():
        worker.process.kill()


def _worker(tasks, make_builder, connection, limits: Limits) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory, limits.memory))
    signal.signal(signal.SIGALRM, _raise_timeout)
    builder = make_builder()
    while True:
        index = connection.recv()
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


def _death_message(exitcode: int | None, limits: Limits) -> str:
    if exitcode is not None and exitcode < 0:
        name = signal.Signals(-exitcode).name
        return f"the renderer was killed by {name} (limits: {limits.seconds} s, {limits.memory // 1024**2} MB)"
    return f"the renderer stopped unexpectedly (exit code {exitcode})"
