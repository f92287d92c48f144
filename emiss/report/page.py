"""What a published page says before its tables: the finding sentence, the headline cards (one mass unit, the P50
and its P5-P95 with --samples) and the provenance a reader needs to check it (version, date, command, hashes)."""

from __future__ import annotations

import datetime
import shlex
from typing import Any, Sequence

from emiss.version import __version__
from emiss.data import input_name, name_in_text
from emiss.core.outputs import megawatts, short_tons
from emiss.inputs.permit_limits import shown_text
from emiss.report.screening import at_potential
from emiss.report.views import SHORT_NAMES, capacity_text, human, lb_to, to_spread

MASS_WORDS = {"short_ton": "US short tons", "metric_ton": "metric tonnes", "lb": "pounds", "pound": "pounds", "kg": "kilograms",
              "kilogram": "kilograms", "tonne": "metric tonnes", "t": "metric tonnes", "ton": "US short tons"}
DEFAULT_MASS = "short_ton"
HEADLINE = ("nox", "co2e", "hcho")


def mass_words(unit: str) -> str:
    """Return a mass unit in words ('short_ton' -> 'US short tons')."""
    return MASS_WORDS.get(unit, unit)


def headline_cards(result: Any, *, spread: dict[str, Any] | None = None, pte: bool = False) -> list[tuple[Any, ...]]:
    """Return the cards a reader sees first: (label, (shown, exact), unit, JSON key, interval text).

    Masses are all in the scenario's mass unit (the JSON's ``value``); with ``spread`` the card shows the Monte Carlo
    P50 (the JSON's ``p50``) and its P5-P95. A PTE page shows potential to emit in short tons (the PTE JSON's
    facility totals) and no households.
    """
    sc = result.scenario
    e = result.emissions
    cards: list[tuple[Any, ...]] = []
    if pte:
        for p in ("nox", "co", "voc", "hcho"):
            v = short_tons(e[p].lb_per_year)
            cards.append((f"{SHORT_NAMES[p]}, potential to emit", (human(v), repr(float(v))), "US short tons a year",
                          f"facility.{p}.value", ""))
    else:
        per = lb_to(sc.mass_unit)
        for p in HEADLINE:
            # the card is labelled with the pollutant's name ('NOx'): 'calibrated factor' says the rest, as the
            # households card says 'calibrated'; '(factor nox)' put the id under the name (the finding names the input)
            words = mass_words(sc.mass_unit) + " a year" + (
                "; calibrated factor" if any(f.status == "calibrated" for _, f in e[p].factors) else "")
            if spread and p in spread:
                s = spread[p]
                lo, mid, hi = s.p5 * per, s.p50 * per, s.p95 * per
                cards.append((f"{SHORT_NAMES[p]}, P50", (to_spread(mid, lo, hi), repr(float(mid))), words, f"emissions.{p}.p50",
                              f"P5-P95: {to_spread(lo, lo, hi)} to {to_spread(hi, lo, hi)}"))
            else:
                v = e[p].lb_per_year * per
                cards.append((SHORT_NAMES[p], (human(v), repr(float(v))), words, f"emissions.{p}.value", ""))
    if not pte:  # a PTE document has no capacity or households: its finding says the MW
        cards.append(("Capacity", (capacity_text(megawatts(result.capacity_kw)), repr(megawatts(float(result.capacity_kw)))), "MW",
                      "capacity.value", ""))
        homes_calibrated = any(a.status == "calibrated" and a.name.startswith("households") for a in sc.assumptions)
        cards.append(("Households (headline)", (human(result.households), repr(float(result.households))),
                      f"{sc.households_method} view" + ("; calibrated" if homes_calibrated else ""), "households.value", ""))
    return cards


def _names(items: Sequence[str]) -> str:
    items = list(dict.fromkeys(items))
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def flagged_inputs(result: Any, status: str) -> list[str]:
    """Return, by name, the inputs of ``status`` ('calibrated', 'recalled') behind the figures: assumptions and factors."""
    sc = result.scenario
    out = [input_name(a.name) for a in sc.assumptions if a.status == status]
    for p in ("nox", "co", "voc", "pm", "so2", "hcho", "hap", "co2", "ch4", "n2o"):
        for group, f in result.emissions[p].factors:
            if f.status == status:
                # named by the one rule the tables use ('the PM factor'): the bracket of 'PM (PM2.5, total)' put a
                # second pair of brackets in the sentence, and the Assumptions table names the factor without it
                out.append(f"the {input_name(f'factor {p}')}")
    return list(dict.fromkeys(out))


