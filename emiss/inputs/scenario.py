"""Layered inputs (built-in < catalog < preset < command line < batch record) checked and turned into a Scenario.

The builder checks every value in one pass: a bad value is recorded as a problem and a stand-in lets
the rest be checked, so ``presets validate`` reports all problems at once and ``estimate`` the first.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Callable

from emiss import data
from emiss.inputs import fields
from emiss.core import units
from emiss.core.dist import make as make_dist
from emiss.core.dist import split_range
from emiss.errors import EmissError, InputError
from emiss.core.factors import BOUNDED, beyond_the_gas, more_than_the_gas_of, parse_factor
from emiss.inputs.controls import Controls, _higher
from emiss.inputs.fields import FIELDS, Field, builtin
from emiss.inputs.overrides import apply_overrides
from emiss.core.outputs import megawatts
from emiss.core.model import (FORM_UNITS, Assumption, Factor, Given, Group, GroupSpec, Path, Scenario, Spec, Startup,
                              Uncertain, factor_taken, hours_name, operation_basis)
from emiss.errors import printable
from emiss.inputs.permit_limits import one_of_a_kind, parse_limit
from emiss.inputs.presets import load, read
from emiss.inputs.published import check_implies, parse_claim
from emiss.inputs.presets import from_dict as spec_from_dict
from emiss.inputs.startup import read_startup

# How far a capacity given for a catalog model may be from the model's rating before it is said: a site rating differs
# from the ISO one by some percent (ambient, altitude, an uprate); a quarter off, the figure is likely of something
# else, such as the whole fleet's total given per unit. emiss's choice, not a published figure.
CATALOG_CAPACITY_SLACK = 0.25
# Group keys of a GroupSpec and the field each is checked by.
GROUP_FIELDS = {"count": FIELDS["turbines"], "capacity": FIELDS["capacity"], "heat_rate": FIELDS["heat_rate"]}
_STAND_IN = {"turbines": 1, "capacity": 1000.0, "heat_rate": 10000.0, "capacity_factor": 1.0, "hours": 8760.0,
             "household_use": 10791.0, "household_demand": 1.0, "hhv_lhv": 1.108}  # lets checking go on after a bad value


def off_rating(capacity_kw: Any, rating_kw: Any) -> Any:
    """Return whether a capacity per unit is a quarter or more from a catalog model's rating (CATALOG_CAPACITY_SLACK;
    no rating, 0, is never off): one value, or numpy arrays row by row (batch)."""
    return (rating_kw > 0) & (abs(capacity_kw / (rating_kw + (rating_kw == 0)) - 1) > CATALOG_CAPACITY_SLACK)


class _Builder(Controls):
    """Check every input of a Spec once, collecting problems, and assemble the Scenario."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.assumptions: list[Assumption] = []
        self.uncertain: list[Uncertain] = []
        self.warnings: list[str] = []
        self.value_warnings: list[str] = []  # of the warnings, those that follow from one input's value
        self.problems: list[InputError] = []
        self.factor_ends: dict[Path, tuple[Given, dict[float, str]]] = {}  # each factor given, by path: its Given, its ends

    # -- recording --
    def note(self, name: str, g: Given, value: Any, unit: str, note: str = "") -> None:
        self.assumptions.append(Assumption(name, value, unit, g.source, g.layer, g.status, note or g.note))

    def attempt(self, fn: Callable[[], Any], stand_in: Any) -> Any:
        """Return ``fn()``; on a bad value, record the problem and return ``stand_in`` so checking goes on."""
        try:
            return fn()
        except InputError as exc:
            self.problems.append(exc)
            return stand_in

    def setting(self, key: str, default: str | None = None) -> Given | None:
        g = self.spec.settings.get(key)
        if g is None and default is not None:
            return builtin(default)
        return g

    def choice(self, g: Given, allowed: tuple[str, ...]) -> str:
        return self.attempt(lambda: fields.choice(g, allowed), allowed[0])

    # -- values, plain or uncertain --
    def value(self, g: Given, field: Field, path: Path, name: str, *, parse: Callable[[Given], Any] | None = None) -> Any:
        """Check ``g`` with ``field``'s validator; a range or distribution is recorded as uncertain (central value returned)."""
        parse = parse or fields.reader_of(g.value, field.name, field.parse)  # a command-line value comes read already
        return self.attempt(lambda: self._value(g, field, parse, path, name), _STAND_IN.get(field.name, 1.0))

    def _value(self, g: Given, field: Field, parse: Callable[[Given], Any], path: Path, name: str) -> Any:
        spec = g.dist
        if spec is None:
            try:
                parts = split_range(g.value)
            except InputError as exc:
                raise InputError(exc.message, where=g.where, usage=g.usage) from None
            if parts:
                keys = ("low", "high") if len(parts) == 2 else ("low", "mode", "high")
                spec = ("uniform" if len(parts) == 2 else "triangular", dict(zip(keys, parts)))
        if spec is None:
            v = parse(g)
            self._plausible(g, field, v)
            return v
        if field.name in ONE_VALUE_ONLY:
            given = f"'{g.value}'" + ("" if g.dist is None else f" with {', '.join(k for k in spec[1] if k != 'value')}")  # a preset's table: its keys
            raise InputError(f"{printable(given)} is a range; {ONE_VALUE_ONLY[field.name]}", where=g.where, usage=g.usage)
        kind, raw = spec
        params = {}
        for k, v in raw.items():
            if k == "sd" and field.name == "heat_rate":
                # a spread, not a heat rate: 250 Btu/kWh is a fine sd of 9,695 though no heat rate (under 3,412.14 Btu/kWh
                # is over 100 % efficient); and an efficiency's spread ('2%') does not turn into one of heat rate
                expect = "a spread in Btu/kWh such as '250 Btu/kWh'"
                if units.parse(v, where=g.where).unit in ("", "percent"):  # Btu/kWh is a ratio: '2%' would pass as 68 Btu/kWh
                    raise InputError(f"sd '{v}' is not a heat rate's spread; expected {expect}", where=g.where, usage=g.usage)
                params[k] = units.convert(v, field.unit, where=g.where, expect=expect)
                continue
            params[k] = fields.ratio(replace(g, value=v)) if k == "gsd" else float(parse(replace(g, value=v)))
        if "low" in params and "high" in params:
            falling = _efficiencies(field, raw)  # the higher efficiency is the lower heat rate: the order turns over
            if params["low"] != params["high"] and (params["low"] > params["high"]) != falling:
                raise InputError(_reversed(g.value, raw), where=g.where, usage=g.usage)
            if falling:
                params["low"], params["high"] = params["high"], params["low"]
        integer = field.name == "turbines"
        d = make_dist(kind, params, where=g.where, integer=integer)
        if "value" in raw:
            central = params["value"]
            lo, hi = d.bounds() if kind in ("uniform", "triangular") else (central, central)
            if not lo <= central <= hi:
                raise InputError(f"value {raw['value']!r} lies outside its own range {raw.get('low')!r}..{raw.get('high')!r}",
                                 where=g.where, usage=g.usage)
        elif kind == "uniform":
            central = self._midpoint(g, raw, parse, d)
        else:
            central = d.central()
        if integer:
            central = int(round(central))
        self._plausible(g, field, central)
        self.uncertain.append(Uncertain(name, path, d, float(central), field.unit, g.source))
        return central

    def _midpoint(self, g: Given, raw: dict[str, Any], parse: Callable[[Given], Any], d: Any) -> float:
        """Return the midpoint of a LOW..HIGH range as written (35 % for '30%..40%'), in the canonical unit."""
        try:
            lo, hi = units.parse(raw["low"], where=g.where), units.parse(raw["high"], where=g.where)
        except InputError:
            return d.central()
        if lo.unit != hi.unit:
            return d.central()
        mid = (lo.number + hi.number) / 2
        return float(parse(replace(g, value=f"{mid!r} {lo.unit}".strip() if lo.unit else mid)))

    def _plausible(self, g: Given, field: Field, v: Any) -> None:
        if isinstance(v, (int, float)) and (text := fields.unusual(g.where, field, float(v))):
            self.warnings.append(text)
            self.value_warnings.append(text)

    def factor(self, pol: str, g: Given, path: Path, name: str) -> Factor | None:
        """Return the factor for ``g`` (a range of factors is recorded as uncertain; all ends must share a form)."""
        forms: set[str] = set()

        def read(gg: Given) -> tuple[str, float]:
            f = parse_factor(pol, gg.value, where=gg.where, source=gg.source, status=gg.status, layer=gg.layer, note=gg.note)
            return f.form, f.value

        read = fields.reader_of(g.value, fields.factor_key(pol), read)  # a command-line factor comes read already

        ends = self.factor_ends[path] = (g, {})  # each value read, with its text: a message names the end refused

        def one(gg: Given) -> float:
            form, value = read(gg)
            forms.add(form)
            if isinstance(gg.value, str):
                ends[1].setdefault(value, gg.value)
            return value

        def build() -> Factor:
            try:
                central = self._value(g, _FACTOR_FIELD, one, path, name)
            except InputError as exc:
                raise InputError(exc.message, where=g.where, usage=g.usage) from None
            if len(forms) > 1:
                raise InputError("the ends of a factor range must be of one kind (all per heat input, all per MWh, ...)",
                                 where=g.where, usage=g.usage)
            form = forms.pop()
            if self.uncertain and self.uncertain[-1].path == path:
                self.uncertain[-1] = replace(self.uncertain[-1], unit=FORM_UNITS[form])
            text = g.value if isinstance(g.value, str) else f"{central:g} {FORM_UNITS[form]}"
            return Factor(pol, form, central, str(text), g.source, g.status, g.layer, g.note)

        return self.attempt(build, None)

    # -- the scenario --
    def group(self, i: int, gs: GroupSpec, hhv_lhv: float, fleet_factors: dict[str, Factor]) -> Group:
        f = gs.fields
        for key in ("count", "capacity"):
            if key not in f:
                self.problems.append(InputError(f"{gs.where or 'fleet'}: no {key} given"))
        kind = self.choice(f.get("kind", Given("turbine", "", "built-in")), data.KINDS)
        label = gs.name
        count = self.value(f["count"], GROUP_FIELDS["count"], ("group", i, "count"), f"{label}: units") if "count" in f else 1
        cap_kw = (self.value(f["capacity"], GROUP_FIELDS["capacity"], ("group", i, "capacity_kw"), f"{label}: capacity per unit")
                  if "capacity" in f else 1000.0)
        hr_given = f.get("heat_rate") or self.spec.settings.get("heat_rate") or builtin("default_heat_rate")
        basis_given = f.get("heat_rate_basis") or self.spec.settings.get("heat_rate_basis") or Given(
            "lhv", "makers quote heat rate on an LHV basis at ISO conditions", "built-in", "convention")
        basis = self.choice(basis_given, fields.BASES)
        hr = self.value(hr_given, GROUP_FIELDS["heat_rate"], ("group", i, "heat_rate"), f"{label}: heat rate ({basis.upper()})")
        hr_hhv = hr * hhv_lhv if basis == "lhv" else hr
        engine_type = ""
        if kind == "engine":
            et_given = _higher(f.get("engine_type"), self.spec.settings.get("engine_type")) or builtin("default_engine_type")
            engine_type = self.choice(et_given, fields.ENGINE_TYPES)
            self.note(f"{label}: engine type (AP-42 s.3.2)", et_given, engine_type, "")
        elif "engine_type" in f:
            self.problems.append(InputError(f"engine_type is for engine groups; '{label}' is a {kind}", where=f["engine_type"].where))
        own_ctrl, own_comb = self._legacy(label, kind, f.get("control"), f.get("combustor"))
        combustor, comb_given = self.combustor(label, kind, own_comb, f.get("catalog_combustor"))
        control, ctrl_given = self.control(label, kind, engine_type, own_ctrl)
        factors = {pol: fac for pol, g in gs.factors.items()
                   if (fac := self.factor(pol, g, fields.factor_path(i, pol), f"{label}: factor {pol}")) is not None}
        combustor_set: tuple[str, ...] = ()
        if kind == "turbine" and comb_given.layer != "built-in":
            combustor_set = self._combustor_sets_factors(factors, fleet_factors, combustor, comb_given, f.get("catalog_combustor"))
        levels = self._control_levels(label, f, control)
        self._control_needs(label, kind, engine_type, control, factors, fleet_factors, ctrl_given, levels)
        model = f["model"].value if "model" in f else ""
        rating_kw = 0.0
        if "catalog_capacity" in f:
            rating = f["catalog_capacity"]
            if f["capacity"] is rating:  # the model's own capacity, already read as cap_kw
                rating_kw = cap_kw
            else:
                rating_kw = units.convert(rating.value, "kW", where=rating.where, expect="a power")
            if f["capacity"].layer != "catalog" and not self.problems:
                self.catalog_capacity(label, count, cap_kw, rating_kw, f["capacity"], f.get("count"), rating.where)
        if "count" in f:
            self.note(f"{label}: units", f["count"], count, "")
        if "capacity" in f:
            self.note(f"{label}: capacity per unit", f["capacity"], megawatts(cap_kw), "MW")
        self.note(f"{label}: heat rate ({basis.upper()})", hr_given, round(hr, 1), "Btu/kWh")
        if kind == "turbine":
            self.note(f"{label}: combustor", comb_given, combustor, "")
        self.note(f"{label}: control", ctrl_given, control, "")
        startup = self.attempt(lambda: self.startup(label, f["startup_shutdown"]), None) if "startup_shutdown" in f else None
        output, hr_factor, band = self.performance(label, kind, f.get("performance"))
        outside = self.premix(label, f.get("premix")) if combustor == "dry-low-nox" else ""
        named = data.curves().get(str(f["performance"].value)) if "performance" in f else None
        curve = named.id if named is not None and named.temperature_c else ""  # a curve against ambient temperature
        return Group(label, kind, count, cap_kw, hr_hhv * hr_factor, control, str(model), factors, hr, basis, engine_type, startup,
                     output, hr_factor, band, combustor, ctrl_given.rank if control != "none" else 0, levels, outside,
                     combustor_set, self.unit_ids(label, f.get("unit_ids"), count), self.stack(f.get("stack")), curve, rating_kw)

    def unit_ids(self, label: str, g: Given | None, count: float) -> tuple[str, ...]:
        """Return a group's emission-unit ids, one per unit: as listed (as many as the count), or a prefix numbered 1..count."""
        if g is None:
            return ()
        if float(count) != int(count):
            self.problems.append(InputError(f"unit_ids need a whole number of units; '{label}' has {count:g}", where=g.where))
            return ()
        n = int(count)
        if isinstance(g.value, str):
            return tuple(f"{g.value}{k}" for k in range(1, n + 1))
        if len(g.value) != n:
            self.problems.append(InputError(f"{len(g.value)} unit_ids for {n} units of '{label}': give one id per unit, "
                                            f"or a prefix such as \"CT-\"", where=g.where))
            return ()
        return tuple(g.value)

    @staticmethod
    def stack(g: Given | None) -> dict[str, Any] | None:
        """Return a group's stack parameters (read by presets.stack_quantity) with their source and status."""
        if g is None:
            return None
        return {"values": {k: {"value": v, "unit": u, "as_given": t} for k, (v, u, t) in g.value.items()},
                "source": g.source, "status": g.status, "note": g.note}

    def performance(self, label: str, kind: str, curve_g: Given | None) -> tuple[float, float, str]:
        """Return (output fraction, heat-rate factor, engine load band) for the site's ambient temperature and load."""
        ambient, load = self.site
        if ambient is None and load is None:
            return 1.0, 1.0, "full"
        curve = data.curves().get(str(curve_g.value)) if curve_g is not None else None
        if curve_g is not None and curve is None:
            self.problems.append(InputError(f"unknown performance curve '{curve_g.value}'; known: {', '.join(data.curves())}",
                                            where=curve_g.where))
        output, hr = 1.0, 1.0
        if ambient is not None:
            if curve is not None and curve.temperature_c:
                o = data.interpolate(curve.temperature_c, curve.output, ambient)
                h = data.interpolate(curve.temperature_c, curve.heat_rate, ambient)
                if o is None or h is None:
                    g = self.spec.settings["ambient"]
                    self.problems.append(InputError(
                        f"{ambient:g} degC is outside the maker's curve of '{label}' ({curve.temperature_c[0]:g} to "
                        f"{curve.temperature_c[-1]:g} degC, {curve.name}): emiss does not extrapolate it", where=g.where, usage=g.usage))
                else:
                    output, hr = o / 100, h / 100
                    self.assumptions.append(Assumption(f"{label}: at {ambient:g} degC", f"output {o:.1f} %, heat rate {h:.1f} %",
                                                       "of ISO", curve.source, "built-in", curve.status))
            else:
                self.warnings.append(f"{label}: no ambient-temperature curve is shipped for this unit; it runs at ISO (15 degC) "
                                     "output and heat rate")
        band = "full"
        if load is not None and load < 1:
            part = data.part_load_curve(curve, kind)
            pl = data.interpolate(part.load, part.part_load, load * 100) if part is not None else None
            if pl is not None:
                hr *= pl / 100
                self.assumptions.append(Assumption(f"{label}: at {load:.0%} load", f"heat rate {pl:.1f} % of full load", "",
                                                   part.source, "built-in", part.status))
            elif part is not None:
                g = self.spec.settings["load"]
                self.problems.append(InputError(
                    f"{load:.0%} load is outside the part-load curve of '{label}' ({part.load[0]:g} to {part.load[-1]:g} % load, "
                    f"{part.name}): emiss does not extrapolate it", where=g.where, usage=g.usage))
            else:
                self.warnings.append(f"{label}: no part-load heat-rate curve is shipped for engines; heat rate at full load")
            band = "part" if kind == "engine" and load < 0.9 else "full"  # AP-42 s.3.2 load bands
            output *= load
        return output, hr, band

    def premix(self, label: str, given: Given | None) -> str:
        """Return why a dry-low-NOx combustor's guaranteed levels do not hold at the site's load and ambient ("" if they do)."""
        ambient, load = self.site
        if ambient is None and load is None:
            return ""
        r = given.value if given is not None else data.load("performance.toml")["premix"]["dry-low-nox"]
        lo, hi = r["load"]
        why = []
        if load is not None and not lo <= load * 100 <= hi:
            why.append(f"{load:.0%} load is outside its premix range ({lo:g}-{hi:g} % load)")
        if ambient is not None and ambient < r["ambient_c_min"]:
            why.append(f"{ambient:g} degC is below its premix range (from {r['ambient_c_min']:g} degC)")
        self.assumptions.append(Assumption(f"{label}: dry-low-NOx premix range", f"{lo:g}-{hi:g} % load, from {r['ambient_c_min']:g} degC",
                                           "", r["source"], given.layer if given is not None else "built-in", r["status"],
                                           "where the combustor's NOx and CO levels hold"))
        if not why:
            return ""
        reason = " and ".join(why)
        self.warnings.append(f"{label}: the dry-low-NOx guarantee does not hold: {reason}; no level outside that range is "
                             "shipped, so NOx and CO totals that use its catalog or AP-42 levels are 'at least'")
        return reason

    def startup(self, label: str, g: Given) -> Startup:
        """Read a group's startups and shutdowns (startup.read_startup) and say how they count."""
        s = read_startup(g)
        events, hours, per_event = s.events, s.hours, s.lb_per_event
        self.note(f"{label}: startups and shutdowns ({'per unit' if s.per == 'unit' else 'for the whole group'})", g,
                  f"{events:g} events, {hours:g} h", "per year",
                  "event hours replace normal hours for the pollutants they give" if per_event
                  else "no per-event emissions given: their effect is not counted")
        if not per_event:
            self.warnings.append(f"{g.where}: {events:g} startups and shutdowns a year are given without emissions per event, "
                                 "so they add nothing to the totals")
        return s

    def catalog_capacity(self, label: str, count: int, cap_kw: float, rating_kw: float, given: Given, count_given: Given | None,
                         rated: str) -> None:
        """Warn when a capacity given for a catalog model is far from the model's own: 64 MW for four SMT-130s is the
        fleet's total, but capacity is per unit (4 x 64 MW = 256 MW of 'SMT-130s' rated 16.5 MW each). The warning
        follows from a batch record's values when the record gives the capacity or the count (batch builds such a
        row alone: columnar.Engine), else it is the same for every row."""
        if not off_rating(cap_kw, rating_kw):
            return
        mw, cat_mw = megawatts(cap_kw), megawatts(rating_kw)
        self.warnings.append(f"{given.where or label}: {mw:,.6g} MW per unit is {cap_kw / rating_kw:.3g} times the rating of "
                             f"{rated.removeprefix('catalog ')} ({cat_mw:,.6g} MW); capacity is per unit, so "
                             f"'{label}' is {count} x {mw:,.6g} MW = {count * mw:,.6g} MW")
        if "record" in (given.layer, count_given.layer if count_given else ""):
            self.value_warnings.append(self.warnings[-1])

    def whole_gas(self, groups: tuple[Group, ...], fleet: dict[str, Factor]) -> None:
        """Refuse a factor per MWh or per hour more than the whole gas for the units that take it (factors.beyond_the_gas):
        '1e6 lb/h' of NOx for a 16 MW turbine, 78.8 million short tons a year. A fleet-wide factor is judged against
        each group and said once, at the least most (the group that bounds it); a range at its high end."""
        least: dict[Path, tuple[int, str, float]] = {}
        for i, pol, path, most, _ in beyond_the_gas(groups, fleet, self.uncertain):
            if path in self.factor_ends and (path not in least or most < least[path][2]):
                least[path] = (i, pol, most)
        for path, (i, pol, most) in least.items():
            g, ends = self.factor_ends[path]
            f = fleet[pol] if path[1] == "fleet" else groups[i].factors[pol]
            top = max([f.value, *(u.dist.b for u in self.uncertain if u.path == path and u.dist.kind in BOUNDED)])
            text = ends.get(top, str(g.value))
            self.problems.append(InputError(more_than_the_gas_of(pol, text, f.form, groups[i], most), where=g.where,
                                            usage=g.usage))

    def warn_annual_rates(self, groups: tuple[Group, ...], fleet: dict[str, Factor]) -> None:
        """Say it when a factor is a mass per year (or month) and more than one unit takes it: a factor per time is each
        unit's rate while it runs, multiplied by the units and the hours, so '130 tpy' for 18 units is 2,340 tpy, not
        the fleet's 130 (a total is easily taken for a factor)."""
        given = {(pol, f.text): f for g in groups for pol, f in g.factors.items() if f.form == "time" and f.layer != "built-in"}
        given.update({(pol, f.text): f for pol, f in fleet.items() if f.form == "time"})
        for (pol, text), f in given.items():
            units_taking = sum(int(g.count) for g in groups if factor_taken(g.factors.get(pol), fleet.get(pol)) is f)
            if units_taking > 1 and per_year(text):
                self.warnings.append(f"factor {pol}: '{text}' is read as each unit's rate while it runs ({f.value:,.4g} lb/h "
                                     f"per unit), multiplied by {units_taking} units and the hours: not a total for the "
                                     f"fleet; for a fleet total, divide it by the units")
                self.value_warnings.append(self.warnings[-1])

    def bases(self, groups: tuple[Group, ...], fleet: dict[str, Factor]) -> tuple[tuple[Group, ...], str, str]:
        """Apply --basis measured (turbine NOx from the measured class, P10..P90 as its range) and --co2-basis part75
        to every group whose factor is the library's; a factor given by the user or a preset wins on every basis."""
        from emiss.core import bases

        nox_g = self.setting("basis") or Given("ap42", "emiss default: AP-42 s.3.1 factors", "built-in", "convention")
        nox_basis = self.choice(nox_g, bases.NOX_BASES)
        if nox_g.layer != "built-in":  # the defaults are said where the factors are
            self.note("NOx basis (ap42 or measured)", nox_g, nox_basis, "")
        co2_g = self.setting("co2_basis") or Given("part98", "emiss default: 40 CFR 98 Table C-1", "built-in", "convention")
        co2_basis = self.choice(co2_g, bases.CO2_BASES)
        if co2_g.layer != "built-in":
            self.note("CO2 basis (part98 or part75)", co2_g, co2_basis, "")
        out = []
        for i, g in enumerate(groups):
            factors = dict(g.factors)
            for pol, wanted, make in (("nox", nox_basis == "measured", bases.measured_nox),
                                      ("co2", co2_basis == "part75", lambda _g: bases.part75_co2())):
                if not wanted:
                    continue
                given = factor_taken(factors.get(pol), fleet.get(pol))
                if given is None and pol in g.control_levels:
                    given = g.control_levels[pol]
                if not bases.from_library(g, given):
                    # a record's text is left out: a batch shape's rows share their template's warnings, each with its own value
                    text = f" ({given.text})" if given.layer != "record" else ""
                    self.warnings.append(f"{g.name}: the {pol.upper()} factor given{text} wins on every basis; "
                                         f"--{'basis' if pol == 'nox' else 'co2-basis'} does not change it")
                    continue
                made = make(g)
                if made is None:
                    self.warnings.append(f"{g.name}: no measured {pol.upper()} class for a {g.kind} with control "
                                         f"'{g.control}'; the library factor is kept")
                    continue
                f, row = made
                factors[pol] = f
                if row.p10 < row.p90:
                    d = make_dist("triangular", {"low": row.p10, "mode": row.p50, "high": row.p90}, where=f"{g.name} {pol}")
                    self.uncertain.append(Uncertain(f"{g.name}: factor {pol} (measured P10..P50..P90)", fields.factor_path(i, pol),
                                                    d, row.p50, "lb/MMBtu", f.source))
            out.append(replace(g, factors=factors))
        return tuple(out), nox_basis, co2_basis

    def shared_heat_rate(self, groups: tuple[Group, ...]) -> None:
        """Check one heat rate given for the whole fleet (--heat-rate, a record's heat_rate) that replaced the heat rate
        of several groups: said as a warning (a preset's groups are usually different models, each with its own), and
        refused when those groups are turbines and engines: their heat rates come from different makers' data, so one
        value for both is taken for a slip, as --capacity on several groups is."""
        shared = self.spec.settings.get("heat_rate")
        held = [g for gs, g in zip(self.spec.fleet, groups) if shared is not None and gs.fields.get("heat_rate") is shared]
        if len(held) < 2:
            return
        kinds: dict[str, list[str]] = {}
        for g in held:
            kinds.setdefault(g.kind, []).append(g.name)
        if len(kinds) > 1:
            of = "; ".join(f"{kind}s: {', '.join(names)}" for kind, names in kinds.items())
            self.problems.append(InputError(
                f"one heat rate for groups of different kinds ({of}) is refused; give each group its own: "
                "group.<name>.heat_rate in a batch record, or heat_rate in each [[fleet]] group of the preset",
                where=shared.where, usage=shared.usage))
            return
        # (the value is not in the text: a batch shape's rows share its template's warnings, each with its own value)
        self.warnings.append(f"{shared.where}: one value replaced the heat rate of every group ({len(held)}: "
                             f"{', '.join(g.name for g in held)}); to set one group's, give group.<name>.heat_rate in a "
                             "batch record or heat_rate in the preset's [[fleet]] group")

    def shared_basis(self, groups: tuple[Group, ...]) -> None:
        """Say when one heat-rate basis given for the whole fleet (--heat-rate-basis, a record's heat_rate_basis) changed
        the basis of groups of a fleet of several that had their own: their heat rates, written on their own basis (a
        maker's LHV figure), are read on the new one. Given with the heat rate itself, the basis is that value's and is
        not said (--heat-rate says it replaced every group's). No value is in the text: a batch shape's rows share it."""
        shared = self.spec.settings.get("heat_rate_basis")
        if shared is None or len(groups) < 2:
            return
        changed = []
        for gs, g in zip(self.spec.fleet, groups):
            own, rate = gs.replaced.get("heat_rate_basis"), gs.fields.get("heat_rate") or self.spec.settings.get("heat_rate")
            if (own is not None and gs.fields.get("heat_rate_basis") is shared and str(own.value).strip().lower() != g.basis
                    and (rate is None or rate.rank < shared.rank)):
                changed.append(f"{g.name}: {str(own.value).strip().upper()}")
        if changed:
            self.warnings.append(f"{shared.where}: one value replaced the heat-rate basis of every group, changing that of "
                                 f"{len(changed)} which had their own ({', '.join(changed)}); their heat rates are now read on "
                                 "the basis given; to set one group's, give group.<name>.heat_rate_basis in a batch record or "
                                 "heat_rate_basis in the preset's [[fleet]] group")

    def build(self) -> Scenario:
        spec = self.spec
        if not spec.fleet:
            if spec.path:
                raise InputError("has no [[fleet]] group: add one with count, capacity and heat_rate",
                                 where=printable(spec.path.rsplit("/", 1)[-1]))
            raise InputError("no fleet: give --preset NAME, or --turbines N with --capacity QTY", where="estimate", usage=True)
        self.site = (self.value(spec.settings["ambient"], FIELDS["ambient"], ("ambient",), "ambient temperature")
                     if "ambient" in spec.settings else None,
                     self.value(spec.settings["load"], FIELDS["load"], ("load",), "unit load") if "load" in spec.settings else None)
        for key, name in (("ambient", "ambient temperature"), ("load", "unit load (of available output)")):
            if key in spec.settings:
                self.note(name, spec.settings[key], self.site[0 if key == "ambient" else 1], "degC" if key == "ambient" else "")
        hhv_g = self.setting("hhv_lhv", "hhv_lhv_ratio")
        hhv_lhv = self.value(hhv_g, FIELDS["hhv_lhv"], ("hhv_lhv",), "HHV/LHV ratio")
        self.note("HHV/LHV ratio of the fuel", hhv_g, hhv_lhv, "")
        self.fleet_choices()
        fleet_factors = {pol: fac for pol, g in spec.factors.items()
                         if (fac := self.factor(pol, g, fields.factor_path("fleet", pol), f"factor {pol} (all units)")) is not None}
        groups = tuple(self.group(i, gs, hhv_lhv, fleet_factors) for i, gs in enumerate(spec.fleet))
        if not self.problems:  # a stand-in for a bad capacity or heat rate would give a bound of its own
            self.whole_gas(groups, fleet_factors)
        self.shared_heat_rate(groups)
        self.shared_basis(groups)
        self.fleet_control_report()
        groups, nox_basis, co2_basis = self.bases(groups, fleet_factors)
        hours, cf, basis = self.operation()
        self.warn_annual_rates(groups, fleet_factors)
        fuel = builtin("fuel_hhv")
        fuel_hhv = units.convert(fuel.value, "MMBtu/scf", where=fuel.where, expect="a heat content")
        self.note("fuel heat content (HHV)", fuel, fuel_hhv, "MMBtu/scf")
        use_g = self.setting("household_use", "household_use")
        use = self.value(use_g, FIELDS["household_use"], ("household_use_kwh",), "households: use per home")
        dem_g = self.setting("household_demand", "household_demand")
        demand = self.value(dem_g, FIELDS["household_demand"], ("household_demand_kw",), "households: demand per home")
        method_g = self.setting("households_method") or Given("energy", "emiss default: generation / annual use per home", "built-in", "convention")
        method = self.choice(method_g, fields.METHODS)
        self.note("households: headline method", method_g, method, "")
        self.note("households: annual electricity use per home", use_g, use, "kWh/year")
        self.note("households: demand per home (capacity view)", dem_g, demand, "kW")
        leak, leak_source = 0.0, ""
        leak_g = self.setting("upstream_leak")
        if leak_g is not None:
            leak = self.attempt(lambda: fields.upstream_leak(leak_g), 0.0)
            named = data.load("constants.toml").get("upstream_leak", {}).get(str(leak_g.value).strip().lower())
            leak_source = named["source"] if named else leak_g.source
            if leak:  # 0 asks for no upstream methane; a rate outside what basins are measured to leak is warned of
                self._plausible(leak_g, FIELDS["upstream_leak"], leak)
            self.note("upstream methane leak (share of the gas produced)", leak_g, leak, "", leak_source if named else "")
        home_co2 = data.constant("home_energy_co2")  # metric tonnes CO2 per home per year (EPA GHG Equivalencies)
        home_co2_lb = float(home_co2.value) * units.multiplier("metric_ton", "lb")
        if method == "co2":
            self.note("households: CO2 per home (co2 view)", builtin("home_energy_co2"), float(home_co2.value), "t/year")
        gwp_g = self.setting("gwp", "default_gwp")
        sets = data.gwp_sets()
        gwp_name = str(gwp_g.value).strip().upper()
        if gwp_name not in sets:
            self.problems.append(InputError(f"'{gwp_g.value}' is not a GWP set; known: {', '.join(sets)}", where=gwp_g.where, usage=gwp_g.usage))
            gwp_name = "AR5"
        gwp = sets[gwp_name]
        self.assumptions.append(Assumption(f"GWP-{gwp['horizon']} set", f"{gwp_name}: CH4 {gwp['ch4']}, N2O {gwp['n2o']}", "",
                                           gwp["source"], gwp_g.layer, gwp["status"]))
        area_g = self.setting("area") or Given("attainment", "emiss default: attainment or unclassifiable (give --area)", "built-in", "convention")
        area = self.choice(area_g, tuple(data.areas()))
        self.note("area (ozone status) for the screening", area_g, area, "")
        psd_g = self.setting("psd_category")
        psd_category = str(psd_g.value).strip() if psd_g is not None else ""
        if psd_g is not None:
            self.note("PSD listed source category (100 tpy)", psd_g, psd_category, "")
        basis_g = self.setting("methane_basis", "default_methane_basis")
        methane_basis = self.choice(basis_g, fields.METHANE_BASES)
        self.note("methane basis of ch4 and co2e", basis_g, methane_basis, "")
        mass_g = self.setting("mass_unit") or Given("short_ton", "emiss default: US short tons (2,000 lb)", "built-in", "convention")
        mass_unit = self.attempt(lambda: check_mass_unit(mass_g), "short_ton")
        for key in ("method19_fd", "molar_volume", "method19_o2_air"):
            c = data.constant(key)
            self.assumptions.append(Assumption(f"Method 19: {key.replace('method19_', '')}", c.value, c.unit, c.source, "built-in", c.status))
        limits = tuple(x for raw in spec.limits if (x := self.attempt(lambda raw=raw: _preset_limit(raw, spec.path), None)) is not None)
        claims = tuple(c for i, raw in enumerate(spec.claims)
                       if (c := self.attempt(lambda raw=raw: parse_claim(raw, where=raw.get("where", f"claims[{i}]")), None)) is not None)
        if not self.problems:  # every claim was read: each is its raw entry's
            for c, raw in zip(claims, spec.claims):
                self.attempt(lambda c=c, raw=raw: check_implies(c, self.uncertain, where=raw.get("where", "claims")), None)
        if self.problems:
            raise self.problems[0]
        one_of_a_kind(limits, [raw["where"] for raw in spec.limits], usage=False)
        return Scenario(
            name=spec.name, title=spec.title, groups=groups, hours=hours, capacity_factor=cf, operation_basis=basis,
            fleet_factors=fleet_factors, fuel_hhv=fuel_hhv, household_use_kwh=use, household_demand_kw=demand,
            households_method=method, gwp_set=gwp_name, gwp_ch4=float(gwp["ch4"]), gwp_n2o=float(gwp["n2o"]),
            mass_unit=mass_unit, assumptions=tuple(self.assumptions), notes=tuple(spec.notes), description=spec.description,
            hhv_lhv=hhv_lhv, year_hours=self.year, uncertain=tuple(self.uncertain), egrid_subregion=spec.egrid_subregion,
            warnings=tuple(self.warnings), value_warnings=tuple(self.value_warnings), methane_basis=methane_basis, gwp_horizon=int(gwp["horizon"]),
            date=spec.date, claims=claims, area=area, limits=limits, site=tuple(sorted(spec.site.items())),
            nox_basis=nox_basis, co2_basis=co2_basis, household_co2_lb=home_co2_lb,
            upstream_leak=leak, upstream_leak_source=leak_source,
            psd_category=psd_category, load=self.site[1],
        )

    def operation(self) -> tuple[float, float, str]:
        load = self.site[1]  # --load, checked (None: full load)
        year_g = builtin("hours_per_year")
        year = self.year = units.convert(year_g.value, "hour", where=year_g.where, expect="hours")
        cf_g, hours_g = self.spec.settings.get("capacity_factor"), self.spec.settings.get("hours")
        if cf_g is not None:
            cf = self.value(cf_g, FIELDS["capacity_factor"], ("capacity_factor",), "capacity factor")
            self.note("capacity factor", cf_g, cf, "", f"applied as {cf * year:,.0f} equivalent full-load hours of {year:,.0f}")
            return cf * year, cf, operation_basis(cf * year, year, cf, load=load)
        if hours_g is not None:
            h = self.value(hours_g, FIELDS["hours"], ("hours",), "operating hours per year")
            self.note(hours_name(load), hours_g, h, "h/year")
            return h, h / year, operation_basis(h, year, load=load)
        self.note("operating hours per year", year_g, year, "h/year", "full-year potential to emit: every unit at full load all year"
                  if load is None or load >= 1 else f"the whole year, every unit at {load:.0%} load")
        return year, 1.0, operation_basis(year, year, load=load)


