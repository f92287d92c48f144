"""Work handed to one background thread, in order: writing a block while the next one is computed.

Parquet encoding and file writes release the GIL, so on a machine with two cores the writing of block k
overlaps the reading and estimating of block k + 1. Errors raised in the thread are raised again in the
caller, at the next hand-over or at the end, so nothing fails unseen.
"""

from __future__ import annotations

import queue
import threading
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Callable, Iterable, Iterator

_POLL = 0.05  # seconds a reading thread waits on a full queue before it looks again whether the consumer stopped


class Behind:
    """Call ``fn(item)`` for each item put, in order, on one thread; at most ``depth`` items wait (two: one being
    written while the next is ready, so memory holds at most three blocks). After an item fails, nothing more is
    done: no later block lands after a hole."""

    def __init__(self, fn: Callable[[Any], Any], depth: int = 2) -> None:
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


def ahead(items: Iterable[Any], depth: int = 2) -> Iterator[Any]:
    """Yield what ``items`` yields, read ``depth`` items ahead on a background thread (for readers that release
    the GIL, such as pyarrow's batch reader). An error while reading is raised here, in order. When the
    consumer stops early, the thread stops at its next item."""
    q: queue.Queue[Any] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def hand(entry: tuple[bool, Any]) -> bool:
        while not stop.is_set():
            try:
                q.put(entry, timeout=_POLL)
                return True
            except queue.Full:
                pass
        return False

    def read() -> None:
        try:
            for item in items:
                if not hand((True, item)):
                    return
        except BaseException as exc:  # noqa: BLE001 - raised again in the consumer
            hand((False, exc))
            return
        hand((False, None))

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    try:
        while True:
            ok, item = q.get()
            if ok:
                yield item
            elif item is None:
                return
            else:
                raise item
    finally:
        # the thread ends at its next hand-over; wait for it, so that it is not still reading (holding the input
        # file's lock) when the interpreter shuts down
        stop.set()
        thread.join()
