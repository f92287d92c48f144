"""A group's startups and shutdowns, as a preset states them: events and hours a year, pounds per event."""

from __future__ import annotations

from emiss import data
from emiss.core import units
from emiss.core.factors import check_pollutant
from emiss.core.model import Given, Startup
from emiss.errors import InputError
from emiss.inputs import fields

EVENTS_PER = ("unit", "facility")  # what a preset's startup_shutdown counts are of


def read_startup(g: Given) -> Startup:
    """Read a group's startups and shutdowns: events and hours a year (per unit or for the group, as the preset
    states with events_per), and pounds per event by pollutant (per_event and rate add up)."""
    raw = g.value
    where = g.where
    per = str(raw.get("events_per", "")).strip().lower()
    if per not in EVENTS_PER:
        got = f"'{raw['events_per']}' is not allowed" if "events_per" in raw else "is missing"
        raise InputError(f"events_per {got}: say whether the counts are per unit or for the facility "
                         f"(events_per = \"unit\" or \"facility\"); emiss does not assume it", where=f"{where}.events_per")
    events = fields.count(Given(raw.get("events", 0) or 0, g.source, g.layer, g.status, "", f"{where}.events")) if raw.get("events") else 0
    year = data.constant("hours_per_year").value
    if "hours" in raw:
        hours = units.convert(raw["hours"], "hour", where=f"{where}.hours", expect="hours per year such as '110 h'", bare="hour")
    elif "hours_per_event" in raw:
        hours = events * units.convert(raw["hours_per_event"], "hour", where=f"{where}.hours_per_event", expect="hours such as '5 h'", bare="hour")
    else:
        hours = 0.0
    if not 0 <= hours <= year:
        raise InputError(f"{hours:g} h of startups and shutdowns a year is not possible (0 to {year} h)", where=f"{where}.hours")
    per_event: dict[str, float] = {}
    for key, expect in (("per_event", "a mass per event such as '30 lb'"), ("rate", "a mass rate such as '40 lb/h'")):
        for pol, text in (raw.get(key) or {}).items():
            check_pollutant(pol, where=f"{where}.{key}")
            if pol == "co2e":
                raise InputError("co2e is computed from co2, ch4 and n2o: give those per event", where=f"{where}.{key}.co2e")
            if key == "rate":
                if not events:
                    raise InputError("a rate during startups needs the number of events", where=f"{where}.rate")
                v = units.convert(text, "lb/hour", where=f"{where}.rate.{pol}", expect=expect)
                if v < 0:
                    raise InputError(f"'{text}' is a negative rate; a rate during startups and shutdowns is at least 0 lb/h",
                                     where=f"{where}.rate.{pol}")
                v = v * hours / events
            else:
                v = units.convert(text, "lb", where=f"{where}.per_event.{pol}", expect=expect)
                if v < 0:
                    raise InputError(f"'{text}' is negative; a mass per event is at least 0 lb", where=f"{where}.per_event.{pol}")
            per_event[pol] = per_event.get(pol, 0.0) + v  # per_event and rate add up
    return Startup(float(events), hours, per_event, g.source, g.status, per)
