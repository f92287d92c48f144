"""Scenarios side by side: presets, one-input variations, the grid, and the permit engineer's three views."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import library
from .calc import KW_PER_MW, LB_PER_SHORT_TON, estimate
from .errors import InputError
from .model import Result
from .presets import Spec, load
from .scenario import apply_overrides, build

CONTROL_BOUND = ("nox", "co")  # pollutants whose factor a control level sets (AP-42 Table 3.1-1)


@dataclass(frozen=True)
class Column:
    """One scenario: a full estimate, or (for the grid) emissions of the same electricity at grid rates."""

    label: str
    result: Result | None = None
    generation_mwh: float = 0.0
    pounds: dict[str, float | None] = field(default_factory=dict)
    note: str = ""

    def complete(self, output: str) -> bool:
        """Return False when some units had no factor for pollutant ``output``."""
        return self.result is None or output not in library.POLLUTANTS or self.result.emissions[output].complete

    def value(self, output: str) -> float | None:
        """Return an output: short tons/yr for pollutants, MW, MWh/yr, MMBtu/yr, homes; None if not known."""
        r = self.result
        if output in library.POLLUTANTS:
            lb = r.emissions[output].lb_per_year if r else self.pounds.get(output)
            return None if lb is None else lb / LB_PER_SHORT_TON
        if r is None:
            return self.generation_mwh if output == "generation" else None
        return {"capacity": r.capacity_kw / KW_PER_MW, "hours": r.hours, "generation": r.generation_mwh,
                "heat_input": r.heat_input_mmbtu, "households": r.households}[output]


@dataclass(frozen=True)
class Table:
    """The columns to compare and notes about them."""

    columns: list[Column]
    notes: list[str]


ROWS = (("capacity", "MW"), ("hours", "full-load h/yr"), ("generation", "MWh/yr"), ("heat_input", "MMBtu/yr (HHV)"),
        ("households", "homes")) + tuple((p, "short tons/yr") for p in library.POLLUTANTS)


def _without_control_factors(spec: Spec) -> Spec:
    out = spec.copy()
    for p in CONTROL_BOUND:
        out.factors.pop(p, None)
        for g in out.fleet:
            g.factors.pop(p, None)
    return out


def _variation(base: Spec, opt: str, value: str) -> tuple[str, Spec]:
    label = f"{opt.replace('_', '-')} {value}"
    if opt == "factor":
        pol, sep, qty = value.partition("=")
        if not sep:
            raise InputError(f"'{value}' must look like POLLUTANT=QTY", where="--factor", usage=True)
        return label, apply_overrides(base, {f"factor.{pol.strip().lower()}": qty.strip()})
    if opt == "control":
        return label, _without_control_factors(apply_overrides(base, {"control": value}))
    if opt == "turbine_model":
        if len(base.fleet) != 1 or "count" not in base.fleet[0].fields:
            raise InputError("needs a base fleet of one group", where="--turbine-model", usage=True)
        return label, apply_overrides(base, {"turbine_model": value, "turbines": base.fleet[0].fields["count"].value})
    return label, apply_overrides(base, {opt: value})


def grid_column(first: Result, subregion: str) -> Column:
    """Return the same generation as ``first``, at the eGRID subregion's output emission rates."""
    data = library.load_data("egrid.toml")
    regions = data["subregion"]
    key = subregion.upper()
    if key not in regions:
        raise InputError(f"unknown eGRID subregion '{subregion}'; shipped: {', '.join(regions)}", where="--subregion", usage=True)
    reg = regions[key]
    mwh = first.generation_mwh
    pounds: dict[str, float | None] = {p: None for p in library.POLLUTANTS}
    for p in ("co2", "ch4", "n2o"):
        if p in reg:
            pounds[p] = reg[p] * mwh
    sc = first.scenario
    if all(pounds[p] is not None for p in ("co2", "ch4", "n2o")):
        pounds["co2e"] = pounds["co2"] + sc.gwp_ch4 * pounds["ch4"] + sc.gwp_n2o * pounds["n2o"]
    note = (f"grid ({key}): {reg['name']}, {data['meta']['edition']}; {reg['source']}. {data['meta']['note']} "
            "Rates are at the generator; grid losses are not added.")
    return Column(f"grid {key}", None, mwh, pounds, note)


def build_table(sources: list[str], items: list[tuple[str, str]], *, grid: bool = False, subregion: str | None = None,
                permit_view: bool = False, operation: dict[str, Any] | None = None) -> Table:
    """Build every column: the presets, each variation of the first, the permit view and the grid."""
    specs = [load(s) for s in sources]
    columns = [Column(spec.name, estimate(build(spec))) for spec in specs]
    notes: list[str] = []
    base = specs[0]
    for opt, value in items:
        label, spec = _variation(base, opt, value)
        columns.append(Column(label, estimate(build(spec))))
    if permit_view:
        pte = base.copy()
        pte.settings.pop("capacity_factor", None)
        pte.settings.pop("hours", None)
        uncontrolled = _without_control_factors(apply_overrides(pte, {"control": "uncontrolled"}))
        actual = apply_overrides(base, {k: v[-1] for k, v in (operation or {}).items() if v})
        columns = [Column("PTE uncontrolled", estimate(build(uncontrolled))),
                   Column("PTE controlled", estimate(build(pte))),
                   Column("expected actual", estimate(build(actual)))] + columns[1:]
        notes.append("Potential to emit (PTE): 8,760 h at full load. 'Uncontrolled' uses AP-42 Table 3.1-1 uncontrolled NOx/CO "
                     "for turbines (engines have no uncontrolled factor here); 'controlled' uses the scenario's factors; "
                     "'expected actual' uses its operation (or --capacity-factor/--hours).")
    if grid:
        first = columns[0].result
        region = subregion or first.scenario.egrid_subregion or "US"
        col = grid_column(first, region)
        columns.append(col)
        notes.append(col.note)
    return Table(columns, notes)

