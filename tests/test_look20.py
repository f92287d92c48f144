"""Display leftovers a reader would notice (s20): one figure written the same way wherever it appears."""

from __future__ import annotations

import re


def _flat(text: str) -> str:
    """Return rendered text with its line wrapping undone, so an assertion does not depend on the width."""
    return re.sub(r"\s+", " ", text)


def test_solve_writes_the_solved_factor_with_the_digits_its_table_writes(run, run_json):
    args = ("solve", "--preset", "memphis", "--target", "nox=130 short_ton/year", "--vary", "factor:nox")
    code, out, err = run(*args)
    assert code == 0, err
    # 130 short tons/yr = 260,000 lb/yr over memphis's 8,920,299 MMBtu/yr (HHV) = 0.0291470050 lb/MMBtu: six
    # significant figures, 0.029147, in the header and in the estimate's 'Factor used' column (the header said 0.02915)
    header = out.splitlines()[1].strip()
    assert header == "0.029147 lb/MMBtu (HHV heat input)", header
    nox = next(line for line in out.splitlines() if line.strip().startswith("NOx "))
    assert "0.029147 lb/MMBtu" in nox, nox
    doc = run_json(*args)  # the JSON keeps its full-precision number and its text
    assert abs(doc["factor"]["lb/MMBtu"] - 260_000 / 8_920_299) < 1e-8
    assert doc["estimate"]["emissions"]["nox"]["factors"][0]["as_given"] == "0.029147 lb/MMBtu"
