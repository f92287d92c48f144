"""One document per command: each function gathers the forms of what a command prints (view, JSON, rows, texts of
its own) into a ``Document``, which ``render.write`` encodes in the format asked for. Nothing is built until asked."""

from __future__ import annotations

from typing import Any, Sequence

from emiss.core.model import Result, Scenario
from emiss.data import pollutant_name
from emiss.errors import InputError
from emiss.report import analysis, checks, estimate, health, methods, reference
from emiss.report.views import ROW_FIELDS, SPREAD_FIELDS, Document

def estimate_document(result: Result, *, only: Sequence[str] | None = None, spread: dict[str, Any] | None = None,
                      run: dict[str, Any] | None = None, with_health: bool = False) -> Document:
    """Return the estimate: its view (with the health screening if asked), JSON, rows, the value, methods and COBRA texts."""
    def data() -> dict[str, Any]:
        d = estimate.estimate_doc(result, only=only, spread=spread, run=run)
        if with_health:
            d["health"] = health.health_doc(result)
        return d

    def cobra() -> str:
        import io

        from emiss.report.render import write_rows

        site = dict(result.scenario.site)
        if "fips" not in site:
            raise InputError("--format cobra needs the county: a preset with [preset] fips, state and county", usage=True)
        buf = io.StringIO()
        write_rows(health.cobra_rows(result, site["fips"], site.get("state", ""), site.get("county", "")), buf, "csv",
                   health.COBRA_FIELDS)
        return buf.getvalue()

    return Document(
        view=lambda: estimate.estimate_view(result, only=only, spread=spread) + (health.health_view(result) if with_health else []),
        data=data, rows=lambda: estimate.estimate_rows(result, only=only, spread=spread),
        fields=ROW_FIELDS + (SPREAD_FIELDS if spread else ()),
        texts={"value": lambda: repr(estimate.value_of(result, (only or [""])[0])) + "\n",
               "methods": lambda: methods.methods_text(result, only=only), "cobra": cobra},
        notes={"cobra": "NH3 is the ammonia slip of units with SCR (0 where none has it); a positive value is an increase, as "
                            "COBRA reads it; short tons to "
                            "0.001; tier FUEL COMB. ELEC. UTIL. (power generation, as AVERT writes it; behind-the-meter "
                            "generation at a plant could also be read as industrial fuel combustion)",
               **_lower_bound_note(result, only)})


def _lower_bound_note(result: Result, only: Sequence[str] | None) -> dict[str, str]:
    """Return the note for --format value when its one number is only a lower bound (units without a factor, or a
    guarantee that does not hold where a unit runs), said on stderr: the bare number on stdout reads as the total."""
    pol = (only or [""])[0]
    e = result.emissions.get(pol)
    if e is None or len(only or ()) != 1:
        return {}
    why = e.lower_bound
    return {"value": f"{pollutant_name(pol)}: this figure is a lower bound, not the total ({why})"} if why else {}


def cluster_document(results: Sequence[Any], *, site: Any = None) -> Document:
    """Return cluster results: one JSON document per GPU count (one alone when there is one), rows and the view; with a
    ``site`` (--versus), the clusters beside it: {"clusters": [...], "versus": ...} and a table after the view."""
    from emiss.analysis.cluster import operation_doc

    def data() -> Any:
        docs = [{**analysis.cluster_doc(cr), "operation": operation_doc(cr.plan)} for cr in results]
        if site is not None:
            from emiss.report.versus import versus_doc

            return {"clusters": docs, "versus": versus_doc(results, site)}
        return docs[0] if len(docs) == 1 else docs

    def view() -> Any:
        from emiss.report.views import Line

        own = analysis.cluster_view(results)
        at = next((i for i, x in enumerate(own) if isinstance(x, Line) and x.text == "Sources"), len(own))
        said = list(dict.fromkeys(operation_doc(cr.plan)["text"] for cr in results))  # once when the counts share it
        own[at:at] = [Line((f"Operation, {cr.plan.gpus:,} GPUs: " if len(said) > 1 else "Operation: ") + operation_doc(cr.plan)["text"])
                      for cr in (results if len(said) > 1 else results[:1])]
        if site is None:
            return own
        from emiss.report.versus import versus_view

        return own + [Line()] + versus_view(results, site)

    def rows() -> list[dict[str, Any]]:
        if site is None:
            return analysis.cluster_rows(results)
        from emiss.report.versus import versus_rows

        return analysis.cluster_rows(results) + versus_rows(site)  # --versus: the site's figures after the clusters'

    return Document(view=view, data=data, rows=rows, fields=("gpus", "quantity", "label", "value", "unit"))


