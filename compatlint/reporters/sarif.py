"""SARIF 2.1.0 for code scanning: one run, the rules as reportingDescriptors, findings as results."""

from __future__ import annotations

import json
from urllib.parse import quote

from .. import __version__
from ..findings import Severity
from .indented_json import dumps as indented_json

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"


def descriptors() -> tuple[list[dict], dict[str, int]]:
    """Every rule as a reportingDescriptor, and each code's index among them."""
    from ..registry import all_rules

    rules = list(all_rules())
    index = {r.code: i for i, r in enumerate(rules)}
    return [{
        "id": r.code,
        "name": r.name,
        "shortDescription": {"text": r.summary()},
        "fullDescription": {"text": r.documentation()},
        "defaultConfiguration": {"level": _LEVEL[r.severity]},
        "help": {"text": f"compatlint explain {r.code}"},
    } for r in rules], index


def result_entry(f, index: dict[str, int]) -> dict:
    entry = {
        "ruleId": f.code,
        "level": _LEVEL[f.severity],
        "message": {"text": f.message + (f" Safe path: {f.safe_path}" if f.safe_path else "")},
        "partialFingerprints": {"compatlint/v1": f.fingerprint},
        "properties": {"table": f.table, "column": f.column, "side": f.side},
    }
    if f.code in index:
        entry["ruleIndex"] = index[f.code]
    if f.location is not None:
        region = {"startLine": f.location.line} if f.location.line else {}
        physical = {"artifactLocation": {"uri": quote(f.location.path.encode("utf-8", "surrogateescape"), safe="/")}}
        if region:
            physical["region"] = region
        entry["locations"] = [{"physicalLocation": physical}]
    return entry


def sarif_log(run: dict) -> dict:
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def driver(rules: list[dict]) -> dict:
    return {"driver": {"name": "compatlint", "version": __version__, "semanticVersion": __version__,
                       "informationUri": "https://pypi.org/project/compatlint/", "rules": rules}}


def render_sarif(result, *, platform: str, **_) -> str:
    rules, index = descriptors()
    log = sarif_log({
        "tool": driver(rules),
        "properties": {"platform": platform},
        "results": [result_entry(f, index) for f in result.findings],
    })
    return indented_json(log) + "\n"
