"""What every document shares: the view types (tables and lines), numbers rounded for people, the notes,
and the small conversions the document builders use."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Sequence

from emiss import data
from emiss.core import units
from emiss.core.model import Result
from emiss.core.outputs import OUTPUTS

SCREENING_NOTE = (
    "Screening against Clean Air Act major-source thresholds, not a legal applicability determination: "
    "applicability rests on potential to emit (8,760 h at the maximum rate unless enforceably limited), "
    "nonattainment areas have lower thresholds, and the permitting authority decides."
)
# What the PSD SER column's 'ABOVE' means and what staying under the rates ('limit --under psd-ser') buys: read beside
# 'synthetic minor' or 'below', an ABOVE there was taken for a PSD trigger (40 CFR 52.21(b)(23)(i), (b)(2)(i), (j)(2)).
SER_NOTE = ("PSD SER (change): significant emission rates (40 CFR 52.21(b)(23)(i)) apply only to a source already "
            "major (a modification's net increase, or each pollutant of a new major source); 'ABOVE' there alone "
            "triggers no PSD review.")
SER_LIMIT_NOTE = ("The significant emission rates (psd-ser) apply only to a source already major: a modification's net "
                  "increase, or each pollutant of a new major source. Staying under them does not by itself keep a "
                  "source minor; the major-source thresholds are --under title-v, psd.")
# the tables head their columns 'tpy' as permits do; a reader outside permitting may take a ton for a tonne
TPY_NOTE = "tpy: US short tons (2,000 lb) a year, as permits count them; a metric tonne is 1.1023 short tons."
TONS_NOTE = "short_ton is the US ton of 2,000 lb; metric_ton (tonne) is 1,000 kg = 1.1023 short tons."
YEAR_NOTE = ("'year' in every unit is emiss's modelled year of 8,760 h (constants.toml hours_per_year); stock pint's "
             "'year' is 365.25 days, 0.08 % longer.")
STATUS_MARK = {"calibrated": "CALIBRATED", "assumed": "assumed", "recalled": "unverified"}
# pollutants by the names readers know (factors.toml [pollutants] short), for every page and table that names one
SHORT_NAMES = data.short_names()
ROW_FIELDS = ("quantity", "value", "unit", "note")
SPREAD_FIELDS = ("p5", "p50", "p95")


# ---- views: what a person reads, as data ---------------------------------------------------------------

@dataclass(frozen=True)
class Column:
    """A table column: its heading, alignment, and whether long text may wrap (fold) in it."""

    name: str
    align: str = "left"
    fold: bool = False
    optional: bool = False  # may be left out where the table would not fit the width
    # may be left out (with a note, last first) only where the table, even wrapped, would otherwise be drawn one row
    # per block: a detail a reader can do without beats twenty rows of seven 'heading: value' lines (track at 60)
    secondary: bool = False
    group: str = ""  # secondary columns of one group are left out together, the note naming the group (a tornado's bars)
    # a column of numbers whose heading wraps at its spaces to the numbers' width where the table must wrap: rich
    # narrows the widest wrappable columns to one width, so 'short tons/yr' held 12 columns for 7-digit numbers while
    # the factor text beside it folded to 13 (estimate's emissions table at 80 columns)
    wrap_heading: bool = False
    # a column of names a reader types back (catalog ids): never broken inside one, as 'lm6000-pd-sp' over 'rint'
    whole: bool = False


# The column of a table that names pollutants by the names readers know (data.pollutant_name): it may wrap between words
# ('HAPs' over 'combined'), and a folding column is never drawn narrower than 12 characters (render.FOLD_MIN), the
# length of the longest one-word name, 'Formaldehyde': no name is cut inside a word as 'Formaldehyd' over 'e'
POLLUTANT_COLUMN = Column("Pollutant", fold=True)


@dataclass(frozen=True)
class Cell:
    """A table cell with a style: 'alert' (a threshold crossed), 'bold', 'low' or 'high' (tornado bars)."""

    text: str
    style: str = ""


def cell_parts(x: Any) -> tuple[str, str]:
    """Return a table cell's text and style (a plain value: its text, no style)."""
    return (x.text, x.style) if isinstance(x, Cell) else (str(x), "")


