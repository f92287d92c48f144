"""Monte Carlo: the percentiles are numpy's np.percentile (method 'linear'), bit for bit, without its cost; the run
starts no thread it does not use; its columns and note in the run's units."""

from __future__ import annotations

import math
import os
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from emiss.analysis import uncertainty
from emiss.analysis.uncertainty import NARROW_FROM, PILOT_SIZE, percentiles
from emiss.inputs.scenario import scenario_from
from tests.helpers import flat as _flat

FAST = settings(max_examples=80, deadline=None)


def bits(xs) -> list[str]:
    """Each value's exact bits (NaN as one spelling: numpy and Python may differ in a NaN's sign)."""
    return ["nan" if math.isnan(x) else float(x).hex() for x in xs]


def expect(values, qs) -> list[str]:
    with np.errstate(invalid="ignore"):  # inf - inf in numpy's interpolation, as in ours
        return bits(np.percentile(values, list(qs)))


# +0.0 for -0.0: where they tie, which of the two a partition leaves at a rank is up to its algorithm (numpy's own
# np.percentile may give either), so only the rest is held to the bit
finite_or_not = st.floats(allow_nan=True, allow_infinity=True).map(lambda x: 0.0 if x == 0 else x)
tame = st.floats(min_value=-1e6, max_value=1e6).map(lambda x: 0.0 if x == 0 else x)
some_qs = st.lists(st.one_of(st.sampled_from([0, 5, 50, 95, 100]), st.floats(min_value=0, max_value=100)), min_size=1,
                   max_size=5)


@FAST
@given(values=st.lists(st.one_of(tame, finite_or_not), min_size=1, max_size=60), qs=some_qs)
def test_small_arrays_match_numpy(values, qs):
    arr = np.array(values, dtype=float)
    assert bits(percentiles(arr, qs)) == expect(arr, qs)


@FAST
@given(values=st.lists(st.sampled_from([1.0, 2.0, 2.5, 7.0]), min_size=1, max_size=40))
def test_ties_match_numpy(values):
    arr = np.array(values)
    assert bits(percentiles(arr, (5, 50, 95))) == expect(arr, (5, 50, 95))


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(NARROW_FROM, 3 * NARROW_FROM), kind=st.sampled_from(["normal", "triangular", "few values", "rounded"]),
       qs=some_qs)
def test_large_arrays_match_numpy(seed, n, kind, qs):
    # large enough for the pilot-sample bracketing; "few values" and "rounded" make long runs of ties across the brackets
    rng = np.random.default_rng(seed)
    arr = {"normal": lambda: rng.normal(100.0, 15.0, n), "triangular": lambda: rng.triangular(4380, 8760, 8760, n),
           "few values": lambda: rng.integers(14, 32, n).astype(float) * 2.5,
           "rounded": lambda: rng.lognormal(0.0, 1.0, n).round(1)}[kind]()
    assert bits(percentiles(arr, qs)) == expect(arr, qs)


