"""Benchmarks for emiss: cold start, batch throughput, batch memory, Monte Carlo.

Run from the repository root:  python bench/run.py [--quick]
It installs this tree into a fresh virtual environment (bench/out/venv), as a user would, and prints
each figure with its ratio to the target named in issues 5, 14 and 20. Nothing here is a test: it only measures.
With --baseline TREE, another checkout (e.g. the main branch) is installed beside it and its cold start and
--help are timed in the same runs, side by side.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"


def interleaved(runs: int) -> int:
    """Return the rounds a side-by-side figure takes: half of --runs, at least 3 (a median of fewer says little)."""
    return max(runs // 2, 3)


def sh(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, check=True, **kw)


def make_venv(tree: Path = ROOT, name: str = "venv") -> Path:
    venv = OUT / name
    if venv.exists():
        shutil.rmtree(venv)
    sh([sys.executable, "-m", "venv", str(venv)])
    py = venv / "bin" / "python"
    sh([str(py), "-m", "pip", "install", "-q", f"{tree}[parquet]"], stdout=subprocess.DEVNULL)
    return venv


def timed(cmd: list[str], *, stdin=None, env=None) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdin=stdin, stdout=subprocess.DEVNULL, env=env)
    return time.perf_counter() - t


def median_time(cmd: list[str], runs: int, env=None) -> float:
    timed(cmd, env=env)  # warm the OS file cache (and emiss's unit cache)
    return statistics.median(timed(cmd, env=env) for _ in range(runs))


def scenarios(path: Path, n: int, *, distinct: bool, seed: int = 1) -> None:
    rng = random.Random(seed)
    caps = ["16 MW", "2.5 MW", "35 MW", "5.7 MW", "16500 kW"]
    with open(path, "w") as fh:
        for i in range(n):
            if distinct:
                rec = {"id": i, "turbines": rng.randint(1, 30), "capacity": f"{rng.uniform(1, 50):.4f} MW",
                       "capacity_factor": round(rng.uniform(0.1, 1), 4), "factor.nox": f"{rng.uniform(1, 25):.3f} ppmvd@15%O2"}
            else:
                rec = {"id": i, "turbines": rng.randint(1, 30), "capacity": rng.choice(caps),
                       "capacity_factor": rng.choice([0.5, 0.6, 0.85, 1]),
                       "factor.nox": rng.choice(["2 ppmvd@15%O2", "9 ppmvd@15%O2", "0.099 lb/MMBtu"])}
            fh.write(json.dumps(rec) + "\n")


def write_units(path: Path, n: int, *, seed: int) -> None:
    """Write n records whose every numeric value is distinct and given with its unit as text."""
    rng = random.Random(seed)
    with open(path, "w") as fh:
        for i in range(n):
            fh.write(json.dumps({"id": i, "turbines": rng.randint(1, 40), "capacity": f"{rng.uniform(1, 50):.5f} MW",
                                 "capacity_factor": f"{rng.uniform(10, 100):.4f}%", "heat_rate": f"{rng.uniform(8000, 12000):.3f} Btu/kWh",
                                 "factor.nox": f"{rng.uniform(1, 25):.4f} ppmvd@15%O2"}) + "\n")


def write_mixed(path: Path, n: int, *, seed: int, mixed: bool = True) -> list[dict]:
    """Write n distinct records as issue 20 measures them: capacity in MW or kW, a capacity factor bare or in %, NOx
    in ppmvd@15%O2 or lb/MMBtu (with ``mixed``, each drawn at random per record; else one unit per field)."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        kw, pct, mass = (rng.random() < 0.5 for _ in range(3)) if mixed else (False, False, False)
        rows.append({"id": i, "turbines": rng.randint(1, 40),
                     "capacity": f"{rng.uniform(1000, 50000):.3f} kW" if kw else f"{rng.uniform(1, 50):.5f} MW",
                     "capacity_factor": f"{rng.uniform(10, 100):.4f}%" if pct else round(rng.uniform(0.1, 1), 5),
                     "factor.nox": f"{rng.uniform(0.01, 0.1):.5f} lb/MMBtu" if mass else f"{rng.uniform(1, 25):.4f} ppmvd@15%O2"})
    with open(path, "w") as fh:
        fh.writelines(json.dumps(r) + "\n" for r in rows)
    return rows


