"""The estimate command: one scenario, every output."""

from __future__ import annotations

import os
from typing import Any

import click

from emiss.data import POLLUTANTS
from emiss.errors import printable
from emiss.cli.app import (
    CliError, PollutantValue, _error, _field_option, _reports, _scenario, _write_file, cli, document_formats, emit, encode, limit_option,
    mass_unit_option, only_option, report_options, scenario_options, ReportFile, WholeNumber,
)


@cli.command()
@scenario_options()
@_field_option("upstream_leak")
@only_option
@mass_unit_option
@limit_option
@click.option("--fail-above", multiple=True, type=PollutantValue(factor=False, example="nox=100"), metavar="POLLUTANT=QTY",
              help="Exit 3 if a pollutant's annual emissions exceed QTY, e.g. nox='100 tpy' or nox='90 t/yr'. A bare number "
              "(nox=100) is short tons/yr, and is refused beside a --mass-unit other than short tons. Exit 1 if a total under QTY "
              "is only a lower bound (units without a factor, a guarantee that does not hold).")
@click.option("--manifest", "manifest_path", type=ReportFile("JSON", ".json"), metavar="FILE", help="Also write the run manifest (versions, inputs and their hash) as JSON to FILE.")
@click.option("--svg", "svg_path", type=ReportFile("an SVG image", ".svg"), metavar="FILE", help="Also save the tables as an SVG image of the terminal text.")
@report_options
@click.option("--health", is_flag=True, help="Add a national-average health-damage screening (EPA benefit-per-ton, a range).")
@click.option("--samples", type=WholeNumber(min=2), metavar="N", help="Monte Carlo: sample every uncertain input N times and report P5/P50/P95.")
@click.option("--seed", type=WholeNumber(min=0), metavar="S", help="Random seed for --samples (same seed, same percentiles); "
              "without it one is drawn, and kept in the JSON and --manifest (inputs.run.seed) so that 'emiss replay' draws the same samples.")
