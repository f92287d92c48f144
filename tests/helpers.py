"""Small helpers that tests in several files share (fixtures live in conftest.py)."""

from __future__ import annotations

import re


def flat(text: str) -> str:
    """Return rendered text with its line wrapping undone, so an assertion does not depend on the width."""
    return re.sub(r"\s+", " ", text)


# one group of a preset file written by a test: GROUP.format(name=..., count=..., mw=...) (a heat rate of 9,695 Btu/kWh,
# a Titan 130's ISO figure in the catalog)
GROUP = """
[[fleet]]
name = "{name}"
count = {count}
capacity = "{mw} MW"
heat_rate = "9695 Btu/kWh"
"""
