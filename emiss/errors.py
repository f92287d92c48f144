"""Exceptions that carry a one-line message meant for the user, and making untrusted text safe to print."""

from __future__ import annotations

import re
from typing import Any

# C0/C1 control characters (terminal escapes, bells, carriage returns), bidirectional marks (including the Arabic
# letter mark U+061C), line and paragraph separators, and lone surrogates (an undecodable file name): text from a
# preset, a record or an option must not be able to move the cursor, recolour, reorder or break the output.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


# Python reads a command-line argument or file name that is not UTF-8 with 'surrogateescape': each byte 0x80-0xFF that
# does not decode becomes the lone surrogate U+DC80-U+DCFF. Such a character is shown as the byte it stands for
# ('\xff', as a shell or Python writes a byte), not as '\udcff', which names no character a user typed.
_BYTE_SURROGATES = range(0xDC80, 0xDD00)
_SURROGATE_BASE = 0xDC00  # U+DCxx stands for byte 0xxx


def _escape(char: str) -> str:
    """Return the escape that shows ``char``: \\xNN for a control character or an undecoded byte, else \\uNNNN."""
    code = ord(char)
    if code in _BYTE_SURROGATES:
        return f"\\x{code - _SURROGATE_BASE:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """Return ``text`` with newlines and tabs as spaces and every other control character written as an escape (a byte
    that was not UTF-8 as the byte: '\\xff')."""
    text = text.replace("\r\n", " ").replace("\n", " ").replace("\t", " ")
    return _UNSAFE.sub(lambda m: _escape(m.group()), text)


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

