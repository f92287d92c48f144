"""Layered inputs (built-in < preset < command line) checked and turned into a Scenario."""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from typing import Any

from .calc import KW_PER_MW
from . import library, units
from .errors import InputError
from .factors import check_pollutant, parse_factor
from .dist import make as make_dist
from .dist import split_range
from .model import FORM_UNITS, Assumption, Factor, Given, Group, Scenario, Uncertain
from .presets import GroupSpec, Spec, load

# Names a command line or a batch record may set, beside factor.<pollutant>.
OVERRIDE_KEYS = (
    "turbine_model", "turbines", "capacity", "heat_rate", "heat_rate_basis", "capacity_factor", "hours", "control",
    "household_use", "household_demand", "households_method", "hhv_lhv", "gwp", "mass_unit",
)
METHODS = ("energy", "capacity")
BASES = ("lhv", "hhv")
HHV_LHV_RANGE = (1.0, 1.2)  # sanity bounds: natural gas is 1.10-1.11; outside this is a typo


@lru_cache(maxsize=None)
def _builtin(key: str) -> Given:
    c = library.constant(key)
    value = f"{c.value} {c.unit}" if c.unit and isinstance(c.value, (int, float)) else c.value
    return Given(value, c.source, "built-in", c.status, "", f"built-in {key}")


def apply_overrides(spec: Spec, overrides: dict[str, Any], *, layer: str = "cli", where: Any = None) -> Spec:
    """Return a copy of ``spec`` with ``overrides`` (option name -> raw value) applied on top.

    ``where(key)`` names an override in error messages (default: '--option-name').
    """
    where = where or _option_name
    out = spec.copy()

    def given(key: str, value: Any) -> Given:
        src = "command line" if layer == "cli" else "batch record"
        return Given(value, src, layer, "user", "", where(key))

    for key, value in overrides.items():
        if value is None:
            continue
        if key.startswith("factor.") or key.startswith("factor:"):
            pol = key.split(".", 1)[-1].split(":", 1)[-1]
            check_pollutant(pol, where=where(key))
            out.factors[pol] = given(key, value)
        elif key not in OVERRIDE_KEYS:
            raise InputError(f"unknown setting '{key}'; known: {', '.join(OVERRIDE_KEYS)}, factor.<pollutant>", where=where(key), usage=True)

    count, capacity = overrides.get("turbines"), overrides.get("capacity")
    model = overrides.get("turbine_model")
    if model is not None:
        if count is None:
            raise InputError("give --turbines N with --turbine-model", where=where("turbine_model"), usage=True)
        group = catalog_group(str(model), where=where("turbine_model"))
        group.fields["count"] = given("turbines", count)
        if capacity is not None:
            group.fields["capacity"] = given("capacity", capacity)
        out.fleet = [group]
    elif count is not None and capacity is not None:
        base = out.fleet[0] if len(out.fleet) == 1 else GroupSpec(name="fleet")
        base.fields["count"] = given("turbines", count)
        base.fields["capacity"] = given("capacity", capacity)
        out.fleet = [base]
    elif count is not None or capacity is not None:
        key = "turbines" if count is not None else "capacity"
        other = "capacity" if count is not None else "turbines"
        if len(out.fleet) != 1:
            have = f"the preset has {len(out.fleet)} groups" if out.fleet else "there is no fleet yet"
            raise InputError(f"{have}; give {where(other)} too, to describe the whole fleet", where=where(key), usage=True)
        out.fleet[0].fields["count" if key == "turbines" else "capacity"] = given(key, overrides[key])
    for key in ("heat_rate", "heat_rate_basis", "control"):
        if overrides.get(key) is not None:
            if not out.fleet:
                out.settings[key] = given(key, overrides[key])
            for g in out.fleet:
                g.fields[key] = given(key, overrides[key])
    for key in ("capacity_factor", "hours"):
        if overrides.get(key) is not None:
            out.settings.pop("capacity_factor", None)
            out.settings.pop("hours", None)
            out.settings[key] = given(key, overrides[key])
    for key in ("household_use", "household_demand", "households_method", "hhv_lhv", "gwp", "mass_unit"):
        if overrides.get(key) is not None:
            out.settings[key] = given(key, overrides[key])
    if overrides.get("capacity_factor") is not None and overrides.get("hours") is not None:
        raise InputError("give capacity factor or hours, not both", where=where("hours"), usage=True)
    return out


