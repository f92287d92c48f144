"""The screening at exactly a threshold: a major source 'emits or has the potential to emit 100 tpy or more'.

Title V (CAA s.302(j), 40 CFR 70.2), PSD (40 CFR 52.21(b)(1)(i): '250 tpy or more', 100 for a listed category), HAP
(CAA s.112(a)(1): '10 tons per year or more of any hazardous air pollutant ... 25 tons per year or more of any
combination'): a potential to emit equal to the threshold crosses it. The figures are built from a factor per hour so
that they are exact in binary: 1 unit x 1,000 h x F lb/h = 1,000 F lb = F / 2 short tons (2,000 lb a ton).
"""

from __future__ import annotations

from dataclasses import replace

from emiss.core.calc import estimate, screen
from emiss.inputs.permit_limits import parse_limit
from emiss.inputs.scenario import scenario_from

HOURS = "1000 h"


def _screen(**factors: str):
    """Return {(threshold id, pollutant): Screening} for 1 unit run 1,000 h at the given lb/h factors."""
    base = {"turbines": "1", "capacity": "10 MW", "heat_rate": "10000 Btu/kWh", "heat_rate_basis": "hhv", "hours": HOURS}
    base.update({f"factor.{p}": text for p, text in factors.items()})
    r = estimate(scenario_from(None, base))
    return r, {(s.threshold_id, s.pollutant): s for s in r.screening}


def test_a_potential_to_emit_of_exactly_the_threshold_crosses_it():
    # NOx 200 lb/h x 1,000 h = 200,000 lb = 100 tpy: Title V major (100 or more), not PSD (250).
    # CO 500 lb/h x 1,000 h = 500,000 lb = 250 tpy: PSD major (250 or more), and Title V.
    # Formaldehyde 20 lb/h -> 20,000 lb = 10 tpy: a major source of one HAP (10 or more).
    # All HAPs 50 lb/h -> 50,000 lb = 25 tpy: a major source of HAPs combined (25 or more).
    _, rows = _screen(nox="200 lb/h", co="500 lb/h", hcho="20 lb/h", hap="50 lb/h")
    for key, tons, threshold in ((("title_v", "nox"), 100, 100), (("psd_other", "co"), 250, 250),
                                 (("title_v", "co"), 250, 100), (("hap_single", "hcho"), 10, 10),
                                 (("hap_combined", "hap"), 25, 25)):
        s = rows[key]
        assert (s.tons_per_year, s.threshold_tons) == (tons, threshold), key
        assert s.crossed is True, key
        assert s.unrestricted_crossed is True, key  # without limits, the same figure: major too
    assert rows[("psd_other", "nox")].crossed is False  # 100 < 250


def test_just_under_the_threshold_is_below_it():
    # 199.99 lb/h x 1,000 h = 199,990 lb = 99.995 tpy < 100; 9.999 lb/h of formaldehyde -> 4.9995 tpy < 10;
    # 49.99 lb/h of HAPs -> 24.995 tpy < 25
    _, rows = _screen(nox="199.99 lb/h", hcho="9.999 lb/h", hap="49.99 lb/h")
    for key in (("title_v", "nox"), ("hap_single", "hcho"), ("hap_combined", "hap")):
        assert rows[key].crossed is False and rows[key].unrestricted_crossed is False, key


def test_an_annual_cap_of_exactly_the_threshold_does_not_hold_a_partial_total_below_it():
    # A cap of 100 tpy allows 100 tpy, which is major: it cannot show a total that leaves out units to be below 100.
    # The known part is 150 lb/h x 1,000 h = 150,000 lb = 75 tpy. With a cap of 100 tpy the row is unknown (None);
    # with a cap of 99 tpy (198,000 lb) the PTE as limited is under 100 whatever the estimate leaves out: below (False).
    r, _ = _screen(nox="150 lb/h")
    emissions = dict(r.emissions)
    emissions["nox"] = replace(emissions["nox"], complete=False, missing=("units without a factor",))

    def title_v(cap: str):
        rows = screen(emissions, limits=(parse_limit("nox", cap, where="--limit"),), heat_mmbtu=r.heat_input_mmbtu)
        return next(s for s in rows if (s.threshold_id, s.pollutant) == ("title_v", "nox"))

    assert title_v("100 tpy").crossed is None
    at_99 = title_v("99 tpy")
    assert at_99.crossed is False and at_99.tons_per_year == 75
