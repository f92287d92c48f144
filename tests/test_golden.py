"""What a reader sees: the Memphis tables at a fixed width, without colour, exactly.

A change here is a change users see. When it is intended, regenerate the file with
``COLUMNS=100 NO_COLOR=1 emiss estimate --preset memphis > tests/golden/memphis-estimate.txt``
and read the diff before committing it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "golden" / "memphis-estimate.txt"


def test_memphis_table_is_exactly_the_golden_file(run, monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("NO_COLOR", "1")
    code, out, err = run("estimate", "--preset", "memphis")
    assert code == 0, err
    assert out == GOLDEN.read_text(encoding="utf-8")


def test_memphis_fits_an_80_column_terminal_without_losing_text():
    from emiss import build_scenario, calculate
    from emiss.report import estimate
    from emiss.report import render

    view = estimate.estimate_view(calculate(build_scenario("memphis")))
    text = render.view_text(view, render.Terminal(width=80))
    assert max(len(line) for line in text.splitlines()) <= 80
    # nothing cropped: the last source number and the calibration mark are whole
    assert "CALIBRATED" in text and "[25]" in text and "\n\n\n" not in text


def test_colour_on_a_terminal_bold_only_with_no_color():
    from emiss import build_scenario, calculate
    from emiss.report import estimate
    from emiss.report import render

    view = estimate.estimate_view(calculate(build_scenario("memphis")), only=["nox"])
    coloured = render.view_text(view, render.Terminal(color=True, bold=True, width=100))
    bold_only = render.view_text(view, render.Terminal(color=False, bold=True, width=100))
    plain = render.view_text(view, render.Terminal(width=100))
    assert "\x1b[1;31mABOVE" in coloured  # bold red for a crossed threshold
    assert "\x1b[1mABOVE" in bold_only and "31m" not in bold_only
    assert "\x1b" not in plain


@pytest.mark.parametrize("width", [40, 60, 80, 100, 120])
def test_no_table_loses_a_column_at_common_widths(width):
    from emiss import build_scenario, calculate
    from emiss.report import checks, estimate, views
    from emiss.report import render
    from emiss.analysis.check import check_all

    for view in (estimate.estimate_view(calculate(build_scenario("memphis"))), checks.check_view(check_all(), timeline=True)):
        text = render.view_text(view, render.Terminal(width=width))
        assert max(len(line) for line in text.splitlines()) <= width
        for block in view:
            if isinstance(block, views.Table):
                stacked = f"\n    {block.columns[1].name}: " in text  # too narrow even wrapped: a row's first cell labels it
                for col in block.columns[1:] if stacked else block.columns:
                    if not col.optional:
                        for word in col.name.split():
                            assert word in text, (block.title, col.name, width)
                # a cell's last characters are never cut off: every number in the last column appears whole
                last = block.columns[-1]
                if not last.optional and last.align == "right":
                    for row in block.rows:
                        cell = row[-1].text if isinstance(row[-1], views.Cell) else str(row[-1])
                        assert cell.replace(" ", "") in text.replace(" ", "").replace("\n", ""), (block.title, cell, width)
