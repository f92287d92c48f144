"""Emission factors in any form a source uses, normalised to one of four canonical forms."""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any, Iterable, Mapping

from emiss import data
from emiss.core import units
from emiss.errors import InputError
from emiss.core.model import FORM_UNITS, Factor, Group, Num, Path, Uncertain, factor_taken
from emiss.core.outputs import btu, kilowatts, megawatts, mmbtu

FORMS_HELP = (
    "mass per heat input (e.g. '0.099 lb/MMBtu', '42 g/GJ'), mass per energy output ('0.3 lb/MWh', "
    "'0.5 g/kWh', '0.5 g/bhp-hr'), mass per hour per unit ('2.1 lb/h'), mass per fuel volume ('100 lb/MMscf'), "
    "or for nox, co, voc and hcho a concentration ('2 ppmvd@15%O2', '500 mg/Nm3@5%O2')"
)
_OUTPUT_DENOMINATORS = ("watt_hour", "watt", "horsepower")
# The most a dry concentration can be: a million parts per million, the pollutant alone, the whole gas. It holds at
# any oxygen reference too: a gas of pollutant share x and air (20.9 % O2) for the rest has 20.9 (1 - x) % O2, and
# corrected to 0 % O2 (the highest any reference gives) it is x * 20.9 / (20.9 - 20.9 (1 - x)) = 1, the whole gas.
# A mass concentration is read as ppm first (x molar volume / MW), so its most is the pollutant's own density at
# 0 degC and 1 atm, MW / 22.414 L/mol: NO2 (46.01) 2.05 kg/Nm3 = 2,052,735 mg/Nm3, CO (28.01) 1,249,665 mg/Nm3.
WHOLE_GAS_PPM = 1e6
# The O2 reference at which a rate per heat input is held to the whole gas: 15 %, the reference of a gas turbine's
# concentrations (40 CFR 60 Subpart KKKK) and the one solve states its answers at; at it 1,000,000 ppmvd is read
# (test_the_whole_gas_itself_is_still_read), so a rate the same concentration gives is no more impossible.
WHOLE_GAS_O2_PERCENT = 15.0


def _form_of(q: units.Parsed) -> str | None:
    dims = q.dims
    if dims == {"[length]": -2, "[time]": 2}:  # mass / energy: the mass dimensions cancel
        return "output" if any(n.endswith(_OUTPUT_DENOMINATORS) for n in q.denominators) else "input"
    if dims == {"[mass]": 1, "[time]": -1}:
        return "time"
    if dims == {"[mass]": 1, "[length]": -3}:
        return "fuel"
    return None


def concentration_values(pollutant: str, ppm: Any, o2_percent: Any) -> tuple[Any, Any]:
    """Convert dry concentrations of ``pollutant`` (ppm at an O2 reference: floats, or numpy arrays) to lb/MMBtu
    (HHV) by EPA Method 19; return the values and whether each is good (an O2 reference in [0, 20.9), a finite
    value of zero or more, at most the whole gas). concentration_to_input reads one value with it, the column readers
    a column (a value that is not good is left to concentration_to_input, which says why)."""
    mw_key = data.concentration_mw_key(pollutant)
    air = data.constant("method19_o2_air").value
    args = {"mw_lb_per_lbmol": data.constant(mw_key).value, "fd_dscf_per_mmbtu": data.constant("method19_fd").value,
            "molar_volume_scf_per_lbmol": data.constant("molar_volume").value, "o2_air_percent": air}
    if hasattr(ppm, "shape"):
        import numpy as np

        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
            value = units.method19_lb_per_mmbtu(ppm, o2_percent, **args)
    else:
        value = units.method19_lb_per_mmbtu(ppm, o2_percent, **args) if o2_percent != air else math.inf
    good = ((o2_percent >= 0) & (o2_percent < air) & (abs(ppm) < math.inf) & (ppm <= WHOLE_GAS_PPM) & (abs(value) < math.inf)
            & (value >= 0))
    return value, good


