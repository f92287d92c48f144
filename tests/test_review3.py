"""Third review: solve, limit, replay and the Monte Carlo columns: answers a reader could misread or that were wrong."""

from __future__ import annotations

import pytest


def _margin_rows(out: str) -> dict[str, list[str]]:
    lines = out.splitlines()
    start = next(i for i, x in enumerate(lines) if x.strip().startswith("Pollutant")) + 2
    rows = {}
    for x in lines[start:]:
        if not x.strip():
            break
        cells = x.split()
        rows[cells[0]] = cells
    return rows


def test_limit_writes_the_ghg_threshold_in_full_not_with_an_exponent(run):
    # memphis under the PSD significant emission rates: CO2e 522,272 short tons/yr all year against 75,000 tpy binds at
    # a capacity factor of 75,000 / 522,272 = 0.1436 (shown 0.143). The table wrote that threshold '7.5e+04'.
    code, out, _ = run("limit", "--preset", "memphis", "--under", "psd-ser", "--vary", "capacity-factor")
    rows = _margin_rows(out)
    assert code == 0 and "a capacity factor of 0.143 " in out
    assert rows["co2e"][:3] == ["co2e", "(binds)", "75,000"] and "e+" not in out
    assert rows["voc"][1] == "40" and rows["pm"][1] == "10"  # the small ones as stated
