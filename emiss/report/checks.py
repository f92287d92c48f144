"""Published figures checked against the estimate: the document of 'emiss check', its rows, its view and the timeline."""

from __future__ import annotations

import math
from typing import Any, Sequence

from emiss import data
from emiss.core import units
from emiss.core.model import Result
from emiss.core.outputs import OUTPUTS, U_TONNES_YR, U_TONS_YR, pint_unit, short_tons
from emiss.report.views import Cell, Column, Line, Table, View, human, lb_to, output_entry, output_scale, sig4


def _implied_doc(i: Any) -> dict[str, Any] | None:
    if i is None:
        return None
    doc = {"input": i.input, "value": i.value if math.isfinite(i.value) else None, "unit": pint_unit(i.unit),
           "range": {"low": i.low, "high": i.high}, "plausible": i.plausible, "feasible": i.feasible, "problem": i.problem or None}
    ppm = _as_ppm(i)
    if ppm is not None:
        doc["ppmvd@15%O2"] = ppm
    return doc


def _as_ppm(i: Any) -> float | None:
    """Return a solved per-heat-input factor as ppmvd@15%O2 (Method 19), where the pollutant has a molecular weight."""
    if i is None or i.unit != "lb/MMBtu" or not math.isfinite(i.value) or "factor" not in i.input:
        return None
    pol = i.input.split("factor ", 1)[1].split()[0]
    key = data.concentration_mw_key(pol)
    if key is None:
        return None
    from emiss.core.factors import concentration_to_input

    return i.value / concentration_to_input(pol, units.Concentration(1.0, 15.0), where="check")


def check_doc(checks: Sequence[Any]) -> dict[str, Any]:
    """Return checked claims as the JSON document of 'emiss check'."""
    presets = []
    for pc in checks:
        claims_out = []
        for c in pc.claims:
            scale, unit, _ = output_scale(c.claim.output)
            claim = c.claim
            published: dict[str, Any] = ({"value": claim.low * scale, "unit": unit} if claim.low == claim.high
                                         else {"low": claim.low * scale, "high": claim.high * scale, "unit": unit})
            published.update(relation=claim.relation, as_published=claim.text, tolerance=claim.tolerance)
            claims_out.append({
                "output": claim.output, "published": published, "estimate": {"value": c.estimate * scale, "unit": unit},
                "difference_pct": c.difference_pct, "verdict": c.verdict, "implied": _implied_doc(c.implied),
                "decided_by": list(c.decided_by), "condition": dict(claim.given) or None,
                "source": {"who": claim.who, "when": claim.when, "source": claim.source, "quote": claim.quote, "status": claim.status},
                "note": " ".join(x for x in (claim.note, c.note) if x) or None,
            })
        presets.append({"preset": pc.name, "title": pc.title, "date": pc.date, "claims": claims_out,
                        "headline": _headline(pc.result),
                        "variants": [{"label": label, "note": note or None, "headline": _headline(r)} for label, note, r in pc.variants]})
    return {"presets": presets}


def _headline(r: Result) -> dict[str, Any]:
    return {"units": sum(int(g.count) for g in r.scenario.groups), "capacity": output_entry("capacity", r),
            "nox": {"value": short_tons(r.emissions["nox"].lb_per_year), "unit": U_TONS_YR,
                    "complete": r.emissions["nox"].complete},
            "co2e": {"value": r.emissions["co2e"].lb_per_year * lb_to("metric_ton"), "unit": U_TONNES_YR},
            "households": {"value": r.households, "method": r.scenario.households_method}}


CHECK_FIELDS = ("preset", "date", "output", "published", "published_unit", "relation", "estimate", "unit", "difference_pct",
                "verdict", "implied_input", "implied_value", "implied_unit", "plausible", "who", "when", "source")


def check_rows(checks: Sequence[Any]) -> list[dict[str, Any]]:
    """Return one row per claim for csv/tsv/ndjson."""
    rows = []
    for p in check_doc(checks)["presets"]:
        for c in p["claims"]:
            pub = c["published"]
            i = c["implied"] or {}
            rows.append({"preset": p["preset"], "date": p["date"], "output": c["output"],
                         "published": pub.get("value", f"{pub.get('low')}..{pub.get('high')}"), "published_unit": pub["unit"],
                         "relation": pub["relation"], "estimate": c["estimate"]["value"], "unit": c["estimate"]["unit"],
                         "difference_pct": c["difference_pct"], "verdict": c["verdict"], "implied_input": i.get("input", ""),
                         "implied_value": i.get("value", ""), "implied_unit": i.get("unit", ""), "plausible": i.get("plausible", ""),
                         "who": c["source"]["who"], "when": c["source"]["when"], "source": c["source"]["source"]})
    return rows


def _num(output: str, v: float) -> str:
    return f"{v:,.0f}" if output == "units" else human(v)


