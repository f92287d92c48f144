"""Uncertain inputs: ranges and distributions, written in presets or on the command line."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from emiss.errors import InputError

KINDS = ("uniform", "triangular", "normal", "lognormal")
Z95 = 1.6448536269514722  # standard normal quantile at 0.95 (P5/P95 = centre -/+ Z95 sd)
_RANGE = re.compile(r"\.\.")


@dataclass(frozen=True)
class Dist:
    """A distribution over one input, in that input's canonical unit.

    uniform: a=low, b=high; triangular: a=low, b=high, c=mode; normal: a=mean, b=sd;
    lognormal: a=median, b=geometric standard deviation (> 1).
    """

    kind: str
    a: float
    b: float
    c: float = math.nan
    integer: bool = False

    def central(self) -> float:
        """Return the value used when the input is not sampled."""
        if self.kind == "uniform":
            return (self.a + self.b) / 2
        if self.kind == "triangular":
            return self.c
        return self.a

    def bounds(self) -> tuple[float, float]:
        """Return the low and high values for a one-at-a-time swing (P5/P95 for unbounded kinds)."""
        if self.kind in ("uniform", "triangular"):
            return self.a, self.b
        if self.kind == "normal":
            return self.a - Z95 * self.b, self.a + Z95 * self.b
        return self.a / self.b ** Z95, self.a * self.b ** Z95

    def sample(self, rng: Any, n: int) -> Any:
        """Draw ``n`` values with numpy generator ``rng``."""
        if self.kind == "uniform":
            if self.integer:
                return rng.integers(int(self.a), int(self.b) + 1, size=n).astype(float)
            return rng.uniform(self.a, self.b, size=n)
        if self.kind == "triangular":
            x = rng.triangular(self.a, self.c, self.b, size=n) if self.a < self.b else rng.uniform(self.a, self.b, size=n)
        elif self.kind == "normal":
            x = rng.normal(self.a, self.b, size=n)
        else:
            x = rng.lognormal(math.log(self.a), math.log(self.b), size=n)
        return x.round() if self.integer else x

    def describe(self, fmt: Any = "{:g}".format) -> str:
        """Describe the distribution for people."""
        if self.kind == "uniform":
            return f"uniform {fmt(self.a)} to {fmt(self.b)}"
        if self.kind == "triangular":
            return f"triangular {fmt(self.a)} / {fmt(self.c)} / {fmt(self.b)}"
        if self.kind == "normal":
            return f"normal mean {fmt(self.a)}, sd {fmt(self.b)}"
        return f"lognormal median {fmt(self.a)}, gsd {self.b:g}"


def split_range(text: Any) -> list[str] | None:
    """Split 'LOW..HIGH' or 'LOW..MODE..HIGH' (units on the last part apply to all); None if not a range."""
    if not isinstance(text, str) or ".." not in text:
        return None
    parts = [p.strip() for p in _RANGE.split(text)]
    if len(parts) not in (2, 3) or not all(parts):
        raise InputError(f"'{text}' is not a range; write LOW..HIGH or LOW..MODE..HIGH, e.g. '0.6..1.0'", usage=True)
    m = re.match(r"^\s*[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?\s*(.*)$", parts[-1])
    suffix = m.group(1) if m else ""
    bare = [p for p in parts[:-1] if re.fullmatch(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?", p)]
    if suffix.strip() == "%" and bare:
        raise InputError(f"'{text}' mixes a plain number and a percentage; write both ends alike, "
                         f"e.g. '60%..100%' or '0.6..1.0'", usage=True)
    if suffix:
        parts = [p if not re.fullmatch(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?", p) else f"{p} {suffix}" for p in parts]
    return parts


def from_table(raw: dict[str, Any], where: str) -> tuple[str, dict[str, Any]] | None:
    """Read the distribution keys of a preset value table; None if it has none."""
    keys = {k for k in ("low", "high", "mode", "sd", "gsd", "dist") if k in raw}
    if not keys:
        return None
    kind = raw.get("dist")
    if kind is None:
        kind = "triangular" if "mode" in raw else "uniform"
    if kind not in KINDS:
        raise InputError(f"dist '{kind}' is not one of {', '.join(KINDS)}", where=where)
    need = {"uniform": ("low", "high"), "triangular": ("low", "mode", "high"), "normal": ("sd",), "lognormal": ("gsd",)}[kind]
    missing = [k for k in need if k not in raw]
    if kind in ("normal", "lognormal") and "value" not in raw:
        missing.insert(0, "value")
    if missing:
        raise InputError(f"a {kind} distribution needs {', '.join(missing)}", where=where)
    return kind, {k: raw[k] for k in ("value", "low", "high", "mode", "sd", "gsd") if k in raw}


def make(kind: str, params: dict[str, float], *, where: str, integer: bool = False) -> Dist:
    """Check converted parameters and return the Dist."""
    if kind == "uniform":
        d = Dist(kind, params["low"], params["high"], integer=integer)
        ok = d.a <= d.b
    elif kind == "triangular":
        d = Dist(kind, params["low"], params["high"], params["mode"], integer=integer)
        ok = d.a <= d.c <= d.b
    elif kind == "normal":
        d = Dist(kind, params["value"], params["sd"], integer=integer)
        ok = d.b >= 0
    else:
        d = Dist(kind, params["value"], params["gsd"], integer=integer)
        ok = d.a > 0 and d.b >= 1
    if not ok:
        raise InputError(f"the {kind} distribution's parameters are out of order or out of range", where=where, usage=True)
    return d
