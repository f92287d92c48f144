"""Reports built on the estimate: health-damage screening, COBRA rows and the spreadsheet's sheets (the headline cards
and the finding sentence are report/page.py's)."""

from __future__ import annotations

from typing import Any, Sequence

from emiss import data
from emiss.core.model import Result
from emiss.report.checks import check_rows
from emiss.report.estimate import estimate_doc, estimate_rows
from emiss.core.outputs import short_tons
from emiss.report.views import Column, Line, Table, View, human


def health_doc(result: Result) -> dict[str, Any]:
    """Return a national-average health-damage screening: tons times EPA's dollars per ton, as a range."""
    raw = data.load("health.toml")
    meta = raw["meta"]
    rows = []
    low = high = 0.0
    complete = True
    for b in raw["bpt"]:
        e = result.emissions[b["pollutant"]]
        complete &= e.complete
        tons = short_tons(e.lb_per_year)
        currency, _, per = b["unit"].partition("/")
        if currency != "USD" or per != "short_ton":  # the table below is per US short ton; another unit needs code
            raise ValueError(f"health.toml: bpt {b['pollutant']} is in {b['unit']}; emiss reads USD/short_ton")
        lo, hi = tons * b["egu"], tons * b["industrial_point"]
        low, high = low + lo, high + hi
        rows.append({"pollutant": b["pollutant"], "short_tons": tons, "usd_per_ton": {"low": b["egu"], "high": b["industrial_point"]},
                     "damage": {"low": lo, "high": hi, "unit": f"USD{meta['dollar_year']} / year"}, "source": b["source"],
                     "status": b["status"]})
    return {"label": "national-average screening, not a health impact assessment", "rows": rows,
            "total": {"low": low, "high": high, "unit": f"USD{meta['dollar_year']} / year"}, "complete": complete,
            "edition": meta["edition"], "dollar_year": meta["dollar_year"], "discount_rate": meta["discount_rate"],
            "mortality": meta["mortality"], "note": meta["note"], "superseded": meta.get("superseded"), "deaths": None}


def dollars(v: float) -> str:
    """Return a screening's dollars to two significant figures (a range of 4x is no place for the last dollar):
    4,808,254 -> '$4.8 million', 443,604 -> '$440,000'."""
    if v == 0:
        return "$0"
    r = float(f"{v:.2g}")
    if abs(r) >= 1e7:
        return f"${r / 1e6:,.0f} million"
    return f"${r / 1e6:,.1f} million" if abs(r) >= 1e6 else f"${r:,.0f}"


def health_view(result: Result) -> View:
    """Return the health screening for people: each pollutant by the name the tables use, the dollars per US short ton
    as a range whose ends the line below the table names (a heading '(EGU .. industrial)' wrapped to a dangling
    '(EGU ..' at 80 columns), and the number columns' headings wrapped to their numbers' width, so that each damage
    range ('$4.8 million .. $19 million') stays on one line rather than leaving 'million' under it."""
    doc = health_doc(result)
    t = Table(f"Health damage, national-average screening ({doc['dollar_year']} dollars a year, {doc['discount_rate']} discount rate)",
              (Column("Pollutant"), Column("short tons/yr", "right", wrap_heading=True),
               Column("$ per short ton", "right", wrap_heading=True), Column("Damage, $ a year", "right")))
    for r in doc["rows"]:
        t.rows.append((data.pollutant_name(r["pollutant"]), human(r["short_tons"]),
                       f"{r['usd_per_ton']['low']:,} .. {r['usd_per_ton']['high']:,}",
                       f"{dollars(r['damage']['low'])} .. {dollars(r['damage']['high'])}"))
    t.rows.append(("Total", "", "", f"{dollars(doc['total']['low'])} .. {dollars(doc['total']['high'])}"))
    return [t, Line("Each range runs from EPA's value for electricity generating units (EGU) to its value for industrial point "
                    "sources."),
            Line(f"{doc['label'].capitalize()}: EPA benefit-per-ton values ({doc['edition']}; {doc['mortality']}). "
                 f"{doc['note']}. Premature deaths per ton are not shipped (not found in a copy)."),
            *([Line(f"{doc['superseded']}.")] if doc["superseded"] else [])]


COBRA_FIELDS = ("FIPS", "STATE", "COUNTY", "TIER1NAME", "NOx_REDUCTIONS_TONS", "SO2_REDUCTIONS_TONS", "PM25_REDUCTIONS_TONS",
                "VOCS_REDUCTIONS_TONS", "NH3_REDUCTIONS_TONS")


