"""`compatlint audit`: every finding of a range of commits, attributed to the commit that introduced it."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field

from .findings import Finding, Severity
from .history import Commit, walk
from .reporters.json import finding_dict


@dataclass
class CommitFindings:
    commit: Commit
    findings: list[Finding]


@dataclass
class AuditReport:
    rev_range: str
    platform: str
    commits: list[CommitFindings] = field(default_factory=list)
    commits_walked: int = 0

    @property
    def findings(self) -> list[Finding]:
        return [f for entry in self.commits for f in entry.findings]

    def by_table(self) -> list[tuple[str, int]]:
        counts = Counter(f.table or "(schema)" for f in self.findings)
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def run_audit(repo: str, rev_range: str, config, first_parent: bool = False, progress=None) -> AuditReport:
    report = AuditReport(rev_range, config.platform)
    walked = 0

    def count(done, total):
        nonlocal walked
        walked = total
        if progress:
            progress(done, total)

    for commit, result in walk(repo, rev_range, config.patterns(), config.platform, config=config,
                               first_parent=first_parent, progress=count):
        # merges keep only what no parent had (see history.walk), so nothing is reported twice
        if result.findings:
            report.commits.append(CommitFindings(commit, result.findings))
    report.commits_walked = walked
    _add_transfer_findings(report, repo, rev_range, config, first_parent)
    return report


def _add_transfer_findings(report: AuditReport, repo: str, rev_range: str, config, first_parent: bool) -> None:
    """Transfer findings (CL7xx) joined to the schema findings of the same commit, in history order."""
    from .transfers.history import walk_transfers

    extra = list(walk_transfers(repo, rev_range, config, first_parent))
    if not extra:
        return
    by_sha = {entry.commit.sha: entry for entry in report.commits}
    for commit, findings in extra:
        if commit.sha in by_sha:
            by_sha[commit.sha].findings = sorted(by_sha[commit.sha].findings + findings, key=Finding.sort_key)
        else:
            by_sha[commit.sha] = CommitFindings(commit, findings)
    from .history import log
    from .loaders import git

    order = {c.sha: i for i, (c, _) in enumerate(log(git.repo_root(repo), rev_range, [], first_parent))}
    report.commits = sorted(by_sha.values(), key=lambda entry: order.get(entry.commit.sha, -1))


def _summary(report: AuditReport) -> dict:
    findings = report.findings
    return {
        "commits": report.commits_walked,
        "commits_with_findings": len(report.commits),
        "findings": len(findings),
        "error": sum(f.severity == Severity.ERROR for f in findings),
        "warning": sum(f.severity == Severity.WARNING for f in findings),
        "info": sum(f.severity == Severity.INFO for f in findings),
    }


def render_audit(report: AuditReport, output_format: str, colour: bool = False) -> str:
    if output_format == "json":
        payload = {
            "version": 1,
            "range": report.rev_range,
            "platform": report.platform,
            "summary": _summary(report),
            "commits": [{
                "sha": entry.commit.sha, "date": entry.commit.date, "author": entry.commit.author,
                "subject": entry.commit.subject, "findings": [finding_dict(f) for f in entry.findings],
            } for entry in report.commits],
            "by_table": dict(report.by_table()),
        }
        return json.dumps(payload, indent=2) + "\n"
    summary = _summary(report)
    lines = [f"{summary['findings']} findings in {summary['commits_with_findings']} of {summary['commits']} commits "
             f"({summary['error']} errors, {summary['warning']} warnings, {summary['info']} info) — "
             f"{report.rev_range}, {report.platform}"]
    for entry in report.commits:
        c = entry.commit
        lines.append(f"{c.sha[:10]} {c.date[:10]} {c.author}  \"{c.subject}\"")
        for f in entry.findings:
            where = f" {f.location}" if f.location else ""
            lines.append(f"    {f.code} {f.name} {f.subject} ({f.severity}){where}")
    if report.findings:
        lines.append("by table: " + " · ".join(f"{table} {n}" for table, n in report.by_table()[:20]))
    return "\n".join(lines) + "\n"
