"""Read a column of raw values (a record field across many rows) into canonical numbers, as arrays.

The one-value validators (fields.py, factors.py) are the reference: a value read here gives the same number to
the last digit (the same float() of the same digits, times the same cached multiplier, in the same order of
operations), and a value not read here is left to them, so that its error message is the same word for word.
Plain Python lists are read with one float() pass and one conversion per distinct unit; pyarrow columns (Parquet)
with Arrow compute. Each reader returns (values, positions left to the one-value path[, each value's form]).
"""

from __future__ import annotations

import itertools
import math
import operator
import re
from functools import lru_cache
from typing import Any

import numpy as np

from emiss import data
from emiss.core import units
from emiss.errors import EmissError, InputError
from emiss.core.factors import parse_factor
from emiss.inputs.fields import FIELDS
from emiss.core.model import Given

_PPM = re.compile(r"^\s*((?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*ppmvd\s*@\s*((?:\d+(?:\.\d*)?|\.\d+))\s*%\s*O2\s*$")
_NUM = re.compile(r"^\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*(.*?)\s*$")

_CANON = {"capacity": "kW", "household_demand": "kW", "hours": "hour", "heat_rate": "Btu/kWh", "household_use": "kWh/year"}
_BARE = {"hours": "hour", "household_demand": "kW", "household_use": "kWh/year"}  # what a plain number means, as the validator reads it


@lru_cache(maxsize=1024)
def _op(field: str, raw_unit: str) -> tuple[str, float] | None:
    """Return how the one-value validator turns a number in ``raw_unit`` into ``field``'s canonical value — ('mul', m)
    for number x m, ('div', 100) for a percentage — or None when the value must go the one-value way."""
    if field == "turbines":
        return ("mul", 1.0) if raw_unit == "" else None
    if field == "capacity_factor":
        return {"": ("mul", 1.0), "%": ("div", 100.0)}.get(raw_unit)
    if field == "heat_rate" and raw_unit in ("", "%"):
        return None  # an efficiency, or a missing unit
    if field not in _CANON or (field == "hours" and "/" in raw_unit):
        return None
    try:
        unit = units._unit(raw_unit)[0] if raw_unit else _BARE.get(field)
        if unit is None or units.unit_info(unit)[0] != units.unit_info(_CANON[field])[0]:
            return None
        if field == "household_use" and raw_unit and units.unit_info(unit)[0] == units.unit_info("kWh")[0]:
            return None
        return "mul", units.multiplier(unit, _CANON[field])
    except (InputError, units.DimensionError):
        return None


def _bounds(field: str) -> tuple[float, float, bool]:
    """Return (low, high, open below) of a field's possible range, as its one-value validator checks it."""
    if field == "turbines":
        lo, hi = data.limit("count").possible
        return lo, hi, False
    if field == "capacity_factor":
        return 0.0, 1.0, True
    if field == "hours":
        return 0.0, float(data.constant("hours_per_year").value), True
    lo, hi = data.limit(field).possible
    return lo, hi, True


_TAIL = "".join(chr(c) for c in range(65, 91)) + "".join(chr(c) for c in range(97, 123)) + "%/ "  # a unit's last characters
_NUMBERS = frozenset((int, float))
_FEW = 8  # up to this many values are read one by one: an array read costs more than it saves (emiss's own choice)
_START = frozenset(_TAIL + " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f")  # what a number text must not start with, for _split's one-unit test
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
    # Every tail is made of unit characters only (_TAIL) and every number text starts with one that is not (a
    # text float() reads and rstrip left starts with a digit, a sign, '.' or whitespace; whitespace is ruled out
    # here). Then the values joined are the texts joined by the first value's tail exactly when every value ends
    # with that tail: read left to right, each tail ends where the next text's first character is.
    unit = raws[0][len(texts[0]):]
    if _START.isdisjoint(map(operator.itemgetter(0), texts)) and "".join(raws) == unit.join(texts) + unit:
        return numbers, [unit] * len(raws)
    return numbers, list(map(str.removeprefix, raws, texts))  # each value's tail: its text is a prefix of it


def column(field: str, raws: list[Any]) -> tuple[np.ndarray, list[int]]:
    """Return one field's canonical values for a list of raw values, and the positions that need the one-value path."""
    split = _split(raws)
    if split is None:
        return _column_one_by_one(field, raws)
    return _convert(field, *split)


