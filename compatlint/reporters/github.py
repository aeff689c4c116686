"""GitHub Actions workflow commands: one annotation per finding on the changed line.

Format: `::error file={path},line={line},title={title}::{message}` (docs.github.com, "Workflow commands
for GitHub Actions", setting an error/warning/notice message). Data escapes % CR LF; property values
additionally escape `:` and `,`.
"""

from __future__ import annotations

from ..findings import Severity, counted

LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(result, *, platform: str, **_) -> str:
    lines = []
    for f in result.findings:
        props = []
        if f.location is not None:
            props.append(f"file={escape_property(f.location.path)}")
            if f.location.line:
                props.append(f"line={f.location.line}")
        props.append(f"title={escape_property(f'{f.code} {f.name}')}")
        message = f.message + (f"\nsafe path: {f.safe_path}" if f.safe_path else "")
        lines.append(f"::{LEVEL[f.severity]} {','.join(props)}::{escape_data(message)}")
    errors, warnings = result.count(Severity.ERROR), result.count(Severity.WARNING)
    lines.append(f"compatlint: {counted(len(result.findings), 'finding')} ({counted(errors, 'error')}, "
                 f"{counted(warnings, 'warning')}) on {platform}")
    return "\n".join(lines) + "\n"