COBRA_DECIMALS = 3  # short tons to 0.001 t (2 lb): finer than any factor behind them, and COBRA reads decimals
_COUNTY_WORDS = ("County", "Parish", "Borough", "Census Area", "Municipality", "city", "City and Borough")


def cobra_county(county: str) -> str:
    """Return a county as AVERT writes it in the COBRA file ('Shelby' -> 'Shelby County'; AVERT's own client strips
    ' County' back off when it reads the file: USEPA/AVERT client, COBRA API rows, row.COUNTY.replace(/ County$/, ''))."""
    name = county.strip()
    return name if not name or name.endswith(_COUNTY_WORDS) else f"{name} County"


def cobra_rows(result: Result, fips: str, state: str, county: str) -> list[dict[str, Any]]:
    """Return the county emissions-change row COBRA imports (its 'AVERT-format' CSV): short tons a year, an increase positive.

    Columns and sign as EPA's COBRA reads them (USEPA/COBRA cobra_console/units/EmissionsRecord.cs, AvertRec; USEPA/AVERT
    writes the same file): TIER1NAME 'FUEL COMB. ELEC. UTIL.'; a positive value is an increase. NH3 is the estimate's
    (ammonia slip where SCR is; 0 where no unit emits it).
    """
    e = result.emissions
    # to the thousandth of a short ton (2 lb): COBRA works in tons, and 17 digits claim a precision no factor has
    tons = {p: round(float(short_tons(e[p].lb_per_year)), COBRA_DECIMALS) for p in ("nox", "so2", "pm", "voc", "nh3")}
    return [{"FIPS": fips, "STATE": state, "COUNTY": cobra_county(county), "TIER1NAME": "FUEL COMB. ELEC. UTIL.",
             "NOx_REDUCTIONS_TONS": tons["nox"], "SO2_REDUCTIONS_TONS": tons["so2"], "PM25_REDUCTIONS_TONS": tons["pm"],
             "VOCS_REDUCTIONS_TONS": tons["voc"], "NH3_REDUCTIONS_TONS": tons["nh3"]}]


def estimate_sheets(result: Result, *, with_claims: Sequence[Any] = ()) -> dict[str, list[dict[str, Any]]]:
    """Return the spreadsheet of an estimate: results, emissions, per-unit, assumptions, screening, claims."""
    doc = estimate_doc(result)
    emissions = [{"pollutant": p, "short_tons_per_year": e["short_tons"], "metric_tonnes_per_year": e["metric_tonnes"],
                  "lb_per_hour": e["per_hour"]["value"], "complete": e["complete"],
                  "factors": "; ".join(f"{f['group']}: {f['as_given']}" for f in e["factors"]),
                  "sources": "; ".join(dict.fromkeys(f["source"] for f in e["factors"]))} for p, e in doc["emissions"].items()]
    units = [{"emission_unit": g["name"], "kind": g["kind"], "count": g["count"], "pollutant": p,
              "short_tons_per_year_all": x["value"] if "short_ton" in x["unit"] else None,
              "lb_per_hour_each": x["per_hour_each"]["value"], "lb_per_hour_all": x["per_hour"]["value"]}
             for g in doc["groups"] for p, x in g["emissions"].items()]
    # the JSON's state stays 'incomplete' for a total of every unit that is only a lower bound (scripts rely on it);
    # people read it as the tables and the page say it, not as units left out
    screening = [{k: ("unknown (lower bound)" if k == "state" and s[k] == "incomplete" and s["complete"] and s["lower_bound"]
                      else s[k]) for k in ("program", "pollutant", "emitted", "threshold", "state", "source")}
                 for s in doc["screening"]]
    # the sheet is read by people: each input named as the tables name it ('NOx factor (all units)', not the JSON's
    # 'factor nox (all units)'); the JSON and the CSV keep the name as built, for scripts
    assumptions = [{**a, "name": data.input_name(a["name"])} for a in doc["assumptions"]]
    sheets = {"Results (units in header)": [{"quantity": r["quantity"], "value": r["value"], "unit": r["unit"], "note": r["note"]}
                                            for r in estimate_rows(result)],
              "Emissions (short tons per yr)": emissions, "Per emission unit": units, "Assumptions and sources": assumptions,
              "Screening (short tons per yr)": screening}
    if with_claims:
        sheets["Claims"] = check_rows(with_claims)
    return sheets
