"""Reporters by name: `REPORTERS[name](result, **options) -> str` for a comparison, and
`AUDIT_REPORTERS[name](report, **options) -> str` for an audit (findings attributed to commits). Each is
imported only when used (the SARIF and JUnit ones pull in parts of the standard library that `check`
should not pay for)."""

from __future__ import annotations

import importlib
from typing import Callable, Mapping

_WHERE = {
    "text": ("text", "render_text"),
    "json": ("json", "render_json"),
    "sarif": ("sarif", "render_sarif"),
    "github": ("github", "render_github"),
    "gitlab": ("gitlab", "render_gitlab"),
    "junit": ("junit", "render_junit"),
    "markdown": ("markdown", "render_markdown"),
}


# `text` and `json` audits are rendered by compatlint.audit itself.
_AUDIT_WHERE = {
    "sarif": ("audit_formats", "render_audit_sarif"),
    "github": ("audit_formats", "render_audit_github"),
    "gitlab": ("audit_formats", "render_audit_gitlab"),
    "junit": ("audit_formats", "render_audit_junit"),
    "markdown": ("audit_formats", "render_audit_markdown"),
    "html": ("html", "render_audit_html"),
}


class _Reporters(Mapping[str, Callable]):
    def __init__(self, where: dict[str, tuple[str, str]]):
        self._where = where

    def __getitem__(self, name: str) -> Callable:
        module, function = self._where[name]
        return getattr(importlib.import_module(f"{__name__}.{module}"), function)

    def __iter__(self):
        return iter(self._where)

    def __len__(self) -> int:
        return len(self._where)


REPORTERS: Mapping[str, Callable] = _Reporters(_WHERE)
AUDIT_REPORTERS: Mapping[str, Callable] = _Reporters(_AUDIT_WHERE)
