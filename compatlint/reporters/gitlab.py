"""GitLab Code Quality report (a JSON array of issues).

Fields per docs.gitlab.com "Code Quality" report format: description, check_name, fingerprint
(unique per issue), severity (info, minor, major, critical, blocker), location.path,
location.lines.begin.
"""

from __future__ import annotations

import json

from ..findings import Severity

_SEVERITY = {Severity.ERROR: "critical", Severity.WARNING: "major", Severity.INFO: "info"}


def render_gitlab(result, **_) -> str:
    issues = []
    for f in result.findings:
        issues.append({
            "type": "issue",
            "description": f"{f.code} {f.name}: {f.message}",
            "check_name": f.code,
            "categories": ["Compatibility"],
            "fingerprint": f.fingerprint,
            "severity": _SEVERITY[f.severity],
            "location": {
                "path": f.location.path if f.location else "",
                "lines": {"begin": (f.location.line or 1) if f.location else 1},
            },
        })
    return json.dumps(issues, indent=2) + "\n"
