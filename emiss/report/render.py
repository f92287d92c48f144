"""Encoders: a document in, text out. The only module that imports rich (lazily).

Nothing here computes or decides what to show: the report modules build a ``views.Document``, and ``write``
encodes it in one format; ``ENCODERS`` names every format and the form of the document it encodes, so a command
offers each format its document has a form for (``formats``), and adding a format is adding one encoder. Terminal
facts (colour, width, what the output encoding can hold) are decided by the CLI and passed in as a ``Terminal``.
The view types are imported where they are used, so that importing this module (for ``formats``) stays cheap.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any, Callable, Iterable

from emiss.errors import printable

if TYPE_CHECKING:
    from emiss.report.views import Document, Table, View

TABLE_WIDTH = 110  # columns when not writing to a terminal: wide enough to keep rows whole when pasted
MIN_WIDTH = 40  # narrower than this, a table cannot be read at all
FOLD_MIN = 12  # the narrowest a free-text column (names, sources) is drawn
SHORT_MIN = 6  # the narrowest any other column is drawn
SAFETY = 10  # columns kept free when deciding to drop an optional column: rich needs some slack to wrap without cropping


@dataclass(frozen=True)
class Terminal:
    """What the output can show: colour (and bold), its width in columns, and whether it needs plain ASCII."""

    color: bool = False
    bold: bool = False
    width: int = TABLE_WIDTH
    ascii: bool = False
    fit: bool = True  # leave optional columns out to fit the width (a terminal); a pipe has no width and keeps them all


PLAIN = Terminal()


def safe_cell(value: Any) -> Any:
    """Neutralise text that a spreadsheet would run as a formula (leading = + - @, tab, CR) or a terminal would obey."""
    if isinstance(value, str):
        if value[:1] in ("=", "+", "-", "@", "\t", "\r"):
            value = "'" + value
        return printable(value)
    return value


def _safe_json(value: Any) -> Any:
    """Return ``value`` with every string made printable (no escapes, bidi marks or lone surrogates)."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, dict):
        return {(printable(k) if isinstance(k, str) else k): _safe_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_safe_json(v) for v in value]
    return value


def json_text(doc: Any) -> str:
    """Return one JSON document (full precision, no NaN), indented, with a final newline."""
    return json.dumps(_safe_json(doc), indent=2, allow_nan=False, ensure_ascii=False) + "\n"


def json_line(doc: Any) -> str:
    """Return one compact JSON line."""
    return json.dumps(_safe_json(doc), allow_nan=False, ensure_ascii=False) + "\n"


def write_rows(rows: Iterable[dict[str, Any]], out: IO[str], fmt: str, fields: Iterable[str], *, header: bool = True) -> None:
    """Write flat rows as csv, tsv or ndjson (floats in full precision)."""
    fields = list(fields)
    if fmt == "ndjson":
        for r in rows:
            out.write(json_line(r))
        return
    w = csv.DictWriter(out, fieldnames=fields, delimiter="\t" if fmt == "tsv" else ",", lineterminator="\n", extrasaction="ignore")
    if header:
        w.writeheader()
    for r in rows:
        w.writerow({k: (repr(v) if isinstance(v, float) else safe_cell(v)) for k, v in r.items()})


# ---- views -----------------------------------------------------------------------------------------------

def _console(out: IO[str], term: Terminal) -> Any:
    from rich.console import Console

    return Console(file=out, highlight=False, width=max(term.width, MIN_WIDTH), force_terminal=term.color or term.bold,
                   no_color=not term.color, color_system="standard" if (term.color or term.bold) else None, emoji=False,
                   legacy_windows=False, soft_wrap=False)


_STYLES = {"alert": "bold red", "bold": "bold", "low": "red", "high": "green"}


