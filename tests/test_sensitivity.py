"""emiss sensitivity: each uncertain input's swing, worked by hand; the tornado within the width; swings to impossible values refused."""

from __future__ import annotations


def test_the_tornado_bars_stay_on_one_line_at_80_columns():
    # memphis NOx: 2 ppm gives 32.87, 25 ppm 410.8 around 129.8, the largest swing (the full bar, 410.8 - 129.8 = 281):
    # each bar is one run of '#' on the input's first line; at 80 columns they were folded onto a second line.
    from click.testing import CliRunner

    from emiss.cli import cli

    res = CliRunner().invoke(cli, ["sensitivity", "--preset", "memphis"], env={"COLUMNS": "80"})
    assert res.exit_code == 0
    lines = res.stdout.splitlines()
    assert max(len(x) for x in lines) <= 80
    bars = [x for x in lines if "#" in x]
    first = next(x for x in lines if x.startswith("NOx factor"))
    assert first in bars and "32.87" in first and "410.8" in first
    assert all("|" in x for x in bars)  # no line of bar pieces without the centre line
