"""Small display defects a reader would notice (s18): running text in the tables' own words."""

from __future__ import annotations

import re


def _flat(text: str) -> str:
    """Return rendered text with its line wrapping undone, so an assertion does not depend on the width."""
    return re.sub(r"\s+", " ", text)


def test_the_monte_carlo_note_spells_units_as_the_tables_do(run):
    code, out, err = run("estimate", "--preset", "memphis", "--samples", "200", "--seed", "1")
    assert code == 0, err
    note = _flat(out).split("P5 .. P95: Monte Carlo", 1)[1].split("Central values", 1)[0]
    # the results table says 'full-load h/yr' and 'kWh/yr per home'; the note said 'hour/year' and 'kWh/year'
    assert "operating hours per year triangular 4,380 / 8,760 / 8,760 h/yr;" in note
    assert "use per home triangular 10,791 / 10,791 / 15,400 kWh/yr;" in note
    assert "hour/year" not in note and "kWh/year" not in note
    assert "9,630 / 9,695 / 10,500 Btu/kWh;" in note  # units the tables already share are left as they were


def test_the_assumptions_table_spells_units_as_the_results_table_does(run):
    code, out, err = run("estimate", "--preset", "memphis")
    assert code == 0, err
    table = out.split("Assumptions (sources listed below)", 1)[1]
    hours = next(line for line in table.splitlines() if line.strip().startswith("operating hours per year"))
    use = next(line for line in table.splitlines() if line.strip().startswith("households: annual"))
    assert re.search(r"\b8,760\s+h/yr\s", hours), hours  # was 'h/year', where the results table says 'full-load h/yr'
    assert re.search(r"\b10,791\s+kWh/yr\s", use), use  # was 'kWh/year', where the results table says 'kWh/yr per home'


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


def test_a_common_noun_pollutant_is_lower_case_mid_sentence_only():
    from emiss import data

    # running text: a common noun lower case; acronyms and formulas as the tables give them
    assert data.pollutant_name("hcho", in_text=True) == "formaldehyde"
    assert data.pollutant_name("ch4", in_text=True) == "methane"
    assert [data.pollutant_name(p, in_text=True) for p in ("nox", "co", "voc", "pm", "so2", "hap", "co2e", "nh3")] == \
        ["NOx", "CO", "VOC", "PM", "SO2", "HAPs combined", "CO2e", "NH3"]
    assert data.pollutant_name("hcho") == "Formaldehyde"  # a table cell keeps its capital


def test_the_finding_names_formaldehyde_in_lower_case_and_the_tables_keep_the_capital(run):
    code, out, err = run("solve", "--preset", "memphis", "--target", "nox=130 short_ton/year", "--vary", "factor:nox")
    assert code == 0, err
    text = _flat(out)
    # was '... threshold for NOx, CO, VOC, Formaldehyde and HAPs combined;'
    assert "above a major-source threshold for NOx, CO, VOC, formaldehyde and HAPs combined;" in text
    code, out, err = run("estimate", "--preset", "memphis", "--hours", "1000")
    assert code == 0, err
    # the potential-to-emit sentence lists the pollutants after a colon, mid-sentence
    assert "; formaldehyde 78.64 tpy, above HAP (10); HAPs combined 107.1 tpy, above HAP (25);" in _flat(out)
    # table rows (the emissions, unit and screening tables): a name at the start of a cell, capitalised as before
    rows = [line.split()[0] for line in out.splitlines() if re.match(r"  (formaldehyde|methane)\s+[0-9]", line, re.I)]
    assert len(rows) == 7 and set(rows) == {"Formaldehyde", "Methane"}


def test_a_compute_site_given_to_preset_is_named_for_what_it_is(run, tmp_path):
    import shutil
    from pathlib import Path

    site = Path(__file__).resolve().parents[1] / "presets" / "sites" / "jean-zay-2024.toml"
    # was "jean-zay-2024.toml: unknown key 'site'; allowed: preset, fleet, operation, ..." (exit 1)
    code, out, err = run("estimate", "--preset", str(site))
    assert (code, out) == (1, "")
    assert err == ("Error: jean-zay-2024.toml: a compute-site preset (presets/sites/), not a fleet to estimate: "
                   "`emiss cluster --versus jean-zay-2024` reads it\n")
    # by name: was "unknown preset 'jean-zay-2024'; available: memphis, ..." (exit 2, as it stays)
    code, out, err = run("estimate", "--preset", "jean-zay-2024")
    assert code == 2 and err.startswith("Error: --preset: 'jean-zay-2024' is a compute-site preset (presets/sites/), not a fleet")
    # a copy outside presets/sites/: --versus takes a shipped name only, and the message does not offer this one's
    mine = tmp_path / "mine.toml"
    shutil.copy(site, mine)
    code, out, err = run("estimate", "--preset", str(mine))
    assert code == 1 and "--versus mine" not in err and "`emiss cluster --versus SITE` reads a site shipped in" in err


def test_the_readme_says_what_presets_sites_holds():
    from pathlib import Path

    readme = Path(__file__).resolve().parents[1].joinpath("README.md").read_text(encoding="utf-8")
    presets = re.sub(r"\s+", " ", readme.split("\n## Presets", 1)[1].split("\n## ", 1)[0])
    assert "The files in `presets/sites/` are compute sites" in presets and "`emiss cluster --versus NAME` reads them" in presets
