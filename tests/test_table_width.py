"""A table narrower than its content wraps or leaves out a named optional column; it never crops text."""

from __future__ import annotations

import re

import pytest

from emiss.core.calc import estimate
from emiss.inputs.presets import load
from emiss.inputs.scenario import build
from emiss.report.estimate import estimate_view
from emiss.report.render import Terminal, view_text
from emiss.report.views import Cell, Table


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
