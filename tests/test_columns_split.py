"""The column splitters' shortcuts (one unit for the whole column, one O2 reference) against value-by-value splits."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from emiss.inputs.arrays import _TAIL, _split, _split_ppm

NUMBER = st.sampled_from(["1", "2.5", "16", "1e3", "7.", ".5", "0", "\t3", " 4", "12\n", "-1", "+2", "1_0", "x", ""])
TAIL = st.sampled_from(["", " ", " MW", "MW", " M", "W", " MW ", "M W", " kW", "%", " %", " /h", "W MW", " MWW"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(NUMBER, TAIL), min_size=1, max_size=6))
def test_split_gives_each_value_its_own_tail(pairs):
    # By hand, value by value: the number is what rstrip(_TAIL) leaves, read by float(); the unit is the rest.
    raws = [n + t for n, t in pairs]
    got = _split(raws)
    want_units = []
    for v in raws:
        text = v.rstrip(_TAIL)
        try:
            float(text)
        except ValueError:
            want_units = None
            break
        want_units.append(v[len(text):])
    if got is None:  # a refusal is allowed (the caller reads value by value); a wrong split is not
        return
    assert want_units is not None
    assert got[1] == want_units
    assert got[0] == [float(v.rstrip(_TAIL)) for v in raws]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["9", "2.5", "1e1", "0", "7."]),
                          st.sampled_from([" ppmvd@15%O2", " ppmvd@15%O2 ", "  ppmvd@15%O2", " ppmvd@3%O2", "ppmvd@15%O2", " ppmvd@15%O"])),
                min_size=1, max_size=5))
def test_split_ppm_gives_each_value_its_own_reference(pairs):
    raws = [n + t for n, t in pairs]
    got = _split_ppm(raws)
    if got is None:
        return
    numbers, refs = got
    for v, number, ref in zip(raws, numbers, refs):
        text, _, rest = v.partition(" ")
        assert (float(text), rest) == (number, ref)


# ---- the one reader: a value read alone, in a Python list and in an Arrow column gives the same number -------
# fields.convert / factors.factor_values are step (b) for all three; these hold the three sources of step (a) to
# one another: a value read as a column is either the value read alone, to the bit, or left to the one-value path.
# Clean values ('x unit' in a unit the field takes) are never left aside unless they fail alone.

UNITS = {"capacity": [" MW", " kW", "MW", " W", " hp", " kg", ""], "heat_rate": [" Btu/kWh", " MJ/kWh", "%", " %", "", " kW"],
         "capacity_factor": ["", "%", " %", " MW"], "hours": [" h", " year", " day", "", " h/yr", " kWh"],
         "household_use": [" kWh/yr", " kWh/month", "", " kWh", " MWh/yr"], "household_demand": [" kW", "", " MW"],
         "turbines": [""], "load": ["", "%"]}
ODD = ["1_0 MW", "\u0662 MW", "inf MW", "nan", "two", "1e400 kW", "-5 MW", "0", "1..5 MW", "12\tMW", " 7 MW ", "5 furlong"]


@st.composite
def quantity_column(draw):
    field = draw(st.sampled_from(sorted(UNITS)))
    clean = st.tuples(st.floats(-1, 2e5, allow_nan=False) | st.integers(-2, 60), st.sampled_from(UNITS[field]))
    values = draw(st.lists(clean.map(lambda t: t[0] if not t[1] and draw_number(t[0]) else f"{t[0]!r}{t[1]}"), min_size=1, max_size=12))
    if draw(st.booleans()):
        values[draw(st.integers(0, len(values) - 1))] = draw(st.sampled_from(ODD))
    return field, values


def draw_number(x):
    return type(x) is int  # a whole number with no unit stays a number (as JSON gives it); others are text


def _alone(field, raw):
    from emiss.inputs.arrays import one
    from emiss.errors import EmissError

    try:
        return one(field, raw), None
    except EmissError as exc:
        return None, exc.message


@settings(max_examples=150, deadline=None)
@given(quantity_column())
def test_one_reader_on_a_value_a_list_and_an_arrow_column(case):
    from emiss.inputs.arrays import column, column_arrow

    field, raws = case
    values, slow = column(field, raws)
    reads = [("list", values, slow)]
    kinds = set(map(type, raws))
    if len(kinds) == 1:
        pa = __import__("pytest").importorskip("pyarrow")
        got = column_arrow(field, pa.array(raws))
        if got is not None:
            reads.append(("arrow", *got))
    clean = all(isinstance(v, int) or (isinstance(v, str) and v not in ODD) for v in raws)
    for i, raw in enumerate(raws):
        want, error = _alone(field, raw)
        for source, vals, left in reads:
            if i in left:
                assert not clean or error is not None, (source, raw, "a clean value that reads alone was left aside")
            else:
                assert error is None, (source, raw, error)
                assert float(vals[i]) == want, (source, raw)  # to the bit


FACTOR_UNITS = ["lb/MMBtu", "g/kWh", "kg/MMBtu", "lb/MWh", "lb/h", "lb/MMscf", "g/GJ", "g/bhp-hr", "ppmvd@15%O2", "ppmvd@3%O2",
                "ppmvd@25%O2", "furlong", "ppmv@15%O2"]


@settings(max_examples=120, deadline=None)
@given(st.sampled_from(["nox", "pm", "co"]),
       st.lists(st.tuples(st.floats(-1, 50, allow_nan=False), st.sampled_from(FACTOR_UNITS)).map(lambda t: f"{t[0]!r} {t[1]}")
                | st.sampled_from(["bad", "1_0 lb/MMBtu", "9 ppmvd @ 15% O2", "0.1", "-0 lb/MMBtu", "9ppmvd@15%O2", "+9 ppmvd@15%O2",
                                   "-9ppmvd@15%O2", " 9 ppmvd@15%O2 ", "0.5lb/MWh", "+0.1 lb/MMBtu", 7, 0.1,
                                   "2e6 ppmvd@15%O2", "1000001 ppmvd@3%O2", "1000000 ppmvd@15%O2", "2e6ppmvd@15%O2",
                                   "1.3e6 mg/Nm3@15%O2"]),
                min_size=1, max_size=12))
def test_one_factor_reader_on_a_value_a_list_and_an_arrow_column(pol, raws):
    import pyarrow as pa

    from emiss.inputs.arrays import FORMS, factor_column, factor_column_arrow
    from emiss.core.factors import parse_factor
    from emiss.errors import EmissError

    reads = [("list", *factor_column(pol, raws))]
    got = factor_column_arrow(pol, pa.array(raws)) if all(type(r) is str for r in raws) else None  # Arrow holds one type
    if got is not None:
        reads.append(("arrow", *got))
    for i, raw in enumerate(raws):
        try:
            f, error = parse_factor(pol, raw, where="x", source="", status="", layer=""), None
        except EmissError as exc:
            f, error = None, exc.message
        for source, vals, left, forms in reads:
            if i not in left:
                assert error is None, (source, raw, error)
                assert (float(vals[i]), FORMS[forms[i]]) == (f.value, f.form), (source, raw)  # to the bit


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted(UNITS)), st.floats(allow_nan=True, allow_infinity=True) | st.integers(-3, 50).map(float),
       st.sampled_from(["", "percent", "MW", "kW", "hour", "hour / year", "kWh", "kWh / year", "Btu / kWh", "kg", None]))
def test_a_single_value_is_an_array_of_one(field, number, unit):
    # fields.convert on a float (the one-value path, no numpy) and on an array of one give the same value, to the
    # bit, and the same reason code
    import numpy as np

    from emiss.inputs import fields

    how, m = fields.unit_rule(field, unit)
    one_value, one_code = fields.convert(field, number, how, m)
    arr_value, arr_code = fields.convert(field, np.array([number]), np.array([how], dtype=np.int8), np.array([m]))
    assert int(arr_code[0]) == one_code
    if one_code == fields.OK:
        assert float(arr_value[0]) == one_value


# ---- the at-once split (every value of a column on its bytes) against the Python split, value by value ----------
# Whenever _at_once splits a column, the Python way (_split, _split_ppm) must split it to the same numbers (to the
# bit, the sign of zero too), the same unit texts in the same first-seen order and the same index; else the caller
# goes the Python way, which says what is wrong with a value. Odd texts are drawn beside plain ones, so a column is
# often partly plain.

DIGITS = st.text("0123456789", max_size=17)
PLAIN_NUMBER = st.builds(lambda s, a, p, b: s + a + p + b, st.sampled_from(["", "", "-", "+"]), DIGITS, st.sampled_from(["", ".", "."]), DIGITS)
ODD_NUMBER = st.sampled_from(["nan", "inf", "1_0", " 5", "5 ", "\t5", "\u0665", "\uff15", "1e3", "1E-2", "0x1", "--1", "+-1", "..5", "1.2.3",
                              "", ".", "-", "12\n3", "5\x00", "\u00a05", "1" * 16, "0" * 16 + "1", "9" * 15, "0." + "0" * 14 + "1",
                              "999999999999999.", "-0", "-.0", "+0.", "4503599627370497", "9007199254740993"])
UNIT = st.sampled_from(["", " MW", " kW", "MW", "%", " %", " /h", " Btu/kWh", " M W", " MW ", "  MW", " ppmvd@15%O2", "ppmvd@15%O2",
                        " ppmvd@15% O2", " lb/MMBtu", " x lb/MMBtu", " g/hp-hr", " m3/h", " MW5", " e", "e MW", " \u00b5g", " 2", " _"])
COLUMN = st.lists(st.tuples(PLAIN_NUMBER | ODD_NUMBER, UNIT).map("".join), min_size=1, max_size=8)


def _bits(numbers):
    import numpy as np

    return np.asarray(numbers, dtype=np.float64).view(np.int64).tolist()


def _same(fast, slow):
    from emiss.inputs.arrays import _coded

    assert slow is not None, "the at-once split read a column the Python split refuses"
    numbers, units, index = _coded(*slow)
    assert _bits(fast[0]) == _bits(numbers)
    assert fast[1] == units
    assert (fast[2] is None and index is None) or fast[2].tolist() == index.tolist()


@settings(max_examples=400, deadline=None)
@given(COLUMN)
@example(["1 MW", "2  MW"])  # _split_ppm cuts the first value's tail off each value, then refuses the '2 ' left
@example(["1 MW", "2 x MW"])
@example(["7236830840615796.5", "1309699.3227311577", "97758.197234433128 kW"])  # 17 digits: m / 10**k rounds twice
def test_at_once_splits_a_column_as_the_python_split(raws):
    from emiss.inputs.arrays import _at_once

    fast = _at_once(raws, first_space=False)
    if fast is not None:
        _same(fast, _split(raws))
    fast = _at_once(raws, first_space=True)
    if fast is not None:
        _same(fast, _split_ppm(raws))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 1e6, allow_nan=False), st.integers(0, 9), st.sampled_from(["", " MW", " kW", "%"])),
                min_size=1, max_size=8),
       st.booleans())
def test_at_once_takes_plain_columns(values, factor):
    # numbers written in at most 15 characters, as most inputs write them, are read at once (the fast way is not
    # left for the slow one by mistake), to the number float() reads
    from emiss.inputs.arrays import _at_once

    # (a factor takes no sign; the Python way refuses one)
    raws = [f"{x if factor else -x:.{k}f}{u.strip() and ' ' + u.strip() if factor else u}" for x, k, u in values]
    if any(len(r.partition(" ")[0].rstrip("%MWk")) > 15 for r in raws):
        return
    fast = _at_once(raws, first_space=factor)
    assert fast is not None
    assert _bits(fast[0]) == _bits([float(r.partition(" ")[0].rstrip("%MWk")) for r in raws])  # float() itself
    _same(fast, _split_ppm(raws) if factor else _split(raws))


def test_at_once_tells_unit_texts_apart_byte_by_byte(monkeypatch):
    # unit texts are told apart by a number mixed from their bytes; two texts with one number ('MW' and 'WM' when
    # the bytes are merely added) must not be read as one unit: the column goes the Python way
    import numpy as np

    from emiss.inputs import arrays

    monkeypatch.setattr(arrays, "_MIX", np.ones(len(arrays._MIX), dtype=np.uint64))
    assert arrays._at_once(["1 MW", "2 WM"], first_space=False) is None
    numbers, units, index = arrays._at_once(["1 MW", "2 kW", "3 MW"], first_space=False)
    assert (numbers.tolist(), units, index.tolist()) == ([1.0, 2.0, 3.0], [" MW", " kW"], [0, 1, 0])


def test_at_once_leaves_a_column_of_many_units_to_the_python_way():
    # telling unit texts apart costs a pass over the column each: past _UNITS of them the Python way splits it
    from emiss.inputs import arrays

    raws = [f"{k} {'x' * k}" for k in range(1, arrays._UNITS + 2)]
    assert arrays._at_once(raws, first_space=False) is None
    assert arrays._at_once(raws[:arrays._UNITS], first_space=False)[1] == [r[r.index(" "):] for r in raws[:arrays._UNITS]]
    numbers, units, index = arrays.split_list(raws)
    assert (numbers.tolist(), units, index.tolist()) == (list(range(1, arrays._UNITS + 2)), [r[r.index(" "):] for r in raws],
                                                        list(range(arrays._UNITS + 1)))


# ---- end to end: a CSV batch with the at-once split and with the Python split only writes the same bytes -----
# (mostly values that estimate, written in many ways, so that most columns are split at once and most rows give
# numbers; an odd value now and then)


def _cell(low, high, units, odd=(" hp", " kg", " furlong", "")):
    # a number written with 0 to 7 decimals and now and then a sign, in a unit the field takes; once in a while an
    # odd number or a unit it does not take
    number = st.tuples(st.sampled_from([""] * 8 + ["+", "-"]), st.floats(low, high), st.integers(0, 7)).map(lambda t: f"{t[0]}{t[1]:.{t[2]}f}")
    return st.tuples(st.one_of(*[number] * 19, ODD_NUMBER), st.sampled_from(units * 6 + list(odd))).map("".join)


CELL = {"turbines": st.sampled_from(["1", "4", "12", "40", "+7", "007", "3", "9"] * 4 + ["-2", "3.5", "1e1", " 4", "four", "\u0664"]),
        "capacity": _cell(0.5, 900, [" MW", " kW", "MW", " MW"]),
        "capacity_factor": _cell(0, 1, [""]) | _cell(0, 100, ["%", " %"]),
        "factor.nox": _cell(0.5, 30, [" ppmvd@15%O2", " ppmvd@15%O2", "ppmvd@15%O2", " ppmvd@3%O2"], odd=("  ppmvd@15%O2", " furlong"))
        | _cell(0, 0.5, [" lb/MMBtu", " lb/MWh"])}


@settings(max_examples=100, deadline=None)
@given(st.lists(st.fixed_dictionaries(CELL), min_size=1, max_size=8), st.sampled_from(["csv", "tsv"]))
def test_a_batch_writes_the_same_with_and_without_the_at_once_split(rows, fmt):
    # every number, unit, error message and exit code the same, whichever way each column was split
    from unittest import mock

    from click.testing import CliRunner

    from emiss.cli import cli

    sep = "," if fmt == "csv" else "\t"
    rows = [{"turbines": "4", "capacity": "16.5 MW", "capacity_factor": "0.85", "factor.nox": "9 ppmvd@15%O2"}] + rows  # (a first
    # row that builds, so that the rows after it are read as columns; a row before it that fails fails alone)
    text = sep.join(["id", *CELL]) + "\n" + "".join(
        sep.join([str(i), *('"' + r[k].replace('"', '""') + '"' if sep in r[k] or '"' in r[k] else r[k] for k in CELL)]) + "\n"
        for i, r in enumerate(rows))
    args = ["batch", "--format", fmt, "--quiet"]
    fast = CliRunner().invoke(cli, args, input=text)
    with mock.patch("emiss.inputs.arrays._at_once", return_value=None):
        slow = CliRunner().invoke(cli, args, input=text)
    assert (fast.exit_code, fast.stdout, fast.stderr) == (slow.exit_code, slow.stdout, slow.stderr)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(st.sampled_from("0123456789+-.eE kMWh%/EJ"), min_size=1, max_size=9), min_size=1, max_size=8))
@example(texts=["5EJ", " 5 MW", "-5e-3 MW", "+.5%", "5.MW", "1e3kW"])  # a tail that starts with e/E, a leading space
def test_the_unit_tails_of_an_arrow_column_are_what_follows_each_number(texts):
    # the tail of each text is what str.rstrip of a unit's last characters leaves after the number, whichever way
    # the Arrow reader cuts it (trimmed from the front by Arrow where the lengths agree, else cut from the bytes)
    import pyarrow as pa
    import pyarrow.compute as pc

    from emiss.inputs.arrays import _TAIL, _arrow_units

    col = pa.array(texts)
    distinct, index = _arrow_units(col, pc.utf8_rtrim(col, characters=_TAIL))
    want = [t[len(t.rstrip(_TAIL)):] for t in texts]
    got = [distinct[0]] * len(texts) if index is None else [distinct[i] for i in index.tolist()]
    assert got == want
