"""Machine output: sorted, fingerprinted findings; stable for diffing two runs."""

from __future__ import annotations

from .indented_json import dumps as indented_json


def clean_path(path: str) -> str:
    """A path for JSON: bytes that are not UTF-8 written as backslash escapes, never as lone surrogates."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def finding_dict(finding) -> dict:
    loc = finding.location
    return {
        "code": finding.code,
        "name": finding.name,
        "severity": str(finding.severity),
        "message": finding.message,
        "table": finding.table,
        "column": finding.column,
        "path": clean_path(loc.path) if loc else None,
        "line": loc.line if loc else None,
        "side": finding.side,
        "safe_path": finding.safe_path,
        "fingerprint": finding.fingerprint,
    }


def render_json(result, *, platform: str, **_) -> str:
    payload = {
        "version": 1,
        "platform": platform,
        "base": result.base_label,
        "head": result.head_label,
        "notes": result.notes,
        "summary": {s: result.count(sev) for s, sev in (("error", 3), ("warning", 2), ("info", 1))},
        "findings": [finding_dict(f) for f in result.findings],
    }
    return indented_json(payload) + "\n"
