"""Result columns as pyarrow arrays for Parquet output, built from numpy buffers.

pyarrow imports pandas (when it is installed) the first time it converts a Python or numpy object (pa.array,
pa.scalar): about 0.4 s here, more than estimating a million rows. Arrays built from buffers skip that, so a
Parquet batch never imports pandas.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from emiss.errors import printable

# characters errors.printable rewrites; ids without them are written as they are
_UNSAFE = "[\\x00-\\x1f\\x7f-\\x9f\\x{061c}\\x{200e}\\x{200f}\\x{2028}\\x{2029}\\x{202a}-\\x{202e}\\x{2066}-\\x{2069}]"


def floats(pa: Any, values: np.ndarray, missing: np.ndarray | None = None) -> Any:
    """Return a float64 array of ``values`` (null where ``missing``)."""
    values = np.ascontiguousarray(values, dtype=np.float64)
    validity = None
    if missing is not None and missing.any():
        validity = pa.py_buffer(np.packbits(~missing, bitorder="little"))
    return pa.Array.from_buffers(pa.float64(), len(values), [validity, pa.py_buffer(values)],
                                 null_count=int(missing.sum()) if validity is not None else 0)


def integers(pa: Any, values: np.ndarray) -> Any:
    """Return an int64 array of ``values``."""
    values = np.ascontiguousarray(values, dtype=np.int64)
    return pa.Array.from_buffers(pa.int64(), len(values), [None, pa.py_buffer(values)], null_count=0)


def same_text(pa: Any, text: str, n: int) -> Any:
    """Return a string array of ``text`` n times."""
    data = text.encode("utf-8")
    offsets = np.arange(n + 1, dtype=np.int64) * len(data)
    return pa.Array.from_buffers(pa.large_string(), n, [None, pa.py_buffer(offsets), pa.py_buffer(data * n)],
                                 null_count=0).cast(pa.string())


def texts(pa: Any, values: Any) -> Any:
    """Return a string array of a list or object array of texts (None: null; a lone surrogate written as '?')."""
    encoded = [None if v is None else str(v).encode("utf-8", "replace") for v in values]
    n = len(encoded)
    lengths = np.fromiter((0 if e is None else len(e) for e in encoded), np.int64, n)
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    present = np.fromiter((e is not None for e in encoded), bool, n)
    validity = None if present.all() else pa.py_buffer(np.packbits(present, bitorder="little"))
    data = pa.py_buffer(b"".join(e for e in encoded if e))
    return pa.Array.from_buffers(pa.large_string(), n, [validity, pa.py_buffer(offsets), data],
                                 null_count=int(n - present.sum())).cast(pa.string())


def ids(pa: Any, block: Any) -> Any:
    """Return a block's ids as printable text: whole numbers cast by Arrow (which writes them as str() does),
    Arrow text kept when it holds nothing printable() would change, else each id cleaned."""
    import pyarrow.compute as pc

    col = block.id_arrow()
    if col is not None and pa.types.is_integer(col.type):
        return col.cast(pa.string())
    if col is not None and (pa.types.is_string(col.type) or pa.types.is_large_string(col.type)):
        if not pc.any(pc.match_substring_regex(col, _UNSAFE)).as_py():
            return col.cast(pa.string())
    return texts(pa, [None if i is None else i if type(i) is int else printable(str(i)) for i in block.ids])
