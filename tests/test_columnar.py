"""The columnar batch engine gives what one record at a time gives, to the character, failures included."""

from __future__ import annotations

import io
import json

import pytest

from hypothesis import given, settings
from hypothesis import strategies as st

from emiss.batch.lines import LinesSink
from emiss.batch.read import CsvRows, Lines, json_record, read_records
from emiss.batch.records import Record, normalise
from emiss.batch.results import ResultColumns
from emiss.batch import columnar
from tests.batch_oracle import error_doc, record_doc, sink_line
from emiss.core.model import Spec
from emiss.errors import EmissError
from emiss.batch.lines import json_id
from emiss.report.render import json_line as _json_line


def json_line(doc):
    """The plain JSON line of a document, its id passed through unchanged (as JSON that reads back the same)."""
    rest = {k: v for k, v in doc.items() if k != "id"}
    return '{"id": ' + json_id(doc["id"]) + ", " + _json_line(rest)[1:]


def one_by_one(records, engine):
    """Estimate records one at a time, each built in full (the reference path; the columnar engine must give the same)."""
    for record in records:
        try:
            yield [(record, engine.run(record), -1, None)]
        except EmissError as exc:
            yield [(record, None, 0, exc)]


def as_records(items):
    """The records of what read_records yields, each read alone (NDJSON lines by json_record, CSV rows by normalise)."""
    out = []
    for item in items:
        if isinstance(item, Lines):
            out += [json_record(line, item.start + k) for k, line in enumerate(item.lines)]
        elif isinstance(item, CsvRows):
            out += [normalise(dict(zip(item.header, row)), item.start + k) for k, row in enumerate(item.rows)]
        else:
            out.append(item)
    return out

# Values the whole-column readers must read as the one-value parser does, or leave to it: no space before the unit,
# spaces and tabs around it, '_' in a number (float() reads '1_000', the parser does not), inf and nan, signs,
# exponents, ranges, and Method 19 references written in several ways (or out of range).
ODD_NUMBERS = ["12MW", " 12 MW", "12 MW ", "12\tMW", "1_000 kW", "inf MW", "nan MW", "+5 MW", "-5 MW", "1e3 kW", "5.e3 kW",
               ".5 MW", "5 MW..", "1..5 MW", "12 Btu / kWh", "12 megawatt"]
ODD_PPM = ["9 ppmvd @ 15% O2", "9 ppmvd@15%O2 ", "9ppmvd@15%O2", "-3 ppmvd@15%O2", "+3 ppmvd@15%O2", "9 ppmvd@25%O2",
           "9 ppmvd@15.5%O2", "1e-1 ppmvd@15%O2", "1e+1 ppmvd@15%O2", "inf ppmvd@15%O2", "2..9 ppmvd@15%O2", "1_0 ppmvd@15%O2",
           "9 ppmvd@0%O2", "9 ppmvd@20.9%O2", "9\tppmvd@15%O2", "0 ppmvd@15%O2", "9  ppmvd@15%O2", "\u0669 ppmvd@15%O2",
           "9 ppmvd@15%O\u2082", "9\u00a0ppmvd@15%O2", "1-0 ppmvd@15%O2", "9 ppmvd@15%O2 ppmvd@15%O2",
           # more than the whole gas (1,000,000 ppmvd; NO2 alone is 2,052,735 mg/Nm3), and the whole gas itself
           "2e6 ppmvd@15%O2", "1000001 ppmvd@15%O2", "1000000 ppmvd@15%O2", "1e6 ppmvd@3%O2", "2.1e6 mg/Nm3@5%O2"]
