"""Commands that ask questions of the estimate: cluster, solve, sensitivity, compare, check, pte, limit."""

from __future__ import annotations

from typing import Any

import click


from emiss.inputs.fields import FIELDS
from emiss.cli.app import (
    SCENARIO_FIELDS, CliError, _error, _reports, _scenario, cli, document_formats, emit, encode, limit_option, only_option, overrides_from,
    report_options, scenario_options, WholeNumber,
)


@cli.command()
@click.option("--gpus", "gpu_counts", multiple=True, required=True, type=WholeNumber(), metavar="N",
              help="Number of GPUs; repeat to compare sizes side by side (e.g. --gpus 100000 --gpus 200000).")
@click.option("--gpu", "gpu_id", default="h100", show_default=True, metavar="ID", help="GPU from 'emiss catalog' (a100, h100, h200, b200, gb200).")
@click.option("--turbine-model", metavar="ID", help="Generating unit from 'emiss catalog' (default smt-130).")
@click.option("--turbine-capacity", metavar="QTY", help="Or a unit capacity, e.g. '34 MW' (heat rate from --heat-rate).")
@click.option("--redundancy", metavar="N+K", help="Spare units on top of those needed, e.g. N+1 (default N).")
@click.option("--derate", metavar="X", help="Site output as a fraction of rated, e.g. 0.9 for hot weather (default 1).")
@click.option("--pue", metavar="X", help="Power usage effectiveness: facility / IT load, a number or new-build (default, 1.3), air-cooled, liquid-cooled (1.1), industry-average (1.56).")
@click.option("--utilisation", metavar="X", help="Share of maximum server power drawn on average: a number (0.7 or '70%'), "
              "or maximum (default, 1: the figures are a ceiling), h100-training (0.76, measured on H100 nodes). "
              "The units are still sized for the maximum.")