def _fmt_published(c: Any) -> str:
    claim = c.claim
    scale, _, short = output_scale(claim.output)
    if claim.relation == "range":
        return f"{_num(claim.output, claim.low * scale)}..{_num(claim.output, claim.high * scale)} {short}"
    word = {"at least": "at least ", "at most": "at most "}.get(claim.relation, "")
    return f"{word}{_num(claim.output, claim.low * scale)} {short}"


def _fmt_implied(c: Any) -> str:
    i = c.implied
    if c.verdict == "consistent":
        return ""
    if i is None:
        return "no range in the preset moves it"
    if not math.isfinite(i.value):
        return f"{i.input}: {i.problem}"
    ppm = _as_ppm(i)
    lo, hi = i.low, i.high
    if ppm is not None:
        per = ppm / i.value
        shown, lo, hi, unit = f"{sig4(ppm)} ppmvd@15%O2", lo * per, hi * per, " ppm"
    else:
        shown, unit = f"{sig4(i.value)} {i.unit}".strip(), ""
    where = "inside" if i.plausible else "outside"
    return f"{i.input} = {shown} ({where} the preset's range, {sig4(lo)}..{sig4(hi)}{unit})"


def check_view(checks: Sequence[Any], *, timeline: bool = False) -> View:
    """Return each preset's claims side by side with emiss's figures, then (for several presets) the timeline."""
    view: View = []
    for pc in checks:
        view.append(Line(f"{pc.title or pc.name}" + (f" ({pc.date})" if pc.date else ""), "bold"))
        t = Table(f"Published figures checked: preset {pc.name}",
                  (Column("Claim", fold=True), Column("Published", fold=True), Column("emiss", "right", fold=True),
                   Column("Diff", "right"), Column("Verdict"), Column("What it would take", fold=True)))
        refs: list[str] = []
        for c in pc.claims:
            scale, _, short = output_scale(c.claim.output)
            ref = f"{c.claim.who}, {c.claim.when}: {c.claim.source}" + (f' "{c.claim.quote}"' if c.claim.quote else "")
            if ref not in refs:
                refs.append(ref)
            label = f"{c.claim.output} [{refs.index(ref) + 1}]"
            if c.claim.given:
                label += " if " + ", ".join(f"{k.replace('factor.', '')} {v}" for k, v in c.claim.given)
            style = "" if c.verdict == "consistent" else "alert"
            t.rows.append((label, _fmt_published(c), f"{_num(c.claim.output, c.estimate * scale)} {short}",
                           f"{c.difference_pct:+.0f}%", Cell(c.verdict, style), _fmt_implied(c)))
        view.append(t)
        view += [Line(f"[{n}] {r}") for n, r in enumerate(refs, 1)]
        if pc.variants:
            outs = list(dict.fromkeys(c.claim.output for c in pc.claims if c.claim.output not in ("units",)))
            v = Table("What the preset's sourced alternatives give", (Column("Variant", fold=True),) +
                      tuple(Column(f"{o} ({output_scale(o)[2]})", "right") for o in outs))
            for label, _, r in [("as the preset stands", "", pc.result)] + list(pc.variants):
                v.rows.append((label,) + tuple(human(OUTPUTS[o].read(r) * output_scale(o)[0]) for o in outs))
            view.append(v)
        view.append(Line())
    view.append(Line("Verdict: 'consistent' within the claim's tolerance (10 % unless it says otherwise); 'higher' or "
                     "'lower': emiss's figure from the preset's inputs, against the figure or the nearest edge of its range. "
                     "'What it would take': the value of the input that moves this figure most (of the preset's ranges) "
                     "that would make the claim true."))
    if timeline and len(checks) > 1:
        view += [Line()] + timeline_view(checks)
    return view


def timeline_view(checks: Sequence[Any]) -> View:
    """Return the presets of one story in date order with their headline figures and how their claims fare."""
    t = Table("Timeline: the record, preset by preset", (Column("Date"), Column("Preset"), Column("Units", "right"),
                                                         Column("MW", "right"), Column("NOx short tons/yr", "right", fold=True),
                                                         Column("Claims consistent", "right", fold=True),
                                                         Column("Homes", "right", optional=True),
                                                         Column("CO2e tonnes/yr", "right", fold=True, optional=True)))
    for pc in sorted(checks, key=lambda p: (p.date or "9999", p.name)):
        h = _headline(pc.result)
        ok = sum(1 for c in pc.claims if c.verdict == "consistent")
        t.rows.append((pc.date or "-", pc.name, str(h["units"]), human(h["capacity"]["value"]), human(h["nox"]["value"]),
                       f"{ok} of {len(pc.claims)}", human(h["households"]["value"]), human(h["co2e"]["value"])))
    return [t, Line("Each row: the preset's central inputs, potential to emit unless the preset says otherwise.")]
