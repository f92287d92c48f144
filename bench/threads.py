"""How well this machine runs two threads of numpy work at once: in-cache arithmetic, fresh memory, warm memory.

Run:  python bench/threads.py
Last, what fresh memory costs just after the same amount was freed and 3 s after (free page reporting).
For each kind of work, one unit on one thread, then two units on two threads; the ratio is the two-thread time over
twice the one-thread time (0.5: the two ran fully side by side; 1.0: not at all). It explains what Dask can gain on
a machine: estimate_frame's arrays go beyond the L2 cache and its results are fresh memory. Nothing here is a test.
"""

from __future__ import annotations

import statistics
import threading
import time

import numpy as np

IN_CACHE = 20_000  # float64 values, 160 KB: well inside one core's L2 cache
FRESH = 25_000_000  # float64 values, 200 MB: memory the process has not touched yet
STREAM = 4_000_000  # float64 values, 32 MB: beyond the caches, pages already touched


def in_cache() -> None:
    a = np.random.default_rng(0).random(IN_CACHE)
    b = np.empty_like(a)
    for _ in range(3000):
        np.sin(a, out=b)


def fresh() -> None:
    for _ in range(4):
        x = np.ones(FRESH)
        del x


def streaming() -> None:
    a = np.ones(STREAM)
    b = np.empty_like(a)
    for _ in range(60):
        np.multiply(a, 1.5, out=b)


def refault(pause: float) -> float:
    """Seconds to touch FRESH values of fresh memory ``pause`` seconds after the same amount was touched and freed.
    Equal for every pause on a bare machine; on a virtual machine with free page reporting (virtio-balloon), memory
    freed more than ~2 s ago has been handed back to the host, and touching it again costs far more."""
    a = np.ones(FRESH)
    del a
    time.sleep(pause)
    t = time.perf_counter()
    np.ones(FRESH)  # allocated, filled and freed: the fill is what is timed
    return time.perf_counter() - t


def run(work, threads: int) -> float:
    """Wall seconds for ``threads`` threads each doing ``work`` once."""
    ts = [threading.Thread(target=work) for _ in range(threads)]
    t = time.perf_counter()
    for th in ts:
        th.start()
    for th in ts:
        th.join()
    return time.perf_counter() - t


def main() -> None:
    for name, work in (("in-cache arithmetic", in_cache), ("fresh memory", fresh), ("streaming warm memory", streaming)):
        one = statistics.median(run(work, 1) for _ in range(5))
        two = statistics.median(run(work, 2) for _ in range(5))
        print(f"{name:24s} one unit {one:.3f} s; two units on two threads {two:.3f} s = {two / (2 * one):.2f} x (0.5 = side by side)")
    now = statistics.median(refault(0.0) for _ in range(3))
    later = statistics.median(refault(3.0) for _ in range(3))
    print(f"fresh memory ({FRESH * 8 >> 20} MB) touched just after the same was freed {now:.3f} s; 3 s after {later:.3f} s = {later / now:.1f} x"
          " (1.0 on a bare machine; more where freed memory goes back to a virtual machine's host)")


if __name__ == "__main__":
    main()
