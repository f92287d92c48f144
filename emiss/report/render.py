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
import json
import os
import re
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any, Callable, Iterable

from emiss.errors import printable, printable_tree

if TYPE_CHECKING:
    from emiss.report.views import Document, Table, View

TABLE_WIDTH = 110  # columns when not writing to a terminal: wide enough to keep rows whole when pasted
MIN_WIDTH = 40  # narrower than this, a table cannot be read at all
FOLD_MIN = 12  # the narrowest a free-text column (names, sources) is drawn
SHORT_MIN = 6  # the narrowest any other column is drawn
SAFETY = 10  # columns kept free when deciding to drop an optional column: rich needs some slack to wrap without cropping
EDGE = 4  # rich crops a no-wrap column when a table comes within a few columns of the width: wrap before that
# A number keeps its unit on its line: rich wraps a line at any whitespace (a no-break space too), and cluster's note at
# 80 columns ended a line with '92.1' and began the next with '% of rated output'. The space between them is drawn as
# GLUE, which rich takes for a letter (a private-use character, one column wide), and put back once the text is drawn.
GLUE = "\ue000"
# the longest number-and-unit a free-text table cell keeps whole ('8,760 h/yr', '2 kW'): no longer than the narrowest
# such a column is drawn (FOLD_MIN), so it is never folded inside ('2 ppmvd@15%O' over '2', read as another number),
# nor widens its column past what the table has (the table would then be drawn a row a block)
GLUE_MAX = FOLD_MIN
# a number, a space, then a unit: a percent sign, a power or energy, hours, degrees, a concentration, or a unit per
# something ('lb/MMBtu', 'Btu/kWh', 'h/yr')
_NUMBER_UNIT = re.compile(r"(?<=\d) (?=(?:%|[GMk]Wh?|h|degC|ppm\w*|[A-Za-z]+/[A-Za-z0-9]+)(?![\w/]))")


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


def json_text(doc: Any) -> str:
    """Return one JSON document (full precision, no NaN), indented, with a final newline."""
    return json.dumps(printable_tree(doc), indent=2, allow_nan=False, ensure_ascii=False) + "\n"


def json_line(doc: Any) -> str:
    """Return one compact JSON line."""
    return json.dumps(printable_tree(doc), allow_nan=False, ensure_ascii=False) + "\n"


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

