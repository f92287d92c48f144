"""Issue 24, reading side, by class: one meaning per input on every path, and emiss's own errors in the Python API;
ranges written LOW..HIGH, a load or ambient range, 'per' words, a quantity of the wrong kind named in words."""

from __future__ import annotations

import datetime
import decimal
import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import emiss
from emiss.inputs.arrays import column, factor_column, one
from emiss.batch.columnar import Engine
from emiss.batch.read import read_records
from emiss.core.model import Given, Spec
from emiss.data import POLLUTANTS
from emiss.errors import EmissError, InputError
from emiss.inputs import fields

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
pd = pytest.importorskip("pandas")
pl = pytest.importorskip("polars")

NUMERIC = ["turbines", "capacity_factor", "hours", "heat_rate", "household_use", "household_demand"]


def _ndjson_errors(rows):
    """The error of each row as 'field: message' (or the message alone), from 'emiss batch' reading NDJSON."""
    from click.testing import CliRunner

    from emiss.cli import cli

    text = "".join(json.dumps(r, allow_nan=True) + "\n" for r in rows)  # a null as the columns hold it
    r = CliRunner().invoke(cli, ["batch", "--only", "nox"], input=text)
    out = []
    for line in r.stdout.splitlines():
        e = json.loads(line).get("error")
        out.append(None if e is None else f"{e['field'] + ': ' if e.get('field') else ''}{e['message']}")
    return out


ODD = [float("nan"), float("inf"), float("-inf"), None]


@settings(max_examples=15, deadline=None)
@given(st.sampled_from(NUMERIC), st.integers(1, 4), st.data())
def test_nan_inf_and_null_mean_one_thing_on_every_path(field, n, data):
    # A float column with NaN, +-inf or null at generated rows: NDJSON, a dict, polars, pyarrow and Parquet give the
    # same error for each row (NaN and inf are errors naming the field; null is not set), and the same numbers.
    at = data.draw(st.dictionaries(st.integers(0, n - 1), st.sampled_from(ODD), min_size=1))
    good = {"turbines": 2.0, "capacity_factor": 0.5, "hours": 100.0, "heat_rate": 0.35, "household_use": 12000.0,
            "household_demand": 2.0}[field]
    values = [at.get(i, good) for i in range(n)]
    cols = {"turbines": [1.0] * n, "capacity": ["5 MW"] * n, field: values} if field != "turbines" else \
        {"capacity": ["5 MW"] * n, "turbines": values}
    want = _ndjson_errors([{k: v[i] for k, v in cols.items()} for i in range(n)])
    for i, v in at.items():
        assert (want[i] is not None and want[i].startswith(f"{field}: ")) == (v is not None)  # NaN, inf: named
    buf = io.BytesIO()
    pq.write_table(pa.table(cols), buf)
    got = {
        "dict": emiss.estimate_frame(cols, only=["nox"]),
        "polars": emiss.estimate_frame(pl.DataFrame(cols), only=["nox"]).to_dict(as_series=False),
        "pyarrow": emiss.estimate_frame(pa.table(cols), only=["nox"]).to_pydict(),
        "parquet": emiss.estimate_frame(pq.read_table(io.BytesIO(buf.getvalue())), only=["nox"]).to_pydict(),
    }
    for path, out in got.items():
        assert out["error"] == want, path
        assert out["nox_short_ton_yr"] == got["dict"]["nox_short_ton_yr"], path


DIGITS = st.characters(categories=["Nd"]).filter(lambda c: not c.isascii())


@settings(max_examples=40, deadline=None)
@given(st.one_of(st.tuples(st.integers(1, 9), st.integers(0, 9)).map(lambda t: f"{t[0]}_{t[1]}"),
                 st.lists(DIGITS, min_size=1, max_size=3).map("".join),
                 st.tuples(st.integers(1, 9), DIGITS).map(lambda t: f"{t[0]}{t[1]}")))
def test_turbines_reads_only_the_digits_0_to_9(text):
    # '1_0' and other scripts' digits ('٢') are refused alike on the command line and in a batch column.
    with pytest.raises(InputError) as alone:
        fields.count(Given(text, "command line", "cli", "user", "", "--turbines"))
    assert alone.value.message == f"'{text}' is not a whole number of units"
    _, slow = column("turbines", ["3", text, "4"])
    assert slow == [1]
    with pytest.raises(EmissError) as batch:
        one("turbines", text)
    assert batch.value.message == alone.value.message