def catalog_group(model: str, *, where: str, name: str | None = None) -> GroupSpec:
    """Return a fleet group pre-filled from catalog unit ``model`` (layer 'catalog')."""
    from . import catalog

    entry = catalog.unit(model, where=where)
    src, status = entry["source"], entry["status"]

    def cat(value: Any, source: str = src) -> Given:
        return Given(value, source, "catalog", status, "", f"catalog {entry['id']}")

    g = GroupSpec(name=name or entry["name"], where=f"catalog {entry['id']}")
    g.fields.update(kind=cat(entry["kind"]), model=cat(entry["name"]), capacity=cat(entry["capacity"]),
                    heat_rate=cat(entry["heat_rate"]), heat_rate_basis=cat("lhv"))
    if "control" in entry:
        g.fields["control"] = cat(entry["control"])
    g.factors["nox"] = cat(f"{entry['nox_ppm']} ppmvd@15%O2", src + " (maker's standard NOx level)")
    if "co_ppm" in entry:
        g.factors["co"] = cat(f"{entry['co_ppm']} ppmvd@15%O2", src + " (CO level)")
    return g


def _option_name(key: str) -> str:
    if key.startswith(("factor.", "factor:")):
        return "--factor " + key[len("factor."):]
    return "--" + key.replace("_", "-")


def _choice(g: Given, allowed: tuple[str, ...]) -> str:
    value = str(g.value).strip().lower()
    if value not in allowed:
        raise InputError(f"'{g.value}' is not one of: {', '.join(allowed)}", where=g.where, usage=g.layer in ("cli", "record"))
    return value


