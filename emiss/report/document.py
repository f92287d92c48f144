"""The index of every document emiss prints, as plain data: JSON-ready dicts, flat rows, and views (tables and lines).

The builders live in the modules named below, by what they document; this module re-exports their public names so
that ``from emiss.report import document as doc; doc.estimate_doc(...)`` keeps working. Nothing here or there imports
rich or click; ``render`` encodes what they build. Numbers in dicts and rows keep full precision with a pint-parseable
unit beside them; only views round for people.
"""

# ruff: noqa: F401
from __future__ import annotations

from emiss.report.views import (SCREENING_NOTE, TONS_NOTE, YEAR_NOTE, STATUS_MARK, ROW_FIELDS, SPREAD_FIELDS, Column, Cell,
                                Table, Line, View, human, sig4, to_spread, selected, lb_to, mass_per_lb, assumption_dicts,
                                factor_entries, output_entry, side_by_side, output_scale)
from emiss.core.outputs import pint_unit
from emiss.report.estimate import (estimate_doc, limit_dicts, limits_view, screening_state, group_dicts, estimate_rows,
                                   value_of, SCREEN_COLUMNS, result_lines, estimate_view, unit_tables)
from emiss.report.methods import (manifest, methods_text)
from emiss.report.records import (BATCH_OUTPUTS, record_doc, batch_fields, error_doc, error_text)
from emiss.report.analysis import (cluster_doc, cluster_rows, cluster_doc_per_gpu, cluster_view, compare_doc, compare_rows,
                                   compare_view, solution_doc, solution_view, sensitivity_doc, sensitivity_rows,
                                   sensitivity_view, pte_doc, pm_split, pte_view, limit_doc, limit_view)
from emiss.report.checks import (check_doc, CHECK_FIELDS, check_rows, check_view, timeline_view, factcheck_markdown,
                                  calibrated_inputs)
from emiss.report.reference import (CONSTANT_KEYS, factor_rows, factors_doc, factors_view, catalog_doc, catalog_view,
                                    preset_doc, preset_view)
from emiss.report.health import (headline_figures, finding, health_doc, health_view, COBRA_FIELDS, cobra_rows, estimate_sheets)