def _column_one_by_one(field: str, raws: list[Any]) -> tuple[np.ndarray, list[int]]:
    numbers: list[float] = []
    unit_texts: list[str | None] = []
    for v in raws:
        t = type(v)
        if t is float or (t is int and -_EXACT <= v <= _EXACT):
            numbers.append(v)
            unit_texts.append("")
        elif t is str and v.isascii() and (m := _NUM.match(v)) is not None:
            numbers.append(float(m.group(1)))
            unit_texts.append(m.group(2))
        else:  # not a number and a unit: left to the one-value path
            numbers.append(0.0)
            unit_texts.append(None)
    return _convert(field, numbers, unit_texts)


def _index(values: list[Any]) -> tuple[list[Any], np.ndarray]:
    """Return the distinct values (in first-seen order) and each value's index into them, as an array."""
    distinct = list(dict.fromkeys(values))
    code = {v: k for k, v in enumerate(distinct)}
    return distinct, np.fromiter(map(code.__getitem__, values), np.intp, len(values))


def _convert(field: str, numbers: list[float], unit_texts: list[Any]) -> tuple[np.ndarray, list[int]]:
    """Turn numbers in their unit texts (None: not read) into the field's canonical values, one conversion per
    distinct unit, as the one-value validator does (x times a multiplier, or a percentage divided by 100)."""
    ops = {u: None if u is None else _op(field, u.strip()) for u in set(unit_texts)}
    if not ops:
        return np.zeros(0), []
    if len(ops) == 1:  # the common case: one unit for the whole column
        op = next(iter(ops.values()))
        if op is None:
            return np.zeros(len(numbers)), list(range(len(numbers)))
        out = np.array(numbers, dtype=np.float64) * op[1] if op[0] == "mul" else np.array(numbers, dtype=np.float64) / op[1]
        return out, _out_of_range(field, out, [])
    # several units: each value's unit as an index into the distinct ones, then one multiply or divide per value
    # (numpy's float64 arithmetic is Python's, to the bit)
    keys, idx = _index(unit_texts)
    unread = np.array([ops[u] is None for u in keys])[idx]
    divide = np.array([ops[u] is not None and ops[u][0] == "div" for u in keys])[idx]  # type: ignore[index]
    by = np.array([1.0 if ops[u] is None else ops[u][1] for u in keys])[idx]  # type: ignore[index]
    nums = np.array(numbers, dtype=np.float64)
    with np.errstate(over="ignore", invalid="ignore"):
        out = np.where(divide, nums / by, nums * by)
    out[unread] = 0.0
    return out, _out_of_range(field, out, np.flatnonzero(unread).tolist())


def _out_of_range(field: str, out: np.ndarray, slow: list[int]) -> list[int]:
    """Return ``slow`` and the positions whose value is outside the field's possible range (the one-value
    validator then says why)."""
    lo, hi, open_below = _bounds(field)
    with np.errstate(invalid="ignore"):
        bad = ~np.isfinite(out) | (out > hi) | ((out <= lo) if open_below else (out < lo))
        if field == "turbines":
            bad |= out != np.floor(out)
    if not bad.any():
        return slow
    slow_set = set(slow)
    return slow + [int(i) for i in np.flatnonzero(bad) if int(i) not in slow_set]


def one(field: str, raw: Any) -> Any:
    """Check one value the one-value way (the message of a bad value is the same as for a single estimate)."""
    return FIELDS[field].parse(Given(raw, "batch record", "record", "user", "", field))


