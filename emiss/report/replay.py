"""Replay a run from its manifest (``emiss estimate --manifest run.json``): run it again and say whether every number
matches, or what changed — the emiss version, a data file, an input, or the manifest itself (inputs that no longer
match its own inputs_sha256). So a published figure can be checked by anyone who has the manifest."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from emiss.errors import EmissError, InputError
from emiss.version import __version__

RESULT_OUTPUTS = ("capacity", "units", "hours", "generation", "heat_input", "fuel", "households")


def results_of(result: Any, spread: dict[str, Any] | None = None) -> dict[str, float]:
    """Return every number of an estimate a manifest keeps (catalogue units: lb/yr, MW, MWh/yr, MMBtu/yr, scf/yr), by
    name; with a Monte Carlo spread, each output's P5, P50 and P95 too."""
    from emiss.core.outputs import OUTPUTS
    from emiss.data import POLLUTANTS

    out = {name: float(OUTPUTS[name].read(result)) for name in RESULT_OUTPUTS}
    out.update({f"emissions.{p}": float(result.emissions[p].lb_per_year) for p in POLLUTANTS})
    for name, s in (spread or {}).items():
        out.update({f"{name}.p5": s.p5, f"{name}.p50": s.p50, f"{name}.p95": s.p95})
    return out


def recipe_of(preset: str | None, overrides: dict[str, Any], limits: Any = ()) -> dict[str, Any]:
    """Return how to build the scenario again: the preset as given, the options as given, the extra limits."""
    return {"preset": preset, "overrides": dict(overrides), "limits": [list(x) for x in limits]}


@dataclass
class Replay:
    """What a replay found: each check (ok or not) with a line for people, and the numbers compared."""

    checks: list[tuple[str, bool, str]] = field(default_factory=list)  # (what, ok, text)
    numbers: int = 0
    changed: list[dict[str, Any]] = field(default_factory=list)

    @property
    def matches(self) -> bool:
        return all(ok for _, ok, _ in self.checks)

    def add(self, what: str, ok: bool, text: str) -> None:
        self.checks.append((what, ok, text))


def _short(value: Any, width: int = 60) -> str:
    import json

    text = json.dumps(value, sort_keys=True, default=str)
    return text if len(text) <= width else text[: width - 3] + "..."


MAX_DIFFERENCES = 6  # the differences named in one input's line; the rest counted


def _differences(path: str, a: Any, b: Any) -> list[tuple[str, Any, Any]]:
    """Return where ``a`` and ``b`` differ, as (place, then, now): into objects by key and lists by index, as deep as
    both have the same shape."""
    if isinstance(a, dict) and isinstance(b, dict):
        return [d for k in sorted(set(a) | set(b), key=str) if a.get(k) != b.get(k)
                for d in _differences(f"{path}.{k}" if path else str(k), a.get(k), b.get(k))]
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [d for i, (x, y) in enumerate(zip(a, b)) if x != y for d in _differences(f"{path}[{i}]", x, y)]
    return [(path, a, b)]


def replay(m: dict[str, Any]) -> Replay:
    """Run the manifest ``m`` again and compare: its own hash, the version, the data files, the inputs, every number."""
    from emiss.inputs.permit_limits import on_top, parse_limits
    from emiss.core.calc import estimate
    from emiss.inputs.scenario import scenario_from
    from emiss.report.methods import _data_file_hashes, inputs_sha256, manifest

    _check_shape(m)
    rp = Replay()
    own = inputs_sha256(m["inputs"])
    rp.add("manifest", own == m["inputs_sha256"],
           "its inputs match its own inputs_sha256" if own == m["inputs_sha256"] else
           f"its inputs no longer match its own inputs_sha256 ({m['inputs_sha256'][:12]}... written, {own[:12]}... now): "
           "the file was edited after it was written")
    rp.add("version", m["emiss_version"] == __version__,
           f"emiss {__version__}" if m["emiss_version"] == __version__ else f"emiss version: {m['emiss_version']} then, {__version__} now")
    old, now = m["data_files_sha256"], _data_file_hashes()
    for name in sorted(set(old) | set(now)):
        a, b = old.get(name), now.get(name)
        if a != b:
            rp.add(f"data:{name}", False, f"data file {name}: " + ("not shipped then" if a is None else "not shipped now" if b is None
                                                                   else f"sha256 {a[:12]}... then, {b[:12]}... now"))
    if all(old.get(n) == now.get(n) for n in set(old) | set(now)):
        rp.add("data", True, f"{len(now)} data files unchanged")
    recipe = m.get("recipe")
    if not recipe or "results" not in m:
        rp.add("rerun", False, "the manifest has no recipe or results (written by an older emiss): it cannot be run again")
        return rp
    try:  # the recipe is the manifest's data, not this command line: a bad one is bad data (exit 1), said as such
        sc = scenario_from(recipe.get("preset"), dict(recipe.get("overrides") or {}))
        extra = parse_limits(recipe.get("limits") or ())
    except EmissError as exc:
        raise InputError(f"the manifest's recipe cannot be run again: {exc}", where="replay") from None
    if extra:
        from dataclasses import replace

        sc = replace(sc, limits=on_top(sc.limits, extra))
    result = estimate(sc)
    run = m["inputs"].get("run") or {}
    spread = None
    if run.get("samples"):
        from emiss.analysis.uncertainty import sample_outputs, spreads

        try:  # the manifest's run, not this command line's (e.g. samples added to a run with no uncertain input)
            spread = spreads(sample_outputs(sc, int(run["samples"]), run.get("seed")))
        except EmissError as exc:
            raise InputError(f"the manifest's run cannot be drawn again: {exc}", where="replay") from None
    fresh = manifest(result, run)
    if fresh["inputs_sha256"] == m["inputs_sha256"]:
        rp.add("inputs", True, "the inputs are the same (inputs_sha256 " + m["inputs_sha256"][:12] + "...)")
    else:
        for key in sorted(set(m["inputs"]) | set(fresh["inputs"])):
            a, b = m["inputs"].get(key), fresh["inputs"].get(key)
            if a != b:
                # the values that differ, by their place ('fleet': [0].count 4 then, 5 now): the whole of a long list
                # cut to its first 60 characters read the same then and now
                where = [f"{p}{' ' if p else ''}{_short(x)} then, {_short(y)} now" for p, x, y in _differences("", a, b)]
                rp.add(f"input:{key}", False, f"input '{key}': {'; '.join(where[:MAX_DIFFERENCES])}"
                       + (f"; and {len(where) - MAX_DIFFERENCES} more" if len(where) > MAX_DIFFERENCES else ""))
    then, new = m["results"], results_of(result, spread)
    if spread is not None and run.get("seed") is None:
        # drawn without a seed (a manifest written before estimate drew and kept one): other draws give other percentiles, which is not a change;
        # the central numbers are still compared, and the check says why the percentiles cannot be
        drawn = {k for k in set(then) | set(new) if k.rsplit(".", 1)[-1] in ("p5", "p50", "p95")}
        then, new = {k: v for k, v in then.items() if k not in drawn}, {k: v for k, v in new.items() if k not in drawn}
        rp.add("seed", False, f"its {len(drawn)} Monte Carlo percentiles were drawn without a seed, so they cannot be "
                              "drawn again; the other numbers are compared")
    rp.numbers = len(set(then) | set(new))
    for name in sorted(set(then) | set(new), key=lambda n: (n not in then, n)):  # a number left out is a change too
        a, b = then.get(name), new.get(name)
        if a is None or b is None or not (a == b or (isinstance(a, float) and math.isnan(a) and math.isnan(b))):
            rel = (b - a) / abs(a) if (a is not None and b is not None and a) else None
            rp.changed.append({"output": name, "then": a, "now": b, "relative_change": rel})
    rp.add("numbers", not rp.changed, f"all {rp.numbers} numbers match" if not rp.changed else
           f"{len(rp.changed)} of {rp.numbers} numbers differ: " + "; ".join(
               f"{c['output']} {c['then']!r} then, {c['now']!r} now" + (f" ({100 * c['relative_change']:+.3g} %)" if c["relative_change"] is not None else "")
               for c in rp.changed[:6]) + ("; ..." if len(rp.changed) > 6 else ""))
    return rp


