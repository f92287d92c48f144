"""Exceptions that carry a one-line message meant for the user."""

from __future__ import annotations


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