VALUE = {
    "turbines": st.one_of(st.integers(1, 40), st.sampled_from(["3", "2.0", "0", "-1", "two", True, "1e7", 2.0, 2.5, 2**53 + 1, 10**400,
                                                              -(2**60), "1e400"])),
    "capacity": st.one_of(st.floats(0.5, 500).map(lambda x: f"{x!r} MW"), st.floats(0.5, 500).map(lambda x: f"{x!r}MW"),
                          st.sampled_from(["16 MW", "2500 kW", "16,5 MW", "5 kg", "3000 MW", 12, "5 kW", *ODD_NUMBERS])),
    "capacity_factor": st.one_of(st.floats(0.01, 1.0), st.floats(1, 100).map(lambda x: f"{x!r}%"),
                                 st.sampled_from(["150%", "0", "0.5..0.9", "50 %", "50%%", "-5%", "0.5 MW"])),
    "hours": st.one_of(st.floats(1, 8760).map(lambda x: f"{x!r} h"), st.sampled_from(["0.5 year", "100 day", "5000 h/yr", "9000 h", 5000])),
    "heat_rate": st.one_of(st.floats(6000, 20000).map(lambda x: f"{x!r} Btu/kWh"),
                           st.sampled_from(["9695 Btu/kWh", "35%", "11 MJ/kWh", "3000 Btu/kWh", 0.4, "25000 Btu/kWh", "9695 Btu / kWh", "9695Btu/kWh"])),
    "factor.nox": st.one_of(st.floats(0.5, 30).map(lambda x: f"{x!r} ppmvd@15%O2"),
                            st.floats(0, 1).map(lambda x: f"{x!r} lb/MMBtu"),
                            st.sampled_from(["0.099 lb/MMBtu", "0.3 lb/MWh", "1.5 lb/h", "bad", "130 tpy", "2 t/yr", "500 mg/Nm3@5%O2", *ODD_PPM])),
    "household_use": st.sampled_from(["10791 kWh/yr", "900 kWh", 12000, "900 kWh/month"]),
    # factors in units that are a fixed multiple of a canonical form (read per distinct unit), and ones that are not
    "factor.pm": st.one_of(st.tuples(st.floats(0, 5), st.sampled_from(["lb/MMBtu", "g/kWh", "kg/MMBtu", "lb/MWh", "lb/h", "lb/MMscf",
                                                                         "g/GJ", "ng/J", "lb/MMBtu ", "g/bhp-hr", "ppmvd@15%O2"]))
                           .map(lambda t: f"{t[0]!r} {t[1]}"),
                           st.sampled_from(["-0.1 lb/MMBtu", "0.1lb/MMBtu", "nan lb/MMBtu", "1_0 lb/MMBtu", "0.1 furlong", "-0 lb/MMBtu",
                                            "5e lb/MMBtu", "1e-3 lb/MWh", "0.1", 0.1])),
}
RECORD = st.fixed_dictionaries({"turbines": VALUE["turbines"], "capacity": VALUE["capacity"]},
                               optional={k: v for k, v in VALUE.items() if k not in ("turbines", "capacity")})


def reference(records, fmt="ndjson"):
    """One record at a time, through the full reference path."""
    engine = columnar.Engine(Spec(), {})
    out = []
    for chunk in one_by_one(records, engine):
        for rec, res, _, exc in chunk:
            out.append(json_line(error_doc(rec, exc)) if exc is not None else json_line(record_doc(rec, res, None)))
    return out


def columnar_lines(items, threaded=True):
    """The columnar engine's lines for records, or for NDJSON lines given as batch.Lines, as the CLI reads them."""
    engine = columnar.Engine(Spec(), {})
    lines = LinesSink(io.StringIO(), "ndjson", ResultColumns(None, "short_ton"))
    out = []
    for block, outcomes in engine.chunks(items, threaded=threaded):
        texts, errors = lines.texts(block, outcomes)
        if not errors:  # a block of one result may come as one text
            texts = "".join(texts).splitlines(keepends=True)
        out += [json_line(error_doc(block.record(i), errors[i])) if i in errors else text for i, text in enumerate(texts)]
    return out


def as_lines(raws):
    """The NDJSON text of raw records (id first), as batch.Lines of one or two lines."""
    text = [json.dumps({"id": i, **raw}).encode() + b"\n" for i, raw in enumerate(raws, 1)]
    return [Lines(text[k:k + 2], k + 1) for k in range(0, len(text), 2)]


@settings(max_examples=150, deadline=None)
@given(st.lists(RECORD, min_size=1, max_size=30), st.integers(1, 7))
def test_columnar_equals_one_at_a_time(raws, chunk):
    records = []
    for i, raw in enumerate(raws, 1):
        if "capacity_factor" in raw and "hours" in raw:
            raw.pop("hours")
        records.append(normalise({"id": i, **raw}, i))
    old = columnar.CHUNK
    columnar.CHUNK = chunk  # chunk boundaries fall anywhere, bad records at either side of them
    try:
        got = columnar_lines(records)
        read_together = columnar_lines(as_lines(raws), threaded=False)  # NDJSON lines read in one go per block
    finally:
        columnar.CHUNK = old
    want = reference(records)
    assert got == want
    assert read_together == want