def _check_shape(m: Any) -> None:
    """Raise a one-line InputError unless ``m`` has the shape --manifest writes (hand edits included)."""
    from emiss.analysis.uncertainty import MAX_SAMPLES, MIN_SAMPLES

    def bad(what: str) -> InputError:
        return InputError(f"not a run manifest as emiss writes it: {what} (write one with emiss estimate --manifest FILE)",
                          where="replay")

    if not isinstance(m, dict):
        raise bad("not a JSON object")
    kinds = {"emiss_version": str, "data_files_sha256": dict, "inputs": dict, "inputs_sha256": str}
    for key, kind in kinds.items():
        if key not in m:
            raise bad(f"no '{key}'")
        if not isinstance(m[key], kind):
            raise bad(f"'{key}' is not {'text' if kind is str else 'an object'}")
    run = m["inputs"].get("run")
    if run is not None and not isinstance(run, dict):
        raise bad("'inputs.run' is not an object")
    for key in ("samples", "seed"):  # replay draws with them again: int('ten') or numpy's seed was a traceback
        v = (run or {}).get(key)
        if v is not None and (isinstance(v, bool) or not isinstance(v, int) or v < 0):
            raise bad(f"'inputs.run.{key}' is not a whole number, 0 or more")
    # a count estimate --samples refuses (exit 2: its option) is, in a manifest, the file's data (exit 1)
    samples = (run or {}).get("samples")
    if samples and not MIN_SAMPLES <= samples <= MAX_SAMPLES:
        raise bad(f"'inputs.run.samples' is {samples}: a run draws from {MIN_SAMPLES} to {MAX_SAMPLES:,} samples "
                  "(0 or null: none)")
    if "recipe" in m and m["recipe"] is not None:
        r = m["recipe"]
        if not isinstance(r, dict) or not isinstance(r.get("preset") or "", str) or not isinstance(
                r.get("overrides") or {}, dict) or not all(
                isinstance(x, (list, tuple)) and len(x) == 2 and all(isinstance(y, str) for y in x) for x in r.get("limits") or ()):
            raise bad("'recipe' is not {preset, overrides: {...}, limits: [[pollutant, quantity], ...]}")
    if "results" in m:
        res = m["results"]
        if not isinstance(res, dict) or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in res.values()):
            raise bad("'results' is not an object of numbers")


def replay_doc(path: str, rp: Replay) -> dict[str, Any]:
    """Return a replay as JSON: matches, each check, the numbers that differ."""
    return {"manifest": path, "matches": rp.matches, "numbers": rp.numbers,
            "checks": [{"check": w, "ok": ok, "text": t} for w, ok, t in rp.checks], "changed": rp.changed}


def replay_text(path: str, rp: Replay) -> str:
    """Return a replay for people: one line first (matches or not), then a line per check."""
    head = (f"{path}: every number matches ({rp.numbers} numbers)" if rp.matches
            else f"{path}: does NOT match: " + "; ".join(w for w, ok, _ in rp.checks if not ok))
    return head + "\n" + "".join(f"  {'ok  ' if ok else 'DIFF'} {t}\n" for _, ok, t in rp.checks)