@settings(max_examples=30, deadline=None)
@given(st.floats(0, 100), st.sampled_from(["15", "3", "0", "7.5"]), st.sampled_from(["ppmv", "PPMV", "ppmV"]),
       st.sampled_from(["@", " @ ", " at "]))
def test_ppmv_wet_is_refused_as_ppm_without_a_basis_is(x, o2, unit, at):
    text = f"{x!r} {unit}{at}{o2}%O2"
    from emiss.core.factors import parse_factor

    with pytest.raises(InputError, match="wet"):
        parse_factor("nox", text, where="factor.nox", source="", status="", layer="")
    _, slow, _ = factor_column("nox", ["9 ppmvd@15%O2", text])
    assert slow == [1]  # the column leaves it to the one-value parser, which refuses it


@settings(max_examples=25, deadline=None)
@given(st.one_of(st.text(min_size=1, max_size=8), st.sampled_from(POLLUTANTS),
                 st.lists(st.text(min_size=1, max_size=6).filter(lambda t: t.strip().lower() not in POLLUTANTS), min_size=1, max_size=3)))
def test_only_must_be_a_list_of_known_pollutants(only):
    # a string (even 'nox') or an unknown id is emiss's own error, in estimate, to_document and estimate_frame
    with pytest.raises(InputError, match="only"):
        emiss.estimate(None, turbines=1, capacity="5 MW", only=only)
    with pytest.raises(InputError, match="only"):
        emiss.estimate_frame({"turbines": [1], "capacity": ["5 MW"]}, only=only)


def test_only_as_a_list_still_selects():
    doc = emiss.estimate(None, turbines=1, capacity="5 MW", only=["NOx"])
    assert list(doc["emissions"]) == ["nox"]


@pytest.mark.parametrize("unit", ["furlong", "MW", "", "kg/h"])
def test_estimate_frame_refuses_a_bad_mass_unit_before_any_row(unit):
    with pytest.raises(InputError, match="mass unit"):
        emiss.estimate_frame({"turbines": [1, 2], "capacity": ["5 MW", "6 MW"]}, mass_unit=unit)


@pytest.mark.parametrize("make", [
    lambda df: df["capacity"],  # a pandas Series
    lambda df: pl.from_pandas(df).lazy(),  # a polars LazyFrame
    lambda df: pd.concat([df, df[["capacity"]]], axis=1),  # a column name twice
    lambda df: pa.Table.from_arrays([pa.array([1]), pa.array([2])], names=["turbines", "turbines"]),
    lambda df: [1, 2, 3],
])
def test_estimate_frame_says_what_it_takes(make):
    df = pd.DataFrame({"turbines": [1], "capacity": ["5 MW"]})
    with pytest.raises(InputError) as exc:
        emiss.estimate_frame(make(df))
    assert exc.value.where == "estimate_frame"


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from(["5 MW", "16 MW", "5 furlong", "-1 MW", "2500 kW"]), min_size=0, max_size=6))
def test_the_error_column_is_text_and_none_for_good_rows(caps):
    # whether no row, some rows or every row fails, 'error' is an object column holding None or text, and
    # 'record' an integer column: the same dtypes as the frame's head(0), Dask's meta
    df = pd.DataFrame({"turbines": [1] * len(caps), "capacity": pd.Series(caps, dtype=object)})
    out = emiss.estimate_frame(df, only=["nox"])
    meta = emiss.estimate_frame(df.head(0), only=["nox"])
    assert out.dtypes.to_dict() == meta.dtypes.to_dict()
    assert str(meta["record"].dtype) == "int64" and meta["error"].dtype == object
    for cap, err in zip(caps, out["error"].tolist()):
        assert (err is None) == (cap in ("5 MW", "16 MW", "2500 kW"))


@pytest.mark.parametrize("value, kind", [(b"5 MW", "binary data"), (datetime.datetime(2024, 1, 1), "a timestamp"),
                                         (datetime.timedelta(hours=5), "a duration"), (decimal.Decimal("5.0"), "a Decimal"),
                                         (datetime.date(2024, 1, 1), "a date")])
