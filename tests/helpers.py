"""Small helpers that tests in several files share (fixtures live in conftest.py)."""

from __future__ import annotations

import re


def flat(text: str) -> str:
    """Return rendered text with its line wrapping undone, so an assertion does not depend on the width."""
    return re.sub(r"\s+", " ", text)
