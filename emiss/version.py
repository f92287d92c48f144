"""The version of emiss: written once here (pyproject.toml reads it), and imported from here by every layer."""

__version__ = "0.3.0"
