"""The column splitters' shortcuts (one unit for the whole column, one O2 reference) against value-by-value splits."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from emiss.columns import _TAIL, _split, _split_ppm

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
