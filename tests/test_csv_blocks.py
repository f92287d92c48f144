"""The CSV/TSV reader that reads a whole block of lines at once (read._plain_cells) against csv.reader, which
reads every line one by one: the same rows, blank rows left out, or the block goes the exact way."""

from __future__ import annotations

import csv
import io
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from emiss.batch.read import CsvRows, _plain_cells, read_records
from emiss.batch.tables import Cells, table_from_rows

UNDECODED = re.compile("[\udc80-\udcff]")

# pieces of cells: plain text, the delimiters, what csv.reader reads its own way (quote, CR, NUL), whitespace
# that makes a row blank (ASCII and beyond), and a byte that is not UTF-8
PIECES = [b"a", b"7", b"16 MW", b"x y", b",", b"\t", b'"', b"\r", b"\x00", b" ", b"\x0c", b"\x1f", "\u3000".encode(),
          "\xa0".encode(), "\u00e9".encode(), b"\xff", b"=1", b""]
LINE_ENDS = [b"\n", b"\r\n"]


def exact_rows(block: bytes, delimiter: str) -> list[list[str]] | None:
    """The rows csv.reader reads from a block's lines (as the exact path hands them over), blank rows left out;
    None where it raises, or a row is not plain (the fast reader must then leave the block to it)."""
    text = block.decode("utf-8", errors="surrogateescape")
    lines = [part + "\n" for part in text.split("\n")]
    last = lines.pop()[:-1]
    if last:
        lines.append(last)
    try:
        rows = list(csv.reader(lines, delimiter=delimiter))
    except csv.Error:
        return None
    return [row for row in rows if any(cell.strip() for cell in row)]


def rows_of(cells: Cells) -> list[list[str]]:
    return [list(row) for row in cells]


def blocks(plain: bool) -> st.SearchStrategy[tuple[bytes, int, str]]:
    """A block of lines, its header's width and delimiter: cells drawn from PIECES (or plain ones only)."""
    pieces = st.sampled_from([b"a", b"7", b"16 MW", b" ", b"", "\u00e9".encode()] if plain else PIECES)
    cell = st.lists(pieces, max_size=3).map(b"".join)
    # the strategies are built once, for each row width and header, and looked up per example: building them
    # inside each draw (as a flatmap's function does) costs hypothesis more than drawing from them
    cells = {k: st.lists(cell, min_size=max(k, 1), max_size=max(k, 1)) for k in range(0, 6)}

    def block(width: int, delimiter: str) -> st.SearchStrategy[tuple[bytes, int, str]]:
        widths = st.just(width) if plain else st.sampled_from([width, width, width, width - 1, width + 1])
        line = widths.flatmap(cells.__getitem__).map(delimiter.encode().join)
        ended = st.tuples(line, st.sampled_from(LINE_ENDS)).map(b"".join)
        return st.tuples(st.lists(ended, min_size=1, max_size=8).map(b"".join), line, st.booleans()).map(
            lambda t: (t[0] + (t[1] if t[2] and t[1] else b""), width, delimiter))

    built = {(width, delimiter): block(width, delimiter) for width in range(1, 5) for delimiter in (",", "\t")}
    return st.tuples(st.integers(1, 4), st.sampled_from([",", "\t"])).flatmap(built.__getitem__)


@settings(max_examples=600, deadline=None)
@given(blocks(plain=False))
def test_a_block_read_at_once_gives_what_csv_reader_gives(case):
    block, width, delimiter = case
    cells = _plain_cells(block, width, delimiter)
    if cells is None:
        return  # the exact way reads it
    want = exact_rows(block, delimiter)
    assert want is not None and all(len(row) == width for row in want)
    assert not any(UNDECODED.search(cell) for row in want for cell in row)
    assert rows_of(cells) == want and len(cells) == len(want)


@settings(max_examples=200, deadline=None)
@given(blocks(plain=True))
def test_a_plain_block_is_read_at_once(case):
    # no quote, CR but in CR LF, NUL, nor a row of the wrong width: the fast reader takes the block
    block, width, delimiter = case
    cells = _plain_cells(block, width, delimiter)
    assert cells is not None
    assert rows_of(cells) == exact_rows(block, delimiter)


def test_blank_rows_and_line_ends_by_hand():
    # written out by hand: CR LF and LF line ends, a last line with no end, rows of blanks (spaces, a tab, an
    # ideographic space U+3000, nothing between the commas) are no rows; a row with a blank first cell is a row
    block = "a,1,x\r\n,,\n \t, ,\u3000\r\n,2,y\nb,3,z".encode()
    cells = _plain_cells(block, 3, ",")
    assert rows_of(cells) == [["a", "1", "x"], ["", "2", "y"], ["b", "3", "z"]]
    assert _plain_cells(b"\n\n \n", 1, ",").n == 0  # one column: empty and blank lines, no rows


@pytest.mark.parametrize("block", [b'a,"1",x\n', b"a,1,x\rb,2,y\n", b"a,1,x\r", b"a,1\x00,x\n", b"a,1,\xffx\n", b"a,1\nb,2,3\n",
                                   b"a,1,x,\n", b"\n"])
