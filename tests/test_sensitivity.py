"""emiss sensitivity: each uncertain input's swing, worked by hand; the tornado within the width;
a heat rate's spread read as a spread, and swings to impossible values refused."""

from __future__ import annotations

import re

import pytest


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


def _hr_preset(tmp_path, value: str, sd: str):
    p = tmp_path / "hr.toml"
    p.write_text(f'[preset]\ntitle = "hr"\n[[fleet]]\nname = "a"\ncount = 2\ncapacity = "5 MW"\n'
                 f'heat_rate = {{ value = "{value}", dist = "normal", sd = "{sd}" }}\n')
    return str(p)


def test_a_heat_rates_sd_is_a_spread_not_a_heat_rate(tmp_path, run, run_json):
    # 9,695 +/- 250 Btu/kWh (normal) was refused: the sd was read as a heat rate, and 250 Btu/kWh is under 3,412.14
    # (100 % efficient). It is a spread: P5 and P95 = 9,695 -/+ 1.6449 x 250 = 9,283.8 and 10,106.2 Btu/kWh, and NOx
    # (per heat input) swings in proportion: central x 9,283.8 / 9,695 and x 10,106.2 / 9,695.
    path = _hr_preset(tmp_path, "9695 Btu/kWh", "250 Btu/kWh")
    doc = run_json("sensitivity", "--preset", path)
    s = doc["swings"][0]
    assert s["low"] == pytest.approx(9695 - 1.6448536 * 250) and s["high"] == pytest.approx(9695 + 1.6448536 * 250)
    assert s["output_at_high"] / doc["central"] == pytest.approx(s["high"] / 9695, rel=1e-9)
    code, _, err = run("presets", "validate", _hr_preset(tmp_path, "9695 Btu/kWh", "2%"))
    assert code == 1 and "sd '2%' is not a heat rate's spread" in err  # Btu/kWh is a ratio: '2%' read as 68 Btu/kWh


def test_sensitivity_refuses_a_swing_to_an_impossible_value(tmp_path, run):
    # 4,000 +/- 3,500 Btu/kWh (normal): P5 = 4,000 - 1.6449 x 3,500 = -1,757 Btu/kWh, which sensitivity used, giving
    # -27.3 short tons of NOx at the low end; --samples refused the same distribution. Both refuse, naming the range.
    path = _hr_preset(tmp_path, "4000 Btu/kWh", "3500 Btu/kWh")
    code, out, err = run("sensitivity", "--preset", path)
    assert (code, out) == (1, "") and "swings to values outside 3412.14..1,000,000 (P5 -1,756.99, P95 9,756.99)" in err
    # and --samples now refuses draws under 3,412.14 Btu/kWh (over 100 % efficient), not only below zero:
    # 3,800 +/- 250 draws down to about 3,800 - 3.2 x 250 = 3,000 in 500 draws
    code, _, err = run("estimate", "--preset", _hr_preset(tmp_path, "3800 Btu/kWh", "250 Btu/kWh"), "--samples", "500", "--seed", "1")
    assert code == 1 and "draws values outside 3412.14..1,000,000" in err


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
