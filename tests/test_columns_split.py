"""The column splitters' shortcuts (one unit for the whole column, one O2 reference) against value-by-value splits."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from emiss.batch.columns import _TAIL, _split, _split_ppm

NUMBER = st.sampled_from(["1", "2.5", "16", "1e3", "7.", ".5", "0", "\t3", " 4", "12\n", "-1", "+2", "1_0", "x", ""])
TAIL = st.sampled_from(["", " ", " MW", "MW", " M", "W", " MW ", "M W", " kW", "%", " %", " /h", "W MW", " MWW"])


@settings(max_examples=400, deadline=None)
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


@settings(max_examples=300, deadline=None)
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


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["capacity", "capacity_factor", "heat_rate"]),
       st.lists(st.tuples(st.floats(0, 1e6), st.sampled_from(["", " MW", " kW", "%", " %", " Btu/kWh", " MJ/kWh", " furlong", None])),
                min_size=1, max_size=30))
def test_convert_with_several_units_is_each_value_converted_alone(field, pairs):
    # by hand, value by value: x times the unit's multiplier, or x / 100 for a percentage (_op says which)
    from emiss.batch.columns import _convert, _op

    numbers = [x for x, _ in pairs]
    unit_texts = [u for _, u in pairs]
    out, slow = _convert(field, numbers, unit_texts)
    for i, (x, u) in enumerate(pairs):
        op = None if u is None else _op(field, u.strip())
        if op is None:
            assert i in slow
            continue
        want = x * op[1] if op[0] == "mul" else x / op[1]
        assert out[i] == want or i in slow  # a value out of the field's range goes to the one-value path


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["0.099 lb/MMBtu", "0.3 lb/MWh", "-1 lb/MMBtu", "5 furlong", "1e-3 g/kWh", "0.2 g/kWh",
                                 "2 lb/h", "0.5 kg/MMBtu", "7 lb/MMscf", "9 ppmvd@15%O2", "inf lb/MMBtu", "1e400 lb/MMBtu"]),
                min_size=9, max_size=40))
def test_linear_factors_at_once_equal_one_by_one(raws):
    import numpy as np

    from emiss.batch.columns import _linear_factors

    n = len(raws)
    arr, forms = np.zeros(n), ["input"] * n
    left = _linear_factors("nox", raws, list(range(n)), arr, forms)  # more than 8: read as one split
    arr1, forms1, left1 = np.zeros(n), ["input"] * n, []
    for j in range(n):  # one at a time: the loop
        left1 += _linear_factors("nox", raws, [j], arr1, forms1)
    assert left == left1 and forms == forms1 and arr.tolist() == arr1.tolist()