# Unit names that are a mass per year without a '/year' in them (units.py defines them); see warn_annual_rates.
ANNUAL_MASS_RATES = ("tpy",)


# Inputs read once, at one value, when the scenario is built (a maker's curve, the operating envelope, a premix range):
# a range of them was kept as uncertain but never drawn, so Monte Carlo gave P5 = P50 = P95 and sensitivity no swing
# (--load 40%..90%), or a traceback (--ambient 0C..40C: the scenario has no such field to vary).
ONE_VALUE_ONLY = {
    "load": "the load is read at one value (the part-load curve, the operating envelope, a premix range): give one, e.g. "
            "'65%', or set loads side by side with emiss compare PRESET --load 40% --load 90%",
    "ambient": "the ambient temperature is read at one value (the maker's curve, the operating envelope): give one, e.g. "
               "'35C', or set temperatures side by side with emiss compare PRESET --ambient 0C --ambient 35C",
}


def _preset_limit(raw: dict[str, Any], path: str) -> Any:
    """Read one of a preset's [[limits]]: a bad one is the preset's data (exit 1, as any other bad preset value), not a
    bad option (parse_limit's usage error, which --limit's refusals are)."""
    try:
        return parse_limit(str(raw.get("pollutant", "")).lower(), raw.get("value", ""), where=raw["where"],
                           source=str(raw.get("source", path)), status=str(raw.get("status", "reported")),
                           per=str(raw.get("per", "")))
    except InputError as exc:
        raise InputError(exc.message, where=exc.where, usage=False) from None


