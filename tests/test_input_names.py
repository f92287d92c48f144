"""Input names: built with ids ('factor nox (all units)'), which the JSON and CSV keep for scripts; every human view
(tables, notes, findings, pages, charts, the methods text) gives them with the pollutants' display names."""

from __future__ import annotations

import json

import pytest

from emiss import build_scenario, data

# the memphis preset: its NOx factor (7.9 ppmvd@15%O2, all units) and its demand per home are calibrated
MEMPHIS_CALIBRATED = "households: demand per home (capacity view); NOx factor"
# a site whose NOx factor (0.02 lb/MMBtu, range 0.01..0.1) is the input 'what it would take' solves for: 20 tons a
# year from 8.76 needs 0.02 x 20 / 8.76 = 0.04566 lb/MMBtu
SITE = ('[preset]\nname = "site"\ndate = "2025-01"\n[[fleet]]\nname = "t"\ncount = 1\ncapacity = "10 MW"\n'
        'heat_rate = "10000 Btu/kWh"\nheat_rate_basis = "hhv"\n'
        '[factors]\nnox = { value = "0.02 lb/MMBtu", low = "0.01 lb/MMBtu", high = "0.1 lb/MMBtu", source = "test" }\n'
        '[[claims]]\noutput = "nox"\nvalue = "20 short_ton/year"\nwho = "w"\nwhen = "2025"\nsource = "s"\n')


@pytest.mark.parametrize("name, shown", [
    ("factor nox (all units)", "NOx factor (all units)"),
    ("factor nox (Solar SMT-130 turbines)", "NOx factor (Solar SMT-130 turbines)"),
    ("factor co2 (all units), converted", "CO2 factor (all units), converted"),
    ("Solar Titan 350 turbines: factor nox", "Solar Titan 350 turbines: NOx factor"),
    ("g: factor nox (measured P10..P50..P90)", "g: NOx factor (measured P10..P50..P90)"),
    ("factor hcho", "Formaldehyde factor"),
    ("factor pm (a: b)", "PM factor (a: b)"),  # the name without its bracket, as the tables' rows
    ("methane basis of ch4 and co2e", "methane basis of the Methane and CO2e figures"),
    ("Method 19: fd", "Method 19: F-factor Fd"),
    ("Method 19: molar_volume", "Method 19: molar volume"),
    ("Method 19: o2_air", "Method 19: O2 in dry air"),
    # anything else as it is: no pollutant id after 'factor', or 'factor' not where a factor's name has it
    ("capacity factor", "capacity factor"),
    ("factor xyz (all units)", "factor xyz (all units)"),
    ("households: use per home", "households: use per home"),
])
def test_input_name_gives_each_pollutant_its_display_name(name, shown):
    assert data.input_name(name) == shown


def test_every_name_with_its_own_wording_is_one_an_estimate_builds():
    # the fixed names are written where the scenario builds them: renamed there, this fails rather than the display
    # silently falling back to the id form
    built = {a.name for a in build_scenario("memphis").assumptions}
    assert set(data._named_inputs()) <= built


def test_the_json_keeps_the_names_as_built(run_json):
    doc = run_json("estimate", "--preset", "memphis")
    names = {a["name"] for a in doc["assumptions"]}
    assert {"methane basis of ch4 and co2e", "Method 19: fd", "Method 19: molar_volume", "Method 19: o2_air"} <= names
    assert "factor nox (all units)" in {u["name"] for u in doc["manifest"]["inputs"]["uncertain"]}
    assert not any("NOx factor" in n or "Methane and CO2e" in n for n in names)
    check = run_json("check", "--preset", "memphis")["presets"][0]
    assert check["calibrated"] == ["households: demand per home (capacity view)", "factor nox"]
    assert any("factor nox" in c["why"] for c in check["claims"] if c["verdict"] == "calibrated")
    swings = run_json("sensitivity", "--preset", "memphis")
    assert "factor nox (all units)" in json.dumps(swings) and "NOx factor" not in json.dumps(swings)


def test_the_check_csv_keeps_the_names_as_built(run):
    code, out, err = run("check", "--preset", "memphis", "--format", "csv")
    assert code == 0, err
    assert "factor nox" in out and "NOx factor" not in out


def test_human_views_give_display_names(run, tmp_path):
    code, out, err = run("estimate", "--preset", "memphis")
    assert code == 0, err
    assert f"not an independent check of them: {MEMPHIS_CALIBRATED}." in out.replace("\n", " ")
    for old in ("factor nox", "factor co2", "basis of ch4", "Method 19: fd", "molar_volume"):
        assert old not in out
    code, out, err = run("presets", "show", "memphis")
    assert code == 0 and "factor nox" not in out and "NOx factor" in out
    code, out, err = run("check", "--preset", "memphis")
    assert code == 0 and "factor nox" not in out and f"not measured: {MEMPHIS_CALIBRATED}." in out.replace("\n", " ")
    code, out, err = run("check", "--preset", "memphis", "--format", "markdown")
    assert code == 0 and "factor nox" not in out and "NOx factor was chosen to give it" in out
    page = tmp_path / "e.html"
    code, out, err = run("estimate", "--preset", "memphis", "--html", str(page))
    assert code == 0, err
    html = page.read_text()
    assert "factor nox" not in html and "NOx factor (all units)" in html


def test_what_it_would_take_names_the_factor_as_the_tables_do(run, run_json, tmp_path):
    path = tmp_path / "site.toml"
    path.write_text(SITE)
    code, out, err = run("check", "--preset", str(path))
    assert code == 0, err
    assert "NOx factor (all units) =" in " ".join(out.split()) and "factor nox" not in out
    assert run_json("check", "--preset", str(path))["presets"][0]["claims"][0]["implied"]["input"] == "factor nox (all units)"
