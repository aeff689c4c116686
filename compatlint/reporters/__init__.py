"""Reporters by name: `REPORTERS[name](result, **options) -> str`. Each is imported only when used
(the SARIF and JUnit ones pull in parts of the standard library that `check` should not pay for)."""

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


class _Reporters(Mapping[str, Callable]):
    def __getitem__(self, name: str) -> Callable:
        module, function = _WHERE[name]
        return getattr(importlib.import_module(f"{__name__}.{module}"), function)

    def __iter__(self):
        return iter(_WHERE)

    def __len__(self) -> int:
        return len(_WHERE)


REPORTERS: Mapping[str, Callable] = _Reporters()