def _fitted(t: Table, console: Any, term: Terminal) -> Any:
    """Return the rich table for ``t`` that fits the width: optional columns left out (last first, and only on a
    terminal), then any column allowed to wrap, so that nothing is ever cropped; and the names of those left out."""
    from emiss.report.views import Table

    columns = list(t.columns)
    while term.fit:
        keep = [i for i, c in enumerate(t.columns) if c in columns]
        rows = [tuple(r[i] for i in keep) for r in t.rows]
        optional = [c for c in columns if c.optional]
        if not optional or _min_width(columns, rows) <= console.width - SAFETY:
            break
        columns.remove(optional[-1])
    if not term.fit:
        rows = [tuple(r) for r in t.rows]
    wrap = _min_width(columns, rows) > console.width
    dropped = [c.name for c in t.columns if c not in columns]
    return _rich_table(Table(t.title, tuple(columns), rows, t.plain), term, wrap_all=wrap), dropped


def _natural(console: Any, table: Any) -> int:
    """Return the width a rich table takes when nothing limits it."""
    from rich.measure import Measurement

    return Measurement.get(console, console.options.update_width(10_000), table).maximum


def _min_width(columns: list[Any], rows: list[tuple[Any, ...]]) -> int:
    """Return the narrowest a table can be drawn: unwrapped columns as wide as their widest cell, the others as
    their longest word (at least FOLD_MIN), plus padding."""
    from emiss.report.views import Cell

    total = 2 + 2 * len(columns)
    for i, c in enumerate(columns):
        cells = [str(r[i].text if isinstance(r[i], Cell) else r[i]) for r in rows] + [c.name]
        if c.fold:
            total += max([FOLD_MIN] + [len(w) for x in cells for w in x.split()])
        else:
            total += max(len(x) for x in cells)
    return total


def _rich_table(t: Table, term: Terminal, *, wrap_all: bool = False) -> Any:
    from emiss.report.views import Cell

    from rich import box
    from rich.table import Table as RichTable
    from rich.text import Text

    style_box = None if t.plain else (box.ASCII2 if term.ascii else box.SIMPLE_HEAD)
    rt = RichTable(title=t.title or None, box=style_box, title_justify="left", title_style="bold", show_header=True,
                   pad_edge=not t.plain, collapse_padding=False)
    for c in t.columns:
        # numbers never wrap; text wraps at spaces, and a long free-text column keeps a readable minimum width
        rt.add_column(c.name, justify=c.align, overflow="fold", no_wrap=not (c.fold or wrap_all),
                      min_width=FOLD_MIN if c.fold else min(len(c.name), SHORT_MIN))
    for row in t.rows:
        rt.add_row(*(Text(x.text, style=_STYLES.get(x.style, "")) if isinstance(x, Cell) else Text(str(x)) for x in row))
    return rt


def view_text(view: View, term: Terminal = PLAIN) -> str:
    """Return a view drawn as text tables for ``term``; trailing spaces are trimmed so pasted text stays clean."""
    from emiss.report.views import Table

    from rich.text import Text

    buf = io.StringIO()
    console = _console(buf, term)
    after_table = False
    for block in view:
        if isinstance(block, Table):
            table, dropped = _fitted(block, console, term)
            # a pipe has no width: a table wider than the default is printed whole, as wide as it needs
            base = console.width
            if not term.fit:
                console.width = max(base, _natural(console, table))
            console.print(table)
            console.width = base
            if dropped:  # said, never silent: what was left out and how to see it
                console.print(Text(f"(Left out to fit {console.width} columns: {', '.join(dropped)}; a wider terminal "
                                   "or --format markdown shows it.)"))
        elif block.text:
            console.print(Text(block.text, style=_STYLES.get(block.style, "")))
        elif not after_table:  # a table already ends with a blank line
            console.print()
        after_table = isinstance(block, Table)
    text = "\n".join(line.rstrip() for line in buf.getvalue().split("\n"))
    if term.ascii:
        text = text.encode("ascii", "replace").decode("ascii")
    return text


def _md(text: str) -> str:
    return printable(text).replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")


