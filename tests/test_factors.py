"""Emission factors: the library 'emiss factors' lists (engine rows, ratings, names for people), and
factors given per year or per hour, read as each unit's rate."""

from __future__ import annotations

import re

import pytest

from tests.helpers import flat as _flat


def test_a_factor_per_year_is_said_to_be_per_unit(run, run_json):
    # A factor per time is each unit's rate while it runs: '5 tpy' = 10,000 lb / 8,760 h = 1.1416 lb/h per unit, so
    # 4 units x 8,760 h give 4 x 5 = 20 tpy, not 5. That was silent; a fleet's total is easily taken for a factor.
    doc = run_json("estimate", "--turbines", "4", "--capacity", "16 MW", "--factor", "nox=5 tpy", "--only", "nox")
    assert doc["emissions"]["nox"]["value"] == pytest.approx(20)
    assert doc["warnings"] == ["factor nox: '5 tpy' is read as each unit's rate while it runs (1.142 lb/h per unit), "
                               "multiplied by 4 units and the hours: not a total for the fleet; for a fleet total, divide "
                               "it by the units"]
    code, out, _ = run("estimate", "--turbines", "4", "--capacity", "16 MW", "--factor", "nox=5 tpy", "--only", "nox")
    assert code == 0 and re.search(r"1.14 +lb/hour per unit", out)  # 10,000 / 8,760 = 1.1416
    # one unit, or a rate per hour (as permits state them, per unit): nothing to say
    for args in (("--turbines", "1", "--factor", "nox=5 tpy"), ("--turbines", "4", "--factor", "nox=5 lb/h"),
                 ("--turbines", "4", "--factor", "nox=2 ppmvd@15%O2")):
        doc = run_json("estimate", "--capacity", "16 MW", *args, "--only", "nox")
        assert doc["warnings"] == [], args
    # memphis: 130 tpy for each of its 18 units is 18 x 130 = 2,340 tpy
    doc = run_json("estimate", "--preset", "memphis", "--factor", "nox=130 short_ton/year", "--only", "nox")
    assert doc["emissions"]["nox"]["value"] == pytest.approx(2340)
    assert any("multiplied by 18 units" in w for w in doc["warnings"])


def test_the_factor_library_tells_its_engine_rows_apart_and_gives_the_ratings_it_has(run, run_json):
    # AP-42 s.3.2 NOx for engines: 2SLB 3.17 (90-105 % load, rated A) and 1.94 (below 90 %), 4SLB 4.08 (B) and 0.847,
    # 4SRB 2.21 and 2.27 (REFERENCE.md s.2). `factors` gave six 'nox, engine, uncontrolled' rows told apart only by
    # their source text, and called every rating 'not transcribed' although the library carries them.
    rows = run_json("factors")["factors"]
    engine_nox = {(r["engine_type"], r["load"]): (r["value"], r["rating"]) for r in rows
                  if r["pollutant"] == "nox" and r["kinds"] == "engine"}
    assert engine_nox == {("2slb", "full"): (3.17, "A"), ("2slb", "part"): (1.94, "A"), ("4slb", "full"): (4.08, "B"),
                          ("4slb", "part"): (0.847, "B"), ("4srb", "full"): (2.21, "A"), ("4srb", "part"): (2.27, "C")}
    # methane on two bases: AP-42's turbine 0.0086 lb/MMBtu is what leaves the stack; Part 98's 0.001 kg is reported
    ch4 = {(r["kinds"], r["methane_basis"]): r["value"] for r in rows if r["pollutant"] == "ch4"}
    assert ch4[("turbine", "physical")] == 0.0086 and ch4[("turbine, engine", "reporting")] == 0.001
    turbine_nox = next(r for r in rows if r["pollutant"] == "nox" and r["control"] == "uncontrolled" and r["kinds"] == "turbine")
    assert turbine_nox["rating"] == "not transcribed" and turbine_nox["engine_type"] is None
    code, out, _ = run("factors")
    assert code == 0 and "engine 4slb, 90-105 % load" in out and "not yet transcribed" not in out


@pytest.mark.parametrize("width", [80, 120])
def test_the_factor_library_names_each_pollutant_as_the_other_tables_do(run, monkeypatch, width):
    # its pollutant column gave the ids ('hcho', 'hap', 'ch4') where every other table says Formaldehyde, HAPs combined,
    # Methane; the JSON keeps the ids scripts select on
    monkeypatch.setenv("COLUMNS", str(width))
    code, out, err = run("factors")
    assert code == 0, err
    library = out[:out.index("Constants and defaults")]
    words = library.split()
    assert "Formaldehyde" in words and "Methane" in words and "NOx" in words
    assert not {"hcho", "hap", "ch4", "nox"} & set(words)
    import json

    code, out, _ = run("factors", "--format", "json")
    assert {"hcho", "nox"} <= {r["pollutant"] for r in json.loads(out)["factors"]}


def test_a_factor_per_hour_may_say_per_unit_and_a_fleets_figure_is_refused(run):
    # --help: a factor is a 'mass per hour per unit ('2.1 lb/h')'; '30 lb/h per unit' was refused as no factor.
    # memphis has 18 units: 30 lb/h x 18 x 8,760 h / 2,000 lb = 2,365.2 short tons a year, the same as '30 lb/h'
    for text in ("30 lb/h per unit", "30 lb/h each", "30 lb/h"):
        code, out, err = run("estimate", "--preset", "memphis", "--factor", f"nox={text}", "--only", "nox", "--format", "value")
        assert (code, round(float(out), 1)) == (0, 2365.2), text
    # a fleet's figure per hour would be multiplied by the 18 units: refused, with what to do
    code, out, err = run("estimate", "--preset", "memphis", "--factor", "nox=30 lb/h per fleet", "--only", "nox")
    assert (code, out) == (2, "") and len(err.strip().splitlines()) == 1
    assert "a factor per hour is each unit's rate while it runs" in err and "divide the fleet's figure by its units" in err
    # per unit means nothing for a factor per heat input: said, not passed over
    code, out, err = run("estimate", "--preset", "memphis", "--factor", "nox=0.1 lb/MMBtu per unit", "--only", "nox")
    assert (code, out) == (2, "") and "give it without 'per unit'" in err


def test_factors_names_each_constant_for_people_and_keeps_its_key(run, run_json):
    code, out, err = run("factors")
    assert code == 0, err
    table = _flat(out.split("Constants and defaults", 1)[1])
    # was the bare key: 'method19_fd 8,710 dscf/MMBtu', 'hhv_lhv_ratio 1.108', 'hours_per_year 8,760 hour'
    assert "Method 19: F-factor Fd (method19_fd) 8,710 dscf/MMBtu" in table
    assert "HHV/LHV ratio of the fuel (hhv_lhv_ratio) 1.108" in table
    assert "hours in the modelled year (hours_per_year) 8,760 hour" in table
    assert "(household_use) 10,791 kWh/yr" in table  # the unit in the tables' words, as the estimate's
    # the JSON keeps the key as the constant's name, and no new field
    first = run_json("factors")["constants"][0]
    assert first == {"name": "hours_per_year", "value": 8760, "unit": "hour", "status": "convention", "source": first["source"]}
