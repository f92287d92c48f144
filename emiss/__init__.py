"""emiss: reproducible emissions estimates for on-site gas-turbine and engine power."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "estimate", "scenario_from", "load_preset"]


def __getattr__(name: str):
    """Import the public API lazily, so that 'emiss --version' stays fast."""
    if name == "estimate":
        from .calc import estimate

        return estimate
    if name == "scenario_from":
        from .scenario import scenario_from

        return scenario_from
    if name == "load_preset":
        from .presets import load

        return load
    raise AttributeError(name)
