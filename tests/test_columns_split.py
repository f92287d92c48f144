"""The column splitters' shortcuts (one unit for the whole column, one O2 reference) against value-by-value splits."""

from __future__ import annotations

from hypothesis import given, settings
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
                                   "-9ppmvd@15%O2", " 9 ppmvd@15%O2 ", "0.5lb/MWh", "+0.1 lb/MMBtu", 7, 0.1]),
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
