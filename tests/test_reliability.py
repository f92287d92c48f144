"""No silent wrong answer (issue 15): classes of input, not examples.

Generated spellings of one physical input must give one answer; generated impossible inputs must be
refused with one line; the corpus of refused inputs grows with every bug; I/O faults go through real
subprocesses (full disk, closed descriptors, signals, slow producers, odd encodings).
"""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from emiss.inputs import fields
from emiss.core import units
from emiss.errors import InputError
from emiss.core.model import Given

CORPUS = Path(__file__).parent / "corpus" / "refused.tsv"


def _check(field: str, value: str) -> float:
    return fields.FIELDS[field].parse(Given(value, "test", "cli", "user", "", f"--{field}"))


# ---- one physical input, many spellings ------------------------------------------------------------

_POWER = [("MW", 1e3), ("megawatt", 1e3), ("kW", 1.0), ("kilowatt", 1.0), ("W", 1e-3), ("GW", 1e6)]
_SPACES = ["", " ", "  ", "\u00a0", "\u202f"]


@settings(max_examples=300, deadline=None)
@given(st.floats(1, 500_000), st.sampled_from(_POWER), st.sampled_from(_SPACES), st.sampled_from(["", "+"]))
def test_capacity_spellings_give_one_answer(kw, unit, space, sign):
    name, per_kw = unit
    value = kw / per_kw
    assert _check("capacity", f"{sign}{value!r}{space}{name}") == pytest.approx(kw, rel=1e-12)


_YEAR_HOURS = 8760.0
_TIMES = [("h", 1.0), ("hour", 1.0), ("hours", 1.0), ("hr", 1.0), ("min", 1 / 60), ("day", 24.0), ("week", 168.0),
          ("year", _YEAR_HOURS), ("yr", _YEAR_HOURS), ("a", _YEAR_HOURS), ("month", _YEAR_HOURS / 12)]


@settings(max_examples=300, deadline=None)
@given(st.floats(0.001, 1.0), st.sampled_from(_TIMES))
def test_every_time_spelling_uses_the_one_modelled_year(fraction_of_year, unit):
    name, hours_per_unit = unit
    hours = fraction_of_year * _YEAR_HOURS
    assert _check("hours", f"{hours / hours_per_unit!r} {name}") == pytest.approx(hours, rel=1e-9)


@pytest.mark.parametrize(("text", "lb_per_year"), [
    ("1 lb/h", 8760.0), ("1 lb/hr", 8760.0), ("24 lb/day", 8760.0), ("1 tpy", 2000.0), ("1 ton/yr", 2000.0),
    ("1 short_ton/year", 2000.0), ("8760 lb/year", 8760.0), ("1 lb/hour", 8760.0)])
def test_mass_rates_agree_with_an_8760_hour_year(text, lb_per_year):
    # 1 lb/h x 8,760 h = 8,760 lb/yr; 1 tpy = 2,000 lb/yr (short ton); a day is 24 h of the same year
    assert units.convert(text, "lb/year", where="t", expect="a rate") == pytest.approx(lb_per_year, rel=1e-12)


def test_fail_above_in_lb_per_hour_uses_the_table_hours(run):
    # Memphis NOx: 259,640 lb/yr / 8,760 h = 29.639 lb/h, so 29.63 lb/h is crossed and 29.65 is not
    code, _, err = run("estimate", "--preset", "memphis", "--only", "nox", "--fail-above", "nox=29.63 lb/h")
    assert code == 3 and "29.64" in err
    code, _, _ = run("estimate", "--preset", "memphis", "--only", "nox", "--fail-above", "nox=29.65 lb/h")
    assert code == 0


@settings(max_examples=200, deadline=None)
@given(st.floats(0.01, 1.0))
def test_percent_and_fraction_are_one_answer(x):
    assert _check("capacity_factor", f"{x * 100!r}%") == pytest.approx(_check("capacity_factor", repr(x)), rel=1e-12)


