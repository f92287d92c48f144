"""Small defects found by the reliability sweep after s17, each with the behaviour it had."""

from __future__ import annotations


def test_compare_subregion_without_grid_is_refused(run):
    # before, '--subregion SRTV' without --grid was dropped without a word and the table printed (exit 0)
    code, out, err = run("compare", "--preset", "memphis", "--subregion", "SRTV", "--capacity-factor", "0.5")
    assert (code, out) == (2, "")
    assert err == "Error: compare: --subregion needs --grid (it is the eGRID subregion of the grid column)\n"


def test_compare_subregion_with_grid_still_runs(run):
    code, out, err = run("compare", "--preset", "memphis", "--grid", "--subregion", "SRTV", "--format", "json")
    assert code == 0, err
    assert "SRTV" in out
