"""emiss compare: scenarios side by side, each row saying what it holds and where the scenarios' methods differ."""

from __future__ import annotations

import pytest


def test_compare_says_when_homes_are_counted_two_ways(run_json):
    # memphis heads with the capacity view (99 MW / 2 kW = 49,500 homes), memphis-2025-permit with the energy view
    # (2,164,158 MWh / 10.791 MWh = 200,552): the households row read +305 %, most of it the change of method. On the
    # energy view memphis is 867,240 MWh / 10.791 = 80,367 homes (+150 %, the capacity ratio 247.05 / 99).
    doc = run_json("compare", "memphis", "memphis-2025-permit")
    homes = [c["estimate"]["households"] for c in doc["scenarios"]]
    assert [h["method"] for h in homes] == ["capacity", "energy"]
    assert homes[0]["value"] == pytest.approx(99_000 / 2) and homes[1]["value"] == pytest.approx(15 * 16.47 * 8760 / 10.791)
    note = next(n for n in doc["notes"] if n.startswith("households:"))
    assert "memphis: capacity view" in note and "memphis-2025-permit: energy view" in note
    assert "memphis 80,367, memphis-2025-permit 200,552 homes" in note  # 99 x 8,760 / 10.791 = 80,367
    # one method throughout: nothing to say
    doc = run_json("compare", "--preset", "memphis", "--capacity-factor", "50%")
    assert not any(n.startswith("households:") for n in doc["notes"])