@click.option("--network-storage", metavar="X", help="Allowance for networking and storage over server power (default 10%).")
@click.option("--run-hours", metavar="QTY", help="Length of one run, e.g. '2000 h' (default: a full year).")
@click.option("--hours", "old_hours", metavar="QTY", hidden=True, help="Deprecated: use --run-hours.")
@click.option("--gpu-hours", metavar="QTY", help="Total GPU-hours of one training run, e.g. '5e7 h'.")
@click.option("--versus", "versus", metavar="SITE", help="Set the clusters beside a site preset of kind compute-site, e.g. jean-zay-2024.")
@scenario_options(fields=("heat_rate", "heat_rate_basis", "control", "household_use", "gwp"), preset=False)
@report_options
@document_formats("view", "data", "rows")
def cluster(gpu_counts: tuple[int, ...], gpu_id: str, fmt: str, run_hours: str | None, old_hours: str | None,
            versus: str | None = None, **kw: Any) -> None:
    """From GPUs to turbines: IT load, facility load, units needed, emissions and per-GPU intensity.

    IT load = servers x server power x (1 + network/storage allowance); facility load = IT load x PUE;
    units = ceil(facility load / (unit capacity x derate)) + spares. The running units run all the time and share
    the average load, each at part load with the part-load heat rate of its curve (not as full-load-equivalent hours);
    below the curve's lowest load, or a dry-low-NOx unit's premix range, fewer units run. Spares stay idle.

    \b
    Examples:
      emiss cluster --gpus 100000 --gpu h100
      emiss cluster --gpus 100000 --gpus 200000 --gpu h100 --turbine-model smt-130
      emiss cluster --gpus 100000 --gpu h100 --format json | jq .power.facility
      emiss cluster --gpus 100000 --gpu h100 --redundancy N+1 --derate 0.9 --factor nox="2 ppmvd@15%O2"
      emiss cluster --gpus 20000 --gpu b200 --gpu-hours "2e7 h"
      emiss cluster --gpus 100000 --gpus 200000 --versus jean-zay-2024
    """
    from emiss.analysis import cluster as gpu_cluster
    from emiss.report import commands

    if old_hours is not None:
        if run_hours is not None:
            raise CliError("give --run-hours only (--hours is its old name)", 2)
        run_hours = old_hours
    if kw.get("turbine_model") and kw.get("turbine_capacity"):
        raise CliError("give --turbine-model or --turbine-capacity, not both", 2)
    overrides = overrides_from(kw)
    results = []
    for n in gpu_counts:
        p = gpu_cluster.plan(gpus=n, gpu_id=gpu_id, unit_id=kw.get("turbine_model"), unit_capacity=kw.get("turbine_capacity"),
                    pue=kw.get("pue"), network_storage=kw.get("network_storage"), derate=kw.get("derate"),
                    redundancy=kw.get("redundancy"), hours=run_hours, gpu_hours=kw.get("gpu_hours"),
                    utilisation=kw.get("utilisation"))
        results.append(gpu_cluster.run(p, overrides=overrides))
    if old_hours is not None:
        _error("--hours in 'emiss cluster' is deprecated: it is the length of one run, now --run-hours", prefix="Note: ")
    site = None
    if versus is not None:
        from emiss.analysis.sites import load_site

        if any(cr.plan.run_hours != cr.result.scenario.year_hours for cr in results):  # the table's rows are each a year's
            raise CliError("--versus sets a year of the clusters beside a year of the site; a run shorter or longer than the "
                           "year (--run-hours, --gpu-hours) is not one: leave those out, or compare the run alone", 2)

        site = load_site(versus)
    document = commands.cluster_document(results, site=site)

    def charts() -> list[tuple[Any, str]]:
        from emiss.report.charts import panels_chart, shared_thresholds, wrap

        labels = [f"{cr.plan.gpus:,}" for cr in results]
        from emiss.core.units import multiplier
        from emiss.core.outputs import megawatts, short_tons

        kt = multiplier("lb", "metric_ton") / 1e3  # lb -> thousand metric tonnes (pint: 1 lb = 0.45359237 kg exactly)
        # a run shorter than the year (--run-hours, --gpu-hours) is summed over the run, as the table says ('short tons',
        # not 'short tons/yr'): its panels say so, and an annual threshold is no line to set a run's total against
        runs = {cr.plan.run_hours for cr in results}
        yearly = all(cr.plan.run_hours >= cr.result.scenario.year_hours for cr in results)
        per = "a year" if yearly else f"over the {runs.pop():,.0f} h run" if len(runs) == 1 else "over each run"
        # --versus (a year of each, checked above): the site's bar beside the clusters' in each panel, as the table sets
        # them side by side: power (its average draw), NOx on site (none: grid-powered), CO2e, and CO2e per GPU
        power = "Power (MW): facility load; the site's average draw" if site is not None else "Facility load (MW)"
        nox_panel = f"NOx {'on site ' if site is not None else ''}(US short tons {per})"
        co2e_panel = f"CO2e (thousand metric tonnes {per})"
        panels = {power: [megawatts(cr.plan.facility_kw) for cr in results],
                  nox_panel: [short_tons(cr.result.emissions["nox"].lb_per_year) for cr in results],
                  co2e_panel: [cr.result.emissions["co2e"].lb_per_year * kt for cr in results]}
        shared = shared_thresholds([cr.result for cr in results])
        lines = {nox_panel: shared["nox"]} if "nox" in shared and yearly else {}
        title = "From GPUs to turbines: power and emissions by GPU count (one panel per quantity)"
        source = "emiss cluster; GPU and server power from the catalog"
        caption = ("Facility load and emissions by GPU count, each on its own axis"
                   + ("; dashed: NOx's major-source threshold." if lines else "."))
        apart: dict[str, Any] = {}
        if site is not None:
            from emiss.report.versus import site_values
            from emiss.report.views import human

            per_gpu = "CO2e per GPU (metric tonnes a year)"
            tonnes = multiplier("lb", "metric_ton")
            panels[per_gpu] = [cr.result.emissions["co2e"].lb_per_year * tonnes / cr.plan.gpus for cr in results]
            got = site_values(site)  # the table's figures: NOx on site is 0 (no fuel burnt there)
            for key, v in zip(panels, (got["power"], got["nox"], got["co2e"] / THOUSAND, got["co2e_per_gpu"])):
                panels[key] = [*panels[key], v]
            # at most as wide as a GPU count ('400,000'): the name whole ran into the bar's neighbour from four sizes up
            labels.append(wrap(f"{site.name} (grid)", SITE_LABEL))
            title = f"GPUs on turbines beside {site.name} on the grid: power and emissions (one panel per quantity)"
            source += f"; {site.name}: its preset's published energy and grid intensity"
            caption = (f"The clusters on turbines and {site.name} on the grid (hatched), as the table below sets them "
                       "side by side, each quantity on its own axis; each bar's figure is written under it, as the site's "
                       "are too short to see beside the clusters'" + ("; dashed: NOx's major-source threshold." if lines else "."))
            apart = {"cols": 1, "written": {k: [human(v) for v in vs] for k, vs in panels.items()},
                     "apart": ("GPU clusters on turbines (emiss cluster)", f"{site.name}: grid-powered, no NOx on site")}
        return [(panels_chart(labels, panels, title, source, xlabel="GPUs" if site is None else "GPUs on turbines; the site",
                              thresholds=lines, **apart), caption, "cluster")]

    from emiss.report.page import cluster_finding

    _reports(kw, title="From GPUs to turbines", document=document, charts=charts, finding=cluster_finding(results),
             sheets=lambda: {"Cluster": document.rows})
    emit(encode(document, fmt))


