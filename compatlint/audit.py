"""`compatlint audit`: every finding of a range of commits, attributed to the commit that introduced it."""

from __future__ import annotations

import bisect
from collections import Counter
from typing import NamedTuple

from .change_log import describe
from .findings import Finding, Severity, counted
from .history import Commit, read_range, walk
from .loaders import git
from .reporters.indented_json import dumps as indented_json
from .reporters.json import finding_dict


# Plain classes and a named tuple, not dataclasses: those are generated code, compiled at import.
class CommitFindings:
    """A commit and the findings it introduced."""

    def __init__(self, commit: Commit, findings: list[Finding]):
        self.commit = commit
        self.findings = findings


class Tag(NamedTuple):
    """A tag on a commit of the range."""

    name: str
    sha: str
    # Where the tag falls among the findings-bearing commits: this many of them are in the tagged commit.
    position: int


class AuditReport:
    """What `run_audit` found in a range, for the reporters."""

    def __init__(self, rev_range: str, platform: str):
        self.rev_range = rev_range
        self.platform = platform
        self.commits: list[CommitFindings] = []
        self.commits_walked = 0
        # Findings a suppression comment, the configuration or the baseline left out: (commit, finding, means,
        # reason).
        self.left_out: list[tuple[Commit, Finding, str, str]] = []
        # Every change event of the range: (commit, table, one line of text), oldest first.
        self.changes: list[tuple[Commit, str, str]] = []
        self.tags: list[Tag] = []
        # The commits of the range that change a schema file, oldest first (parents before children).
        self.walked: list[Commit] = []
        self.head_sha: str | None = None
        self.repository_uri: str | None = None

    @property
    def findings(self) -> list[Finding]:
        return [f for entry in self.commits for f in entry.findings]

    def by_table(self, findings=None) -> list[tuple[str, int]]:
        counts = Counter(f.table or "(schema)" for f in (self.findings if findings is None else findings))
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def _on_transfer(finding) -> bool:
    """A finding about a transfer (its `table` is the transfer's name): it points into a transfer file."""
    return finding.location is not None and finding.location.path.endswith(".transfer.xml")


def run_audit(repo: str, rev_range: str, config, first_parent: bool = False, progress=None,
              baseline: set[str] | None = None, changes: bool = True) -> AuditReport:
    """`changes=False`: leave `AuditReport.changes` empty (only the HTML report shows them)."""
    report = AuditReport(rev_range, config.platform)
    walked = 0

    def count(done, total):
        nonlocal walked
        walked = total
        if progress:
            progress(done, total)

    commits = read_range(repo, rev_range, first_parent)  # one `git log` for the schema and the transfer walks
    for commit, result in walk(repo, rev_range, config.patterns(), config.platform, config=config,
                               first_parent=first_parent, progress=count, baseline=baseline, commits=commits):
        report.walked.append(commit)
        # merges keep only what no parent had (see history.walk), so nothing is reported twice
        if result.findings:
            report.commits.append(CommitFindings(commit, result.findings))
        if result.suppression is not None:
            report.left_out += [(commit, f, means, why) for f, means, why in result.suppression.left_out]
        if changes:
            report.changes += [(commit, e.table_name, describe(e)) for e in result.events if e.table_name]
    report.commits_walked = walked
    _add_transfer_findings(report, repo, commits, config, first_parent, baseline)
    return report


def _add_transfer_findings(report: AuditReport, repo: str, commits: list, config, first_parent: bool,
                           baseline: set[str] | None) -> None:
    """Transfer findings (CL7xx) joined to the schema findings of the same commit, in history order."""
    from .transfers.history import walk_transfers

    extra = list(walk_transfers(repo, commits, config, first_parent, baseline))
    if not extra:
        return
    by_sha = {entry.commit.sha: entry for entry in report.commits}
    for commit, findings, left_out in extra:
        report.left_out += [(commit, f, means, why) for f, means, why in left_out]
        if not findings:
            continue
        if commit.sha in by_sha:
            by_sha[commit.sha].findings = sorted(by_sha[commit.sha].findings + findings, key=Finding.sort_key)
        else:
            by_sha[commit.sha] = CommitFindings(commit, findings)
    order = {c.sha: i for i, (c, _) in enumerate(commits)}
    report.commits = sorted(by_sha.values(), key=lambda entry: order.get(entry.commit.sha, -1))
    walked = {c.sha: c for c in report.walked}
    walked.update((commit.sha, commit) for commit, *_ in extra)
    report.walked = sorted(walked.values(), key=lambda commit: order.get(commit.sha, -1))


def add_repository_facts(report: AuditReport, repo: str, first_parent: bool = False) -> None:
    """The range's newest commit, the `origin` remote and the tags on commits of the range (for the
    formats that show them); a failing git call leaves the fact out."""
    root = git.repo_root(repo)
    order = ["--first-parent"] if first_parent else []
    listed = git.git(root, "rev-list", "--reverse", "--topo-order", *order, "--end-of-options", report.rev_range,
                     check=False).decode().split()
    report.head_sha = listed[-1] if listed else None
    remote = git.git(root, "config", "--get", "remote.origin.url", check=False).decode().strip()
    report.repository_uri = remote or None
    position = {sha: n for n, sha in enumerate(listed)}
    bearing = sorted(position[entry.commit.sha] for entry in report.commits if entry.commit.sha in position)
    refs = git.git(root, "for-each-ref", "--sort=refname", "--format=%(refname:short)%00%(objectname)%00%(*objectname)",
                   "refs/tags", check=False).decode("utf-8", "replace")
    for line in refs.splitlines():
        name, target, peeled = (line.split("\0") + ["", ""])[:3]
        sha = peeled or target
        if sha in position:
            report.tags.append(Tag(name, sha, bisect.bisect_right(bearing, position[sha])))
    report.tags.sort(key=lambda tag: (position[tag.sha], tag.name))


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
        return indented_json(payload) + "\n"
    summary = _summary(report)
    lines = [f"{counted(summary['findings'], 'finding')} in {summary['commits_with_findings']} of "
             f"{counted(summary['commits'], 'commit')} ({counted(summary['error'], 'error')}, "
             f"{counted(summary['warning'], 'warning')}, {summary['info']} info) — "
             f"{report.rev_range}, {report.platform}"]
    for entry in report.commits:
        c = entry.commit
        lines.append(f"{c.sha[:10]} {c.date[:10]} {c.author}  \"{c.subject}\"")
        for f in entry.findings:
            where = f" {f.location}" if f.location else ""
            lines.append(f"    {f.code} {f.name} {f.subject} ({f.severity}){where}")
    schema = [f for f in report.findings if not _on_transfer(f)]
    transfers = [f for f in report.findings if _on_transfer(f)]
    for label, findings in (("by table", schema), ("by transfer", transfers)):
        if findings:
            lines.append(f"{label}: " + " · ".join(f"{name} {n}" for name, n in report.by_table(findings)[:20]))
    return "\n".join(lines) + "\n"
