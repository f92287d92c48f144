"""A field's reading for many values at once: step (a) for a column of values, raw values (a Python list, or an
Arrow column from Parquet or a DataFrame) into numbers and unit texts, one unit text per distinct spelling. The
batch engine and estimate_frame read their columns here; one value is read by fields.py.

Step (b), what a unit means for a field and the number's conversion and bounds, is written once, for one value
and for arrays alike: fields.unit_rule / fields.convert for the quantities, factors.factor_values and
factors.concentration_values (EPA Method 19, units.method19_lb_per_mmbtu) for emission factors. A value this
module cannot split, or that step (b) refuses, is left to the one-value path (its position is returned), which
reads it with the whole grammar and says what is wrong, word for word as for a single estimate. Each reader
returns (values, positions left to the one-value path[, each value's factor form as a code into FORMS]).
"""

from __future__ import annotations

import itertools
import math
import operator
import re
from typing import Any

import numpy as np

from emiss import data
from emiss.core import factors, units
from emiss.core.model import FORM_UNITS, Given
from emiss.errors import EmissError
from emiss.inputs import fields
from emiss.inputs.fields import FIELDS

_NUM = re.compile(r"^\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*(.*?)\s*$", re.ASCII)

_TAIL = "".join(chr(c) for c in range(65, 91)) + "".join(chr(c) for c in range(97, 123)) + "%/ "  # a unit's last characters
_NUMBERS = frozenset((int, float))
_NUMBER_CHARS = "0123456789+-.eE"  # what a plain decimal number is written with (Arrow's cast reads these)
FORMS = tuple(FORM_UNITS)  # a factor's forms, each row's given as its index here (a code, not a text per row)
INPUT = np.int8(FORMS.index("input"))  # per heat input: the form of a concentration (Method 19 gives lb/MMBtu)
_EXACT = 2**53  # every whole number up to this is a float exactly; beyond, the one-value path decides


def _split(raws: list[Any]) -> tuple[list[float], list[str]] | None:
    """Split a column of values into numbers and unit texts, or return None when one of them is not a plain
    'number[ unit]' (the caller then reads the column value by value).

    The number is what is left when the unit's letters, '%', '/' and spaces are stripped from the end, as float()
    reads it. That is the number _NUM finds, for ASCII text without '_' (float() reads '1_000', _NUM does not);
    'inf' and 'nan' lose their letters and fail here, and a number float() reads as not finite fails the range check.
    """
    kinds = set(map(type, raws))
    if kinds <= _NUMBERS:
        if kinds == {int}:
            if not -_EXACT <= min(raws) <= max(raws) <= _EXACT:
                return None  # a whole number float() would round (or not hold): the one-value path says so
        elif int in kinds:
            whole = [v for v in raws if type(v) is int]
            if not -_EXACT <= min(whole) <= max(whole) <= _EXACT:
                return None
        return list(map(float, raws)), [""] * len(raws)
    if kinds != {str}:
        return None
    texts = list(map(str.rstrip, raws, itertools.repeat(_TAIL)))
    joined = "".join(texts)
    if not joined.isascii() or "_" in joined:
        return None
    try:
        numbers = list(map(float, texts))
    except ValueError:
        return None
    return numbers, list(map(str.removeprefix, raws, texts))  # each value's tail: its text is a prefix of it


def _index(values: list[Any]) -> tuple[list[Any], np.ndarray]:
    """Return the distinct values (in first-seen order) and each value's index into them, as an array."""
    distinct = list(dict.fromkeys(values))
    code = {v: k for k, v in enumerate(distinct)}
    return distinct, np.fromiter(map(code.__getitem__, values), np.intp, len(values))