@pytest.mark.parametrize("field", ["capacity", "hours", "turbines"])
def test_parquet_values_of_other_types_are_named(tmp_path, value, kind, field):
    cols = {"turbines": [1], "capacity": ["5 MW"], field: [value]}
    pq.write_table(pa.table(cols), tmp_path / "in.parquet")
    with open(tmp_path / "in.parquet", "rb") as fh:
        [block] = list(read_records(fh))  # a Table of one row
    rec = block.record(0) if hasattr(block, "n") else block
    with pytest.raises(EmissError) as exc:
        Engine(Spec(), {}).run(rec)
    assert kind in exc.value.message and "empty" not in exc.value.message


@settings(max_examples=15, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 30), st.floats(0.5, 60).map(lambda x: f"{x!r} MW"),
                          st.sampled_from([None, "kg", "lb", "g", "metric_ton", "tonne", "short_ton", "long_ton"])),
                min_size=1, max_size=5))
def test_a_records_mass_unit_does_not_change_the_columns_figures(rows):
    # The short-ton columns are converted once, from pounds: a record's own mass_unit (which its NDJSON object is
    # written in) leaves them identical, to the bit, to the same record without it -- in CSV, Parquet and frames.
    from click.testing import CliRunner

    from emiss.cli import cli

    with_unit = [{"turbines": n, "capacity": c, **({"mass_unit": u} if u else {})} for n, c, u in rows]
    without = [{"turbines": n, "capacity": c} for n, c, _ in rows]

    def csv_column(records):
        text = "".join(json.dumps(r) + "\n" for r in records)
        out = CliRunner().invoke(cli, ["batch", "--only", "nox,co2e", "--format", "csv"], input=text).stdout
        return [line.split(",")[8:10] for line in out.splitlines()[1:]]

    assert csv_column(with_unit) == csv_column(without)
    frame = {"turbines": [r["turbines"] for r in with_unit], "capacity": [r["capacity"] for r in with_unit],
             "mass_unit": [r.get("mass_unit") for r in with_unit]}
    a = emiss.estimate_frame(frame, only=["nox", "co2e"])
    b = emiss.estimate_frame({k: v for k, v in frame.items() if k != "mass_unit"}, only=["nox", "co2e"])
    assert a["nox_short_ton_yr"] == b["nox_short_ton_yr"] and a["co2e_short_ton_yr"] == b["co2e_short_ton_yr"]


@pytest.mark.parametrize("raw", ["5e-324%", "5e-324", "1e-300%", "0.0001%"])
def test_an_efficiency_too_small_for_a_possible_heat_rate_is_refused_on_every_path(raw):
    # 3,412.14 Btu/kWh / (0.0001 / 100) = 3.4e9 Btu/kWh, past the possible 1e6; 5e-324 % underflows to 0 and gives an
    # infinite heat rate. Both were read (the scalar path gave NaN, the array path inf) and crashed the measured basis.
    import pyarrow as pa

    from emiss.inputs.arrays import column, column_arrow, one
    from emiss.errors import EmissError

    with pytest.raises(EmissError, match="too large"):
        one("heat_rate", raw)
    assert column("heat_rate", [raw])[1] == [0]
    assert column_arrow("heat_rate", pa.array([raw]))[1] == [0]


# A concentration is at most the whole gas: 1,000,000 ppmvd; in mg/Nm3 the pollutant alone at 0 degC and 1 atm,
# MW / 22.414 L/mol: NO2 46.01 / 22.414 = 2.052735 kg/Nm3 = 2,052,735 mg/Nm3; CO 28.01 / 22.414 -> 1,249,665 mg/Nm3.
WHOLE_GAS = [("nox", "2e6 ppmvd@15%O2", "'2e6 ppmvd@15%O2' is more than the whole gas; a concentration is at most 1,000,000 ppmvd"),
             ("nox", "1000001 ppmvd@15%O2", "'1000001 ppmvd@15%O2' is more than the whole gas; a concentration is at most 1,000,000 ppmvd"),
             ("co", "1.5e6 ppmvd@3%O2", "'1.5e6 ppmvd@3%O2' is more than the whole gas; a concentration is at most 1,000,000 ppmvd"),
             ("nox", "2.06e6 mg/Nm3@5%O2", "'2.06e6 mg/Nm3@5%O2' is more than the whole gas; a nox concentration is at most "
                                           "2,052,735 mg/Nm3 (NO2 alone at 0 degC and 1 atm)"),
             ("co", "1.25e6 mg/Nm3@15%O2", "'1.25e6 mg/Nm3@15%O2' is more than the whole gas; a co concentration is at most "
                                            "1,249,665 mg/Nm3 (CO alone at 0 degC and 1 atm)")]


