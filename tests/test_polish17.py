"""Leftovers of the s17 review: a value's kind named in plain words, a JSON null named as given, one rule for two
limits on one pollutant, a true last line from 'presets validate', one message for '-' as a chart, a bad manifest
value as bad data, and sensitivity's chart without a run of its own."""

from __future__ import annotations

import enum

import pytest

import emiss
from emiss.core.units import value_kind
from emiss.errors import EmissError


class _Fuel(enum.Enum):
    GAS = 1


@pytest.mark.parametrize("value, said", [
    (_Fuel.GAS, "an Enum member (_Fuel.GAS)"),  # was 'a _Fuel (_Fuel.GAS)'
    (_Fuel, "a class (_Fuel)"),  # was "a EnumType (<enum '_Fuel'>)"
    (ValueError("x"), "a value of type ValueError (x)"),  # was 'a ValueError (x)'
    (len, "a function (<built-in function len>)"),  # was 'a builtin_function_or_method (...)'
    (3j, "a complex number (3j)"),
    ({1}, "a set ({1})"),
    (5, "an int (5)"),  # Python's own lower-case names stay as they were
    ({}, "an object ({})"),
])
def test_value_kind_names_what_was_given_in_plain_words(value, said):
    assert value_kind(value) == said


def test_an_enum_given_as_a_preset_is_named_as_one():
    with pytest.raises(EmissError) as info:
        emiss.build_scenario(_Fuel.GAS)
    assert info.value.message.startswith("is an Enum member (_Fuel.GAS), not a preset; ")
    with pytest.raises(EmissError) as info:
        emiss.calculate(_Fuel)
    assert info.value.message == "scenario must be a Scenario from emiss.build_scenario, not a class (_Fuel)"