def concentration_to_input(pollutant: str, conc: units.Concentration, *, where: str, text: str | None = None) -> float:
    """Convert a ppmvd@x%O2 concentration of ``pollutant`` (written ``text``, for messages) to lb/MMBtu (HHV) by EPA
    Method 19."""
    mw_key = data.concentration_mw_key(pollutant)
    if mw_key is None:
        allowed = ", ".join(k for k in data.POLLUTANTS if data.concentration_mw_key(k))
        raise InputError(f"a concentration is accepted only for {allowed}", where=where, usage=True)
    given = conc
    volume, mw = data.constant("molar_volume_normal").value, data.constant(mw_key).value
    if conc.mg_per_nm3 is not None:
        # mg/Nm3 -> ppmvd at the same O2: ppm = mg/Nm3 x molar volume at 0 degC, 1 atm (L/mol) / MW (g/mol)
        conc = units.Concentration(conc.mg_per_nm3 * volume / mw, conc.o2_percent)
    air = data.constant("method19_o2_air").value
    if not 0 <= conc.o2_percent < air:
        raise InputError(f"oxygen reference {conc.o2_percent:g}% is outside 0-{air:g}%", where=where, usage=True)
    if conc.ppm > WHOLE_GAS_PPM:
        raise InputError(_more_than_the_gas(pollutant, text or str(given), given, WHOLE_GAS_PPM * mw / volume), where=where, usage=True)
    return concentration_values(pollutant, conc.ppm, conc.o2_percent)[0]


@lru_cache(maxsize=None)
def most_per_heat_input(pollutant: str) -> float | None:
    """Return the most a rate per heat input of ``pollutant`` can be, in lb/MMBtu (HHV), or None when Method 19 has
    no molecular weight for it (SO2, PM, CO2... are not held to it)."""
    if data.concentration_mw_key(pollutant) is None:
        return None
    # the whole gas, 1,000,000 ppmvd at 15 % O2, times the pollutant's Method 19 factor (lb/MMBtu per ppmvd at that
    # reference; Method 19 is linear in ppm): NOx as NO2 (46.01) 1e6 x 46.01 / 385.3e6 lb/scf x 8,710 dscf/MMBtu x
    # 20.9 / 5.9 = 3,684 lb/MMBtu. A concentration is held to 1,000,000 ppmvd at its own reference instead.
    return float(concentration_values(pollutant, WHOLE_GAS_PPM, WHOLE_GAS_O2_PERCENT)[0])


@lru_cache(maxsize=None)
def most_of_form(pollutant: str, form: str) -> float | None:
    """Return the most a factor of ``pollutant`` in ``form`` can be, in the form's unit (FORM_UNITS), or None when it is
    not bounded here: a rate per heat input at the whole gas (most_per_heat_input), and a rate per fuel volume at the
    same through the fuel's heat content, which is fixed (40 CFR 98's 1,026 Btu/scf): NOx 3,684 x 0.001026 = 3.78 lb/scf.
    A rate per hour or per MWh made depends on each unit's heat input: most_for_unit bounds it, group by group."""
    most = most_per_heat_input(pollutant)
    if most is None or form not in ("input", "fuel"):
        return None
    if form == "input":
        return most
    hhv = data.constant("fuel_hhv")
    return most * units.convert(f"{hhv.value} {hhv.unit}", "MMBtu/scf", where="fuel_hhv", expect="a heat content")


# The forms whose most depends on the unit that burns the gas: a rate per MWh made (through the unit's heat rate) and
# a rate per hour of one unit (through its heat input per hour); most_for_unit bounds them, group by group
UNIT_FORMS = ("output", "time")
# The kinds of range whose high end is a value given (uniform LOW..HIGH, triangular LOW..MODE..HIGH); a normal or
# lognormal one is judged at its value, as its ends are not given (core.dist)
BOUNDED = ("uniform", "triangular")