@pytest.mark.parametrize("pol, text, message", WHOLE_GAS)
def test_a_concentration_above_the_whole_gas_is_refused_on_the_command_line(run, pol, text, message):
    # before, '2e6 ppmvd@15%O2' printed about 32.9 million tons of NOx a year for memphis
    code, out, err = run("estimate", "--preset", "memphis", "--factor", f"{pol}={text}")
    assert (code, out) == (2, "")
    assert err == f"Error: --factor {pol}: {message}\n"


@pytest.mark.parametrize("pol, text, message", WHOLE_GAS)
def test_a_concentration_above_the_whole_gas_is_the_same_error_in_a_column(pol, text, message):
    # every column reader leaves the value to the one-value parser, which says the same as the command line
    from emiss.core.factors import parse_factor
    from emiss.inputs.arrays import factor_column_arrow

    with pytest.raises(InputError) as alone:
        parse_factor(pol, text, where=f"factor.{pol}", source="", status="", layer="")
    assert alone.value.message == message
    columns = [["9 ppmvd@15%O2", text, "25 ppmvd@15%O2"],  # the ppm fast paths (and mg/Nm3 beside them)
               ["0.099 lb/MMBtu", text, "9 ppmvd@15%O2"],  # several units and forms
               ["9 ppmvd@15%O2", text.replace(" ", ""), "1e1 ppmvd@15%O2"]]  # split value by value
    for raws in columns:
        assert factor_column(pol, raws)[1] == [1], raws
        got = factor_column_arrow(pol, pa.array(raws))
        assert got is None or got[1] == [1], raws
    assert _ndjson_errors([{"turbines": 1, "capacity": "5 MW", f"factor.{pol}": text}]) == [f"factor.{pol}: {message}"]


def test_the_whole_gas_itself_is_still_read():
    # 1,000,000 ppmvd NO2 at 15 % O2 by Method 19: 1e6 x 46.01 / 385.3e6 lb/scf x 8,710 dscf/MMBtu x 20.9 / 5.9
    #   = 0.119413 lb/scf x 8,710 x 3.542373 = 3,684.4 lb/MMBtu; 2,052,735 mg/Nm3 at 15 % is 1,000,000 ppmvd again
    from emiss.core.factors import parse_factor

    for text in ("1e6 ppmvd@15%O2", "1000000 ppmvd@15%O2", "2.0527e6 mg/Nm3@15%O2"):
        f = parse_factor("nox", text, where="x", source="", status="", layer="")
        assert f.value == pytest.approx(3684.4, rel=1e-4), text
    _, slow, _ = factor_column("nox", ["9 ppmvd@15%O2", "1e6 ppmvd@15%O2", "1000000 ppmvd@15%O2"])
    assert slow == []


# A rate per heat input is held to the whole gas too: 1,000,000 ppmvd@15%O2 by Method 19 is 3,684.4 lb/MMBtu of NOx
# (above); for CO (28.01): 1e6 x 28.01 / 385.3e6 x 8,710 x 20.9 / 5.9 = 0.0726966 x 8,710 x 3.542373 = 2,243.0 lb/MMBtu.
# 1e9 g/GJ is 1e9 / 453.59237 lb / 0.947817 MMBtu = 2.33e6 lb/MMBtu, above it.
MORE_THAN_THE_GAS = [("nox", "NOx", "1e20 lb/MMBtu", "3,684"), ("nox", "NOx", "3685 lb/MMBtu", "3,684"),
                     ("co", "CO", "1e9 g/GJ", "2,243")]


