"""What a journalist, a community group or a permit engineer reads: each cell says what its heading says, names not ids,
units and bases stated, on a phone (each cell drawn as 'heading: text') as on a terminal."""

from __future__ import annotations

import json
import re

import pytest

from emiss import build_scenario, calculate
from emiss.report import estimate
from emiss.report.views import Table, cell_parts

# NOx 7.9 ppmvd@15%O2 = 7.9 x 46.01/385.3e6 x 8,710 x 20.9/(20.9 - 15) = 0.029107 lb/MMBtu, shown to 3 figures
NOX_LB_MMBTU = "0.0291"


def _assumptions(result):
    (t,) = [b for b in estimate.estimate_view(result) if isinstance(b, Table) and b.title.startswith("Assumptions")]
    names = [c.name for c in t.columns]
    return [dict(zip(names, (cell_parts(x)[0] for x in row))) for row in t.rows]


def test_assumptions_put_a_factors_number_under_value_and_its_unit_under_unit():
    rows = {r["Input"]: r for r in _assumptions(calculate(build_scenario("memphis")))}
    given, converted = rows["NOx factor (all units)"], rows["NOx factor (all units), converted"]
    assert (given["Value"], given["Unit"]) == ("7.9", "ppmvd@15%O2")
    assert (converted["Value"], converted["Unit"]) == (NOX_LB_MMBTU, "lb/MMBtu")
    # 53.06 kg/MMBtu x 2.20462 lb/kg = 116.977 lb/MMBtu
    assert (rows["CO2 factor (all units)"]["Value"], rows["CO2 factor (all units)"]["Unit"]) == ("53.06", "kg/MMBtu")
    assert rows["CO2 factor (all units), converted"]["Value"] == "117.0"
    # a factor already in lb/MMBtu has no converted row
    assert "CO factor (Solar SMT-130 turbines), converted" not in rows
    for r in rows.values():  # a unit is never a number or an equation ('Unit: = 0.0291 lb/MMBtu' on a phone)
        assert not re.match(r"\s*[=\d.]", r["Unit"]), r
        assert not re.search(r"[A-Za-z]{2}", r["Value"]) or not r["Input"].startswith("factor "), r


@pytest.mark.parametrize("factor, rows", [
    # '5 tpy' is each unit's rate while it runs: 10,000 lb / 8,760 h = 1.1416 lb/h per unit
    ("nox=5 tpy", [("5", "tpy per unit"), ("1.14", "lb/hour per unit")]),
    ("nox=5 lb/h", [("5", "lb/h per unit")]),  # the same number in lb/hour: no converted row
    # 0.5 g/kWh = 0.5 x 2.20462 lb/kg = 1.1023 lb/MWh
    ("nox=0.5 g/kWh", [("0.5", "g/kWh"), ("1.10", "lb/MWh")]),
])
def test_assumptions_split_a_factor_given_on_the_command_line(factor, rows):
    sc = build_scenario(turbines=4, capacity="16 MW", factor_nox=factor.split("=", 1)[1])
    got = [(r["Value"], r["Unit"]) for r in _assumptions(calculate(sc)) if r["Input"].startswith("NOx factor")]
    assert got == rows


def test_the_phone_page_never_says_unit_is_an_equation(tmp_path, run):
    page = tmp_path / "p.html"
    code, _, err = run("estimate", "--preset", "memphis", "--html", str(page))
    assert code == 0, err
    text = page.read_text()
    assert '<td data-label="Unit">=' not in text
    assert f'<td class="num" data-label="Value">{NOX_LB_MMBTU}</td><td data-label="Unit">lb/MMBtu</td>' in text


@pytest.mark.parametrize("text, parts", [
    ("7.9 ppmvd@15%O2", ("7.9", "ppmvd@15%O2")), ("7.9ppmvd@15%O2", ("7.9", "ppmvd@15%O2")),
    ("2e-3 lb/MMBtu", ("2e-3", "lb/MMBtu")), ("1,000 lb/h", ("1,000", "lb/h")), (".5 g/kWh", (".5", "g/kWh")),
    ("lb/MMBtu", ("lb/MMBtu", "")), ("5", ("5", "")),
])
def test_split_given(text, parts):
    assert estimate.split_given(text) == parts