# The options a --vary input's solved value replaces (turbines and capacity describe the fleet it starts from)
SOLVE_REPLACES = {"hours": ("hours", "capacity_factor"), "capacity-factor": ("hours", "capacity_factor"),
                  "heat-rate": ("heat_rate",), "household-use": ("household_use",), "household-demand": ("household_demand",)}


@cli.command()
@scenario_options()
@click.option("--target", required=True, metavar="OUTPUT=VALUE", help="The figure to reach, e.g. nox='130 short_ton/year' or households=50000.")
@click.option("--vary", required=True, metavar="INPUT",
              help="The input to solve for: capacity-factor, hours, turbines, capacity, heat-rate, household-use, household-demand or factor:<pollutant>.")
@document_formats("view", "data")
def solve(target: str, vary: str, fmt: str, **kw: Any) -> None:
    """Work backwards: find the value of one input that makes an output hit a target.

    A solved emission factor is shown as lb/MMBtu (HHV), ppmvd@15%O2 and lb/MWh, and placed among the
    built-in control levels. An infeasible answer (a capacity factor above 1, a fractional number of units,
    a negative value) is said plainly with the value it would need, and the exit code is 1.

    \b
    Examples:
      emiss solve --preset memphis --target "nox=130 short_ton/year" --vary factor:nox
      emiss solve --preset memphis --target "nox=1000 short_ton/year" --vary capacity-factor
      emiss solve --turbines 15 --capacity "16.5 MW" --target "households=50000" --vary household-use
    """
    from emiss.analysis.solve import factor_views, parse_target
    from emiss.analysis.solve import solve as do_solve

    parse_target(target)  # a bad target is a usage error before any work
    name = vary.strip().lower()
    # the value solved for replaces the option that sets it (and --hours and --capacity-factor each other): given, it
    # was dropped without a word; refused as 'emiss limit' refuses them
    given = [FIELDS[k].option for k in SOLVE_REPLACES.get(name, ()) if kw.get(k) not in (None, ())]
    given += [f"--factor {p}" for p, _ in kw.get("factors") or () if name == f"factor:{p.strip().lower()}"]
    if given:
        raise CliError(f"{given[0]}: 'emiss solve' finds it (--vary {name}), so {given[0]} would be ignored; drop it "
                       "(or use 'emiss estimate' to see one value)", 2)
    sc = _scenario(kw)
    sol = do_solve(sc, target=target, vary=name)
    views = factor_views(sol.scenario, sol.vary.split(":", 1)[1], sol.value, sol.result) if sol.vary.startswith("factor:") else None
    from emiss.report import commands

    emit(encode(commands.solve_document(sol, views), fmt))
    if not sol.feasible:
        raise CliError(f"infeasible: {sol.problem}", 1)


