"""Published figures checked against the estimate: the document of 'emiss check', its rows, its view, the timeline,
and the fact-check sheet (Markdown): one line per claim (as published, verdict, why in one sentence), then the sources.
"""

from __future__ import annotations

import math
from typing import Any, Sequence

from emiss import data
from emiss.core import units
from emiss.core.model import Result
from emiss.core.outputs import OUTPUTS, U_TONNES_YR, U_TONS_YR, pint_unit, short_tons
from emiss.report.views import Cell, Column, Line, Table, View, capacity_text, human, lb_to, output_entry, output_name, output_scale, output_text, sig4

VERDICT_WORDS = {"not-comparable": "not comparable"}
LEGEND = ("Verdicts fit the kind of claim: a figure is 'consistent' within its tolerance (10 % unless it says otherwise; "
          "a count of units exactly), "
          "else 'higher' or 'lower'; a bound 'holds' or 'fails'; a range: 'inside', 'above' or 'below'; a permit cap is "
          "'met' or 'exceeded'. Each is judged at the published figure's own precision. 'calibrated': reproduced by "
          "calibration, not an independent check. 'not comparable': the claim is about another plant, fleet or date. "
          "'What it would take': one input, within what it can possibly be, that would make the claim true (the one the "
          "claim's source speaks of first), and whether it lies in the preset's range.")


def calibrated_inputs(result: Result) -> list[str]:
    """Return every input of an estimate calibrated to reproduce a published figure, by name (factors included)."""
    sc = result.scenario
    names = [a.name for a in sc.assumptions if a.status == "calibrated"]
    for pol, e in result.emissions.items():
        names += [f"factor {pol}" for _, f in e.factors if f.status == "calibrated"]
    return list(dict.fromkeys(names))


def _num(output: str, v: float) -> str:
    return f"{v:,.0f}" if output in ("units",) or output.startswith("households") else output_text(output, v)


def _as_published(output: str, v: float) -> str:
    """Return a published figure with no zeros its source did not write: '130', not '130.0' (a reader took the
    '130.0 short tons/yr' CNBC reported as a figure given to the tenth); '9.8', '1,200'."""
    text = _num(output, v)
    return text.rstrip("0").rstrip(".") if "." in text else text


SMALLEST_DIFF = 0.001  # percent: a difference under it is written '+<0.001%' (one figure of it would need an exponent)


def _diff(pct: float) -> str:
    """Return a claim's difference for the table: whole percent, but a difference under one percent to one figure
    ('-0.1%' for 129.8 against 130, '+0.02%' for 247.05 MW against 247), where '-0%' and '+0%' read as 'equal'."""
    if pct == 0 or abs(pct) >= 0.95:
        return f"{pct:+.0f}%"
    return f"{pct:+.1g}%" if abs(pct) >= SMALLEST_DIFF else f"{'+' if pct > 0 else '-'}<{SMALLEST_DIFF:g}%"


def published(c: Any) -> str:
    """Return the claim's figure as people read it: 'at least 35 MW', '1,200..2,100 short tons/yr', 'cap 87 ...'."""
    cl = c.claim
    scale, _, short = output_scale(cl.output)
    if cl.kind == "range":
        return f"{_as_published(cl.output, cl.low * scale)}..{_as_published(cl.output, cl.high * scale)} {short}"
    word = {"at-least": "at least ", "at-most": "at most ", "cap": "cap "}.get(cl.kind, "")
    text = f"{word}{_as_published(cl.output, cl.low * scale)} {short}"
    if cl.basis:
        text += f" ({cl.basis} basis)"
    return text