# ---- impossible inputs, generated ---------------------------------------------------------------------

_MINUS = ["-", "\u2212", "\ufe63", "\uff0d"]


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(_MINUS), st.floats(0.001, 1e4), st.sampled_from(["capacity", "hours", "household_demand"]))
def test_a_negative_in_any_dash_is_refused(minus, x, field):
    unit = {"capacity": "MW", "hours": "h", "household_demand": "kW"}[field]
    with pytest.raises(InputError, match="more than zero|above 0"):
        _check(field, f"{minus}{x!r} {unit}")


@settings(max_examples=200, deadline=None)
@given(st.floats(0.0001, 3412.13))
def test_heat_rates_below_100_percent_efficiency_are_refused(hr):
    with pytest.raises(InputError, match="100 % efficient|more than zero"):
        _check("heat_rate", f"{hr!r} Btu/kWh")


@settings(max_examples=200, deadline=None)
@given(st.floats(100.0001, 1e6))
def test_efficiencies_above_100_percent_are_refused(pct):
    with pytest.raises(InputError, match="100 %"):
        _check("heat_rate", f"{pct!r}%")


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["16 MW", "0.5", "9695 Btu/kWh", "5000 h"]),
       st.sampled_from([" 1", " # note", " , 2", " %%", " 3 4", " MW MW 2"]))
def test_leftover_tokens_are_refused(base, tail):
    with pytest.raises(InputError):
        units.parse(base + tail, where="t")


@pytest.mark.parametrize("spelling", sorted(units.REFUSED))
def test_every_refused_spelling_is_refused(spelling):
    with pytest.raises(InputError):
        units.parse(f"1 lb/{spelling}" if "ppm" not in spelling else f"1 {spelling}", where="t")


def _corpus() -> list[tuple[str, str, str]]:
    rows = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            field, value, phrase = line.split("\t")
            rows.append((field, value, phrase))
    return rows


@pytest.mark.parametrize(("field", "value", "phrase"), _corpus(), ids=lambda x: str(x)[:30])
def test_corpus_of_refused_inputs(field, value, phrase, run):
    with pytest.raises(InputError) as exc:
        fields.check_text(field, value, where=fields.FIELDS[field].option)
    assert phrase in exc.value.message, exc.value.message
    option = fields.FIELDS[field].option
    args = ["estimate", "--turbines", "2", "--capacity", "16 MW", "--only", "nox", "--format", "value"]
    if field in ("turbines", "capacity"):
        args[args.index(option) + 1] = value
    else:
        args += [option, value]
    code, out, err = run(*args)
    assert code in (1, 2) and out == "" and len(err.strip().splitlines()) == 1 and "Traceback" not in err, (args, err)


def test_repeated_options_are_refused(run):
    for args in (["--capacity", "16 MW", "--capacity", "1 MW"], ["--only", "nox", "--only", "co"]):
        code, out, err = run("estimate", "--turbines", "2", *args, "--capacity-factor", "0.5")
        assert code == 2 and out == "" and "more than once" in err


def test_efficiency_range_centres_on_the_midpoint_as_written():
    from emiss.inputs.scenario import scenario_from

    sc = scenario_from(None, {"turbines": 1, "capacity": "10 MW", "heat_rate": "30%..40%", "heat_rate_basis": "hhv"})
    # the midpoint of 30 % and 40 % is 35 %: 3,412.14 / 0.35 = 9,749.0 Btu/kWh (not the 34.3 % of the heat-rate midpoint)
    assert sc.groups[0].heat_rate == pytest.approx(3412.14163 / 0.35, rel=1e-6)


def test_a_preset_value_outside_its_own_range_is_refused(tmp_path, run):
    p = tmp_path / "site.toml"
    p.write_text('[[fleet]]\ncount = 1\ncapacity = "5 MW"\nheat_rate = "9000 Btu/kWh"\n'
                 '[operation]\ncapacity_factor = { value = 0.9, low = 0.2, high = 0.5 }\n')
    code, out, err = run("estimate", "--preset", str(p))
    assert code == 1 and "outside its own range" in err
    code, out, err = run("presets", "validate", str(p))
    assert code == 1 and "outside its own range" in err