@cli.command()
@scenario_options()
@click.option("--output", "output", default="nox", show_default=True, metavar="OUTPUT", help="Output to swing: a pollutant id, households, generation, heat_input or fuel.")
@report_options
@document_formats("view", "data", "rows")
def sensitivity(output: str, fmt: str, **kw: Any) -> None:
    """Swing each uncertain input from its low to its high end, one at a time, and rank them (a tornado).

    Uncertain inputs are the ranges and distributions of the preset or of the options
    (e.g. --capacity-factor 0.6..1.0); normal and lognormal inputs swing from P5 to P95.

    \b
    Examples:
      emiss sensitivity --preset memphis
      emiss sensitivity --preset memphis --output co2e --format json
      emiss sensitivity --turbines 4 --capacity "16 MW" --capacity-factor 0.5..1 --factor nox="2..25 ppmvd@15%O2"
    """
    from emiss.report import commands
    from emiss.core.outputs import output as check_output
    from emiss.analysis.uncertainty import sensitivity as swing

    name = output.strip().lower()
    check_output(name)
    from emiss.core.calc import estimate as compute

    sc = _scenario(kw)
    base = compute(sc)  # the central estimate: its output, and the chart's thresholds
    central, swings = swing(sc, name, base=base)
    if not swings:
        raise CliError("no input is uncertain: give ranges (e.g. --capacity-factor 0.6..1.0) or a preset with ranges", 1)
    document = commands.sensitivity_document(name, central, swings)

    def charts() -> list[tuple[Any, str]]:
        from emiss.core.outputs import pounds
        from emiss.report.charts import major_thresholds, tornado_chart

        from emiss.report.views import output_scale

        scale, _, unit = output_scale(name)
        tons = major_thresholds(base).get(name)  # short tons a year; the axis is lb/yr x scale
        threshold = pounds(tons) * scale if tons is not None else None
        return [(tornado_chart(name, central, swings, scale, unit, threshold),
                 f"What moves {shown}: the preset's ranges, one input at a time.", "sensitivity")]

    from emiss.report.page import SHORT_NAMES, sensitivity_finding

    shown = SHORT_NAMES.get(name, name).split(" (")[0]  # NOx, not nox, in the page's title and the chart's caption
    _reports(kw, title=f"Sensitivity of {shown}: {sc.title or sc.name}", document=document, charts=charts,
             finding=sensitivity_finding(name, central, swings), sheets=lambda: {"Sensitivity": document.rows})
    emit(encode(document, fmt))


SITE_LABEL = 10  # characters a line of the site's label under its bar in the cluster chart: 'jean-zay-' / '2024' / '(grid)'

# Every scenario option compare lists is a variation: a column per value, in this order (the area is left out: compare
# shows no screening, so a column per area would show the same figures).
THOUSAND = 1e3  # the compare chart's CO2e panel in thousands of short tons: 522,272 reads 522 on its axis
THOUSANDS = ("co2", "co2e")  # the panels drawn in thousands (CO2 521,736 short tons beside CO2e's 522,272)

COMPARE_VARIATIONS = ("turbines", "capacity", "heat_rate", "heat_rate_basis", "capacity_factor", "hours", "combustor", "control",
                      "factor", "household_use", "household_demand", "households_method", "hhv_lhv", "gwp", "turbine_model", "ambient",
                      "load", "engine_type", "methane_basis")