@pytest.mark.parametrize("odd", [1e9, -1e9])
def test_a_misleading_pilot_sample_still_gives_the_exact_percentiles(odd):
    # every value the strided pilot reads is 1e9 (or -1e9), the rest are in [0, 1): the brackets miss on the low side
    # (or the high side) and those ranks are taken from the whole array
    n = 2 * NARROW_FROM
    arr = np.random.default_rng(3).random(n)
    arr[:: n // PILOT_SIZE] = odd
    assert bits(percentiles(arr, (5, 50, 95))) == expect(arr, (5, 50, 95))


@pytest.mark.parametrize("value", [0.0, 3.25, 1e300, math.inf, -math.inf, math.nan])
@pytest.mark.parametrize("n", [1, 2, 100_000])
def test_one_value_repeated_reads_that_value_once(value, n):
    # an output no sampled input reaches comes as a stride-0 view of one number
    arr = np.broadcast_to(np.float64(value), (n,))
    assert arr.strides == (0,)
    assert bits(percentiles(arr, (0, 5, 50, 95, 100))) == expect(arr, (0, 5, 50, 95, 100))


def test_a_nan_anywhere_makes_every_percentile_nan():
    arr = np.arange(20_000, dtype=float)
    arr[12_345] = math.nan
    assert all(math.isnan(x) for x in percentiles(arr, (5, 50, 95)))


def test_n1_and_the_two_ends():
    # one value: every percentile is that value; [1, 2, 3, 4]: P0 = 1, P100 = 4, P50 = 2 + 0.5 x (3 - 2) = 2.5
    assert percentiles(np.array([7.5]), (0, 50, 100)) == [7.5, 7.5, 7.5]
    assert percentiles(np.array([4.0, 1.0, 3.0, 2.0]), (0, 50, 100)) == [1.0, 2.5, 4.0]


def test_an_empty_or_2d_array_is_refused():
    with pytest.raises(ValueError):
        percentiles(np.array([]), (50,))
    with pytest.raises(ValueError):
        percentiles(np.ones((2, 2)), (50,))


def test_spreads_of_memphis_are_numpy_percentiles():
    # 20,000 samples: the pilot-sample path; every output, the constant one (nh3) included
    arrays = uncertainty.sample_outputs(scenario_from("memphis", {}), 20_000, 1)
    for name, spread in uncertainty.spreads(arrays).items():
        assert bits([spread.p5, spread.p50, spread.p95]) == expect(arrays[name], (5, 50, 95)), name
        assert spread.mean == float(arrays[name].mean())


def test_monte_carlo_leaves_numpy_ma_unimported():
    # np.percentile imports numpy.ma (through np.unique): ~8 ms of a Monte Carlo run's start
    code = ("import sys; from emiss.inputs.scenario import scenario_from; from emiss.analysis.uncertainty import monte_carlo; "
            "monte_carlo(scenario_from('memphis', {}), 1000, 1); print('numpy.ma' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


@pytest.mark.parametrize("given, kept", [(None, "1"), ("3", "3")])
def test_the_command_line_keeps_numpy_blas_to_one_thread_unless_told(given, kept):
    # OpenBLAS reads OPENBLAS_NUM_THREADS when numpy loads it; its threads spin for nothing in emiss, which does no
    # linear algebra. A user's own value stands.
    code = ("import atexit, os, sys; atexit.register(lambda: print(os.environ.get('OPENBLAS_NUM_THREADS'), file=sys.stderr)); "
            "sys.argv = ['emiss', '--version']; from emiss.cli import main; main()")
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    if given is not None:
        env["OPENBLAS_NUM_THREADS"] = given
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert r.stderr.strip() == kept


def test_monte_carlo_columns_are_in_tonnes_when_the_run_is(run, run_json):
    # --mass-unit metric_ton: the first mass column, the JSON's p5/p50/p95 and the page's cards are tonnes; the P50
    # and P5 .. P95 columns were short tons ('P50 short tons/yr 180' beside '120 tonnes/yr'). Memphis NOx, 2,000
    # draws, seed 1: P50 = 177.7 short tons x 0.90718474 = 161.2 t, shown to two figures of its P5-P95 spread
    # (64.5 .. 327.6 t, a width of 263: to the ten) as 160, and P5 .. P95 as 60 .. 330.
    args = ("estimate", "--preset", "memphis", "--samples", "2000", "--seed", "1", "--only", "nox", "--mass-unit", "metric_ton")
    nox = run_json(*args)["emissions"]["nox"]
    assert nox["p50"] == pytest.approx(177.7 * 0.90718474, rel=2e-3) and nox["unit"] == "metric_ton / year"
    code, out, _ = run(*args, "--format", "markdown")
    head = next(x for x in out.splitlines() if x.startswith("| Pollutant | tonnes/yr"))
    row = next(x for x in out.splitlines() if x.startswith("| NOx |"))
    cells = dict(zip([c.strip() for c in head.split("|")], [c.strip() for c in row.split("|")]))
    assert code == 0 and cells["P50 tonnes/yr"] == "160" and cells["P5 .. P95 tonnes/yr"] == "60 .. 330"
    assert cells["short tons/yr"] == "130"  # 129.8 short tons beside, to the same ten


def test_the_monte_carlo_note_spells_units_as_the_tables_do(run):
    code, out, err = run("estimate", "--preset", "memphis", "--samples", "200", "--seed", "1")
    assert code == 0, err
    note = _flat(out).split("P5 .. P95: Monte Carlo", 1)[1].split("Central values", 1)[0]
    # the results table says 'full-load h/yr' and 'kWh/yr per home'; the note said 'hour/year' and 'kWh/year'
    assert "operating hours per year triangular 4,380 / 8,760 / 8,760 h/yr;" in note
    assert "use per home triangular 10,791 / 10,791 / 15,400 kWh/yr;" in note
    assert "hour/year" not in note and "kWh/year" not in note
    assert "9,630 / 9,695 / 10,500 Btu/kWh;" in note  # units the tables already share are left as they were