def factor_column(pol: str, raws: list[Any]) -> tuple[np.ndarray, list[int], list[str]]:
    """Return a factor column in its canonical form: the values, the positions the one-value parser must read, and
    each value's form ('input' for per heat input). Plain 'N ppmvd@X%O2' values are converted here as arrays, by
    EPA Method 19 in the same order of operations as units.method19_lb_per_mmbtu."""
    n = len(raws)
    arr = np.zeros(n)
    forms = ["input"] * n
    mw_key = data.concentration_mw_key(pol)
    ppm = np.full(n, np.nan)
    o2 = np.full(n, np.nan)
    slow: list[int] = []
    split = _split_ppm(raws) if mw_key else None
    if split is None:
        for j, raw in enumerate(raws):
            m = _PPM.match(raw) if mw_key and type(raw) is str and raw.isascii() else None
            if m is None:
                slow.append(j)
            else:
                ppm[j], o2[j] = float(m.group(1)), float(m.group(2))
    else:
        numbers, refs = split
        ppm[:] = numbers
        if len(set(refs)) == 1:  # the common case: one reference text for the column
            ref = _ppm_reference(refs[0])
            o2[:] = math.nan if ref is None else ref
        else:
            distinct, idx = _index(refs)
            o2[:] = np.array([math.nan if r is None else r for r in map(_ppm_reference, distinct)])[idx]
        slow = np.flatnonzero(np.isnan(o2)).tolist()  # a text that is not an O2 reference: read the one-value way
    if len(slow) == n:
        return arr, _linear_factors(pol, raws, slow, arr, forms), forms
    k = data.constant(mw_key).value / data.constant("molar_volume").value * 1e-6  # as units.method19_lb_per_mmbtu
    fd, air = data.constant("method19_fd").value, data.constant("method19_o2_air").value
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        value = ppm * k * fd * air / (air - o2)
        good = np.isfinite(value) & (value >= 0) & (o2 >= 0) & (o2 < air) & np.isfinite(ppm)
    arr[good] = value[good]
    slow_set = set(slow)
    slow = _linear_factors(pol, raws, slow, arr, forms)
    return arr, slow + [j for j in np.flatnonzero(~good).tolist() if j not in slow_set], forms


def _linear_factors(pol: str, raws: list[Any], slow: list[int], arr: np.ndarray, forms: list[str]) -> list[int]:
    """Convert the factors at ``slow`` written as 'number unit' in a unit that is a fixed multiple of a canonical
    form (lb/MMBtu, g/kWh, lb/h, lb/MMscf ...): value = number x multiplier, as factors._parse computes it, with the
    multiplier found once per unit. Return the positions still left for the one-value parser."""
    if len(slow) > _FEW:
        fast = _linear_factors_split(pol, raws, slow, arr, forms)
        if fast is not None:
            return fast
    left: list[int] = []
    for j in slow:
        v = raws[j]
        if type(v) is not str or not v.isascii():
            left.append(j)
            continue
        text = v.rstrip(_TAIL)
        try:
            number = float(text) if "_" not in text else math.nan
        except ValueError:
            number = math.nan
        linear = _linear_factor(pol, v[len(text):].strip()) if number >= 0 and number < math.inf else None
        if linear is None:
            left.append(j)  # not a number, negative or not finite, or a unit to read the one-value way
            continue
        forms[j] = linear[0]
        arr[j] = number * linear[1]
    return left


def _linear_factors_split(pol: str, raws: list[Any], slow: list[int], arr: np.ndarray, forms: list[str]) -> list[int] | None:
    """_linear_factors for many values at once: the values at ``slow`` split by _split (the same number and unit
    text as one by one), one multiplier per distinct unit; None when _split cannot split them all."""
    split = _split([raws[j] for j in slow])
    if split is None:
        return None
    numbers, tails = split
    keys, idx = _index(tails)
    linear = {u: _linear_factor(pol, u.strip()) for u in keys}
    known = np.array([linear[u] is not None for u in keys])[idx]
    by = np.array([linear[u][1] if linear[u] is not None else 0.0 for u in keys])[idx]  # type: ignore[index]
    nums = np.array(numbers, dtype=np.float64)
    ok = known & (nums >= 0) & (nums < math.inf)
    at = np.asarray(slow, dtype=np.intp)
    arr[at[ok]] = nums[ok] * by[ok]
    for k, u in enumerate(keys):
        if linear[u] is not None:
            name = linear[u][0]  # type: ignore[index]
            for j in at[ok & (idx == k)].tolist():
                forms[j] = name
    return at[~ok].tolist()


@lru_cache(maxsize=1024)
def _linear_factor(pol: str, unit_text: str) -> tuple[str, float] | None:
    """Return (form, multiplier) of a factor unit that is a fixed multiple of its canonical form, else None."""
    from emiss.core.model import FORM_UNITS

    text = f"1 {unit_text}"
    try:
        if not unit_text or units.parse_concentration(text) is not None:
            return None
        form = parse_factor(pol, text, where="", source="", status="", layer="").form
        return form, units.multiplier(units.parse(text, where="").unit, FORM_UNITS[form])
    except (EmissError, ValueError):
        return None


