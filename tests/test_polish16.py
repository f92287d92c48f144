"""Leftovers of the s16 review: names for people in the workbook, numbers kept with their units on the page, the
page's finding, tpy explained in the estimate, the permit table's sources, replay of a hand-edited run, the --control
note."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from emiss.cli import cli


def _run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_workbook_assumptions_sheet_names_inputs_as_people_read_them(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "run.xlsx"
    r = _run("estimate", "--preset", "memphis", "--xlsx", str(out), "--format", "json")
    assert r.exit_code == 0, r.stderr
    built = [a["name"] for a in json.loads(r.stdout)["assumptions"]]
    assert "methane basis of ch4 and co2e" in built and "Method 19: fd" in built  # the JSON keeps the name as built
    ws = openpyxl.load_workbook(out)["Assumptions and sources"]
    assert ws["A1"].value == "Name"
    names = [ws.cell(row=i, column=1).value for i in range(2, ws.max_row + 1)]
    assert len(names) == len(built)
    assert "methane basis of the Methane and CO2e figures" in names
    assert "Method 19: F-factor Fd" in names and "Method 19: O2 in dry air" in names
    assert not {"methane basis of ch4 and co2e", "Method 19: fd", "Method 19: o2_air"} & set(names)
    assert "HHV/LHV ratio of the fuel" in names  # a name without ids is as it was


def test_the_page_finding_names_a_factor_as_the_tables_do(tmp_path):
    out = tmp_path / "x.html"
    r = _run("estimate", "--preset", "memphis", "--html", str(out))
    assert r.exit_code == 0, r.stderr
    lead = out.read_text(encoding="utf-8").split('<p class="lead">')[1].split("</p>")[0]
    # memphis's PM and HAP factors are unverified (status 'recalled'): named as the Assumptions table names them
    assert "the PM factor and the HAPs combined factor." in lead
    assert "PM (PM2.5, total) factor" not in lead and "PM (PM2.5, total) factor" not in r.stdout


def test_the_page_keeps_a_number_on_one_line_with_its_unit(tmp_path):
    out = tmp_path / "x.html"
    r = _run("estimate", "--preset", "memphis-2025-permit", "--html", str(out))
    assert r.exit_code == 0, r.stderr
    page = out.read_text(encoding="utf-8")
    # the permit's NOx cap: '87 tpy' in its Limit cell broke as '87' over 'tpy' in a narrow cell
    assert '<td data-label="Limit">87&nbsp;tpy</td>' in page
    assert '<td data-label="Limit">9.8&nbsp;tpy</td>' in page
    assert "0.0066&nbsp;lb/MMBtu" in page and "8,760&nbsp;h/yr" in page and "10,742&nbsp;Btu/kWh" in page
    # a number inside a word, or one followed by a word that is no unit, is left as it was
    assert "SMT-130 turbines" in page and "SMT-130&nbsp;" not in page and "01156-01PC" in page
    assert "&#x27;87&nbsp;tons of smog-forming NOx" in page and "&#x27;&nbsp;" not in page
    assert "&nbsp;against" not in page


TPY = "tpy: US short tons (2,000 lb) a year, as permits count them; a metric tonne is 1.1023 short tons."


def test_the_estimate_says_what_tpy_is_once_before_its_tables_use_it():
    r = _run("estimate", "--preset", "memphis-2025-permit")
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines.count(TPY) == 1
    at = lines.index(TPY)
    body = lines[next(i for i, x in enumerate(lines) if x.startswith("Fleet")):]  # after the finding
    first = next(i for i, x in enumerate(lines) if "tpy" in x and x in body and x != TPY)
    assert at < first and lines[at + 1].startswith("PSD at 250 tpy")
    assert at < lines.index("Permit limits")


PERMIT = "Shelby County Health Department permit 01156-01PC (2025-07-02), 12-month rolling cap, as relayed by TechCrunch (2025-07-03): "
CAPS = {"NOx": "'87 tons of smog-forming NOx'", "CO": "'94 tons of carbon monoxide'", "VOC": "'85 tons of volatile organic compounds'",
        "PM": "'73 tons of particulate pollution'", "HAPs": "'nearly 14 tons of hazardous air pollutants'",
        "Formaldehyde": "'including 9.8 tons of formaldehyde'"}


@pytest.mark.parametrize("command", ["pte", "estimate"])
def test_the_permit_table_keeps_its_sources_at_100_columns(command):
    r = CliRunner(env={"COLUMNS": "100"}).invoke(cli, [command, "--preset", "memphis-2025-permit"])
    assert r.exit_code == 0, r.stderr
    out = r.stdout
    table = out[out.index("Permit limits"):out.index("\nPer: ")].splitlines()
    assert table[2].split()[-1] == "Source" and "Left out" not in out[out.index("Permit limits"):]
    flat = " ".join(out.split())
    for line in table:
        if line.split() and line.split()[0] in CAPS:
            n = line.split()[-1]  # the row's source by its number, listed once below, whole
            assert n.startswith("[") and n.endswith("]")
            assert flat.count(f"{n} {PERMIT}{CAPS[line.split()[0]]}") == 1
            assert out.count(f"\n{n} ") == 1


@pytest.fixture(scope="module")
def manifest_doc(tmp_path_factory):
    path = tmp_path_factory.mktemp("replay") / "run.json"
    r = _run("estimate", "--preset", "memphis", "--samples", "10", "--seed", "1", "--manifest", str(path))
    assert r.exit_code == 0, r.stderr
    return json.loads(path.read_text())


@pytest.mark.parametrize("key, value", [("samples", "ten"), ("samples", 1.5), ("samples", True), ("samples", [10]),
                                        ("seed", "x"), ("seed", 1.5), ("seed", -1)])
def test_replay_of_a_run_whose_samples_or_seed_is_not_a_whole_number_is_one_line(manifest_doc, tmp_path, key, value):
    m = json.loads(json.dumps(manifest_doc))
    m["inputs"]["run"][key] = value
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(m))
    r = _run("replay", str(path))
    assert r.exit_code == 1 and r.stdout == ""
    assert r.stderr == (f"Error: replay: not a run manifest as emiss writes it: 'inputs.run.{key}' is not a whole number, 0 or "
                        "more (write one with emiss estimate --manifest FILE)\n")


def test_replay_of_a_run_that_is_not_an_object_is_one_line(manifest_doc, tmp_path):
    m = json.loads(json.dumps(manifest_doc))
    m["inputs"]["run"] = "x"
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(m))
    r = _run("replay", str(path))
    assert r.exit_code == 1 and r.stderr.endswith("'inputs.run' is not an object (write one with emiss estimate --manifest FILE)\n")


def test_the_legacy_control_note_is_written_as_every_cli_note_is():
    r = _run("estimate", "--preset", "memphis", "--control", "Lean-Premix", "--format", "json")
    assert r.exit_code == 0, r.stderr
    # one line, with the 'Note: ' every other note of the CLI has (it said 'note: ', written past the one writer)
    assert r.stderr.splitlines().count(
        "Note: --control lean-premix is a combustor: read as --combustor dry-low-nox for turbines (add-on controls: none, "
        "scr, oxidation-catalyst, scr+oxcat, nscr)") == 1
    assert "note: " not in r.stderr
