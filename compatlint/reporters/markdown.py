"""Markdown for a pull-request comment: a table of findings, each with its safe path."""

from __future__ import annotations

from ..findings import Severity


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(result, *, platform: str, **_) -> str:
    if not result.findings:
        return f"**compatlint**: no backward-incompatible schema changes ({platform}).\n"
    counts = ", ".join(f"{result.count(s)} {s}{'s' if result.count(s) != 1 else ''}"
                       for s in (Severity.ERROR, Severity.WARNING, Severity.INFO) if result.count(s))
    lines = [f"**compatlint** ({platform}, {result.base_label} → {result.head_label}): {counts}", "",
             "| | finding | where | safe path |", "|---|---|---|---|"]
    for f in result.findings:
        where = f"`{f.location.path.rsplit('/', 1)[-1]}:{f.location.line}`" if f.location else ""
        subject = f" `{_cell(f.subject)}`" if f.subject else ""
        lines.append(f"| {f.severity} | {f.code} {f.name}{subject}: {_cell(f.message)} | {where} | {_cell(f.safe_path or '—')} |")
    lines.append("")
    lines.append(_suppress_hint(result.findings))
    return "\n".join(lines) + "\n"


_SQL_FILES = (".sql", ".php")  # migrations: SQL comments (`compatlint.sql.lint.directives_of`)


def _suppress_hint(findings) -> str:
    """How to allow a reviewed finding, in the comment syntax of the files the findings are in."""
    in_sql = [f.location is not None and f.location.path.endswith(_SQL_FILES) for f in findings]
    forms = []
    if not all(in_sql):
        forms.append("`<!-- compatlint: allow CODE reason=\"...\" -->` before the element")
    if any(in_sql):
        forms.append("`-- compatlint: allow CODE reason=\"...\"` on the line before the SQL statement")
    return f"Suppress a reviewed finding with {' (schema XML), or '.join(forms)}{' (migration SQL)' if len(forms) > 1 else ''}."
