"""Moved to emiss/core/outputs.py (the output catalogue sits with the core, below analysis and batch, which read it).

This name is kept for one round so that branches written against it still import; new code imports emiss.core.outputs.
"""

from emiss.core.outputs import *  # noqa: F401,F403
