"""One input record as the batch readers give it, and the field names a record's keys mean."""

from __future__ import annotations

from typing import Any

from emiss.inputs import fields
from emiss.data import POLLUTANTS
from emiss.inputs.fields import FIELDS

PASS_THROUGH = ("id",)


class Record:
    """One input record: its 1-based number, its id (if any), its settings, or why it could not be read.

    A plain class with slots, not a dataclass: a million of them are made in a run, and this is the cheapest.
    """

    __slots__ = ("number", "id", "settings", "error")

    def __init__(self, number: int, id: Any, settings: dict[str, Any], error: str = "") -> None:  # noqa: A002
        self.number = number
        self.id = id
        self.settings = settings
        self.error = error

    def __repr__(self) -> str:
        return f"Record({self.number!r}, {self.id!r}, {self.settings!r}, {self.error!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Record) and (self.number, self.id, self.settings, self.error) == (
            other.number, other.id, other.settings, other.error)

    __hash__ = None  # type: ignore[assignment] - its settings are a dict


_CANONICAL = frozenset(FIELDS) | {"preset", "id"} | {fields.factor_key(p) for p in POLLUTANTS}


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
