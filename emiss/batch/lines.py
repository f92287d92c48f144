"""The NDJSON and CSV/TSV sink of a batch: each block's results as text lines, in row order, without a dict per record.

An NDJSON line is the same, character for character, as the JSON of its record's document (tests/batch_oracle.py). Ids pass
through unchanged: in NDJSON as JSON (any character a terminal or an editor would act on written as a \\u escape,
which a JSON reader turns back into the same character); in CSV/TSV as the cell csv.reader reads back (quoted
where it must be), but for the spreadsheet guard (a leading = + - @ TAB or CR gets a ') and control characters,
which CSV output refuses, with the reason, for that record.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
from typing import IO, Any

import numpy as np
import orjson

from emiss.batch.records import error_text
from emiss.batch.results import QUANTITIES, TOO_LARGE, ResultColumns, joined, reprs
from emiss.errors import EmissError, InputError, printable, printable_tree

# characters a terminal or an editor acts on (controls, bidi marks, line separators) and lone surrogates
UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_FORMULA = re.compile("\n[=+\\-@]")  # an id after the first (ids joined by newlines) a spreadsheet would run as a formula
_FORMULA_FIRST = ("=", "+", "-", "@")  # the same, for the first id (a regex anchored at '^' too is ~8 x slower)
PIECE = 1024  # rows joined into one text: a block's text in pieces of ~1.5 MB is written from memory the process
# keeps, where one text of the whole block (8,192 NDJSON lines, ~11 MB) was new memory for each block, and its page
# faults cost ~0.15 s per 100,000 records on the development machine (emiss's choice: 256 to 2,048 rows measured the same)
_NOT_IN_CSV = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def json_id(rid: Any) -> str:
    """Return an id as JSON text that reads back as the same value (NaN and infinity are read as text ids)."""
    text = json.dumps(rid, ensure_ascii=False)
    return json.dumps(rid) if UNSAFE.search(text) else text


def id_text(rid: Any) -> str:
    """Return an id as text: a string as it is, anything else as its JSON text ('true', '{"a": 1}', not reprs)."""
    return rid if isinstance(rid, str) else json.dumps(rid, ensure_ascii=False)


class LinesSink:
    """Write a batch's results to ``out`` as NDJSON, CSV or TSV lines (write(block, outcomes), close())."""

    def __init__(self, out: IO[str], fmt: str, columns: ResultColumns) -> None:
        self.out = out
        self.fmt = fmt
        self.columns = columns
        self.sep = "\t" if fmt == "tsv" else ","
        # what makes a text id more than its characters between quotes (NDJSON) or as a bare cell (CSV)
        self._plain = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff"
                                 + ('"\\\\]' if fmt == "ndjson" else f'"{re.escape(self.sep)}]'))
        self.plain = not (columns.flags or columns.echo)
        self._cached: tuple[Any, Any] = (None, None)  # the last result written: (result, (consts, values))
        if fmt != "ndjson":
            out.write(self._row(columns.fields))

    def close(self, failing: bool = False) -> None:
        """Flush the output (which the caller owns and closes)."""
        self.out.flush()

    def write(self, block: Any, outcomes: Any, strict: bool = False) -> tuple[int, dict[int, EmissError]]:
        """Write a block's lines in row order, a failed row's error line in its place (with ``strict``, up to the
        first failed row), and flush them (a slow producer's records reach a pipe as they come); return the rows
        written and the failed rows' errors."""
        lines, errors = self.texts(block, outcomes)
        for i in sorted(errors):
            lines[i] = self.error_line(block.record(i), errors[i])
            if strict:
                del lines[i + 1:]
                errors = {i: errors[i]}
                break
        self.out.writelines(lines)
        self.out.flush()
        return (len(lines) if errors else block.n), errors  # with no error, the lines may be one text for the block

    def error_line(self, record: Any, exc: EmissError) -> str:
        """Return a failed record's line: its id, number and error (NDJSON), or the error cell (CSV/TSV)."""
        if self.fmt == "ndjson":
            rest = json.dumps({"record": record.number, "error": {"message": printable(exc.message), "field": printable(exc.where) or None}},
                              ensure_ascii=False)
            return '{"id": ' + json_id(record.id) + ", " + rest[1:] + "\n"
        try:
            head = self._id_cell(record.id)
        except InputError:
            head = ""
        cells = [str(record.number)] + [""] * (len(self.columns.fields) - 3) + [printable(error_text(record, exc))]
        return head + self.sep + self._row(cells)

    def _row(self, cells: list[Any]) -> str:
        buf = io.StringIO()
        csv.writer(buf, delimiter=self.sep, lineterminator="\n").writerow(cells)
        return buf.getvalue()

    def _id_cell(self, rid: Any) -> str:
        if rid is None:
            return ""
        text = id_text(rid)
        bad = _NOT_IN_CSV.search(text)
        if bad:
            raise InputError(f"the id holds the control character U+{ord(bad.group()):04X}, which {self.fmt.upper()} output "
                             "does not write; use --format ndjson or parquet, where it passes unchanged", where="id")
        if text[:1] in ("=", "+", "-", "@", "\t", "\r") and isinstance(rid, str):  # never a spreadsheet formula
            text = "'" + text
        return _csv_cell(text, self.sep)

    def _heads(self, block: Any, errors: dict[int, EmissError]) -> list[str]:
        """Return each row's id text (an id CSV cannot hold makes its row an error)."""
        ids = block.ids
        kinds = list(map(type, ids))  # (counted, not made a set: about half the time)
        if kinds.count(int) == len(ids):  # the common case: whole-number ids
            return list(map(str, ids))
        if kinds.count(str) == len(ids):  # text ids that need no quoting, escape or guard (looked at once, joined by newlines)
            joined = "\n".join(ids)
            digits = joined.isascii() and not joined.encode().translate(None, b"0123456789\n")  # (the common case, at once)
            if joined.count("\n") == len(ids) - 1 and (digits or not (self._plain.search(joined) or _FORMULA.search(joined)
                                                                       or joined[:1] in _FORMULA_FIRST)):
                return [f'"{i}"' for i in ids] if self.fmt == "ndjson" else ids
        text = json_id if self.fmt == "ndjson" else self._id_cell
        heads = []
        for i, rid in enumerate(ids):
            try:
                heads.append(str(rid) if type(rid) is int else text(rid))
            except InputError as exc:
                errors[i] = exc.with_traceback(None)  # its traceback would hold the block (a cycle)
                heads.append("")
        return heads

    def _texts(self, result: Any) -> tuple[list[str], list[Any]]:
        """Return, once per result, the texts around a line's values (before the id, after it, after the record
        number, after each value) and its values for _values: NDJSON, each number's texts in the record's mass
        unit; CSV/TSV, the matrices of the quantities and of the pollutants. Raises InputError when a result is not
        finite."""
        if self._cached[0] is result:
            return self._cached[1]
        sc = result.scenario
        if self.fmt == "ndjson":  # the record's mass unit
            texts = [reprs(column) for m in self._matrices(result, sc.mass_unit) for column in m.T]
            unit = json.dumps(f"{sc.mass_unit} / year", ensure_ascii=False)
            em = ", ".join(f'"{p}": {{{{"value": %s, "unit": {unit}, "complete": {"true" if result.emissions[p].complete else "false"}}}}}'
                           for p in self.columns.ids)
            consts = ('{"id": %s, "record": %s, "capacity": {"value": %s, "unit": "megawatt"}, '
                      '"generation": {"value": %s, "unit": "megawatt_hour / year"}, '
                      '"heat_input": {"value": %s, "unit": "megabritish_thermal_unit / year", "basis": "HHV"}, '
                      '"fuel": {"value": %s, "unit": "foot ** 3 / year"}, '
                      f'"households": {{"value": %s, "method": {json.dumps(sc.households_method)}}}, '
                      f'"emissions": {{{em.replace("{{", "{").replace("}}", "}")}}}}}\n').split("%s")
        else:
            sep = self.sep
            texts = self._matrices(result, self.columns.mass_unit)
            method = _csv_cell(sc.households_method, sep)
            # the text before the id, after it, after the record, after the quantities (and after the pollutants)
            # (the line ends with the empty warnings and error cells)
            consts = ["", sep, sep, sep + method + sep * 2 + "\n"] if not self.columns.ids else ["", sep, sep, sep + method + sep, sep * 2 + "\n"]
        self._cached = (result, (consts, texts))
        return consts, texts

    def texts(self, block: Any, outcomes: Any) -> tuple[list[Any], dict[int, Any]]:
        """Return a block's lines in row order (None where a row failed) and the failed rows' errors by row; when
        no row failed and one result holds them all, the lines are a few texts (PIECE rows each)."""
        n = block.n
        lines: list[Any] = [None] * n
        errors = dict(outcomes.errors)
        heads = self._heads(block, errors)
        numbers = _int_texts(block.numbers)
        said = self.columns.notes(outcomes)
        parts = [(r, rows.tolist(), shared) for r, rows, shared in outcomes.groups]
        parts += [(r, [i], True) for i, r in outcomes.singles.items()]
        for result, rows, shared in parts:
            try:
                consts, texts = self._texts(result)
            except EmissError as exc:  # a result that cannot be written (not finite in the asked unit)
                for i in rows:
                    errors[i] = exc.with_traceback(None)
                continue
            once = [itertools.repeat(t[0]) for t in self._values(texts, 0, 1)] if shared else None
            uniform = not said or not any(i in said for i in rows)
            if said and self.plain and not uniform and rows[0] in said and all(said.get(i) == said[rows[0]] for i in rows):
                # every row of the part says the same (a preset's own warning, as a rule): written once, in the text
                # after its last value, so the rows are written at once as rows without warnings are
                warned = self._warned(said[rows[0]])  # before the line's last two characters: '}\n', or the error cell's ',\n'
                consts = [*consts[:-1], consts[-1][:-2] + (warned if self.fmt == "ndjson" else _csv_cell(warned, self.sep)) + consts[-1][-2:]]
                uniform = True
            if self.plain and len(rows) == n and not errors and uniform:  # the whole block in order, every row written: a few texts
                return [_interleave(consts, [heads[a:a + PIECE], numbers[a:a + PIECE], *(once or self._values(texts, a, a + PIECE))],
                                    min(PIECE, n - a)) for a in range(0, n, PIECE)], errors
            line_of = "%s".join(c.replace("%", "%%") for c in consts)
            values = once or self._values(texts, 0, None)
            made = map(line_of.__mod__, zip((heads[i] for i in rows), (numbers[i] for i in rows), *values))
            for k, (i, line) in enumerate(zip(rows, made)):
                if i not in errors:
                    lines[i] = line if self.plain and uniform else self._more(line, block.record(i), result, 0 if shared else k,
                                                                                   said.get(i, ()))
        return lines, errors

    def _values(self, values: list[Any], a: int, b: int | None) -> list[list[str]]:
        """Return the texts of a result's rows a to b (None: to the end), one list per column: NDJSON's are made
        already; CSV/TSV's are made from the matrices as repr() writes them, PIECE rows at a time (a block's
        8,192 rows at once took ~40% longer: the text outgrows the CPU's caches)."""
        if self.fmt == "ndjson":
            return values if b is None else [t[a:b] for t in values]
        return [matrix_texts(m[a:b], self.sep) for m in values]

    @np.errstate(over="ignore", invalid="ignore")  # a result that is not finite is its rows' error, said once each
    def _matrices(self, result: Any, mass_unit: str) -> list[np.ndarray]:
        """Return a result's numbers: the five quantities, then the pollutants (if any) in ``mass_unit``, each a
        matrix of one row per result row (one row for a result of one value). Raises InputError when a result is
        not finite."""
        numbers, _ = self.columns.arrays(result, mass_unit)
        n = max((len(v) for v in numbers if getattr(v, "ndim", 0)), default=1)
        out = []
        for group in (numbers[:len(QUANTITIES)], numbers[len(QUANTITIES):]) if self.columns.ids else (numbers,):
            m = np.empty((n, len(group)))
            for k, c in enumerate(group):
                m[:, k] = c  # one value is the same for every row
            if not np.isfinite(m).all():
                raise InputError(TOO_LARGE)
            out.append(m)
        return out

    def _more(self, line: str, record: Any, result: Any, at: int, said: tuple[str, ...] = ()) -> str:
        """Return a written line with the flags, the warnings (NDJSON) and the echoed input added before its end (the
        slow way, row by row)."""
        given, potential = self.columns.above(result) if self.columns.flags else ({}, {})
        above = {k: v[at % len(v)] for k, v in given.items()}
        pte = {k: v[at % len(v)] for k, v in potential.items()}
        echo = [json.dumps(printable_tree(record.settings), ensure_ascii=False, default=str)] if self.columns.echo else []
        if self.fmt == "ndjson":  # the line ends with '}\n'
            rest = "".join(f', "{key}": {{' + ", ".join(f'"{k}": {json.dumps(v)}' for k, v in flags.items()) + "}"
                           for key, flags in (("above", above), ("above_at_potential", pte)) if flags)
            rest += self._warned(said) if said else ""
            return line[:-2] + rest + (', "input": ' + echo[0] if echo else "") + "}\n"
        # the line ends with the separators before the empty warnings and error cells, and '\n'
        flags = [("" if x is None else x) for x in [*above.values(), *pte.values()]]
        return line[:-2] + self._row([*flags, *echo, self._warned(said) if said else "", ""])

    def _warned(self, said: tuple[str, ...]) -> str:
        """Return a row's warnings as written at the end of its line: NDJSON's '"warnings"' key, or the text of the
        CSV/TSV 'warnings' cell (joined by '; ', as estimate_frame joins them; never a spreadsheet formula)."""
        if self.fmt == "ndjson":
            return ', "warnings": ' + json.dumps([printable(w) for w in said], ensure_ascii=False)
        text = joined(said)
        return "'" + text if text[:1] in _FORMULA_FIRST else text