def test_the_check_pages_variants_are_headed_by_names_not_ids(run, run_json, tmp_path):
    page = tmp_path / "c.html"
    code, out, err = run("check", "--preset", "memphis-2025-selc", "--html", str(page))
    assert code == 0, err
    heads = re.findall(r'<th class="num" scope="col">([^<]*)</th>', page.read_text())
    assert {"Fleet capacity, MW", "NOx, short tons/yr", "Formaldehyde, short tons/yr", "Households (headline), homes"} \
        <= set(heads), heads
    assert not [h for h in heads if h.split(" ")[0] in ("nox", "hcho", "capacity", "households")], heads
    # the JSON keeps its keys
    (doc,) = run_json("check", "--preset", "memphis-2025-selc")["presets"]
    assert set(doc["variants"][0]["headline"]) == {"units", "capacity", "nox", "co2e", "households"}


def test_the_permit_view_beside_another_preset_says_whose_columns_it_shows(run_json, run):
    doc = run_json("compare", "memphis", "memphis-2025-permit", "--permit-view")
    labels = [s["label"] for s in doc["scenarios"]]
    assert labels == ["memphis PTE uncontrolled", "memphis PTE controlled", "memphis expected actual", "memphis-2025-permit"]
    assert ("The PTE and expected-actual columns are memphis's; memphis-2025-permit as the preset stands (its own "
            "operation and controls, before any permit limit holds it lower).") in doc["notes"]
    # one preset alone keeps its labels (test_analysis holds them)
    code, out, err = run("compare", "memphis", "memphis-2025-permit", "--permit-view", "--format", "markdown")
    assert code == 0, err
    # outputs other than pollutants by the names the estimate's results table gives them, not ids
    firsts = [line.split("|")[1].strip() for line in out.splitlines() if line.startswith("|")][2:]
    assert firsts[:5] == ["Fleet capacity", "Operation", "Generation", "Heat input", "Households (headline)"]
    assert "NOx" in firsts and "nox" not in firsts  # pollutants by the names readers know, as the emissions table


def test_a_compare_legend_of_long_labels_stays_inside_the_chart():
    from emiss.report import charts

    names = ["memphis PTE uncontrolled", "memphis PTE controlled", "memphis expected actual", "memphis-2025-permit"]
    series = {"NOx, short tons/yr": dict(zip(names, (129.8, 129.8, 129.8, 85.65))),
              "CO, short tons/yr": dict(zip(names, (504.5, 504.5, 504.5, 78.22)))}
    fig = charts.panels_chart([], {}, "Scenarios side by side", "emiss compare", series=series,
                              thresholds={"NOx, short tons/yr": 100.0})
    try:
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        (legend,) = [lg for sub in fig.subfigs for lg in sub.legends]
        texts = legend.get_texts()
        assert len(texts) == 5
        # every entry whole inside the figure: '3: memphis expected actual' beside '4: ...' ran off the right edge
        assert all(t.get_window_extent(renderer).x1 <= fig.bbox.x1 + 1 for t in texts), \
            [(t.get_text(), t.get_window_extent(renderer).x1, fig.bbox.x1) for t in texts]
    finally:
        import matplotlib.pyplot as plt

        plt.close(fig)


def test_cluster_totals_say_per_year_and_the_units_note_does_not_contradict_the_operation(run):
    code, out, err = run("cluster", "--gpus", "100000", "--gpu", "h100", "--format", "markdown")
    assert code == 0, err
    units = {cells[0]: cells[1] for line in out.splitlines() if line.startswith("|")
             for cells in [[c.strip() for c in line.strip("|").split("|")]]}
    assert (units["Generation"], units["CO2e"]) == ("MWh/yr", "tonnes/yr")
    assert units["IT load"] == "MW" and units["NOx per GPU"] == "kg"  # a power, and per GPU-year (said in a note)
    # the units run at part load, at the part-load heat rate (the Operation line), given as a share of the full-load
    # heat rate (it said '101.6 % of full load', which reads as a load); no note says they run at the full-load rate
    said = " ".join(out.split())
    assert "at the part-load heat rate, 101.6 % of the full-load heat rate" in said and "at the full-load heat rate" not in said


