"""Benchmark: emiss.estimate_frame against a pyarrow.compute + numpy reference of the same physics, and under Dask.

Run from the repository root:  nice python bench/frames.py [--rows 1000000] [--runs 5] [--idle]
In-process timing (--runs interleaved rounds, medians, each call after settle(): see there), on one frame of mixed units: capacity in MW and kW, capacity factors bare and
as '%', NOx in ppmvd@15%O2 and lb/MMBtu. Targets (issue 20): estimate_frame <= 2 x the reference; Dask with 2
partitions on the threaded scheduler <= 0.75 x the single pandas call. Nothing here is a test: it only measures
(the reference's numbers are compared with emiss's, to show it is the same physics).
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np


def frame(n: int, seed: int = 1):
    """Return a pandas frame of n distinct rows with mixed units (text columns as pandas' default text dtype)."""
    import pandas as pd

    rng = np.random.default_rng(seed)
    mw = rng.uniform(1, 50, n)
    kw = rng.random(n) < 0.5
    capacity = np.where(kw, np.char.add(np.char.mod("%.2f", mw * 1000), " kW"), np.char.add(np.char.mod("%.5f", mw), " MW"))
    cf = rng.uniform(0.1, 1, n)
    pct = rng.random(n) < 0.5
    capacity_factor = np.where(pct, np.char.add(np.char.mod("%.3f", cf * 100), "%"), np.char.mod("%.5f", cf))
    ppm = rng.random(n) < 0.5
    nox = np.where(ppm, np.char.add(np.char.mod("%.3f", rng.uniform(1, 25, n)), " ppmvd@15%O2"),
                   np.char.add(np.char.mod("%.4f", rng.uniform(0.005, 0.1, n)), " lb/MMBtu"))
    return pd.DataFrame({"id": np.arange(n), "turbines": rng.integers(1, 30, n), "capacity": capacity.astype(str),
                         "capacity_factor": capacity_factor.astype(str), "heat_rate": "9695 Btu/kWh", "factor.nox": nox.astype(str)})


def _constants():
    """The constants and library factors the reference needs, read from emiss's data (so the physics is the same)."""
    import emiss
    from emiss import data

    one = emiss.build_scenario(None, turbines=1, capacity="1 MW", heat_rate="9695 Btu/kWh")
    result = emiss.calculate(one)
    per_mmbtu = {p: result.emissions[p].lb_per_year / result.heat_input_mmbtu for p in data.POLLUTANTS}
    c = {k: data.constant(k).value for k in ("hours_per_year", "method19_fd", "molar_volume", "method19_o2_air")}
    return dict(per_mmbtu=per_mmbtu, mw_nox=data.constant(data.concentration_mw_key("nox")).value, hhv_lhv=one.hhv_lhv,
                fuel_hhv=one.fuel_hhv, use=one.household_use_kwh, **c)


def reference(df, k):
    """The same physics, written straight with pyarrow.compute and numpy (no checks, no messages)."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    def number(col, strip):
        return pc.cast(pc.utf8_rtrim(col, characters=strip), pa.float64()).to_numpy()

    cap = pa.array(df["capacity"])
    kw = number(cap, " kWM") * np.where(pc.ends_with(cap, "MW").to_numpy(zero_copy_only=False), 1000.0, 1.0)
    cfc = pa.array(df["capacity_factor"])
    cf = number(cfc, "%")
    cf = np.where(pc.ends_with(cfc, "%").to_numpy(zero_copy_only=False), cf / 100, cf)
    hr = number(pa.array(df["heat_rate"]), " Btu/kWh") * k["hhv_lhv"]
    nox = pa.array(df["factor.nox"])
    parts = pc.split_pattern(nox, " ", max_splits=1)
    value = pc.cast(pc.list_element(parts, 0), pa.float64()).to_numpy()
    is_ppm = pc.starts_with(pc.list_element(parts, 1), "ppmvd@").to_numpy(zero_copy_only=False)
    o2 = 15.0  # every ppm value of the frame is at 15 % O2
    kk = k["mw_nox"] / k["molar_volume"] * 1e-6
    air = k["method19_o2_air"]
    nox_lb_mmbtu = np.where(is_ppm, value * kk * k["method19_fd"] * air / (air - o2), value)
    turbines = df["turbines"].to_numpy(dtype=np.float64)
    capacity_kw = turbines * kw
    generation = capacity_kw * k["hours_per_year"] * cf / 1000
    heat = generation * 1000 * hr / 1e6
    out = {"id": df["id"].to_numpy(), "record": np.arange(1, len(df) + 1), "capacity_mw": capacity_kw / 1000,
           "generation_mwh_yr": generation, "heat_input_mmbtu_yr": heat, "fuel_scf_yr": heat / k["fuel_hhv"],
           "households": generation * 1000 / k["use"], "households_method": np.full(len(df), "energy", dtype=object)}
    for p, f in k["per_mmbtu"].items():
        out[f"{p}_short_ton_yr"] = heat * (nox_lb_mmbtu if p == "nox" else f) / 2000
    out["error"] = np.full(len(df), None, dtype=object)
    return pd.DataFrame(out, index=df.index)


KERNEL: list[float] = []  # each call's kernel (system) CPU seconds, in call order: page faults
SETTLE_BYTES = 512 << 20  # more fresh memory than any timed call here asks for (Dask's ~0.3 GB at 1M rows)
IDLE_SECONDS = 3.0  # longer than the 2 s a Linux guest waits before it reports freed memory to its host


def settle() -> None:
    """Touch and free SETTLE_BYTES, so that the fresh memory the next call asks for is memory this guest has just
    used. On a virtual machine with free page reporting (virtio-balloon; this development machine is a Firecracker
    guest with it), memory freed more than ~2 s ago is handed back to the host, and touching it again costs 10-20x
    (1-2 ms per 2 MB page: bench/threads.py measures it); which call meets such memory is then a matter of timing.
    Settling puts every timed call, the reference's, the single call's and Dask's, in the same state."""
    a = np.empty(SETTLE_BYTES // 8)
    a.fill(0.0)
    del a


def timed(fn) -> tuple[float, float]:
    """Return (wall seconds, CPU seconds of this process) of one call; its kernel seconds go to KERNEL."""
    import resource

    k, c, t = resource.getrusage(resource.RUSAGE_SELF).ru_stime, time.process_time(), time.perf_counter()
    fn()  # the result is let go here, so that no timed call runs beside another's result
    wall, cpu = time.perf_counter() - t, time.process_time() - c
    KERNEL.append(resource.getrusage(resource.RUSAGE_SELF).ru_stime - k)
    return wall, cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--idle", action="store_true",
                    help=f"also time the single call and Dask each after {IDLE_SECONDS:.0f} s idle, without settle()")
    ap.add_argument("--dask-alone", type=int, default=0, metavar="N",
                    help="instead, time N Dask calls one after another, with no other call between (kernel time beside each)")
    args = ap.parse_args()
    import dask
    import dask.dataframe as dd

    import emiss

    df = frame(args.rows)
    k = _constants()
    emiss.estimate_frame(df.head(1000))  # warm the unit cache and imports: both sides are timed warm
    meta = emiss.estimate_frame(df.head(0))
    ddf = dd.from_pandas(df, npartitions=2)
    if args.dask_alone:
        single = statistics.median(timed(lambda: emiss.estimate_frame(df))[0] for _ in range(3))
        print(f"   the single call: {single:.2f} s (median of 3)")
        for i in range(args.dask_alone):
            with dask.config.set(scheduler="threads", num_workers=2):
                wall, cpu = timed(lambda: ddf.map_partitions(emiss.estimate_frame, meta=meta).compute())
            print(f"   Dask call {i + 1}: {wall:.2f} s = {wall / single:.2f} x the single call (CPU {cpu:.2f} s, kernel {KERNEL[-1]:.2f} s)", flush=True)
        return
    out, ref_out = emiss.estimate_frame(df), reference(df, k)
    for col in ("capacity_mw", "heat_input_mmbtu_yr", "nox_short_ton_yr", "co2e_short_ton_yr"):
        assert np.allclose(out[col].to_numpy(), ref_out[col].to_numpy(), rtol=1e-9), col  # the same physics
    del out, ref_out  # every timed call below starts with the same memory held: none of the others' results
    ref_meta = reference(df.head(0), k)
    rounds, idle = [], []
    for _ in range(args.runs):  # interleaved, so that a busy moment of a shared machine falls on all four
        times = []
        for fn in (lambda: reference(df, k), lambda: emiss.estimate_frame(df),
                   lambda: ddf.map_partitions(emiss.estimate_frame, meta=meta).compute(),
                   lambda: ddf.map_partitions(reference, k, meta=ref_meta).compute()):
            settle()
            with dask.config.set(scheduler="threads", num_workers=2):
                times.append(timed(fn))  # its result is let go at once (timed keeps none)
        kernel = KERNEL[-4:]
        if args.idle:  # the single call and Dask, each after IDLE_SECONDS idle: their fresh memory is what the host took back
            pair = []
            for fn in (lambda: emiss.estimate_frame(df), lambda: ddf.map_partitions(emiss.estimate_frame, meta=meta).compute()):
                time.sleep(IDLE_SECONDS)
                with dask.config.set(scheduler="threads", num_workers=2):
                    pair.append(timed(fn)[0])
            idle.append(pair)
        rounds.append(times)
        ref, ours, part, ref_part = times
        print(f"   round {len(rounds)}: reference {ref[0]:.2f} s, estimate_frame {ours[0]:.2f} s, Dask {part[0]:.2f} s,"
              f" the reference over Dask {ref_part[0]:.2f} s   (kernel time {', '.join(f'{x:.2f}' for x in kernel)} s)"
              + (f"; after {IDLE_SECONDS:.0f} s idle each: estimate_frame {idle[-1][0]:.2f} s, Dask {idle[-1][1]:.2f} s" if idle else ""),
              flush=True)
    med = statistics.median
    r_wall = med(o[0] / r[0] for r, o, _, _ in rounds)
    r_cpu = med(o[1] / r[1] for r, o, _, _ in rounds)
    d_wall = med(d[0] / o[0] for _, o, d, _ in rounds)
    rd_wall = med(rd[0] / r[0] for r, _, _, rd in rounds)

    def cell(at: int) -> str:
        return f"{med(t[at][0] for t in rounds):6.2f} / {med(t[at][1] for t in rounds):5.2f} s"

    print(f"estimate_frame on {args.rows:,} pandas rows, mixed units ({args.runs} interleaved rounds, in process, each call"
          f" after settle(), no other call's result held; wall / CPU s, median):")
    print(f"   pyarrow.compute + numpy reference          {cell(0)}")
    print(f"   emiss.estimate_frame                       {cell(1)} = {r_wall:4.2f} x the reference by wall time,"
          f" {r_cpu:4.2f} x by CPU time (target <= 2)")
    print(f"   Dask, 2 partitions, threaded scheduler     {cell(2)} = {d_wall:4.2f} x the single call by wall time"
          f" (target <= 0.75; CPU above wall time means the threads ran at once)")
    print(f"   the reference over the same Dask          {cell(3)} = {rd_wall:4.2f} x the reference's single call: what"
          f" this machine gives work with no Python in it")
    if idle:
        print(f"   the same pair, each after {IDLE_SECONDS:.0f} s idle (fresh memory handed back to the host): estimate_frame"
              f" {med(a for a, _ in idle):.2f} s, Dask {med(b for _, b in idle):.2f} s = {med(b / a for a, b in idle):4.2f} x")

if __name__ == "__main__":
    main()