def per_year(text: str) -> bool:
    """Return whether a factor's text is a mass per year or month ('130 tpy', '50 t/yr'): read as each unit's rate
    while it runs, which a fleet's total is easily taken for (Builder.warn_annual_rates says so)."""
    try:
        p = units.parse(text, where="factor")
    except InputError:
        return False
    return p.unit in ANNUAL_MASS_RATES or bool(set(p.denominators) & {"year", "month"})


# A factor is checked by factors.parse_factor; this stands in for its field in the builder.
_FACTOR_FIELD = Field("factor", "--factor", "factors", "scenario", "factor", "", None, "", "emission factor", "")


def check_mass_unit(g: Given) -> str:
    """Return the name emiss writes for mass unit ``g`` (pint's 'ton' is spelled out as short_ton)."""
    text = str(g.value).strip()
    try:
        units.parse(f"1 {text}", where=g.where)
        units.multiplier(text, "lb")
    except (units.DimensionError, InputError):
        raise InputError(f"'{text}' is not a mass unit; try short_ton, metric_ton, tonne, lb or kg", where=g.where, usage=g.usage) from None
    return mass_unit_name(text)


def mass_unit_name(text: str | None) -> str:
    """Return the name emiss writes for a mass unit: pint's 'ton' is spelled out as short_ton."""
    text = (text or "short_ton").strip()
    return "short_ton" if text in ("ton", "tons", "short_ton", "short_tons") else text


