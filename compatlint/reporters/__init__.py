"""Reporters by name. Each is a function (result, options) -> str; `REPORTERS` maps the --format names."""

from __future__ import annotations

from typing import Callable

from .json import render_json
from .text import render_text

REPORTERS: dict[str, Callable] = {
    "text": render_text,
    "json": render_json,
}
