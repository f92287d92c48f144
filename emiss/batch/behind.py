"""Work handed to one background thread, in order: writing a block while the next one is computed.

Parquet encoding and file writes release the GIL, so on a machine with two cores the writing of block k
overlaps the reading and estimating of block k + 1. Errors raised in the thread are raised again in the
caller, at the next hand-over or at the end, so nothing fails unseen.
"""

from __future__ import annotations

import queue
import threading
from typing import Any, Callable, Iterable, Iterator

_END = object()
_POLL = 0.05  # seconds a reading thread waits on a full queue before it looks again whether the consumer stopped


class Behind:
    """Call ``fn(item)`` for each item put, in order, on one thread; at most ``depth`` items wait (two: one being
    written while the next is ready, so memory holds at most three blocks)."""

    def __init__(self, fn: Callable[[Any], Any], depth: int = 2) -> None:
        self._fn = fn
        self._q: queue.Queue[Any] = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None  # raised once in the caller
        self._failed = False  # and this stays set
        self._thread = threading.Thread(target=self._work, daemon=True)
        self._thread.start()

    def _work(self) -> None:
        while True:
            item = self._q.get()
            if item is _END:
                return
            if not self._failed:  # after a failure nothing more is done: no later block lands after a hole
                try:
                    self._fn(item)
                except BaseException as exc:  # noqa: BLE001 - raised again in the caller
                    self._error = exc
                    self._failed = True

    def put(self, item: Any) -> None:
        """Hand ``item`` over (waits while ``depth`` items wait); raise an error an earlier item raised."""
        self.check()
        self._q.put(item)

    @property
    def failed(self) -> bool:
        """Whether an item handed over raised (nothing after it was done)."""
        return self._failed

    def check(self) -> None:
        """Raise the error an item handed over raised, if one did (the caller can stop at once)."""
        self._raise()

    def close(self, raise_errors: bool = True) -> None:
        """Wait for every item handed over to be done; raise the first error one raised (unless the caller is
        already failing with an error of its own, which is then the one to report)."""
        self._q.put(_END)
        self._thread.join()
        if raise_errors:
            self._raise()

    def _raise(self) -> None:
        if self._error is not None:
            exc, self._error = self._error, None
            raise exc


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
