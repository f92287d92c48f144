"""Exceptions that carry a one-line message meant for the user, and making untrusted text safe to print."""

from __future__ import annotations

import re
from typing import Any

# C0/C1 control characters (terminal escapes, bells, carriage returns), bidirectional marks (including the Arabic
# letter mark U+061C), line and paragraph separators, and lone surrogates (an undecodable file name): text from a
# preset, a record or an option must not be able to move the cursor, recolour, reorder or break the output.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def printable(text: str) -> str:
    """Return ``text`` with newlines and tabs as spaces and every other control character written as an escape."""
    text = text.replace("\r\n", " ").replace("\n", " ").replace("\t", " ")
    return _UNSAFE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", text)


class EmissError(Exception):
    """A problem with the user's data or inputs; the message is one line, fit to print."""

    def __init__(self, message: str, *, where: str = "", usage: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.where = where
        self.usage = usage

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message

    @property
    def exit_code(self) -> int:
        """Return 2 for a usage error (a bad option), 1 for a data error."""
        return 2 if self.usage else 1


class InputError(EmissError):
    """A value the user gave is not acceptable (unit, dimension, range, unknown name)."""


class PresetError(EmissError):
    """A preset file cannot be found, read or validated."""


class DataError(EmissError):
    """A shipped data file (emiss/data/*.toml) cannot be read or breaks its schema: names the file, entry and key."""


def printable_tree(value: Any) -> Any:
    """Return ``value`` with every string in it (dict keys included, at any depth) made printable."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, dict):
        return {(printable(k) if isinstance(k, str) else k): printable_tree(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [printable_tree(v) for v in value]
    return value