def view_markdown(view: View) -> str:
    """Return a view as Markdown: tables as pipe tables, lines as paragraphs (HTML in text is escaped)."""
    from emiss.report.views import Cell, Line, Table

    out: list[str] = []
    for block in view:
        if isinstance(block, Table):
            if block.title:
                out += [f"**{_md(block.title)}**", ""]
            out.append("| " + " | ".join(_md(c.name) or " " for c in block.columns) + " |")
            out.append("|" + "|".join("---:" if c.align == "right" else "---" for c in block.columns) + "|")
            for row in block.rows:
                out.append("| " + " | ".join(_md(x.text if isinstance(x, Cell) else str(x)) for x in row) + " |")
            out.append("")
        elif isinstance(block, Line):
            text = _md(block.text)
            out.append(f"**{text}**" if block.style == "bold" and text else (text + "  " if text else ""))
    return "\n".join(out).rstrip() + "\n"


def export(view: View, *, svg: str | None, html: str | None, title: str) -> None:
    """Save a view as SVG and/or HTML (rich's console recording) for people without a terminal."""
    from emiss.report.views import Table

    from rich.console import Console
    from rich.text import Text

    console = Console(record=True, file=io.StringIO(), width=TABLE_WIDTH, highlight=False, force_terminal=True)
    for block in view:
        if isinstance(block, Table):
            console.print(_rich_table(block, PLAIN))
        else:
            console.print(Text(block.text, style=_STYLES.get(block.style, "")))
    if svg:
        console.save_svg(svg, title=title, clear=False)
    if html:
        console.save_html(html, clear=False)


class Progress:
    """A progress bar on stderr (records, rate, and percent of a file), drawn only on a terminal."""

    def __init__(self, total_bytes: int, position: Any) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, Progress as RichProgress, TaskProgressColumn, TextColumn, TimeElapsedColumn

        self.position = position
        self.bar = RichProgress(TextColumn("{task.fields[records]:,} records"), BarColumn(), TaskProgressColumn(),
                                TimeElapsedColumn(), console=Console(stderr=True), transient=True)
        self.task = self.bar.add_task("batch", total=total_bytes or None, records=0)
        self.bar.start()

    def tick(self, records: int) -> None:
        """Show ``records`` done, and how far through the file."""
        try:
            done = self.position()
        except (OSError, ValueError):
            done = None
        self.bar.update(self.task, records=records, **({"completed": done} if done is not None else {}))

    def close(self) -> None:
        """Remove the bar."""
        self.bar.stop()


# ---- the page and the workbook live in report/html.py and report/workbook.py (imported when asked) ----------

def view_html(view: View, **kwargs: Any) -> str:
    """Return the self-contained HTML page of ``view`` (see report/html.py)."""
    from emiss.report.html import view_html as page

    return page(view, **kwargs)


def write_xlsx(path: str, sheets: Any) -> None:
    """Write the workbook (see report/workbook.py)."""
    from emiss.report.workbook import write_xlsx as book

    book(path, sheets)


TOO_LARGE = "the inputs are too large: a result is not a finite number (check the units and magnitudes)"