def page_finding(result: Any, *, pte: bool = False, calibrated: bool = True) -> str:
    """Return the one sentence a page opens with: on which basis, what crosses a major-source threshold, and which
    figures rest on calibrated or unverified inputs, by name."""
    sc = result.scenario
    n = sum(int(g.count) for g in sc.groups)
    mw = megawatts(result.capacity_kw)
    # as the screening judges: the PTE as its enforceable limits cap it, a partial or lower-bound total never 'below'
    rows = {p: [s for s in result.screening if s.pollutant == p and s.threshold_id.startswith(("title_v", "hap"))]
            for p in _thresholds(result)}
    # named mid-sentence: 'formaldehyde', as running text gives a common noun; NOx, CO, HAPs as they are
    crossed = [name_in_text(SHORT_NAMES[p]) for p, hits in rows.items() if any(s.crossed for s in hits)]
    unknown = [name_in_text(SHORT_NAMES[p]) for p, hits in rows.items() if any(s.crossed is None for s in hits)]
    kept = any(s.state == "synthetic minor" for hits in rows.values() for s in hits)
    hours = float(result.hours)
    if pte:
        basis = "Counted as potential to emit (every unit at full output for the hours allowed)"
    else:  # from the hours computed, not the preset's label (a solved or varied run changes the hours, not the label)
        year, load = float(sc.year_hours), sc.load
        if load is not None and load < 1:  # part load: neither full-load hours nor the potential to emit
            basis = f"At {hours:,.0f} hours a year at {load:.0%} load"
        else:
            basis = f"At {hours:,.0f} full-load hours a year" + (" (all year: potential to emit)" if hours == year else
                                                                 f" (more than the {year:,.0f} h in a year)" if hours > year else "")
    text = f"{basis}, the {n} units ({mw:,.0f} MW) " + (
        f"are above a major-source threshold for {_names(crossed)}" if crossed
        else f"cannot be shown below every major-source threshold ({_names(unknown)}: a total is only a lower bound)"
        if unknown else "stay below every major-source threshold" + (" by enforceable limits" if kept else ""))
    more = {name_in_text(SHORT_NAMES.get(s.pollutant, s.pollutant)) for s in at_potential(result)} - set(crossed) if not pte else set()
    if later := sorted(more):  # (a pollutant already above one threshold is named above)
        text += (f"; as potential to emit ({float(sc.year_hours):,.0f} h a year: the hours given are not an enforceable "
                 f"limit) also above one for {_names(later)}")
    over = [r for r in _limit_rows(result) if r["kind"] == "annual" and not r["within"]]
    if over:
        # one level of brackets: a name such as 'PM (PM2.5, total)' has its own, so the figures follow a colon
        text += f"; above the permit's own annual limit{'s' if len(over) > 1 else ''}: " + _names(
            [f"{name_in_text(SHORT_NAMES.get(r['pollutant'], r['pollutant']))} at {human(short_tons(r['estimate']['value']))} tpy"
             f"{' for its highest unit' if r['per'] == 'unit' else ''} against its cap of "
             f"{shown_text(r['limit']['as_given'], r['per'])}" for r in over])
    flagged, recalled = (flagged_inputs(result, "calibrated") if calibrated else []), flagged_inputs(result, "recalled")
    if flagged:
        text += f"; calibrated to a published figure, not measured: {_names(flagged)}"
    if recalled:
        text += f"; unverified (not read in a copy of the source): {_names(recalled)}"
    return text + "."


def _limit_rows(result: Any) -> list[dict[str, Any]]:
    from emiss.analysis.permit import compare

    return [compare(result, lim) for lim in result.scenario.limits]


def _thresholds(result: Any) -> dict[str, tuple[float, str]]:
    out: dict[str, tuple[float, str]] = {}
    for s in result.screening:
        if s.threshold_id.startswith(("title_v", "hap")) and (s.pollutant not in out or s.threshold_tons < out[s.pollutant][0]):
            out[s.pollutant] = (s.threshold_tons, "the HAP" if s.threshold_id.startswith("hap") else "Title V's")
    return out


def page_detail(result: Any, *, spread: dict[str, Any] | None = None, pte: bool = False) -> str:
    """Return the paragraph under the finding: each screened pollutant against its threshold, and the mass unit."""
    parts = []
    for p, (t, program) in _thresholds(result).items():
        tons = short_tons(result.emissions[p].lb_per_year)
        text = f"{name_in_text(SHORT_NAMES[p])} {human(tons)}"
        if spread and p in spread and not pte:
            s = spread[p]
            lo, hi = short_tons(s.p5), short_tons(s.p95)
            text += f" (P50 {to_spread(short_tons(s.p50), lo, hi)}, P5-P95 {to_spread(lo, lo, hi)} to {to_spread(hi, lo, hi)})"
        parts.append(f"{text} against {program} {t:g}")
    out = "Central estimates against the major-source thresholds, US short tons a year: " + "; ".join(parts) + "."
    if not pte:
        unit = result.scenario.mass_unit
        out += f" Masses on this page are in {mass_words(unit)}" + (
            " (the default; --mass-unit changes it)." if unit == DEFAULT_MASS else " (as --mass-unit asked).")
    return out


