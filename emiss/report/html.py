"""A self-contained HTML page: the finding first, the headline cards, contents, charts, then the tables, and a
provenance footer (version, run date, command line, input and data-file hashes).

No rich here (the terminal's SVG export stays in ``render``); nothing is loaded from the network. On a phone
(below 40rem) each table row stacks into labelled lines, so nothing scrolls sideways; charts are sized for it
(report/charts.py) and shown up to 1.25 x their size on a desktop.
"""

from __future__ import annotations

import html
import re
from typing import Any, Iterable

from emiss.errors import printable
from emiss.report.views import Line, Table, View, cell_parts

_CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #111; background: #fff;
       margin: 0 auto; padding: 1rem; max-width: 60rem; }
h1 { font-size: 1.5rem; line-height: 1.25; margin: 0.5rem 0 1rem; }
h2 { font-size: 1.15rem; margin: 2rem 0 0.5rem; border-bottom: 1px solid #bbb; }
.finding { background: #f3f3f3; border-left: 4px solid #222; padding: 0.75rem 1rem; margin: 0 0 1.5rem; }
.finding p.lead { font-size: 1.1rem; font-weight: 600; margin: 0 0 0.5rem; }
.finding p.detail { font-size: 0.85rem; color: #333; }
.figures { display: flex; flex-wrap: wrap; gap: 0.75rem; margin: 0.5rem 0 0; padding: 0; list-style: none; }
.figures li { flex: 1 1 10rem; background: #fff; border: 1px solid #ccc; padding: 0.5rem 0.75rem; }
.figures .value { display: block; font-size: 1.4rem; font-weight: 700; }
.figures .label { display: block; font-size: 0.85rem; color: #111; font-weight: 600; }
.figures .unit, .figures .range { display: block; font-size: 0.85rem; color: #333; }
nav ol { display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; padding: 0; margin: 0.25rem 0 1rem; list-style: none; font-size: 0.9rem; }
nav a { color: #0645ad; }
figure { margin: 1rem 0; break-inside: avoid; }
figure svg { width: 100%; max-width: 600px; height: auto; display: block; }
figcaption { font-size: 0.85rem; color: #333; }
.table-wrap { overflow-x: auto; max-width: 100%; margin: 0.5rem 0 1rem; }
table { border-collapse: collapse; font-size: 0.85rem; }
caption { text-align: left; font-weight: 700; padding: 0.25rem 0; white-space: normal; overflow-wrap: anywhere; }
th, td { border-bottom: 1px solid #ddd; padding: 0.25rem 0.5rem; vertical-align: top; text-align: left; overflow-wrap: break-word; }
td.num, th.num { text-align: right; }
td.sub { padding-left: 1.75rem; }
.alert { font-weight: 700; text-decoration: underline; }
p { overflow-wrap: anywhere; margin: 0.25rem 0; font-size: 0.9rem; }
footer { margin-top: 2rem; font-size: 0.8rem; color: #444; border-top: 1px solid #bbb; padding-top: 0.5rem; }
footer dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.1rem 0.75rem; margin: 0; }
footer dt { font-weight: 700; } footer dd { margin: 0; overflow-wrap: anywhere; font-family: ui-monospace, "DejaVu Sans Mono", monospace; }
@media (max-width: 40rem) {
  body { padding: 0.5rem; font-size: 15px; } h1 { font-size: 1.25rem; }
  .finding { padding: 0.5rem 0.75rem; } .finding p.lead { font-size: 1rem; }
  .table-wrap { overflow-x: visible; }
  table, caption, tbody, tr, td { display: block; width: 100%; }
  thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  tr { border-bottom: 1px solid #999; padding: 0.25rem 0; }
  td, td.num { border: 0; padding: 0.1rem 0; text-align: left; white-space: normal; }
  td[data-label]::before { content: attr(data-label) ": "; font-weight: 600; color: #333; }
  td:empty { display: none; }
  td.sub { padding-left: 1.25rem; }
  footer dl { grid-template-columns: 1fr; }
}
@media print { @page { size: auto; margin: 15mm; } body { max-width: none; font-size: 10pt; } .table-wrap { overflow: visible; }
               nav { display: none; } h2 { break-after: avoid; } tr { break-inside: avoid; } }
"""


def _esc(text: Any) -> str:
    return html.escape(printable(str(text)), quote=True)


# a number and the unit after it ('87 tpy', '0.0066 lb/MMBtu', '8,760 h/yr', '2 ppmvd@15%O2'): a narrow cell at phone
# width broke between them, '87' over 'tpy'. Only a unit's word follows (not '85.65 against'), and a number inside a word
# ('SMT-130 turbines', '01156-01PC', the '27' of the escaped quote '&#x27;') is kept out by the lookbehind
_UNIT_WORDS = (r"tpy|short|tons?|tonnes?|metric|lb|kg|g|mg|MMBtu|Btu|MJ|MWe?|MWh|GWh|kWh?|megawatts|h|hours?|ppm\w*|"
               r"deg[CFR]|inHg|atm|ft3|scf|m|homes|households|units?|events|startups?|GPUs?|%|°\w*")
_NUMBER_UNIT = re.compile(rf"(?<![\w.,/-])(\d(?:[\d,]*\d)?(?:\.\d+)?) (?=(?:{_UNIT_WORDS})(?![A-Za-z0-9]))")


def _prose(text: Any) -> str:
    """Return ``text`` escaped for the page, each number joined to the unit after it by a non-breaking space."""
    return _NUMBER_UNIT.sub(r"\1&nbsp;", _esc(text))


def _slug(text: str, used: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "section"
    slug, k = base, 2
    while slug in used:
        slug, k = f"{base}-{k}", k + 1
    used.add(slug)
    return slug


NAMED_COLUMNS = ("pollutant", "output", "claim")  # columns whose first word may be a pollutant's id (compare, check)


def _named(column: str, text: str, names: dict[str, str]) -> str:
    """Return a pollutant's name where a 'Pollutant', 'Output' or 'Claim' column holds its id ('nox' -> 'NOx';
    'nox *' -> 'NOx *'; 'hcho [8]' -> 'Formaldehyde [8]'); other words ('capacity') stay as they are."""
    if column.strip().lower() not in NAMED_COLUMNS:
        return text
    key, _, rest = text.partition(" ")
    return names[key] + (" " + rest if rest else "") if key in names else text


HEADING_CHARS = 160  # a bold line up to this long is a section heading (a preset's title with its date runs to ~115)
NOT_HEADINGS = ("Warning: ", "Infeasible: ")  # bold lines that say something, not a section: shown bold in place


def _listed(contents: list[tuple[str, str]], anchor: str, text: str) -> None:
    """Add a section to the contents unless one of the same name is listed (check --all repeats each preset's title
    and a 'Fact check' per preset: the first of each is enough)."""
    if all(t != text for _, t in contents):
        contents.append((anchor, text))


def view_html(view: View, *, title: str, finding: str = "", figures: Iterable[tuple[Any, ...]] = (),
              charts: Iterable[tuple[str, str]] = (), generator: str = "", provenance: dict[str, Any] | None = None,
              detail: str = "") -> str:
    """Return one self-contained HTML page: the finding and headline figures first, contents, charts, the tables, and
    the provenance footer.

    ``figures``: (label, (shown, exact), unit, key[, interval]) — each carries its key and exact value as data
    attributes, so a test can compare the page with the JSON. ``charts``: (inline SVG, caption). Nothing is loaded
    from the network.
    """
    from emiss.report.page import SHORT_NAMES

    esc = _esc
    used: set[str] = set()
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">",
           f"<title>{esc(title)}</title><style>{_CSS}</style></head><body>", f"<h1>{esc(title)}</h1>"]
    figs = list(figures)
    if finding or figs:
        out.append('<section class="finding" id="finding">')
        if finding:
            out.append(f'<p class="lead">{_prose(finding)}</p>')
        if detail:
            out.append(f'<p class="detail">{_prose(detail)}</p>')
        if figs:
            out.append('<ul class="figures">')
            for fig in figs:
                label, shown, unit, key = fig[:4]
                interval = fig[4] if len(fig) > 4 else ""
                out.append(f'<li><span class="value" data-key="{esc(key)}" data-value="{esc(shown[1])}">{esc(shown[0])}</span>'
                           f'<span class="label">{esc(label)}</span>'
                           # the unit on a line of its own: in brackets after the label it nested ('Households
                           # (headline) (capacity view; calibrated)', 'NOx (US short tons a year; calibrated (factor nox))')
                           + (f'<span class="unit">{esc(unit)}</span>' if unit else "")
                           + (f'<span class="range">{esc(interval)}</span>' if interval else "") + "</li>")
            out.append("</ul>")
        out.append("</section>")
    body: list[str] = []
    contents: list[tuple[str, str]] = []
    chart_list = list(charts)
    if chart_list:
        anchor = _slug("charts", used)
        contents.append((anchor, "Charts"))
        body.append(f'<h2 id="{anchor}">Charts</h2>')
        for svg, caption in chart_list:
            body.append(f"<figure>{svg}<figcaption>{esc(caption)}</figcaption></figure>")
    anchor = _slug("tables", used)
    body.append(f'<h2 id="{anchor}">Tables, assumptions and sources</h2>')
    for block in view:
        if isinstance(block, Table):
            anchor = _slug(block.title or "table", used)
            if block.title:
                _listed(contents, anchor, block.title.split(" (")[0])
            # a terminal's text bars (a tornado's '####') are left out: the page draws the chart itself
            keep = [i for i in range(len(block.columns)) if not block.rows or not all(
                cell_parts(row[i])[1] in ("low", "high") for row in block.rows)]
            columns = [block.columns[i] for i in keep]
            body.append(f'<div class="table-wrap" id="{anchor}"><table>')
            if block.title:
                body.append(f"<caption>{esc(block.title)}</caption>")
            num = ' class="num"'
            body.append("<thead><tr>" + "".join(f'<th{num if c.align == "right" else ""} scope="col">{esc(c.name)}</th>'
                                                  for c in columns) + "</tr></thead><tbody>")
            for row in block.rows:
                cells = []
                for c, x in zip(columns, [row[i] for i in keep]):
                    text, style = cell_parts(x)
                    text = _named(c.name, text, SHORT_NAMES)
                    # a sub-row ('  PM filterable' under PM) is indented as in the terminal: the page collapses its spaces
                    sub = c.align != "right" and text.startswith(" ") and bool(text.strip())
                    cls = " ".join(k for k in ("num" if c.align == "right" else "", "alert" if style == "alert" else "",
                                               "sub" if sub else "") if k)
                    attr = (f' class="{cls}"' if cls else "") + (f' data-label="{esc(c.name)}"' if c.name.strip() else "")
                    cells.append(f"<td{attr}>{_prose(text.lstrip() if sub else text)}</td>")
                body.append("<tr>" + "".join(cells) + "</tr>")
            body.append("</tbody></table></div>")
        elif isinstance(block, Line) and block.text:
            if block.text.strip() == title.strip() or block.style == "finding":
                continue  # the page's own title (once, in <h1>) and its finding (the lead paragraph)
            if block.style == "bold" and len(block.text) < HEADING_CHARS and not block.text.startswith(NOT_HEADINGS):
                anchor = _slug(block.text, used)
                _listed(contents, anchor, block.text)
                body.append(f'<h2 id="{anchor}">{esc(block.text)}</h2>')
            elif block.style == "bold":
                body.append(f"<p><strong>{_prose(block.text)}</strong></p>")
            else:
                body.append(f"<p>{_prose(block.text)}</p>")
    contents.append(("provenance", "How this page was made"))
    out.append('<nav aria-label="Contents"><ol>' + "".join(f'<li><a href="#{a}">{esc(t)}</a></li>' for a, t in contents)
               + "</ol></nav>")
    out += body
    out.append('<footer id="provenance">')
    if generator:
        out.append(f"<p>{esc(generator)}</p>")
    if provenance:
        out.append("<dl>")
        for key, label in (("emiss_version", "emiss version"), ("run_date", "Run date (UTC)"), ("command", "Command"),
                           ("inputs_sha256", "inputs_sha256")):
            if key in provenance:
                out.append(f'<dt>{esc(label)}</dt><dd data-provenance="{esc(key)}">{esc(provenance[key])}</dd>')
        for name, digest in (provenance.get("data_files_sha256") or {}).items():
            out.append(f'<dt>{esc(name)}</dt><dd data-provenance="data:{esc(name)}">sha256 {esc(digest)}</dd>')
        out.append("</dl>")
    out.append("</footer></body></html>")
    return "\n".join(out) + "\n"