@pytest.mark.parametrize("pol, name, text, most", MORE_THAN_THE_GAS)
def test_a_rate_per_heat_input_above_the_whole_gas_is_refused_on_every_path(run, pol, name, text, most):
    # before, '1e20 lb/MMBtu' was read while '2e6 ppmvd@15%O2' was refused; the message names the pollutant as the
    # tables do, the option keeps its id
    from emiss.inputs.arrays import factor_column_arrow

    message = (f"'{text}' is more than the whole gas; a {name} rate per heat input is at most {most} lb/MMBtu "
               f"(1,000,000 ppmvd@15%O2 by EPA Method 19)")
    code, out, err = run("estimate", "--preset", "memphis", "--factor", f"{pol}={text}")
    assert (code, out, err) == (2, "", f"Error: --factor {pol}: {message}\n")
    for raws in (["0.099 lb/MMBtu", text, "0.1 lb/MMBtu"], ["9 ppmvd@15%O2", text, "0.099 lb/MMBtu"],
                 ["0.099 lb/MMBtu", text.replace(" ", ""), "1e1 lb/MMBtu"]):
        assert factor_column(pol, raws)[1] == [1], raws
        got = factor_column_arrow(pol, pa.array(raws))
        assert got is None or got[1] == [1], raws
    assert _ndjson_errors([{"turbines": 1, "capacity": "5 MW", f"factor.{pol}": text}]) == [f"factor.{pol}: {message}"]


def test_the_whole_gas_as_a_rate_and_pollutants_without_a_molecular_weight_are_still_read():
    from emiss.core.factors import parse_factor

    assert parse_factor("nox", "3684 lb/MMBtu", where="x", source="", status="", layer="").value == 3684
    assert factor_column("nox", ["0.1 lb/MMBtu", "3684 lb/MMBtu"])[1] == []
    # SO2 and PM have no Method 19 molecular weight here: no ceiling (sulfur comes from the fuel, not the stack gas)
    assert parse_factor("so2", "1e20 lb/MMBtu", where="x", source="", status="", layer="").value == 1e20
    assert factor_column("so2", ["0.1 lb/MMBtu", "1e20 lb/MMBtu"])[1] == []


@pytest.mark.parametrize("text, said", [
    # lb/MMBtu is mass / energy = M / (M L^2 T^-2) = T^2 / L^2, which the message wrote as pint's dimensions
    ("120 lb/MMBtu", "a mass per energy (an emission factor such as lb/MMBtu)"),
    ("120 degC", "a temperature"),
    ("120 ft**3/h", "a volume per time"),
])
def test_a_quantity_of_the_wrong_kind_is_named_in_words(run, text, said):
    code, out, err = run("estimate", "--preset", "memphis", "--fail-above", f"nox={text}")
    assert (code, out) == (2, "")
    assert err.strip() == (f"Error: --fail-above: '{text}' is {said}; expected a mass per year such as "
                           "'100 short_ton/year' or a rate such as '30 lb/h'")


@pytest.mark.parametrize("option, text, says", [
    # pint's parser failed an assertion on a dangling operator, its tokenizer on an unpaired bracket; the messages
    # ended '(AssertionError)' and "(('EOF in multi-line statement', (2, 0)))"
    ("--capacity", "16 MW/", "'16 MW/' ends in '/': a unit is whole, e.g. '16 MW' or '2 lb/h'"),
    ("--hours", "5000 h**", "'5000 h**' ends in '**': a unit is whole, e.g. '16 MW' or '2 lb/h'"),
    ("--capacity", "16 MW()", "'16 MW()' has an empty bracket '()'; a quantity is one number and one unit, e.g. '2 lb/h'"),
    ("--factor", "nox=1 lb/(MMBtu", "'1 lb/(MMBtu' has a bracket without its pair; a quantity is one number and one "
                                    "unit, e.g. '2 lb/h'"),
    # 'fleet' after a slash was taken for the limit's words and '10 lb/h/' left to pint
    ("--limit", "nox=10 lb/h/fleet", "'10 lb/h/fleet': say '10 lb/h per fleet' or give the figure alone (the whole "
                                     "facility's); words after the figure: per unit, per turbine, per engine, each, per "
                                     "facility, all units, per fleet, fleet"),
])
def test_a_unit_cut_short_is_one_plain_line(run, option, text, says):
    code, out, err = run("estimate", "--preset", "memphis", option, text)
    where = "--factor nox" if option == "--factor" else option
    assert (code, out) == (2, "")
    assert err.strip() == f"Error: {where}: {says}"