def _split_each(raws: list[Any]) -> tuple[list[float], list[str | None]]:
    """Split values one by one (a column _split refuses): a number, or ASCII 'number unit' text; None for anything
    else, which the one-value path reads."""
    numbers: list[float] = []
    unit_texts: list[str | None] = []
    for v in raws:
        t = type(v)
        if t is float or (t is int and -_EXACT <= v <= _EXACT):
            numbers.append(v)
            unit_texts.append("")
        elif t is str and v.isascii() and "_" not in v and (m := _NUM.match(v)) is not None:
            numbers.append(float(m.group(1)))
            unit_texts.append(m.group(2))
        else:
            numbers.append(0.0)
            unit_texts.append(None)
    return numbers, unit_texts


def _split_mixed(raws: list[Any]) -> tuple[np.ndarray, list[str]] | None:
    """_split for a column of numbers and texts: the texts split together, the numbers together, then merged."""
    is_text = np.fromiter(map(isinstance, raws, itertools.repeat(str)), bool, len(raws))
    a, b = _split(list(itertools.compress(raws, is_text))), _split(list(itertools.compress(raws, ~is_text)))
    if a is None or b is None:
        return None
    numbers = np.empty(len(raws))
    numbers[is_text], numbers[~is_text] = a[0], b[0]
    unit_texts = np.full(len(raws), "", dtype=object)
    unit_texts[is_text] = a[1]
    return numbers, unit_texts.tolist()


def split_list(raws: list[Any]) -> tuple[np.ndarray, list[str | None], np.ndarray | None]:
    """Return a list of raw values as (numbers, distinct unit texts, each value's index into them -- None when
    there is one unit text for all); a unit text of None marks values the one-value path reads."""
    at_once = _at_once(raws, first_space=False)
    if at_once is not None:
        return at_once
    split = _split(raws)
    kinds = set(map(type, raws)) if split is None else set()
    if str in kinds and len(kinds) > 1 and kinds <= {str, int, float}:
        split = _split_mixed(raws)  # numbers beside texts ('85%' beside 0.85): each kind split as a column
    if split is not None:
        return _coded(*split)
    numbers, unit_texts = _split_each(raws)
    return (np.array(numbers, dtype=np.float64), *_index(unit_texts))


def _coded(numbers: Any, unit_texts: list[str]) -> tuple[np.ndarray, list[str], np.ndarray | None]:
    """Return split values as (numbers, distinct unit texts, each value's index into them, or None for one)."""
    array = np.array(numbers, dtype=np.float64)
    if not unit_texts or unit_texts.count(unit_texts[0]) == len(unit_texts):
        return array, unit_texts[:1] or [""], None
    return (array, *_index(unit_texts))


_DIGITS = 15  # a number read at once has at most this many characters: a whole number below 10**15 (< 2**53) over a
# power of ten up to 1e15, both exact as floats, so their quotient is the correctly rounded value float() reads (Clinger)
_POW10 = 10 ** np.arange(_DIGITS + 1, dtype=np.int64)
_UNIT_CHARS = 64  # a unit text longer than this goes the Python way
_UNITS = 16  # at most this many unit texts in a column split at once (telling each apart is a pass over the column)
_IS_TAIL = np.zeros(256, dtype=bool)  # the bytes of _TAIL, by byte value
_IS_TAIL[list(_TAIL.encode())] = True
_MIX = np.array([0x9E3779B97F4A7C15 * k % 2**64 for k in range(1, 2 * _UNIT_CHARS, 2)], dtype=np.uint64)  # odd numbers
# that mix a unit text's bytes into one number (any would do: texts with one number are compared byte by byte)
_ZERO, _DOT, _PLUS, _MINUS, _SPACE, _LF = b"0.+- \n"


