"""Answers that were silently wrong or easy to misread, found by reading emiss's output as a user would."""

from __future__ import annotations

import pytest

# memphis: 4 SMT-130 x 16 MW x 9,695 Btu/kWh LHV x 1.108 = 171.87 MMBtu/h each; 14 gensets at 40 % (LHV), 3,412.142
# Btu/kWh / 0.40 = 8,530.35 Btu/kWh, x 2.5 MW x 1.108 = 23.63 MMBtu/h each: 1,018.30 MMBtu/h in all.
# NOx 7.9 ppm = 7.9 x 46.01/385.3e6 x 8,710 x 20.9/5.9 = 0.029107 lb/MMBtu.
GENSET_HR_LHV = 3412.14163 / 0.40
MEMPHIS_MMBTU_H = 4 * 16_000 * 9695 * 1.108 / 1e6 + 14 * 2_500 * GENSET_HR_LHV * 1.108 / 1e6



def test_hours_a_cap_allows_are_rounded_down_everywhere(run):
    # memphis-2025-permit: 15 x 16,470 kW x 9,695 x 1.108 = 2,653.8 MMBtu/h; PM 0.0066 lb/MMBtu = 17.515 lb/h; the 73 tpy
    # cap (146,000 lb) allows 8,335.6 h. `limit --under limits` says 8,335; the screening note and `check` said 8,336,
    # an hour at which the cap is crossed (8,336 x 17.515 = 146,005 lb).
    heat_h = 15 * 16_470 * 9695 * 1.108 / 1e6
    assert 146_000 / (0.0066 * heat_h) == pytest.approx(8335.6, abs=0.05)
    for args in (("estimate", "--preset", "memphis-2025-permit"), ("check", "--preset", "memphis-2025-permit"),
                 ("limit", "--preset", "memphis-2025-permit", "--under", "limits")):
        code, out, _ = run(*args)
        flat = " ".join(out.split())
        assert code == 0 and "8,335 h/yr" in flat and "8,336" not in flat, args
