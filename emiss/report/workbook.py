"""The spreadsheet (openpyxl, imported only when asked): numbers as numbers, text never read as a formula."""

from __future__ import annotations

from typing import Any

from emiss.errors import printable

def write_xlsx(path: str, sheets: dict[str, list[dict[str, Any]]]) -> None:
    """Write a workbook: one sheet per table, numbers as numbers, text never read as a formula."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name[:31])
        if not rows:
            ws.append(["(none)"])
            continue
        header = list(dict.fromkeys(k for r in rows for k in r))
        ws.append(header)
        for r in rows:
            ws.append([None] * len(header))
            for col, key in enumerate(header, 1):
                v = r.get(key)
                cell = ws.cell(row=ws.max_row, column=col)
                if isinstance(v, bool) or v is None:
                    cell.value = v
                elif isinstance(v, (int, float)):
                    cell.value = v
                else:
                    cell.value = printable(str(v))
                    cell.data_type = "s"  # a string that starts with '=' stays text, never a formula
    wb.save(path)
