"""GitLab Code Quality report (a JSON array of issues).

Fields per docs.gitlab.com "Code Quality" report format: description, check_name, fingerprint
(unique per issue), severity (info, minor, major, critical, blocker), location.path,
location.lines.begin.
"""

from __future__ import annotations

import hashlib

from ..findings import Severity
from .indented_json import dumps as indented_json
from .json import clean_path

SEVERITY = {Severity.ERROR: "critical", Severity.WARNING: "major", Severity.INFO: "info"}


def render_gitlab(result, **_) -> str:
    issues = []
    seen: set[str] = set()
    for f in result.findings:
        fingerprint = f.fingerprint
        if fingerprint in seen:  # GitLab collapses equal fingerprints: keep every finding distinct
            fingerprint = hashlib.sha256(f"{fingerprint}|{f.message}|{len(seen)}".encode()).hexdigest()[:16]
        seen.add(fingerprint)
        issues.append({
            "type": "issue",
            "description": f"{f.code} {f.name}: {f.message}",
            "check_name": f.code,
            "categories": ["Compatibility"],
            "fingerprint": fingerprint,
            "severity": SEVERITY[f.severity],
            "location": {
                "path": clean_path(f.location.path) if f.location else "",
                "lines": {"begin": (f.location.line or 1) if f.location else 1},
            },
        })
    return indented_json(issues) + "\n"