class BatchLines:
    """Encode batch results (one value or one array per output) as NDJSON or CSV lines, without a dict per record.

    The NDJSON text is the same, character for character, as json_line(document.record_doc(...)).
    """

    FLAGS = {"title_v": ("title_v", "title_v_ozone"), "psd": ("psd_other",), "hap": ("hap_single", "hap_combined")}

    def __init__(self, fmt: str, only: Any, mass_unit: str, *, echo: bool = False, flags: bool = False) -> None:
        from emiss.report.document import batch_fields, selected

        self.fmt = fmt
        self.ids = selected(only)
        self.mass_unit = mass_unit
        self.echo = echo
        self.flags = flags
        fields = batch_fields(only, mass_unit)
        extra = ([f"above_{k}" for k in self.FLAGS] if flags else []) + (["input"] if echo else [])
        self.fields = fields[:-1] + extra + fields[-1:]
        # per-result caches, each (result, value): output texts, line tails, threshold flags
        self.cached: tuple[Any, Any] = (None, None)
        self._rest: tuple[Any, Any] = (None, None)
        self._above_cache: tuple[Any, Any] = (None, None)

    @staticmethod
    def header(fields: list[str], fmt: str) -> str:
        """Return the CSV/TSV header line."""
        buf = io.StringIO()
        csv.writer(buf, delimiter="\t" if fmt == "tsv" else ",", lineterminator="\n").writerow(fields)
        return buf.getvalue()

    def _texts(self, result: Any) -> tuple[str, list[Any], int]:
        """Return, once per result, the text of its outputs: a %-template of everything after a line's id and
        record number (NDJSON) or None (CSV), one list of number texts per output (one per array element, or one
        text for all), and the number of elements. Raises InputError when a result is not finite."""
        if self.cached[0] is result:
            return self.cached[1]
        from emiss.core.outputs import OUTPUTS
        from emiss.core.units import multiplier

        numpy = _np()
        sc = result.scenario
        per = multiplier("lb", sc.mass_unit)
        cols = {name: OUTPUTS[name].read(result) for name in self.QUANTITIES}
        cols.update({p: result.emissions[p].lb_per_year * per for p in self.ids})
        if not all(bool(numpy.all(numpy.isfinite(v))) for v in cols.values()):
            from emiss.errors import InputError

            raise InputError(TOO_LARGE)
        n = max((len(v) for v in cols.values() if getattr(v, "ndim", 0)), default=1)

        def reprs(x: Any) -> Any:
            return _reprs_array(x) if getattr(x, "ndim", 0) else _reprs([float(x)]) * n

        if self.fmt == "ndjson":
            unit = json.dumps(f"{sc.mass_unit} / year", ensure_ascii=False)
            em = ", ".join(f'"{p}": {{{{"value": %s, "unit": {unit}, "complete": {"true" if result.emissions[p].complete else "false"}}}}}'
                           for p in self.ids)
            template = ('"capacity": {"value": %s, "unit": "megawatt"}, "generation": {"value": %s, "unit": "megawatt_hour / year"}, '
                        '"heat_input": {"value": %s, "unit": "megabritish_thermal_unit / year", "basis": "HHV"}, '
                        '"fuel": {"value": %s, "unit": "foot ** 3 / year"}, '
                        f'"households": {{"value": %s, "method": {json.dumps(sc.households_method)}}}, '
                        f'"emissions": {{{em.replace("{{", "{").replace("}}", "}")}}}}}\n')
            texts = [reprs(cols[k]) for k in (*self.QUANTITIES, *self.ids)]
        else:
            to_col = multiplier(sc.mass_unit, self.mass_unit)
            template = None
            texts = [reprs(cols[k]) for k in self.QUANTITIES] + [reprs(cols[p] * to_col) for p in self.ids]
        self.cached = (result, (template, texts, n))
        return template, texts, n

    def _columns(self, result: Any) -> list[Any]:
        """Return every element's text after its id and record number: a string (NDJSON) or (numbers, method)."""
        if self._rest[0] is result:
            return self._rest[1]
        template, texts, _ = self._texts(result)
        if template is not None:
            rest: list[Any] = [template % t for t in zip(*texts)]
        else:
            method = result.scenario.households_method
            rest = [(r, method) for r in zip(*texts)]
        self._rest = (result, rest)
        return rest

    QUANTITIES = ("capacity", "generation", "heat_input", "fuel", "households")

    def arrays(self, result: Any) -> tuple[list[Any], str]:
        """Return a result's numbers in ``fields`` order (the five quantities, then each pollutant in the asked
        mass unit), each an array (one element per row) or one value, and its households method."""
        from emiss.core.outputs import OUTPUTS
        from emiss.core.units import multiplier

        sc = result.scenario
        per, to_col = multiplier("lb", sc.mass_unit), multiplier(sc.mass_unit, self.mass_unit)
        numbers = [OUTPUTS[name].read(result) for name in self.QUANTITIES]
        if to_col == 1.0:  # x * 1.0 is x to the bit (a mass unit asked as the scenario's): one multiply saved
            return numbers + [result.emissions[p].lb_per_year * per for p in self.ids], sc.households_method
        return numbers + [result.emissions[p].lb_per_year * per * to_col for p in self.ids], sc.households_method

    def block(self, rows: int, outcomes: Any) -> tuple[list[Any], Any, dict[int, Any]]:
        """Return a block's output as columns: the numbers (one float array per output, NaN where a row failed),
        the households method of each row as a list (None where it failed), and the failed rows' errors by row."""
        from emiss.errors import InputError

        numpy = _np()
        errors = dict(outcomes.errors)
        parts = [(r, g) for r, g, _ in outcomes.groups] + [(r, numpy.array([i])) for i, r in outcomes.singles.items()]
        if len(parts) == 1 and len(parts[0][1]) == rows and not errors:  # one result for every row, in order
            numbers, how = self.arrays(parts[0][0])
            columns = [numpy.asarray(v, dtype=numpy.float64) if getattr(v, "ndim", 0) else numpy.full(rows, float(v)) for v in numbers]
            if all(bool(numpy.isfinite(c).all()) for c in columns):
                return columns, [how] * rows, errors
        width = len(self.QUANTITIES) + len(self.ids)
        values = numpy.full((width, rows), numpy.nan)
        method = numpy.full(rows, None, dtype=object)
        for result, where in parts:
            numbers, how = self.arrays(result)
            part = numpy.empty((width, len(where)))
            for k, v in enumerate(numbers):
                part[k] = v  # one value is the same for every row of the part
            finite = numpy.isfinite(part).all(axis=0)
            if not finite.all():
                for i in where[~finite].tolist():
                    errors[i] = InputError(TOO_LARGE)
                where, part = where[finite], part[:, finite]
            values[:, where] = part
            method[where] = how
        return list(values), method.tolist(), dict(sorted(errors.items()))

    def _above(self, result: Any) -> dict[str, list[Any]]:
        """Return, per threshold set, whether each record crosses it (None: a partial total below it)."""
        if self._above_cache[0] is result:
            return self._above_cache[1]
        from emiss.data import thresholds_for

        numpy = _np()
        out = {}
        for name, ids in self.FLAGS.items():
            crossed: Any = False
            unknown: Any = False
            for t in thresholds_for(result.scenario.area):
                if t.id not in ids:
                    continue
                for p in t.pollutants:
                    e = result.emissions[p]
                    hit = numpy.asarray(e.lb_per_year) / 2000.0 >= t.value  # short tons (2,000 lb) against tpy
                    crossed = crossed | hit
                    if not e.complete:
                        unknown = unknown | ~hit
            arr = numpy.atleast_1d(crossed)
            unk = numpy.atleast_1d(unknown) & ~arr
            n = max(len(arr), len(unk))  # one value when nothing varies, else one per record
            out[name] = [None if (unk[i % len(unk)]) else bool(arr[i % len(arr)]) for i in range(n)]
        self._above_cache = (result, out)
        return out

    def _extras(self, record: Any, result: Any, index: int) -> list[Any]:
        extra: list[Any] = []
        if self.flags:
            above = self._above(result)
            extra += [v[max(index, 0) % len(v)] for v in above.values()]
        if self.echo:  # printable, as in NDJSON: no terminal escapes, bidi marks or lone surrogates in a cell
            extra.append(json.dumps(_safe_json(record.settings), ensure_ascii=False, default=str))
        return extra

    def texts(self, block: Any, outcomes: Any) -> tuple[list[Any], dict[int, Any]]:
        """Return a block's lines in row order (None where a row failed) and the failed rows' errors by row; when
        no row failed and one result holds them all, the lines are one text."""
        from emiss.errors import EmissError

        lines: list[Any] = [None] * block.n
        errors = dict(outcomes.errors)
        parts = [(r, rows.tolist(), shared) for r, rows, shared in outcomes.groups]
        parts += [(r, [i], True) for i, r in outcomes.singles.items()]
        plain = not (self.flags or self.echo)
        ids, numbers = block.ids, block.numbers
        for result, rows, shared in parts:
            try:
                template, texts, _ = self._texts(result)
            except EmissError as exc:  # a result that cannot be written (not finite in the asked unit)
                for i in rows:
                    errors[i] = exc
                continue
            if not plain:
                for k, i in enumerate(rows):
                    lines[i] = self.line(block.record(i), result, -1 if shared else k)
                continue
            values = [itertools.repeat(t[0]) for t in texts] if shared else texts
            chosen = ids if len(rows) == block.n else [ids[i] for i in rows]
            text = self._id_text if self.fmt == "ndjson" else self._id_cell
            if set(map(type, chosen)) == {int}:  # the common case: whole-number ids
                heads = list(map(str, chosen))
            else:
                heads = [str(x) if type(x) is int else text(x) for x in chosen]
            if self.fmt == "ndjson":
                consts = ('{"id": %s, "record": %s, ' + template).split("%s")
            else:  # CSV/TSV: the cells csv.writer writes for the row line() builds, numbers never quoted
                consts = self._csv_consts(result)
            if len(rows) == block.n and not errors:  # the whole block in order, every row written: one text
                return [_interleave(consts, [heads, list(map(str, numbers)), *values], block.n)], errors
            template = "%s".join(c.replace("%", "%%") for c in consts)
            made = map(template.__mod__, zip(heads, (numbers[i] for i in rows), *values))  # one formatting per line
            for i, line in zip(rows, made):
                lines[i] = line
        return lines, errors

    def _csv_consts(self, result: Any) -> list[str]:
        """Return the text between the cells of a CSV/TSV row of ``result``: id, record, the five quantities, the
        households method (the same for the result's rows), each pollutant, and the empty error cell."""
        sep = "\t" if self.fmt == "tsv" else ","
        method = _csv_cell(result.scenario.households_method, sep)
        head = ["", *[sep] * 6]  # before the id, then after the id, the record and four quantities
        if not self.ids:
            return head + [sep + method + sep + "\n"]
        return head + [sep + method + sep, *[sep] * (len(self.ids) - 1), sep + "\n"]

    def _id_cell(self, rid: Any) -> str:
        return _csv_cell(safe_cell(rid) if isinstance(rid, str) else rid, "\t" if self.fmt == "tsv" else ",")

    @staticmethod
    def _id_text(rid: Any) -> str:
        return json.dumps(printable(rid) if isinstance(rid, str) else rid, ensure_ascii=False, allow_nan=False)


    def line(self, record: Any, result: Any, index: int) -> str:
        rest = self._columns(result)[max(index, 0)]
        if (self.flags or self.echo) and self.fmt == "ndjson":
            add = ""
            if self.flags:
                flags = [v[max(index, 0) % len(v)] for v in self._above(result).values()]
                add += ', "above": {' + ", ".join(f'"{k}": {json.dumps(v)}' for k, v in zip(self.FLAGS, flags)) + "}"
            if self.echo:
                add += ', "input": ' + json.dumps(_safe_json(record.settings), ensure_ascii=False, default=str)
            rest = rest[:-2] + add + "}\n"
        if self.fmt == "ndjson":
            if type(record.id) is int:
                return f'{{"id": {record.id}, "record": {record.number}, ' + rest
            return f'{{"id": {self._id_text(record.id)}, "record": {record.number}, ' + rest
        numbers, method = rest
        row = [safe_cell(record.id) if isinstance(record.id, str) else ("" if record.id is None else record.id), record.number,
               *numbers[:5], method, *numbers[5:], *[("" if x is None else x) for x in self._extras(record, result, index)], ""]
        buf = io.StringIO()
        csv.writer(buf, delimiter="\t" if self.fmt == "tsv" else ",", lineterminator="\n").writerow(row)
        return buf.getvalue()