@cli.command()
@click.argument("presets", nargs=-1, metavar="[PRESET...]")
@scenario_options(multiple=True, preset=False, fields=tuple(f for f in SCENARIO_FIELDS if f in COMPARE_VARIATIONS))
@click.option("--preset", "base_preset", metavar="NAME|PATH", help="Base scenario when no PRESET argument is given.")
@click.option("--grid", is_flag=True, help="Add the same electricity drawn from the grid (eGRID subregion rates).")
@click.option("--subregion", metavar="ID", help="eGRID subregion for --grid (default: the preset's, else US).")
@click.option("--permit-view", is_flag=True, help="Potential to emit (8,760 h, uncontrolled) | controlled PTE | expected actual.")
@only_option
@report_options
@document_formats("view", "data", "rows")
def compare(presets: tuple[str, ...], base_preset: str | None, grid: bool, subregion: str | None, permit_view: bool,
            only: list[str] | None, fmt: str, **variations: Any) -> None:
    """Compare scenarios side by side, with differences (absolute and %) against the first column.

    Scenarios are PRESET arguments (names or .toml files), and one variation of the first scenario for
    every value of a variation option.

    \b
    Examples:
      emiss compare --preset memphis --combustor diffusion --combustor dry-low-nox --factor nox="2 ppmvd@15%O2"
      emiss compare memphis my-site.toml
      emiss compare --preset memphis --grid
      emiss compare --preset memphis --permit-view --capacity-factor 0.6
    """
    from emiss.analysis import compare as cmp
    from emiss.report import commands

    if presets and base_preset is not None:
        raise CliError("compare: give PRESET arguments or --preset, not both", 2)
    if subregion is not None and not grid:  # it picks the grid's rates; alone it would be dropped without a word
        raise CliError("compare: --subregion needs --grid (it is the eGRID subregion of the grid column)", 2)
    sources = list(presets) or ([base_preset] if base_preset is not None else [])
    if not sources:
        raise CliError("compare: give at least one PRESET (or --preset)", 2)
    variations["factor"] = tuple(f"{p}={q}" for p, q in variations.pop("factors", ()) or ())
    items = [(opt, v) for opt in COMPARE_VARIATIONS for v in (variations.get(opt) or ())]
    if permit_view:
        items = [i for i in items if i[0] not in ("capacity_factor", "hours")]
        for key in ("capacity_factor", "hours"):  # the expected actual's operation, one column: a second value was
            if len(variations.get(key) or ()) > 1:  # dropped without a word (the last one kept)
                opt = "--" + key.replace("_", "-")
                raise CliError(f"{opt}: with --permit-view it sets the expected actual's operation; give it once", 2)
    table = cmp.build_table(sources, items, grid=grid, subregion=subregion, permit_view=permit_view,
                            operation={k: variations.get(k) for k in ("capacity_factor", "hours")} if permit_view else None)
    if len(table.columns) < 2:
        raise CliError("compare: nothing to compare; give two presets, a variation option, --grid or --permit-view", 2)
    document = commands.compare_document(table, only)

    def charts() -> list[tuple[Any, str]]:
        from emiss.report.charts import name, panels_chart, shared_thresholds

        # the pollutants --only names, in the table's order (CO2 alone drew no panel and the chart failed); else these
        from emiss.data import POLLUTANTS

        pols = [p for p in POLLUTANTS if p in only] if only else ["nox", "co", "voc", "pm", "so2", "hcho", "hap", "co2e"]
        # one no scenario emits (NH3 without SCR, '-' in the table) would be an empty panel: named under the chart instead
        none = [p for p in pols if not any(c.value(p) for c in table.columns)]
        pols = [p for p in pols if p not in none]
        if not pols:
            return []
        from emiss.core.outputs import short_tons

        # CO2e (and CO2) in thousands of short tons, the table's unit (its panel once read thousand metric tonnes beside
        # a table in short tons); the others in short tons
        series = {(f"{name(p)}, thousand short tons/yr" if p in THOUSANDS else f"{name(p)}, short tons/yr"):
                  {c.label: None if c.value(p) is None else short_tons(c.value(p)) / (THOUSAND if p in THOUSANDS else 1)
                   for c in table.columns} for p in pols}
        shared = shared_thresholds([c.result for c in table.columns])  # a line only where every scenario has the same one
        lines = {f"{name(p)}, short tons/yr": shared[p] for p in pols if p in shared}
        return [(panels_chart([], {}, "Scenarios side by side: annual emissions, one panel per pollutant (numbered bars: "
                              "the scenarios in the legend)", "emiss compare; n/a: not estimated for that scenario; "
                              "short tons: US 2,000 lb" + (f"; no scenario emits {', '.join(map(name, none))}" if none else ""),
                              series=series, thresholds=lines), "Each bar a scenario; dashed: "
                 "the major-source threshold, where it is the same for every scenario.", "compare")]

    from emiss.report.page import compare_finding

    _reports(variations, title="Scenarios compared", document=document, charts=charts, finding=compare_finding(table),
             sheets=lambda: {"Compare": document.rows})
    emit(encode(document, fmt))


