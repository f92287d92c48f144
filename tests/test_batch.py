"""emiss batch: per-record results equal 'estimate', bad records are reported and never drop good ones; a group set
twice, a field given as null, the flags' meaning."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import emiss
from emiss.batch.read import CsvRows, read_records
from emiss.cli import cli

ROOT = Path(__file__).resolve().parent.parent


def invoke(args, stdin):
    r = CliRunner().invoke(cli, args, input=stdin)
    return r.exit_code, r.stdout, r.stderr


RECORDS = [
    {"id": "a", "turbines": 4, "capacity": "16 MW", "heat_rate": "9695 Btu/kWh"},
    {"id": "b", "turbines": 2, "capacity": "35 MW", "capacity_factor": "60%", "factor": {"nox": "2 ppmvd@15%O2"}},
    {"id": "c", "turbines": 14, "capacity": "2500 kW", "hours": "5000 h", "factor.nox": "0.3 lb/MWh"},
]


def estimate_json(rec):
    args = ["estimate", "--format", "json", "--turbines", str(rec["turbines"]), "--capacity", rec["capacity"]]
    for key in ("heat_rate", "capacity_factor", "hours"):
        if key in rec:
            args += ["--" + key.replace("_", "-"), rec[key]]
    nox = rec.get("factor.nox") or rec.get("factor", {}).get("nox")
    if nox:
        args += ["--factor", f"nox={nox}"]
    code, out, err = invoke(args, "")
    assert code == 0, err
    return json.loads(out)


def test_batch_equals_per_record_estimate():
    stdin = "".join(json.dumps(r) + "\n" for r in RECORDS)
    code, out, err = invoke(["batch"], stdin)
    assert code == 0, err
    docs = [json.loads(line) for line in out.splitlines()]
    assert [d["id"] for d in docs] == ["a", "b", "c"]
    for rec, doc in zip(RECORDS, docs):
        one = estimate_json(rec)
        for p in one["emissions"]:
            assert doc["emissions"][p]["value"] == one["emissions"][p]["value"]
            assert doc["emissions"][p]["unit"] == one["emissions"][p]["unit"]
        for key in ("generation", "heat_input", "capacity"):
            assert doc[key]["value"] == one[key]["value"]
        assert doc["households"]["value"] == one["households"]["value"]


def test_bad_record_in_the_middle_is_reported_and_the_others_kept():
    lines = [json.dumps(RECORDS[0]), json.dumps({"id": "bad", "turbines": 2, "capacity": "5 furlongs"}),
             "{not json", json.dumps(RECORDS[2])]
    code, out, err = invoke(["batch"], "\n".join(lines) + "\n")
    assert code == 1
    docs = [json.loads(line) for line in out.splitlines()]
    assert [d["record"] for d in docs] == [1, 2, 3, 4]
    assert "error" in docs[1] and docs[1]["id"] == "bad" and docs[1]["error"]["field"] == "capacity"
    assert "error" in docs[2]
    assert "emissions" in docs[0] and "emissions" in docs[3]
    assert "record 2 (id bad): capacity:" in err and "record 3:" in err
    assert "Traceback" not in err


def test_strict_stops_at_the_first_bad_record():
    lines = [json.dumps(RECORDS[0]), json.dumps({"turbines": "x", "capacity": "1 MW"}), json.dumps(RECORDS[2])]
    code, out, err = invoke(["batch", "--strict"], "\n".join(lines) + "\n")
    assert code == 1 and len(out.splitlines()) == 2 and "--strict" in err


def test_csv_and_ndjson_inputs_give_the_same_numbers():
    csv_in = "id,turbines,capacity,heat_rate,capacity_factor,factor.nox\n" \
             "a,4,16 MW,9695 Btu/kWh,,\n" \
             "b,2,35 MW,,60%,2 ppmvd@15%O2\n"
    nd_in = json.dumps(RECORDS[0]) + "\n" + json.dumps(RECORDS[1]) + "\n"
    c1, out_csv, e1 = invoke(["batch", "--format", "ndjson"], csv_in)
    c2, out_nd, e2 = invoke(["batch", "--format", "ndjson"], nd_in)
    assert c1 == c2 == 0, e1 + e2
    for x, y in zip(out_csv.splitlines(), out_nd.splitlines()):
        dx, dy = json.loads(x), json.loads(y)
        assert dx["emissions"] == dy["emissions"]


def test_csv_output_has_units_in_column_names():
    code, out, _ = invoke(["batch", "--format", "csv", "--only", "nox"], json.dumps(RECORDS[0]) + "\n")
    header, row = out.splitlines()
    assert header == "id,record,capacity_mw,generation_mwh_yr,heat_input_mmbtu_yr,fuel_scf_yr,households,households_method,nox_short_ton_yr,warnings,error"
    # 64 MW x 8,760 h = 560,640 MWh
    assert row.split(",")[3] == "560640.0"


def test_records_override_the_preset():
    code, out, err = invoke(["batch", "--preset", "memphis", "--only", "nox"],
                            '{"id": 1}\n{"id": 2, "factor.nox": "15.8 ppmvd@15%O2"}\n')
    assert code == 0, err
    a, b = (json.loads(x) for x in out.splitlines())
    # doubling the NOx rate from 7.9 to 15.8 ppm doubles NOx
    assert b["emissions"]["nox"]["value"] == pytest.approx(2 * a["emissions"]["nox"]["value"])


def test_empty_input_is_an_error():
    code, out, err = invoke(["batch", "--preset", "memphis"], "")
    assert code == 1 and out == "" and "no records" in err


def test_non_utf8_record_is_reported():
    code, out, err = invoke(["batch"], b'{"turbines": 1, "capacity": "1 MW"}\n\xff\xfe\n')
    assert code == 1 and "not UTF-8" in err and len(out.splitlines()) == 2


def _env():
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


@pytest.mark.parametrize("args", [["estimate", "--preset", "memphis"], ["estimate", "--preset", "memphis", "--format", "csv"], ["batch", "--preset", "memphis"]])
def test_head_closes_the_pipe_quietly(args, tmp_path):
    src = tmp_path / "in.ndjson"
    src.write_text("".join('{"id": %d}\n' % i for i in range(20000)) if args[0] == "batch" else "")
    cmd = [sys.executable, "-m", "emiss", *args]
    with open(src, "rb") as stdin:
        producer = subprocess.Popen(cmd, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env())
        head = subprocess.Popen(["head", "-1"], stdin=producer.stdout, stdout=subprocess.PIPE)
        producer.stdout.close()
        first, _ = head.communicate(timeout=60)
        err = producer.stderr.read()
        producer.wait(timeout=60)
    assert first.strip()
    assert b"Traceback" not in err and b"BrokenPipe" not in err, err.decode()
    assert producer.returncode == 0


def test_python_m_emiss_runs():
    out = subprocess.run([sys.executable, "-m", "emiss", "estimate", "--preset", "memphis", "--only", "nox", "--format", "value"],
                         capture_output=True, text=True, env=_env(), cwd="/", timeout=60)
    assert out.returncode == 0 and float(out.stdout) == pytest.approx(130, rel=0.02)


from hypothesis import strategies as st  # noqa: E402

from emiss.batch.lines import LinesSink  # noqa: E402
from emiss.batch.records import normalise  # noqa: E402
from emiss.batch.results import ResultColumns  # noqa: E402
from tests.batch_oracle import record_doc  # noqa: E402
from emiss.core.model import Spec  # noqa: E402

RECORD = st.fixed_dictionaries(
    {"turbines": st.integers(1, 40), "capacity": st.sampled_from(["16 MW", "2.5 MW", "35000 kW", "7.1 MW"])},
    optional={
        "capacity_factor": st.floats(0.01, 1.0).map(repr),
        "hours": st.floats(1, 8760).map(lambda h: f"{h!r} h"),
        "heat_rate": st.sampled_from(["9695 Btu/kWh", "35%", "11 MJ/kWh"]),
        "factor.nox": st.sampled_from(["2 ppmvd@15%O2", "0.099 lb/MMBtu", "0.3 lb/MWh", "1.5 lb/h", "bad"]),
        "factor.co": st.sampled_from(["25 ppmvd@15%O2", "0.01 lb/MMBtu"]),
        "household_use": st.sampled_from(["10791 kWh/yr", "15400 kWh"]),
        "control": st.sampled_from(["uncontrolled", "lean-premix"]),
    },
)


def test_batch_lines_equal_plain_json():
    from emiss.batch.columnar import Engine

    engine = Engine(Spec(), {})
    lines = LinesSink(io.StringIO(), "ndjson", ResultColumns(["nox", "co2e"], "short_ton"))
    raws = [{"id": "a", "turbines": 2, "capacity": "5 MW"}, {"id": 7, "turbines": 2, "capacity": "5 MW"},
            {"id": None, "turbines": 3, "capacity": "5 MW"}, {"id": "ü", "turbines": 2, "capacity": "5 MW"}]
    records = [normalise(raw, i) for i, raw in enumerate(raws, 1)]
    for block, outcomes in engine.chunks(records):
        texts, errors = lines.texts(block, outcomes)
        assert not errors
        texts = "".join(texts).splitlines(keepends=True)  # a block of one result may come as one text
        for i, text in enumerate(texts):
            rec = block.record(i)
            expected = json.dumps(record_doc(rec, engine.run(rec), ["nox", "co2e"]), ensure_ascii=False, allow_nan=False) + "\n"
            assert text == expected


def test_nan_id_stays_valid_json():
    code, out, err = invoke(["batch", "--only", "nox"], '{"id": NaN, "turbines": 1, "capacity": "1 MW"}\n')
    assert code == 0, err
    assert json.loads(out)["id"] == "nan"


def _csv_items_as_records(items):
    from emiss.batch.tables import table_from_rows

    out = []
    for item in items:
        if isinstance(item, CsvRows):
            t = table_from_rows(item.header, item.rows, item.start)
            out += [t.record(i) for i in range(t.n)]
        else:
            out.append(item)
    return out


def test_csv_rows_that_are_not_plain_give_these_records():
    # written by hand: blank rows are no record and take no number; a short or long row, a row that is not
    # UTF-8 and a cell the csv module refuses (over its 131,072-character field limit) are each one record
    # that says why, and the rows around them are read as they stand
    import io

    big = "x" * 140_000
    text = (b"id,turbines,capacity\na,2,16 MW\n\n  ,  ,  \nb,2\nc,2,16 MW,9\nd,\xff,16 MW\ne,3,5 MW\n"
            + f"g,1,{big}\n".encode() + b"h,,5 MW\n")
    got = _csv_items_as_records(read_records(io.BytesIO(text), "auto"))
    assert [(r.number, r.id, r.settings, r.error[:26]) for r in got] == [
        (1, "a", {"turbines": "2", "capacity": "16 MW"}, ""),
        (2, "b", {}, "has 2 cells but the header"),
        (3, "c", {}, "has 4 cells but the header"),
        (4, None, {}, "is not UTF-8 text"),
        (5, "e", {"turbines": "3", "capacity": "5 MW"}, ""),
        (6, None, {}, "cannot be read as CSV (fie"),
        (7, "h", {"capacity": "5 MW"}, ""),
    ]


def _batch(lines, *args, only="nox"):
    r = CliRunner().invoke(cli, ["batch", "--format", "csv", "--only", only, "-q", *args], input="\n".join(lines) + "\n")
    import csv
    import io

    return r.exit_code, list(csv.DictReader(io.StringIO(r.stdout))), r.stderr


def test_a_record_setting_its_one_group_twice_is_an_error_not_a_silent_choice():
    # turbines 3 x 10 MW beside fleet.1.count 6: the record's one group got 6 units, 60 MW, and no word of the 3.
    code, rows, err = _batch([
        '{"id": "a", "turbines": 3, "capacity": "10 MW", "fleet.1.count": 6}',
        '{"id": "b", "turbines": 3, "capacity": "10 MW", "fleet.1.capacity": "20 MW"}',
        '{"id": "c", "turbines": 3, "capacity": "10 MW", "heat_rate": "9000 Btu/kWh", "fleet.1.heat_rate": "12000 Btu/kWh"}',
        '{"id": "d", "preset": "memphis", "fleet.1.count": 6, "group.Solar SMT-130 turbines.count": 5}',
        '{"id": "ok", "turbines": 3, "capacity": "10 MW"}',
    ])
    assert code == 1
    by = {r["id"]: r for r in rows}
    assert [r["id"] for r in rows] == ["a", "b", "c", "d", "ok"]  # no row dropped
    assert by["a"]["capacity_mw"] == "" and "record 1 (id a): fleet.1.count: " in by["a"]["error"]
    assert "already sets" in by["a"]["error"] and "turbines" in by["a"]["error"]
    assert "record 2 (id b): fleet.1.capacity: " in by["b"]["error"] and by["b"]["capacity_mw"] == ""
    assert "record 3 (id c): fleet.1.heat_rate: " in by["c"]["error"]
    assert "record 4 (id d): group.Solar SMT-130 turbines.count: " in by["d"]["error"] and "fleet.1.count" in by["d"]["error"]
    assert float(by["ok"]["capacity_mw"]) == 30.0 and by["ok"]["error"] == ""  # 3 x 10 MW
    lines = err.splitlines()  # one line per bad record, then the closing count
    assert len(lines) == 5 and all(x.startswith("Error: record ") for x in lines[:4])
    assert lines[4] == "Error: batch: 4 of 5 record(s) failed (see the messages above)"


def test_a_group_value_beside_a_value_for_several_groups_still_refines_it():
    # memphis: heat_rate 9,000 Btu/kWh for both groups, the gensets' (group 2) 8,000: more specific, not twice.
    # 4 x 16 MW x 9,000 + 14 x 2.5 MW x 8,000 = 856,000 kWh/h x 1.108 x 8,760 h = 8,308,404.48 MMBtu (HHV)
    code, rows, _ = _batch(['{"id": "h", "preset": "memphis", "heat_rate": "9000 Btu/kWh", "fleet.2.heat_rate": "8000 Btu/kWh"}',
                            '{"id": "e", "turbines": 3, "capacity": "10 MW", "factor.nox": "0.1 lb/MMBtu", '
                            '"fleet.1.factor.nox": "0.2 lb/MMBtu"}'])
    assert code == 0
    assert float(rows[0]["heat_input_mmbtu_yr"]) == pytest.approx(856_000 * 1.108 * 8760 / 1000, rel=1e-12)
    # a group's own factor wins over the fleet's: 30 MW x 8,760 h x the default heat rate; 0.2 lb/MMBtu of it
    assert float(rows[1]["nox_short_ton_yr"]) == pytest.approx(float(rows[1]["heat_input_mmbtu_yr"]) * 0.2 / 2000)


def test_the_flags_say_they_judge_the_operation_given_not_the_potential_to_emit():
    # memphis at 3,000 h: CO 172.8 tpy, under PSD's 250; every hour (its PTE) 172.8 x 8,760 / 3,000 = 504.5 tpy, above.
    # above_psd is false (the hours given, as estimate's screening), but the help said the flags were the PTE's.
    code, rows, _ = _batch(['{"id": "m", "preset": "memphis", "hours": "3000 h"}'], "--flags", only="co")
    co = float(rows[0]["co_short_ton_yr"])
    assert code == 0 and 172 < co < 250 < co * 8760 / 3000
    assert rows[0]["above_psd"] == "False" and rows[0]["above_title_v"] == "True"  # CO 172.8 > 100
    text = " ".join(CliRunner().invoke(cli, ["batch", "--help"], env={"COLUMNS": "200"}).stdout.split())
    assert "the potential to emit as its enforceable limits cap it" not in text
    assert "the operation the record gives, as enforceable limits cap it" in text


def test_a_group_number_not_written_with_0_9_is_refused_not_a_traceback(run, tmp_path):
    # 'fleet.².count' (a superscript two) raised ValueError from int() in a batch record
    path = tmp_path / "in.ndjson"
    path.write_text('{"fleet.\\u00b2.count": 3}\n', encoding="utf-8")
    code, out, err = run("batch", "--input", str(path), "--preset", "memphis")
    assert code == 1 and "Traceback" not in err
    assert "'fleet.².count': N counts the groups from 1 to 2" in err


BLANK_CAPACITY = ("record 1: turbines: the preset has 2 groups; give capacity too, to describe the whole fleet "
                  "(capacity is null or empty in this record, which is not set)")


@pytest.mark.parametrize("name, text", [
    ("in.ndjson", '{"turbines": 3, "capacity": null}\n'),
    ("in.ndjson", '{"turbines": 3, "capacity": ""}\n'),
    ("in.ndjson", '{"turbines": 3, " capacity": null}\n'),  # a key read under its canonical name
    ("in.csv", "turbines,capacity\n3,\n"),
])
def test_a_field_written_as_null_is_named_when_the_error_asks_for_it(run, tmp_path, name, text):
    # null (or '') is not set, as the README says; the message said 'give capacity too' to a record that gave it
    path = tmp_path / name
    path.write_text(text)
    code, out, err = run("batch", "--input", str(path), "--preset", "memphis")
    assert code == 1 and f"Error: {BLANK_CAPACITY}\n" in err


def test_a_parquet_null_and_a_dataframe_none_are_named_too(run, tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    path = tmp_path / "in.parquet"
    pq.write_table(pa.table({"turbines": [3], "capacity": pa.array([None], pa.string())}), path)
    code, out, err = run("batch", "--input", str(path), "--preset", "memphis")
    assert code == 1 and f"Error: {BLANK_CAPACITY}\n" in err
    pd = pytest.importorskip("pandas")
    frame = emiss.estimate_frame(pd.DataFrame({"turbines": [3, 3], "capacity": [None, "16 MW"]}), "memphis")
    assert frame["error"][0] == BLANK_CAPACITY.removeprefix("record 1: ") and frame["error"][1] is None


def test_a_field_left_out_is_asked_for_as_before(run, tmp_path):
    path = tmp_path / "in.ndjson"
    path.write_text('{"turbines": 3}\n{"turbine_model": "Solar Taurus 60", "turbines": null}\n')
    code, out, err = run("batch", "--input", str(path), "--preset", "memphis")
    assert code == 1 and err.splitlines()[:2] == [
        "Error: record 1: turbines: the preset has 2 groups; give capacity too, to describe the whole fleet",
        # a record's fields by their names (it said '--turbines N' and '--turbine-model', the command line's options)
        "Error: record 2: turbine_model: give turbines with turbine_model (turbines is null or empty in this record, "
        "which is not set)"]
    code, out, err = run("estimate", "--turbine-model", "Solar Taurus 60")
    assert (code, err) == (2, "Error: --turbine-model: give --turbines N with --turbine-model\n")
