"""`audit --format html`: one self-contained page a lead opens in any browser, with no network access.

The page is the template `assets/audit.html` with the stylesheet and script of `assets/` inlined and
the report embedded as JSON in a `<script type="application/json">` element. Everything the repository
supplies (table names, messages, commit subjects, authors, paths, tag names) is untrusted: it reaches
the page only inside that JSON, where every `<`, `>` and `&` is written as a `\\u` escape (so neither
`</script>` nor `<!--` can end or alter the element), and the script puts it into the page with
`textContent` and attributes, never as markup. The few values written into the template itself
(the range, in the title) go through `html.escape`.
"""

from __future__ import annotations

import html
import json
import re
from importlib import resources

from ..findings import Severity
from .json import clean_path

# Families of rules by code prefix (longest prefix wins), for the timeline's colours and the filters.
FAMILIES: tuple[tuple[str, str], ...] = (
    ("CL1", "drops"),
    ("CL2", "types"),
    ("CL3", "keys"),
    ("CL4", "renames"),
    ("CL5", "SQL"),
    ("CL6", "transfers"),   # Storage/Search synchronization contracts
    ("CL7", "transfers"),   # transfer objects (CL701-CL799)
    ("CL9", "schema files"),
)
FAMILY_ORDER = ("drops", "renames", "types", "keys", "SQL", "transfers", "schema files", "other")


def family_of(code: str) -> str:
    matches = [(prefix, name) for prefix, name in FAMILIES if code.startswith(prefix)]
    return max(matches, key=lambda item: len(item[0]))[1] if matches else "other"


def _asset(name: str) -> str:
    return resources.files(__package__).joinpath("assets", name).read_text(encoding="utf-8")


def script_json(data) -> str:
    """JSON that is inert inside a `<script>` element: no `<`, `>` or `&` left to start a tag or comment."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _finding(f, commit_index: int) -> dict:
    loc = f.location
    return {"commit": commit_index, "code": f.code, "name": f.name, "severity": str(f.severity),
            "family": family_of(f.code), "table": f.table, "column": f.column,
            "path": clean_path(loc.path) if loc else None, "line": loc.line if loc else None,
            "message": f.message, "safe_path": f.safe_path}


def report_data(report, platform: str, baseline: str | None = None) -> dict:
    from ..docs import explain_rule
    from ..registry import rule_by_key

    findings_of: dict[str, int] = {}
    for entry in report.commits:
        findings_of[entry.commit.sha] = len(entry.findings)
    mentioned = ({entry.commit.sha for entry in report.commits} | {c.sha for c, *_ in report.left_out}
                 | {c.sha for c, *_ in report.changes})
    commits = [{"sha": c.sha, "author": c.author, "date": c.date, "subject": c.subject, "merge": len(c.parents) > 1,
                "findings": findings_of.get(c.sha, 0)} for c in report.walked if c.sha in mentioned]
    index = {c["sha"]: n for n, c in enumerate(commits)}

    def commit_index(commit) -> int:
        return index[commit.sha]

    findings = [_finding(f, commit_index(entry.commit)) for entry in report.commits for f in entry.findings]
    left_out = []
    for commit, f, means, reason in report.left_out:
        item = _finding(f, commit_index(commit))
        if means == "baseline" and baseline:
            reason = f"recorded in the baseline {baseline}"
        item.update(means=means, reason=reason)
        left_out.append(item)
    changes = [{"commit": commit_index(commit), "table": table, "text": text} for commit, table, text in report.changes]
    codes = sorted({f["code"] for f in findings} | {f["code"] for f in left_out})
    explain = {}
    for code in codes:
        rule = rule_by_key(code)
        if rule is not None:
            explain[code] = explain_rule(rule)
    counts = {str(s): sum(f.severity == s for entry in report.commits for f in entry.findings)
              for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)}
    return {
        "version": 1,
        "range": report.rev_range,
        "platform": platform,
        "head": report.head_sha,
        "commits_walked": report.commits_walked,
        "commits_with_findings": len(report.commits),
        "counts": counts,
        "families": list(FAMILY_ORDER),
        "commits": commits,
        "findings": findings,
        "left_out": left_out,
        "changes": changes,
        "tags": [{"name": t.name, "sha": t.sha, "position": t.position} for t in report.tags],
        "explain": explain,
    }


def render_audit_html(report, *, platform: str, baseline: str | None = None, **_) -> str:
    data = report_data(report, platform, baseline)
    # The inlined assets contain no "</" (a test checks), so they cannot close their element either.
    values = {
        "TITLE": html.escape(f"compatlint audit {report.rev_range} ({platform})"),
        "STYLE": _asset("audit.css"),
        "DATA": script_json(data),
        "SCRIPT": _asset("audit.js"),
    }
    # One pass over the template: a value that happens to contain "{{SCRIPT}}" is never substituted again.
    return re.sub(r"\{\{([A-Z]+)\}\}", lambda match: values[match.group(1)], _asset("audit.html"))