def build(spec: Spec) -> Scenario:
    """Check every layered input of ``spec`` and return the validated Scenario (raises the first problem)."""
    return _Builder(spec).build()


def _efficiencies(field: Field, raw: dict[str, Any]) -> bool:
    """Return whether the ends of a heat-rate range are efficiencies ('30%..40%', '0.30..0.40'), whose heat rates fall
    as they rise: the field's own rule (fields.unit_rule) says which units it reads as an efficiency."""
    if field.name != "heat_rate":
        return False
    try:
        rules = [fields.unit_rule(field.name, units.parse(raw[k], where="").unit)[0] for k in ("low", "high")]
    except InputError:
        return False
    return all(r in (fields.EFFICIENCY, fields.EFFICIENCY_PERCENT) for r in rules)


def _reversed(value: Any, raw: dict[str, Any]) -> str:
    """Return the message for a range written high to low ('2..1 lb/MMBtu'): refused, as a claim's is, not swapped."""
    shape = "LOW..MODE..HIGH" if "mode" in raw else "LOW..HIGH"
    what = f"'{value}' runs" if isinstance(value, str) else "the range runs"
    return f"{what} from high to low ({raw['low']} above {raw['high']}); write {shape}, the lower end first"


def scenario_from(preset: str | None = None, overrides: dict[str, Any] | None = None) -> Scenario:
    """Load ``preset`` (name or path, optional), apply ``overrides`` and build the Scenario."""
    spec = load(preset) if preset is not None else Spec()
    return build(apply_overrides(spec, overrides or {}))