def test_limit_names_each_pollutants_threshold_and_a_pte_held_by_a_permit_limit(run):
    code, out, err = run("limit", "--preset", "memphis-2025-permit", "--format", "markdown")
    assert code == 0, err
    rows = {cells[0]: cells[1:] for line in out.splitlines() if line.startswith("|")
            for cells in [[c.strip() for c in line.strip("|").split("|")]]}
    # Title V: 100 tpy of a criteria pollutant, 10 of one HAP, 25 of all HAPs
    assert rows["Formaldehyde"][0] == "10" and rows["HAPs combined"][0] == "25" and rows["NOx (closest)"][0] == "100"
    # PM: 0.0066 lb/MMBtu x 23,247,515 MMBtu / 2,000 = 76.72 short tons/yr, held to the permit's 73 tpy: 27 left of 100
    assert rows["PM (as limited)"] == ["100", "27.00", "73.0%"]
    assert "PM 73.00 (estimate 76.72)" in out
    # without a permit limit nothing is said to be limited
    code, out, err = run("limit", "--preset", "memphis")
    assert code == 0, err
    assert "as limited" not in out.lower()


def test_pte_says_what_a_ton_is(run):
    code, out, err = run("pte", "--preset", "memphis-2025-permit")
    assert code == 0, err
    assert "tpy all" in out and "tpy: US short tons (2,000 lb) a year" in out


def test_sensitivity_names_its_output_counts_whole_and_labels_the_central_line(run):
    code, out, err = run("sensitivity", "--preset", "memphis")
    assert code == 0, err
    assert out.startswith("Sensitivity of NOx (short tons/yr); central value 129.8")
    assert re.search(r"units\s+\(14 \.\. 31\)", out)  # a count of gensets, 14 to 31, not '14.00 .. 31.00'
    assert "(1.50 .. 2.50 kW)" in out  # a fraction keeps its figures

    from emiss import build_scenario
    from emiss.analysis.uncertainty import sensitivity
    from emiss.report import charts
    from emiss.report.views import output_scale

    central, swings = sensitivity(build_scenario("memphis"), "nox")
    scale, _, unit = output_scale("nox")
    fig = charts.tornado_chart("nox", central, swings, scale, unit)
    try:
        (legend,) = [lg for sub in fig.subfigs for lg in sub.legends]
        assert "all inputs central: 130" in [t.get_text() for t in legend.get_texts()]  # 129.8 short tons, whole
    finally:
        import matplotlib.pyplot as plt

        plt.close(fig)


def test_a_sub_rows_indent_is_not_a_gap_in_a_block():
    from emiss.report import render
    from emiss.report.views import Column, Table

    t = Table("PTE", (Column("Pollutant"), Column("Factor (both forms)", fold=True), Column("lb/h each", "right"),
                      Column("lb/h all", "right"), Column("tpy all", "right"), Column("tpy uncontrolled", "right")))
    t.rows.extend([("pm", "0.0066 lb/MMBtu [4] and a long enough source", "1.17", "17.52", "76.72", "76.72"),
                   ("  PM10", "", "", "", "76.72", "")])
    text = render.view_text([t], render.Terminal(width=40))
    assert "Pollutant: PM10" in text and "Pollutant:   PM10" not in text


def test_pte_facility_table_says_nh3_does_not_apply_before_add_on_controls(run):
    # memphis-2025-permit: SCR on every unit, so NH3 (its slip) exists only with the control; the uncontrolled
    # column (each unit at its own combustor, no SCR) has no NH3 at all: '-' as the unit table, not '0' (none emitted)
    code, out, err = run("pte", "--preset", "memphis-2025-permit")
    assert code == 0, err
    facility = out.split("Facility total (potential to emit)")[1]
    nh3 = next(line.split() for line in facility.splitlines() if line.split()[:1] == ["NH3"])
    assert nh3[2] == "-" and float(nh3[1]) > 0
    nox = next(line.split() for line in facility.splitlines() if line.split()[:1] == ["NOx"])
    assert nox[2] != "-"  # a pollutant emitted either way keeps its number


def test_measured_tables_say_which_columns_are_estimates(run):
    code, out, err = run("measured", "examples/egrid-units-2021.csv", "--format", "markdown")
    assert code == 0, err
    heads = [[c.strip() for c in line.strip("|").split("|")] for line in out.splitlines() if line.startswith("| unit")]
    assert heads[0] == ["unit", "facility", "period", "class", "hours", "MMBtu"]
    assert heads[1][2:] == ["measured", "est. AP-42", "est. P50", "/AP-42", "/P50"]  # NOx
    assert heads[2][2:] == ["measured", "est. Part 98", "/Part 98"] and heads[3][2:] == ["measured", "est. AP-42", "/AP-42"]