@dataclass(frozen=True)
class Table:
    """A titled table of text cells."""

    title: str
    columns: tuple[Column, ...]
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    plain: bool = False  # no rules or header line (a tornado chart)


@dataclass(frozen=True)
class Line:
    """One paragraph of text."""

    text: str = ""
    style: str = ""


View = list[Any]  # Tables and Lines, in reading order


class Document:
    """What one command prints, in each form a format encodes (``render.ENCODERS``): a view for people (table,
    markdown), a JSON document (json), flat rows and their fields (csv, tsv, ndjson), and texts of the command's own
    (e.g. value, methods, cobra). Each form is given as a function and made once, when first asked for; ``notes`` maps
    a format to a note said on stderr when the document is written in it."""

    def __init__(self, *, view: Callable[[], View] | None = None, data: Callable[[], Any] | None = None,
                 rows: Callable[[], list[dict[str, Any]]] | None = None, fields: Sequence[str] | None = None,
                 texts: dict[str, Callable[[], str]] | None = None, notes: dict[str, str] | None = None) -> None:
        self._make = {"view": view, "data": data, "rows": rows}
        self._made: dict[str, Any] = {}
        self.fields = fields  # None: the keys of the first row
        self.texts = dict(texts or {})
        self.notes = dict(notes or {})

    def _form(self, name: str) -> Any:
        if name not in self._made:
            make = self._make[name]
            if make is None:
                raise LookupError(f"this document has no {name}")
            self._made[name] = make()
        return self._made[name]

    @property
    def view(self) -> View:
        """The tables and lines people read."""
        return self._form("view")

    @property
    def data(self) -> Any:
        """The JSON document (full precision, units beside the numbers)."""
        return self._form("data")

    @property
    def rows(self) -> list[dict[str, Any]]:
        """The flat rows."""
        return self._form("rows")


# ---- numbers for people ------------------------------------------------------------------------------

# 2**53: above it a float (IEEE 754 binary64, a 53-bit significand) no longer holds every integer, so its digits
# written out in full ('49,999,999,999,999,996,962,...') are noise: such a value is shown with an exponent
EXACT_INTEGERS = float(2**53)


def human(v: float) -> str:
    """Round ``v`` for people: about four significant figures, thousands separated (an exponent beyond 2**53)."""
    if v == 0:
        return "0"
    a = abs(v)
    if a >= EXACT_INTEGERS or not math.isfinite(a):
        return f"{v:.4g}"
    if a >= 1000:
        return f"{v:,.0f}"
    if a >= 100:
        return f"{v:,.1f}"
    if a >= 1:
        return f"{v:,.2f}"
    digits = 2 - int(math.floor(math.log10(a)))
    return f"{v:.{digits}f}"


# A capacity is a sum of units' ratings, given in MW or kW: to the kilowatt it has at most three decimals of MW, and a
# float sum of them (15 x 16.47 = 247.04999999999998) is that exact figure to well within a billionth of itself
CAPACITY_DECIMALS = 3  # MW to the kilowatt, the finest rating a preset or --capacity gives
CAPACITY_EXACT = 1e-9  # relative: a float sum this close to a figure of few decimals is that figure


def capacity_text(mw: float) -> str:
    """Return a capacity in MW with the digits its inputs carry: a figure exact at three decimals or fewer is written
    with just those ('99' for 4 x 16 + 14 x 2.5 MW, where human() wrote '99.00'; '423.5'; '247.05' for 15 x 16.47);
    any other (a derated or solved rating) as human() rounds it."""
    if not math.isfinite(mw) or abs(mw) >= EXACT_INTEGERS:
        return human(mw)
    for decimals in range(CAPACITY_DECIMALS + 1):
        near = round(mw, decimals)
        if abs(near - mw) <= CAPACITY_EXACT * max(abs(mw), 1.0):
            return f"{near:,.{decimals}f}"
    return human(mw)


def output_text(output: str, v: float) -> str:
    """Return a figure of one output (an id of core.outputs.OUTPUTS) for people: a capacity with its inputs' digits
    (capacity_text), any other as human() rounds it."""
    return capacity_text(v) if output == "capacity" else human(v)