@document_formats("view", "data", "rows", own=("value", "methods", "cobra"))
def estimate(fmt: str, only: list[str] | None, samples: int | None, seed: int | None, fail_above: tuple[Any, ...],
             manifest_path: str | None, svg_path: str | None, health: bool, **kw: Any) -> None:
    """Estimate annual emissions, energy, fuel and households for a fleet.

    \b
    Examples:
      emiss estimate --preset memphis
      emiss estimate --preset memphis --format json | jq .emissions.nox
      emiss estimate --turbines 15 --capacity "16.5 MW" --heat-rate "9695 Btu/kWh" --factor nox="2 ppmvd@15%O2"
      nox=$(emiss estimate --preset memphis --only nox --format value)   # one number: needs exactly one --only
      emiss estimate --preset memphis --capacity-factor 60% --format csv
      emiss estimate --preset memphis --samples 100000 --seed 1     # P5/P50/P95 from the preset's ranges
      emiss estimate --preset memphis --capacity-factor 0.6..1.0 --samples 10000
      emiss estimate --preset memphis --format methods       # a paragraph to paste, and the NOx arithmetic
      emiss estimate --preset memphis --fail-above nox=100; echo $?   # 3 when crossed
      emiss estimate --preset memphis --html report.html --chart emissions.svg --xlsx memphis.xlsx --manifest run.json
      emiss estimate --preset memphis --health                # a national-average health-damage screening
      emiss estimate --preset memphis --format cobra > cobra.csv   # the county emissions change EPA's COBRA imports
    """
    from emiss.core.calc import estimate as compute
    from emiss.report import commands, render
    from emiss.report.methods import manifest

    if fmt == "value" and (not only or len(only) != 1):
        raise CliError("--format value needs exactly one pollutant in --only, e.g. --only nox", 2)
    paths = [os.path.abspath(p) for p in (svg_path, kw.get("html_path"), *(kw.get("chart_path") or ()), kw.get("xlsx_path"), manifest_path) if p]
    if len(paths) != len(set(paths)):
        raise CliError("two of --svg, --html, --chart, --xlsx and --manifest name the same file; give each its own", 2)
    limits = _limits(fail_above)
    scenario = _scenario(kw)
    _refuse_bare(fail_above, scenario.mass_unit)
    result = compute(scenario)
    spread = samples_drawn = None
    if samples is not None:
        from emiss.analysis.uncertainty import sample_outputs, spreads

        if seed is None:  # drawn here and kept in the run (JSON, --manifest), so that replay can draw the same samples
            import secrets

            seed = secrets.randbits(SEED_BITS)
        samples_drawn = sample_outputs(scenario, samples, seed)
        spread = spreads(samples_drawn)
    run = {"samples": samples, "seed": seed, "only": only, "format": fmt}
    document = commands.estimate_document(result, only=only, spread=spread, run=run, with_health=health)
    text = encode(document, fmt)
    if fmt in ROW_FORMATS:  # rows have no place for a warning: said on stderr, as table and JSON say them
        for w in scenario.warnings:
            _error(w, prefix="Warning: ")
    if fail_above and fmt == "table":  # a pass/fail check: the finding and the emissions table are the answer
        from emiss.cli.app import terminal
        from emiss.report.views import Line, Table

        keep = [b for b in document.view if (isinstance(b, Line) and b.style == "finding")
                or (isinstance(b, Table) and b.title.startswith("Emissions per year"))]
        text = render.view_text(keep + [Line(), Line("(--fail-above shows the finding and the emissions; leave it out, or "
                                                     "use --format json, for the whole estimate.)")], terminal())
    if manifest_path:
        from emiss.cli.app import overrides_from
        from emiss.report.replay import recipe_of, results_of

        recipe = recipe_of(kw.get("preset"), overrides_from(kw), kw.get("limits") or ())
        _write_file(manifest_path, render.json_text(manifest(result, run, recipe=recipe, results=results_of(result, spread))),
                    "--manifest")
    if svg_path:
        try:
            render.export(document.view, svg=svg_path, html=None, title=scenario.title or "emiss estimate")
        except OSError as exc:
            raise CliError(f"cannot write '{printable(str(exc.filename or svg_path))}': {exc.strerror or exc}", 1) from None

    def charts() -> list[tuple[Any, str]]:
        from emiss.report import charts as ch

        ranges = None
        if spread is None and scenario.uncertain:  # a range is known: its P5-P95 (2,000 draws, seed 1, as check draws)
            from emiss.analysis.uncertainty import monte_carlo

            ranges = monte_carlo(scenario, RANGE_DRAWS, 1)
        drawn = [(ch.emissions_chart(result, spread=spread, ranges=ranges), "Each pollutant as a share of its major-source "
                  "threshold (linear; the tons beside each name)" + ("; the bar is the Monte Carlo P50, the whisker P5 to P95"
                  if spread else f"; the whisker is P5 to P95 of the preset's ranges ({RANGE_DRAWS:,} draws, seed 1)" if ranges else "")
                  + "; hatched bars leave out units without a factor.", "emissions")]
        # the pollutants --only names (CO2 alone left no panel, and the chart failed); else these five
        ids = [p for p in (POLLUTANTS if only else ("nox", "co", "voc", "hcho", "co2e"))
               if (only is None or p in only) and samples_drawn is not None and p in samples_drawn]
        if ids:
            drawn.append((ch.distribution_chart(samples_drawn, ids, f"Monte Carlo over {len(scenario.uncertain)} uncertain "
                                                f"inputs, {samples:,} samples: {scenario.title or scenario.name}",
                                                central={p: result.emissions[p].lb_per_year for p in ids},
                                                thresholds=ch.major_thresholds(result)),
                          "How wide the uncertainty is: each panel a pollutant, the threshold and the central estimate marked, "
                          "and the share of draws above the threshold.", "monte-carlo"))
        return drawn

    from emiss.report import page

    _reports(kw, title=scenario.title or "emiss estimate", document=document, finding=page.page_finding(result),
             detail=page.page_detail(result, spread=spread),
             figures=page.headline_cards(result, spread=spread), charts=charts, sheets=lambda: _book(result, kw.get("preset")),
             result=result, run=run)
    emit(text)
    crossed, unknown = [], []
    for p, limit, per, unit in limits:
        e = result.emissions[p]
        emitted, threshold = _apart(e.lb_per_year / per, limit / per)
        if e.lb_per_year > limit:
            crossed.append(f"{p} {emitted} {unit} is above {threshold}")
        elif e.lower_bound:  # under the limit, but only a lower bound: exit 0 would say 'not above' of a total not known
            unknown.append(f"{p} {emitted} {unit} is only a lower bound ({e.lower_bound}), so whether the total is above "
                           f"{threshold} is unknown")
    if crossed:
        raise CliError("--fail-above: " + "; ".join(crossed), 3)
    if unknown:
        raise CliError("--fail-above: " + "; ".join(unknown), 1)


