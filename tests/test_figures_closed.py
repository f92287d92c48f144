"""--chart closes each figure once written: in-process use (the API, tests) must not pile up open figures."""

from __future__ import annotations

from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_chart_files_close_their_figures(tmp_path, run):
    # pyplot warns past 20 open figures. Each run draws 2 figures (estimate with --samples: emissions and Monte
    # Carlo) or 1 (track); after each run as many are open as before it (the old code left 2, then 1 more each)
    import matplotlib.pyplot as plt

    before = len(plt.get_fignums())
    code, _, _ = run("estimate", "--preset", "memphis", "--samples", "200", "--seed", "1",
                     "--chart", str(tmp_path / "a.svg"))
    assert code == 0 and len(plt.get_fignums()) == before
    log = str(EXAMPLES / "track-log.csv")
    code, _, _ = run("track", log, "--limit", "nox=87 tpy", "--chart", str(tmp_path / "t.svg"))
    assert code == 0 and len(plt.get_fignums()) == before
    # a chart that cannot be written (its folder does not exist) closes them too
    code, _, err = run("track", log, "--chart", str(tmp_path / "no" / "t.svg"))
    assert code == 1 and "cannot write" in err and len(plt.get_fignums()) == before
    # with --html as well: the page's SVG text and the file are both written, the file as without --html
    code, _, _ = run("estimate", "--preset", "memphis", "--samples", "200", "--seed", "1",
                     "--chart", str(tmp_path / "h.svg"), "--html", str(tmp_path / "h.html"))
    assert code == 0 and len(plt.get_fignums()) == before
    assert (tmp_path / "h.svg").read_bytes() == (tmp_path / "a.svg").read_bytes()
