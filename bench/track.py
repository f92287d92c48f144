"""Bench `emiss track` on a year of hourly CAMPD data for 100 units (876,000 rows) against a plain csv.reader loop.

    python bench/track.py            # writes the file once (in $TMPDIR), then times both and reports peak memory

Each run is its own process, three of each interleaved (medians of time); peak memory is the process's maximum resident set (ru_maxrss). The target is
emiss track within 3x the csv.reader loop, in time and in memory.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # this tree's emiss, as the timed runs use it
from emiss.analysis.logs import CAMPD_HOURLY_EXPORT  # noqa: E402 - after the path is set

UNITS, HOURS = 100, 8760
RUNS = 3  # medians of time, maxima of memory
HEADER = list(CAMPD_HOURLY_EXPORT)


def make(path: Path) -> None:
    """Write the synthetic hourly export: 100 units x 8,760 hours of 2023, units running 60 % of hours."""
    rnd = random.Random(23)
    start = dt.date(2023, 1, 1)
    with path.open("w", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(HEADER)
        for u in range(UNITS):
            for h in range(HOURS):
                day = (start + dt.timedelta(days=h // 24)).isoformat()
                on = rnd.random() < 0.6
                heat = round(rnd.uniform(300, 450), 1) if on else ""
                nox = round(heat * 0.009, 3) if on else ""
                so2 = round(heat * 0.0006, 3) if on else ""
                co2 = round(heat * 0.05945, 3) if on else ""
                ind = "Measured" if on else ""
                w.writerow(["TX", f"Plant {u // 4}", 50000 + u // 4, f"CT{u % 4 + 1}", "", day, h % 24, "1.00" if on else "0.00",
                            40 if on else "", "", so2, ind, "0.0006" if on else "", ind, co2, ind, "0.059" if on else "",
                            ind, nox, ind, "0.009" if on else "", ind, heat, ind, "Pipeline Natural Gas", "",
                            "Combustion turbine", "", "Dry Low NOx Burners|Selective Catalytic Reduction", "", "", "ARP"])


PLAIN = """
import csv, resource, sys, time
t = time.perf_counter(); n = 0
with open(sys.argv[1], newline="") as fh:
    for row in csv.reader(fh):
        n += 1
print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, n)
"""
TRACK = """
import resource, sys, time
t = time.perf_counter()
from emiss.analysis.track import Cap, Tracker
tr = Tracker([Cap("nox", 40.0, "40 tpy", "bench")])
tr.add(sys.argv[1]); doc = tr.result()
print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, len(doc["rows"]))
"""


def run(code: str, path: Path) -> tuple[float, int]:
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True,
                         cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    t, rss, _ = out.stdout.split()
    return float(t), int(rss)


def main() -> None:
    path = Path(tempfile.gettempdir()) / "emiss-bench-campd-hourly-876000.csv"
    if not path.exists():
        make(path)
    runs = [(run(PLAIN, path), run(TRACK, path)) for _ in range(RUNS)]  # interleaved: a busy moment falls on both
    base_t = statistics.median(b[0] for b, _ in runs)
    track_t = statistics.median(t[0] for _, t in runs)
    base_m = max(b[1] for b, _ in runs)
    track_m = max(t[1] for _, t in runs)
    print(json.dumps({"rows": UNITS * HOURS, "runs": RUNS, "file_mb": round(path.stat().st_size / 1e6, 1),
                      "csv_reader_s": round(base_t, 2), "track_s": round(track_t, 2), "time_ratio": round(track_t / base_t, 2),
                      "csv_reader_maxrss_mb": round(base_m / 1024, 1), "track_maxrss_mb": round(track_m / 1024, 1),
                      "memory_ratio": round(track_m / base_m, 2)}, indent=1))


if __name__ == "__main__":
    main()
