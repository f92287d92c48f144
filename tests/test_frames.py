"""Data work (issue 14): Parquet in and out, a DataFrame API equal to the CLI, and Dask partitions."""

from __future__ import annotations

import csv
import io
import json

import pytest

ROWS = {"id": ["a", "b", "c", "d"], "turbines": [4, 2, 14, 1], "capacity": ["16 MW", "35000 kW", "2.5 MW", "5 MW"],
        "capacity_factor": [0.5, 1.0, 0.85, 0.3], "factor.nox": ["2 ppmvd@15%O2", "0.099 lb/MMBtu", "9 ppmvd@15%O2", "bad"]}


def cli_csv(run, tmp_path):
    src = tmp_path / "in.ndjson"
    src.write_text("".join(json.dumps({k: ROWS[k][i] for k in ROWS}) + "\n" for i in range(4)))
    code, out, _ = run("batch", "--input", str(src), "--format", "csv", "--only", "nox,co2e")
    assert code == 1  # record d is bad
    return list(csv.DictReader(io.StringIO(out)))


def test_dataframe_api_equals_the_cli(run, tmp_path):
    pd = pytest.importorskip("pandas")
    import emiss

    df = emiss.estimate_frame(pd.DataFrame(ROWS), only=["nox", "co2e"])
    rows = cli_csv(run, tmp_path)
    assert list(df.columns) == list(rows[0])  # the batch CSV's columns, 'warnings' last
    for i, r in enumerate(rows):
        if r["error"]:
            assert "factor.nox" in df["error"].iloc[i] or "nox" in df["error"].iloc[i]
            continue
        for col in ("capacity_mw", "generation_mwh_yr", "nox_short_ton_yr", "co2e_short_ton_yr"):
            assert df[col].iloc[i] == float(r[col])  # the same number, to the last digit
    d = emiss.estimate_frame(ROWS, only=["nox"])  # a dict of columns gives a dict of columns
    assert d["nox_short_ton_yr"][0] == df["nox_short_ton_yr"].iloc[0]


def test_a_pandas_result_keeps_its_text_columns_as_python_objects():
    # Dask's meta (estimate_frame(df.head(0))) promises object columns: pandas 3 would read these texts as its 'str'
    # dtype if the columns were left to it
    pd = pytest.importorskip("pandas")
    import emiss

    df = emiss.estimate_frame(pd.DataFrame(ROWS), only=["nox"])
    assert [str(df[c].dtype) for c in ("households_method", "error", "warnings")] == ["object"] * 3
    assert df["households_method"].iloc[0] == "energy" and df["error"].iloc[0] is None and df["error"].iloc[3].startswith("factor.nox")


def test_parquet_round_trip(run, tmp_path):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    pq.write_table(pa.table(ROWS), tmp_path / "in.parquet")
    code, _, err = run("batch", "--input", str(tmp_path / "in.parquet"), "--output", str(tmp_path / "out.parquet"),
                       "--output-format", "parquet", "--only", "nox,co2e")
    assert code == 1 and "record 4 (id d)" in err
    out = pq.read_table(tmp_path / "out.parquet").to_pylist()
    rows = cli_csv(run, tmp_path)
    assert [r["record"] for r in out] == [1, 2, 3, 4]
    assert out[0]["nox_short_ton_yr"] == float(rows[0]["nox_short_ton_yr"]) and out[3]["error"]
    code, _, err = run("batch", "--input", str(tmp_path / "in.parquet"), "--output-format", "parquet")
    assert code == 2 and "--output FILE" in err