# ---- a range written high to low is refused, not swapped ----------------------------------------------------------

@pytest.mark.parametrize("args, message", [
    (("--factor", "nox=2..1 lb/MMBtu"),
     "--factor nox: '2..1 lb/MMBtu' runs from high to low (2 lb/MMBtu above 1 lb/MMBtu); write LOW..HIGH, the lower end first"),
    (("--capacity-factor", "0.9..0.5"),
     "--capacity-factor: '0.9..0.5' runs from high to low (0.9 above 0.5); write LOW..HIGH, the lower end first"),
    (("--factor", "nox=3..2..1 lb/MMBtu"),
     "--factor nox: '3..2..1 lb/MMBtu' runs from high to low (3 lb/MMBtu above 1 lb/MMBtu); write LOW..MODE..HIGH, "
     "the lower end first"),
    # efficiencies are written low to high too: 40 % is the lower heat rate, but '40%..30%' is still written reversed
    (("--heat-rate", "40%..30%"),
     "--heat-rate: '40%..30%' runs from high to low (40% above 30%); write LOW..HIGH, the lower end first"),
])
def test_a_reversed_range_is_refused(run, args, message):
    # LOW..HIGH is the grammar (README, --help) and a triangular range out of order was already refused, but
    # '2..1 lb/MMBtu' was swapped without a word into 1..2, and '3..2..1' into 1..2..3
    code, out, err = run("estimate", "--turbines", "2", "--capacity", "16 MW", "--factor", "co=0.01 lb/MMBtu", *args,
                         "--only", "nox", "--format", "value")
    assert (code, out) == (2, "")
    assert err.strip() == "Error: " + message


def test_ranges_written_low_to_high_keep_their_numbers(run):
    # 2 x 16 MW all year (8,760 h) at 9,695 Btu/kWh LHV x 1.108 HHV/LHV: heat input 32,000 kW x 8,760 h x 10,742.06 Btu/kWh
    # = 3,011,254.3 MMBtu/yr; nox at the midpoint of 1..2 lb/MMBtu (1.5) = 4,516,881 lb = 2,258.44 short tons
    code, out, err = run("estimate", "--turbines", "2", "--capacity", "16 MW", "--heat-rate", "9695 Btu/kWh",
                         "--factor", "nox=1..2 lb/MMBtu", "--only", "nox", "--format", "value")
    assert code == 0, err
    assert float(out) == pytest.approx(32_000 * 8_760 * 9_695 * 1.108 / 1e6 * 1.5 / 2_000, rel=1e-9)
    # efficiencies 30%..40% are heat rates 11,373.8..8,530.4 Btu/kWh, turned over into a range that rises; its midpoint
    # as written, 35 %, is 3,412.14 / 0.35 = 9,749.0 Btu/kWh; nox 0.1 lb/MMBtu
    code, out, err = run("estimate", "--turbines", "2", "--capacity", "16 MW", "--heat-rate", "30%..40%",
                         "--factor", "nox=0.1 lb/MMBtu", "--only", "nox", "--format", "value")
    assert code == 0, err
    assert float(out) == pytest.approx(32_000 * 8_760 * 3_412.14 / 0.35 * 1.108 / 1e6 * 0.1 / 2_000, rel=1e-5)


