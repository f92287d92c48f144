"""Issue 24, by class: every path gives the same number or the same error for one generated record.

A record (turbines, capacity, capacity_factor or hours or neither, heat_rate, factor.nox) takes each value from good
ones and from odd ones (NaN, None, '', +-inf, True, a nested list, odd text), and goes through nine paths: the
Python API (emiss.estimate), the CLI 'estimate' (click's CliRunner, in process), 'batch' reading NDJSON, CSV and
Parquet, and emiss.estimate_frame on a dict of columns, a pandas, a polars and a one-partition Dask frame.

What each path holds of a value (``_held``), where it cannot hold the value as it is:
  API      keywords: '' is given as None (a keyword, like an option, refuses an empty value as empty; not set is None).
  CLI      an option's text, stripped (click's types strip it): None and '' leave the option out (not set); a number
           is its repr ('2.0', 'nan', 'inf', '-inf'), True is 'True', a list or dict its JSON text ('[1, 2]');
           factor.nox is '--factor nox=TEXT'. Options go in the order the scenario checks its fields (factor, count,
           capacity, heat rate, hours), since click reads them in the order given.
  CSV      a cell's text as on the CLI, not stripped; None and '' are the empty cell (not set). A row whose every cell
           is blank is a blank row, not a record (as a blank line in NDJSON): that record is not sent as CSV.
  Dask     its default (convert-string) makes a pandas object column a string column: a list is its str() text
           ('[1, 2]') and None is pd.NA (not set).
  NDJSON, Parquet, the dict, pandas and polars hold every value as it is (pandas: None in an object column is not
           set; NaN is a float64 NaN, an error as everywhere).
A record's key written as None or '' (a null, an empty cell) is not set, as a keyword or option left out is; but a
record holds it as written, and an error asking for that field says it was blank: so a record's blank value is held
as BLANK, the API's and the CLI's None as nothing.
Every path must agree: all give a NOx figure (short tons a year), equal to the bit, or all fail naming the same
field (None where the error names none). Paths holding the same value give the same message ('record 1:' or
'--hours:' is where, not message; the API and the CLI spell a field as its option, '--heat-rate').
The CLI reads each value when it parses its options, before the fleet is put together; so where the others find
the fleet incomplete (no turbines, no capacity), the CLI may name a bad value instead: then that value alone, in a
complete fleet, must give the CLI the same error. A blank QTY in '--factor nox= ' is the option's own syntax error.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import emiss
from emiss.cli import cli
from emiss.errors import EmissError, printable

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
pd = pytest.importorskip("pandas")
pl = pytest.importorskip("polars")
dd = pytest.importorskip("dask.dataframe")

NAN, INF = float("nan"), float("inf")
GOOD = {
    "turbines": [1, 2, 4, 2.0, "3", "14"],
    "capacity": ["16 MW", "2500 kW", "5.5 MW", "35000 kW", " 16 MW "],
    "capacity_factor": [0.5, 0.85, "85%", 1, "60 %"],
    "hours": [5000, 100.0, "5000 h", "0.5 year", 8760],
    "heat_rate": ["9695 Btu/kWh", "35%", 0.35, "11.2 MMBtu/MWh"],
    "factor.nox": ["9 ppmvd@15%O2", "0.099 lb/MMBtu", "2 ppmvd@15%O2", "25 ppmvd @ 15% O2"],
}
ODD = [NAN, None, "", INF, -INF, True, False, [1, 2], [], {"a": 1}, "abc", " ", "1_0", "\u0662", "16 MW MW", "nan",
       "inf", "-1", "0", "1e400", "\u22125", "2,5", "None", "True", "\x00", "9 ppmv@15%O2", 0.0, -0.0, 1.5, 1e308, 5e-324,
       2**63 - 1, -(2**53) - 1, "Infinity", "NaN", "1e-400", "\t7\n", "\u00bd", "0x10", "1.5", "16 MW/MW", "5 %"]
FIELDS = set(GOOD)
CHECKED = ["factor.nox", "turbines", "capacity", "heat_rate", "capacity_factor", "hours"]  # the scenario's order
OPTION = {"turbines": "--turbines", "capacity": "--capacity", "capacity_factor": "--capacity-factor",
          "hours": "--hours", "heat_rate": "--heat-rate"}
FLEET = {"turbines": 2, "capacity": "16 MW"}


def _value(field):
    good = st.sampled_from(GOOD[field])
    return st.one_of(good, good, st.sampled_from(ODD))  # about two good values in three


@st.composite
def records(draw):
    rec = {"turbines": draw(_value("turbines")), "capacity": draw(_value("capacity"))}
    run = draw(st.sampled_from(["capacity_factor", "hours", None]))
    if run:
        rec[run] = draw(_value(run))
    rec["heat_rate"] = draw(_value("heat_rate"))
    rec["factor.nox"] = draw(_value("factor.nox"))
    return rec


def _text(v):
    """A value as text in a CSV cell or an option ('' for None)."""
    if v is None:
        return ""
    if isinstance(v, (list, dict)):
        return json.dumps(v)
    return repr(v) if isinstance(v, float) else str(v)


def _error(where, message):
    """('error', field, message): the field an error names ('--heat-rate' is heat_rate; None for no field), the
    message as printed and with options spelt as fields ('give --turbines too' is 'give turbines too')."""
    field = where.removeprefix("--").replace("-", "_").replace("factor nox", "factor.nox")
    text = re.sub(r"--([a-z][a-z-]*)", lambda m: m.group(1).replace("-", "_"), printable(message))
    return ("error", field if field in FIELDS else None, text)


def _split(text):
    """The error of a text that starts with where it is, if it does ('hours: ...', '--factor nox: ...')."""
    head, sep, rest = text.partition(": ")
    return _error(head, rest) if sep and re.fullmatch(r"[\w.-]+( nox)?", head) else _error("", text)


def api(rec):
    try:
        doc = emiss.estimate(None, only=["nox"], **{k: None if v == "" else v for k, v in rec.items()})
    except EmissError as exc:
        return _error(exc.where, exc.message)
    return ("ok", doc["emissions"]["nox"]["value"])


def command_line(rec):
    args = ["estimate", "--only", "nox", "--format", "json"]
    for k in CHECKED:
        if rec.get(k) is not None and rec[k] != "":
            args += ["--factor", f"nox={_text(rec[k])}"] if k == "factor.nox" else [OPTION[k], _text(rec[k])]
    r = CliRunner().invoke(cli, args)
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    if r.exit_code:
        assert r.stdout == "" and r.stderr.count("\n") == 1, (r.stdout, r.stderr)  # one line, no traceback
        return _split(r.stderr.strip().removeprefix("Error: "))
    return ("ok", json.loads(r.stdout)["emissions"]["nox"]["value"])


def _batch(args, input_):
    r = CliRunner().invoke(cli, ["batch", "--only", "nox", *args], input=input_)
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    lines = r.stdout.splitlines()
    assert len(lines) == 1, (r.stdout, r.stderr)  # one result or one error per record: none lost
    out = json.loads(lines[0])
    if "error" in out:
        assert r.exit_code == 1
        return _error(out["error"].get("field") or "", out["error"]["message"])
    assert r.exit_code == 0
    return ("ok", out["emissions"]["nox"]["value"])


def ndjson(rec):
    return _batch([], json.dumps(rec, allow_nan=True) + "\n")


def csv_text(rec):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(list(rec))
    w.writerow([_text(v) for v in rec.values()])
    return _batch(["--input-format", "csv"], buf.getvalue())


def parquet(rec):
    buf = io.BytesIO()
    pq.write_table(pa.table({k: [v] for k, v in rec.items()}), buf)
    return _batch([], buf.getvalue())


def _frame(error, nox):
    return _split(error) if error is not None else ("ok", nox)


def columns(rec):
    out = emiss.estimate_frame({k: [v] for k, v in rec.items()}, only=["nox"])
    return _frame(out["error"][0], out["nox_short_ton_yr"][0])


def pandas(rec):
    out = emiss.estimate_frame(pd.DataFrame({k: [v] for k, v in rec.items()}), only=["nox"])
    return _frame(out["error"].iloc[0], out["nox_short_ton_yr"].iloc[0])


def polars(rec):
    out = emiss.estimate_frame(pl.DataFrame({k: [v] for k, v in rec.items()}), only=["nox"])
    return _frame(out["error"][0], out["nox_short_ton_yr"][0])


def dask(rec):
    ddf = dd.from_pandas(pd.DataFrame({k: [v] for k, v in rec.items()}), npartitions=1)
    meta = emiss.estimate_frame(ddf._meta, only=["nox"])
    out = ddf.map_partitions(emiss.estimate_frame, only=["nox"], meta=meta).compute(scheduler="synchronous")
    return _frame(out["error"].iloc[0], out["nox_short_ton_yr"].iloc[0])


PATHS = {"api": api, "ndjson": ndjson, "csv": csv_text, "parquet": parquet, "dict": columns, "pandas": pandas,
         "polars": polars, "dask": dask}


BLANK = "(blank)"  # a record's key written as None or '' (see the module's docstring)


def _held(rec, path):
    """What ``path`` holds of the record (see the module's docstring): paths holding the same give the same message."""
    if path == "api":
        return repr({k: v for k, v in rec.items() if v is not None and v != ""})
    if path == "csv":
        return repr({k: _text(v) if _text(v) != "" else BLANK for k, v in rec.items()})
    if path == "dask":
        return repr({k: str(v) if isinstance(v, (list, dict)) else BLANK if v is None or v == "" else v for k, v in rec.items()})
    return repr({k: BLANK if v is None or v == "" else v for k, v in rec.items()})


@settings(max_examples=60, deadline=None)
@given(records())
def test_every_path_gives_the_same_number_or_the_same_error(rec):
    paths = dict(PATHS)
    if all(_text(v).strip() == "" for v in rec.values()):
        del paths["csv"]  # a blank row, not a record
    got = {name: run(rec) for name, run in paths.items()}
    assert len({g[0] for g in got.values()}) == 1, got  # all estimate, or all fail
    if got["api"][0] == "ok":
        figures = {name: g[1] for name, g in got.items()} | {"cli": command_line(rec)[1]}
        assert all(isinstance(x, float) and math.isfinite(x) for x in figures.values()), figures
        assert len({x.hex() for x in figures.values()}) == 1, figures  # the same number, to the bit
        return
    assert len({g[1] for g in got.values()}) == 1, got  # the same field named (or none)
    by_held: dict[str, set[str]] = {}
    for name, g in got.items():
        by_held.setdefault(_held(rec, name), set()).add(g[2])
    assert all(len(m) == 1 for m in by_held.values()), got  # the same value held: the same message
    on_cli = command_line(rec)
    assert on_cli[0] == "error", (on_cli, got)
    nox = rec["factor.nox"]
    if nox not in (None, "") and _text(nox).strip() == "":
        assert on_cli == ("error", None, f"'nox={_text(nox)}' must look like POLLUTANT=QTY, e.g. nox=\"2 ppmvd@15%O2\"")
        return
    other = {"turbines": "capacity", "capacity": "turbines"}.get(got["api"][1] or "")
    if on_cli != got["api"] and (re.fullmatch(r"no fleet: .*|there is no fleet yet; give \w+ too, .*", got["api"][2])
                                 or (other and _text(rec.get(other)).strip() == "")):
        # the others found the fleet incomplete first (or, before saying so, the count or capacity given no value:
        # 'turbines: true' is no count); the CLI a bad value, when parsing it: alone, that value fails so
        assert on_cli[1] in FIELDS and command_line({**FLEET, on_cli[1]: rec[on_cli[1]]}) == on_cli, (on_cli, got)
        return
    assert on_cli[1] == got["api"][1], (on_cli, got)
    held = repr({k: _text(v).strip() for k, v in rec.items() if v is not None and v != ""})
    assert by_held.get(held, {on_cli[2]}) == {on_cli[2]}, (on_cli, got)  # the CLI's text is a CSV cell's: one message