def why(c: Any, *, for_people: bool = False) -> str:
    """Return the verdict's reason in one sentence; ``for_people``: the inputs by the names the tables give them ('NOx
    factor'), else as the JSON names them ('factor nox', which scripts select on)."""
    cl = c.claim
    scale, _, short = output_scale(cl.output)
    est = f"{_num(cl.output, c.estimate * scale)} {short}"
    gap = f"{_num(cl.output, abs(c.difference) * scale)} {short} ({c.difference_pct:+.1f} %)"
    if c.verdict == "not-comparable":
        return f"not comparable here: it is about {c.about}"
    if c.verdict == "calibrated":
        from emiss.analysis.check import CALIBRATED_NOTE

        names = [data.input_name(n) for n in c.calibrated_by] if for_people else list(c.calibrated_by)
        return (f"{CALIBRATED_NOTE}: {', '.join(names)} "
                f"{'was' if len(c.calibrated_by) == 1 else 'were'} chosen to give it (emiss {est}; on the figures alone: {c.judged})")
    if cl.kind == "point":
        band = (f"{_num(cl.output, cl.tolerance_abs * scale)} {short}" if cl.tolerance_abs is not None
                else f"{cl.tolerance * 100:g} %")
        if c.verdict == "consistent":
            if cl.tolerance_abs is None and cl.tolerance == 0:
                return f"emiss gives {est}, the published figure at its precision"
            return f"emiss gives {est}, within {band} of the published figure"
        return f"emiss gives {est}, {gap} {'above' if c.difference > 0 else 'below'} it: beyond the {band} tolerance"
    if cl.kind in ("at-least", "at-most"):
        if c.difference == 0:
            return f"emiss gives {est}, at the bound"
        side = "above" if c.difference > 0 else "below"
        if c.verdict == "holds" and (side == "above") == (cl.kind == "at-most"):  # past the bound, but not at its precision
            return (f"emiss gives {est}, at the bound at the published figure's precision "
                    f"({_num(cl.output, abs(c.difference) * scale)} {short} {side} it)")
        return f"emiss gives {est}, {gap} {side} the bound"
    if cl.kind == "cap":
        if c.verdict == "met":
            return f"emiss's potential to emit is {est}, {_num(cl.output, abs(c.difference) * scale)} {short} under the cap"
        return f"emiss's potential to emit is {est}, {gap} over the cap"
    if c.verdict == "inside":
        return f"emiss gives {est}, inside the published range"
    return f"emiss gives {est}, {gap} {c.verdict} the range's {'top' if c.verdict == 'above' else 'bottom'}"


def short_why(c: Any) -> str:
    """Return the table's note for a claim that is not judged on the figures alone ('' for the others)."""
    if c.verdict == "calibrated":
        return f"reproduced by calibration ({'; '.join(map(data.input_name, c.calibrated_by))}), not an independent check"
    if c.verdict == "not-comparable":
        return f"not comparable here: it is about {c.about}"
    cl = c.claim
    if (c.verdict == "holds" and cl.kind in ("at-least", "at-most") and c.difference != 0
            and (c.difference > 0) == (cl.kind == "at-most")):
        # past the bound as the table writes it ('at most 247 MW' beside 247.05 MW, holds) but not at the published
        # figure's precision ('up to 247 MW'): say why it holds, or the row reads as a contradiction
        scale, _, short = output_scale(cl.output)
        return (f"holds at the published figure's precision ({cl.text}); emiss is "
                f"{_num(cl.output, abs(c.difference) * scale)} {short} {'above' if c.difference > 0 else 'below'} it")
    return ""


def implied_text(c: Any) -> str:
    """Return what it would take, for a claim the figures do not bear out ('' otherwise), naming the input as the tables
    do ('NOx factor (all units)')."""
    i = c.implied
    if i is None:
        return ""
    if not i.input:
        return i.problem
    name = data.input_name(i.input)
    ppm = _as_ppm(i)
    lo, hi = i.low, i.high
    if ppm is not None:
        per = ppm / i.value
        shown, lo, hi, unit = f"{sig4(ppm)} ppmvd@15%O2", lo * per, hi * per, " ppm"
    else:
        shown, unit = f"{sig4(i.value)} {i.unit}".strip(), ""
    if c.claim.kind == "cap":
        text = f"the cap allows {name} up to {shown}"
        if i.range_kind == "preset":
            text += f" ({'inside' if i.plausible else 'outside'} the preset's range, {sig4(lo)}..{sig4(hi)}{unit})"
        return text + (f"; {i.detail}" if i.detail else "")
    if i.range_kind == "none":
        return f"{name} = {shown}" + (f"; {i.detail}" if i.detail else "")
    which = "the preset's" if i.range_kind == "preset" else "a plausible"
    where = "inside" if i.plausible else "outside"
    text = f"{name} = {shown} ({where} {which} range, {sig4(lo)}..{sig4(hi)}{unit})"
    return text + (f"; {i.detail}" if i.detail else "")


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


def _headline(r: Result) -> dict[str, Any]:
    return {"units": sum(int(g.count) for g in r.scenario.groups), "capacity": output_entry("capacity", r),
            "nox": {"value": short_tons(r.emissions["nox"].lb_per_year), "unit": U_TONS_YR,
                    "complete": r.emissions["nox"].complete},
            "co2e": {"value": r.emissions["co2e"].lb_per_year * lb_to("metric_ton"), "unit": U_TONNES_YR},
            "households": {"value": r.households, "method": r.scenario.households_method}}


