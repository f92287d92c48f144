"""emiss presets (show, validate) and preset files: what a preset may hold (groups, variants, sites),
what 'presets show' lists, and errors that name the file and key."""

from __future__ import annotations

import pytest

from tests.helpers import GROUP


def test_presets_show_lists_the_permits_limits(run, run_json):
    # presets/memphis-2025-permit.toml has six [[limits]] (12-month caps, tpy): NOx 87, CO 94, VOC 85, PM 73, HAPs 14,
    # formaldehyde 9.8. They cap the PTE (pte, limit and estimate call the site a synthetic minor by them), yet
    # 'presets show', which says it prints every resolved value, showed none of them.
    doc = run_json("presets", "show", "memphis-2025-permit")
    assert [(x["pollutant"], x["limit"], x["per"]) for x in doc["limits"]] == [
        ("nox", "87 tpy", "facility"), ("co", "94 tpy", "facility"), ("voc", "85 tpy", "facility"),
        ("pm", "73 tpy", "facility"), ("hap", "14 tpy", "facility"), ("hcho", "9.8 tpy", "facility")]
    code, out, _ = run("presets", "show", "memphis-2025-permit")
    assert code == 0 and "Permit limits" in out and "9.8 tpy" in out
    # the table names the pollutants as every other table does (the JSON above keeps the ids)
    limits = [line.split()[:2] for line in out.split("Permit limits")[1].splitlines() if "tpy" in line]
    assert limits == [["NOx", "87"], ["CO", "94"], ["VOC", "85"], ["PM", "73"], ["HAPs", "combined"], ["Formaldehyde", "9.8"]]
    assert run_json("presets", "show", "memphis")["limits"] == []


@pytest.mark.parametrize("second", ["Turbines", "turbines", "  turbines "])
def test_two_fleet_groups_of_one_name_are_refused(run, preset_file, second):
    # Two groups named alike: a batch record's group.turbines.heat_rate set only the first; the second kept its own
    # without a word (4 x 16 MW at 12,000 Btu/kWh and 2 x 5 MW at 9,695 gave 8,327,817 MMBtu/yr, neither the fleet
    # at 12,000 nor at 9,695). track matches a log's unit to its group by name, case and spacing aside, so it kept one.
    path = preset_file('[preset]\ntitle = "t"\n' + GROUP.format(name="Turbines", count=4, mw=16)
                       + GROUP.format(name=second, count=2, mw=5))
    code, out, err = run("estimate", "--preset", path, "--format", "json")
    assert (code, out) == (1, "")
    assert err.strip().splitlines() == [
        f"Error: site.toml: fleet[1].name: '{second}' is also the name of fleet[0]; give each group a name of its own"]
    code, _, err = run("presets", "validate", path)
    assert code == 1 and "fleet[1].name: " in err
    # names of their own are fine: 4 x 16 MW + 2 x 5 MW = 74 MW
    path = preset_file('[preset]\ntitle = "t"\n' + GROUP.format(name="Turbines", count=4, mw=16)
                       + GROUP.format(name="Turbines 2", count=2, mw=5), name="ok.toml")
    code, out, err = run("estimate", "--preset", path, "--format", "value", "--only", "nox")
    assert code == 0, err


def test_validate_judges_a_presets_variants_as_check_runs_them(run, preset_file):
    # 'presets validate' said ok of a variant setting a capacity factor of 150 %; 'emiss check' then refused the preset
    base = '[preset]\ntitle = "t"\n' + GROUP.format(name="Turbines", count=4, mw=16)
    path = preset_file(base + '[[variants]]\nlabel = "a"\nset = { "capacity_factor" = "150%" }\n')
    says = "Error: site.toml: variants[0].set.capacity_factor: capacity factor '150%' must be above 0 and at most 1 (or 100%)"
    code, out, err = run("presets", "validate", path)
    assert (code, out) == (1, "")
    assert err.strip().splitlines() == [says, f"Error: 1 of 1 preset file(s) have problems: {path}"]
    assert run("check", "--preset", path)[2].strip() == says  # the same words from the command that runs it
    path = preset_file(base + '[[variants]]\nlabel = "a"\nset = { "capacity_factor" = "50%" }\n', name="ok.toml")
    assert run("presets", "validate", path)[:2] == (0, f"{path}: ok\n")


def test_presets_validate_reads_a_site_preset_as_cluster_versus_does(run, tmp_path):
    # presets/sites/jean-zay-2024.toml is shipped and 'cluster --versus jean-zay-2024' reads it; validate called it
    # broken ("unknown key 'site'", "has no [[fleet]] group"), judging it as a turbine preset
    from pathlib import Path

    shipped = Path(__file__).resolve().parent.parent / "presets" / "sites" / "jean-zay-2024.toml"
    code, out, err = run("presets", "validate", str(shipped))
    assert (code, out.strip(), err) == (0, f"{shipped}: ok", "")
    bad = tmp_path / "site.toml"
    bad.write_text(shipped.read_text(encoding="utf-8").replace('kind = "compute-site"', 'kind = "computer"'), encoding="utf-8")
    code, out, err = run("presets", "validate", str(bad))
    assert code == 1 and err.splitlines()[0].startswith('Error: site.toml: [site] needs kind = "compute-site"')


GOOD_PRESET = '[preset]\ntitle = "t"\n[[fleet]]\nname = "CT"\ncount = 2\ncapacity = "5 MW"\nheat_rate = "9695 Btu/kWh"\n'


def test_presets_validate_names_the_files_with_problems_and_counts_each_file_once(run, tmp_path):
    # a problem names the file alone ('site.toml: ...'): with a site.toml in two folders, the last line said
    # '1 of 2 preset file(s) have problems' and not which; a file given twice was two files, and two with problems
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    good, bad = tmp_path / "a" / "site.toml", tmp_path / "b" / "site.toml"
    good.write_text(GOOD_PRESET)
    bad.write_text(GOOD_PRESET.replace("count = 2", "count = 0"))
    code, out, err = run("presets", "validate", str(good), str(bad), str(tmp_path / "b" / ".." / "b" / "site.toml"))
    assert (code, out) == (1, f"{good}: ok\n")
    assert err.splitlines() == ["Error: site.toml: fleet[0].count: '0' must be at least 1 unit",
                                f"Error: 1 of 2 preset file(s) have problems: {bad}"]
    more = []
    for i in range(7):
        more.append(tmp_path / f"bad{i}.toml")
        more[-1].write_text("[preset\n")
    code, out, err = run("presets", "validate", str(good), *map(str, more))
    assert err.splitlines()[-1] == (f"Error: 7 of 8 preset file(s) have problems: {', '.join(map(str, more[:5]))} "
                                    "and 2 more")
    code, out, err = run("presets", "validate", str(good), str(good))
    assert (code, out, err) == (0, f"{good}: ok\n", "")


def test_validate_names_a_missing_file_without_an_option_it_does_not_have(run, tmp_path):
    # 'presets validate' has no --preset option, yet a missing file was 'Error: --preset: no such preset file ...'
    missing = str(tmp_path / "nowhere" / "site.toml")
    code, out, err = run("presets", "validate", missing)
    assert code == 1 and out == ""
    assert err.splitlines() == [f"Error: no such preset file '{missing}'",
                                f"Error: 1 of 1 preset file(s) have problems: {missing}"]


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
