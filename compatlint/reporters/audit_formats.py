"""`check`'s machine formats for an audit, each finding attributed to the commit that introduced it.

Where the commit goes, per format:
- sarif: `run.versionControlProvenance` (the repository and the range's newest commit, when the repository
  has an `origin` remote with a URL) and, per result, `properties.commit`/`author`/`commitDate`/`subject`
  and `provenance.firstDetectionTimeUtc` (the commit's author date, in UTC);
- github: the annotation title names the commit; the message says who introduced it, when and in which commit;
- gitlab: the description names the commit; fingerprints stay unique per finding and commit;
- junit: one `<testsuite>` per commit (its `timestamp` the author date in UTC), its `<properties>` holding the
  commit, author, date and subject;
- markdown: one section per commit, with its author, date and subject.
"""

from __future__ import annotations

import hashlib
import html
import re
from datetime import datetime, timezone
from xml.sax.saxutils import quoteattr

from ..findings import Severity, counted
from .github import LEVEL as GITHUB_LEVEL, escape_data, escape_property
from .gitlab import SEVERITY as GITLAB_SEVERITY
from .indented_json import dumps as indented_json
from .json import clean_path
from .junit import test_case
from .sarif import descriptors, driver, result_entry, sarif_log


def _pairs(report):
    return [(entry.commit, f) for entry in report.commits for f in entry.findings]


def _counts(report) -> dict[Severity, int]:
    findings = report.findings
    return {s: sum(f.severity == s for f in findings) for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)}


def _introduced(commit) -> str:
    return f"introduced in {commit.sha[:10]} by {commit.author} on {commit.date[:10]}: {commit.subject}"


def _utc(date: str) -> str | None:
    try:
        return datetime.fromisoformat(date).astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        return None


# --- sarif --------------------------------------------------------------------------------------

def render_audit_sarif(report, *, platform: str, **_) -> str:
    rules, index = descriptors()
    results = []
    for commit, f in _pairs(report):
        entry = result_entry(f, index)
        entry["properties"].update({"commit": commit.sha, "author": commit.author, "commitDate": commit.date,
                                    "subject": commit.subject})
        detected = _utc(commit.date)
        if detected:
            entry["provenance"] = {"firstDetectionTimeUtc": detected}
        results.append(entry)
    run = {
        "tool": driver(rules),
        "properties": {"platform": platform, "range": report.rev_range, "commits": report.commits_walked,
                       "head": report.head_sha},
        "results": results,
    }
    if report.repository_uri and re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", report.repository_uri) and report.head_sha:
        run["versionControlProvenance"] = [{"repositoryUri": report.repository_uri, "revisionId": report.head_sha}]
    return indented_json(sarif_log(run)) + "\n"


# --- github -------------------------------------------------------------------------------------

def render_audit_github(report, *, platform: str, **_) -> str:
    lines = []
    for commit, f in _pairs(report):
        props = []
        if f.location is not None:
            props.append(f"file={escape_property(f.location.path)}")
            if f.location.line:
                props.append(f"line={f.location.line}")
        props.append(f"title={escape_property(f'{f.code} {f.name} ({commit.sha[:10]})')}")
        message = f"{f.message}\n{_introduced(commit)}" + (f"\nsafe path: {f.safe_path}" if f.safe_path else "")
        lines.append(f"::{GITHUB_LEVEL[f.severity]} {','.join(props)}::{escape_data(message)}")
    counts = _counts(report)
    lines.append(f"compatlint audit {escape_data(report.rev_range)}: {counted(len(report.findings), 'finding')} "
                 f"({counted(counts[Severity.ERROR], 'error')}, {counted(counts[Severity.WARNING], 'warning')}) in "
                 f"{len(report.commits)} of {report.commits_walked} commits on {platform}")
    return "\n".join(lines) + "\n"


# --- gitlab -------------------------------------------------------------------------------------

