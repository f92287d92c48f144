"""Clusters beside a grid-powered compute site (``emiss cluster --versus``): the document, its rows and its view."""

from __future__ import annotations

from typing import Any, Sequence

from emiss.analysis.sites import SITE_OUTPUTS
from emiss.core.outputs import megawatts, short_tons
from emiss.core.units import multiplier
from emiss.report.views import Column, Line, Table, View, human

# (key, label, unit): the quantities set side by side. Mass in 'tonnes', as the cluster table above it writes it: a 't'
# beside the cluster's 'short tons/yr' could be read as US tons by a reader of both tables
ROWS = (("gpus", "GPUs", ""), ("power", "Power (facility load; a site's average draw)", "MW"),
        ("energy", "Energy a year", "GWh"), ("co2e", "CO2e a year", "tonnes"), ("co2e_per_gpu", "CO2e per GPU a year", "tonnes"),
        ("nox", "NOx a year (on site)", "tonnes"))
PINT_UNITS = {"MW": "megawatt", "GWh": "gigawatt_hour / year", "tonnes": "metric_ton / year", "": "dimensionless"}


def _cluster_values(cr: Any) -> dict[str, float]:
    p, r = cr.plan, cr.result
    t = multiplier("lb", "metric_ton")
    co2e = r.emissions["co2e"].lb_per_year * t
    return {"gpus": float(p.gpus), "power": megawatts(p.facility_kw), "energy": megawatts(p.facility_kw) * p.run_hours / multiplier("GWh", "MWh"),
            "co2e": co2e, "co2e_per_gpu": co2e / p.gpus, "nox": r.emissions["nox"].lb_per_year * t}


def site_values(site: Any) -> dict[str, float]:
    """Return the site's figures as the table and the cluster chart set them beside the clusters: its GPUs, average
    power (MW), energy (GWh a year), CO2e and CO2e per GPU (metric tonnes a year), NOx on site 0 (no fuel burnt there)."""
    co2e = site.co2e_tonnes()
    return {"gpus": site.gpus.value, "power": site.average_mw, "energy": site.energy_mwh.value / multiplier("GWh", "MWh"), "co2e": co2e,
            "co2e_per_gpu": co2e / site.gpus.value, "nox": 0.0}


def versus_doc(results: Sequence[Any], site: Any) -> dict[str, Any]:
    """Return the clusters and the site side by side, each figure with its unit, and the site's sources and claims."""
    columns = [{"label": f"{cr.plan.gpus:,} {cr.plan.gpu['id'].upper()} on turbines", **_cluster_values(cr),
                "nox_short_tons": short_tons(cr.result.emissions["nox"].lb_per_year)} for cr in results]
    columns.append({"label": site.title, "site": site.name, **site_values(site)})
    return {"units": {k: PINT_UNITS[u] for k, _, u in ROWS},
            "columns": columns,
            "site": {"name": site.name, "title": site.title, "date": site.date,
                     "gpus": {"value": site.gpus.value, "model": site.gpu_model, "source": site.gpus.source, "status": site.gpus.status},
                     "energy": {"value": site.energy_mwh.value, "unit": "megawatt_hour / year", "source": site.energy_mwh.source,
                                "status": site.energy_mwh.status},
                     "intensity": {"value": site.intensity.value, "unit": "gram / kilowatt_hour", "year": site.intensity.year,
                                   "basis": site.intensity.basis, "source": site.intensity.source, "status": site.intensity.status},
                     "co2e_previous_year": None if site.previous is None else
                     {"value": site.co2e_tonnes(site.previous), "unit": "metric_ton / year", "year": site.previous.year,
                      "intensity": site.previous.value, "source": site.previous.source},
                     "notes": list(site.notes)},
            "claims": [{"output": c.output, "published": c.low, "verdict": v, "about": c.about or None, "who": c.who,
                        "when": c.when, "source": c.source, "note": c.note or None} for c, v in site.claims]}


def versus_rows(site: Any) -> list[dict[str, Any]]:
    """Return the site's figures as rows like the cluster rows (gpus, quantity, label, value, unit) for CSV and NDJSON."""
    values = site_values(site)
    return [{"gpus": int(site.gpus.value), "quantity": f"site.{key}", "label": f"{site.name} (grid): {label}", "value": values[key],
             "unit": PINT_UNITS[unit]} for key, label, unit in ROWS if key != "gpus"]


def versus_view(results: Sequence[Any], site: Any) -> View:
    """Return the clusters and the site as one table, then the site's sources and the published figures about it."""
    cols = [_cluster_values(cr) for cr in results] + [site_values(site)]
    heads = [f"{cr.plan.gpus:,} {cr.plan.gpu['id'].upper()} (turbines)" for cr in results] + [f"{site.name} (grid)"]
    t = Table(f"Beside {site.title}", (Column("Quantity", fold=True), Column("Unit")) +
              tuple(Column(h, "right", fold=True) for h in heads))
    for key, label, unit in ROWS:
        t.rows.append((label, unit) + tuple(f"{v[key]:,.0f}" if key == "gpus" else human(v[key]) for v in cols))
    view: View = [t]
    i = site.intensity
    view.append(Line(f"{site.name}: {site.gpus.value:,.0f} {site.gpu_model.upper()} ({site.gpus.source}); "
                     f"{site.energy_mwh.value / multiplier('GWh', 'MWh'):,.0f} GWh a year ({site.energy_mwh.source}); CO2e = energy x "
                     f"{i.value:g} g/kWh, {i.basis}, {i.year} ({i.source})."))
    if site.previous is not None:
        view.append(Line(f"At the {site.previous.year} intensity ({site.previous.value:g} g/kWh): "
                         f"{human(site.co2e_tonnes(site.previous))} tonnes CO2e a year."))
    view += [Line(n) for n in site.notes]
    if site.claims:
        view.append(Line("Published figures about the site", "bold"))  # a heading: the page's contents link to it
        for c, v in site.claims:
            reason = f"not comparable here: it is about {c.about}" if v == "not-comparable" else v
            # the figure as people read it ('3,000 GPUs', '60,000 CPU cores'), not the preset's text and key ('3000 gpus')
            figure = f"{c.low:,.0f}" if c.low == int(c.low) else f"{c.low:,g}"
            view.append(Line(f"{figure} {SITE_OUTPUTS[c.output]} ({c.who}, {c.when}): {reason}."))
    view.append(Line("The clusters: turbines carrying the facility load all year (emiss cluster); NOx on site only, the grid's "
                     "is not counted for the site."))
    return view
