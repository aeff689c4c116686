"""Human output: `path:line: CODE name`, the message, the safe path; a summary line."""

from __future__ import annotations

import os
import textwrap

from ..findings import Severity

_COLOURS = {Severity.ERROR: "\033[31m", Severity.WARNING: "\033[33m", Severity.INFO: "\033[36m"}
_RESET = "\033[0m"
_BOLD = "\033[1m"


def _wrap(text: str, indent: str = "  ", width: int = 100) -> str:
    """textwrap.fill(width=100, long words kept whole), with a greedy fast path for text of single spaces:
    textwrap alone was the largest cost of a 5,000-statement lint-sql report."""
    # any other white space (tabs, newlines, no-break spaces: not printable) takes textwrap's own rules
    if not text or text[0] == " " or text[-1] == " " or "  " in text or not text.replace(" ", "").isprintable():
        return textwrap.fill(text, width=width, initial_indent=indent, subsequent_indent=indent + "  ",
                             break_long_words=False, break_on_hyphens=False)
    words = text.split(" ")
    lines = []
    line = indent + words[0]
    for word in words[1:]:
        if len(line) + 1 + len(word) <= width:
            line += " " + word
        else:
            lines.append(line)
            line = indent + "  " + word
    lines.append(line)
    return "\n".join(lines)


def render_text(result, *, platform: str, colour: bool = False, **_) -> str:
    lines = []
    for note in result.notes:
        lines.append(f"note: {note}")
    prefix = getattr(result, "display_prefix", "")
    for finding in result.findings:
        where = str(finding.location) if finding.location else "(no file)"
        if prefix and finding.location is not None:
            where = f"{os.path.normpath(os.path.join(prefix, finding.location.path))}:{finding.location.line}"
        label = f"{finding.code} {finding.name}"
        severity = str(finding.severity)
        if colour:
            label = f"{_BOLD}{label}{_RESET}"
            severity = f"{_COLOURS[finding.severity]}{severity}{_RESET}"
        lines.append(f"{where}: {label} [{severity}]")
        lines.append(_wrap(finding.message))
        if finding.safe_path:
            lines.append(_wrap("safe path: " + finding.safe_path))
    counts = [(result.count(s), str(s)) for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)]
    parts = [f"{n} {name}{'s' if n != 1 else ''}" for n, name in counts if n]
    if parts:
        lines.append(f"{', '.join(parts)} ({platform}, {result.base_label} -> {result.head_label}). "
                     "Explain a rule with: compatlint explain CODE")
    else:
        lines.append(f"No backward-incompatible schema changes ({platform}, {result.base_label} -> {result.head_label}).")
    return "\n".join(lines) + "\n"