def test_an_efficiency_range_as_plain_fractions_is_turned_over(run):
    # a plain number up to 1 is an efficiency to --heat-rate, as '35%' is: 0.30..0.40 is written low to high and means
    # heat rates 11,373.8..8,530.4 Btu/kWh; the range check read the ends as heat rates and refused it as 'high to low'.
    # Its midpoint as written, 0.35, is 3,412.14 / 0.35 = 9,749.0 Btu/kWh; nox 0.1 lb/MMBtu
    code, out, err = run("estimate", "--turbines", "2", "--capacity", "16 MW", "--heat-rate", "0.30..0.40",
                         "--factor", "nox=0.1 lb/MMBtu", "--only", "nox", "--format", "value")
    assert code == 0, err
    assert float(out) == pytest.approx(32_000 * 8_760 * 3_412.14 / 0.35 * 1.108 / 1e6 * 0.1 / 2_000, rel=1e-5)
    code, out, err = run("estimate", "--turbines", "2", "--capacity", "16 MW", "--heat-rate", "0.40..0.30",
                         "--factor", "nox=0.1 lb/MMBtu", "--only", "nox", "--format", "value")
    assert (code, out) == (2, "")
    assert err.strip() == ("Error: --heat-rate: '0.40..0.30' runs from high to low (0.40 above 0.30); write LOW..HIGH, "
                           "the lower end first")


def test_a_reversed_range_in_a_preset_is_refused(run, preset_file):
    path = preset_file('[preset]\ntitle = "t"\n[[fleet]]\nname = "A"\ncount = 2\ncapacity = "16 MW"\n'
                       'heat_rate = "9695 Btu/kWh"\n[fleet.factors]\nnox = { low = "2 lb/MMBtu", high = "1 lb/MMBtu" }\n')
    code, out, err = run("estimate", "--preset", path, "--only", "nox", "--format", "value")
    assert (code, out) == (1, "")
    assert "runs from high to low (2 lb/MMBtu above 1 lb/MMBtu); write LOW..HIGH, the lower end first" in err


@pytest.mark.parametrize("args, where, figure, words", [
    (["estimate", "--preset", "memphis", "--capacity", "16 MW per unit"], "--capacity", "16 MW", "per unit"),
    (["solve", "--preset", "memphis", "--target", "nox=130 tpy per unit", "--vary", "hours"], "--target", "130 tpy", "per unit"),
    (["estimate", "--preset", "memphis", "--fail-above", "nox=100 tpy each"], "--fail-above", "100 tpy", "each"),
])
def test_per_words_where_no_option_reads_them_are_named_not_a_pint_dimension(run, args, where, figure, words):
    # pint read 'per' and 'unit' as units: "'16 MW per unit' is of dimension [mass]^1 * [length]^4 * [time]^-3 *
    # [luminosity]^-1; expected a power"
    code, out, err = run(*args)
    given = args[args.index(where) + 1].partition("=")[2] or args[args.index(where) + 1]
    assert (code, out) == (2, "")
    assert err == (f"Error: {where}: '{given}': '{words}' is not part of a unit; what a figure is of is read only by "
                   f"--limit and --factor (and their preset keys): give the figure alone, e.g. '{figure}'\n")


def test_per_words_are_still_read_by_limit_and_factor(run_json):
    doc = run_json("estimate", "--preset", "memphis", "--factor", "nox=5 tpy per unit", "--limit", "nox=10 lb/h per unit")
    assert doc["emissions"]["nox"]["value"] == pytest.approx(18 * 5)  # 18 units x 5 tpy each
    assert doc["limits"][0]["per"] == "unit"


LOAD_ONE = ("is a range; the load is read at one value (the part-load curve, the operating envelope, a premix range): "
            "give one, e.g. '65%', or set loads side by side with emiss compare PRESET --load 40% --load 90%")


@pytest.mark.parametrize("command", [["estimate", "--samples", "200", "--seed", "1"], ["sensitivity"]])
def test_a_load_range_is_refused_not_drawn_without_effect(run, command):
    # four SMT-130 give 157.9 tpy of NOx at 40 % load and 262.6 at 90 %; '--load 40%..90%' was kept as uncertain but
    # never drawn: Monte Carlo P5 = P50 = P95 = 218.5 (the central 65 %) and sensitivity a swing of 0
    code, out, err = run(command[0], "--turbine-model", "smt-130", "--turbines", "4", "--load", "40%..90%", *command[1:])
    assert (code, out, err) == (2, "", f"Error: --load: '40%..90%' {LOAD_ONE}\n")


def test_an_ambient_range_is_refused_not_a_traceback(run):
    # sensitivity died: TypeError: Scenario.__init__() got an unexpected keyword argument 'ambient'
    code, out, err = run("sensitivity", "--turbine-model", "smt-130", "--turbines", "4", "--ambient", "0C..40C")
    assert (code, out) == (2, "")
    assert err.startswith("Error: --ambient: '0C..40C' is a range; the ambient temperature is read at one value")