def test_manifest_hash_covers_ranges_seed_and_mass_unit(run_json):
    hashes = {run_json("estimate", "--preset", "memphis", *extra)["manifest"]["inputs_sha256"]
              for extra in (["--capacity-factor", "0.8"], ["--capacity-factor", "0.6..1.0", "--samples", "10", "--seed", "1"],
                            ["--capacity-factor", "0.7..0.9", "--samples", "10", "--seed", "2"], ["--mass-unit", "kg"])}
    assert len(hashes) == 4 and all(len(h) == 64 for h in hashes)


def test_plausible_range_warns_in_the_output(run_json):
    doc = run_json("estimate", "--turbines", "2", "--capacity", "16 MW", "--heat-rate", "25000 Btu/kWh")
    assert any("unusual" in w and "heat rate" in w for w in doc["warnings"])


# ---- I/O faults, through real processes ------------------------------------------------------------

def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONIOENCODING", "COLUMNS", "NO_COLOR")}
    env.update(extra)
    return env


def _emiss(args: list[str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "emiss", *args], capture_output=True, timeout=60, env=kw.pop("env", _env()), **kw)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_disk_is_one_line():
    with open("/dev/full", "w") as full:
        r = subprocess.run([sys.executable, "-m", "emiss", "estimate", "--preset", "memphis"], stdout=full,
                           stderr=subprocess.PIPE, timeout=60, env=_env())
    assert r.returncode == 1 and b"Traceback" not in r.stderr and len(r.stderr.splitlines()) == 1, r.stderr


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_disk_under_parquet_output_is_one_line(tmp_path):
    # the Parquet writer runs on a background thread: its error must still reach the user as one line
    pytest.importorskip("pyarrow")
    src = tmp_path / "in.ndjson"
    src.write_text("".join(json.dumps({"id": i, "turbines": 1 + i % 9, "capacity": f"{5 + i % 7} MW"}) + "\n" for i in range(70000)))
    r = _emiss(["batch", "--input", str(src), "--output", "/dev/full", "--output-format", "parquet"])
    assert r.returncode == 1 and b"Traceback" not in r.stderr and len(r.stderr.splitlines()) == 1, r.stderr
    assert b"No space left" in r.stderr and r.stdout == b""


def test_closed_stdout_and_stdin_are_one_line():
    r = subprocess.run(f"{sys.executable} -m emiss factors >&-", shell=True, capture_output=False, stderr=subprocess.PIPE,
                       timeout=60, env=_env())
    assert r.returncode == 1 and b"Traceback" not in r.stderr and b"closed" in r.stderr
    r = subprocess.run(f"{sys.executable} -m emiss batch <&-", shell=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=60, env=_env())
    assert r.returncode == 1 and b"Traceback" not in r.stderr and b"closed" in r.stderr


@pytest.mark.parametrize("env", [{"PYTHONIOENCODING": "ascii"}, {"LC_ALL": "C", "PYTHONUTF8": "0"}])
def test_odd_terminals_still_print_the_table(env):
    # an encoding is fixed when the interpreter starts: a process of its own
    r = _emiss(["estimate", "--preset", "memphis"], env=_env(**env))
    assert r.returncode == 0 and b"Traceback" not in r.stderr and b"nox" in r.stdout, r.stderr


@pytest.mark.parametrize("columns", ["abc", "0", "-5"])
def test_an_odd_terminal_width_still_prints_the_table(columns):
    # COLUMNS is read when the table is drawn, not when Python starts: in-process, with it set for the run
    from click.testing import CliRunner

    from emiss.cli import cli

    r = CliRunner(env={"COLUMNS": columns}).invoke(cli, ["estimate", "--preset", "memphis"])
    assert r.exit_code == 0 and r.exception is None and "nox" in r.stdout, r.stderr