def _at_once(raws: list[Any], first_space: bool) -> tuple[np.ndarray, list[str], np.ndarray | None] | None:
    """Split a column of texts as _split (or, with ``first_space``, _split_ppm) splits it, every value at once on
    its bytes: (numbers, distinct unit texts in first-seen order, each value's index into them or None for one);
    or None when a value is not plain, and the caller splits the column the Python way, as before.

    Plain: ASCII without NUL or newline; the number (what rstrip(_TAIL) leaves, or, for a factor, what stands before
    the only space) at most _DIGITS characters: a sign (not for a factor), digits and at most one '.' (float() reads
    every such text, to the value computed here); unit texts at most _UNIT_CHARS long, and at most _UNITS of them. A
    factor's values with one space at most split at it as _split_ppm splits them, whichever of its two ways it takes
    (tests/test_columns_split.py holds the two readers to one another)."""
    if not raws or list(map(type, raws)).count(str) != len(raws):  # str itself (a subclass goes the Python way)
        return None
    text = "\n" + "\n".join(raws) + "\n"
    if not text.isascii() or "\x00" in text:
        return None
    code = np.frombuffer(text.encode("ascii"), dtype=np.uint8)
    lines = np.flatnonzero(code == _LF)
    if len(lines) != len(raws) + 1:  # a value holds a newline
        return None
    begin, end = lines[:-1] + 1, lines[1:]
    if first_space:
        spaces = np.flatnonzero(code == _SPACE)
        space = np.append(spaces, len(code))[np.searchsorted(spaces, begin)]
        if np.count_nonzero(space < end) != len(spaces):  # a value with two spaces
            return None
        cut, rest = np.minimum(space, end), np.minimum(space + 1, end)
    else:  # the unit's characters stripped from the end of every value together, a character at a time
        cut = end.copy()
        for _ in range(_UNIT_CHARS):
            strip = _IS_TAIL.take(code.take(cut - 1))  # (the line end before a value is never stripped)
            if not strip.any():
                break
            cut -= strip
        else:
            return None
        rest = cut
    # the numbers right-aligned in a matrix of bytes, a place per row and a number per column, '0' before each (a
    # leading zero changes nothing): each must be digits, one '.' at most, and a sign first where one may stand
    width = cut - begin
    w = int(width.max())
    if not 0 < int(width.min()) <= w <= _DIGITS or int((end - rest).max()) > _UNIT_CHARS:
        return None
    at = np.arange(-w, 0)[:, None] + cut
    chars = np.where(at >= begin, code.take(at), _ZERO)  # (a place before the text wraps around to its end)
    digit = (chars - _ZERO) < 10
    dot = chars == _DOT
    lead = chars[w - width, np.arange(len(raws))]  # each number's first character
    signed = 0 if first_space else (lead == _PLUS) | (lead == _MINUS)
    pointed = dot.sum(axis=0)
    digits = digit.sum(axis=0) - (w - width)  # less the '0's put before the number
    if pointed.max() > 1 or (digits + pointed + signed != width).any() or digits.min() < 1:
        return None
    # the digits read as one whole number below 10**15, a '.' read as a 0 (which shifts the digits before it one
    # place up), then the number: the whole number the digits make, over ten to the digits after the '.'
    whole = (np.where(digit, chars - _ZERO, 0) * _POW10[w - 1::-1, None]).sum(axis=0)
    decimals = np.where(pointed == 1, w - 1 - (dot * np.arange(w)[:, None]).sum(axis=0), 0)  # (the '.' row, summed)
    after = whole % _POW10.take(decimals)
    numbers = np.where(pointed == 1, (whole - after) // 10 + after, whole) / _POW10.take(decimals)
    numbers[lead == _MINUS] *= -1
    # the unit texts (what follows each number): one for all when every value ends with the first one's
    size = end - rest
    unit = raws[0][int(rest[0] - begin[0]):]
    if (size == len(unit)).all() and (not unit or text.count(unit + "\n") == len(raws)):
        return numbers, [unit], None
    # else each unit text's bytes (a row per place, zero after its end) mixed into one number, and the texts told
    # apart by their numbers, in first-seen order; texts that share a number must be the same text (else the Python
    # way tells them apart)
    at = np.arange(int(size.max()))[:, None] + rest
    keys = np.where(at < end, code.take(np.minimum(at, len(code) - 1)), 0)
    mixed = (keys * _MIX[:len(keys), None]).sum(axis=0)
    index = np.zeros(len(raws), dtype=np.intp)
    first = [0]
    unread = mixed != mixed[0]
    while unread.any():
        if len(first) == _UNITS:
            return None
        first.append(int(unread.argmax()))
        same = mixed == mixed[first[-1]]
        index[same] = len(first) - 1
        unread &= ~same
    if not (keys == keys[:, np.array(first)[index]]).all():
        return None
    return numbers, [raws[i][int(rest[i] - begin[i]):] for i in first], index


def read(field: str, numbers: np.ndarray, unit_texts: list[str | None], index: np.ndarray | None) -> tuple[np.ndarray, list[int]]:
    """Step (b) for a column: each distinct unit text's rule for ``field`` once, then fields.convert on the arrays;
    return the canonical values and the positions it refused (the one-value path says why)."""
    rules = [fields.unit_rule(field, None if u is None else units.unit_name(u)) for u in unit_texts]
    if index is None:
        how: Any = rules[0][0]
        m: Any = rules[0][1]
    else:
        how = np.array([r[0] for r in rules], dtype=np.int8)[index]
        m = np.array([r[1] for r in rules], dtype=np.float64)[index]
    values, codes = fields.convert(field, numbers, how, m)
    return values, np.flatnonzero(codes).tolist()


def column(field: str, raws: list[Any]) -> tuple[np.ndarray, list[int]]:
    """Return one field's canonical values for a list of raw values, and the positions that need the one-value path."""
    if not raws:
        return np.zeros(0), []
    return read(field, *split_list(raws))


def one(field: str, raw: Any) -> Any:
    """Check one value the one-value way (the message of a bad value is the same as for a single estimate)."""
    return FIELDS[field].parse(Given(raw, fields.RECORD_SOURCE, "record", "user", "", field))


def _reads_factors(pol: str) -> bool:
    """Return whether factors for ``pol`` can be read as a column (a known pollutant that takes factors)."""
    try:
        factors.check_pollutant(pol, where="")
    except EmissError:
        return False
    return pol != "co2e"


def factor_column(pol: str, raws: list[Any]) -> tuple[np.ndarray, list[int], np.ndarray]:
    """Return a factor column in its canonical form: the values, the positions the one-value parser must read, and
    each value's form (codes into FORMS). Values split at their first space into a number and a unit text (or,
    when one of them does not split so, each where its unit's letters start); each distinct unit text read once
    (factor_read)."""
    n = len(raws)
    if not n or not _reads_factors(pol):
        return np.zeros(n), list(range(n)), np.full(n, INPUT)
    split = _at_once(raws, first_space=True)
    if split is None and (ppm := _split_ppm(raws)) is not None:
        split = _coded(*ppm)
    if split is not None:
        return factor_read(pol, *split)
    numbers, tails = _split_each(raws)
    if data.concentration_mw_key(pol):  # a concentration is read without a sign (the one-value reading refuses one)
        signed = [type(v) is str and v.lstrip()[:1] in ("+", "-") for v in raws]
        tails = [None if s and t is not None and units.ppmvd_reference(t) is not None else t for s, t in zip(signed, tails)]
    return factor_read(pol, np.array(numbers, dtype=np.float64), *_index(tails))


def factor_read(pol: str, numbers: np.ndarray, tails: list[str | None], index: np.ndarray | None) -> tuple[np.ndarray, list[int], np.ndarray]:
    """Step (b) for a factor column split into numbers and unit texts (None: a value the one-value parser reads):
    each distinct unit text once (an O2 reference for Method 19, or a unit's form and multiplier), then the numbers
    converted as arrays. Return the values, the rows left to the one-value parser, and each row's form (codes)."""
    mw = data.concentration_mw_key(pol)
    refs = [units.ppmvd_reference(t) if mw and t is not None else None for t in tails]
    names = [None if r is not None or t is None else units.unit_name(t) for t, r in zip(tails, refs)]
    value, unit_forms, good, _ = factors.factor_values(pol, numbers, names, index)
    known = np.array([f is not None for f in unit_forms])
    good &= known[index] if index is not None else known[0]
    if any(r is not None for r in refs):
        o2 = np.array([math.nan if r is None else r for r in refs])
        o2 = o2[index] if index is not None else np.full(len(numbers), o2[0])
        is_ppm = ~np.isnan(o2)
        ppm_value, ppm_good = factors.concentration_values(pol, numbers, np.where(is_ppm, o2, 0.0))
        value = np.where(is_ppm, ppm_value, value)
        good = np.where(is_ppm, ppm_good, good)
    codes = np.array([FORMS.index(f) if f else INPUT for f in unit_forms], dtype=np.int8)
    return np.where(good, value, 0.0), np.flatnonzero(~good).tolist(), np.full(len(numbers), codes[0]) if index is None else codes[index]


def _split_ppm(raws: list[Any]) -> tuple[list[float], list[str]] | None:
    """Split 'N ppmvd@X%O2' values at their first space into numbers and reference texts, or return None (the caller
    then splits each value with _NUM). No sign is allowed, as the one-value reading of a concentration; the same care as
    _split for float()."""
    if set(map(type, raws)) != {str}:
        return None
    first = raws[0]
    suffix = first[first.find(" "):] if " " in first else ""
    whole = "".join(raws)
    # (the count is a quick test that can only pass when each value ends with the suffix once; the joins decide)
    texts = list(map(operator.itemgetter(slice(None, -len(suffix))), raws)) if suffix and whole.count(suffix) == len(raws) else []
    if texts and suffix.join(texts) + suffix == whole:
        # the common case, one reference text for the column: the numbers are what precedes it (a value with
        # another space before it is refused below, as float() would read '9 ' but _NUM's split would not).
        # Each value was cut into a text and its last len(suffix) characters; the two joins are equal exactly
        # when every value is that long and every cut-off part is the suffix.
        refs = [suffix[1:]] * len(raws)
    else:
        parts = list(map(str.partition, raws, itertools.repeat(" ")))
        texts = list(map(operator.itemgetter(0), parts))
        refs = list(map(operator.itemgetter(2), parts))
    joined = "".join(texts)
    if not joined.isascii() or "_" in joined or " " in joined or "+" in joined or "-" in joined.replace("e-", "").replace("E-", ""):
        return None
    try:
        numbers = list(map(float, texts))
    except ValueError:
        return None
    return numbers, refs


_ARROW_NUMPY = {"int8": np.int8, "int16": np.int16, "int32": np.int32, "int64": np.int64, "uint8": np.uint8, "uint16": np.uint16,
                "uint32": np.uint32, "uint64": np.uint64, "float": np.float32, "double": np.float64}


def _numpy(arr: Any) -> np.ndarray:
    """Return a null-free Arrow array of numbers as numpy, read from its buffer (pyarrow's own to_numpy imports
    pandas when pandas is installed, which costs more than the whole conversion)."""
    if hasattr(arr, "combine_chunks"):
        arr = arr.combine_chunks()
    dtype = np.dtype(_ARROW_NUMPY[str(arr.type)])
    return np.frombuffer(arr.buffers()[1], dtype=dtype)[arr.offset:arr.offset + len(arr)]


def _ascii_bytes(col: Any) -> np.ndarray | None:
    """Return the bytes of an Arrow text column's values (all of them, one after another) as numpy, or None
    when one is not ASCII. Counting bytes here is a tenth of the time of Arrow's per-value text functions."""
    if hasattr(col, "combine_chunks"):
        col = col.combine_chunks()
    if col.buffers()[2] is None or not len(col):
        return np.zeros(0, dtype=np.uint8)
    begin, end = _offsets(col)
    raw = np.frombuffer(col.buffers()[2], dtype=np.uint8)[begin[0]:end[-1]]
    return raw if not len(raw) or raw.max() < 128 else None


def _arrow_numbers(texts: Any) -> np.ndarray | None:
    """Return the float values of an Arrow text array that holds only numbers, else None.

    Arrow's cast reads a decimal number (sign, digits, point, exponent) and the words inf, infinity and nan, and
    nothing else: no spaces, no '_', no other digits than 0-9 (tests/test_frames.py holds it to that). The texts
    given here never end in a letter, or give a number that is not finite and so goes the Python way: what the
    cast reads is then exactly the number _NUM reads."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        return _numpy(pc.cast(texts, pa.float64()))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):  # beyond float range: the Python way says why
        return None


def _arrow_split(col: Any) -> tuple[np.ndarray, list[str], np.ndarray | None] | None:
    """Split an ASCII Arrow text column as _split does: (numbers, distinct unit texts, each row's index into them
    or None for one unit text), or None when a value is not 'number[unit]'."""
    import pyarrow.compute as pc

    texts = pc.ascii_rtrim(col, characters=_TAIL)  # (the column is ASCII: the same as utf8_rtrim, a fifth faster)
    numbers = _arrow_numbers(texts)
    if numbers is None:
        return None
    return (numbers, *_arrow_units(col, texts))


def _offsets(col: Any) -> tuple[np.ndarray, np.ndarray]:
    """Return where each row of an Arrow text column starts and ends in its data buffer."""
    wide = str(col.type) == "large_string"
    offsets = np.frombuffer(col.buffers()[1], dtype=np.int64 if wide else np.int32)[col.offset:col.offset + len(col) + 1].astype(np.int64)
    return offsets[:-1], offsets[1:]


def _halves(col: Any, cut: np.ndarray) -> tuple[Any, Any]:
    """Return each row of an Arrow text column cut in two at the byte ``cut`` (a place in its data buffer), as two
    arrays of 2n rows over the column's own bytes (no copy): a row's first part is row 2i, its second row 2i + 1,
    and the other half is null in each, which Arrow's kernels skip (a cast of the first reads the numbers alone).
    Gathering the parts' bytes instead took 4-5 times as long as the cast and the dictionary encoding together."""
    import pyarrow as pa

    begin, end = _offsets(col)
    n = len(col)
    offsets = np.empty(2 * n + 1, dtype=np.int64)
    offsets[:-1:2], offsets[1::2], offsets[-1] = begin, cut, end[-1]
    buffers = [pa.py_buffer(offsets), col.buffers()[2] or pa.py_buffer(b"")]
    return tuple(pa.Array.from_buffers(pa.large_string(), 2 * n, [pa.py_buffer(bits * (n // 4 + 1)), *buffers], null_count=n)
                 for bits in (b"\x55", b"\xaa"))  # validity bits, lowest first: the even rows, the odd rows


def _encode(halves: Any) -> tuple[list[str], np.ndarray | None]:
    """Dictionary-encode the second parts of _halves: (distinct texts, each row's index, or None when there is one)."""
    import pyarrow.compute as pc

    enc = pc.dictionary_encode(halves)
    distinct = enc.dictionary.to_pylist()
    return distinct, None if len(distinct) == 1 else _numpy(enc.indices)[1::2].astype(np.intp)


def _arrow_units(col: Any, texts: Any) -> tuple[list[str], np.ndarray | None]:
    """Return (distinct unit texts, each row's index into them, or None for one): what follows each row's number
    ``texts``. Tails of any lengths ('50%' beside '0.5', ' MW' beside ' kW') stay a column (_halves)."""
    import pyarrow.compute as pc

    if hasattr(col, "combine_chunks"):
        col = col.combine_chunks()
    begin, end = _offsets(col)
    cut = begin + _numpy(pc.binary_length(texts))
    return ([""], None) if (cut == end).all() else _encode(_halves(col, cut)[1])


def _arrow_column(col: Any) -> tuple[np.ndarray, list[str], np.ndarray | None] | None:
    """Step (a) for an Arrow column without nulls: numbers as they are, text split by Arrow; None when the column
    is read the Python way (a value that is not ASCII 'number[unit]', a whole number a float would round)."""
    import pyarrow as pa

    t = col.type
    if str(t) in _ARROW_NUMPY:
        raw = _numpy(col)
        if raw.dtype.kind in "iu" and len(raw) and (raw.max() > _EXACT or (raw.dtype.kind == "i" and raw.min() < -_EXACT)):
            return None  # a whole number a float would round: the Python way sends it to the one-value path
        return raw.astype(np.float64), [""], None
    if (pa.types.is_string(t) or pa.types.is_large_string(t)) and _ascii_bytes(col) is not None:
        return _arrow_split(col)
    return None


def column_arrow(field: str, col: Any) -> tuple[np.ndarray, list[int]] | None:
    """Read one field's Arrow column as column() reads the same values, or return None (then read as a list)."""
    if col.null_count or not len(col):
        return None
    split = _arrow_column(col)
    return None if split is None else read(field, *split)


def factor_column_arrow(pol: str, col: Any) -> tuple[np.ndarray, list[int], np.ndarray] | None:
    """Read an Arrow column of factors as factor_column does, or return None (then read as a list)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if col.null_count or not len(col) or not _reads_factors(pol) or not (pa.types.is_string(col.type) or pa.types.is_large_string(col.type)):
        return None
    if hasattr(col, "combine_chunks"):
        col = col.combine_chunks()
    raw = _ascii_bytes(col)
    if raw is None:
        return None
    n = len(col)
    first = col[0].as_py()
    suffix = first[first.find(" "):] if " " in first else ""  # the first value's text after its number
    ref = units.ppmvd_reference(suffix[1:]) if data.concentration_mw_key(pol) and suffix else None
    if ref is None or not pc.all(pc.ends_with(col, pattern=suffix)).as_py():
        return _factors_arrow(pol, col)
    # every value is 'N<suffix>' with one O2 reference (the common case): the numbers are what precedes it (ASCII,
    # so bytes are characters); a sign or a space in a number is what the texts hold beyond the suffixes
    if any(np.count_nonzero(raw == ord(c)) != n * suffix.count(c) for c in "+- "):
        return None  # no sign and one space, as the one-value reading of a concentration (the Python way decides)
    texts = pc.binary_slice(col.view(pa.large_binary() if pa.types.is_large_string(col.type) else pa.binary()),
                            0, -len(suffix)).view(col.type)
    ppm = _arrow_numbers(texts)
    if ppm is None:
        return None
    value, good = factors.concentration_values(pol, ppm, np.full(n, ref))
    return np.where(good, value, 0.0), np.flatnonzero(~good).tolist(), np.full(n, INPUT)


def _factors_arrow(pol: str, col: Any) -> tuple[np.ndarray, list[int], np.ndarray] | None:
    """Read an Arrow column of factors in several units and forms ('9 ppmvd@15%O2' beside '0.099 lb/MMBtu'): split
    at the first space (Arrow's find_substring), the tails dictionary-encoded, each distinct tail read once
    (an O2 reference, or a unit's form and multiplier), the numbers converted as arrays; or return None."""
    import pyarrow.compute as pc

    at = _numpy(pc.find_substring(col, " "))
    if (at < 0).any():
        return _linear_arrow(pol, col)  # a value without a space ('0.1lb/MMBtu'): split where the unit's letters start
    numbers, tails = _halves(col, _offsets(col)[0] + at)
    numbers = _arrow_numbers(numbers)
    if numbers is None:
        return None
    distinct, index = _encode(tails)
    return factor_read(pol, numbers[::2].copy(), [t[1:] for t in distinct], index)  # (each tail less its space)


def _linear_arrow(pol: str, col: Any) -> tuple[np.ndarray, list[int], np.ndarray] | None:
    """Read an Arrow column of factors in units that are fixed multiples of a canonical form, or return None."""
    split = _arrow_split(col)
    if split is None:
        return None
    numbers, unit_texts, index = split
    names = [units.unit_name(u) for u in unit_texts]
    value, unit_forms, good, index = factors.factor_values(pol, numbers, names, index)
    if any(f is None for f in unit_forms):
        return None  # a concentration or a unit no factor has: the Python way sorts each value out
    codes = np.array([FORMS.index(f) for f in unit_forms], dtype=np.int8)
    return np.where(good, value, 0.0), np.flatnonzero(~good).tolist(), np.full(len(col), codes[0]) if index is None else codes[index]
