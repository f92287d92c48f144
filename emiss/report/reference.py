"""The shipped tables as documents: the factor library and constants, the unit and GPU catalog, a preset's inputs."""

from __future__ import annotations

from typing import Any

from emiss import data
from emiss.core.outputs import megawatts, table_unit
from emiss.core.model import Scenario
from emiss.report.views import POLLUTANT_COLUMN, Column, Line, Table, View, assumption_dicts, assumption_value, sig4

CONSTANT_KEYS = ("hours_per_year", "hhv_lhv_ratio", "fuel_hhv", "method19_fd", "method19_o2_air", "molar_volume",
                 "mw_no2", "mw_co", "mw_ch4", "household_use", "household_demand", "default_heat_rate", "default_control", "default_gwp")


# How the factor table names an AP-42 s.3.2 load band (factors.toml 'load'; the bands of AP-42 s.3.2 Table 3.2-1, 7/2000).
LOAD_BANDS = {"full": "90-105 % load", "part": "below 90 % load"}


def factor_rows() -> list[dict[str, Any]]:
    """Return every library factor with unit, basis, source and status, and what tells alike rows apart: the engine
    type and load band it is for, the methane basis, and AP-42's data-quality rating where the library carries one."""
    return [{"pollutant": f.pollutant, "kinds": ", ".join(f.kinds), "control": f.control, "value": f.value, "unit": f.unit,
             "basis": "heat input, HHV", "source": f.source, "edition": _edition(f.source), "rating": f.rating or "not transcribed",
             "status": f.status, "note": f.note, "engine_type": f.engine_type or None, "load": f.load,
             "methane_basis": f.basis or None} for f in data.library_factors()]


def _applies_to(r: dict[str, Any]) -> str:
    """Return who a library row is for, as the table says it: 'engine 4slb, 90-105 % load', 'turbine (physical)'."""
    text = r["kinds"] + (f" {r['engine_type']}" if r["engine_type"] else "")
    if r["load"] in LOAD_BANDS:
        text += f", {LOAD_BANDS[r['load']]}"
    return text + (f" ({r['methane_basis']} basis)" if r["methane_basis"] else "")


def factors_doc() -> dict[str, Any]:
    """Return the factor library and the constants."""
    consts = [{"name": k, "value": (c := data.constant(k)).value, "unit": c.unit, "source": c.source, "status": c.status}
              for k in CONSTANT_KEYS]
    return {"factor_library": data.factor_library_version(), "factors": factor_rows(), "constants": consts}


def _constant(v: object) -> str:
    """Return a constant's value for the table: a number to six figures with thousands marked (8,760; 1.23185)."""
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return str(v)
    return f"{v:,}" if isinstance(v, int) else f"{v:,.6g}"


def factors_view() -> View:
    """Return the factor library and the constants for people."""
    doc = factors_doc()
    t = Table(f"Emission-factor library {doc['factor_library']} (per MMBtu of heat input, HHV)",
              tuple(Column(c, fold=c == "source") for c in ("pollutant", "applies to", "control", "value", "unit", "rating", "status",
                                                             "source")))
    # each pollutant by the name the other tables give it ('Formaldehyde', not its id 'hcho'); the JSON keeps the id
    t.rows.extend((data.pollutant_name(r["pollutant"]), _applies_to(r), r["control"], f"{r['value']:g}", r["unit"],
                   "-" if r["rating"] == "not transcribed" else r["rating"], r["status"], r["source"]) for r in doc["factors"])
    # values to six figures as presets show gives them, aligned as numbers (the JSON keeps every digit): written in
    # full, left-aligned, 1.2318493150684693 was cut into '1.2318493150684' over '93' at 80 columns
    # each constant by the name people read, its key (the JSON's 'name', what a preset or an error gives) after it
    c = Table("Constants and defaults", tuple(Column(x, "right" if x == "value" else "left", fold=x in ("name", "source"))
                                              for x in ("name", "value", "unit", "status", "source")))
    c.rows.extend((f"{data.constant_name(r['name'])} ({r['name']})", _constant(r["value"]), table_unit(r["unit"]), r["status"],
                   r["source"]) for r in doc["constants"])
    return [t, c, Line("rating: AP-42's data-quality rating (A best ... E worst) where the library carries it, '-' where it is not "
                         "transcribed; see the AP-42 tables named.")]