def matrix_texts(m: np.ndarray, sep: str) -> list[str]:
    """Return, for each row of a C-ordered matrix, the text of its values joined by ``sep``, each value as repr()
    writes it: one orjson call, repr() for the rows it writes otherwise (an exponent: |x| < 1e-4 or >= 1e16)."""
    if not len(m):
        return []
    text = orjson.dumps(m, option=orjson.OPT_SERIALIZE_NUMPY).decode()
    rows = (text if sep == "," else text.replace(",", sep))[2:-2].split("]" + sep + "[")
    a = np.abs(m).ravel()
    exponent = ((a < 1e-4) & (a != 0)) | (a >= 1e16)
    for i in np.unique(np.flatnonzero(exponent) // m.shape[1]).tolist() if exponent.any() else ():
        rows[i] = sep.join(reprs(m[i]))
    return rows


def _int_texts(numbers: Any) -> list[str]:
    """Return str() of each whole number (a range or a list), by one orjson call (a quarter of map(str, ...)'s time)."""
    if not len(numbers):
        return []
    array = np.arange(numbers.start, numbers.stop) if isinstance(numbers, range) else np.asarray(numbers, dtype=np.int64)
    return orjson.dumps(array, option=orjson.OPT_SERIALIZE_NUMPY)[1:-1].decode().split(",")


def _csv_cell(value: Any, delimiter: str) -> str:
    """Return one cell as csv.writer writes it inside a row (quoted when it must be; None as nothing)."""
    buf = io.StringIO()
    # the terminator is CR LF so that csv.writer quotes a cell holding either (with '\n' alone, a lone CR went unquoted
    # and a CSV reader cut the id there)
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerow([value, ""])
    return buf.getvalue()[:-3]  # the row is '<cell><delimiter>\r\n'


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
