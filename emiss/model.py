"""Frozen input and result types. Magnitudes are plain floats in the unit named by the field."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Mapping

# Where a value came from, in increasing precedence.
LAYERS = ("built-in", "catalog", "preset", "cli", "record")


@dataclass(frozen=True)
class Given:
    """A raw value as a user, preset or the library gave it, with where it came from."""

    value: Any
    source: str
    layer: str
    status: str = "user"
    note: str = ""
    where: str = ""
    dist: tuple[str, dict[str, Any]] | None = None  # (kind, raw parameters) when the value is uncertain

    @property
    def rank(self) -> int:
        """Return the precedence of this value's layer (higher wins)."""
        return LAYERS.index(self.layer)


@dataclass(frozen=True)
class Uncertain:
    """An input given as a range or distribution: where it goes in the Scenario, and its Dist."""

    name: str
    path: tuple[Any, ...]
    dist: Any
    central: float
    unit: str
    source: str


@dataclass(frozen=True)
class Assumption:
    """One input of the estimate as the output shows it."""

    name: str
    value: Any
    unit: str
    source: str
    layer: str
    status: str
    note: str = ""


@dataclass(frozen=True)
class Factor:
    """An emission factor, normalised to one of four forms.

    form "input": lb per MMBtu of heat input (HHV); "output": lb per MWh generated;
    "time": lb per operating hour per unit; "fuel": lb per scf of fuel.
    """

    pollutant: str
    form: str
    value: float
    text: str
    source: str
    status: str
    layer: str
    note: str = ""

    @property
    def rank(self) -> int:
        """Return the precedence of this factor's layer (higher wins)."""
        return LAYERS.index(self.layer)


FORM_UNITS = {"input": "lb/MMBtu", "output": "lb/MWh", "time": "lb/hour", "fuel": "lb/scf"}


@dataclass(frozen=True)
class Group:
    """Identical units sharing capacity, heat rate and factors."""

    name: str
    kind: str
    count: int
    capacity_kw: float
    heat_rate_hhv: float  # Btu per kWh, HHV
    control: str
    model: str = ""
    factors: Mapping[str, Factor] = field(default_factory=dict)
    heat_rate: float = 0.0  # Btu per kWh on the basis below, as given
    basis: str = "hhv"


@dataclass(frozen=True)
class Scenario:
    """Validated inputs of one estimate."""

    name: str
    title: str
    groups: tuple[Group, ...]
    hours: float  # equivalent full-load hours per year
    capacity_factor: float
    operation_basis: str
    fleet_factors: Mapping[str, Factor]
    fuel_hhv: float  # MMBtu per scf
    household_use_kwh: float  # kWh per home per year
    household_demand_kw: float  # kW per home
    households_method: str  # "energy" or "capacity"
    gwp_set: str
    gwp_ch4: float
    gwp_n2o: float
    mass_unit: str
    assumptions: tuple[Assumption, ...]
    notes: tuple[str, ...] = ()
    description: str = ""
    hhv_lhv: float = 1.0
    year_hours: float = 8760.0  # hours in the modelled year (constants.toml hours_per_year)
    egrid_subregion: str = ""
    uncertain: tuple[Uncertain, ...] = ()


@dataclass(frozen=True)
class PollutantResult:
    """Annual emissions of one pollutant for the whole fleet."""

    id: str
    name: str
    lb_per_year: float
    lb_per_hour: float  # at full load, whole fleet
    complete: bool
    missing: tuple[str, ...]  # groups without a factor
    factors: tuple[tuple[str, Factor], ...]  # (group name, factor used)


@dataclass(frozen=True)
class Screening:
    """One pollutant compared with one major-source threshold."""

    threshold_id: str
    program: str
    pollutant: str
    tons_per_year: float
    threshold_tons: float
    crossed: bool
    source: str


@dataclass(frozen=True)
class Result:
    """Everything an estimate computes."""

    scenario: Scenario
    capacity_kw: float
    hours: float
    generation_mwh: float
    heat_input_mmbtu: float  # HHV
    fuel_scf: float
    emissions: Mapping[str, PollutantResult]
    households_energy: float
    households_capacity: float

    @cached_property
    def screening(self) -> tuple[Screening, ...]:
        """Return the regulatory screening rows (computed when first asked for)."""
        from .calc import screen

        return screen(self.emissions)

    @property
    def households(self) -> float:
        """Return the headline household figure, by the scenario's method."""
        return self.households_energy if self.scenario.households_method == "energy" else self.households_capacity