class _Builder:
    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.assumptions: list[Assumption] = []
        self.uncertain: list[Uncertain] = []

    def note(self, name: str, g: Given, value: Any, unit: str, note: str = "") -> None:
        self.assumptions.append(Assumption(name, value, unit, g.source, g.layer, g.status, note or g.note))

    def setting(self, key: str, default: str | None = None) -> Given | None:
        g = self.spec.settings.get(key)
        if g is None and default is not None:
            return _builtin(default)
        return g

    def usage(self, g: Given) -> bool:
        return g.layer in ("cli", "record")

    def parse(self, g: Given) -> units.Parsed:
        try:
            return units.parse(g.value, where=g.where)
        except InputError as exc:
            raise InputError(exc.message, where=g.where, usage=self.usage(g)) from None

    def convert(self, g: Given, to: str, expect: str, *, bare: str | None = None) -> float:
        try:
            return units.convert(g.value, to, where=g.where, expect=expect, bare=bare)
        except InputError as exc:
            raise InputError(exc.message, where=g.where, usage=self.usage(g)) from None

    def fraction(self, g: Given) -> float:
        try:
            return units.fraction(g.value, where=g.where)
        except InputError as exc:
            raise InputError(exc.message, where=g.where, usage=self.usage(g)) from None

    def positive(self, g: Given, value: float, what: str) -> float:
        if value <= 0:
            raise InputError(f"'{g.value}' must be more than zero ({what})", where=g.where, usage=self.usage(g))
        return value

    def count(self, g: Given) -> int:
        v = g.value
        if isinstance(v, str):
            try:
                v = float(v.strip())
            except ValueError:
                raise InputError(f"'{g.value}' is not a whole number of units", where=g.where, usage=self.usage(g)) from None
        if isinstance(v, bool) or not isinstance(v, (int, float)) or v != v or v in (float("inf"), float("-inf")):
            raise InputError(f"'{g.value}' is not a whole number of units", where=g.where, usage=self.usage(g))
        if v != int(v):
            raise InputError(f"'{g.value}' is not a whole number of units", where=g.where, usage=self.usage(g))
        if v < 1:
            raise InputError(f"'{g.value}' must be at least 1 unit", where=g.where, usage=self.usage(g))
        return int(v)

    def heat_rate(self, g: Given) -> float:
        """Return Btu/kWh from a heat rate ('9695 Btu/kWh', '10.2 MJ/kWh') or an efficiency ('38%')."""
        q = self.parse(g)
        if q.percent:
            eff = q.number * units.multiplier(q.unit, "")
            if not 0 < eff <= 1:
                raise InputError(f"efficiency '{g.value}' must be above 0 % and at most 100 %", where=g.where, usage=self.usage(g))
            return units.multiplier("", "Btu/kWh") / eff  # heat rate = 1 / efficiency (3,412.14 Btu/kWh at 100 %)
        if not q.unit:
            raise InputError(
                f"'{g.value}' has no unit; give a heat rate such as '9695 Btu/kWh' or an efficiency such as '35%'",
                where=g.where, usage=self.usage(g),
            )
        return self.positive(g, self.convert(g, "Btu/kWh", "a heat rate such as '9695 Btu/kWh' or an efficiency such as '35%'"), "heat rate")

    def maybe(self, g: Given, conv: Any, path: tuple[Any, ...], name: str, unit: str, *, integer: bool = False) -> Any:
        """Convert ``g``; if it is a range or distribution, record it as uncertain and return its central value."""
        spec = g.dist
        if spec is None:
            try:
                parts = split_range(g.value)
            except InputError as exc:
                raise InputError(exc.message, where=g.where, usage=self.usage(g)) from None
            if parts:
                keys = ("low", "high") if len(parts) == 2 else ("low", "mode", "high")
                spec = ("uniform" if len(parts) == 2 else "triangular", dict(zip(keys, parts)))
        if spec is None:
            return conv(g)
        kind, raw = spec
        params = {}
        for k, v in raw.items():
            if k == "gsd":
                params[k] = self.fraction(replace(g, value=v))
            else:
                params[k] = float(conv(replace(g, value=v)))
        if "low" in params and "high" in params and params["low"] > params["high"]:
            params["low"], params["high"] = params["high"], params["low"]  # a decreasing conversion (efficiency -> heat rate)
        d = make_dist(kind, params, where=g.where, integer=integer)
        central = d.central() if "value" not in raw else params["value"]
        if integer:
            central = int(round(central))
        self.uncertain.append(Uncertain(name, path, d, float(central), unit, g.source))
        return central

    def uncertain_factor(self, pol: str, g: Given, path: tuple[Any, ...], name: str) -> Factor:
        """Return the factor for ``g``; a range of factors is recorded as uncertain (all ends must share a form)."""
        forms: set[str] = set()

        def value(gg: Given) -> float:
            f = self.factor(pol, gg)
            forms.add(f.form)
            return f.value

        central = self.maybe(g, value, path, name, "")
        if len(forms) > 1:
            raise InputError("the ends of a factor range must be of one kind (all per heat input, all per MWh, ...)",
                             where=g.where, usage=self.usage(g))
        form = forms.pop()
        if self.uncertain and self.uncertain[-1].path == path:
            u = self.uncertain.pop()
            self.uncertain.append(replace(u, unit=FORM_UNITS[form]))
        text = g.value if isinstance(g.value, str) else f"{central:g} {FORM_UNITS[form]}"
        return Factor(pol, form, central, str(text), g.source, g.status, g.layer, g.note)

    def factor(self, pol: str, g: Given) -> Factor:
        try:
            return parse_factor(pol, g.value, where=g.where, source=g.source, status=g.status, layer=g.layer, note=g.note)
        except InputError as exc:
            raise InputError(exc.message, where=g.where, usage=self.usage(g)) from None

    def group(self, i: int, gs: GroupSpec, hhv_lhv: float) -> Group:
        f = gs.fields
        if "count" not in f or "capacity" not in f:
            missing = "count" if "count" not in f else "capacity"
            raise InputError(f"{gs.where or 'fleet'}: no {missing} given", usage=False)
        kind = _choice(f.get("kind", Given("turbine", "", "built-in")), library.KINDS)
        label = gs.name
        count = self.maybe(f["count"], self.count, ("group", i, "count"), f"{label}: units", "", integer=True)
        cap_kw = self.maybe(f["capacity"], self.capacity, ("group", i, "capacity_kw"), f"{label}: capacity per unit", "kW")
        hr_given = f.get("heat_rate") or self.spec.settings.get("heat_rate") or _builtin("default_heat_rate")
        basis_given = f.get("heat_rate_basis") or self.spec.settings.get("heat_rate_basis")
        if basis_given is None:
            basis_given = Given("lhv", "makers quote heat rate on an LHV basis at ISO conditions", "built-in", "convention")
        basis = _choice(basis_given, BASES)
        hr = self.maybe(hr_given, self.heat_rate, ("group", i, "heat_rate"), f"{label}: heat rate ({basis.upper()})", "Btu/kWh")
        hr_hhv = hr * hhv_lhv if basis == "lhv" else hr
        ctrl_given = _pick(f.get("control"), self.spec.settings.get("control")) or _builtin("default_control")
        control = _choice(ctrl_given, library.CONTROLS)
        factors = {pol: self.uncertain_factor(pol, g, ("factor", i, pol), f"{label}: factor {pol}") for pol, g in gs.factors.items()}
        model = f["model"].value if "model" in f else ""
        self.note(f"{label}: units", f["count"], count, "")
        self.note(f"{label}: capacity per unit", f["capacity"], cap_kw / KW_PER_MW, "MW")
        self.note(f"{label}: heat rate ({basis.upper()})", hr_given, round(hr, 1), "Btu/kWh")
        if kind == "turbine":
            self.note(f"{label}: control", ctrl_given, control, "")
        return Group(label, kind, count, cap_kw, hr_hhv, control, str(model), factors, hr, basis)

    def build(self) -> Scenario:
        spec = self.spec
        if not spec.fleet:
            if spec.path:
                raise InputError("has no [[fleet]] group: add one with count, capacity and heat_rate", where=spec.path.rsplit("/", 1)[-1])
            raise InputError("no fleet: give --preset NAME, or --turbines N with --capacity QTY", where="estimate", usage=True)
        hhv_g = self.setting("hhv_lhv", "hhv_lhv_ratio")
        def ratio(g: Given) -> float:
            x = self.fraction(g)
            if not HHV_LHV_RANGE[0] <= x <= HHV_LHV_RANGE[1]:
                raise InputError(f"HHV/LHV ratio {x:g} is outside {HHV_LHV_RANGE[0]}-{HHV_LHV_RANGE[1]} (natural gas: about 1.108)",
                                 where=g.where, usage=self.usage(g))
            return x

        hhv_lhv = self.maybe(hhv_g, ratio, ("hhv_lhv",), "HHV/LHV ratio", "")
        self.note("HHV/LHV ratio of the fuel", hhv_g, hhv_lhv, "")
        groups = tuple(self.group(i, gs, hhv_lhv) for i, gs in enumerate(spec.fleet))
        hours, cf, basis = self.operation()
        fleet_factors = {pol: self.uncertain_factor(pol, g, ("factor", "fleet", pol), f"factor {pol} (all units)")
                         for pol, g in spec.factors.items()}
        fuel = _builtin("fuel_hhv")
        fuel_hhv = self.convert(fuel, "MMBtu/scf", "a heat content")
        self.note("fuel heat content (HHV)", fuel, fuel_hhv, "MMBtu/scf")
        use_g = self.setting("household_use", "household_use")
        use = self.maybe(use_g, self.household_use, ("household_use_kwh",), "households: use per home", "kWh/year")
        dem_g = self.setting("household_demand", "household_demand")
        demand = self.maybe(dem_g, self.demand, ("household_demand_kw",), "households: demand per home", "kW")
        method_g = self.setting("households_method") or Given("energy", "emiss default: generation / annual use per home", "built-in", "convention")
        method = _choice(method_g, METHODS)
        self.note("households: headline method", method_g, method, "")
        self.note("households: annual electricity use per home", use_g, use, "kWh/year")
        self.note("households: demand per home (capacity view)", dem_g, demand, "kW")
        gwp_g = self.setting("gwp", "default_gwp")
        sets = library.gwp_sets()
        gwp_name = str(gwp_g.value).strip().upper()
        if gwp_name not in sets:
            raise InputError(f"'{gwp_g.value}' is not a GWP set; known: {', '.join(sets)}", where=gwp_g.where, usage=self.usage(gwp_g))
        gwp = sets[gwp_name]
        self.assumptions.append(Assumption("GWP-100 set", f"{gwp_name}: CH4 {gwp['ch4']}, N2O {gwp['n2o']}", "", gwp["source"], gwp_g.layer, gwp["status"]))
        mass_g = self.setting("mass_unit") or Given("short_ton", "emiss default: US short tons (2,000 lb)", "built-in", "convention")
        mass_unit = self.mass_unit(mass_g)
        for key in ("method19_fd", "molar_volume", "method19_o2_air"):
            c = library.constant(key)
            self.assumptions.append(Assumption(f"Method 19: {key.replace('method19_', '')}", c.value, c.unit, c.source, "built-in", c.status))
        return Scenario(
            name=spec.name, title=spec.title, groups=groups, hours=hours, capacity_factor=cf, operation_basis=basis,
            fleet_factors=fleet_factors, fuel_hhv=fuel_hhv, household_use_kwh=use, household_demand_kw=demand,
            households_method=method, gwp_set=gwp_name, gwp_ch4=float(gwp["ch4"]), gwp_n2o=float(gwp["n2o"]),
            mass_unit=mass_unit, assumptions=tuple(self.assumptions), notes=tuple(spec.notes), description=spec.description,
            hhv_lhv=hhv_lhv, year_hours=self.year, uncertain=tuple(self.uncertain), egrid_subregion=spec.egrid_subregion,
        )

    def operation(self) -> tuple[float, float, str]:
        year_g = _builtin("hours_per_year")
        year = self.year = self.convert(year_g, "hour", "hours")
        cf_g, hours_g = self.spec.settings.get("capacity_factor"), self.spec.settings.get("hours")
        if cf_g is not None:
            cf = self.maybe(cf_g, self.capacity_factor, ("capacity_factor",), "capacity factor", "")
            self.note("capacity factor", cf_g, cf, "", f"applied as {cf * year:.0f} equivalent full-load hours of {year:.0f}")
            return cf * year, cf, f"capacity factor {cf:g} ({cf * year:.0f} equivalent full-load h/yr)"
        if hours_g is not None:
            h = self.maybe(hours_g, lambda g: self.hours(g, year), ("hours",), "operating hours per year", "h/year")
            self.note("operating hours per year (full load)", hours_g, h, "h/year")
            if h == year:
                return h, 1.0, f"potential to emit: {year:.0f} h/yr at full load"
            return h, h / year, f"{h:.0f} full-load h/yr"
        self.note("operating hours per year", year_g, year, "h/year", "full-year potential to emit: every unit at full load all year")
        return year, 1.0, f"potential to emit: {year:.0f} h/yr at full load"

    def capacity(self, g: Given) -> float:
        """Return a unit's capacity in kW (more than zero)."""
        return self.positive(g, self.convert(g, "kW", "a power such as '16 MW' or '2500 kW'"), "capacity")

    def demand(self, g: Given) -> float:
        """Return the capacity per home in kW (more than zero)."""
        return self.positive(g, self.convert(g, "kW", "a power per home such as '1.2 kW'", bare="kW"), "demand per home")

    def capacity_factor(self, g: Given) -> float:
        """Return a capacity factor above 0 and at most 1."""
        x = self.fraction(g)
        if not 0 < x <= 1:
            raise InputError(f"capacity factor '{g.value}' must be above 0 and at most 1 (or 100%)", where=g.where, usage=self.usage(g))
        return x

    def hours(self, g: Given, year: float) -> float:
        """Return full-load hours per year, above 0 and at most ``year``."""
        x = self.convert(g, "hour/year" if _per_time(g.value) else "hour", "operating hours such as '5000 h' or 5000", bare="hour")
        if not 0 < x <= year:
            raise InputError(f"'{g.value}' must be above 0 and at most {year:.0f} h (the hours in a year)", where=g.where, usage=self.usage(g))
        return x

    def household_use(self, g: Given) -> float:
        q = self.parse(g)
        if q.unit and q.dims == units.unit_info("kWh")[0]:
            value = q.number * units.multiplier(q.unit, "kWh")  # energy alone: taken as per year
        else:
            value = self.convert(g, "kWh/year", "electricity use per home per year such as '10791 kWh/yr'", bare="kWh/year")
        return self.positive(g, value, "use per home")

    def mass_unit(self, g: Given) -> str:
        text = str(g.value).strip()
        try:
            units.multiplier(text, "lb")
        except (units.DimensionError, InputError):
            raise InputError(f"'{text}' is not a mass unit; try short_ton, metric_ton, tonne, lb or kg", where=g.where, usage=self.usage(g)) from None
        return mass_unit_name(text)