def _implied_doc(i: Any) -> dict[str, Any] | None:
    if i is None:
        return None
    if not i.input:
        return {"input": None, "value": None, "unit": None, "range": None, "plausible": False, "feasible": i.feasible,
                "problem": i.problem}
    rng = {"low": i.low, "high": i.high} if math.isfinite(i.low) and math.isfinite(i.high) else None
    doc = {"input": i.input, "value": i.value, "unit": pint_unit(i.unit), "range": rng,
           "possible": {"low": i.possible[0], "high": i.possible[1] if math.isfinite(i.possible[1]) else None},
           "range_kind": i.range_kind, "plausible": i.plausible, "feasible": i.feasible, "problem": i.problem or None}
    if i.detail:
        doc["detail"] = i.detail
    ppm = _as_ppm(i)
    if ppm is not None:
        doc["ppmvd@15%O2"] = ppm
    return doc


def check_doc(checks: Sequence[Any]) -> dict[str, Any]:
    """Return checked claims as the JSON document of 'emiss check'."""
    presets = []
    for pc in checks:
        claims_out = []
        for c in pc.claims:
            scale, unit, _ = output_scale(c.claim.output)
            cl = c.claim
            pub: dict[str, Any] = ({"value": cl.low * scale, "unit": unit} if cl.low == cl.high
                                   else {"low": cl.low * scale, "high": cl.high * scale, "unit": unit})
            pub.update(relation=cl.relation, kind=cl.kind, as_published=cl.text,
                       tolerance=cl.tolerance if cl.kind == "point" and cl.tolerance_abs is None else None)
            if cl.tolerance_abs is not None:
                pub["tolerance_quantity"] = {"value": cl.tolerance_abs * scale, "unit": unit}
            claims_out.append({
                "output": cl.output, "kind": cl.kind, "published": pub, "estimate": {"value": c.estimate * scale, "unit": unit},
                "difference_pct": c.difference_pct, "margin": {"value": c.difference * scale, "unit": unit, "pct": c.difference_pct},
                "verdict": c.verdict, "judged": c.judged or c.verdict, "why": why(c), "implied": _implied_doc(c.implied),
                "calibrated_by": list(c.calibrated_by) or None, "scope": cl.scope or None, "about": c.about or None,
                "basis": cl.basis or None, "decided_by": list(c.decided_by), "condition": dict(cl.given) or None,
                "source": {"who": cl.who, "when": cl.when, "source": cl.source, "quote": cl.quote, "status": cl.status},
                "note": " ".join(x for x in (cl.note, c.note) if x) or None,
            })
        presets.append({"preset": pc.name, "title": pc.title, "date": pc.date, "claims": claims_out,
                        "headline": _headline(pc.result), "calibrated": calibrated_inputs(pc.result),
                        "variants": [{"label": label, "note": note or None, "headline": _headline(r)} for label, note, r in pc.variants]})
    return {"presets": presets}


CHECK_FIELDS = ("preset", "date", "output", "kind", "published", "published_unit", "relation", "estimate", "unit", "difference_pct",
                "verdict", "implied_input", "implied_value", "implied_unit", "plausible", "who", "when", "source", "why",
                "calibrated_by")


def check_rows(checks: Sequence[Any]) -> list[dict[str, Any]]:
    """Return one row per claim for csv/tsv/ndjson."""
    rows = []
    for p in check_doc(checks)["presets"]:
        for c in p["claims"]:
            pub = c["published"]
            i = c["implied"] or {}
            rows.append({"preset": p["preset"], "date": p["date"], "output": c["output"], "kind": c["kind"],
                         "published": pub.get("value", f"{pub.get('low')}..{pub.get('high')}"), "published_unit": pub["unit"],
                         "relation": pub["relation"], "estimate": c["estimate"]["value"], "unit": c["estimate"]["unit"],
                         "difference_pct": c["difference_pct"], "verdict": c["verdict"], "implied_input": i.get("input") or "",
                         "implied_value": "" if i.get("value") is None else i["value"], "implied_unit": i.get("unit") or "",
                         "plausible": i.get("plausible", ""),
                         "who": c["source"]["who"], "when": c["source"]["when"], "source": c["source"]["source"],
                         "why": c["why"], "calibrated_by": "; ".join(c["calibrated_by"] or [])})
    return rows


def _ref(c: Any) -> str:
    cl = c.claim
    return f"{cl.who}, {cl.when}: {cl.source}" + (f' "{cl.quote}"' if cl.quote else "")


def _label(c: Any, n: int) -> str:
    """Return a claim's row label: what it is about as the tables name it ('NOx [2]', 'Fleet capacity [4]'), and the
    inputs it assumes ('if NOx 2 ppmvd@15%O2')."""
    label = f"{output_name(c.claim.output)} [{n}]"
    return label + (" if " + _given(c) if c.claim.given else "")