def assumption_value(v: Any) -> str:
    """Return an assumption's value for a table: a number to six figures with its thousands separated, whole numbers
    given as integers too (Method 19's Fd read '8710' beside '8,760' and '8,530.4'); text as it is."""
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return f"{v:,.6g}"
    return str(v)


def sig4(v: float) -> str:
    """Four significant figures, with thousands separators instead of an exponent for large values (up to 2**53)."""
    return f"{v:,.0f}" if 1000 <= abs(v) < EXACT_INTEGERS else f"{v:.4g}"


def to_spread(v: float, lo: float, hi: float) -> str:
    """Round ``v`` to two significant figures of the spread hi - lo (no false precision)."""
    width = abs(hi - lo)
    if width == 0 or not math.isfinite(width):
        return human(v)
    digits = 1 - int(math.floor(math.log10(width)))
    r = round(v, digits)
    return f"{r:,.{max(digits, 0)}f}"


def selected(only: Iterable[str] | None) -> list[str]:
    """Return the pollutant ids to show, in library order."""
    wanted = set(only or data.POLLUTANTS)
    return [p for p in data.POLLUTANTS if p in wanted]


def lb_to(unit: str) -> float:
    """Return the factor from pounds to mass unit ``unit`` (pint's exact definitions)."""
    return units.multiplier("lb", unit)


def mass_per_lb(result: Result) -> float:
    """Return the factor from lb to the scenario's mass unit, refusing one in which a result would not be a finite number."""
    from emiss.errors import InputError

    per = lb_to(result.scenario.mass_unit)
    biggest = max((abs(e.lb_per_year) for e in result.emissions.values()), default=0.0)
    if not math.isfinite(biggest * per):
        raise InputError(f"'{result.scenario.mass_unit}' is too small a unit: the results would not be finite numbers; "
                         "use short_ton, metric_ton, lb or kg", where="--mass-unit", usage=True)
    return per

# ---- estimate --------------------------------------------------------------------------------------------

def assumption_dicts(assumptions: Iterable[Any]) -> list[dict[str, Any]]:
    """Return assumptions as JSON objects (name, value, unit, source, layer, status, note)."""
    return [{"name": a.name, "value": a.value, "unit": a.unit, "source": a.source, "layer": a.layer,
             "status": a.status, "note": a.note} for a in assumptions]


def factor_entries(result: Result, pollutant: str) -> list[dict[str, Any]]:
    """Return the factors used for ``pollutant``, one per group."""
    return [{"group": group, "value": f.value, "unit": f.unit, "form": f.form, "as_given": f.text, "source": f.source,
             "status": f.status, "layer": f.layer} for group, f in result.emissions[pollutant].factors]


def output_entry(name: str, result: Result) -> dict[str, Any]:
    """Return catalogue output ``name`` of ``result`` as {value, unit}."""
    out = OUTPUTS[name]
    return {"value": out.read(result), "unit": out.unit}

def side_by_side(title: str, header: list[str], body: list[list[str]], notes: list[str], *, bullet: str = "- ") -> View:
    """Return columns of scenarios (label and unit first) as a table followed by notes."""
    t = Table(title, tuple(Column(h, "right" if i >= 2 else "left", fold=i == 0) for i, h in enumerate(header)))
    t.rows.extend(tuple(r) for r in body)
    return [t] + [Line(bullet + n) for n in notes]

def output_scale(output: str) -> tuple[float, str, str]:
    """Return (multiplier from the catalogue unit, pint unit, short unit) in which an output is shown (the catalogue's)."""
    return OUTPUTS[output].shown


def output_name(output: str) -> str:
    """Return an output's name as readers know it, as the other tables name it: a pollutant's ('nox' -> 'NOx', 'hcho'
    -> 'Formaldehyde'), else the catalogue's label ('capacity' -> 'Fleet capacity'); the id (the JSON key) otherwise."""
    return SHORT_NAMES.get(output) or (OUTPUTS[output].label if output in OUTPUTS else output)