# ---- odd input, read in-process (how a body is read is the same in any process; no launch needed) ----------

def _batch(args: list[str], stdin: bytes | None = None):
    """Run emiss batch in-process (what is tested here is how the input is read, not the process around it)."""
    from click.testing import CliRunner

    from emiss.cli import cli

    return CliRunner().invoke(cli, ["batch", *args], input=stdin)


def test_batch_reads_bom_arrays_utf16_gzip_and_odd_lines(tmp_path):
    rec = {"id": "a", "turbines": 1, "capacity": "5 MW"}
    cases = {
        "bom.ndjson": b"\xef\xbb\xbf" + json.dumps(rec).encode() + b"\n",
        "array.json": json.dumps([rec, rec], indent=2).encode(),
        "utf16.csv": "id,turbines,capacity\na,1,5 MW\n".encode("utf-16"),
        "gz.ndjson.gz": gzip.compress((json.dumps(rec) + "\n").encode()),
        "sep.ndjson": (json.dumps({**rec, "id": "x\u2028y\u0085z"}, ensure_ascii=False) + "\n").encode(),
        "quoted.csv": b'id,turbines,capacity\n"two\nlines",1,5 MW\n',
    }
    for name, body in cases.items():
        path = tmp_path / name
        path.write_bytes(body)
        r = _batch(["--input", str(path), "--only", "nox"])
        assert r.exit_code == 0 and r.exception is None, (name, r.stderr, r.exception)
        lines = r.stdout.splitlines()
        assert len(lines) == (2 if name == "array.json" else 1), (name, lines)
        assert all("emissions" in json.loads(line) for line in lines), name


@pytest.mark.parametrize(("body", "needle"), [(b"[1]\n" + json.dumps({"turbines": 1, "capacity": "5 MW"}).encode() + b"\n", b"not a JSON object"),
                                              (b"null\n", b"not a JSON object"),
                                              (b"id,turbines,capacity\na,1\n", b"cells"),
                                              (b"id,turbines,turbines\na,1,2\n", b"twice"),
                                              (b'{"turbines": 1, "turbines": 2, "capacity": "5 MW"}\n', b"twice")])
def test_batch_never_takes_a_record_for_a_header_or_a_short_row_for_defaults(body, needle):
    r = _batch(["--only", "nox"], body)
    # an error emiss says (SystemExit with its code), not an exception that escaped it
    assert r.exit_code == 1 and needle.decode() in r.stderr and isinstance(r.exception, SystemExit), (r.stderr, r.exception)


def test_true_is_not_one_even_after_a_memo_hit():
    body = b'{"turbines": 1, "capacity": "5 MW"}\n{"turbines": true, "capacity": "5 MW"}\n'
    r = _batch(["--only", "nox"], body)
    assert r.exit_code == 1 and "record 2" in r.stderr


# ---- more I/O faults, through real processes ------------------------------------------------------------

@pytest.mark.parametrize("first", [json.dumps({"id": 1, "turbines": 1, "capacity": "5 MW"}).encode() + b"\n",
                                   b"id,turbines,capacity\n1,1,5 MW\n"], ids=["ndjson", "csv"])
def test_slow_producer_output_is_flushed_and_sigterm_keeps_it(first):
    # the record that has arrived is estimated and written while the producer is silent (CSV rows are read in
    # runs, as NDJSON lines are: a run ends where a read ends)
    proc = subprocess.Popen([sys.executable, "-m", "emiss", "batch", "--only", "nox"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env())
    proc.stdin.write(first)
    proc.stdin.flush()
    os.set_blocking(proc.stdout.fileno(), False)
    got = b""
    deadline = time.monotonic() + 20
    while b"\n" not in got and time.monotonic() < deadline:  # the line comes while the producer is still silent
        time.sleep(0.05)
        got += proc.stdout.read() or b""
    assert b'"record": 1' in got
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=20)
    rest = proc.stdout.read() or b""
    assert proc.returncode == 128 + signal.SIGTERM
    assert (got + rest).endswith(b"\n") and b"Traceback" not in proc.stderr.read()