def _edition(source: str) -> str:
    if "AP-42" in source:
        return "AP-42 5th ed., s.3.2 (July 2000)" if "s.3.2" in source else "AP-42 5th ed., s.3.1 (April 2000)"
    if "Part 98" in source:
        return "40 CFR 98 Subpart C (as amended 2013)"
    return ""


def catalog_doc(units_: dict[str, Any], gpus: dict[str, Any]) -> dict[str, Any]:
    """Return the unit and GPU catalog."""
    return {"units": list(units_.values()), "gpus": list(gpus.values())}


# the catalog's NOx options beside its standard NOx: left out together, and said, where the table would otherwise be
# drawn a unit per block (120 columns), as they are in the JSON and in --format markdown
SECONDARY_NOX = ("NOx low", "NOx with SCR")


def catalog_view(units_: dict[str, Any], gpus: dict[str, Any]) -> View:
    """Return the unit and GPU catalog for people, with sources."""
    def status(s: str) -> str:
        return "unverified" if s == "recalled" else s

    t = Table("Generating units (NOx/CO before add-on controls, in ppmvd@15%O2 unless a unit is given; heat rate LHV, ISO "
              "unless the source says otherwise)",
              tuple(Column(c, whole=c == "id", secondary=c in SECONDARY_NOX, group="NOx low, NOx with SCR" if c in SECONDARY_NOX else "")
                    for c in ("id", "kind", "capacity", "heat rate", "NOx", "NOx low", "NOx with SCR", "CO", "status")))
    t.rows.extend((u["id"], u["kind"] + (f" {u['engine_type']}" if "engine_type" in u else ""), u["capacity"], _heat_rate(u),
                   str(u.get("nox_ppm", "see source" if "nox" in u else "-")), str(u.get("nox_ppm_low", "-")), str(u.get("nox_ppm_controlled", "-")),
                   str(u.get("co_ppm", "see source" if "co" in u else "-")), status(u["status"])) for u in units_.values())
    g = Table("GPUs and reference servers", tuple(Column(c, whole=c == "id") for c in ("id", "name", "GPU power", "server power",
                                                                                         "GPUs/server", "status")))
    g.rows.extend((x["id"], x["name"], x["gpu_power"], x["server_power"], str(x["gpus_per_server"]), status(x["status"])) for x in gpus.values())
    view: View = [t, g, Line("Sources", "bold")]
    for e in list(units_.values()) + list(gpus.values()):
        view.append(Line(f"{e['id']}: " + (f"{e['combustor']} combustor. " if "combustor" in e else "")
                         + "".join(f"{p.upper()} {e[p]}. " for p in ("nox", "co") if isinstance(e.get(p), str)) + f"{e['source']}" + (f"; with SCR: {e['controlled_source']}" if "controlled_source" in e else "")
                         + (f"; premix range {e['premix']['load'][0]}-{e['premix']['load'][1]} % load, from {e['premix']['ambient_c_min']} "
                            f"degC: {e['premix']['source']}" if "premix" in e else "")))
    return view


def _thousands(text: str) -> str:
    """Return a figure given as text with its thousands separated, as every other table writes them: '11,000 Btu/kWh',
    not '11000 Btu/kWh' beside '8,530 Btu/kWh'."""
    number, _, rest = text.partition(" ")
    return f"{int(number):,} {rest}" if number.isdigit() else text