def test_a_bad_record_last_in_one_chunk_and_first_in_the_next(monkeypatch):
    monkeypatch.setattr(columnar, "CHUNK", 2)
    raws = [{"turbines": 1, "capacity": "5 MW"}, {"turbines": 1, "capacity": "5 furlongs"},
            {"turbines": 1, "capacity": "-5 MW"}, {"turbines": 2, "capacity": "7 MW"}]
    records = [normalise({"id": i, **r}, i) for i, r in enumerate(raws, 1)]
    got = [json.loads(x) for x in columnar_lines(records)]
    assert ["error" in d for d in got] == [False, True, True, False]
    assert [d["record"] for d in got] == [1, 2, 3, 4]


def test_mixed_shapes_and_units_in_one_chunk():
    raws = [{"turbines": 1, "capacity": "5 MW"}, {"turbines": 1, "capacity": "5000 kW"}, {"turbines": 1, "capacity": "5 MW",
            "factor.nox": "2 ppmvd@15%O2"}, {"turbines": 1, "capacity": "5 MW", "factor.nox": "0.01 lb/MMBtu"},
            {"turbines": 1, "capacity": "5 MW", "factor.nox": "0.1 lb/MWh"}, {"turbines": 1, "capacity": "5 MW", "control": "lean-premix"}]
    records = [normalise({"id": i, **r}, i) for i, r in enumerate(raws, 1)]
    assert columnar_lines(records) == reference(records)
    first, second = (json.loads(x) for x in columnar_lines(records)[:2])
    assert first["emissions"]["nox"]["value"] == second["emissions"]["nox"]["value"]  # 5 MW = 5000 kW exactly


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 4).flatmap(lambda k: st.lists(st.lists(st.floats(allow_nan=False, allow_infinity=False), min_size=k, max_size=k),
                                                    min_size=1, max_size=20)), st.sampled_from([",", "\t"]))
def test_csv_row_texts_are_the_reprs_of_each_value(rows, sep):
    # a CSV row's numbers are written for the whole block by one orjson call; each row must read as repr() of each value
    import numpy as np

    from emiss.batch.lines import matrix_texts

    assert matrix_texts(np.array(rows, dtype=np.float64), sep) == [sep.join(map(repr, r)) for r in rows]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.floats(allow_nan=False, allow_infinity=False), max_size=50))
def test_fast_float_text_is_reprs_text(values):
    from emiss.batch.results import reprs as _reprs

    assert _reprs(values) == [repr(v) for v in values]


def test_a_group_field_after_a_fleet_wide_one_is_applied_on_both_paths():
    # Memphis: 4 x 16 MW turbines and 14 x 2.5 MW gensets. heat_rate sets both groups, fleet.2.heat_rate then
    # overrides the gensets. By hand, HHV = LHV x 1.108, 8,760 h:
    #   (64,000 kW x 9,500 + 35,000 kW x 12,000) Btu/kWh x 1.108 / 1e6 = 1,139.024 MMBtu/h -> 9,977,850.24 MMBtu/yr
    # (a template filled with heat_rate alone would give the gensets 9,500 too: 9,128,568 MMBtu/yr).
    from emiss.inputs.presets import load

    records = [Record(1, None, {"heat_rate": "9500 Btu/kWh", "fleet.2.heat_rate": "12000 Btu/kWh"}),
               Record(2, None, {"heat_rate": "9500 Btu/kWh", "fleet.2.heat_rate": "12000 Btu/kWh", "capacity_factor": "100%"})]
    one = columnar.Engine(load("memphis"), {})
    for rec in records:
        assert one.run(rec).heat_input_mmbtu == pytest.approx(9_977_850.24, rel=1e-12)
    [(block, outcomes)] = list(columnar.Engine(load("memphis"), {}).chunks(records, threaded=False))
    values, _, errors = ResultColumns(None, "short_ton").block(block.n, outcomes)
    assert not errors
    assert values[2].tolist() == pytest.approx([9_977_850.24] * 2, rel=1e-12)  # heat input, the third output


@pytest.mark.parametrize("column", [["12 MW"] * 5 + [value] for value in ODD_NUMBERS])
def test_one_odd_value_in_a_clean_column(column):
    # the whole-column reader falls back for one odd value without changing what the others give
    records = [normalise({"id": i, "turbines": 2, "capacity": v}, i) for i, v in enumerate(column, 1)]
    assert columnar_lines(records) == reference(records)