def render_audit_gitlab(report, **_) -> str:
    issues = []
    seen: set[str] = set()
    for commit, f in _pairs(report):
        fingerprint = hashlib.sha256(f"{f.fingerprint}|{commit.sha}".encode()).hexdigest()[:16]
        if fingerprint in seen:  # GitLab collapses equal fingerprints: keep every finding distinct
            fingerprint = hashlib.sha256(f"{fingerprint}|{f.message}|{len(seen)}".encode()).hexdigest()[:16]
        seen.add(fingerprint)
        issues.append({
            "type": "issue",
            "description": f"{f.code} {f.name}: {f.message} ({_introduced(commit)})",
            "check_name": f.code,
            "categories": ["Compatibility"],
            "fingerprint": fingerprint,
            "severity": GITLAB_SEVERITY[f.severity],
            "location": {
                "path": clean_path(f.location.path) if f.location else "",
                "lines": {"begin": (f.location.line or 1) if f.location else 1},
            },
        })
    return indented_json(issues) + "\n"


# --- junit --------------------------------------------------------------------------------------

def render_audit_junit(report, *, platform: str, threshold: Severity = Severity.ERROR, **_) -> str:
    suites = []
    for entry in report.commits:
        c = entry.commit
        failures = sum(1 for f in entry.findings if f.severity >= threshold)
        properties = "".join(f'        <property name="{key}" value={quoteattr(value)}/>\n' for key, value in
                             (("commit", c.sha), ("author", c.author), ("date", c.date), ("subject", c.subject)))
        cases = "\n".join("    " + test_case(f, threshold) for f in entry.findings)
        utc = _utc(c.date)
        timestamp = f' timestamp="{utc[:-1]}"' if utc else ""  # JUnit's timestamp has no zone: UTC
        suites.append(f'  <testsuite name={quoteattr(f"{c.sha[:10]} {c.subject}")} tests="{len(entry.findings)}" '
                      f'failures="{failures}" errors="0"{timestamp}>\n      <properties>\n{properties}      </properties>\n'
                      f'{cases}\n  </testsuite>')
    if not suites:
        suites.append(f'  <testsuite name={quoteattr(f"compatlint audit ({platform})")} tests="1" failures="0" errors="0">\n'
                      '    <testcase classname="compatlint" name="no backward-incompatible schema change in the range"/>\n'
                      '  </testsuite>')
    findings = report.findings
    tests = max(len(findings), 1)
    failures = sum(1 for f in findings if f.severity >= threshold)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<testsuites name={quoteattr(f"compatlint audit {report.rev_range} ({platform})")} tests="{tests}" '
            f'failures="{failures}" errors="0">\n' + "\n".join(suites) + "\n</testsuites>\n")


# --- markdown -----------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|#])")


def _md(text: str) -> str:
    """Untrusted text as literal Markdown: HTML escaped, Markdown punctuation backslash-escaped, one line."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False)).replace("\n", " ")


def render_audit_markdown(report, *, platform: str, **_) -> str:
    counts = _counts(report)
    head = (f"**compatlint audit** ({platform}, `{report.rev_range.replace('`', '')}`): "
            f"{counts[Severity.ERROR]} errors, {counts[Severity.WARNING]} warnings, {counts[Severity.INFO]} info "
            f"in {len(report.commits)} of {report.commits_walked} commits")
    lines = [head, ""]
    for entry in report.commits:
        c = entry.commit
        lines += [f"### `{c.sha[:10]}` {_md(c.subject)}", "", f"{_md(c.author)} · {c.date[:10]}", "",
                  "| | finding | where | safe path |", "|---|---|---|---|"]
        for f in entry.findings:
            where = f"`{f.location.path.rsplit('/', 1)[-1].replace('`', '')}:{f.location.line}`" if f.location else ""
            subject = f" {_md(f.subject)}" if f.subject else ""
            lines.append(f"| {f.severity} | {f.code} {f.name}{subject}: {_md(f.message)} | {where} | "
                         f"{_md(f.safe_path or '—')} |")
        lines.append("")
    if not report.commits:
        lines.append("No backward-incompatible schema change in the range.")
        lines.append("")
    return "\n".join(lines)
