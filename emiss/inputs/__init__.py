"""Inputs: the field table, presets and catalog units, and the layers checked into one Scenario."""