@pytest.mark.parametrize("odd", ODD_PPM)
def test_one_odd_ppm_factor_in_a_clean_column(odd):
    column = ["9 ppmvd@15%O2", "2.5 ppmvd@15%O2", odd, "25 ppmvd@15%O2"]
    records = [normalise({"id": i, "turbines": 2, "capacity": "16 MW", "factor.nox": v}, i) for i, v in enumerate(column, 1)]
    assert columnar_lines(records) == reference(records)


def test_factor_forms_mixed_in_one_shape_are_each_estimated():
    # By hand, one 10 MW turbine at 9,695 Btu/kWh (read as LHV, the default basis; HHV = LHV x 1.108), 8,760 h:
    #   heat input = 10,000 kW x 9,695 Btu/kWh x 1.108 x 8,760 h = 941,004.456 MMBtu/yr (HHV)
    #   at 0.01 lb/MMBtu -> 9,410.04456 lb = 4.70502228 short tons; at 0.02 -> 9.41004456
    #   generation = 87,600 MWh/yr; at 0.1 lb/MWh -> 8,760 lb = 4.38 short tons
    raws = [{"factor.nox": "0.01 lb/MMBtu"}, {"factor.nox": "0.1 lb/MWh"}, {"factor.nox": "0.02 lb/MMBtu"}]
    records = [normalise({"id": i, "turbines": 1, "capacity": "10 MW", "heat_rate": "9695 Btu/kWh", "hours": "8760 h", **r}, i)
               for i, r in enumerate(raws, 1)]
    got = [json.loads(x)["emissions"]["nox"]["value"] for x in columnar_lines(records)]
    assert got == pytest.approx([4.70502228, 4.38, 9.41004456], rel=1e-9)
    assert columnar_lines(records) == reference(records)


ODD_IDS = [1, "a,b", 'q"x', "=1+2", None, 2.5, "tab\there", "new\nline", "-3", True, "ünï", "@x", 10**20]


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
@pytest.mark.parametrize("with_error", [False, True])
def test_csv_rows_of_a_block_are_the_rows_one_record_at_a_time(fmt, with_error):
    # a block's CSV/TSV text is laid out column-wise; each row must be what csv.writer writes for that record alone
    raws = [{"id": rid, "turbines": 1 + k % 5, "capacity": f"{5 + k} MW"} for k, rid in enumerate(ODD_IDS)]
    if with_error:
        raws[4]["capacity"] = "-5 MW"
    records = [normalise(dict(r), i) for i, r in enumerate(raws, 1)]
    engine = columnar.Engine(Spec(), {})
    want = []
    one = LinesSink(io.StringIO(), fmt, ResultColumns(None, "short_ton"))
    for [(rec, res, _, exc)] in one_by_one(records, engine):
        want.append(None if exc is not None else sink_line(one, rec, res))
    lines = LinesSink(io.StringIO(), fmt, ResultColumns(None, "short_ton"))
    got = []
    for block, outcomes in engine.chunks(records, threaded=False):
        texts, errors = lines.texts(block, outcomes)
        if not errors:  # one text for the block
            texts = _split_csv("".join(texts), block.n, fmt)
        got += [None if i in errors else t for i, t in enumerate(texts)]
    assert got == want


def _split_csv(text, n, fmt):
    """Split CSV text into its n physical rows as csv.writer wrote them (a quoted cell may hold a newline)."""
    import csv as csvmod
    import io

    out, buf = [], io.StringIO()
    w = csvmod.writer(buf, delimiter="\t" if fmt == "tsv" else ",", lineterminator="\n")
    for row in csvmod.reader(io.StringIO(text), delimiter="\t" if fmt == "tsv" else ","):
        buf.seek(0)
        buf.truncate()
        w.writerow(row)
        out.append(buf.getvalue())
    assert len(out) == n and "".join(out) == text
    return out


_CSV_CELLS = {
    "id": st.sampled_from(["a", "", "7", "x,y", 'q"q', "=1"]),
    "turbines": st.sampled_from(["2", "", "0", "two", "3.0", " 4"]),
    "capacity": st.sampled_from(["16 MW", "2500 kW", "", "-1 MW", "5 kg", "1e3 kW", "16MW"]),
    "capacity_factor": st.sampled_from(["0.5", "85%", "", "1.5", "0.5..0.9"]),
    "factor.nox": st.sampled_from(["9 ppmvd@15%O2", "0.099 lb/MMBtu", "", "bad"]),
}


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(list(_CSV_CELLS)), min_size=1, max_size=5, unique=True), st.data(),
       st.sampled_from([",", "\t"]), st.sampled_from(["\n", "\r\n"]))