def most_for_unit(pollutant: str, form: str, group: Group) -> Num | None:
    """Return the most a factor of ``pollutant`` in ``form`` can be for ``group``'s units, in the form's unit
    (FORM_UNITS), or None when it is not bounded here (not per MWh or per hour, or no Method 19 weight). The whole gas
    (most_per_heat_input, lb/MMBtu) times what one unit burns: per MWh its heat rate (HHV, at its ambient and load:
    Group.heat_rate_hhv), 10,742 Btu/kWh = 10.742 MMBtu/MWh; per hour its heat input while it runs, capacity x
    ambient derate x load x heat rate, as calc applies a rate per hour (value x units x hours): 16,000 kW x 10,742
    Btu/kWh = 171.87 MMBtu/h. Floats, or numpy arrays of rows (batch)."""
    most = most_per_heat_input(pollutant)
    if most is None or form not in UNIT_FORMS:
        return None
    if form == "output":
        return most * mmbtu(kilowatts(1.0) * group.heat_rate_hhv)  # a MWh is 1,000 kWh, each of heat_rate_hhv Btu
    return most * mmbtu(group.capacity_kw * group.output_fraction * group.heat_rate_hhv)  # kW x Btu/kWh = Btu/h


def beyond_the_gas(groups: Iterable[Group], fleet: Mapping[str, Factor],
                   uncertain: Iterable[Uncertain] = ()) -> list[tuple[int, str, Path, Num, Any]]:
    """Return (group index, pollutant, the factor's path, the most, which values are over it) for each group whose
    factor (its own, or the fleet's it takes: model.factor_taken) is per MWh or per hour and more than the whole gas
    for its units (most_for_unit). A fleet-wide factor is judged against each group that takes it; a range by its
    high end (``uncertain``: the ranges given), as each end of a range per heat input is judged. The values, the
    groups' figures or both may be numpy arrays (batch rows): ``over`` is then an array."""
    tops = {u.path: u.dist.b if u.dist.kind in BOUNDED else u.central for u in uncertain if u.path[0] == "factor"}
    out = []
    for i, g in enumerate(groups):
        for p in dict.fromkeys([*g.factors, *fleet]):
            own = g.factors.get(p)
            f = factor_taken(own, fleet.get(p))
            most = most_for_unit(p, f.form, g) if f is not None else None
            if most is None:
                continue
            path = ("factor", i if f is own else "fleet", p)
            over = tops.get(path, f.value) > most
            if over.any() if hasattr(over, "any") else over:
                out.append((i, p, path, most, over))
    return out


def more_than_the_gas_of(pollutant: str, text: str, form: str, group: Group, most: float) -> str:
    """Say that a factor per MWh or per hour, written ``text``, is more than the whole gas for ``group``'s units, with
    the most (``most``, in the form's unit: most_for_unit) in the unit the factor was given in."""
    figure = units.per_tail(text.strip())[0]
    written = units.unit_as_written(figure)
    found = unit_form(units.parse(figure, where="factor").unit)
    shown = most / found[1] if found else most
    unit = written or FORM_UNITS[form]
    name, per_input = data.pollutant_name(pollutant), most_per_heat_input(pollutant)
    gas = f"{per_input:,.0f} lb/MMBtu ({WHOLE_GAS_PPM:,.0f} ppmvd@{WHOLE_GAS_O2_PERCENT:g}%O2 by EPA Method 19)"
    hr = group.heat_rate_hhv
    if form == "output":
        said = (f"a {name} rate per energy output of '{group.name}' is at most {_figure(shown)} {unit}: {gas} x its heat rate, "
                f"{hr:,.0f} Btu/kWh (HHV)")
    else:
        kw = group.capacity_kw * group.output_fraction
        said = (f"a {name} rate per hour of one unit of '{group.name}' is at most {_figure(shown)} {unit}: {gas} x its "
                f"heat input, {mmbtu(kw * hr):,.5g} MMBtu/h ({megawatts(kw):,.4g} MW at {hr:,.0f} Btu/kWh, HHV)")
    return f"'{text.strip()}' is more than the whole gas; {said}"