def side_by_side(label: str, reference: list[str], cases: list[tuple[str, list[str], float]], runs: int, env: dict,
                 stdin: Path | None = None) -> None:
    """Time ``reference`` and each case interleaved (a busy moment of the machine falls on all), print medians and
    each case's ratio to the reference with its target."""
    times: list[list[float]] = [[] for _ in range(len(cases) + 1)]
    cmds = [reference] + [c for _, c, _ in cases]
    for _ in range(interleaved(runs)):
        for k, cmd in enumerate(cmds):
            with open(stdin or os.devnull, "rb") as fh:
                times[k].append(timed(cmd, stdin=fh, env=env))
    base = statistics.median(times[0])
    print(f"   {label:81s} {base:6.2f} s")
    for (label, _, target), t in zip(cases, times[1:]):
        m = statistics.median(t)
        print(f"   {label:81s} {m:6.2f} s = {m / base:4.1f} x (target <= {target})")


def same_as_parts(emiss: str, path: Path, parts: int, env: dict) -> str:
    """Return whether one run over ``path`` writes what ``parts`` runs over its consecutive slices write (record
    numbers count from 1 in each run, so they are set aside; ids are unique)."""
    import re

    lines = path.read_bytes().splitlines(keepends=True)
    whole = subprocess.run([emiss, "batch", "--quiet"], input=b"".join(lines), capture_output=True, env=env).stdout
    size = -(-len(lines) // parts)
    pieces = b"".join(subprocess.run([emiss, "batch", "--quiet"], input=b"".join(lines[k:k + size]), capture_output=True, env=env).stdout
                      for k in range(0, len(lines), size))
    number = re.compile(rb'"record": \d+, ')
    same = number.sub(b"", whole) == number.sub(b"", pieces)
    return f"{'yes' if same else 'NO'} ({len(whole.splitlines()):,} lines)"


def child_peak_rss_mib(cmd: list[str], stdin_path: Path, env=None) -> tuple[float, float]:
    """Run cmd in a fresh child and return (seconds, peak RSS of that child in MiB)."""
    code = (
        "import resource, subprocess, sys, time;"
        "t=time.perf_counter();"
        f"subprocess.run({cmd!r}, check=True, stdin=open({str(stdin_path)!r}, 'rb'), stdout=subprocess.DEVNULL);"
        "print(time.perf_counter()-t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, env=env).stdout.split()
    return float(out[0]), float(out[1]) / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer runs and 10x smaller inputs")
    ap.add_argument("--runs", type=int, default=9)
    ap.add_argument("--only", default="1,2,3,4,5,6,7,8,9", help="the figures to take, by number (e.g. --only 5,6)")
    ap.add_argument("--in-place", action="store_true", help="run this tree with this Python (PYTHONPATH) instead of installing it")
    ap.add_argument("--baseline", type=Path, help="another checkout whose cold start and --help to time beside this one")
    args = ap.parse_args()
    only = {int(x) for x in args.only.split(",")}
    runs = 3 if args.quick else args.runs
    scale = 10 if args.quick else 1
    OUT.mkdir(parents=True, exist_ok=True)
    cache = tempfile.mkdtemp(prefix="emiss-bench-cache-")
    env = dict(os.environ, EMISS_CACHE_DIR=cache)
    # emiss runs from its compiled modules, as an installed package does (pip compiles them): an inherited
    # PYTHONDONTWRITEBYTECODE would make every timed run of this tree compile its sources again (0.1-0.3 s here)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if args.in_place:
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores; this tree in place", flush=True)
        py, emiss = sys.executable, str(OUT / "emiss")
        # -P: the working folder is not put before PYTHONPATH (else a run from another checkout times that one)
        Path(emiss).write_text(f"#!/bin/sh\nexec {sys.executable} -P -m emiss \"$@\"\n")
        os.chmod(emiss, 0o755)
        env["PYTHONPATH"] = str(ROOT)
    else:
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores; installing emiss into a fresh venv ...", flush=True)
        venv = make_venv()
        py, emiss = str(venv / "bin" / "python"), str(venv / "bin" / "emiss")

    floor = median_time([py, "-c", "import click, pint"], runs, env)
    start = median_time([emiss, "estimate", "--preset", "memphis", "--format", "json"], runs, env)
    if 1 in only:
        cold_start(py, emiss, env, floor, start, runs)
        if args.baseline:
            tree = args.baseline.resolve()
            if args.in_place:
                base_emiss = str(OUT / "emiss-baseline")
                Path(base_emiss).write_text(f"#!/bin/sh\nPYTHONPATH={tree} exec {sys.executable} -P -m emiss \"$@\"\n")
                os.chmod(base_emiss, 0o755)
            else:
                base = make_venv(tree, "venv-baseline")
                base_emiss = str(base / "bin" / "emiss")
            print(f"   against the baseline {tree} (interleaved; target: no slower, <= 1.0 x)")
            for args_ in (["estimate", "--preset", "memphis", "--format", "json"], ["--help"]):
                side_by_side(f"baseline emiss {' '.join(args_)}", [base_emiss, *args_],
                             [(f"this tree emiss {' '.join(args_)}", [emiss, *args_], 1.0)], 2 * runs, env)
    n = 100_000 // scale
    if 2 in only:
        repeating_and_distinct(emiss, env, n, start)
    m = 1_000_000 // scale
    path = OUT / f"scenarios-units-{m}.ndjson"
    if 3 in only or 6 in only:
        write_units(path, m, seed=3)
    if 3 in only:
        memory(emiss, env, path, m)
    if 5 in only:
        ndjson_against_json(py, emiss, env, n, runs)
    if 6 in only:
        parquet_against_pyarrow(py, emiss, env, m, runs)
    if 7 in only:
        mixed_ndjson(py, emiss, env, n, runs)
    if 8 in only:
        mixed_parquet(py, emiss, env, m, runs)
    if 9 in only:
        csv_against_csv(py, emiss, env, n, runs)
    if 4 in only:
        monte_carlo(emiss, env, runs)
    shutil.rmtree(cache, ignore_errors=True)


def cold_start(py: str, emiss: str, env: dict, floor: float, start: float, runs: int) -> None:
    cold_cache = timed([emiss, "estimate", "--preset", "memphis", "--format", "json"],
                       env=dict(env, EMISS_CACHE_DIR=tempfile.mkdtemp(prefix="emiss-bench-empty-")))
    helpt = median_time([emiss, "--help"], runs, env)
    print(f"\n1. cold start (median of {runs})")
    print(f"   floor  python -c 'import click, pint'         {floor * 1000:7.1f} ms")
    print(f"   emiss estimate --preset memphis --format json  {start * 1000:7.1f} ms  = {start / floor:.2f} x floor (target <= 1.25)")
    print(f"   the same, first run with an empty unit cache   {cold_cache * 1000:7.1f} ms  = {cold_cache / floor:.2f} x floor")
    print(f"   emiss --help                                   {helpt * 1000:7.1f} ms")


def repeating_and_distinct(emiss: str, env: dict, n: int, start: float) -> None:
    for distinct in (False, True):
        path = OUT / f"scenarios-{'distinct' if distinct else 'repeating'}-{n}.ndjson"
        scenarios(path, n, distinct=distinct)
        with open(path, "rb") as fh:
            t = timed([emiss, "batch", "--quiet", "--heat-rate", "9695 Btu/kWh"], stdin=fh, env=env)
        kind = "all distinct values" if distinct else "values drawn from small sets"
        print(f"\n2. batch: {n:,} NDJSON scenarios, {kind}")
        print(f"   {t:6.2f} s, {t / n * 1e6:6.1f} us/record = {t / start:5.1f} x cold start (target <= 20 x for 100,000)")


def memory(emiss: str, env: dict, path: Path, m: int) -> None:
    with open(path, "rb") as fh:  # the unit cache warmed with the file's unit spellings, as after any earlier run
        subprocess.run([emiss, "batch", "--quiet"], input=b"".join(fh.readline() for _ in range(1000)), capture_output=True, env=env)
    secs, rss = child_peak_rss_mib([emiss, "batch", "--quiet"], path, env)
    print(f"\n3. memory: {m:,} distinct records (values with units) through emiss batch: peak RSS {rss:.1f} MiB "
          f"(target <= 120), {secs:.1f} s")
    print(f"   the same output as 10 runs of {m // 10:,} records: {same_as_parts(emiss, path, 10, env)}")


def ndjson_against_json(py: str, emiss: str, env: dict, n: int, runs: int) -> None:
    # 5. issue 14: every numeric field distinct, values with units as strings, against a bare json loop, side by side
    path = OUT / f"scenarios-units-{n}.ndjson"
    write_units(path, n, seed=5)
    bare = [py, "-c", f"import json\nfor line in open({str(path)!r}, 'rb'): json.loads(line)"]
    piped = ["sh", "-c", f"cat {path} | {emiss} batch"]
    t_bare, t_file, t_pipe = [], [], []
    timed(bare, env=env)
    for _ in range(interleaved(runs)):  # interleaved, so that a busy moment of the machine falls on all three
        t_bare.append(timed(bare, env=env))
        with open(path, "rb") as fh:
            t_file.append(timed([emiss, "batch", "--quiet"], stdin=fh, env=env))
        t_pipe.append(timed(piped, env=env))
    tb, tf, tp = (statistics.median(t) for t in (t_bare, t_file, t_pipe))
    print(f"\n5. columnar batch: {n:,} records, every value distinct, with units (median of {len(t_bare)}, interleaved)")
    print(f"   bare python json loop     python -c 'for line in open(F): json.loads(line)'  {tb:6.2f} s")
    print(f"   emiss batch < F           (a file: read in the estimating thread)     {tf:6.2f} s = {tf / tb:4.1f} x (target <= 4)")
    print(f"   cat F | emiss batch       (a pipe: read by a thread as it comes)      {tp:6.2f} s = {tp / tb:4.1f} x")


def parquet_against_pyarrow(py: str, emiss: str, env: dict, m: int, runs: int) -> None:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        print("\n6. Parquet: pyarrow is not installed here; figure not taken")
    else:
        rows = [json.loads(line) for line in open(OUT / f"scenarios-units-{m}.ndjson")]
        src, dst = OUT / f"in-{m}.parquet", OUT / "out.parquet"
        pq.write_table(pa.Table.from_pylist(rows), src)
        del rows
        alone = [py, "-c", f"import pyarrow.parquet as pq\nt = pq.read_table({str(src)!r})\npq.write_table(t, {str(dst)!r})"]
        ours = [emiss, "batch", "--quiet", "--input", str(src), "--output", str(dst), "--output-format", "parquet"]
        t_alone, t_ours = [], []
        timed(alone, env=env)
        for _ in range(interleaved(runs)):
            t_alone.append(timed(alone, env=env))
            t_ours.append(timed(ours, env=env))
        ta, to = statistics.median(t_alone), statistics.median(t_ours)
        print(f"\n6. Parquet: {m:,} rows in and out (median of {len(t_alone)}, interleaved)")
        print(f"   pyarrow alone: read_table + write_table   {ta:5.2f} s")
        print(f"   emiss batch --input in.parquet --output out.parquet --output-format parquet   {to:5.2f} s = {to / ta:4.1f} x (target <= 2)")


def mixed_ndjson(py: str, emiss: str, env: dict, n: int, runs: int) -> None:
    # 7. issue 20: distinct records with mixed units, and with one unit per field, against a bare json.loads loop
    print(f"\n7. NDJSON: {n:,} distinct records, mixed units and one unit per field (median of {interleaved(runs)}, interleaved)")
    for mixed, target in ((True, 3), (False, 2.5)):
        path = OUT / f"mixed-{mixed}-{n}.ndjson"
        write_mixed(path, n, seed=7, mixed=mixed)
        bare = [py, "-c", f"import json\nfor line in open({str(path)!r}, 'rb'): json.loads(line)"]
        side_by_side("python: for line in open(F, 'rb'): json.loads(line)", bare, [(f"emiss batch < F ({'mixed units' if mixed else 'one unit per field'})", [emiss, "batch", "--quiet"], target)],
                     runs, env, stdin=path)


def mixed_parquet(py: str, emiss: str, env: dict, m: int, runs: int) -> None:
    # 8. issue 20: a million rows with mixed units, Parquet in and out, against pyarrow reading and writing them
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        print("\n8. Parquet: pyarrow is not installed here; figure not taken")
        return
    src, dst = OUT / f"mixed-{m}.parquet", OUT / "out.parquet"
    part = OUT / "mixed-part.ndjson"
    with pq.ParquetWriter(src, pa.schema([("id", pa.int64()), ("turbines", pa.int64()), ("capacity", pa.string()),
                                          ("capacity_factor", pa.string()), ("factor.nox", pa.string())])) as w:
        for k in range(0, m, 100_000):
            rows = write_mixed(part, min(100_000, m - k), seed=8 + k)
            w.write_table(pa.table({"id": [r["id"] + k for r in rows], "turbines": [r["turbines"] for r in rows],
                                    "capacity": [r["capacity"] for r in rows],
                                    "capacity_factor": [str(r["capacity_factor"]) for r in rows],
                                    "factor.nox": [r["factor.nox"] for r in rows]}))
    alone = [py, "-c", f"import pyarrow.parquet as pq\nt = pq.read_table({str(src)!r})\npq.write_table(t, {str(dst)!r})"]
    print(f"\n8. Parquet: {m:,} rows with mixed units, in and out (median of {interleaved(runs)}, interleaved)")
    side_by_side("pyarrow: pq.write_table(pq.read_table(in.parquet), out.parquet)", alone, [("emiss batch --input in.parquet --output out.parquet", [emiss, "batch", "--quiet", "--input", str(src), "--output", str(dst)], 1.5)],
                 runs, env)


def csv_against_csv(py: str, emiss: str, env: dict, n: int, runs: int) -> None:
    # 9. issue 20: CSV rows in, CSV out, against a bare csv.reader loop over the same file
    import csv

    rows = write_mixed(OUT / "mixed-csv.ndjson", n, seed=9)
    path = OUT / f"mixed-{n}.csv"
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(list(rows[0]))
        w.writerows(list(r.values()) for r in rows)
    bare = [py, "-c", f"import csv\nfor row in csv.reader(open({str(path)!r}, newline='')): pass"]
    print(f"\n9. CSV: {n:,} distinct rows with mixed units, CSV in and out (median of {interleaved(runs)}, interleaved)")
    side_by_side("python: for row in csv.reader(open(F, newline='')): pass", bare, [("emiss batch --input F --format csv", [emiss, "batch", "--quiet", "--input", str(path), "--format", "csv"], 6)], runs, env)


def monte_carlo(emiss: str, env: dict, runs: int) -> None:
    mc = subprocess.run([emiss, "estimate", "--help"], capture_output=True, text=True, env=env).stdout
    if "--samples" in mc:
        # timed interleaved with the cold start it is measured against, so that a busy moment of the machine falls on
        # both (against the cold start timed once at the top of the run, the ratio wandered from 1.36 to 1.92 x)
        print(f"\n4. Monte Carlo: 100,000 samples of memphis, against the cold start (median of {interleaved(runs)}, interleaved)")
        cold = [emiss, "estimate", "--preset", "memphis", "--format", "json"]
        side_by_side("emiss estimate --preset memphis --format json", cold,
                     [("the same, --samples 100000 --seed 1", [*cold[:4], "--samples", "100000", "--seed", "1", *cold[4:]], 2)], runs, env)
    else:
        print("\n4. Monte Carlo: not available in this version (no --samples)")


if __name__ == "__main__":
    main()
