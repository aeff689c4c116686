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
    lines.append("Suppress a reviewed finding with `<!-- compatlint: allow CODE reason=\"...\" -->` before the element.")
    return "\n".join(lines) + "\n"
