"""Small display leftovers of a visual review at 80 columns, each drawn as a reader sees it."""

from __future__ import annotations

import re

from click.testing import CliRunner

from emiss.cli import cli
from emiss.report import render
from emiss.report.views import Line


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


def test_the_page_indents_sub_rows_as_the_terminal_does(tmp_path):
    # pte's '  PM filterable' under PM: the page collapsed its two spaces and drew it as a pollutant's row of its own
    page = tmp_path / "pte.html"
    _at(100, "pte", "--preset", "memphis-2025-permit", "--html", str(page))
    html = page.read_text()
    assert '<td class="sub" data-label="Pollutant">PM filterable</td>' in html
    assert '<td data-label="Pollutant">PM</td>' in html  # the pollutant's own row is not indented
    assert "td.sub { padding-left:" in html


def test_the_check_chart_names_each_panel_with_its_unit():
    # memphis' four claims; the panels said 'units, ...' and 'households, ...' (no unit, no view) and 'capacity (MW)'
    from emiss.analysis.check import check_preset
    from emiss.report import charts

    fig = charts.claims_chart(check_preset("memphis"), {})
    titles = [ax.get_title(loc="left").replace("\n", " ").split(",")[0] for ax in fig.axes if ax.get_title(loc="left")]
    charts._plt().close(fig)
    # the households claim is on the capacity view (50,000 homes from 99 MW at 2 kW a home)
    assert titles == ["Units (count)", "NOx (short tons/yr)", "Households", "Fleet capacity (MW)"]
    fig = charts.claims_chart(check_preset("memphis"), {})
    assert fig.axes[2].get_title(loc="left").replace("\n", " ").startswith("Households, capacity view (homes), CNBC")
    charts._plt().close(fig)