def _csv_cell(value: Any, delimiter: str) -> str:
    """Return one cell as csv.writer writes it inside a row (quoted when it must be; None as nothing)."""
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\n").writerow([value, ""])
    return buf.getvalue()[:-2]  # the row is '<cell><delimiter>\n'


def _interleave(consts: list[str], columns: list[Any], n: int) -> str:
    """Return consts[0] + columns[0][i] + consts[1] + ... + consts[-1] for each row i, joined: the pieces are
    laid out in one list by slice assignment (no tuple per row), then joined once."""
    step = 2 * len(columns) + 1
    pieces: list[Any] = [None] * (step * n)
    pieces[0::step] = [consts[0]] * n
    for j, (column, after) in enumerate(zip(columns, consts[1:])):
        pieces[2 * j + 1::step] = column if isinstance(column, list) else list(itertools.islice(column, n))
        pieces[2 * j + 2::step] = [after] * n
    return "".join(pieces)


def _reprs(values: list[float]) -> list[str]:
    """Return repr() of each float, as json.dumps writes it. orjson's shortest digits are the same text for
    1e-4 <= |x| < 1e16 (where neither writes an exponent); outside that, repr() is used."""
    try:
        import orjson
    except ImportError:
        return list(map(repr, values))
    texts = orjson.dumps(values)[1:-1].decode().split(",") if values else []
    return [t if (1e-4 <= abs(v) < 1e16) or v == 0 else repr(v) for t, v in zip(texts, values)]