@cli.command()
@click.option("--preset", "preset_names", multiple=True, metavar="NAME|PATH", help="A preset with [[claims]]; repeat for several.")
@click.option("--all", "all_presets", is_flag=True, help="Every shipped preset that carries claims, in date order, with a timeline.")
@click.option("--fail-inconsistent", is_flag=True, help="Exit 3 if any claim is not consistent (after printing).")
@report_options
@document_formats("view", "data", "rows")
def check(preset_names: tuple[str, ...], all_presets: bool, fail_inconsistent: bool, fmt: str, **kw: Any) -> None:
    """Check published figures: each claim of a preset beside what emiss computes, and what it would take to be true.

    Each claim has a kind and a verdict to fit it: a figure (point) is 'consistent' within its tolerance
    (10 % unless it says otherwise), else 'higher' or 'lower'; a bound (at-least, at-most) 'holds' or 'fails';
    a range is 'inside', 'above' or 'below'; a permit cap is 'met' or 'exceeded'; all at the published
    figure's precision. A claim the preset was calibrated to reproduce is 'calibrated' (not an independent
    check); one about another plant or date is 'not comparable here'. For a claim the figures do not bear
    out, one input within its possible range that would make it true is given (the one the claim names
    first), or "no single input within its range reaches it". The exit code is 0 whatever the verdicts,
    unless --fail-inconsistent (exit 3 when a claim is higher, lower, fails, above, below or exceeded).
    --format markdown writes a fact-check sheet: the claim as published, the verdict, why; then the sources.

    \b
    Examples:
      emiss check --preset memphis
      emiss check --all                       # the Colossus record, 2024 to today, with a timeline
      emiss check --all --format json | jq '.presets[].claims[] | {output, verdict}'
      emiss check --preset memphis-2025-permit --fail-inconsistent || echo "a cap is exceeded"
      emiss check --preset memphis --format markdown  # a fact-check sheet
    """
    from emiss.analysis import check as chk
    from emiss.report import commands

    if all_presets and preset_names:
        raise CliError("give --preset NAME (repeatable) or --all, not both", 2)
    if all_presets:
        results = chk.check_all()
    elif preset_names:
        results = chk.check_presets(preset_names)
    else:
        raise CliError("check: give --preset NAME or --all", 2)
    empty = [r.name for r in results if not r.claims]
    if empty:
        raise CliError(f"{', '.join(empty)}: no [[claims]] to check; see 'emiss check --all' for the presets that have some", 1)
    timeline = all_presets or len(results) > 1
    document = commands.check_document(results, timeline=timeline)

    def charts() -> list[tuple[Any, str]]:
        from emiss.report.charts import claims_chart

        return [(claims_chart(pc, chk.claim_ranges(pc)), f"{pc.name}: each published figure, emiss's estimate, and the "
                 "range the preset's inputs allow", pc.name) for pc in results]

    from emiss.report.page import check_finding

    _reports(kw, title="Published figures, checked", document=commands.factcheck_document(results, document, timeline=timeline),
             charts=charts, finding=check_finding(results),
             sheets=lambda: {"Claims": document.rows})
    emit(encode(document, fmt))
    bad = [f"{r.name}: {c.claim.output} {c.verdict}" for r in results for c in r.claims if c.failed]
    if fail_inconsistent and bad:
        raise CliError("--fail-inconsistent: " + "; ".join(bad), 3)


@cli.command()
@scenario_options()
@limit_option
@click.option("--ambient-range", "ambient_range", metavar="LOW..HIGH",
              help="Also give each unit's worst-case (largest) lb/h over this ambient range, e.g. -10C..40C or 14F..104F, and "
                   "where it occurs, on the unit's maker's curve; a range beyond the curve is refused, as --ambient is.")