def _heat_rate(u: dict[str, Any]) -> str:
    """Return a catalog unit's heat rate as given, with Btu/kWh beside it when given otherwise: the column mixes
    '9048 kJ/kWh' (8,576 Btu/kWh) and '40%' (8,530 Btu/kWh) with Btu/kWh figures a reader compares at a glance."""
    from emiss.core.model import Given
    from emiss.errors import InputError
    from emiss.inputs.fields import heat_rate

    text = str(u["heat_rate"])
    if text.replace(" ", "").endswith("Btu/kWh"):
        return _thousands(text)
    try:
        return f"{text} = {heat_rate(Given(text, '', 'catalog')):,.0f} Btu/kWh"
    except InputError:
        return text


def preset_doc(sc: Scenario) -> dict[str, Any]:
    """Return a preset's resolved inputs: assumptions with sources, factors and ranges."""
    return {"name": sc.name, "title": sc.title, "description": sc.description, "notes": list(sc.notes),
            "fleet": [{"name": g.name, "kind": g.kind, "count": g.count, "capacity_mw": megawatts(g.capacity_kw),
                       "heat_rate": g.heat_rate, "heat_rate_basis": g.basis,
                       "combustor": g.combustor or None, "control": g.control} for g in sc.groups],
            "assumptions": assumption_dicts(sc.assumptions),
            "factors": {p: {"as_given": f.text, "value": f.value, "unit": f.unit, "source": f.source, "status": f.status}
                        for p, f in sc.fleet_factors.items()},
            "ranges": [{"name": u.name, "distribution": u.dist.describe(), "central": u.central, "unit": u.unit, "source": u.source}
                       for u in sc.uncertain],
            # the permit's enforceable limits: they cap the potential to emit and make a 'synthetic minor' source
            "limits": [{"pollutant": lim.pollutant, "limit": lim.shown, "kind": lim.kind, "per": lim.per, "status": lim.status,
                        "source": lim.source} for lim in sc.limits],
            "warnings": list(sc.warnings)}


def preset_view(sc: Scenario) -> View:
    """Return a preset's resolved inputs for people. Each source is a number in the tables and written out once
    below them, as estimate's assumptions are: a 12-column Source column beside five others cut words in two at 80
    columns ('datacenterdy' over 'namics') and ran a source down twenty lines."""
    view: View = [Line(sc.title or sc.name, "bold")]
    if sc.description:
        view.append(Line(sc.description))
    refs: dict[str, int] = {}

    def ref(source: str) -> str:
        return f"[{refs.setdefault(source, len(refs) + 1)}]" if source else ""

    t = Table("", tuple(Column(c, fold=c == "Input") for c in ("Input", "Value", "Unit", "Status", "From", "Source")))
    for a in sc.assumptions:
        t.rows.append((data.input_name(a.name), assumption_value(a.value), a.unit, a.status, a.layer,
                       ref(a.source)))
    for p, f in sc.fleet_factors.items():
        t.rows.append((data.input_name(f"factor {p}"), f.text, "", f.status, f.layer, ref(f.source)))
    for g in sc.groups:
        for p, f in g.factors.items():
            t.rows.append((data.input_name(f"factor {p} ({g.name})"), f.text, "", f.status, f.layer, ref(f.source)))
    view.append(t)
    if sc.uncertain:
        r = Table("Ranges (used by --samples and 'emiss sensitivity')", (Column("Input", fold=True), Column("Distribution"),
                                                                        Column("Central"), Column("Unit")))
        r.rows.extend((data.input_name(u.name), u.dist.describe(sig4), sig4(u.central), u.unit) for u in sc.uncertain)
        view.append(r)
    if sc.limits:  # they cap the PTE every command judges: a reader checking the preset must see them
        lt = Table("Permit limits (enforceable: they cap the potential to emit)",
                   (POLLUTANT_COLUMN,) + tuple(Column(c) for c in ("Limit", "Per", "Status", "Source")))
        lt.rows.extend((data.pollutant_name(lim.pollutant), lim.shown, lim.per, lim.status, ref(lim.source)) for lim in sc.limits)
        view.append(lt)
    view += [Line(f"[{n}] {source}") for source, n in refs.items()]
    view += [Line("Warning: " + w, "bold") for w in sc.warnings]
    return view
