"""Scenarios side by side: presets, one-input variations, the grid, and the permit engineer's three views."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from emiss import data
from emiss.core.calc import as_limited, before_controls, enforceable_caps, estimate
from emiss.errors import InputError
from emiss.core.model import Result, Spec
from emiss.core.outputs import OUTPUTS, short_tons
from emiss.inputs.presets import load
from emiss.inputs.overrides import apply_overrides
from emiss.inputs.scenario import build


@dataclass(frozen=True)
class ComparedScenario:
    """One scenario: a full estimate, or (for the grid) emissions of the same electricity at grid rates."""

    label: str
    result: Result | None = None
    generation_mwh: float = 0.0
    pounds: dict[str, float | None] = field(default_factory=dict)
    note: str = ""

    def complete(self, output: str) -> bool:
        """Return False when some units had no factor for pollutant ``output``."""
        return self.result is None or output not in data.POLLUTANTS or self.result.emissions[output].complete

    def value(self, output: str) -> float | None:
        """Return an output in its catalogue unit (pollutants in lb/yr); None where this column does not know it."""
        if output in self.pounds:  # the grid's pounds, or the PTE as limited where a cap holds a pollutant lower
            return self.pounds[output]
        if self.result is not None:
            return OUTPUTS[output].read(self.result)
        return self.generation_mwh if output == "generation" else None


@dataclass(frozen=True)
class Comparison:
    """The scenarios to compare, one column each, and notes about them."""

    columns: list[ComparedScenario]
    notes: list[str]




def _variation(base: Spec, opt: str, value: str) -> tuple[str, Spec]:
    label = f"{opt.replace('_', '-')} {value}"
    if opt == "factor":
        pol, sep, qty = value.partition("=")
        if not sep:
            raise InputError(f"'{value}' must look like POLLUTANT=QTY", where="--factor", usage=True)
        return label, apply_overrides(base, {f"factor.{pol.strip().lower()}": qty.strip()})
    if opt == "turbine_model":
        if len(base.fleet) != 1 or "count" not in base.fleet[0].fields:
            raise InputError("needs a base fleet of one group", where="--turbine-model", usage=True)
        return label, apply_overrides(base, {"turbine_model": value, "turbines": base.fleet[0].fields["count"].value})
    return label, apply_overrides(base, {opt: value})


def _households_methods(columns: list[ComparedScenario]) -> str:
    """Return a note when the columns count homes by different methods ('' when they agree): the households row reads
    each scenario's headline, and a capacity view beside an energy view is no difference in homes."""
    with_result = [c for c in columns if c.result is not None]
    methods = {c.result.scenario.households_method for c in with_result}
    if len(methods) < 2:
        return ""
    said = "; ".join(f"{c.label}: {c.result.scenario.households_method} view" for c in with_result)
    energy = ", ".join(f"{c.label} {float(c.result.households_energy):,.0f}" for c in with_result)
    return (f"households: the columns count homes by different methods ({said}), so the households row compares "
            f"methods as well as fleets; on the energy view (generation / use per home) they are: {energy} homes.")


def grid_column(first: Result, subregion: str) -> ComparedScenario:
    """Return the same generation as ``first``, at the eGRID subregion's output emission rates."""
    grid = data.load("egrid.toml")
    regions = grid["subregion"]
    key = subregion.upper()
    if key not in regions:
        raise InputError(f"unknown eGRID subregion '{subregion}'; shipped: {', '.join(regions)}", where="--subregion", usage=True)
    reg = regions[key]
    mwh = first.generation_mwh
    pounds: dict[str, float | None] = {p: None for p in data.POLLUTANTS}
    for p in ("co2", "ch4", "n2o"):
        if p in reg:
            pounds[p] = reg[p] * mwh
    sc = first.scenario
    co2e_note = ""
    if "co2e" in reg:  # a published CO2e rate (its own edition, AR5 GWPs) wins over one built from the gases
        pounds["co2e"] = reg["co2e"] * mwh
        co2e_note = f" CO2e: {reg['co2e_source']}; it stays on AR5 whatever --gwp says."
        if all(pounds[p] is not None for p in ("co2", "ch4", "n2o")):  # the gases beside it are of another edition
            ar5 = data.gwp_sets()["AR5"]
            rate = reg["co2"] + ar5["ch4"] * reg["ch4"] + ar5["n2o"] * reg["n2o"]
            co2e_note += (f" It is of another edition than the CO2, methane and N2O beside it, which with the same AR5 GWPs "
                          f"give {rate:,.2f} lb/MWh ({short_tons(rate * mwh):,.0f} short tons): a CO2e below the CO2 here comes "
                          "from the editions differing (the later one's rate is lower), not from the arithmetic.")
    elif all(pounds[p] is not None for p in ("co2", "ch4", "n2o")):
        pounds["co2e"] = pounds["co2"] + sc.gwp_ch4 * pounds["ch4"] + sc.gwp_n2o * pounds["n2o"]
    note = (f"grid ({key}): {reg['name']}, {grid['meta']['edition']}; {reg['source']}.{co2e_note} {grid['meta']['note']} "
            "Rates are at the generator; grid losses are not added.")
    return ComparedScenario(f"grid {key}", None, mwh, pounds, note)


