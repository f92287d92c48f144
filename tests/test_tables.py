"""Blocks of rows as columns (Parquet, DataFrames) give what one record at a time gives, failures included."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from emiss.batch import read as b
from emiss.batch.records import Record, normalise
from emiss.batch.results import ResultColumns
from emiss.batch.columnar import Engine
from emiss.core.model import Spec

from test_columnar import ODD_NUMBERS, ODD_PPM, reference

pa = pytest.importorskip("pyarrow")

TEXT = {
    "turbines": st.sampled_from(["3", "2.0", "0", "two", "1e7", "4"]),
    "capacity": st.one_of(st.floats(0.5, 500).map(lambda x: f"{x!r} MW"), st.sampled_from(["16 MW", "2500 kW", "5 kg", *ODD_NUMBERS])),
    "capacity_factor": st.one_of(st.floats(1, 100).map(lambda x: f"{x!r}%"), st.sampled_from(["150%", "0.5..0.9", "50 %", "0.5"])),
    "heat_rate": st.one_of(st.floats(6000, 20000).map(lambda x: f"{x!r} Btu/kWh"), st.sampled_from(["35%", "11 MJ/kWh", "9695Btu/kWh"])),
    "factor.nox": st.one_of(st.floats(0.5, 30).map(lambda x: f"{x!r} ppmvd@15%O2"), st.floats(0, 1).map(lambda x: f"{x!r} lb/MMBtu"),
                            st.sampled_from(["0.099 lb/MMBtu", "0.3 lb/MWh", "bad", *ODD_PPM])),
    "factor.pm": st.one_of(st.floats(0, 1).map(lambda x: f"{x!r} lb/MMBtu"), st.floats(0, 1).map(lambda x: f"{x!r} g/kWh"),
                           st.sampled_from(["-0.1 lb/MMBtu", "0.1 furlong", "1e-3 lb/MWh", "0.5 g/bhp-hr"])),
}
NUMBER = {"turbines": st.integers(-1, 40), "capacity": st.floats(-1, 1e6), "capacity_factor": st.floats(-0.5, 1.5),
          "heat_rate": st.floats(0.1, 1.0)}


@st.composite
def arrow_rows(draw):
    n = draw(st.integers(1, 12))
    columns = {"id": list(range(n))}
    for field in ("turbines", "capacity", "capacity_factor", "heat_rate", "factor.nox", "factor.pm"):
        kind = draw(st.sampled_from(["absent", "text"] + (["number"] if field in NUMBER else [])))
        if kind == "absent":
            continue
        values = NUMBER[field] if kind == "number" else TEXT[field]
        columns[field] = draw(st.lists(st.one_of(st.none(), values) if field != "turbines" else values, min_size=n, max_size=n))
    return columns


def _block(columns):
    from emiss.batch.tables import table_from_arrays

    batch = pa.RecordBatch.from_pydict(columns)
    table = table_from_arrays(batch.schema.names, batch.columns, batch.num_rows, 1)
    assert table is not None
    [(block, outcomes)] = list(Engine(Spec(), {}).tables([table]))
    return block, ResultColumns(None, "short_ton").block(block.n, outcomes)


@settings(max_examples=120, deadline=None)
@given(arrow_rows())
def test_arrow_blocks_equal_one_at_a_time(columns):
    block, (values, method, errors) = _block(columns)
    n = len(columns["id"])
    records = [normalise({k: v[i] for k, v in columns.items() if not (isinstance(v[i], float) and v[i] != v[i])}, i + 1)
               for i in range(n)]
    for i, line in enumerate(reference(records)):
        doc = json.loads(line)
        if "error" in doc:
            assert errors[i].message == doc["error"]["message"]
            continue
        assert i not in errors
        got = [float(column[i]) for column in values]
        want = [doc[k]["value"] for k in ("capacity", "generation", "heat_input", "fuel", "households")]
        want += [doc["emissions"][p]["value"] for p in doc["emissions"]]
        assert got == want  # to the last digit
        assert method[i] == doc["households"]["method"]


@pytest.mark.parametrize("odd", ODD_PPM)
def test_one_odd_ppm_factor_in_a_clean_arrow_column(odd):
    # the column readers count signs and spaces over the whole column's bytes: one odd value among clean ones
    # must still give what it gives alone, and the clean ones what they give alone
    columns = {"id": [1, 2, 3, 4], "turbines": [2] * 4, "capacity": ["16 MW"] * 4,
               "factor.nox": ["9 ppmvd@15%O2", "2.5 ppmvd@15%O2", odd, "25 ppmvd@15%O2"]}
    _, (values, method, errors) = _block(columns)
    records = [normalise({k: v[i] for k, v in columns.items()}, i + 1) for i in range(4)]
    for i, line in enumerate(reference(records)):
        doc = json.loads(line)
        if "error" in doc:
            assert errors[i].message == doc["error"]["message"]
        else:
            assert i not in errors
            got = [float(column[i]) for column in values]
            want = [doc[k]["value"] for k in ("capacity", "generation", "heat_input", "fuel", "households")]
            assert got == want + [doc["emissions"][p]["value"] for p in doc["emissions"]]


def test_arrow_cast_reads_only_numbers():
    # _arrow_numbers relies on this: Arrow's text-to-float cast reads decimal numbers (correctly rounded, as float()
    # is) and the words inf/nan, and refuses what float() reads but the one-value parser does not (spaces, '_',
    # digits other than 0-9). If a pyarrow release changes this, the Arrow fast path must change with it.
    import pyarrow.compute as pc

    for text, value in [("12.5", 12.5), ("+3", 3.0), (".5", 0.5), ("5.", 5.0), ("1E+5", 1e5), ("0.1", 0.1),
                        ("2.4703282292062328e-324", 5e-324), ("9007199254740993", 9007199254740992.0)]:
        assert pc.cast(pa.array([text]), pa.float64())[0].as_py() == value
    for text in [" 1", "1 ", "1_000", "\u0661", "\uff11", "1e", ".", "0x10", "1,5", "\t1"]:
        with pytest.raises(pa.ArrowInvalid):
            pc.cast(pa.array([text]), pa.float64())


def test_nulls_nan_and_empty_text_are_not_set():
    # A row that leaves capacity empty ('' or null) is read as a record without the key, which it wrote blank: with no
    # preset there is no fleet to fall back on, so it fails with the message such a record gets. A NaN id is no id.
    from emiss.errors import EmissError

    block, (values, _, errors) = _block({"id": [1.0, float("nan"), 3.0], "turbines": [2, 2, 2],
                                         "capacity": ["16 MW", "", None], "capacity_factor": [0.5, float("nan"), 0.5]})
    assert block.ids == [1.0, None, 3.0]
    with pytest.raises(EmissError) as alone:
        Engine(Spec(), {}).run(Record(2, None, {"turbines": 2}, unset=("capacity",)))
    assert sorted(errors) == [1, 2] and {e.message for e in errors.values()} == {alone.value.message}
    assert values[0][0] == 32.0  # 2 x 16 MW


def test_two_columns_naming_one_field_go_row_by_row(run, tmp_path):
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"factor_nox": ["2 ppmvd@15%O2"], "factor.nox": ["9 ppmvd@15%O2"], "turbines": [1]}), tmp_path / "in.parquet")
    code, out, err = run("batch", "--input", str(tmp_path / "in.parquet"))
    assert code == 1 and "sets 'factor.nox' twice" in json.loads(out)["error"]["message"]


def test_parquet_blocks_of_several_shapes_keep_row_order(run, tmp_path):
    import pyarrow.parquet as pq

    rows = {"id": ["a", "b", "c", "d", "e"], "turbines": [1, 2, None, 4, 5],
            "capacity": ["5 MW", "5000 kW", "5 MW", "bad", "5 MW"], "control": [None, None, "lean-premix", None, None]}
    pq.write_table(pa.table(rows), tmp_path / "in.parquet")
    code, _, err = run("batch", "--input", str(tmp_path / "in.parquet"), "--output", str(tmp_path / "out.parquet"),
                       "--output-format", "parquet", "--only", "nox")
    out = pq.read_table(tmp_path / "out.parquet").to_pylist()
    assert code == 1 and "record 4 (id d)" in err
    assert [r["id"] for r in out] == ["a", "b", "c", "d", "e"] and [r["record"] for r in out] == [1, 2, 3, 4, 5]
    assert out[0]["capacity_mw"] == 5.0 and out[1]["capacity_mw"] == 10.0  # 5 MW x 1, and 5,000 kW x 2
    assert out[3]["capacity_mw"] is None and out[3]["error"]
    (tmp_path / "in.ndjson").write_text("".join(json.dumps({k: v[i] for k, v in rows.items() if v[i] is not None}) + "\n" for i in range(5)))
    code, nd, _ = run("batch", "--only", "nox", "--input", str(tmp_path / "in.ndjson"))
    docs = [json.loads(x) for x in nd.splitlines()]
    for r, d in zip(out, docs):
        assert (r["nox_short_ton_yr"] is None) == ("error" in d)
        if "error" not in d:
            assert r["nox_short_ton_yr"] == d["emissions"]["nox"]["value"]


def test_parquet_output_without_pandas_and_with_clean_ids(tmp_path):
    # pyarrow imports pandas (0.4 s here) the first time it converts a Python object; a Parquet batch whose rows
    # all succeed builds its columns from buffers and never does. Ids pass through unchanged.
    import subprocess
    import sys

    import pyarrow.parquet as pq

    pq.write_table(pa.table({"id": ["a\nb", "c"], "turbines": [1, 2], "capacity": ["5 MW", "6 MW"]}), tmp_path / "in.parquet")
    r = subprocess.run([sys.executable, "-X", "importtime", "-m", "emiss", "batch", "--input", "in.parquet", "--output", "out.parquet",
                        "--output-format", "parquet"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-500:]
    loaded = {line.rsplit("|", 1)[1].strip() for line in r.stderr.splitlines() if line.startswith("import time:")}
    assert "pandas" not in loaded
    out = pq.read_table(tmp_path / "out.parquet").to_pylist()
    assert [o["id"] for o in out] == ["a\nb", "c"] and [o["capacity_mw"] for o in out] == [5.0, 12.0]


def test_ndjson_to_parquet_writes_row_groups_of_table_rows(run, tmp_path, monkeypatch):
    # NDJSON is estimated in blocks of 8,192 rows; Parquet gets them gathered into row groups of TABLE_ROWS
    # (here set to 16,384: 20,000 rows make groups of 16,384 and 3,616), in order and with nothing lost
    import pyarrow.parquet as pq

    from emiss.batch import columnar

    monkeypatch.setattr(b, "TABLE_ROWS", 16384)
    assert columnar.CHUNK == 8192
    (tmp_path / "in.ndjson").write_text("".join(json.dumps({"id": i, "turbines": 1 + i % 3, "capacity": "5 MW"}) + "\n" for i in range(20000)))
    code, _, err = run("batch", "--input", str(tmp_path / "in.ndjson"), "--output", str(tmp_path / "out.parquet"),
                       "--output-format", "parquet", "--only", "nox")
    f = pq.ParquetFile(tmp_path / "out.parquet")
    assert code == 0, err
    assert [f.metadata.row_group(i).num_rows for i in range(f.metadata.num_row_groups)] == [16384, 3616]
    t = f.read(columns=["id", "record", "capacity_mw"]).to_pydict()
    assert t["id"] == list(range(20000)) and t["record"] == list(range(1, 20001))
    assert t["capacity_mw"][:3] == [5.0, 10.0, 15.0]  # 1, 2 and 3 turbines of 5 MW


@pytest.mark.parametrize("fmt", ["parquet", "ndjson"])
def test_strict_stops_at_the_first_bad_record_in_parquet_output_too(run, tmp_path, fmt):
    # --strict writes the records before the first bad one and that one (with its error), nothing after it,
    # whatever the output format; rows 2 and 4 are bad, so 2 records are written
    import pyarrow.parquet as pq

    rows = {"id": ["a", "b", "c", "d", "e"], "turbines": [1, 2, 3, 4, 5], "capacity": ["5 MW", "bad", "5 MW", "worse", "5 MW"]}
    pq.write_table(pa.table(rows), tmp_path / "in.parquet")
    out = tmp_path / f"out.{fmt}"
    code, _, err = run("batch", "--strict", "--only", "nox", "--input", str(tmp_path / "in.parquet"), "--output", str(out),
                       "--output-format", fmt)
    assert code == 1 and "stopped at the first bad record (--strict), after 2 record(s)" in err
    assert "record 2 (id b)" in err and "record 4" not in err
    if fmt == "parquet":
        t = pq.read_table(out).to_pylist()
        assert [r["id"] for r in t] == ["a", "b"] and t[0]["capacity_mw"] == 5.0 and t[1]["error"]
    else:
        assert [json.loads(x)["id"] for x in out.read_text().splitlines()] == ["a", "b"]