def test_a_preset_load_with_low_and_high_is_refused_as_its_data(run, preset_file):
    path = preset_file('[preset]\ntitle = "t"\n[[fleet]]\nname = "CT"\ncatalog = "smt-130"\ncount = 2\n'
                       '[operation]\nload = { value = "60%", low = "40%", high = "90%", source = "x" }\n')
    assert run("estimate", "--preset", path) == (1, "", f"Error: site.toml: operation.load: '60%' with low, high {LOAD_ONE}\n")


def test_a_record_load_range_is_an_error_record():
    from click.testing import CliRunner

    from emiss.cli import cli

    records = '{"turbine_model": "smt-130", "turbines": 2, "load": "40%..90%"}\n{"turbine_model": "smt-130", "turbines": 2}\n'
    result = CliRunner().invoke(cli, ["batch"], input=records)
    code, rows = result.exit_code, [json.loads(line) for line in result.stdout.splitlines()]
    assert code == 1 and rows[0]["error"] == {"message": f"'40%..90%' {LOAD_ONE}", "field": "load"} and "error" not in rows[1]


def test_a_rate_of_exactly_the_whole_gas_is_read_as_the_concentration_is():
    # 1,000,000 ppmvd@15%O2 is read (above), so the rate it gives by Method 19, 3,684.4 lb/MMBtu of NOx, written to the
    # last digit, is no more impossible: at the ceiling is not above it, on the one-value path and in a column
    from emiss.core.factors import most_per_heat_input, parse_factor

    most = most_per_heat_input("nox")
    assert most == pytest.approx(1e6 * 46.01 / 385.3e6 * 8710 * 20.9 / 5.9, rel=1e-9)
    text = f"{most!r} lb/MMBtu"
    assert parse_factor("nox", text, where="x", source="", status="", layer="").value == most
    values, slow, _ = factor_column("nox", ["0.1 lb/MMBtu", text])
    assert slow == [] and values[1] == most


def test_an_oxygen_reference_of_air_itself_is_refused():
    # Method 19's correction 20.9 / (20.9 - %O2) has no value at 20.9 % O2 (air, no combustion gas at all): the
    # reference must lie in [0, 20.9); 20.8 % is read (20.9 / 0.1 = 209 times the dry concentration)
    from emiss.core.factors import parse_factor

    with pytest.raises(InputError, match=r"oxygen reference 20.9% is outside 0-20.9%"):
        parse_factor("nox", "9 ppmvd@20.9%O2", where="x", source="", status="", layer="")
    f = parse_factor("nox", "9 ppmvd@20.8%O2", where="x", source="", status="", layer="")
    assert f.value == pytest.approx(9 * 46.01 / 385.3e6 * 8710 * 20.9 / 0.1, rel=1e-9)


def test_a_factor_per_shaft_horsepower_hour_says_it_leaves_out_generator_losses():
    # g/bhp-hr is per shaft (brake) horsepower-hour; applied to electrical output it leaves out the generator's losses
    # of a few per cent, so the total is that much low: the factor says so. Per kWh of output, or per hour, nothing to say.
    from emiss.core.factors import parse_factor

    f = parse_factor("nox", "0.5 g/bhp-hr", where="x", source="", status="", layer="")
    assert f.form == "output" and f.note.startswith("per shaft (brake) horsepower-hour, applied to electrical output")
    for text in ("0.5 g/kWh", "2 lb/h"):
        assert parse_factor("nox", text, where="x", source="", status="", layer="").note == "", text


@pytest.mark.parametrize("only", ["nox", 5])
def test_the_python_apis_only_is_a_list_of_ids(only):
    # a string is not read letter by letter ('n', 'o', 'x'), nor a number iterated: both are refused in so many words
    from emiss.core.factors import check_only

    with pytest.raises(InputError, match=r"give a list of pollutant ids, e.g. only=\['nox'\]"):
        check_only(only)
    assert check_only(["NOx", " co "]) == ["nox", "co"] and check_only([]) is None
