"""Invariants: linearity in count, hours and factor; the same physical input in other units agrees."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from emiss.core.calc import estimate
from emiss.inputs.scenario import scenario_from

counts = st.integers(min_value=1, max_value=500)
mw = st.floats(min_value=0.1, max_value=500, allow_nan=False)
factor = st.floats(min_value=1e-4, max_value=10, allow_nan=False)
hours = st.floats(min_value=1, max_value=4380, allow_nan=False)
FAST = settings(max_examples=60, deadline=None)


def run(**kw):
    base = {"turbines": "1", "capacity": "10 MW", "heat_rate": "9500 Btu/kWh"}
    base.update({k: str(v) for k, v in kw.items()})
    return estimate(scenario_from(None, base))


@FAST
@given(n=counts, cap=mw)
def test_doubling_the_count_doubles_every_emission(n, cap):
    one = run(turbines=n, capacity=f"{cap} MW")
    two = run(turbines=2 * n, capacity=f"{cap} MW")
    for p, e in one.emissions.items():
        assert two.emissions[p].lb_per_year == pytest.approx(2 * e.lb_per_year, rel=1e-9)


@FAST
@given(h=hours)
def test_emissions_are_linear_in_hours(h):
    a, b = run(hours=f"{h} h"), run(hours=f"{2 * h} h")
    assert b.emissions["nox"].lb_per_year == pytest.approx(2 * a.emissions["nox"].lb_per_year, rel=1e-9)
    assert b.generation_mwh == pytest.approx(2 * a.generation_mwh, rel=1e-9)


@FAST
@given(f=factor)
def test_emissions_are_linear_in_the_factor(f):
    a = run(**{"factor.nox": f"{f} lb/MMBtu"})
    b = run(**{"factor.nox": f"{3 * f} lb/MMBtu"})
    assert b.emissions["nox"].lb_per_year == pytest.approx(3 * a.emissions["nox"].lb_per_year, rel=1e-9)


@FAST
@given(cap=mw)
def test_capacity_in_mw_and_kw_agree(cap):
    a = run(capacity=f"{cap} MW")
    b = run(capacity=f"{cap * 1000} kW")
    assert b.emissions["co2e"].lb_per_year == pytest.approx(a.emissions["co2e"].lb_per_year, rel=1e-9)


@FAST
@given(f=factor)
def test_factor_units_agree(f):
    # the same factor as lb/MMBtu, as kg/GJ and (at the known heat rate) as lb/MWh
    lb = run(heat_rate_basis="hhv", **{"factor.nox": f"{f} lb/MMBtu"}).emissions["nox"].lb_per_year
    kg_gj = f * 0.45359237 / 1.05505585262
    si = run(heat_rate_basis="hhv", **{"factor.nox": f"{kg_gj} kg/GJ"}).emissions["nox"].lb_per_year
    per_mwh = f * 9500 / 1000  # lb/MMBtu x MMBtu/MWh (9,500 Btu/kWh = 9.5 MMBtu/MWh)
    out = run(heat_rate_basis="hhv", **{"factor.nox": f"{per_mwh} lb/MWh"}).emissions["nox"].lb_per_year
    assert si == pytest.approx(lb, rel=1e-6)
    assert out == pytest.approx(lb, rel=1e-9)


@FAST
@given(cf=st.floats(min_value=0.01, max_value=1.0))
def test_capacity_factor_and_hours_agree(cf):
    a = run(capacity_factor=cf)
    b = run(hours=f"{cf * 8760} h")
    assert a.emissions["nox"].lb_per_year == pytest.approx(b.emissions["nox"].lb_per_year, rel=1e-9)