def test_a_damaged_or_edited_unit_cache_is_never_believed(tmp_path):
    env = _env(EMISS_CACHE_DIR=str(tmp_path))
    first = _emiss(["estimate", "--preset", "memphis", "--only", "nox", "--format", "value"], env=env)
    cache = next(tmp_path.glob("units-*.json"))
    doc = json.loads(cache.read_text())
    doc["mult"] = {k: v * 2 for k, v in doc["mult"].items()}  # doubles every conversion, checksum left as it was
    cache.write_text(json.dumps(doc))
    again = _emiss(["estimate", "--preset", "memphis", "--only", "nox", "--format", "value"], env=env)
    assert again.stdout == first.stdout
    cache.write_text('{"info": {"MW": "x"}, "mult": {"MW|kW": "two"}}')
    again = _emiss(["estimate", "--preset", "memphis", "--only", "nox", "--format", "value"], env=env)
    assert again.stdout == first.stdout and b"Traceback" not in again.stderr


def test_no_pickle_cache_is_read(tmp_path):
    (tmp_path / "pint").mkdir()
    (tmp_path / "pint" / "evil.pickle").write_bytes(b"cos\nsystem\n(S'touch " + str(tmp_path / "owned").encode() + b"'\ntR.")
    _emiss(["estimate", "--turbines", "1", "--capacity", "7 MW"], env=_env(EMISS_CACHE_DIR=str(tmp_path)))
    assert not (tmp_path / "owned").exists()


# The fast JSON reader (orjson, for bytes) must give what the exact reader (json with a duplicate-key hook, for
# text) gives on every line; the exact reader is the specification.
_JSON_EDGES = [
    b'{"turbines": 2, "turbines": 3}',  # duplicate key: orjson alone would keep 3
    b'{"turbines" : 2 ,\t"turbines"\n: 3}',  # the same with whitespace around the colon
    b'{"id": "a\\":", "turbines": 2}',  # a key-like text inside a string
    b'{"turbines": 123456789012345678901234567890}',  # beyond 64 bits: orjson would make it a float
    b'{"turbines": [1, 123456789012345678901234567890]}',
    b'{"fleet": {"a": 1, "a": 2}}',  # duplicate key one level down
    b'{"turbines": NaN}',
    b'{"turbines": 1e400}',
    b'{"x": "\\ud800"}',
    b'[1, 2]',
    b'{}',
    b'{"capacity": "16 MW", "factor.nox": "9 ppmvd@15%O2", "id": -0.0}',
    b'{"id": "x\\":", "id" :2}',  # a repeated key hidden by an escaped quote and a space before the colon
    b'{"turbines":"a","turbines" :null}',  # a repeated key whose first value is text (the quotes count it)
    b'{"turbines":1,"turbines":[]}',
]

_json_scalars = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
                          st.floats(allow_nan=False), st.text(max_size=8))
_json_keys = st.sampled_from(["id", "turbines", "capacity", "a", 'q":', "fleet"])


@pytest.mark.parametrize("line", _JSON_EDGES)
def test_fast_json_reader_agrees_with_the_exact_reader_on_edges(line):
    from emiss.batch import read as batch

    assert batch.json_record(line, 7) == batch.json_record(line.decode("utf-8"), 7)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_json_keys, st.one_of(_json_scalars, st.lists(_json_scalars, max_size=2))), max_size=6),
       st.sampled_from([", ", ",", " ,\t"]), st.sampled_from([": ", ":", " : "]))