def _as_limited(result: Result) -> dict[str, float]:
    """Return, for each pollutant an enforceable limit holds below the estimate, the PTE as limited (lb/yr)."""
    sc = result.scenario
    caps = enforceable_caps(result.emissions, sc.limits, result.heat_input_mmbtu, result.groups) if sc.limits else {}
    held = {p: float(as_limited(result.emissions[p], cap)) for p, cap in caps.items()}
    return {p: lb for p, lb in held.items() if lb < result.emissions[p].lb_per_year}


def _limited_note(limited: dict[str, float]) -> str:
    held = ", ".join(f"{p} {short_tons(lb):,.4g}" for p, lb in limited.items())
    return (f"the rows hold the controlled PTE to its enforceable limits where they are lower ({held} short tons/yr); "
            "the estimate with this column is the controlled PTE before them")


def build_table(sources: list[str], items: list[tuple[str, str]], *, grid: bool = False, subregion: str | None = None,
                permit_view: bool = False, operation: dict[str, Any] | None = None) -> Comparison:
    """Build every column: the presets, each variation of the first, the permit view and the grid."""
    specs = [load(s) for s in sources]
    names = [spec.name for spec in specs]
    # two presets with the same name (two files called site.toml) are told apart by what was typed
    labels = [n if names.count(n) == 1 else f"{n} ({src})" for n, src in zip(names, sources)]
    columns = [ComparedScenario(label, estimate(build(spec))) for label, spec in zip(labels, specs)]
    notes: list[str] = []
    base = specs[0]
    for opt, value in items:
        label, spec = _variation(base, opt, value)
        columns.append(ComparedScenario(label, estimate(build(spec))))
    if permit_view:
        pte = base.copy()
        pte.settings.pop("capacity_factor", None)
        pte.settings.pop("hours", None)
        actual = apply_overrides(base, {k: v[-1] for k, v in (operation or {}).items() if v})
        controlled = estimate(build(pte))
        limited = _as_limited(controlled)
        # beside other presets, the permit view's columns say whose they are: 'PTE uncontrolled' next to a
        # 'memphis-2025-permit' column read as a view of every preset, and the finding named it the plant that emits most
        whose = f"{labels[0]} " if len(specs) > 1 else ""
        columns = [ComparedScenario(f"{whose}PTE uncontrolled", estimate(before_controls(build(pte)))),
                   ComparedScenario(f"{whose}PTE controlled", controlled),
                   *([ComparedScenario(f"{whose}PTE as limited", controlled, pounds=limited, note=_limited_note(limited))]
                     if limited else []),
                   ComparedScenario(f"{whose}expected actual", estimate(build(actual)))] + columns[1:]
        notes.append("Potential to emit (PTE): 8,760 h at full load. 'Uncontrolled' is before add-on controls (SCR, oxidation catalyst, "
                     "NSCR): every unit at its own combustor or engine type, as pte shows it; 'controlled' uses the scenario's factors; "
                     + ("'as limited' is the controlled PTE held to each enforceable limit where the limit is lower (an hourly or "
                        "per-heat-input limit scaled to the year), as the screening judges it; " if limited else "")
                     + "'expected actual' uses its operation (or --capacity-factor/--hours).")
        if len(specs) > 1:
            notes.append(f"The PTE and expected-actual columns are {labels[0]}'s; " + ", ".join(labels[1:]) + " as "
                         + ("each preset stands" if len(specs) > 2 else "the preset stands")
                         + " (its own operation and controls, before any permit limit holds it lower).")
    mixed = _households_methods(columns)
    if mixed:
        notes.append(mixed)
    if grid:
        first = columns[0].result
        region = subregion or first.scenario.egrid_subregion or "US"
        shipped = data.load("egrid.toml")["subregion"]
        if subregion is None and region.upper() not in shipped:  # the preset's subregion has no shipped rates: say so
            notes.append(f"The preset's eGRID subregion {region} has no shipped rates (shipped: {', '.join(shipped)}); "
                         "the US average is shown instead (give --subregion to choose).")
            region = "US"
        col = grid_column(first, region)
        columns.append(col)
        notes.append(col.note)
    return Comparison(columns, notes)