def _reprs_array(x: Any) -> list[str]:
    """Return repr() of each element of a float array, as _reprs does, with the range test done on the array."""
    numpy = _np()
    try:
        import orjson
    except ImportError:
        return list(map(repr, x.tolist()))
    x = numpy.ascontiguousarray(x, dtype=numpy.float64)
    texts = orjson.dumps(x, option=orjson.OPT_SERIALIZE_NUMPY)[1:-1].decode().split(",") if x.size else []
    a = numpy.abs(x)
    for i in numpy.flatnonzero(~(((a >= 1e-4) & (a < 1e16)) | (x == 0))).tolist():
        texts[i] = repr(float(x[i]))
    return texts


def _np() -> Any:
    import numpy

    return numpy


# ---- formats: each encodes one form of a document --------------------------------------------------------

def _table(doc: Document, out: IO[str], fmt: str, term: Terminal) -> None:
    out.write(view_text(doc.view, term))


def _markdown(doc: Document, out: IO[str], fmt: str, term: Terminal) -> None:
    out.write(view_markdown(doc.view))


def _json(doc: Document, out: IO[str], fmt: str, term: Terminal) -> None:
    out.write(json_text(doc.data))


def _rows(doc: Document, out: IO[str], fmt: str, term: Terminal) -> None:
    rows = doc.rows
    write_rows(rows, out, fmt, doc.fields if doc.fields is not None else list(rows[0]) if rows else [])


# format -> (the form of a document it encodes, the encoder), in the order --help lists them
ENCODERS: dict[str, tuple[str, Callable[[Document, IO[str], str, Terminal], None]]] = {
    "table": ("view", _table), "json": ("data", _json), "csv": ("rows", _rows), "tsv": ("rows", _rows),
    "ndjson": ("rows", _rows), "markdown": ("view", _markdown),
}


def formats(*forms: str, own: Iterable[str] = ()) -> tuple[str, ...]:
    """Return the formats of a command whose document has ``forms`` (view, data, rows) and texts ``own`` of its own."""
    own = tuple(own)
    return tuple(f for f, (form, _) in ENCODERS.items() if form in forms or f in own) + tuple(f for f in own if f not in ENCODERS)


def write(doc: Document, fmt: str, out: IO[str], term: Terminal = PLAIN) -> None:
    """Write ``doc`` to ``out`` in format ``fmt``: a text of the document's own by that name, else the format's encoder."""
    if fmt in doc.texts:
        out.write(doc.texts[fmt]())
        return
    ENCODERS[fmt][1](doc, out, fmt, term)
