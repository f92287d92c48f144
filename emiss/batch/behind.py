"""Work on one background thread, in order: writing a block while the next one is computed (Behind), and reading
the input ahead of the estimate (Ahead).

Parquet encoding and file writes release the GIL, so on a machine with two cores the writing of block k
overlaps the reading and estimating of block k + 1; so does reading from a pipe, or pyarrow's decoding of the next
batch. Errors raised in the thread are raised again in the caller, in order, so nothing fails unseen.
"""

from __future__ import annotations

import threading
from collections import deque
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

if TYPE_CHECKING:
    from concurrent.futures import Future

_END = object()  # the last item of a reading thread (the error that ended it, if one did, is Ahead._error)


class Behind:
    """Call ``fn(item)`` for each item put, in order, on one thread; at most ``depth`` items wait (two: one being
    written while the next is ready, so memory holds at most three blocks). After an item fails, nothing more is
    done: no later block lands after a hole."""

    def __init__(self, fn: Callable[[Any], Any], depth: int = 2) -> None:
        from concurrent.futures import ThreadPoolExecutor  # (only Parquet output writes behind: not imported for the others)

        self._fn = fn
        self._depth = depth
        self._pool = ThreadPoolExecutor(1)
        self._futures: deque[Future[Any]] = deque()
        self.failed = False

    def _call(self, item: Any) -> None:
        if not self.failed:
            try:
                self._fn(item)
            except BaseException:
                self.failed = True
                raise

    def put(self, item: Any) -> None:
        """Hand ``item`` over (waits while ``depth`` items wait); raise an error an earlier item raised."""
        self.check()
        while len(self._futures) >= self._depth:
            self._futures.popleft().result()
        self._futures.append(self._pool.submit(self._call, item))

    def check(self) -> None:
        """Raise the error an item handed over raised, if one did (the caller can stop at once)."""
        while self._futures and self._futures[0].done():
            self._futures.popleft().result()

    def close(self, raise_errors: bool = True) -> None:
        """Wait for every item handed over to be done; raise the first error one raised (unless the caller is
        already failing with an error of its own, which is then the one to report)."""
        try:
            while self._futures:
                future = self._futures.popleft()
                future.result() if raise_errors else future.exception()
        finally:
            self._pool.shutdown()


class Ahead:
    """Read ``items`` on a background thread while the consumer works, at most ``limit`` of them (each counted as
    ``size`` says, one by default) arrived and not yet taken: memory stays flat.

    runs() yields runs of items: a run is what has arrived, taken as it comes, and ends when the consumer would
    have to wait for more. So a consumer that finishes its work at the end of each run (the engine: a block of what
    it holds) handles a slow producer's items as they come, and a fast one's in whole blocks. An error while
    reading ends the run, after the items read before it, and is raised by runs() next."""

    def __init__(self, items: Iterable[Any], limit: int, size: Callable[[Any], int] = lambda item: 1) -> None:
        self._lock = threading.Lock()
        self._cond = threading.Condition(self._lock)
        self._arrived: deque[Any] = deque()
        self._held = 0  # the size of what has arrived and is not taken
        self._stopped = self._ended = False
        self._error: BaseException | None = None
        self.thread = threading.Thread(target=self._read, args=(items, limit, size), daemon=True)
        self.thread.start()

    def _read(self, items: Iterable[Any], limit: int, size: Callable[[Any], int]) -> None:
        lock, cond, arrived = self._lock, self._cond, self._arrived
        try:
            for item in items:
                n = size(item)
                with lock:  # the condition's lock, taken without its Python-level wrapper
                    while self._held >= limit and not self._stopped:
                        cond.wait()
                    if self._stopped:
                        return
                    if not arrived:
                        cond.notify()  # the consumer may be waiting
                    arrived.append(item)
                    self._held += n
        except BaseException as exc:  # noqa: BLE001 - raised again in the consumer
            self._error = exc
        with cond:
            arrived.append(_END)
            cond.notify()

    def runs(self) -> Iterator[Iterator[Any]]:
        """Yield the runs of items (each to be read to its end before the next is asked for)."""
        while not self._ended:
            yield self._run()
        if self._error is not None:
            raise self._error

    def _run(self) -> Iterator[Any]:
        with self._cond:
            while not self._arrived:
                self._cond.wait()
        while True:
            with self._cond:
                if not self._arrived:
                    return
                taken, self._held = list(self._arrived), 0
                self._arrived.clear()
                self._cond.notify()
            for item in taken:
                if item is _END:
                    self._ended = True
                    return
                yield item

    def stop(self, wait: float | None = None) -> None:
        """Tell the thread to stop at its next item, and wait for it to end (at most ``wait`` seconds; a thread waiting
        on its producer cannot end before the producer gives it something)."""
        with self._cond:
            self._stopped = True
            self._cond.notify()
        self.thread.join(wait)


def ahead(items: Iterable[Any], depth: int = 2) -> Iterator[Any]:
    """Yield what ``items`` yields, read up to ``depth`` items ahead on a background thread (for readers that release
    the GIL, such as pyarrow's batch reader). An error while reading is raised here, in order. When the consumer
    stops early, the thread is stopped and waited for, so that it is not still reading (holding the input file's
    lock) when the interpreter shuts down."""
    reader = Ahead(items, depth)
    try:
        for run in reader.runs():
            yield from run
    finally:
        reader.stop()