def _given(c: Any) -> str:
    """Return the inputs a claim assumes as people read them: a factor by the pollutant's name ('NOx 2 ppmvd@15%O2')."""
    return ", ".join(f"{data.pollutant_name(k[len('factor.'):]) if k.startswith('factor.') else k} {v}" for k, v in c.claim.given)


def lead(pc: Any) -> str:
    """Return a preset's lead line: its verdicts counted, and the calibrated inputs by name."""
    counts: dict[str, int] = {}
    for c in pc.claims:
        w = VERDICT_WORDS.get(c.verdict, c.verdict)
        counts[w] = counts.get(w, 0) + 1
    text = f"{len(pc.claims)} published figures: " + ", ".join(f"{n} {w}" for w, n in counts.items()) + "."
    cal = calibrated_inputs(pc.result)
    if cal:
        text += " Calibrated to reproduce published figures, not measured: " + "; ".join(map(data.input_name, cal)) + "."
    return text


def _claims_table(pc: Any) -> tuple[Table, list[str]]:
    """Return a preset's claims beside emiss's figures, and the sources its '[n]' labels number."""
    t = Table(f"Published figures checked: preset {pc.name}",
              (Column("Claim", fold=True), Column("Published", fold=True), Column("emiss", "right", fold=True),
               Column("Diff", "right"), Column("Verdict"), Column("What it would take", fold=True)))
    refs: list[str] = []
    for c in pc.claims:
        scale, _, short = output_scale(c.claim.output)
        ref = _ref(c)
        if ref not in refs:
            refs.append(ref)
        style = "alert" if c.failed else ""
        take = implied_text(c) if c.failed or c.claim.kind == "cap" else short_why(c)
        t.rows.append((_label(c, refs.index(ref) + 1), published(c), f"{_num(c.claim.output, c.estimate * scale)} {short}",
                       "" if c.verdict == "not-comparable" else _diff(c.difference_pct), Cell(VERDICT_WORDS.get(c.verdict, c.verdict), style), take))
    return t, refs


def _variants_table(pc: Any) -> Table | None:
    """Return what the preset's sourced alternatives give (None for a preset without any)."""
    if not pc.variants:
        return None
    outs = list(dict.fromkeys(c.claim.output for c in pc.claims if c.claim.output not in ("units",)))
    v = Table("What the preset's sourced alternatives give", (Column("Variant", fold=True),) +
              tuple(Column(f"{output_name(o)}, {output_scale(o)[2]}", "right") for o in outs))
    for label, _, r in [("as the preset stands", "", pc.result)] + list(pc.variants):
        v.rows.append((label,) + tuple(output_text(o, OUTPUTS[o].read(r) * output_scale(o)[0]) for o in outs))
    return v


def _heading(pc: Any) -> Line:
    return Line(f"{pc.title or pc.name}" + (f" ({pc.date})" if pc.date else ""), "bold")


def check_view(checks: Sequence[Any], *, timeline: bool = False) -> View:
    """Return each preset's claims side by side with emiss's figures, then (for several presets) the timeline."""
    view: View = []
    for pc in checks:
        view += [_heading(pc), Line(lead(pc))]
        t, refs = _claims_table(pc)
        view.append(t)
        view += [Line(f"[{n}] {r}") for n, r in enumerate(refs, 1)]
        if (v := _variants_table(pc)) is not None:
            view.append(v)
        view.append(Line())
    return view + _closing(checks, timeline)


def _closing(checks: Sequence[Any], timeline: bool) -> View:
    """Return the end of a check view: the legend of the verdicts, then the timeline of several presets."""
    return [Line(LEGEND)] + ([Line()] + timeline_view(checks) if timeline and len(checks) > 1 else [])