def check(spec: Spec) -> list[str]:
    """Return every value problem of ``spec`` (empty when it builds), found in one pass."""
    b = _Builder(spec)
    try:
        b.build()
    except InputError as exc:
        if exc not in b.problems:
            b.problems.append(exc)
    return [str(p) for p in b.problems]


def validate_preset(name_or_path: str) -> list[str]:
    """Return every problem of a preset file, structural and of its values (empty when it is fine)."""
    try:
        path, raw = read(name_or_path)
    except EmissError as exc:  # the file names itself in the message: 'validate' has no --preset option to name
        return [exc.message if exc.where == "--preset" else str(exc)]
    problems: list[str] = []
    spec = spec_from_dict(raw, label=printable(path.name), path=str(path), problems=problems)
    problems += check(spec)
    return problems or _variant_problems(spec)  # a variant is the preset with its 'set' on top: judged once it builds


def _variant_problems(spec: Spec) -> list[str]:
    """Return the problem of each [[variants]] entry and each claim's 'given' that does not build ('emiss check'
    builds each; validate passed a variant setting a capacity factor of 150 % or an unknown key, and check then
    failed)."""
    out = []
    for overrides, where in preset_sets(spec):
        try:
            build_with(spec, overrides, where=where)
        except EmissError as exc:
            out.append(str(exc))
    return out


def preset_sets(spec: Spec) -> list[tuple[dict[str, Any], str]]:
    """Return the overrides a preset sets on itself, each with where it is written: every [[variants]] entry's 'set'
    and every claim's 'given' (its condition)."""
    sets = [({str(k): val for k, val in v["set"].items()}, f"{v['where']}.set") for v in spec.variants]
    for i, c in enumerate(spec.claims):
        given = c.get("given")
        if isinstance(given, dict) and given:  # not a table: the claim itself is refused when it is read
            sets.append(({str(k): val for k, val in given.items()}, f"{c.get('where', f'claims[{i}]')}.given"))
    return sets


def build_with(spec: Spec, overrides: dict[str, Any], *, where: str) -> Scenario:
    """Build ``spec`` with overrides the preset itself sets (a variant's 'set', a claim's 'given'), each named by its
    key under ``where``. A bad one is the preset's data (exit 1), as every other bad preset value: not a usage error,
    and named by its file and key ('site.toml: claims[0].given.hours'), not 'claim given hours'."""
    try:
        return build(apply_overrides(spec, overrides, layer="record", where=lambda k: f"{where}.{k}"))
    except InputError as exc:
        if exc.usage:
            raise InputError(exc.message, where=exc.where) from None
        raise