def mass_unit_name(text: str | None) -> str:
    """Return the name emiss writes for a mass unit: pint's 'ton' is spelled out as short_ton."""
    text = (text or "short_ton").strip()
    return "short_ton" if text in ("ton", "tons", "short_ton", "short_tons") else text


def _per_time(value: Any) -> bool:
    return isinstance(value, str) and "/" in value


def _pick(group: Given | None, fleet: Given | None) -> Given | None:
    if group is None:
        return fleet
    if fleet is None:
        return group
    return group if group.rank >= fleet.rank else fleet


def build(spec: Spec) -> Scenario:
    """Check every layered input of ``spec`` and return the validated Scenario."""
    return _Builder(spec).build()


def scenario_from(preset: str | None = None, overrides: dict[str, Any] | None = None) -> Scenario:
    """Load ``preset`` (name or path, optional), apply ``overrides`` and build the Scenario."""
    spec = load(preset) if preset else Spec()
    return build(apply_overrides(spec, overrides or {}))


_PLACEHOLDERS = {"count": 1, "capacity": "1 MW", "heat_rate": "10000 Btu/kWh"}  # stand-ins so checking can go on


def check(spec: Spec, *, limit: int = 100) -> list[str]:
    """Return every value problem of ``spec``: build, and after each error set the bad value aside and build again."""
    work = spec.copy()
    problems: list[str] = []
    for _ in range(limit):
        try:
            build(work)
            return problems
        except InputError as exc:
            problems.append(str(exc))
            if not _set_aside(work, exc.where):
                return problems
    return problems


def _set_aside(spec: Spec, where: str) -> bool:
    if not where:
        return False
    for g in spec.fleet:
        for key, given in list(g.fields.items()):
            if given.where == where:
                if key in _PLACEHOLDERS:
                    g.fields[key] = Given(_PLACEHOLDERS[key], "placeholder", "built-in", where="")
                else:
                    del g.fields[key]
                return True
        for pol, given in list(g.factors.items()):
            if given.where == where:
                del g.factors[pol]
                return True
    for table in (spec.settings, spec.factors):
        for key, given in list(table.items()):
            if given.where == where:
                del table[key]
                return True
    return False