def solve_document(sol: Any, factor_views: dict[str, Any] | None) -> Document:
    """Return a solve result: its JSON document and the view made from it."""
    doc = Document(data=lambda: analysis.solution_doc(sol, factor_views),
                   view=lambda: analysis.solution_view(sol, doc.data))
    return doc


def sensitivity_document(output: str, central: float, swings: Sequence[Any]) -> Document:
    """Return one-at-a-time swings: the tornado, the JSON document and one row per input."""
    return Document(view=lambda: analysis.sensitivity_view(output, central, swings),
                    data=lambda: analysis.sensitivity_doc(output, central, swings),
                    rows=lambda: analysis.sensitivity_rows(output, swings))


def compare_document(table: Any, only: Sequence[str] | None) -> Document:
    """Return scenarios compared: side by side, as JSON and as rows."""
    return Document(view=lambda: analysis.compare_view(table, only), data=lambda: analysis.compare_doc(table, only),
                    rows=lambda: analysis.compare_rows(table, only), fields=("output", "unit", "scenario", "value", "diff", "pct"))


def check_document(results: Sequence[Any], *, timeline: bool) -> Document:
    """Return checked claims: each preset's claims beside emiss's figures (and the timeline), as JSON and rows."""
    return Document(view=lambda: checks.check_view(results, timeline=timeline), data=lambda: checks.check_doc(results),
                    rows=lambda: checks.check_rows(results), fields=checks.CHECK_FIELDS,
                    texts={"markdown": lambda: checks.factcheck_markdown(results)})


def factcheck_document(results: Sequence[Any], document: Document, *, timeline: bool) -> Document:
    """Return ``document`` with the page's view for --html: each preset once (title, lead, fact-check sheet, sources,
    its claims beside emiss's figures), then the timeline."""
    return Document(view=lambda: checks.factcheck_view(results, timeline=timeline), data=lambda: document.data,
                    rows=lambda: document.rows, fields=document.fields)


def pte_document(result: Result, uncontrolled: Result | None, worst: Any = None) -> Document:
    """Return the potential to emit per emission unit and for the facility (``worst``: the --ambient-range scan)."""
    return Document(view=lambda: analysis.pte_view(result, uncontrolled, worst),
                    data=lambda: analysis.pte_doc(result, uncontrolled, worst))


def limit_document(ol: Any) -> Document:
    """Return an operating-limit answer."""
    return Document(view=lambda: analysis.limit_view(ol), data=lambda: analysis.limit_doc(ol))


def catalog_document(units: dict[str, Any], gpus: dict[str, Any]) -> Document:
    """Return the unit and GPU catalog."""
    return Document(view=lambda: reference.catalog_view(units, gpus), data=lambda: reference.catalog_doc(units, gpus))


def factors_document() -> Document:
    """Return the factor library and constants; its rows are the factors."""
    return Document(view=reference.factors_view, data=reference.factors_doc, rows=reference.factor_rows)


def preset_document(sc: Scenario) -> Document:
    """Return a preset's resolved inputs."""
    return Document(view=lambda: reference.preset_view(sc), data=lambda: reference.preset_doc(sc))


def preset_list_document(presets: Sequence[Any]) -> Document:
    """Return the shipped presets: name and title a line (tab between), or JSON with their paths."""
    rows = [{"name": s.name, "title": s.title, "path": s.path} for s in presets]
    return Document(data=lambda: rows, texts={"table": lambda: "".join(f"{r['name']}\t{r['title']}\n" for r in rows)})