def _split_ppm(raws: list[Any]) -> tuple[list[float], list[str]] | None:
    """Split 'N ppmvd@X%O2' values at their first space into numbers and reference texts, or return None (the caller
    then matches each value with _PPM). No sign is allowed, as in _PPM; the same care as _split for float()."""
    if set(map(type, raws)) != {str}:
        return None
    first = raws[0]
    suffix = first[first.find(" "):] if " " in first else ""
    whole = "".join(raws)
    # (the count is a quick test that can only pass when each value ends with the suffix once; the joins decide)
    texts = list(map(operator.itemgetter(slice(None, -len(suffix))), raws)) if suffix and whole.count(suffix) == len(raws) else []
    if texts and suffix.join(texts) + suffix == whole:
        # the common case, one reference text for the column: the numbers are what precedes it (a value with
        # another space before it is refused below, as float() would read '9 ' but _PPM's split would not).
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


_PPM_REF = re.compile(r"^\s*ppmvd\s*@\s*((?:\d+(?:\.\d*)?|\.\d+))\s*%\s*O2\s*$")


@lru_cache(maxsize=256)
def _ppm_reference(text: str) -> float | None:
    """Return the O2 reference of a 'ppmvd@X%O2' unit text, or None when the text is anything else."""
    m = _PPM_REF.match(text) if text.isascii() else None
    return float(m.group(1)) if m else None


# ---- Arrow columns (Parquet): the same reading as _split/_column and _split_ppm/_factor_column, done by Arrow ----
# compute. Arrow's text-to-float cast is correctly rounded, as float() is, so the numbers are the same; anything
# these readers are not sure of returns None and the column is read the Python way.

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
    bufs = col.buffers()
    wide = str(col.type) == "large_string"
    offsets = np.frombuffer(bufs[1], dtype=np.int64 if wide else np.int32)[col.offset:col.offset + len(col) + 1]
    if bufs[2] is None or not len(col):
        return np.zeros(0, dtype=np.uint8)
    raw = np.frombuffer(bufs[2], dtype=np.uint8)[offsets[0]:offsets[-1]]
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


def _arrow_split(col: Any) -> tuple[np.ndarray, list[str], np.ndarray] | None:
    """Split an ASCII Arrow text column as _split does: (numbers, distinct unit texts, each row's index into them)."""
    import pyarrow.compute as pc

    texts = pc.utf8_rtrim(col, characters=_TAIL)
    numbers = _arrow_numbers(texts)
    units = _arrow_units(col, texts) if numbers is not None else None
    return None if units is None else (numbers, *units)  # type: ignore[return-value]


def _arrow_units(col: Any, texts: Any) -> tuple[list[str], np.ndarray] | None:
    """Return (distinct unit texts, each row's index into them): what follows each row's number."""
    import pyarrow.compute as pc

    tail = pc.subtract(pc.binary_length(col), pc.binary_length(texts))
    lengths = pc.unique(tail).to_pylist()
    if len(lengths) != 1:
        return None
    if lengths[0] == 0:
        return [""], np.zeros(len(col), dtype=np.intp)
    first = col[0].as_py()[-lengths[0]:]
    if pc.all(pc.ends_with(col, pattern=first)).as_py():  # one unit (the tails are all this long)
        return [first], np.zeros(len(col), dtype=np.intp)
    enc = pc.dictionary_encode(pc.utf8_slice_codeunits(col, start=-lengths[0]))
    return enc.dictionary.to_pylist(), _numpy(enc.indices)


def column_arrow(field: str, col: Any) -> tuple[np.ndarray, list[int]] | None:
    """Read one field's Arrow column as _column reads the same values, or return None."""
    import pyarrow as pa

    t = col.type
    if col.null_count:
        return None
    if str(t) in _ARROW_NUMPY:
        raw = _numpy(col)
        if raw.dtype.kind in "iu" and len(raw) and (raw.max() > _EXACT or (raw.dtype.kind == "i" and raw.min() < -_EXACT)):
            return None  # a whole number a float would round: the Python way sends it to the one-value path
        numbers, units, index = raw.astype(np.float64), [""], None
    elif pa.types.is_string(t) or pa.types.is_large_string(t):
        if _ascii_bytes(col) is None:
            return None
        split = _arrow_split(col)
        if split is None:
            return None
        numbers, units, index = split
    else:
        return None
    ops = [_op(field, u.strip()) for u in units]
    if any(op is None for op in ops):
        return None  # a unit the fast path does not take: the Python way sorts each value out
    if len(ops) == 1:
        out = numbers * ops[0][1] if ops[0][0] == "mul" else numbers / ops[0][1]
    else:
        mul = np.array([op[1] if op[0] == "mul" else 1.0 for op in ops])[index]
        div = np.array([op[1] if op[0] == "div" else 1.0 for op in ops])[index]
        is_div = np.array([op[0] == "div" for op in ops])[index]
        out = np.where(is_div, numbers / div, numbers * mul)
    return out, _out_of_range(field, out, [])