# A seed drawn for --samples without --seed: 32 bits, an integer any JSON reader keeps exactly (below 2**53)
SEED_BITS = 32

# The formats whose output cannot carry the scenario's warnings (a heat rate of 25,000 Btu/kWh, a factor per year on
# several units): said on stderr with them instead.
ROW_FORMATS = ("csv", "tsv", "ndjson", "value")

RANGE_DRAWS = 2000  # draws behind a chart's P5-P95 whisker when --samples is not given (the same as check's bands)


def _book(result: Any, preset: str | None) -> Any:
    """Return the workbook of an estimate, with the preset's claims checked when it has some."""
    from emiss.report.workbook import estimate_book

    claims = ()
    if preset and result.scenario.claims:
        from emiss.analysis.check import check_preset

        claims = (check_preset(preset),)
    return estimate_book(result, claims=claims)


def _apart(a: float, b: float) -> tuple[str, str]:
    """Return ``a`` and ``b`` with four significant figures, or as many more as it takes to tell them apart (so that an
    emission just over a threshold never reads '100 ... is above 100')."""
    for digits in range(4, 18):
        shown = f"{a:,.{digits}g}", f"{b:,.{digits}g}"
        if shown[0] != shown[1]:
            return shown
    return repr(a), repr(b)


def _limits(items: tuple[tuple[str, str], ...]) -> list[tuple[str, float, float, str]]:
    """Read --fail-above items: (pollutant, limit in lb/yr, lb/yr per shown unit, shown unit)."""
    from emiss.core.units import convert, parse

    out = []
    seen = set()
    for pol, qty in items:
        if pol in seen:
            raise CliError(f"--fail-above: {pol} is given more than once; give it once", 2)
        seen.add(pol)
        expect = "a mass per year such as '100 short_ton/year' or a rate such as '30 lb/h'"
        given = qty
        if _is_bare(qty):
            qty = f"{float(qty)!r} short_ton/year"
        lb = convert(qty, "lb/year", where="--fail-above", expect=expect)
        if lb < 0:  # a sign lost: every estimate is above it, so the check would always fail (0 may ask for none at all)
            raise CliError(f"--fail-above: {pol}: '{given}' must be zero or more (emissions are never negative)", 2)
        unit = parse(qty, where="--fail-above").unit  # as the user wrote it ('100t/yr' too), for the crossing message
        per = convert(f"1 {unit}", "lb/year", where="--fail-above", expect=expect)
        out.append((pol, lb, per, unit))
    return out



def _is_bare(qty: str) -> bool:
    """Return whether a --fail-above quantity is a bare number (no unit)."""
    try:
        float(qty)
    except ValueError:
        return False
    return True


def _refuse_bare(items: tuple[tuple[str, str], ...], mass_unit: str) -> None:
    """Refuse a bare --fail-above number when the emissions are shown in a mass unit other than short tons: the bare
    number stays short tons/yr (what existing scripts mean by it), which a reader comparing it with the shown figure
    would take for the shown unit."""
    from emiss.core.units import multiplier
    from emiss.report.page import mass_words

    if multiplier(mass_unit, "short_ton") == 1.0:
        return
    hint = "t" if multiplier(mass_unit, "metric_ton") == 1.0 else mass_unit  # 't/yr' is the tonne as permits write it
    for pol, qty in items:
        if _is_bare(qty):
            raise CliError(f"--fail-above {pol}={qty}: a bare number is short tons per year, but --mass-unit shows "
                           f"{mass_words(mass_unit)}; give the unit: {pol}='{qty} {hint}/yr' or {pol}='{qty} short_ton/yr'", 2)