def test_jsonl_is_ndjson(run, tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text('{"turbines": 1, "capacity": "5 MW"}\n')
    assert run("batch", "--input", str(src), "--format", "jsonl")[1] == run("batch", "--input", str(src))[1]


def test_dask_partitions(tmp_path):
    pd = pytest.importorskip("pandas")
    dd = pytest.importorskip("dask.dataframe")
    import emiss

    df = pd.DataFrame(ROWS)
    whole = emiss.estimate_frame(df, only=["nox"])
    ddf = dd.from_pandas(df, npartitions=2)
    parts = ddf.map_partitions(emiss.estimate_frame, only=["nox"], meta=emiss.estimate_frame(df.head(0), only=["nox"])).compute()
    assert list(parts["nox_short_ton_yr"].fillna(-1)) == list(whole["nox_short_ton_yr"].fillna(-1))


def test_records_can_set_one_group_of_a_preset():
    recs = ('{"id": "x", "fleet.2.count": 31}\n{"id": "y", "group.Solar SMT-130 turbines.factor.nox": "2 ppmvd@15%O2"}\n'
            '{"id": "z", "fleet.3.count": 1}\n')
    from click.testing import CliRunner

    from emiss.cli import cli

    r = CliRunner().invoke(cli, ["batch", "--preset", "memphis", "--only", "nox"], input=recs)
    docs = [json.loads(line) for line in r.stdout.splitlines()]
    # 31 gensets instead of 14: 4 x 16 MW + 31 x 2.5 MW = 141.5 MW, all at the calibrated 7.9 ppm
    assert docs[0]["capacity"]["value"] == pytest.approx(141.5)
    one = json.loads(CliRunner().invoke(cli, ["estimate", "--preset", "memphis", "--only", "nox", "--format", "json"]).stdout)
    assert docs[1]["emissions"]["nox"]["value"] < one["emissions"]["nox"]["value"]  # the turbines at 2 ppm, the gensets at 7.9
    assert "N counts the groups from 1 to 2" in docs[2]["error"]["message"] and r.exit_code == 1


def test_echo_and_flags():
    from click.testing import CliRunner

    from emiss.cli import cli

    r = CliRunner().invoke(cli, ["batch", "--only", "nox", "--echo", "--flags"],
                           input='{"id": 1, "turbines": 4, "capacity": "16 MW", "control": "lean-premix"}\n'
                                 '{"id": 2, "turbines": 1, "capacity": "1 MW"}\n')
    a, b = (json.loads(line) for line in r.stdout.splitlines())
    # 4 x 16 MW lean-premix: NOx 0.099 x 6,022,428 MMBtu / 2,000 = 298 tpy, above Title V (100) and PSD (250)
    assert a["above"] == {"title_v": True, "psd": True, "hap": False}
    assert b["above"] == {"title_v": False, "psd": False, "hap": False}
    assert a["input"] == {"turbines": 4, "capacity": "16 MW", "control": "lean-premix"}


def test_polars_pandas_and_dict_agree_and_missing_cells_are_not_set():
    pd = pytest.importorskip("pandas")
    pl = pytest.importorskip("polars")
    import emiss

    rows = {**ROWS, "capacity_factor": [0.5, None, 0.85, 0.3]}  # row b: no capacity factor, so 8,760 h at full load
    # pandas says "not set" apart from NaN as pd.NA in a nullable dtype (or None in an object column)
    a = emiss.estimate_frame(pd.DataFrame({**rows, "capacity_factor": pd.array(rows["capacity_factor"], dtype="Float64")}),
                             only=["nox"])
    b = emiss.estimate_frame(pl.DataFrame(rows), only=["nox"])
    c = emiss.estimate_frame(rows, only=["nox"])
    assert b.columns == list(a.columns) == list(c)
    assert b["nox_short_ton_yr"].to_list() == c["nox_short_ton_yr"] == [None if x != x else x for x in a["nox_short_ton_yr"]]
    assert c["nox_short_ton_yr"][3] is None and b["error"].to_list()[3] == c["error"][3]
    # 2 x 35 MW at 8,760 h: 613,200 MWh
    assert c["generation_mwh_yr"][1] == pytest.approx(613_200)
    nullable = pd.DataFrame({"turbines": pd.array([1, None], dtype="Int64"), "capacity": ["5 MW", pd.NA]})
    out = emiss.estimate_frame(nullable, only=["nox"])
    assert out["capacity_mw"].iloc[0] == 5.0
    assert "give" in out["error"].iloc[1]  # no turbines and no capacity: said, not a crash on pandas' NA


def test_nan_in_a_pandas_float_column_is_an_error_and_none_in_an_object_column_is_not_set():
    pd = pytest.importorskip("pandas")
    import emiss

    # pandas turns None into NaN in a float64 column; NaN is an error naming the field there too, as on every path
    # (it once meant "not set", so hours NaN gave the full-year result). None in an object column is not set.
    nan = emiss.estimate_frame(pd.DataFrame({"turbines": [1, 1], "capacity": ["5 MW"] * 2, "hours": [100.0, None]}))
    assert nan["error"].tolist() == [None, "hours: 'nan' is not a finite number"]
    unset = emiss.estimate_frame(pd.DataFrame({"turbines": [1, 1], "capacity": ["5 MW"] * 2,
                                               "hours": pd.Series([100.0, None], dtype=object)}), only=["nox"])
    assert unset["error"].tolist() == [None, None]
    # 5 MW at 8,760 h (not set) is 87.6 times the NOx at 100 h
    assert unset["nox_short_ton_yr"].iloc[1] == pytest.approx(87.6 * unset["nox_short_ton_yr"].iloc[0])


def test_a_column_of_mixed_types_beside_arrow_columns_reads_as_a_dict_of_lists_does():
    pd = pytest.importorskip("pandas")
    import emiss

    # capacity_factor holds numbers and text (Arrow cannot hold it as one type: a list column); the other columns
    # are Arrow's. Row c's '150%' is refused by the one-value check, row b's None is not set (8,760 h at full load)
    rows = {"id": ["a", "b", "c"], "turbines": [1, 2, 1], "capacity": ["5 MW", "5 MW", "5 MW"], "capacity_factor": [0.5, None, "150%"]}
    df = emiss.estimate_frame(pd.DataFrame(rows), only=["nox"])
    d = emiss.estimate_frame(rows, only=["nox"])
    assert df["error"].tolist()[:2] == d["error"][:2] == [None, None] and "capacity_factor" in d["error"][2]
    assert df["error"].tolist()[2] == d["error"][2]
    # 2 x 5 MW x 8,760 h = 87,600 MWh; 5 MW x 0.5 x 8,760 h = 21,900 MWh
    assert df["generation_mwh_yr"].tolist()[:2] == d["generation_mwh_yr"][:2] == [21_900.0, 87_600.0]


def test_a_frame_row_without_the_group_value_is_not_called_a_second_setting():
    # pandas stores None as NaN in a float column: that row's error is still the NaN one, not 'already sets'
    import pandas as pd

    import emiss

    out = emiss.estimate_frame(pd.DataFrame({"id": ["a", "i"], "turbines": [3, 3], "capacity": ["10 MW", "10 MW"],
                                             "fleet.1.count": pd.array([6, None], dtype="Int64")}), only=["nox"])
    assert "already sets" in out["error"][0] and out["error"][1] is None and out["capacity_mw"][1] == 30.0
    out = emiss.estimate_frame(pd.DataFrame({"id": ["i"], "turbines": [3], "capacity": ["10 MW"],
                                             "fleet.1.count": [float("nan")]}), only=["nox"])
    assert out["error"][0] == "fleet.1.count: 'nan' is not a whole number of units"
