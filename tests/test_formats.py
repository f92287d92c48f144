"""One document per command, one encoder per format: what --format offers follows from the document's forms."""

from __future__ import annotations

import io
import json

import click

from emiss.cli import cli
from emiss.report import render
from emiss.report.views import Document, Line


def test_a_format_is_offered_where_the_document_has_its_form():
    assert render.formats("view", "data") == ("table", "json", "markdown")
    assert render.formats("view", "data", "rows", own=("value",)) == ("table", "json", "csv", "tsv", "ndjson", "markdown", "value")
    # a text of the command's own under an encoder's name keeps the encoder's place
    assert render.formats("data", own=("table",)) == ("table", "json")


def test_only_the_form_asked_for_is_built():
    built = []
    doc = Document(view=lambda: built.append("view") or [Line("x")], data=lambda: built.append("data") or {"a": 1.5},
                   rows=lambda: built.append("rows") or [{"a": 1.5, "b": "=x"}])
    out = io.StringIO()
    render.write(doc, "csv", out)
    assert built == ["rows"] and out.getvalue() == "a,b\n1.5,'=x\n"  # fields from the first row; a formula made text
    render.write(doc, "json", out)
    assert built == ["rows", "data"]
    doc.data  # noqa: B018 - made once
    assert built == ["rows", "data"]


def _formats(command: click.Command) -> tuple[str, ...]:
    opt = next(p for p in command.params if p.name == "fmt")
    return tuple(opt.type.choices)


def test_every_format_a_command_offers_writes(run):
    # the commands that gained formats (markdown, tsv, ndjson) when formats came to follow the document: each one works
    cases = {("catalog",): "markdown", ("factors",): "tsv", ("presets", "show", "memphis"): "markdown",
             ("limit", "--preset", "memphis"): "markdown", ("solve", "--preset", "memphis", "--target", "nox=100 short_ton/year", "--vary",
                                                          "capacity-factor"): "markdown"}
    for args, fmt in cases.items():
        cmd = cli
        for a in args:
            if isinstance(cmd, click.Group) and a in cmd.commands:
                cmd = cmd.commands[a]
        assert fmt in _formats(cmd)
        code, out, err = run(*args, "--format", fmt)
        assert code in (0, 1) and out.strip(), (args, err)
    code, out, _ = run("factors", "--format", "ndjson")
    assert code == 0 and json.loads(out.splitlines()[0])["pollutant"]