def _environ() -> dict[str, str]:
    """The environment rich is given: without a COLUMNS or LINES that is not written in the digits 0-9.

    rich reads both with ``str.isdigit()``, which accepts '²00', and then fails in ``int()`` (a traceback from
    ``COLUMNS=²00 emiss estimate``); emiss's own width rule (``cli.app.terminal``) ignores such a value, and so does rich.
    """
    return {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES") or (v.isascii() and v.isdigit())}


def _console(out: IO[str], term: Terminal) -> Any:
    from rich.console import Console

    return Console(file=out, highlight=False, width=max(term.width, MIN_WIDTH), force_terminal=term.color or term.bold,
                   no_color=not term.color, color_system="standard" if (term.color or term.bold) else None, emoji=False,
                   legacy_windows=False, soft_wrap=False, _environ=_environ())


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
    wrap = _min_width(columns, rows) > console.width - EDGE
    dropped = [c.name for c in t.columns if c not in columns]
    fitted = Table(t.title, tuple(columns), rows, t.plain)
    if term.fit and wrap and (_min_width(columns, rows, wrapped=True) > console.width - EDGE
                              or not _numbers_whole(fitted, console, term)):
        slim = _without_secondary(fitted, console.width - EDGE)
        if slim is None:  # else every secondary column left out, the rest wrapped, if that draws every character
            keep = [i for i, c in enumerate(fitted.columns) if not c.secondary]
            thin = Table(t.title, tuple(fitted.columns[i] for i in keep), [tuple(r[i] for i in keep) for r in rows], t.plain)
            if len(keep) < len(fitted.columns) and _min_width(list(thin.columns), thin.rows, wrapped=True) <= console.width - EDGE \
                    and _numbers_whole(thin, console, term):
                return _rich_table(thin, term, wrap_all=True), dropped + list(dict.fromkeys(
                    c.group or c.name for c in fitted.columns if c not in thin.columns))
        if slim is not None:  # a few columns fewer, drawn whole and unwrapped: said in the note, as an optional one
            return _rich_table(slim, term), dropped + list(dict.fromkeys(c.group or c.name for c in fitted.columns
                                                                         if c not in slim.columns))
        return _stacked(fitted), dropped  # even wrapped, rich would crop the last column: one block per row instead
    return _rich_table(fitted, term, wrap_all=wrap), dropped


def _without_secondary(t: Table, width: int) -> Table | None:
    """Return ``t`` without its secondary columns (the last first, as few as will do) when that lets it fit ``width``
    with nothing wrapped, so no word or number is cut; None when even without them it would not."""
    from emiss.report.views import Table

    keep = list(range(len(t.columns)))
    for i in reversed([i for i, c in enumerate(t.columns) if c.secondary]):
        if i not in keep:  # already left out with its group
            continue
        keep = [k for k in keep if k != i and not (t.columns[i].group and t.columns[k].group == t.columns[i].group)]
        rows = [tuple(r[k] for k in keep) for r in t.rows]
        columns = [t.columns[k] for k in keep]
        if _min_width(columns, rows) <= width:
            return Table(t.title, tuple(columns), rows, t.plain)
    return None


def _numbers_whole(t: Table, console: Any, term: Terminal) -> bool:
    """Return whether ``t``, every column wrapped, draws each number whole within the width: rich squeezes columns
    below their least width when they do not all fit, and a number cut ('1,71' for 1,716, '12,662,30' over '5')
    reads as another number."""
    from collections import Counter

    from rich.console import Console

    from emiss.report.views import cell_parts

    buf = io.StringIO()
    Console(file=buf, width=console.width, color_system=None, highlight=False, emoji=False, soft_wrap=False,
            legacy_windows=False, _environ=_environ()).print(_rich_table(t, term, wrap_all=True))
    # counted, not only seen: the same figure in two columns (a comparison's unchanged values) must be whole in both
    words = Counter(buf.getvalue().split())
    numbers = Counter(w for i, c in enumerate(t.columns) if c.align == "right" for r in t.rows for w in cell_parts(r[i])[0].split())
    # and the words of the last column, which rich crops rather than folds when the columns before it take the width
    # (a track table's 'crossed' drawn 'cros' over 'unkn', 'yes'): those cut would read as the answer
    last = len(t.columns) - 1
    if t.columns and not t.columns[last].fold and t.columns[last].align != "right":  # (right: counted above)
        numbers += Counter(w for r in t.rows for w in cell_parts(r[last])[0].split())
    if t.columns and not t.columns[last].fold:  # and its heading's: a heading cropped ('25' to '2')
        numbers += Counter(t.columns[last].name.split())
    # and every character of every cell and heading: a folded last column is cropped too when the columns before it
    # take the width (the Monte Carlo emissions table at 100 columns drew '[11][12' and 'unverif' for '[11][12]
    # unverified', 'CALIBRA' for 'CALIBRATED'); folding and wrapping move characters, only cropping loses them
    given = Counter(ch for r in t.rows for x in r for ch in cell_parts(x)[0] if not ch.isspace())
    given += Counter(ch for c in t.columns for ch in c.name if not ch.isspace())
    drawn = Counter(ch for ch in buf.getvalue() if not ch.isspace())
    return not numbers - words and not given - drawn


def _natural(console: Any, table: Any) -> int:
    """Return the width a rich table takes when nothing limits it."""
    from rich.measure import Measurement

    return Measurement.get(console, console.options.update_width(10_000), table).maximum


def _min_width(columns: list[Any], rows: list[tuple[Any, ...]], *, wrapped: bool = False) -> int:
    """Return the narrowest a table can be drawn: unwrapped columns as wide as their widest cell, the others as
    their longest word (at least FOLD_MIN), plus padding; ``wrapped``: every column wrapped (as ``wrap_all``), below
    which rich crops the last column."""
    from emiss.report.views import cell_parts

    total = 2 + 3 * len(columns)  # edges, padding either side of each column and the gap between columns
    for i, c in enumerate(columns):
        cells = [cell_parts(r[i])[0] for r in rows] + [c.name]
        if c.fold:
            total += max([FOLD_MIN] + [len(w) for x in cells for w in x.split()])
        elif wrapped:  # a wrapped column is at least its min_width; a longer word in it is folded, not lost
            total += _least_width(c, cells[:-1] if c.whole else None)
        else:
            total += max(len(x) for x in cells)
    return total


def _stacked(t: Any) -> Any:
    """Return a table too wide for the terminal even wrapped as one block per row: its first cell as a bold label
    after the first column's heading, then each other non-empty cell as 'heading: value' on its own indented line,
    so that nothing is cropped."""
    from emiss.report.views import cell_parts

    from rich.console import Group
    from rich.padding import Padding
    from rich.text import Text

    parts: list[Any] = [Text(t.title, style="bold")] if t.title else []
    for row in t.rows:
        label, style = cell_parts(row[0])
        label = label.lstrip()  # a sub-row's indent ('  PM10' under pm) reads as a gap after 'Pollutant:' in a block
        head = Text(f"{t.columns[0].name}: " if t.columns[0].name.strip() else "")  # the first column's heading, as the others'
        head.append(label, style=_STYLES.get(style, "bold"))
        parts.append(Padding(head, (0, 0, 0, 2)))
        for c, x in zip(t.columns[1:], row[1:]):
            text, style = cell_parts(x)
            if text.strip():
                line = Text(f"{c.name}: " if c.name else "")
                line.append(text, style=_STYLES.get(style, ""))
                parts.append(Padding(line, (0, 0, 0, 4)))
    return Group(*parts, Text(""))


def _least_width(c: Any, cells: list[str] | None = None) -> int:
    """Return the narrowest a column is drawn: a free-text column FOLD_MIN, any other as its heading's longest word
    (a heading is never cut inside a word: "polluta/nt") or SHORT_MIN; a column of numbers (right-aligned) as its
    widest number too, since a number folded across two lines ('12,662,30' over '5') reads as another number; a
    column of names kept whole (``whole``) as its longest word."""
    heading = max(len(w) for w in c.name.split()) if c.name.strip() else 0
    if c.fold:
        return FOLD_MIN
    least = max(min(len(c.name), SHORT_MIN), heading)
    if (c.align == "right" or c.whole) and cells:
        least = max([least] + [len(w) for x in cells for w in x.split()])
    return least


def _rich_table(t: Table, term: Terminal, *, wrap_all: bool = False) -> Any:
    from emiss.report.views import cell_parts

    from rich import box
    from rich.table import Table as RichTable

    style_box = None if t.plain else (box.ASCII2 if term.ascii else box.SIMPLE_HEAD)
    rt = RichTable(title=t.title or None, box=style_box, title_justify="left", title_style="bold", show_header=True,
                   pad_edge=not t.plain, collapse_padding=False)
    for i, c in enumerate(t.columns):
        # numbers never wrap; text wraps at spaces, a long free-text column keeps a readable minimum width
        cells = [cell_parts(r[i])[0] for r in t.rows]
        narrow = max([len(x) for x in cells] + [len(w) for w in c.name.split()]) if wrap_all and c.wrap_heading else None
        rt.add_column(c.name, justify=c.align, overflow="fold", no_wrap=not (c.fold or wrap_all), min_width=_least_width(c, cells),
                      max_width=narrow)
    for row in t.rows:
        rt.add_row(*(_cell(text, style, c.align) for (text, style), c in zip(map(cell_parts, row), t.columns)))
    return rt


def _cell(text: str, style: str, align: str) -> Any:
    """Return a table cell: a left-aligned cell's indent (a sub-row's: '  PM filterable' under PM) kept on every line it
    wraps to, where rich put the continuation back at the column's edge ('filterable' under 'PM', read as a row of its
    own, in pte's table at 80 columns)."""
    from rich.padding import Padding
    from rich.text import Text

    indent = len(text) - len(text.lstrip(" ")) if align == "left" else 0
    cell = Text(text[indent:], style=_STYLES.get(style, ""))
    return Padding(cell, (0, 0, 0, indent)) if indent and text.strip() else cell


def _glued(t: Any) -> Any:
    """Return ``t`` with each short number-and-unit in its free-text columns glued, as a line's are: the Results table
    at 60 columns wrapped 'capacity / 2' over 'kW per home', and at 100 'potential to emit: 8,760' over 'h/yr at full
    load'. Every width is then measured on the glued text (GLUE is one column wide)."""
    from emiss.report.views import Cell, Table, cell_parts

    def glue(x: Any) -> Any:
        text, style = cell_parts(x)
        joined = _NUMBER_UNIT.sub(lambda m: GLUE if len(_glued_word(text, m)) <= GLUE_MAX else " ", text)
        return x if joined == text else Cell(joined, style)

    text = [c.fold and c.align == "left" for c in t.columns]
    return Table(t.title, t.columns, [tuple(glue(x) if left else x for x, left in zip(row, text)) for row in t.rows], t.plain)


def _glued_word(text: str, m: Any) -> str:
    """Return the word a number and its unit make when the space ``m`` between them is glued."""
    start = text.rfind(" ", 0, m.start()) + 1
    end = text.find(" ", m.end())
    return text[start:] if end < 0 else text[start:end]


def view_text(view: View, term: Terminal = PLAIN) -> str:
    """Return a view drawn as text tables for ``term``; trailing spaces are trimmed so pasted text stays clean."""
    from emiss.report.views import Table

    from rich.padding import Padding
    from rich.text import Text

    buf = io.StringIO()
    console = _console(buf, term)
    after_table = after_text = False
    for block in view:
        if isinstance(block, Table):
            if after_text:  # a table's title stands apart from the note before it: pte's 'Facility total' ran on from
                console.print()  # the startups line above it, and an 'Emission unit:' title from the methane note
            table, dropped = _fitted(_glued(block), console, term)
            if getattr(table, "title", None) and term.fit:
                # the title is a line of its own, wrapped at the terminal's width: rich wraps it at the table's, and a
                # table whose columns' least widths add up to a column more than the terminal (pte's at 80) had the
                # title's last character cropped ('176.9 MMBtu/h each' over 'HHV)', its comma lost)
                console.print(Text(table.title, style=_STYLES["bold"]))
                table.title = None
            # a pipe has no width: a table wider than the default is printed whole, as wide as it needs
            base = console.width
            if not term.fit:
                console.width = max(base, _natural(console, table))
            console.print(table)
            console.width = base
            if dropped:  # said, never silent: what was left out and how to see it
                console.print(Text(f"(Left out to fit {console.width} columns: {', '.join(dropped)}; a wider terminal "
                                   "or --format markdown shows every column.)"))
        elif block.text:
            # an indented line keeps its indent on every line it wraps to (solve's '  (reference levels in lb/MMBtu:
            # ...' ran on from the terminal's first column, under the lines it belongs to)
            indent = len(block.text) - len(block.text.lstrip(" "))
            text = Text(_NUMBER_UNIT.sub(GLUE, block.text[indent:]), style=_STYLES.get(block.style, ""))
            console.print(Padding(text, (0, 0, 0, indent)) if indent else text)
        elif not after_table:  # a table already ends with a blank line
            console.print()
        after_table = isinstance(block, Table)
        after_text = not after_table and bool(block.text)
    text = "\n".join(line.rstrip() for line in buf.getvalue().replace(GLUE, " ").split("\n"))
    if term.ascii:
        text = text.encode("ascii", "replace").decode("ascii")
    return text


def _md(text: str) -> str:
    return printable(text).replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")


def view_markdown(view: View) -> str:
    """Return a view as Markdown: tables as pipe tables, lines as paragraphs (HTML in text is escaped)."""
    from emiss.report.views import Line, Table, cell_parts

    out: list[str] = []
    for block in view:
        if isinstance(block, Table):
            if block.title:
                out += [f"**{_md(block.title)}**", ""]
            out.append("| " + " | ".join(_md(c.name) or " " for c in block.columns) + " |")
            out.append("|" + "|".join("---:" if c.align == "right" else "---" for c in block.columns) + "|")
            for row in block.rows:
                out.append("| " + " | ".join(_md(cell_parts(x)[0]) for x in row) + " |")
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

    console = Console(record=True, file=io.StringIO(), width=TABLE_WIDTH, highlight=False, force_terminal=True,
                      _environ=_environ())
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
                                TimeElapsedColumn(), console=Console(stderr=True, _environ=_environ()), transient=True)
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
