"""The library entry points: load both sides, merge, normalise, diff, run rules. The CLI is a thin layer over this."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from typing import Iterable, Sequence

from . import changes as ev
from .diff import diff_schemas
from .engine import run_rules
from .findings import Finding, Severity
from .loaders import git
from .loaders.git import InputError
from .loaders.merge import LoadProblem, SchemaFile, group_files, merge_group
from .loaders.patterns import SchemaPatterns
from .loaders.sources import FileSet, read_directory, read_git, vendor_rows
from .loaders.xml import RawElement, SchemaFileError, parse_schema_bytes
from .model import PLATFORMS, Schema
from .normalize import build_schema
from .registry import all_rules
from .rule import Rule

__all__ = ["InputError", "LintResult", "compare", "lint_directories", "lint_git", "load_schema"]

# Parsed files by (path, blob id or content): a file unchanged between two sides is parsed once.
_PARSED: dict[tuple[str, object], RawElement | SchemaFileError] = {}


def _parse(schema_file: SchemaFile) -> RawElement | SchemaFileError:
    key = (schema_file.path, schema_file.blob or schema_file.data)
    cached = _PARSED.get(key)
    if cached is None:
        try:
            cached = parse_schema_bytes(schema_file.data, schema_file.path)
        except SchemaFileError as error:
            cached = error
        if len(_PARSED) > 20000:
            _PARSED.clear()
        _PARSED[key] = cached
    return cached


def load_schema(files: Iterable[SchemaFile], platform: str) -> tuple[Schema, list[LoadProblem]]:
    """Parse, merge by basename and normalise one side. Problems never stop the load."""
    problems: list[LoadProblem] = []
    invalid: list[str] = []
    databases = []
    files = list(files)
    for _, group in group_files(files).items():
        parsed = []
        for schema_file in group:
            result = _parse(schema_file)
            if isinstance(result, SchemaFileError):
                invalid.append(schema_file.path)
                problems.append(LoadProblem("invalid-file", result.message, _origin(result)))
            else:
                parsed.append(result)
        if parsed:
            databases.append(merge_group(parsed, problems))
    schema = build_schema(databases, platform, problems, invalid, [f.path for f in files])
    return schema, problems


def _origin(error: SchemaFileError):
    from .model import Origin

    return Origin(error.path, error.line or 1)


@dataclass
class LintResult:
    findings: list[Finding]
    events: list[ev.Event]
    base: Schema
    head: Schema
    notes: list[str] = field(default_factory=list)
    base_label: str = "base"
    head_label: str = "head"

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def failed(self, threshold: Severity) -> bool:
        return any(f.severity >= threshold for f in self.findings)


def _problem_key(problem: LoadProblem) -> tuple:
    return (problem.kind, problem.table, problem.column, problem.origin.path, problem.message)


def compare(base_files: FileSet, head_files: FileSet, platform: str = "mysql",
            rules: Sequence[type[Rule]] | None = None,
            severity_overrides: dict[str, Severity] | None = None) -> LintResult:
    if platform not in PLATFORMS:
        raise InputError(f"unknown platform {platform!r}: use mysql or pgsql")
    base, base_problems = load_schema(base_files.files, platform)
    head, head_problems = load_schema(head_files.files, platform)
    events = diff_schemas(base, head)
    # Loading problems: broken head files always; merge conflicts only where the change introduced them.
    old = {_problem_key(p) for p in base_problems}
    problem_events = [
        ev.SchemaProblem(p, "head") for p in head_problems
        if p.kind == "invalid-file" or _problem_key(p) not in old
    ]
    events = problem_events + events
    findings = run_rules(rules if rules is not None else all_rules(), events, base, head, severity_overrides)
    return LintResult(findings, events, base, head, notes=[*base_files.notes, *head_files.notes],
                      base_label=base_files.label, head_label=head_files.label)


def _display_paths(findings: list[Finding], base_root: str, head_root: str) -> list[Finding]:
    out = []
    for finding in findings:
        loc = finding.location
        if loc is None:
            out.append(finding)
            continue
        root = base_root if finding.side == "base" else head_root
        out.append(replace(finding, location=replace(loc, path=os.path.join(root, loc.path))))
    return out


def lint_directories(base_dir: str, head_dir: str, platform: str = "mysql",
                     patterns: SchemaPatterns | None = None, **options) -> LintResult:
    patterns = patterns or SchemaPatterns()
    base = read_directory(base_dir, patterns)
    head = read_directory(head_dir, patterns)
    result = compare(base, head, platform, **options)
    result.findings = _display_paths(result.findings, base_dir, head_dir)
    return result


STAGED = None  # `head=STAGED`: the index


def lint_git(repo: str, base_ref: str = "HEAD", head_ref: str | None = STAGED, platform: str = "mysql",
             patterns: SchemaPatterns | None = None, merge_base: bool = True, **options) -> LintResult:
    """Compare a revision with another revision or with the index (staged changes)."""
    patterns = patterns or SchemaPatterns()
    root = git.repo_root(repo)
    head_commit = git.resolve(root, head_ref) if head_ref is not None else None
    if head_ref is None and base_ref == "HEAD" and git.blob_id(root, "HEAD") is None:
        base_commit = None  # first commit: everything staged is new
    else:
        base_commit = git.resolve(root, base_ref)
        if merge_base and head_commit is not None:
            base_commit = git.merge_base(root, base_commit, head_commit)
    vendor, notes = vendor_rows(root, patterns, f"{base_commit}:composer.lock" if base_commit else ":missing",
                                f"{head_commit}:composer.lock" if head_commit else ":composer.lock")
    base = read_git(root, base_commit, patterns, vendor) if base_commit else FileSet([], label="(no commit)")
    head = read_git(root, head_commit, patterns, vendor)
    base.label, head.label = base_ref, head_ref or "index"
    head.notes.extend(notes)
    result = compare(base, head, platform, **options)
    rel = os.path.relpath(root)
    if rel != ".":
        result.findings = _display_paths(result.findings, rel, rel)
    return result


def staged_schema_change(repo: str, patterns: SchemaPatterns | None = None) -> bool:
    """Cheap test for the pre-commit path: is any schema file (or composer.lock) staged?"""
    patterns = patterns or SchemaPatterns()
    root = git.repo_root(repo)
    if git.blob_id(root, "HEAD") is None:
        return True  # no commit yet: everything staged is new
    return any(patterns.classify(p) is not None or p == "composer.lock" for p in git.changed_paths(root, "HEAD", None))
