"""A self-contained HTML page: the finding and headline figures first, then charts, then the tables.

No rich here (the terminal's SVG export stays in ``render``); nothing is loaded from the network.
"""

from __future__ import annotations

from typing import Any, Iterable

from emiss.errors import printable
from emiss.report.views import Cell, Line, Table, View

_CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #111; background: #fff;
       margin: 0 auto; padding: 1rem; max-width: 60rem; }
h1 { font-size: 1.5rem; line-height: 1.25; margin: 0.5rem 0 1rem; }
h2 { font-size: 1.15rem; margin: 2rem 0 0.5rem; border-bottom: 1px solid #bbb; }
.finding { background: #f3f3f3; border-left: 4px solid #222; padding: 0.75rem 1rem; margin: 0 0 1.5rem; }
.figures { display: flex; flex-wrap: wrap; gap: 0.75rem; margin: 0.5rem 0 0; padding: 0; list-style: none; }
.figures li { flex: 1 1 10rem; background: #fff; border: 1px solid #ccc; padding: 0.5rem 0.75rem; }
.figures .value { display: block; font-size: 1.4rem; font-weight: 700; }
.figures .label { font-size: 0.85rem; color: #333; }
figure { margin: 1rem 0; break-inside: avoid; }
figure svg { width: 100%; height: auto; display: block; }
figcaption { font-size: 0.85rem; color: #333; }
.table-wrap { overflow-x: auto; max-width: 100%; margin: 0.5rem 0 1rem; }
table { border-collapse: collapse; font-size: 0.85rem; }
caption { text-align: left; font-weight: 700; padding: 0.25rem 0; }
th, td { border-bottom: 1px solid #ddd; padding: 0.25rem 0.5rem; vertical-align: top; text-align: left; }
td.num, th.num { text-align: right; white-space: nowrap; }
.alert { font-weight: 700; text-decoration: underline; }
p { overflow-wrap: anywhere; margin: 0.25rem 0; font-size: 0.9rem; }
footer { margin-top: 2rem; font-size: 0.8rem; color: #444; }
@media (max-width: 30rem) { body { padding: 0.5rem; font-size: 15px; } h1 { font-size: 1.25rem; } }
@media print { @page { size: auto; margin: 15mm; } body { max-width: none; font-size: 10pt; } .table-wrap { overflow: visible; }
               h2 { break-after: avoid; } tr { break-inside: avoid; } }
"""


def view_html(view: View, *, title: str, finding: str = "", figures: Iterable[tuple[str, str, str, str]] = (),
              charts: Iterable[tuple[str, str]] = (), generator: str = "") -> str:
    """Return one self-contained HTML page: the finding and headline figures first, then charts, then the tables.

    ``figures``: (label, shown value, unit, key) — each carries its key and value as data attributes, so a test can
    compare the page with the JSON. ``charts``: (inline SVG, caption). Nothing is loaded from the network.
    """
    import html

    def esc(text: Any) -> str:
        return html.escape(printable(str(text)), quote=True)

    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">",
           f"<title>{esc(title)}</title><style>{_CSS}</style></head><body>", f"<h1>{esc(title)}</h1>"]
    figs = list(figures)
    if finding or figs:
        out.append('<section class="finding">')
        if finding:
            out.append(f"<p>{esc(finding)}</p>")
        if figs:
            out.append('<ul class="figures">')
            for label, shown, unit, key in figs:
                out.append(f'<li><span class="value" data-key="{esc(key)}" data-value="{esc(shown[1])}">{esc(shown[0])}</span>'
                           f'<span class="label">{esc(label)}{(" (" + esc(unit) + ")") if unit else ""}</span></li>')
            out.append("</ul>")
        out.append("</section>")
    chart_list = list(charts)
    if chart_list:
        out.append("<h2>Charts</h2>")
        for svg, caption in chart_list:
            out.append(f"<figure>{svg}<figcaption>{esc(caption)}</figcaption></figure>")
    out.append("<h2>Tables, assumptions and sources</h2>")
    for block in view:
        if isinstance(block, Table):
            out.append('<div class="table-wrap"><table>')
            if block.title:
                out.append(f"<caption>{esc(block.title)}</caption>")
            num = ' class="num"'
            out.append("<thead><tr>" + "".join(f'<th{num if c.align == "right" else ""} scope="col">{esc(c.name)}</th>'
                                                 for c in block.columns) + "</tr></thead><tbody>")
            for row in block.rows:
                cells = []
                for c, x in zip(block.columns, row):
                    text, style = (x.text, x.style) if isinstance(x, Cell) else (str(x), "")
                    cls = " ".join(k for k in ("num" if c.align == "right" else "", "alert" if style == "alert" else "") if k)
                    attr = f' class="{cls}"' if cls else ""
                    cells.append(f"<td{attr}>{esc(text)}</td>")
                out.append("<tr>" + "".join(cells) + "</tr>")
            out.append("</tbody></table></div>")
        elif isinstance(block, Line) and block.text:
            tag = "h2" if block.style == "bold" and len(block.text) < 90 else "p"
            out.append(f"<{tag}>{esc(block.text)}</{tag}>")
    out.append(f"<footer>{esc(generator)}</footer></body></html>")
    return "\n".join(out) + "\n"