def _figure(x: float) -> str:
    """Return a most as a message shows it: whole with thousands separated from 1,000 up, else four figures."""
    return f"{x:,.0f}" if x >= 1000 else f"{x:,.4g}"


def _more_than_the_gas(pollutant: str, text: str, conc: units.Concentration, most_mg_per_nm3: float) -> str:
    """Say that a concentration is more than the whole gas, in the unit it was given in, and what is allowed."""
    if conc.mg_per_nm3 is None:
        return f"'{text}' is more than the whole gas; a concentration is at most {WHOLE_GAS_PPM:,.0f} ppmvd"
    gas = data.concentration_mw_key(pollutant).removeprefix("mw_").upper()  # the gas it is counted as: NO2 for nox
    return (f"'{text}' is more than the whole gas; a {pollutant} concentration is at most {most_mg_per_nm3:,.0f} mg/Nm3 "
            f"({gas} alone at 0 degC and 1 atm)")


@lru_cache(maxsize=1024)
def unit_form(unit: str) -> tuple[str, float] | None:
    """Return (canonical form, multiplier into its unit) of a factor's unit, as parse() names it ('lb/MMBtu',
    'g/(bhp*hr)'), or None when the unit is no emission factor's. The one place a factor unit is read: the
    one-value parser and the column readers (inputs/arrays.py) both ask here, once per distinct unit."""
    if not unit:
        return None
    dims, denominators, _ = units.unit_info(unit)
    q = units.Parsed(1.0, unit, dims, denominators, False)
    form = _form_of(q)
    if form is None:
        return None
    try:
        return form, units.multiplier(unit, FORM_UNITS[form])
    except units.DimensionError:
        return None


def factor_values(pollutant: str, numbers: Any, unit_names: list[str | None], index: Any) -> tuple[Any, list[str | None], Any, Any]:
    """Convert factors given as numbers in units (each row's unit: ``unit_names[index[row]]``, all the first when
    ``index`` is None; None: not a unit) to their canonical form: the values, each distinct unit's form (None: not
    a factor unit), which rows are good (zero or more, finite, per heat input at most the whole gas: most_per_heat_input),
    and the index. One multiplier per distinct unit."""
    import numpy as np

    found = [unit_form(u) if u else None for u in unit_names]
    forms = [f[0] if f else None for f in found]
    by = np.array([f[1] if f else math.nan for f in found], dtype=np.float64)
    mult = by[index] if index is not None else np.full(len(numbers), by[0] if len(by) else math.nan)
    # each distinct unit's ceiling: the whole gas for a rate per heat input or per fuel volume, none (infinity) for the
    # other forms
    tops = np.array([math.inf if f is None or (m := most_of_form(pollutant, f)) is None else m for f in forms], dtype=np.float64)
    top = tops[index] if index is not None else np.full(len(numbers), tops[0] if len(tops) else math.inf)
    with np.errstate(invalid="ignore", over="ignore"):
        value = numbers * mult
        good = np.isfinite(value) & (numbers >= 0) & np.isfinite(numbers) & (value <= top)
    return value, forms, good, index