@report_options
@document_formats("view", "data")
def pte(fmt: str, **kw: Any) -> None:
    """Potential to emit per emission unit: factor and source, lb/h each, lb/h all units, tons/yr, then the facility.

    The shape permit applications use. With an add-on control set (--control, or in the preset), an
    uncontrolled column (before add-on controls: each unit at its own combustor or engine type) stands
    beside the controlled one. PM is shown as filterable PM, PM10 and PM2.5
    where the factor's source splits it.

    \b
    Examples:
      emiss pte --preset memphis-2025-permit
      emiss pte --preset memphis --control oxidation-catalyst --format markdown
      emiss pte --turbine-model smt-130 --turbines 4 --limit nox="25 tpy" --format json
      emiss pte --preset memphis-2025-permit --ambient-range 5C..35C
    """
    from emiss.core.calc import before_controls
    from emiss.core.calc import estimate as compute
    from emiss.report import commands

    sc = _scenario(kw)
    result = compute(sc)
    controlled = any(g.control != "none" for g in sc.groups)
    uncontrolled = None
    if controlled:  # 'uncontrolled': before add-on controls, each unit at its own combustor or engine type
        uncontrolled = compute(before_controls(sc))
    worst = None
    if kw.get("ambient_range"):
        from emiss.analysis.worstcase import OPTION, parse_range, worst_case

        if kw.get("ambient") is not None:
            raise CliError(f"{OPTION} scans the ambient temperature; give it or --ambient, not both", 2)
        lo, hi = parse_range(kw["ambient_range"])
        # each temperature as --ambient applies it: the scenario rebuilt at that ambient (no second derating)
        worst = (lo, hi, worst_case(sc.groups, lo, hi, lambda t: compute(_scenario({**kw, "ambient": f"{t:.6f} C"}))))
    document = commands.pte_document(result, uncontrolled, worst)

    def charts() -> list[tuple[Any, str]]:
        from emiss.report.charts import emissions_chart

        return [(emissions_chart(result, limits=True, title=f"Potential to emit as a share of the major-source thresholds, "
                                 f"with the permit's own limits: {sc.title or sc.name}"),
                 "Potential to emit per pollutant as a share of the threshold that applies; diamonds: the permit's annual limits.",
                 "pte")]

    from emiss.report import page

    _reports(kw, title=f"Potential to emit: {sc.title or sc.name}", document=document, finding=page.page_finding(result, pte=True),
             detail=page.page_detail(result, pte=True), figures=page.headline_cards(result, pte=True), charts=charts,
             sheets=lambda: _pte_book(result, uncontrolled, worst), result=result)
    emit(encode(document, fmt))


def _pte_book(result: Any, uncontrolled: Any, worst: Any = None) -> Any:
    from emiss.report.workbook import estimate_book

    return estimate_book(result, uncontrolled=uncontrolled, pte=True, worst=worst)


@cli.command(name="limit")
@scenario_options()
@limit_option
@click.option("--under", default="title-v", show_default=True, metavar="SET[,SET...]",
              help="Thresholds to stay under: title-v, psd, hap, psd-ser (PSD's significant emission rates, which count "
              "for a source already major or a modification of one), limits (the annual permit limits: a rate holds "
              "every hour, whatever the hours), or several, comma-separated.")
@click.option("--vary", "vary_what", type=click.Choice(["hours", "capacity-factor", "fuel"]), default="hours", show_default=True,
              help="What the operating limit limits.")
@document_formats("view", "data")
def limit_cmd(under: str, vary_what: str, fmt: str, **kw: Any) -> None:
    """Find the operating limit that keeps every pollutant under a set of thresholds (a synthetic-minor limit).

    Emissions grow with operation, so each pollutant allows so many hours a year; the smallest binds.
    Exit 0 with the limit, or with 'no limit needed' when every pollutant stays under all year; exit 1
    when even zero hours would not do (startups and shutdowns alone cross a threshold), or when a total is
    only a lower bound (outside a combustor's premix range, units without a factor), which no limit can be
    shown to keep under.

    \b
    Examples:
      emiss limit --preset memphis --under title-v
      emiss limit --preset memphis-2025-permit --under limits --vary fuel
      emiss limit --turbine-model smt-130 --turbines 4 --under title-v,hap --area ozone-serious --format json
    """
    from emiss.analysis.permit import operating_limit
    from emiss.report import commands

    from emiss.analysis.permit import SETS

    sets = tuple(x.strip().lower() for x in under.split(",") if x.strip())
    if not sets:
        raise CliError(f"--under: give one or more of {', '.join(SETS)}, comma-separated", 2)
    given = [o for o, k in (("--hours", "hours"), ("--capacity-factor", "capacity_factor")) if kw.get(k) not in (None, ())]
    if given:
        raise CliError(f"{given[0]}: 'emiss limit' finds the operation itself (--vary {vary_what}), so {given[0]} would be "
                       "ignored; drop it (or use 'emiss estimate' to see one operation)", 2)
    sc = _scenario(kw)
    ol = operating_limit(sc, under=sets, vary=vary_what, limits=sc.limits)
    emit(encode(commands.limit_document(ol), fmt))
    if ol.status == "infeasible":
        raise CliError(f"infeasible: {ol.message}", 1)