@pytest.mark.parametrize("width", [100, 80])
def test_measured_headings_fit_on_one_line(run, monkeypatch, width):
    # ten columns in one table wrapped their headings at 100 columns ('est.' over 'AP-42') and a class mid-word
    # ('water-st' over 'eam'); one table per question fits 80: each heading row holds every heading, whole
    monkeypatch.setenv("COLUMNS", str(width))
    code, out, err = run("measured", "examples/egrid-units-2021.csv")
    assert code == 0, err
    heads = [line.split("   ") for line in out.splitlines() if line.startswith("  unit ")]
    assert [[h.strip() for h in x if h.strip()] for x in heads] == [
        ["unit", "facility", "period", "class", "hours", "MMBtu"], ["unit", "period", "measured", "est. AP-42", "est. P50", "/AP-42", "/P50"],
        ["unit", "period", "measured", "est. Part 98", "/Part 98"], ["unit", "period", "measured", "est. AP-42", "/AP-42"]]
    assert "water-steam+scr" in out.split() and max(len(line) for line in out.splitlines() if "──" not in line) <= width


def test_measured_at_60_columns_leaves_out_the_second_basis_and_says_so(run, monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    code, out, err = run("measured", "examples/egrid-units-2021.csv")
    assert code == 0, err
    nox = out.split("NOx, lb/MMBtu (HHV): measured beside estimated")[1].split("CO2, lb/MMBtu")[0]
    head = next(line for line in nox.splitlines() if line.startswith("  unit "))
    assert head.split() == ["unit", "period", "measured", "est.", "AP-42", "/AP-42"] and "unit: " not in out
    assert "Left out to fit 60 columns: the P50 (measured-class) estimate and ratio" in " ".join(nox.split())


def test_each_households_row_is_named_by_its_view_as_the_outputs_catalogue_names_it():
    from emiss.core.outputs import OUTPUTS

    rows = {r[0]: r[1] for r in estimate.result_lines(calculate(build_scenario("memphis")))}
    # memphis: the capacity view is the headline (99 MW / 2 kW = 49,500 homes); 867,240 MWh / 10,791 kWh = 80,367
    assert rows[OUTPUTS["households.energy"].label] == "80,367"
    assert rows[OUTPUTS["households.capacity"].label + " (headline)"] == "49,500"
    assert [k for k in rows if k.startswith("Households")] == ["Households, energy view", "Households, capacity view (headline)"]


def test_sensitivity_at_60_columns_leaves_the_bars_out_and_says_so(run, monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    code, out, err = run("sensitivity", "--preset", "memphis")
    assert code == 0, err
    # it drew each row as a block with the bars as loose '######' and '|####' lines under 'at low'
    assert not [line for line in out.splitlines() if line.strip() and set(line.strip()) <= set("#|")]
    assert "at low:" not in out and "(Left out to fit 60 columns: the tornado's bars;" in " ".join(out.split())
    assert max(len(line) for line in out.splitlines()) <= 60
    monkeypatch.setenv("COLUMNS", "80")
    code, out, err = run("sensitivity", "--preset", "memphis")
    # at 80 both half-bars stay: NOx factor 0.00737 .. 0.0921 lb/MMBtu swings 32.87 .. 410.8, the longest bar (16 #)
    assert code == 0 and "|" + "#" * 16 in out and "Left out" not in out


def test_compare_says_nh3_is_not_emitted_without_scr_not_zero(run):
    # memphis: no unit has SCR, so none emits NH3 (the ammonia slip of SCR): '-' in its column with a note saying so,
    # as pte shows it, not '0' beside the grid's 'n/a'; memphis-2025-permit (SCR on every unit) keeps its number
    code, out, err = run("compare", "--preset", "memphis", "--grid")
    assert code == 0, err
    nh3 = next(line.split() for line in out.splitlines() if line.split()[:1] == ["NH3"])
    assert nh3[-2:] == ["-", "n/a"]
    assert "'-': no unit of that scenario emits it (0 in JSON and CSV)" in " ".join(out.split())
    code, out, err = run("compare", "memphis", "memphis-2025-permit")
    nh3 = next(line.split() for line in out.splitlines() if line.split()[:1] == ["NH3"])
    assert code == 0 and nh3[-2] == "-" and float(nh3[-1]) > 0
    code, out, err = run("compare", "--preset", "memphis", "--grid", "--format", "json")
    row = next(r for r in json.loads(out)["rows"] if r["output"] == "nh3")
    assert row["values"] == [0.0, None]  # the machine formats keep the estimate's 0 (emissions.nh3.value)


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


def run_json_ids(run, *args):
    code, out, err = run(*args, "--format", "json")
    assert code == 0, err
    return set(json.loads(out)["emissions"])


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
