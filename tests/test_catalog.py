"""emiss catalog and --turbine-model: the catalog's models, their heat rates in one unit, a capacity far from the rating."""

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
