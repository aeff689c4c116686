"""Reporters by name. Each is a function (result, **options) -> str; `REPORTERS` maps the --format names."""

from __future__ import annotations

from typing import Callable

from .github import render_github
from .gitlab import render_gitlab
from .json import render_json
from .junit import render_junit
from .markdown import render_markdown
from .sarif import render_sarif
from .text import render_text

REPORTERS: dict[str, Callable] = {
    "text": render_text,
    "json": render_json,
    "sarif": render_sarif,
    "github": render_github,
    "gitlab": render_gitlab,
    "junit": render_junit,
    "markdown": render_markdown,
}