def timeline_view(checks: Sequence[Any]) -> View:
    """Return the presets of one story in date order with their headline figures and how their claims fare."""
    t = Table("Timeline: the record, preset by preset", (Column("Date"), Column("Preset", whole=True), Column("Units", "right"),
                                                         Column("MW", "right"), Column("NOx short tons/yr", "right", wrap_heading=True),
                                                         Column("Claims borne out", "right", fold=True),
                                                         Column("Homes", "right", optional=True),
                                                         Column("CO2e tonnes/yr", "right", fold=True, optional=True)))
    # homes are each preset's headline view: memphis's is by capacity (2 kW a home, calibrated to '50,000 homes'), the
    # others' by energy (10,791 kWh a home): side by side unmarked, 49,500 for 99 MW beside 200,552 for 247 MW read as
    # one measure. Where the views differ, each cell names its own
    methods = {pc.result.scenario.households_method for pc in checks}
    mixed = len(methods) > 1
    for pc in sorted(checks, key=lambda p: (p.date or "9999", p.name)):
        h = _headline(pc.result)
        judged = [c for c in pc.claims if c.verdict not in ("calibrated", "not-comparable")]
        ok = sum(1 for c in judged if not c.failed)
        cal = sum(1 for c in pc.claims if c.verdict == "calibrated")
        t.rows.append((pc.date or "-", pc.name, str(h["units"]), capacity_text(h["capacity"]["value"]), human(h["nox"]["value"]),
                       f"{ok} of {len(judged)}" + (f" (+{cal} calibrated)" if cal else ""),
                       human(h["households"]["value"]) + (f" ({h['households']['method']})" if mixed else ""),
                       human(h["co2e"]["value"])))
    return [t, Line("Each row: the preset's central inputs, potential to emit unless the preset says otherwise. 'Borne out': "
                    "the claims judged on the figures (not calibrated, comparable here) that are consistent, hold, are inside "
                    "or are met.")] + ([Line("Homes: each preset's headline view, as marked, not one measure: energy is "
                                             "generation / electricity use a home a year, capacity is MW / kW of demand a "
                                             "home, co2 is CO2 / a home's energy-use CO2 a year.")] if mixed else [])


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;").replace("\n", " ")


def _sheet(pc: Any) -> tuple[list[tuple[int, str, str, str]], list[Any]]:
    """Return a preset's fact-check lines (source number, the claim as published, verdict, why) and its sources."""
    refs: list[Any] = []
    lines = []
    for c in pc.claims:
        if _ref(c) not in [_ref(r) for r in refs]:
            refs.append(c)
        n = [_ref(r) for r in refs].index(_ref(c)) + 1
        claim = c.claim.quote or c.claim.text
        if c.claim.given:
            claim += f" (if {_given(c)})"
        reason = why(c, for_people=True)
        take = implied_text(c) if c.failed or c.claim.kind == "cap" else ""
        if take:
            reason += f". What it would take: {take}"
        lines.append((n, f"{claim} ({published(c)})", VERDICT_WORDS.get(c.verdict, c.verdict), reason + "."))
    return lines, refs


def _source_line(n: int, cl: Any) -> str:
    quote = f' "{cl.quote}"' if cl.quote else ""
    return f"{n}. {cl.who}, {cl.when}: {cl.source} ({cl.status}).{quote}"


def factcheck_view(checks: Sequence[Any], *, timeline: bool = False) -> View:
    """Return the page of 'check --html': for each preset, its title and lead line once, the fact-check sheet (one row
    per claim, then the numbered sources), its claims beside emiss's figures (whose '[n]' are those sources) and its
    variants; then the legend and (for several presets) the timeline."""
    view: View = []
    for pc in checks:
        lines, refs = _sheet(pc)
        view += [_heading(pc), Line(lead(pc))]
        t = Table("Fact check", (Column("#", "right"), Column("The claim, as published", fold=True), Column("Verdict"),
                                 Column("Why", fold=True)))
        t.rows.extend((str(n), claim, Cell(verdict, "alert" if verdict in FAILED_WORDS else ""), reason)
                      for n, claim, verdict, reason in lines)
        view.append(t)
        view += [Line("Sources:")] + [Line(_source_line(n, r.claim)) for n, r in enumerate(refs, 1)]
        view.append(_claims_table(pc)[0])  # numbered as the sources just listed: both count them in claim order
        if (v := _variants_table(pc)) is not None:
            view.append(v)
        view.append(Line())
    return view + _closing(checks, timeline)


FAILED_WORDS = ("higher", "lower", "fails", "above", "below", "exceeded")


def factcheck_markdown(checks: Sequence[Any]) -> str:
    """Return the claims as a fact-check sheet: one line per claim (as published, verdict, why), then the sources."""
    out = ["# Published figures, checked", ""]
    for pc in checks:
        lines, refs = _sheet(pc)
        out += [f"## {_md(pc.title or pc.name)}" + (f" ({pc.date})" if pc.date else ""), "", _md(lead(pc)), "",
                "| # | The claim, as published | Verdict | Why |", "|---:|---|---|---|"]
        out += [f"| {n} | {_md(claim)} | **{verdict}** | {_md(reason)} |" for n, claim, verdict, reason in lines]
        out += ["", "Sources:", ""] + [_md(_source_line(n, r.claim)) for n, r in enumerate(refs, 1)] + [""]
    out += [_md(LEGEND), ""]
    return "\n".join(out)
