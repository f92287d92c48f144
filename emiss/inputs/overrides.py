"""Overrides laid over a Spec: a command line's options or a batch record's fields (field name, factor.<pollutant>,
fleet.N.KEY or group.NAME.KEY -> raw value), each remembered as a Given of its layer for the builder to check.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Callable, Collection

from emiss.core.factors import check_pollutant
from emiss.core.model import Given, GroupSpec, Spec
from emiss.errors import InputError
from emiss.inputs import fields
from emiss.inputs.catalog import catalog_group
from emiss.inputs.fields import FIELDS


def _plain(value: Any) -> Any:
    """Return a numpy scalar as the Python value it holds (np.int64(4) -> 4, np.float64 -> float, np.bool_ -> bool, which
    a count or a quantity then refuses as it refuses True): a value taken from a DataFrame or an array is one, and
    np.float64 (a float subclass) was read as an array of one. Anything else is returned as it is."""
    if type(value).__module__ == "numpy" and getattr(value, "shape", None) == ():
        return value.item()
    return value


def _blank(key: str, where: Callable[[str], str], unset: Collection[str]) -> str:
    """Return a note for an error asking for ``key`` when the record wrote it as null or '' (which is not set)."""
    return f" ({where(key)} is null or empty in this record, which is not set)" if key in unset else ""


def apply_overrides(spec: Spec, overrides: dict[str, Any], *, layer: str = "cli",
                    where: Callable[[str], str] | None = None, unset: Collection[str] = ()) -> Spec:
    """Return a copy of ``spec`` with ``overrides`` (field name or factor.<pollutant> -> raw value) applied on top.

    ``where(key)`` names an override in error messages (default: the option's spelling, e.g. '--capacity').
    ``unset`` names the fields a record wrote as null or '' (not set): an error asking for one says it was blank.
    """
    where = where or fields.option_name
    out = spec.copy()
    source = "command line" if layer == "cli" else fields.RECORD_SOURCE

    def given(key: str, value: Any) -> Given:
        return Given(_plain(value), source, layer, "user", "", where(key))

    group_keys = {k: v for k, v in overrides.items() if k.startswith(("fleet.", "group.")) and v is not None}
    overrides = {k: v for k, v in overrides.items() if k not in group_keys}
    for key, value in overrides.items():
        if value is None:
            continue
        if key.startswith(fields.FACTOR_PREFIX):
            pol = key[len(fields.FACTOR_PREFIX):]
            check_pollutant(pol, where=where(key))
            out.factors[pol] = given(key, value)
        elif key not in FIELDS:
            raise InputError(f"unknown setting '{key}'; known: {', '.join(FIELDS)}, factor.<pollutant>", where=where(key), usage=True)

    count, capacity = overrides.get("turbines"), overrides.get("capacity")
    model = overrides.get("turbine_model")
    if model is not None:
        if count is None:
            n = " N" if layer == "cli" else ""  # a record names its fields as it spells them: 'give turbines with ...'
            raise InputError(f"give {where('turbines')}{n} with {where('turbine_model')}{_blank('turbines', where, unset)}",
                             where=where("turbine_model"), usage=True)
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
            # a value that is no count or capacity at all ('turbines: true' in a manifest's recipe) is said first, as
            # the command line's option type says it before any fleet is built
            try:
                FIELDS[key].parse(given(key, overrides[key]))
                bad = None
            except InputError as exc:  # raised afresh below: the reader's chain of errors held its frames (and a batch block)
                bad = InputError(exc.message, where=exc.where, usage=exc.usage)
            if bad is not None:
                raise bad
            have = f"the preset has {len(out.fleet)} groups" if out.fleet else "there is no fleet yet"
            raise InputError(f"{have}; give {where(other)} too, to describe the whole fleet{_blank(other, where, unset)}",
                             where=where(key), usage=True)
        out.fleet[0].fields["count" if key == "turbines" else "capacity"] = given(key, overrides[key])
    for key in ("heat_rate", "heat_rate_basis", "control", "combustor", "engine_type"):
        if overrides.get(key) is not None:
            fleet_wide = out.settings.get(key)  # a lower layer's value for every group: no group's own
            out.settings[key] = given(key, overrides[key])
            if key == "heat_rate_basis":  # a group's own basis is kept aside: the build says when this one changed it
                for g in out.fleet:
                    if (own := g.fields.get(key)) is not None and own is not fleet_wide:
                        g.replaced.setdefault(key, own)
            if key == "heat_rate" and len(out.fleet) > 1:  # one object in every group: the build tells which still hold it
                out.settings[key] = replace(out.settings[key], note=f"{where(key)} sets every group's heat rate")
            if key in ("heat_rate", "heat_rate_basis"):  # control and engine type apply only to the groups they fit
                for g in out.fleet:
                    g.fields[key] = out.settings[key]
    if overrides.get("capacity_factor") is not None and overrides.get("hours") is not None:
        raise InputError("give capacity factor or hours, not both", where=where("hours"), usage=True)
    for key in ("capacity_factor", "hours"):
        if overrides.get(key) is not None:
            out.settings.pop("capacity_factor", None)
            out.settings.pop("hours", None)
            out.settings[key] = given(key, overrides[key])
    for key in ("household_use", "household_demand", "households_method", "hhv_lhv", "gwp", "mass_unit", "methane_basis",
                "ambient", "load", "area", "basis", "co2_basis", "upstream_leak"):
        if overrides.get(key) is not None:
            out.settings[key] = given(key, overrides[key])
    # A value for the whole fleet that lands on its one group (turbines, capacity, heat_rate) is that group's value:
    # 'fleet.1.count' beside 'turbines' sets it twice, and which one counts would be a silent choice.
    here: dict[tuple[int, str], str] = {}
    if len(out.fleet) == 1:
        for key, field in (("turbines", "count"), ("capacity", "capacity"), ("heat_rate", "heat_rate"),
                           ("heat_rate_basis", "heat_rate_basis")):
            if overrides.get(key) is not None:
                here[(id(out.fleet[0]), field)] = where(key)
    for key, value in group_keys.items():
        _set_group_value(out, key, given(key, value), where(key), here)
    return out


_GROUP_SETTABLE = ("count", "capacity", "heat_rate", "heat_rate_basis", "control", "combustor", "engine_type")


def _set_group_value(spec: Spec, key: str, g: Given, where: str, here: dict[tuple[int, str], str] | None = None) -> None:
    """Set one group's value: 'fleet.N.KEY' (N counting groups from 1) or 'group.NAME.KEY'; KEY may be factor.<pollutant>.
    ``here`` holds the group values already set in the same layer, by the name that set them: a second is an error."""
    head, _, rest = key.partition(".")
    ident, _, field = rest.partition(".")
    if head == "fleet":
        if not (ident.isascii() and ident.isdigit()) or not 1 <= int(ident) <= len(spec.fleet):
            raise InputError(f"'{key}': N counts the groups from 1 to {len(spec.fleet)}", where=where, usage=g.usage)
        group = spec.fleet[int(ident) - 1]
    else:
        names = [x.name for x in spec.fleet]
        if ident not in names:
            raise InputError(f"'{key}': no group named '{ident}'; groups: {', '.join(names) or 'none'}", where=where, usage=g.usage)
        group = spec.fleet[names.index(ident)]
    if here is not None and not (isinstance(g.value, float) and g.value != g.value):  # NaN: its own error, below
        first = here.setdefault((id(group), field), where)
        if first != where:
            raise InputError(f"'{key}' sets the {field.replace('_', ' ')} of the group that {first} already sets; give "
                             "one of them", where=where, usage=g.usage)
    if field.startswith(fields.FACTOR_PREFIX):
        pol = field[len(fields.FACTOR_PREFIX):]
        check_pollutant(pol, where=where)
        group.factors[pol] = g
    elif field in _GROUP_SETTABLE:
        group.fields[field] = g
    else:
        raise InputError(f"'{key}': a group's {field or 'field'} cannot be set; known: {', '.join(_GROUP_SETTABLE)}, factor.<pollutant>",
                         where=where, usage=g.usage)
