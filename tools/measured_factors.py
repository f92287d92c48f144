"""Write emiss/data/measured.toml, the measured NOx/CO2/SO2 rates of monitored gas turbines, from EPA's eGRID unit file.

    python tools/measured_factors.py access_unit_file_2021.xlsx            # rewrite emiss/data/measured.toml
    python tools/measured_factors.py tests/fixtures/egrid_unit_sample.csv -o -   # the fixture, to stdout

The input is the eGRID unit file (sheet Unit_File) as EPA publishes it in GitHub USEPA/egrid,
data/static_tables/qa/access_unit_file_2021.xlsx, or a CSV of its rows with the same header. Selection: prime mover
GT or CT, primary fuel NG, heat input and NOx measured (htiansrc and noxansrc "EPA/CAMD"), heat input and operating
hours above zero; a zero annual mass is counted and left out of that pollutant; CO2 and SO2 only where their own source column says EPA/CAMD. Units whose NOx control string names
controls outside the six classes, or a control that began or was retired within the year, are counted and left out.
Same input, same bytes out: rows are sorted, numbers printed to four significant figures.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from emiss.data.measured import CLASSES, POLLUTANTS, SIZE_BANDS, parse_controls, size_band, weighted_quantile  # noqa: E402

OUT = ROOT / "emiss" / "data" / "measured.toml"
REPO = "USEPA/egrid"
PATH = "data/static_tables/qa/access_unit_file_2021.xlsx"
COMMIT = "ac0f422a939c2ace83286537ae15848235428861"
TONS = {"nox": ("noxan", "noxansrc"), "co2": ("co2an", "co2src"), "so2": ("so2an", "so2src")}
LB_PER_SHORT_TON = 2000  # definition of the short ton


def read_rows(path: Path) -> list[dict[str, object]]:
    """Return the unit-file rows of an xlsx (sheet Unit_File) or a CSV with the same header."""
    if path.suffix.lower() == ".xlsx":
        import openpyxl

        wb = openpyxl.load_workbook(path, read_only=True)
        it = wb["Unit_File"].iter_rows(values_only=True)
        header = [str(h) for h in next(it)]
        return [dict(zip(header, row)) for row in it]
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _num(value: object) -> float | None:
    if value is None or value == "":
        return None
    return float(value)


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def select(rows: list[dict[str, object]]) -> tuple[list[dict[str, object]], dict[str, int]]:
    """Return the measured gas turbines (class, band, heat input, rates) and the counts of those left out."""
    units: list[dict[str, object]] = []
    out = {"not_measured_gas_turbine": 0, "no_heat_input_or_hours": 0, "other_controls": 0, "control_changed_in_year": 0,
           "zero_nox_mass": 0, "zero_co2_mass": 0, "zero_so2_mass": 0}
    for r in rows:
        if _text(r["prmvr"]) not in ("GT", "CT") or _text(r["fuelu1"]) != "NG" or \
                _text(r["htiansrc"]) != "EPA/CAMD" or _text(r["noxansrc"]) != "EPA/CAMD":
            out["not_measured_gas_turbine"] += 1
            continue
        heat, hours = _num(r["htian"]), _num(r["hrsop"])
        if not heat or not hours or heat <= 0 or hours <= 0 or _num(r["noxan"]) is None:
            out["no_heat_input_or_hours"] += 1
            continue
        parsed = parse_controls(r["noxctldv"])
        if parsed.cls is None:
            out["other_controls"] += 1
            continue
        if parsed.changed:
            out["control_changed_in_year"] += 1
            continue
        unit = {"id": f"{_text(r['orispl'])}/{_text(r['unitid'])}", "class": parsed.cls, "band": size_band(heat / hours),
                "heat": heat}
        for pol, (col, src) in TONS.items():
            tons = _num(r[col])
            if tons is None or _text(r[src]) != "EPA/CAMD":
                continue
            if tons > 0:
                unit[pol] = tons * LB_PER_SHORT_TON / heat
            else:  # zero mass beside measured heat input: not reported, not a zero rate
                out[f"zero_{pol}_mass"] += 1
        units.append(unit)
    return units, out


def _g(x: float) -> str:
    text = f"{x:.4g}"
    return text if any(c in text for c in ".en") else text + ".0"


def render(units: list[dict[str, object]], excluded: dict[str, int], *, n_rows: int, source: Path, sha256: str,
           size: int, commit: str, repo: str, path: str) -> str:
    """Return the TOML text of the measured table."""
    lines = [
        "# Measured emission rates of monitored natural-gas combustion turbines (40 CFR Part 75 CEMS, via EPA eGRID).",
        "# Written by tools/measured_factors.py: do not edit by hand; rerun the script (same input, same bytes).",
        "[meta]",
        f'source = "EPA eGRID2021 unit file (data year 2021), sheet Unit_File: {repo} {path} at commit {commit[:12]}"',
        f'repository = "{repo}"',
        f'file = "{path}"',
        f'commit = "{commit}"',
        f'sha256 = "{sha256}"',
        f"bytes = {size}",
        'status = "measured"',
        'selection = "prmvr GT or CT, fuelu1 NG, htiansrc and noxansrc EPA/CAMD, htian > 0, hrsop > 0; CO2, SO2 where '
        'co2src, so2src are EPA/CAMD"',
        'rate = "annual mass (short tons x 2000 lb) / annual heat input (MMBtu, HHV), one rate per unit"',
        'quantiles = "heat-input weighted, lower: the first unit rate, in ascending order, at which the cumulative '
        'heat input reaches 10, 50, 90 % of the class total"',
        'size_band = "average heat input while operating, htian / hrsop, MMBtu/h (HHV): '
        + ", ".join(f"{n} [{lo:g}, {hi:g})" for n, lo, hi in SIZE_BANDS) + '"',
        'classes = "from noxctldv split on , and |: dry-low-NOx burners decide the class even with water or steam '
        'injection; ammonia injection counts only with SCR"',
        f"rows_read = {n_rows}",
        f"units = {len(units)}",
        "",
        "[meta.excluded]",
    ]
    lines += [f"{k} = {v}" for k, v in excluded.items()]
    bands = ["all"] + [n for n, _, _ in SIZE_BANDS]
    for cls in CLASSES:
        for pol in POLLUTANTS:
            for band in bands:
                pairs = sorted((float(u[pol]), float(u["heat"]), str(u["id"])) for u in units
                               if u["class"] == cls and pol in u and band in ("all", u["band"]))
                if not pairs:
                    continue
                vw = [(v, w) for v, w, _ in pairs]
                lines += ["", "[[class]]", f'class = "{cls}"', f'pollutant = "{pol}"', f'size_band = "{band}"',
                          f"count = {len(pairs)}", f"heat_input = {_g(sum(w for _, w in vw))}",
                          f"p10 = {_g(weighted_quantile(vw, 0.10))}", f"p50 = {_g(weighted_quantile(vw, 0.50))}",
                          f"p90 = {_g(weighted_quantile(vw, 0.90))}", 'unit = "lb/MMBtu"']
    for pol in POLLUTANTS:  # every class together: the monitored-unit basis (e.g. Part 75 CO2)
        pairs = sorted((float(u[pol]), float(u["heat"]), str(u["id"])) for u in units if pol in u)
        if pairs:
            vw = [(v, w) for v, w, _ in pairs]
            lines += ["", "[[all_units]]", f'pollutant = "{pol}"', f"count = {len(pairs)}",
                      f"heat_input = {_g(sum(w for _, w in vw))}", f"p10 = {_g(weighted_quantile(vw, 0.10))}",
                      f"p50 = {_g(weighted_quantile(vw, 0.50))}", f"p90 = {_g(weighted_quantile(vw, 0.90))}",
                      'unit = "lb/MMBtu"']
    return "\n".join(lines) + "\n"


def build(source: Path, *, commit: str = COMMIT, repo: str = REPO, path: str = PATH) -> str:
    """Return the table text for an input file."""
    data = source.read_bytes()
    rows = read_rows(source)
    units, excluded = select(rows)
    return render(units, excluded, n_rows=len(rows), source=source, sha256=hashlib.sha256(data).hexdigest(),
                  size=len(data), commit=commit, repo=repo, path=path)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("input", type=Path, help="eGRID unit file (.xlsx) or a CSV of its rows")
    ap.add_argument("-o", "--output", default=str(OUT), help="where to write ('-' for stdout)")
    ap.add_argument("--commit", default=COMMIT, help="commit of the source repository the file was read at")
    ap.add_argument("--repo", default=REPO)
    ap.add_argument("--path", default=PATH, help="path of the file in the source repository")
    args = ap.parse_args(argv)
    text = build(args.input, commit=args.commit, repo=args.repo, path=args.path)
    if args.output == "-":
        sys.stdout.write(text)
    else:
        Path(args.output).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