def test_csv_read_as_columns_equals_record_by_record(names, data, sep, eol):
    # the columnar CSV reader (runs of plain rows as one Table) against the record-by-record reader, with blank
    # rows, short and long rows, a quoted newline and bytes that are not UTF-8 among plain ones
    import csv as csvmod
    import io

    buf = io.StringIO()
    w = csvmod.writer(buf, delimiter=sep, lineterminator=eol)
    w.writerow(names)
    for _ in range(data.draw(st.integers(1, 25))):
        kind = data.draw(st.sampled_from(["plain"] * 6 + ["blank", "short", "long", "newline"]))
        row = [data.draw(_CSV_CELLS[n]) for n in names]
        if kind == "blank":
            row = [""] * len(names)
        elif kind == "short":
            row = row[:-1]
        elif kind == "long":
            row = row + ["9"]
        elif kind == "newline":
            row[0] = "two\nlines"
        w.writerow(row)
    raw = buf.getvalue().encode()
    if data.draw(st.booleans()):
        raw = raw.replace(b"16 MW", b"16 M\xff", 1)  # one cell that is not UTF-8
    lazy = list(read_records(io.BytesIO(raw), "auto"))
    want = reference(as_records(lazy))  # one record at a time, worked out once for both engines
    assert columnar_lines(lazy, threaded=False) == want
    assert columnar_lines(lazy, threaded=True) == want


# 30 examples of 20-60 rows (~35 ms each): every capacity, factor and capacity-factor value below is in at least 15
# of them on each of 10 seeds tried (the median value in 27), mixed with the others; 60 examples only repeated the mixtures
@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["16 MW", "16500 kW", "5.7 MW", "2 MW", "bad", "-3 MW", "7e3 kW", "16MW"]),
                          st.sampled_from(["9 ppmvd@15%O2", "2 ppmvd@15%O2", "9 ppmvd@3%O2", "0.099 lb/MMBtu", "0.3 lb/MWh",
                                           "-1 lb/MMBtu", "5 furlong", "1e-3 g/kWh", "0.2 g/kWh", "9 ppmvd@25%O2"]),
                          st.sampled_from([0.5, 1, "85%", 0.6])),
                min_size=20, max_size=60))
def test_columns_of_many_mixed_units_and_forms_equal_one_at_a_time(rows):
    # many rows, so that the whole-column readers meet several units and factor forms at once
    records = [normalise({"id": i, "turbines": 1 + i % 4, "capacity": cap, "factor.nox": nox, "capacity_factor": cf}, i)
               for i, (cap, nox, cf) in enumerate(rows, 1)]
    assert columnar_lines(records, threaded=False) == reference(records)


@pytest.mark.parametrize("value", [[2], {"n": 2}, ["16 MW"]])
def test_a_list_or_object_value_is_checked_as_a_full_build_checks_it(value):
    # a record with a list or object as a value is built in full by the reference (it cannot be remembered), so
    # when two of its fields are bad the first field of the build is the one named, even after a template exists
    raws = [{"turbines": 2, "capacity": "16 MW"}, {"turbines": value, "capacity": ":16 MW"}, {"turbines": 3, "capacity": value}]
    records = [normalise(r, i) for i, r in enumerate(raws, 1)]
    assert columnar_lines(records, threaded=False) == reference(records)
    assert json.loads(reference(records)[1])["error"]["field"] == "turbines"


def test_a_failed_row_keeps_neither_its_block_nor_its_outcomes_alive():
    # an error kept with its traceback held the frames that raised it, and so the block and the outcomes: a cycle
    # that the raised collector threshold of a batch run left for long (200,000 failing rows took 486 MB, now 72 MB)
    import weakref

    def block():
        return columnar.RecordRows([normalise({"turbines": 2, "capacity": "16 MW"}, 1), normalise({"turbines": "x"}, 2)])

    engine = columnar.Engine(Spec(), {})
    engine.outcomes(block())  # the unit registry is built lazily, once: not by the block below
    rows = block()
    out = engine.outcomes(rows)
    gone = weakref.ref(rows)
    del rows
    assert 1 in out.errors and gone() is None