def provenance(result: Any = None, run: dict[str, Any] | None = None, argv: Sequence[str] | None = None) -> dict[str, Any]:
    """Return what the page's footer states: emiss version, run date (UTC), the command line, and, for a run with a
    result, its inputs_sha256 and the data files' hashes (as --manifest writes them)."""
    from emiss.report.methods import _data_file_hashes, manifest

    out: dict[str, Any] = {"emiss_version": __version__,
                           "run_date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d"),
                           "command": "emiss " + shlex.join(list(argv or []))}
    if result is not None:
        m = manifest(result, run)
        out["inputs_sha256"] = m["inputs_sha256"]
        out["data_files_sha256"] = m["data_files_sha256"]
    else:
        out["data_files_sha256"] = _data_file_hashes()
    return out


def check_finding(results: Sequence[Any]) -> str:
    """Return the sentence a check page opens with: the verdicts counted over every preset, the claims that are not
    borne out by name (pollutant, verdict, preset), and how many were only reproduced by calibration."""
    from emiss.analysis.claims import CALIBRATED, FAILED
    from emiss.report.checks import VERDICT_WORDS

    claims = [(pc, c) for pc in results for c in pc.claims]
    counts: dict[str, int] = {}
    for _, c in claims:
        word = VERDICT_WORDS.get(c.verdict, c.verdict)
        counts[word] = counts.get(word, 0) + 1
    text = f"{len(claims)} published figures" + (f" from {len(results)} presets" if len(results) > 1 else "") + ": " + \
        ", ".join(f"{n} {w}" for w, n in counts.items())
    failed = [f"{name_in_text(SHORT_NAMES.get(c.claim.output, c.claim.output).split(' (')[0])} {c.verdict}" + (f" ({pc.name})" if len(results) > 1 else "")
              for pc, c in claims if c.verdict in FAILED]
    if failed:
        text += "; not borne out: " + _names(failed)
    elif claims:
        text += "; none contradicted"
    calibrated = sum(c.verdict == CALIBRATED for _, c in claims)
    if calibrated:
        text += f"; {calibrated} only reproduced by calibration, not an independent check"
    return text + "."


def sensitivity_finding(output: str, central: float, swings: Sequence[Any]) -> str:
    """Return the sentence a sensitivity page opens with: the central value, and the input that moves the output most,
    with the output at that input's low and high end (the tornado's top bar), in the output's shown unit."""
    from emiss.report.views import output_scale

    scale, _, unit = output_scale(output)
    label = SHORT_NAMES.get(output, output).split(" (")[0]
    text = f"{label} is {human(central * scale)} {unit} at the central inputs"
    moving = [s for s in swings if s.low_output != s.high_output]
    if moving:
        top = max(moving, key=lambda s: abs(s.high_output - s.low_output))
        text += (f"; {input_name(top.name)} moves it most: {human(top.low_output * scale)} at its low end, "
                 f"{human(top.high_output * scale)} at its high end")
    return text + "."


def cluster_finding(results: Sequence[Any]) -> str:
    """Return the sentence a cluster page opens with: for each GPU count, the facility load, the units it takes, and
    the pollutants above a major-source threshold (as the screening judges them, as page_finding does)."""
    parts = []
    for cr in results:
        plan, result = cr.plan, cr.result
        hits = {p: [s for s in result.screening if s.pollutant == p and s.threshold_id.startswith(("title_v", "hap"))]
                for p in _thresholds(result)}
        crossed = [name_in_text(SHORT_NAMES[p].split(" (")[0]) for p, h in hits.items() if any(s.crossed for s in h)]
        unknown = [name_in_text(SHORT_NAMES[p].split(" (")[0]) for p, h in hits.items() if any(s.crossed is None for s in h)]
        text = (f"{plan.gpus:,} {plan.gpu['id'].upper()} GPUs need {human(megawatts(plan.facility_kw))} MW at the facility, "
                f"{plan.running} unit{'' if plan.running == 1 else 's'} running"
                + (f" ({plan.total} with spares)" if plan.total > plan.running else ""))
        parts.append(text + (f", above a major-source threshold for {_names(crossed)}" if crossed
                             else f", not shown below every major-source threshold ({_names(unknown)}: a lower bound)"
                             if unknown else ", below every major-source threshold"))
    return "; ".join(parts) + "."


COMPARE_LEAD = ("nox", "co2e")  # the pollutants a compare page's finding ranks the scenarios by


def compare_finding(table: Any) -> str:
    """Return the sentence a compare page opens with: for NOx and CO2e, the scenario that emits the most and the one
    that emits the least, in US short tons a year (scenarios without the figure left out)."""
    parts = []
    for p in COMPARE_LEAD:
        known = [(c.label, short_tons(v)) for c in table.columns if (v := c.value(p)) is not None]
        if len(known) < 2:
            continue
        top, low = max(known, key=lambda x: x[1]), min(known, key=lambda x: x[1])
        name = SHORT_NAMES[p]
        if top[1] == low[1]:
            parts.append(f"{name} is the same in every scenario ({human(top[1])})")
        else:
            parts.append(f"most {name}: {top[0]} ({human(top[1])}), least: {low[0]} ({human(low[1])})")
    if not parts:
        return ""
    text = f"{len(table.columns)} scenarios, US short tons a year: " + "; ".join(parts)
    return text[0].upper() + text[1:] + "."
