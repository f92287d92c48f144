"""What a reader sees: the Memphis tables at a fixed width, without colour, exactly.

A change here is a change users see. When it is intended, regenerate the file with
``COLUMNS=100 NO_COLOR=1 emiss estimate --preset memphis > tests/golden/memphis-estimate.txt``
and read the diff before committing it.
"""

from __future__ import annotations

from pathlib import Path

GOLDEN = Path(__file__).parent / "golden" / "memphis-estimate.txt"


def test_memphis_table_is_exactly_the_golden_file(run, monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("NO_COLOR", "1")
    code, out, err = run("estimate", "--preset", "memphis")
    assert code == 0, err
    assert out == GOLDEN.read_text(encoding="utf-8")
