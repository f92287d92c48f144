"""Input names: built with ids ('factor nox (all units)'), which the JSON and CSV keep for scripts; every human view
(tables, notes, findings, pages, charts, the methods text) gives them with the pollutants' display names; a pollutant's factors by group named as briefly as tells the groups apart."""

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


def run_json_ids(run, *args):
    code, out, err = run(*args, "--format", "json")
    assert code == 0, err
    return set(json.loads(out)["emissions"])


def test_pollutants_are_named_as_readers_know_them_in_text_and_keep_their_ids_in_json(run, monkeypatch, tmp_path):
    # the emissions, unit and screening tables and the methane line say NOx, CO, Formaldehyde, not nox, co, hcho; the
    # JSON keeps the ids as keys (emissions.nox) and the track rows their 'pollutant' id
    code, out, err = run("estimate", "--preset", "memphis")
    assert code == 0, err
    firsts = [line.split()[0] for line in out.splitlines() if line.startswith("  ") and line.split()]
    assert {"NOx", "CO", "VOC", "PM", "SO2", "Formaldehyde", "CO2", "CO2e"} <= set(firsts)
    assert not {"nox", "co", "voc", "pm", "so2", "hcho", "hap", "co2", "ch4", "n2o", "co2e"} & set(firsts)
    assert "Methane: CH4 and CO2e above are on the reporting basis" in " ".join(out.split())
    assert "nox" in run_json_ids(run, "estimate", "--preset", "memphis")
    # at 80 and 60 columns no name is cut inside a word ('Formaldehyd' over 'e'), nor a heading ('one / 2' for 25)
    for width in ("80", "60"):
        monkeypatch.setenv("COLUMNS", width)
        code, out, _ = run("estimate", "--preset", "memphis")
        words = out.split()
        assert code == 0 and "Formaldehyde" in words and "Formaldehyd" not in words and "Formaldeh" not in words
        assert "25)" in words  # the HAP heading whole: 'HAP (10 / 25)'
        # and the screening drawn as a table, not one block per pollutant ('Title V (100): ABOVE' on a line of its own)
        assert "Title V (100): ABOVE" not in " ".join(words) and "HAP (10 / 25): 10 short tons/yr of any one" in " ".join(words)
    monkeypatch.delenv("COLUMNS")
    # track: the summary line and the notes name NOx; the rows keep the id
    log = tmp_path / "log.csv"
    log.write_text("date,unit,hours,nox_lb\n" + "".join(f"2024-{m:02d},A,100,2000\n" for m in range(1, 13)))
    code, out, err = run("track", str(log), "--limit", "nox=87 tpy")
    said = " ".join(out.split())
    assert code == 0 and "NOx: no 12-month sum is above the cap" in said and "NOx: 11 of 12 12-month window(s)" in said
    assert "nox:" not in said
    code, out, err = run("track", str(log), "--limit", "nox=87 tpy", "--format", "json")
    assert {r["pollutant"] for r in json.loads(out)["rows"]} == {"nox"}


def test_a_pollutants_factors_by_group_are_named_as_briefly_as_tells_the_groups_apart(tmp_path):
    # CO: AP-42 Table 3.1-1 lean-premix turbines 0.015 lb/MMBtu, Table 3.2-2 4-stroke lean-burn engines 0.317 lb/MMBtu
    # (90-105 % load); the kinds differ, so 'turbines' and 'engines' tell the groups apart (the units' own tables
    # below give each in full)
    from click.testing import CliRunner

    from emiss.cli import cli

    def said(*args):
        r = CliRunner().invoke(cli, ["estimate", *args, "--only", "co"], env={"COLUMNS": "200", "NO_COLOR": "1"})
        assert r.exit_code == 0, r.output
        return " ".join(r.stdout.split())

    assert "0.015 lb/MMBtu (turbines) vs 0.317 (engines)" in said("--preset", "memphis")
    # two turbine groups: the kind is the same, so what sets the factor names them (Table 3.1-1: diffusion 0.082)
    two = tmp_path / "two.toml"
    two.write_text(''
                   '[[fleet]]\nname = "A"\ncount = 2\ncapacity = "16 MW"\nheat_rate = "10000 Btu/kWh"\ncombustor = "dry-low-nox"\n'
                   '[[fleet]]\nname = "B"\ncount = 2\ncapacity = "16 MW"\nheat_rate = "10000 Btu/kWh"\ncombustor = "diffusion"\n')
    assert "0.015 lb/MMBtu (dry-low-nox turbines) vs 0.082 (diffusion turbines)" in said("--preset", str(two))