@lru_cache(maxsize=4096)
def _parse(pollutant: str, text: str, where: str) -> tuple[str, float]:
    conc = units.parse_concentration(text)
    if conc is not None:
        value = concentration_to_input(pollutant, conc, where=where, text=text)
        form = "input"
    else:
        q = units.parse(text, where=where)
        found = unit_form(q.unit)
        if found is None:
            raise InputError(f"'{text}' is not an emission factor; give {FORMS_HELP}", where=where, usage=True)
        form = found[0]
        value = q.number * found[1]
        most = most_of_form(pollutant, form)
        if most is not None and value > most:
            name, per_input = data.pollutant_name(pollutant), most_per_heat_input(pollutant)
            gas = f"{WHOLE_GAS_PPM:,.0f} ppmvd@{WHOLE_GAS_O2_PERCENT:g}%O2 by EPA Method 19"
            said = (f"a {name} rate per heat input is at most {per_input:,.0f} lb/MMBtu ({gas})" if form == "input" else
                    f"a {name} rate per fuel volume is at most {most:,.3g} lb/scf: {per_input:,.0f} lb/MMBtu ({gas}) in gas of "
                    f"{btu(most / per_input):,.0f} Btu/scf (HHV)")
            raise InputError(f"'{text}' is more than the whole gas; {said}", where=where, usage=True)
    if value < 0:
        raise InputError(f"'{text}' is negative; an emission factor must be zero or more", where=where, usage=True)
    return form, value


def parse_factor(pollutant: str, text: Any, *, where: str, source: str, status: str, layer: str, note: str = "") -> Factor:
    """Parse one user- or preset-given factor for ``pollutant``."""
    check_pollutant(pollutant, where=where)
    if pollutant == "co2e":
        raise InputError("co2e is computed from co2, ch4 and n2o; give factors for those", where=where, usage=True)
    if not isinstance(text, str):
        raise InputError(f"give the factor with its unit as text, e.g. '{pollutant}=0.099 lb/MMBtu'", where=where, usage=True)
    figure, per, words = units.per_tail(text.strip())
    form, value = _parse(pollutant, figure, where)
    if per and form != "time":
        raise InputError(f"'{text.strip()}': a factor per heat input, output or fuel is the same for one unit and for the "
                         f"fleet; give it without '{words}'", where=where, usage=True)
    if per == "facility":  # a factor per hour is multiplied by the units: a fleet's figure would be counted per unit
        raise InputError(f"'{text.strip()}': a factor per hour is each unit's rate while it runs, multiplied by the units "
                         f"and the hours; divide the fleet's figure by its units, or give it as a limit (--limit)",
                         where=where, usage=True)
    if form == "output" and ("hp" in text or "horsepower" in text):
        shaft = ("per shaft (brake) horsepower-hour, applied to electrical output: generator losses of a few per cent "
                 "are not added, so the result is that much low")
        note = f"{note}; {shaft}" if note else shaft
    return Factor(pollutant, form, value, text.strip(), source, status, layer, note)


def check_pollutant(pollutant: str, *, where: str) -> None:
    """Raise a usage error if ``pollutant`` is not a known pollutant id."""
    if pollutant not in data.POLLUTANTS:
        raise InputError(
            f"unknown pollutant '{pollutant}'; known: {', '.join(data.POLLUTANTS)}", where=where, usage=True
        )


def check_only(only: Any) -> list[str] | None:
    """Return the pollutant ids of the Python API's ``only`` (a list of ids, or None for all); a string or an
    unknown id is an error, as --only's."""
    if only is None:
        return None
    if isinstance(only, str) or not hasattr(only, "__iter__"):
        raise InputError(f"give a list of pollutant ids, e.g. only=['nox'], not {only!r}; known: {', '.join(data.POLLUTANTS)}",
                         where="only", usage=True)
    ids = [str(p).strip().lower() for p in only]
    for p in ids:
        if p not in data.POLLUTANTS:
            raise InputError(f"unknown pollutant '{p}'; known: {', '.join(data.POLLUTANTS)}", where="only", usage=True)
    return ids or None  # an empty list is all of them, as before


@lru_cache(maxsize=None)
def library_to_factor(lib: data.LibraryFactor) -> Factor:
    """Return a library factor in its canonical form."""
    text = f"{lib.value:g} {lib.unit}"
    form, value = _parse(lib.pollutant, text, "factor library")
    share = lib.filterable / lib.value if lib.filterable is not None and lib.value else None
    return Factor(lib.pollutant, form, value, text, lib.source, lib.status, "built-in", lib.note, share)

