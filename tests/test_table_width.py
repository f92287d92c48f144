"""A table narrower than its content wraps or leaves out a named optional column; it never crops text."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from emiss.cli import cli
from emiss.core.calc import estimate
from emiss.inputs.presets import load
from emiss.inputs.scenario import build
from emiss.report import render
from emiss.report.estimate import estimate_view
from emiss.report.render import Terminal, view_text
from emiss.report.views import Cell, Table
from emiss.report.views import Line


def _words(text: str) -> set[str]:
    """The words of ``text``, a trailing colon left off (a stacked row says 'heading: value')."""
    return {w.rstrip(":") for w in re.findall(r"[^\s]+", text)}


@pytest.mark.parametrize("preset", ["memphis", "memphis-2025-permit"])
@pytest.mark.parametrize("width", [40, 60, 80, 100, 120])  # at 60 and less, a table that cannot fit even wrapped is stacked
def test_no_heading_or_number_is_cropped(preset, width):
    view = estimate_view(estimate(build(load(preset))))
    out = view_text(view, Terminal(width=width))
    shown = _words(out)
    left_out = " | ".join(re.findall(r"Left out to fit \d+ columns: ([^;]+);", out.replace("\n", " ")))
    for block in view:
        if not isinstance(block, Table):
            continue
        stacked = f"\n    {block.columns[1].name}: " in out  # then each row's first cell is its label, unheaded
        for col in block.columns[1:] if stacked else block.columns:
            if col.name and col.name not in left_out and not col.fold:
                # a heading may wrap at its spaces, but each of its words stands whole
                assert _words(col.name) <= shown, (width, col.name)
        for row in block.rows:
            for col, cell in zip(block.columns, row):
                text = cell.text if isinstance(cell, Cell) else str(cell)
                if col.name in left_out or col.fold or not re.fullmatch(r"[-0-9.,%]+", text or "x"):
                    continue
                assert text in shown, (width, col.name, text)  # numbers never cropped nor folded


def test_a_table_too_wide_even_wrapped_is_stacked_row_by_row():
    # the fleet table's wrapped minimum (headings' longest words, cells' longest words, FOLD_MIN for the group
    # name, padding) is over 60 columns, so at 60 each group is a block: its name, then 'heading: value' lines;
    # at 80 it is a table. The first cell is labelled by its column's heading too ('Group'), as every other cell is
    view = estimate_view(estimate(build(load("memphis"))))
    narrow = view_text(view, Terminal(width=60))
    assert "  Group: Solar SMT-130 turbines\n    Kind: turbine\n    Units: 4\n    MW each: 16\n" in narrow
    assert "    Control: dry-low-nox\n" in narrow  # the last column whole (it was cropped to 'Contr' / 'dry-l')
    assert max(len(line) for line in narrow.splitlines()) <= 60
    wide = view_text(view, Terminal(width=80))
    assert "Kind: turbine" not in wide and "dry-low-nox" in wide


def test_track_at_60_columns_leaves_out_secondary_columns_instead_of_stacking_every_month(run_json):
    from pathlib import Path

    from emiss.report.measured import track_view

    log = str(Path(__file__).resolve().parent.parent / "examples" / "track-log.csv")
    doc = run_json("track", log, "--limit", "nox=87 tpy")
    facility = [r for r in doc["rows"] if r["unit"] == "facility"]
    narrow = view_text(track_view(doc), Terminal(width=60))
    lines = narrow.splitlines()
    # 20 months of seven 'heading: value' lines made ~171 lines; now a row a month, every line within 60 columns
    assert len(facility) == 20 and len(lines) < 70 and max(map(len, lines)) <= 60
    assert "month: 2024-01" not in narrow and re.search(r"^  month +tons +12-month sum +margin +crossed$", narrow, re.M)
    crossed = {True: "yes", False: "no", None: "unknown"}
    for r in facility:  # each month on one line, its figures whole, in the JSON's order: tons, sum, margin, verdict
        (line,) = [x for x in lines if x.startswith(f"  {r['month']} ")]
        assert line.split() == [r["month"], f"{r['tons']:,.3f}", f"{r['rolling_tons']:,.3f}", f"{r['margin_tons']:,.3f}",
                                crossed[r["crossed"]]]
    # what was left out is said, for both tables; the unit table keeps each unit's peak and its month
    said = narrow.replace("\n", " ")
    assert "Left out to fit 60 columns: basis, months in window;" in said
    assert "Left out to fit 60 columns: last 12-month sum, bases;" in said
    assert re.search(r"^  CT-1 +NOx +\d+\.\d{3} +\d{4}-\d{2}$", narrow, re.M)
    # at 80 columns the tables keep every column, as before
    wide = view_text(track_view(doc), Terminal(width=80))
    assert "Left out" not in wide and "basis" in wide and "window" in wide and "bases" in wide


def test_track_without_a_cap_at_60_columns_keeps_the_window_that_says_incomplete(run_json):
    from pathlib import Path

    from emiss.report.measured import track_view

    doc = run_json("track", str(Path(__file__).resolve().parent.parent / "examples" / "track-log.csv"))
    narrow = view_text(track_view(doc), Terminal(width=60))
    # no cap: no 'crossed' column and a margin of '-' a row, so the margin goes and 'months in window' stays
    assert "1 (incomplete)" in narrow and "margin" not in narrow.split("Left out")[0]
    assert max(map(len, narrow.splitlines())) <= 60 and "month: 2024-01" not in narrow


def test_the_emissions_table_at_80_columns_gives_the_factor_its_room():
    # At 80 columns the 'short tons/yr' heading held 12 columns for numbers of 7 ('521,736'): rich narrows the widest
    # wrappable columns to one width, so the factor text beside it folded at 13 ('53.06' over 'kg/MMBtu', a two-group
    # factor over five lines). Its heading now wraps to its numbers ('short' over 'tons/yr'), and the source column
    # holds only the references (a factor's status is said beside it, as the units' own tables say it), so the
    # factor column is 18 wide: every one-factor row on one line, a two-group factor on three.
    view = estimate_view(estimate(build(load("memphis"))))
    table = next(b for b in view if isinstance(b, Table) and b.title.startswith("Emissions per year"))
    lines = view_text([table], Terminal(width=80)).splitlines()
    assert max(len(x) for x in lines) <= 80
    row = {x.split()[0]: i for i, x in enumerate(lines) if x[:3].strip() and x.split()[0] in ("NOx", "CO", "CO2", "N2O")}
    assert lines[row["CO2"]].split()[-3:] == ["53.06", "kg/MMBtu", "[13]"]
    assert lines[row["N2O"]].split()[-3:] == ["0.0001", "kg/MMBtu", "[14]"]
    assert lines[row["NOx"]].split()[-3:] == ["7.9", "ppmvd@15%O2", "[1]"] and lines[row["NOx"] + 1].strip() == "(CALIBRATED)"
    at = lines[3].index("Factor used")
    co = [x[at:].strip() for x in lines[row["CO"]:row["CO"] + 3]]
    assert co == ["0.015 lb/MMBtu      [2][3]", "(turbines) vs", "0.317 (engines)"]
    assert "short" in lines[2] and "tons/yr" in lines[3] and "Factor used" in lines[3]
    # at 100 nothing wraps but the factors, and the heading keeps its line; which of two factors is unverified is said
    wide = view_text([table], Terminal(width=100))
    assert "short tons/yr" in wide and "0.0099871 (engines, unverified)" in wide


def test_health_table_at_80_columns_names_pollutants_and_keeps_each_range_on_its_line():
    from emiss.report.health import health_view

    out = view_text(health_view(estimate(build(load("memphis")))), Terminal(width=80))
    lines = out.splitlines()
    # each pollutant by the name the other tables use, never its id; the total row starts with a capital as they do
    for name in ("PM", "SO2", "NOx", "Total"):
        assert any(line.split()[:1] == [name] for line in lines), name
    assert not any(line.split()[:1] in (["pm"], ["so2"], ["nox"], ["total"]) for line in lines)
    # the whole damage range on its row (it wrapped to '$4.8 million .. $19' over a lone 'million' at 80 columns),
    # and no heading broken after '(EGU ..', which read as if cut off
    assert any(line.split()[0] == "PM" and line.endswith("$4.8 million .. $19 million") for line in lines if line.split())
    assert not any(line.strip() == "million" for line in lines)
    assert "(EGU .." not in out and "$ per short ton" in out  # per US short ton, as health.toml's unit says
    assert max(len(line) for line in lines) <= 80


def test_a_table_title_keeps_every_character_at_80_columns():
    # pte's unit table at 80 columns: its columns' least widths add up to 81, so rich drew the table a column wider
    # than the terminal and wrapped its title at 81; the terminal then cropped the title's 81st character, the comma
    # of '176.9 MMBtu/h each, HHV)'. The title is now a line of its own, wrapped at the terminal's width
    from emiss.core.calc import before_controls
    from emiss.report.analysis import pte_view

    sc = build(load("memphis-2025-permit"))
    out = view_text(pte_view(estimate(sc), estimate(before_controls(sc))), Terminal(width=80))
    assert "(15 x 16.47 MW turbine, 176.9 MMBtu/h each, HHV)" in " ".join(out.splitlines())
    assert max(len(line) for line in out.splitlines()) <= 80


def test_an_indented_line_keeps_its_indent_where_it_wraps():
    # solve's reference levels ('  (reference levels in lb/MMBtu: ...)') ran on from the first column at 80
    from emiss.report.views import Line

    out = view_text([Line("  (reference levels in lb/MMBtu: SCR-class 2 ppm 0.00737, dry-low-NOx 15 ppm 0.0553)")],
                    Terminal(width=40))
    lines = out.rstrip("\n").splitlines()
    assert len(lines) == 3 and all(line.startswith("  ") and line[2] != " " for line in lines)
    assert " ".join(line.strip() for line in lines) == ("(reference levels in lb/MMBtu: SCR-class 2 ppm 0.00737, "
                                                        "dry-low-NOx 15 ppm 0.0553)")


def test_a_sub_rows_label_keeps_its_indent_where_it_wraps():
    # pte's PM sub-rows at 80 columns: '  PM filterable' wraps in the 12-column Pollutant column, and its second line
    # ('filterable') stood at the column's edge, where each pollutant's name stands, read as a row of its own
    from emiss.core.calc import before_controls
    from emiss.report.analysis import pte_view

    sc = build(load("memphis-2025-permit"))
    lines = view_text(pte_view(estimate(sc), estimate(before_controls(sc))), Terminal(width=80)).splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("    PM ") and "22.09" in line)
    assert lines[at + 1] == "    filterable"
    assert lines[at + 2].startswith("    PM10 ") and lines[at + 3].startswith("    PM2.5 ")


def test_presets_show_numbers_its_sources_and_writes_them_out_whole_at_80_columns():
    # the Source column, 12 characters beside five others, cut 'datacenterdynamics,' into 'datacenterdy' over
    # 'namics' and ran each source down a dozen lines; sources are now numbered, as estimate's are, and written below
    from emiss.report.reference import preset_view

    out = view_text(preset_view(build(load("memphis"))), Terminal(width=80))
    assert "datacenterdynamics, Aug 2024, relaying the SELC letter" in " ".join(out.split())
    assert "datacenterdy\n" not in out
    rows = [line for line in out.split("Ranges")[0].splitlines() if line.startswith("  Solar SMT-130 ")]
    assert rows and all(re.search(r"\[\d+\]$", line) for line in rows)  # each input's source, by number
    assert max(len(line) for line in out.splitlines()) <= 80


def test_check_timeline_keeps_each_preset_name_whole_at_80_columns():
    # the timeline's Preset column was squeezed to 15 and cut 'memphis-2025-permit' into 'memphis-2025-pe' over 'rmit',
    # while 'NOx short tons/yr', folding as free text, held 17 columns for 5-character numbers
    from emiss.analysis.check import check_presets
    from emiss.report.checks import timeline_view

    checks = check_presets(["memphis", "memphis-2025-selc", "memphis-2025-permit"])
    out = view_text(timeline_view(checks), Terminal(width=80))
    for name in ("memphis-2025-selc", "memphis-2025-permit"):
        assert re.search(rf"\s{name}\s", out), name
    assert max(len(line) for line in out.splitlines()) <= 80


def test_factors_constants_keep_each_value_whole_at_80_columns():
    # the constants' values were written in full and left-aligned: household_demand's 1.2318493150684693 was cut into
    # '1.2318493150684' over '93'; now six figures (10,791 kWh / 8,760 h = 1.23185 kW), aligned as numbers
    from emiss.report.reference import factors_view

    out = view_text(factors_view(), Terminal(width=80)).split("Constants and defaults")[1]
    # each row starts with the constant's name for people (s18), its key after it
    row = next(line for line in out.splitlines() if line.startswith("  households: demand"))
    assert re.search(r"\s1\.23185\s+kW\s", row), row
    assert re.search(r"\s8,760\s+hour\s", next(line for line in out.splitlines() if line.startswith("  hours in the")))


@pytest.mark.parametrize("width", [60, 80, 100])
def test_a_number_keeps_its_unit_in_a_wrapped_table_cell(width):
    # the Results table's Basis column wrapped 'capacity / 2' over 'kW per home' (60 columns) and 'potential to emit:
    # 8,760' over 'h/yr at full load' (100): a number read without its unit; lines kept them together already
    from emiss import build_scenario, calculate
    from emiss.report import estimate, render

    text = render.view_text(estimate.estimate_view(calculate(build_scenario("memphis"))), render.Terminal(width=width))
    results = text[text.index("Results"):text.index("Emissions per year")]
    assert "8,760 h/yr" in results and "2 kW per" in results, results
    assert "\ue000" not in text and max(map(len, text.splitlines())) <= width


def test_a_tables_title_stands_apart_from_the_note_before_it():
    # pte's 'Facility total (potential to emit)' followed the startups line with no gap, read as that note's last
    # words; the methane note before the first 'Emission unit:' title said '522,272 CO2e' without its unit
    from emiss import build_scenario, calculate
    from emiss.report import render
    from emiss.report.views import Line, Table, Column

    view = [Line("A note."), Table("A title", (Column("a"),), [("1",)]), Line("After."), Table("Second", (Column("b"),), [("2",)])]
    text = render.view_text(view, render.Terminal(width=60))
    assert text.startswith("A note.\n\nA title\n") and "\n\nSecond\n" in text and "\n\n\n" not in text
    from emiss.report import estimate

    out = " ".join(render.view_text(estimate.estimate_view(calculate(build_scenario("memphis"))), render.Terminal(width=100)).split())
    assert "9.83 short tons CH4, 522,272 short tons CO2e; physical" in out and "573,435 short tons CO2e (GWP AR5" in out


def test_a_number_is_never_folded_across_two_lines_where_the_table_has_room():
    # eGRID2021, Barry 3/6A: 12,662,304.95 MMBtu measured; at 100 columns the MMBtu column was drawn 9 wide and the
    # number folded as '12,662,30' over '5'. A column of numbers is now at least as wide as its widest number.
    from click.testing import CliRunner

    from emiss.cli import cli

    for width in (100, 110, 120):
        res = CliRunner().invoke(cli, ["measured", "examples/egrid-units-2021.csv"], env={"COLUMNS": str(width)})
        assert res.exit_code == 0, res.stderr
        lines = res.stdout.splitlines()
        assert max(len(x) for x in lines) <= width
        row = next(x for x in lines if x.lstrip().startswith("3/6A"))
        assert "12,662,305" in row.split(), (width, row)


def test_a_table_that_would_cut_its_numbers_is_stacked_instead():
    # memphis-2025-selc, 24 SMT-130 x 16.5 MW x 10,742.06 Btu/kWh = 177.24 MMBtu/h each; NOx 25 ppm = 0.092110 lb/MMBtu
    # -> 16.33 lb/h each, 391.8 lb/h all, x 8,760 / 2,000 = 1,716 tpy. At 60 columns `pte` drew the table with its
    # last column cut: 'tpy al' over '1,71'.
    from click.testing import CliRunner

    from emiss.cli import cli

    nox_tpy = 24 * 16_500 * 9695 * 1.108 / 1e6 * (25 * 46.01 / 385.3e6 * 8710 * 20.9 / 5.9) * 8760 / 2000
    assert round(nox_tpy) == 1716
    res = CliRunner().invoke(cli, ["pte", "--preset", "memphis-2025-selc"], env={"COLUMNS": "60"})
    assert res.exit_code == 0
    words = res.stdout.split()
    assert "1,716" in words and "1,71" not in words
    assert all(len(x) <= 60 for x in res.stdout.splitlines())


def test_the_last_column_of_a_track_table_is_never_cropped_at_80_columns(tmp_path):
    # 2024-05: 2e8 lb = 100,000 short tons, a wide sum and margin (1e9 lb before s11; now beyond what a unit can
    # emit in May, 10 lb/MMBtu x 30,000 MMBtu/h x 744 h = 2.232e8 lb); at 80 columns rich drew the table 80 wide and cut
    # its last column: 'cros' over 'unkn' and 'yes' — the verdict itself. It is now stacked, each verdict whole.
    p = tmp_path / "wide.csv"
    p.write_text("date,unit,hours,heat_input_mmbtu,nox_lb\n2024-01,CT-1,300,120000,1000\n2024-02,CT-1,280,112000,500\n"
                 "2024-04,CT-1,0,,\n2024-05,CT-1,700,2e7,2e8\n")
    r = CliRunner().invoke(cli, ["track", str(p), "--limit", "nox=17 tpy"], env={"COLUMNS": "80"})
    assert r.exit_code == 3
    words = r.stdout.split()
    assert "unkn" not in words and "cros" not in words
    # 2024-01..04 are unknown (under the cap, before 12 months of log), 2024-05 crossed: 1,000 + 500 + 2e8 lb > 17 t
    assert words.count("unknown") >= 4 and "yes" in words
    assert all(len(x) <= 80 for x in r.stdout.splitlines())


@pytest.mark.parametrize("width", [80, 100, 120])
def test_the_monte_carlo_table_crops_no_source_or_flag(width):
    # emiss estimate --preset memphis --samples N at 100 columns drew the Source column cut at its edge: '[1] CALIBRA',
    # '[6][7] unverif', '[11][12' (footnote 12 lost). Every character of a cell must be drawn: wrapped, left out with a
    # note, or the table stacked one block per row, never cut.
    from collections import Counter

    from emiss.analysis.uncertainty import monte_carlo
    from emiss.core.calc import estimate
    from emiss.inputs.presets import load
    from emiss.inputs.scenario import build
    from emiss.report.estimate import estimate_view
    from emiss.report.render import Terminal, view_text
    from emiss.report.views import Table, cell_parts

    sc = build(load("memphis"))
    view = estimate_view(estimate(sc), spread=monte_carlo(sc, 200, 1))
    table = next(b for b in view if isinstance(b, Table) and b.title.startswith("Emissions per year"))
    out = view_text([table], Terminal(width=width))
    assert max(len(x) for x in out.splitlines()) <= width
    source = table.columns.index(next(c for c in table.columns if c.name == "Source"))
    given = Counter(ch for r in table.rows for ch in cell_parts(r[source])[0] if not ch.isspace())
    assert not given - Counter(ch for ch in out if not ch.isspace())
    for word in ("CALIBRATED", "unverified", "[11][12]"):
        assert word in out, (width, word)


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


def _at(width: int, *args: str) -> str:
    res = CliRunner().invoke(cli, list(args), env={"COLUMNS": str(width), "NO_COLOR": "1"})
    assert res.exit_code == 0, res.stderr
    return res.stdout


def test_a_number_keeps_its_unit_on_its_line():
    # 'share the average load, 92.1 % of rated output' at 80 columns ended a line with '92.1' and began the next
    # with '% of rated output'
    out = _at(80, "cluster", "--gpus", "100000", "--gpus", "200000")
    lines = out.splitlines()
    assert any("92.1 % of rated output" in x for x in lines)
    assert not any(x.startswith("% ") for x in lines)
    # the rule itself: 35 letters and ' 92.1' fill 40 columns; the number goes down with its unit, words still wrap
    text = render.view_text([Line("x" * 35 + " 92.1 % of it, and then 0.099 lb/MMBtu here")], render.Terminal(width=40))
    assert text.splitlines() == ["x" * 35, "92.1 % of it, and then 0.099 lb/MMBtu", "here"]
    # a space that is not between a number and a unit still breaks, and the stand-in never reaches the output
    assert render.GLUE not in text and re.search(r"\d %", render.view_text([Line("5 % x")])) is not None


def test_the_permit_limits_unit_stays_on_one_line_at_80_columns():
    # memphis-2025-permit: six annual caps ('87 tpy'); 'short tons/yr' wrapped as 'short' over 'tons/yr' in every row
    out = _at(80, "pte", "--preset", "memphis-2025-permit")
    table = out[out.index("Permit limits"):out.index("\nPer: ")].splitlines()
    rows = [x for x in table if x.split() and x.split()[0] in ("NOx", "CO", "VOC", "PM", "HAPs", "Formaldehyde")]
    assert len(rows) == 6 and all(x.split()[-2] == "tpy" for x in rows)
    # title, blank, heading, rule; one line a row; blank, the two lines saying Source (its number, '[11]') was left out
    assert len(table) == 4 + 6 + 3


def test_a_sub_rows_indent_is_not_a_gap_in_a_block():
    from emiss.report import render
    from emiss.report.views import Column, Table

    t = Table("PTE", (Column("Pollutant"), Column("Factor (both forms)", fold=True), Column("lb/h each", "right"),
                      Column("lb/h all", "right"), Column("tpy all", "right"), Column("tpy uncontrolled", "right")))
    t.rows.extend([("pm", "0.0066 lb/MMBtu [4] and a long enough source", "1.17", "17.52", "76.72", "76.72"),
                   ("  PM10", "", "", "", "76.72", "")])
    text = render.view_text([t], render.Terminal(width=40))
    assert "Pollutant: PM10" in text and "Pollutant:   PM10" not in text
