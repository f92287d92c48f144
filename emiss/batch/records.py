"""One input record as the batch readers give it, and the field names a record's keys mean."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from emiss.inputs import fields
from emiss.data import POLLUTANTS
from emiss.inputs.fields import FIELDS

PASS_THROUGH = ("id",)


@dataclass(slots=True)
class Record:
    """One input record: its 1-based number, its id (if any), its settings, or why it could not be read (slots:
    a million of them are made in a run)."""

    number: int
    id: Any  # noqa: A003
    settings: dict[str, Any]
    error: str = ""
    unset: tuple[str, ...] = ()  # the fields it wrote as null or '' (not set), named when an error asks for one


_CANONICAL = frozenset(FIELDS) | {"preset", "id"} | {fields.factor_key(p) for p in POLLUTANTS}


def error_text(record: Record, exc: Any) -> str:
    """Return the one-line message for a failed record (EmissError's text: 'where: message')."""
    ident = f" (id {record.id})" if record.id not in (None, "") else ""
    return f"record {record.number}{ident}: {exc}"


def canonical_key(key: Any) -> str | None:
    """Return the field name a record's key means (as _normalise reads it), or None for a 'factor' object."""
    if key in _CANONICAL:
        return str(key)
    k = str(key).strip().replace("-", "_")
    if k in ("factor", "factors"):
        return None
    if k.startswith(("factor:", "factor_")):
        k = fields.FACTOR_PREFIX + k[7:]
    if k.startswith(fields.FACTOR_PREFIX):
        k = fields.FACTOR_PREFIX + k[len(fields.FACTOR_PREFIX):].lower()
    if k.startswith("fleet.") or k.startswith("group."):
        k = str(key).strip()  # a group's name is kept as written
    return k


def normalise(raw: dict[str, Any], number: int) -> Record:
    """Return the Record of one input object: its keys as emiss names them, null and empty values left out (not
    set), the id apart. A field set twice (also as 'factor.nox' beside 'factor': {"nox": ...}) is an error."""
    rid = raw.get("id")
    if type(rid) is float and not math.isfinite(rid):
        rid = str(rid)  # NaN/Infinity are not JSON; keep the id as text
    if _CANONICAL.issuperset(raw):  # the common case: keys already as emiss names them
        settings = dict(raw)
        settings.pop("id", None)
        values = settings.values()
        if None in values or "" in values:
            unset = tuple(k for k, v in settings.items() if v is None or v == "")
            settings = {k: v for k, v in settings.items() if v is not None and v != ""}
            return Record(number, rid, settings, unset=unset)
        return Record(number, rid, settings)
    settings = {}
    blank: list[str] = []
    for key, value in raw.items():
        if key in PASS_THROUGH:
            continue
        if value is None or value == "":
            blank.append(canonical_key(key) or str(key))
            continue
        k = canonical_key(key)
        if k is None and isinstance(value, dict):  # 'factor' or 'factors': an object of pollutant -> factor
            pairs = [(fields.factor_key(str(pol).strip().lower()), v) for pol, v in value.items()]
        else:  # (k None and not an object: an unknown field, said when it is built)
            pairs = [(str(key).strip().replace("-", "_") if k is None else k, value)]
        for k, v in pairs:
            if v is None or v == "":
                continue
            if k in settings:
                return Record(number, rid, {}, f"sets '{k}' twice")
            settings[k] = v
    return Record(number, rid, settings, unset=tuple(blank))