def test_what_the_fast_reader_leaves_to_csv_reader(block):
    # a quote, a CR alone, a CR at the end of the input, a NUL, bytes that are not UTF-8, a short or long row,
    # an empty line under a header of three columns: each block goes the exact way
    assert _plain_cells(block, 3, ",") is None


class SmallReads(io.RawIOBase):
    """A stream that gives the header line in its first read, then at most ``size`` bytes a read, so that one
    input is many blocks and rows run across them (the first read holds a whole line, as emiss looks at it for
    line ends)."""

    def __init__(self, data: bytes, size: int) -> None:
        self.data = memoryview(data)
        self.at = 0
        self.size = size
        self.first = data.index(b"\n") + 1

    def readable(self) -> bool:
        return True

    def readinto(self, buf) -> int:
        n = min(len(buf), self.first if self.at == 0 else self.size, len(self.data) - self.at)
        buf[:n] = self.data[self.at:self.at + n]
        self.at += n
        return n


def oracle(data: bytes, delimiter: str) -> list[tuple]:
    """What a CSV input's records are, read by one csv.reader over all its lines (the rules: blank rows are no
    record and take no number; a row that is not UTF-8, has the wrong cell count or that csv cannot read says so)."""
    text = data.decode("utf-8", errors="surrogateescape")
    lines = [part + "\n" for part in text.split("\n")]
    last = lines.pop()[:-1]
    if last:
        lines.append(last)
    reader = csv.reader(lines, delimiter=delimiter)
    header = next(reader)
    out, number = [], 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return out
        except csv.Error as exc:
            number += 1
            out.append((number, None, {}, f"cannot be read as CSV ({exc})"))
            continue
        if not any(cell.strip() for cell in row):
            continue
        number += 1
        if any(UNDECODED.search(cell) for cell in row):
            out.append((number, None, {}, "is not UTF-8 text"))
        elif len(row) != len(header):
            out.append((number, row[0] if row else None, {}, f"has {len(row)} cells but the header has {len(header)}"))
        else:
            out.append((number, row[0], {k: v for k, v in zip(header[1:], row[1:]) if v != ""}, ""))


def records_read(data: bytes, size: int) -> list[tuple]:
    out = []
    for item in read_records(io.BufferedReader(SmallReads(data, size), buffer_size=max(size, 64))):
        if isinstance(item, CsvRows):
            table = table_from_rows(item.header, item.rows, item.start)
            out += [(r.number, r.id, r.settings, r.error) for r in map(table.record, range(table.n))]
        else:
            out.append((item.number, item.id, item.settings, item.error))
    return out


ROW_PIECES = [b"a", b"2", b"16 MW", b" ", b"", b'"', b'"x\ny"', b"\r", b"\x00", b"\xff", "\u3000".encode()]


def _rows(sep: bytes) -> st.SearchStrategy[list[bytes]]:
    """Data rows joined by sep: plain rows of three cells, and rows of two to four cells drawn from ROW_PIECES."""
    cell = st.lists(st.sampled_from(ROW_PIECES), max_size=3).map(b"".join)
    row = st.lists(cell, min_size=2, max_size=4).map(sep.join)
    plain = st.lists(st.sampled_from([b"a", b"2", b"16 MW", b"", b"5"]), min_size=3, max_size=3).map(sep.join)
    return st.lists(st.one_of(plain, plain, row), min_size=1, max_size=40)


ROWS = {delimiter: _rows(delimiter.encode()) for delimiter in (",", "\t")}  # built once, not in every example


@settings(max_examples=300, deadline=None)
@given(st.sampled_from([",", "\t"]), st.integers(8, 200), st.data())
def test_records_read_a_block_at_a_time_are_those_one_reader_reads(delimiter, size, data):
    # many small reads: blocks read at once and blocks csv.reader reads (a quoted newline may run into the next
    # read) side by side must give the records one csv.reader gives over the whole input, numbered alike
    sep = delimiter.encode()
    rows = data.draw(ROWS[delimiter])
    eol = data.draw(st.sampled_from([b"\n", b"\r\n"]))
    body = b"".join(r + eol for r in rows)
    if data.draw(st.booleans()):
        body = body[:-len(eol)]  # the last line has no end
    raw = sep.join([b"id", b"turbines", b"capacity"]) + eol + body
    assert records_read(raw, size) == oracle(raw, delimiter)


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_a_formula_id_first_in_a_block_of_text_ids_is_guarded(fmt):
    # every id is text that needs no quoting, so the block's ids are looked at at once: the first id too must get
    # the spreadsheet guard (a ' before = + - @), alone or with another after it
    from click.testing import CliRunner

    from emiss.cli import cli

    sep = "\t" if fmt == "tsv" else ","
    for ids, want in ((("=1", "b", "c"), ["'=1", "b", "c"]), (("-1", "b", "+2"), ["'-1", "b", "'+2"])):
        text = sep.join(["id", "turbines", "capacity"]) + "\n" + "".join(sep.join([rid, "1", "1 MW"]) + "\n" for rid in ids)
        r = CliRunner().invoke(cli, ["batch", "--format", fmt, "--only", "nox", "--quiet"], input=text)
        assert r.exit_code == 0, r.stderr
        assert [line.split(sep)[0] for line in r.stdout.splitlines()[1:]] == want