def test_fast_json_reader_agrees_with_the_exact_reader(pairs, comma, colon):
    from emiss.batch import read as batch

    # written by hand so that duplicate keys and odd spacing reach the reader as text
    line = "{" + comma.join(json.dumps(k) + colon + json.dumps(v) for k, v in pairs) + "}"
    fast, exact = batch.json_record(line.encode("utf-8"), 3), batch.json_record(line, 3)
    assert fast == exact
    if len({k for k, _ in pairs}) < len(pairs):
        assert "twice" in exact.error  # the specification itself refuses duplicates


_field_keys = st.sampled_from(["id", "turbines", "capacity", "factor.nox", "capacity_factor", "a", 'q":', "fleet"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.lists(st.tuples(_field_keys, st.one_of(_json_scalars, st.lists(_json_scalars, max_size=2))), max_size=5),
                          st.sampled_from([", ", ",", " ,\t"]), st.sampled_from([": ", ":", " : "]), st.sampled_from(["\n", "\r\n", " \n"])),
                min_size=1, max_size=6),
       st.sampled_from(["", '{"a": 1', '"b": 2}', "[1]", "{}", '{"id": 1}{"id": 2}', "   "]))
def test_a_block_of_lines_reads_as_each_line_alone(specs, odd):
    # line_block reads a block of NDJSON lines with one orjson call when it can; each row must then be the
    # record that the line-by-line reader gives that line (duplicates, nesting, odd lines, CRLF included).
    from emiss.batch import read as batch
    from emiss.batch.tables import DictRows

    lines = ["{" + comma.join(json.dumps(k) + colon + json.dumps(v) for k, v in pairs) + "}" + end for pairs, comma, colon, end in specs]
    if odd.strip():
        lines.insert(len(lines) // 2, odd + "\n")
    raw = [line.encode("utf-8") for line in lines]
    block = batch.line_block(raw, 5)
    assert [block.record(i) for i in range(block.n)] == [batch.json_record(line, 5 + i) for i, line in enumerate(raw)]
    if isinstance(block, DictRows):  # read in one go: then nothing a line-by-line read would refuse or rename
        assert all(not r.error for r in (block.record(i) for i in range(block.n)))


@pytest.mark.parametrize("gsd, ok", [(1.5, True), (3, True), (0.5, False)])
def test_lognormal_gsd_is_a_plain_ratio_of_at_least_one(tmp_path, gsd, ok):
    # A geometric standard deviation is any ratio >= 1 (1.5 and 3 are common); it was once checked as an HHV/LHV
    # ratio (1-1.2) by mistake. Hours with a lognormal around 8,760 h: the central value, and so NOx, is unchanged.
    from emiss import build_scenario
    from emiss.errors import EmissError

    text = (Path(__file__).parent.parent / "presets" / "memphis.toml").read_text()
    old = 'hours = { value = "8760 h", low = "4380 h", mode = "8760 h", high = "8760 h",'
    assert old in text
    p = tmp_path / "p.toml"
    p.write_text(text.replace(old, f'hours = {{ value = "8760 h", dist = "lognormal", gsd = {gsd},'))
    if ok:
        assert build_scenario(str(p)).hours == 8760.0
    else:
        with pytest.raises(EmissError, match="lognormal"):
            build_scenario(str(p))


@pytest.mark.parametrize("line", [b'{"turbines" : 1, "turbines": 2, "capacity": "16 MW"}', b'{"turbines"\t: 1, "turbines": 2}',
                                  b'{"turbines": 1, "capacity" : "16 MW", "capacity": "5 MW"}', b'{"id": "a" , "id": "b"}'])
def test_a_key_written_twice_is_refused_in_a_block_too(line):
    # a block of lines read with one orjson call must refuse what the line-by-line reader refuses: orjson keeps the
    # last of two equal keys, and a space before one of the colons must not hide the second
    from emiss.batch import read as batch

    good = b'{"turbines": 2, "capacity": "16 MW"}\n'
    block = batch.line_block([good, line + b"\n", good], 1)
    alone = batch.json_record(line.decode(), 2)
    assert "twice" in alone.error
    assert block.record(1) == alone
