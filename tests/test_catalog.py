"""emiss catalog and --turbine-model: the catalog's models, their ids whole and their heat rates in one
unit, a capacity far from a model's rating."""

from __future__ import annotations

import pytest


def test_the_catalog_heat_rates_read_in_one_unit(run):
    # 9,048 kJ/kWh / 1.055056 kJ/Btu = 8,576 Btu/kWh (the LM6000's site rating); 40 % = 3,412.14 / 0.40 = 8,530 Btu/kWh.
    # The column set them bare beside Btu/kWh figures.
    assert round(9048 / 1.05505585262) == 8576 and round(3412.14163 / 0.40) == 8530
    code, out, _ = run("catalog")
    flat = " ".join(out.split())
    assert code == 0 and "9048 kJ/kWh = 8,576 Btu/kWh" in flat and "40% = 8,530 Btu/kWh" in flat


@pytest.mark.parametrize("width", [80, 100, 120, 140])
def test_the_catalog_keeps_every_id_whole_and_its_thousands_separated(run, monkeypatch, width):
    # at 120 columns the id column folded 'lm6000-pd-sprint' into 'lm6000-pd-sp' over 'rint', an id a reader types back
    # into --turbine-model; the heat rates given in Btu/kWh read '11000' beside '8,530'
    monkeypatch.setenv("COLUMNS", str(width))
    code, out, err = run("catalog")
    assert code == 0, err
    ids = out[:out.index("GPUs and reference servers")]
    for unit in ("smt-130", "taurus-60", "genset-2.5mw", "lm6000-pd-sprint", "g3520e"):
        assert unit in ids.split(), (unit, width)
    assert "11,000 Btu/kWh" in " ".join(out.split()) and "11000" not in out
    assert max(map(len, out.splitlines())) <= width


def test_a_catalog_models_capacity_far_from_its_rating_is_said_to_be_per_unit(run, run_json):
    # --turbine-model smt-130 (rated 16.5 MW) --turbines 4 --capacity '64 MW': the fleet's 4 x 16 MW given where a
    # unit's capacity goes. It ran 4 x 64 = 256 MW of units the fleet table called SMT-130s, with no word;
    # 64 / 16.5 = 3.88 times the rating
    code, out, err = run("estimate", "--turbine-model", "smt-130", "--turbines", "4", "--capacity", "64 MW",
                         "--only", "nox", "--format", "value")
    assert code == 0 and out != ""
    assert err.strip().splitlines() == [
        "Warning: --capacity: 64 MW per unit is 3.88 times the rating of smt-130 (16.5 MW); capacity is per unit, so "
        "'Solar Turbines Titan 130 / SMT-130 mobile turbine generator' is 4 x 64 MW = 256 MW"]
    doc = run_json("estimate", "--turbine-model", "smt-130", "--turbines", "4", "--capacity", "64 MW")
    assert doc["capacity"]["value"] == 256.0 and any("3.88 times the rating" in w for w in doc["warnings"])
    # a site rating near the model's (15 MW: 0.91 times) is no surprise
    code, _, err = run("estimate", "--turbine-model", "smt-130", "--turbines", "4", "--capacity", "15 MW",
                       "--only", "nox", "--format", "value")
    assert code == 0 and "times the rating" not in err
