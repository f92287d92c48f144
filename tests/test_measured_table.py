"""The measured-factor table: the control-string parser, the weighted percentiles, and the script that writes it."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from emiss.data.measured import CLASSES, class_for, lookup, parse_controls, size_band, table, weighted_quantile

ROOT = Path(__file__).resolve().parent.parent
FIX = ROOT / "tests" / "fixtures"


@pytest.mark.parametrize("text, cls", [
    # every spelling REFERENCE.md s.11 lists: the four controls, joined by "," (older files) or "|" (newer), empty or NA
    ("", "none"), ("NA", "none"), (None, "none"), ("  na ", "none"),
    ("Water Injection", "water-steam"), ("Steam Injection", "water-steam"),
    ("Dry Low NOx Burners", "dry-low-nox"), ("Selective Catalytic Reduction", "scr"),
    ("Dry Low NOx Burners|Selective Catalytic Reduction", "dry-low-nox+scr"),
    ("Dry Low NOx Burners,Selective Catalytic Reduction", "dry-low-nox+scr"),
    ("Dry Low NOx Burners, Selective Catalytic Reduction", "dry-low-nox+scr"),
    ("Selective Catalytic Reduction|Dry Low NOx Burners", "dry-low-nox+scr"),
    ("Water Injection|Selective Catalytic Reduction", "water-steam+scr"),
    ("Selective Catalytic Reduction,Steam Injection", "water-steam+scr"),
    ("Dry Low NOx Burners|Water Injection", "dry-low-nox"),  # the lean-premix combustor decides
    ("Dry Low NOx Burners|Water Injection|Selective Catalytic Reduction", "dry-low-nox+scr"),
    ("Dry Low NOx Burners|Ammonia Injection|Selective Catalytic Reduction", "dry-low-nox+scr"),
    ("Ammonia Injection|Selective Catalytic Reduction", "scr"),
    ("dry low nox burners|SELECTIVE CATALYTIC  REDUCTION", "dry-low-nox+scr"),
])
def test_control_strings_map_to_their_class(text, cls):
    got = parse_controls(text)
    assert (got.cls, got.changed, got.other) == (cls, False, ())


@pytest.mark.parametrize("text, other", [
    ("Other", ("other",)), ("Ammonia Injection", ("ammonia injection",)),
    ("Water Injection|Overfire Air", ("overfire air",)),
    ("Combustion Modification/Fuel Reburning,Water Injection", ("combustion modification/fuel reburning",)),
])
def test_controls_outside_the_classes_name_no_class(text, other):
    got = parse_controls(text)
    assert got.cls is None and got.other == other


def test_a_dated_control_keeps_its_class_but_is_marked_changed():
    # the comma inside "(Began Jul 22, 2021)" must not split the string
    got = parse_controls("Dry Low NOx Burners|Selective Catalytic Reduction (Began Jul 22, 2021)")
    assert (got.cls, got.changed, got.other) == ("dry-low-nox+scr", True, ())
    assert parse_controls("Dry Low NOx Burners,Water Injection (Retired Sep 30, 2021)").changed


def test_class_for_ap42_levels_and_scr():
    assert [class_for(c) for c in ("uncontrolled", "water-steam", "lean-premix")] == ["none", "water-steam", "dry-low-nox"]
    assert [class_for(c, ["SCR"]) for c in ("uncontrolled", "water-steam", "lean-premix")] == \
        ["scr", "water-steam+scr", "dry-low-nox+scr"]
    assert [class_for(c, [a]) for c, a in (("diffusion", "scr+oxcat"), ("dry-low-nox", "oxidation-catalyst"),
                                            ("dry-low-nox", "none"), ("water-steam", "scr"))] == \
        ["scr", "dry-low-nox", "dry-low-nox", "water-steam+scr"]


def test_size_bands_edges():
    assert [size_band(x) for x in (0, 249.9, 250, 999.9, 1000, 5000)] == \
        ["0-250", "0-250", "250-1000", "250-1000", "1000+", "1000+"]


def test_weighted_quantile_by_hand():
    # values 1, 2, 3, 4 with heat inputs 10, 10, 60, 20 (total 100): cumulative 10, 20, 80, 100.
    # P10 -> first cumulative >= 10 is value 1; P50 -> >= 50 first at 80 -> 3; P90 -> >= 90 first at 100 -> 4
    pairs = [(1.0, 10.0), (2.0, 10.0), (3.0, 60.0), (4.0, 20.0)]
    assert [weighted_quantile(pairs, q) for q in (0.1, 0.5, 0.9)] == [1.0, 3.0, 4.0]


@given(st.lists(st.tuples(st.floats(0, 10), st.floats(0.001, 1e6)), min_size=1, max_size=30))
def test_weighted_quantiles_are_ordered_members(pairs):
    pairs.sort()
    qs = [weighted_quantile(pairs, q) for q in (0.1, 0.5, 0.9)]
    assert qs == sorted(qs) and all(q in [v for v, _ in pairs] for q in qs)


def test_script_reproduces_the_fixture_table_byte_for_byte():
    # tests/fixtures/egrid_unit_2021_sample.csv: 117 real rows of the eGRID2021 unit file (header unchanged)
    out = subprocess.run([sys.executable, str(ROOT / "tools" / "measured_factors.py"), str(FIX / "egrid_unit_2021_sample.csv"),
                          "-o", "-", "--path", "tests/fixtures/egrid_unit_2021_sample.csv (rows of "
                          "data/static_tables/qa/access_unit_file_2021.xlsx)"], capture_output=True, check=True)
    assert out.stdout == (FIX / "measured_sample.toml").read_bytes()


def test_fixture_rates_worked_by_hand():
    # a row of the fixture, worked out: noxan tons x 2000 / htian MMBtu
    spec = importlib.util.spec_from_file_location("measured_factors", ROOT / "tools" / "measured_factors.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    rows = mod.read_rows(FIX / "egrid_unit_2021_sample.csv")
    units, excluded = mod.select(rows)
    row = next(r for r in rows if r["prmvr"] in ("GT", "CT") and r["fuelu1"] == "NG" and r["htiansrc"] == "EPA/CAMD"
               and r["noxctldv"] == "Dry Low NOx Burners" and float(r["htian"]) > 0)
    unit = next(u for u in units if u["id"] == f"{row['orispl']}/{row['unitid']}")
    assert unit["class"] == "dry-low-nox"
    assert unit["nox"] == pytest.approx(float(row["noxan"]) * 2000 / float(row["htian"]), rel=1e-12)
    assert sum(excluded.values()) + len(units) == len(rows) + excluded["zero_co2_mass"] + excluded["zero_so2_mass"]


def test_shipped_table_names_its_source_and_has_every_class():
    meta, rows = table()
    assert meta["status"] == "measured"
    assert meta["commit"] == "ac0f422a939c2ace83286537ae15848235428861" and meta["bytes"] == 2375289
    assert len(meta["sha256"]) == 64
    for cls in CLASSES:
        assert lookup(cls, "nox").size_band == "all"
    dln = lookup("dry-low-nox", "nox")
    assert dln.p10 <= dln.p50 <= dln.p90 and dln.unit == "lb/MMBtu"
    # every monitored gas unit reports CO2 near Part 75's 118.9 lb/MMBtu
    assert lookup("dry-low-nox+scr", "co2").p50 == pytest.approx(118.9, abs=0.1)


def test_factors_measured_json_lists_every_class_with_the_issue_keys():
    from click.testing import CliRunner

    from emiss.cli import cli

    r = CliRunner().invoke(cli, ["factors", "--measured", "--format", "json"])
    assert r.exit_code == 0, r.stderr
    rows = json.loads(r.stdout)
    assert all(list(row) == ["class", "pollutant", "size_band", "count", "p10", "p50", "p90", "unit", "source"] for row in rows)
    assert {row["class"] for row in rows if row["size_band"] == "all" and row["pollutant"] == "nox"} == set(CLASSES)
    assert {row["size_band"] for row in rows} == {"all", "0-250", "250-1000", "1000+"}
    # "all" counts every unit of its class: the per-band counts add up to it
    for cls in CLASSES:
        band = [row["count"] for row in rows if row["class"] == cls and row["pollutant"] == "nox" and row["size_band"] != "all"]
        assert sum(band) == next(row["count"] for row in rows if row["class"] == cls and row["pollutant"] == "nox"
                                 and row["size_band"] == "all")


@pytest.mark.parametrize("width", [60, 80, 100])
def test_factors_measured_never_breaks_a_class_inside(run, monkeypatch, width):
    # the SO2 table at 80 columns drew 'water-steam+sc' over 'r': a class name a reader looks up, broken
    monkeypatch.setenv("COLUMNS", str(width))
    code, out, err = run("factors", "--measured")
    assert code == 0, err
    words = out.replace(":", " ").split()
    assert words.count("water-steam+scr") == 12 and "water-steam+sc" not in words  # 4 bands x 3 pollutants
    assert max(map(len, out.splitlines())) <= width