def factor_column_arrow(pol: str, col: Any) -> tuple[np.ndarray, list[int], list[str]] | None:
    """Read an Arrow column of 'N ppmvd@X%O2' factors as _factor_column does, or return None."""
    import pyarrow as pa
    import pyarrow.compute as pc

    mw_key = data.concentration_mw_key(pol)
    if col.null_count or not (pa.types.is_string(col.type) or pa.types.is_large_string(col.type)):
        return None
    if hasattr(col, "combine_chunks"):
        col = col.combine_chunks()
    raw = _ascii_bytes(col)
    if raw is None:
        return None
    n = len(col)
    first = col[0].as_py() if n else ""
    suffix = first[first.find(" "):] if " " in first else ""  # the first value's text after its number
    ref = _ppm_reference(suffix[1:]) if mw_key and suffix else None
    if ref is not None and pc.all(pc.ends_with(col, pattern=suffix)).as_py():
        # every value is 'N<suffix>' with one O2 reference (the common case): the numbers are what precedes it
        # (ASCII, so bytes are characters); a sign or a space in a number is what the texts hold beyond the suffixes
        if any(np.count_nonzero(raw == ord(c)) != n * suffix.count(c) for c in "+- "):
            return None  # as below
        texts = pc.binary_slice(col.view(pa.large_binary() if pa.types.is_large_string(col.type) else pa.binary()),
                                0, -len(suffix)).view(col.type)
        o2: Any = ref
    else:
        parts = pc.split_pattern(col, pattern=" ", max_splits=1)
        if not mw_key or pc.min(pc.list_value_length(parts)).as_py() != 2:
            return _linear_factors_arrow(pol, col)
        texts = pc.list_element(parts, 0)
        enc = pc.dictionary_encode(pc.list_element(parts, 1))
        refs = [_ppm_reference(u) for u in enc.dictionary.to_pylist()]
        if any(r is None for r in refs):
            return _linear_factors_arrow(pol, col)
        o2 = np.array(refs, dtype=np.float64)[_numpy(enc.indices)]
        if pc.any(pc.match_substring(texts, "+")).as_py() or pc.any(pc.match_substring(texts, "-")).as_py():
            return None  # no sign, as in _PPM (an exponent's sign included: rare enough to go the Python way)
        if pc.any(pc.match_substring(texts, " ")).as_py():
            return None  # a number followed by more than one space: _PPM's '\s*' takes it, the cast does not
    ppm = _arrow_numbers(texts)
    if ppm is None:
        return _linear_factors_arrow(pol, col)
    k = data.constant(mw_key).value / data.constant("molar_volume").value * 1e-6  # as units.method19_lb_per_mmbtu
    fd, air = data.constant("method19_fd").value, data.constant("method19_o2_air").value
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        value = ppm * k * fd * air / (air - o2)
        good = np.isfinite(value) & (value >= 0) & (o2 >= 0) & (o2 < air) & np.isfinite(ppm)
    arr = np.where(good, value, 0.0)
    return arr, np.flatnonzero(~good).tolist(), ["input"] * n


def _linear_factors_arrow(pol: str, col: Any) -> tuple[np.ndarray, list[int], list[str]] | None:
    """Read an Arrow column of factors in units that are fixed multiples of a canonical form as _linear_factors
    does, or return None."""
    split = _arrow_split(col)
    if split is None:
        return None
    numbers, unit_texts, index = split
    linear = [_linear_factor(pol, u.strip()) for u in unit_texts]
    if any(x is None for x in linear):
        return None
    multipliers = np.array([x[1] for x in linear])  # type: ignore[index]
    names = [x[0] for x in linear]  # type: ignore[index]
    with np.errstate(invalid="ignore", over="ignore"):
        value = numbers * multipliers[index]
        good = (numbers >= 0) & np.isfinite(numbers)
    forms = [names[i] for i in index.tolist()] if len(names) > 1 else [names[0]] * len(col)
    return np.where(good, value, 0.0), np.flatnonzero(~good).tolist(), forms
