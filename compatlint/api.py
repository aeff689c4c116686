"""The library entry points: load both sides, merge, normalise, diff, run rules. The CLI is a thin layer over this."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from typing import Sequence

from . import changes as ev
from .diff import diff_schemas
from .engine import run_rules
from .findings import Finding, Severity
from .loaders import git
from .loaders.git import InputError
from .loaders.merge import LoadProblem
from .loaders.patterns import SchemaPatterns
from .loaders.sources import FileSet, read_directory, read_git_pair, vendor_rows
from .loading import load_schema
from .model import PLATFORMS, Schema
from .registry import all_rules
from .scope import DEFAULT_MIGRATIONS, migration_matcher, project_prefix, staged_schema_change  # noqa: F401
from .rule import Rule

__all__ = ["InputError", "LintResult", "compare", "lint_directories", "lint_git", "load_schema"]

@dataclass
class LintResult:
    findings: list[Finding]
    events: list[ev.Event]
    base: Schema
    head: Schema
    notes: list[str] = field(default_factory=list)
    base_label: str = "base"
    head_label: str = "head"
    suppression: object = None  # compatlint.suppress.Suppression once finalize() ran
    # Head files that could not be used: bad input (exit 2), whatever the rules and suppressions did.
    invalid_files: list[LoadProblem] = field(default_factory=list)
    nothing_to_check: bool = False
    # Git modes run from a sub-folder: the text report shows paths relative to where the user is; the
    # machine formats keep them relative to the repository root, as CI systems resolve them.
    display_prefix: str = ""

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def suppressed(self) -> int:
        return self.suppression.by_directive + self.suppression.by_config + self.suppression.by_baseline \
            if self.suppression else 0

    def input_errors(self) -> list[LoadProblem]:
        """Head files that could not be read as Propel schemas (exit code 2)."""
        return self.invalid_files

    def failed(self, threshold: Severity) -> bool:
        return any(f.severity >= threshold for f in self.findings)


def _problem_key(problem: LoadProblem) -> tuple:
    return (problem.kind, problem.table, problem.column, problem.origin.path, problem.message)


def compare_schemas(base: Schema, base_problems: list[LoadProblem], head: Schema, head_problems: list[LoadProblem],
                    rules: Sequence[type[Rule]] | None = None,
                    severity_overrides: dict[str, Severity] | None = None) -> LintResult:
    """Diff two loaded schemas and run the rules."""
    events = diff_schemas(base, head)
    # Loading problems: broken head files always; merge conflicts only where the change introduced them.
    old = {_problem_key(p) for p in base_problems}
    problem_events = [
        ev.SchemaProblem(p) for p in head_problems
        if p.kind == "invalid-file" or _problem_key(p) not in old
    ]
    events = problem_events + events
    findings = run_rules(rules if rules is not None else all_rules(), events, base, head, severity_overrides)
    result = LintResult(findings, events, base, head)
    result.invalid_files = [p for p in head_problems if p.kind == "invalid-file"]
    return result


def compare(base_files: FileSet, head_files: FileSet, platform: str = "mysql",
            rules: Sequence[type[Rule]] | None = None,
            severity_overrides: dict[str, Severity] | None = None) -> LintResult:
    if platform not in PLATFORMS:
        raise InputError(f"unknown platform {platform!r}: use mysql or pgsql")
    base, base_problems = load_schema(base_files.files, platform)
    head, head_problems = load_schema(head_files.files, platform)
    result = compare_schemas(base, base_problems, head, head_problems, rules, severity_overrides)
    result.notes = [*base_files.notes, *head_files.notes]
    result.base_label, result.head_label = base_files.label, head_files.label
    return result





def add_migrations(result: LintResult, migrations, base_files: FileSet, head_files: FileSet, platform: str,
                   committed_elsewhere: bool = False) -> LintResult:
    """Lint committed migration files of the change together with its schema diff (in timestamp order),
    and flag a schema change without migration where the project commits migrations (CL503)."""
    if not migrations and not committed_elsewhere:
        return result  # the common case: no SQL machinery to import
    from .sql.generate import plan
    from .sql.lint import directives_of, lint_statements, statements_of

    schema_events = [e for e in result.events if not isinstance(e, ev.SchemaProblem)]
    if not migrations:
        if committed_elsewhere:
            from .sql.lint import ddl_signatures

            missing = [e for e in schema_events if ddl_signatures([e])]
            drift = [ev.MigrationDrift("missing", type(e).__name__, e.table_name, e.subject, e.location) for e in missing]
            if drift:
                result.findings = sorted(result.findings + run_rules(all_rules(), drift, result.base, result.head),
                                         key=Finding.sort_key)
                result.events = result.events + drift
        return result
    schemas = {platform: result.base}
    events_by_platform = {platform: schema_events}
    expected_cache: dict[str, list[str]] = {}
    seen = {(f.code, f.table, f.column) for f in result.findings}
    directives = list(result.head.directives)
    for migration in sorted(migrations, key=lambda m: m.path.rsplit("/", 1)[-1]):
        other = migration.platform
        if other not in schemas:  # a migration of the other platform: its own base and schema change
            schemas[other] = load_schema(base_files.files, other)[0]
            events_by_platform[other] = diff_schemas(schemas[other], load_schema(head_files.files, other)[0])
        if other not in expected_cache:
            expected_cache[other] = [s.sql for s in plan(events_by_platform[other], other) if s.sql]
        outcome = lint_statements(statements_of(migration), schemas[other], other, expected_sql=expected_cache[other],
                                  schema_events=events_by_platform[other])
        schemas[migration.platform] = outcome.head
        for finding in outcome.findings:
            key = (finding.code, finding.table, finding.column)
            if finding.code.startswith("CL5") or key not in seen:
                result.findings.append(finding)
                seen.add(key)
        result.events = result.events + outcome.events
        directives += directives_of(outcome.statements)
    result.findings.sort(key=Finding.sort_key)
    result.head = replace(result.head, directives=tuple(directives))
    return result


def finalize(result: LintResult, config=None, baseline: set[str] | None = None) -> LintResult:
    """Apply, in one place, suppression comments, the configuration's select/ignore, severity overrides,
    per-path ignores and the baseline."""
    from .suppress import rule_aliases, apply, with_severity

    require_reason = True if config is None else config.require_reason
    findings = result.findings
    if config is not None and config.severity:
        findings = with_severity(findings, config.severity, rule_aliases())
    outcome = apply(
        findings, result.head.directives, require_reason=require_reason,
        select=config.select if config else (), ignore=config.ignore if config else (),
        per_path_ignores=config.per_path_ignores if config else None, baseline=baseline,
        old_directives=result.base.directives,
    )
    result.findings = outcome.findings
    result.suppression = outcome
    return result


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
                     patterns: SchemaPatterns | None = None, config=None, baseline: set[str] | None = None,
                     **options) -> LintResult:
    patterns = patterns or (config.patterns() if config else SchemaPatterns())
    base = read_directory(base_dir, patterns)
    head = read_directory(head_dir, patterns)
    for side, folder in ((base, base_dir), (head, head_dir)):
        if not side.files:
            raise InputError(f"{folder}: no schema file matches the patterns (e.g. {patterns.project[0]}); "
                             "point at the project root or its merged src/Orm/Propel/Schema")
    result = compare(base, head, platform, **options)
    result = add_migrations(result, _changed_migration_files(base_dir, head_dir, platform, config), base, head,
                            platform, committed_elsewhere=False)
    result = finalize(result, config, baseline)
    result.findings = _display_paths(result.findings, base_dir, head_dir)
    return result


def _migration_files_in(root: str, matches) -> dict[str, bytes]:
    found = {}
    for folder, _, names in os.walk(os.path.join(root, "src", "Orm", "Propel")):
        for name in names:
            full = os.path.join(folder, name)
            rel = os.path.relpath(full, root).replace(os.sep, "/")
            if matches(rel) and not os.path.islink(full):
                with open(full, "rb") as handle:
                    found[rel] = handle.read()
    return found


def _changed_migration_files(base_dir: str, head_dir: str, platform: str, config):
    from .scope import MigrationFile, platform_of

    matches = migration_matcher(config)
    before, after = _migration_files_in(base_dir, matches), _migration_files_in(head_dir, matches)
    return [MigrationFile(p, d, platform_of(p, platform)) for p, d in sorted(after.items()) if before.get(p) != d]


STAGED = None  # `head=STAGED`: the index


def lint_git(repo: str, base_ref: str = "HEAD", head_ref: str | None = STAGED, platform: str = "mysql",
             patterns: SchemaPatterns | None = None, merge_base: bool = True, config=None,
             baseline: set[str] | None = None, **options) -> LintResult:
    """Compare a revision with another revision or with the index (staged changes)."""
    patterns = patterns or (config.patterns() if config else SchemaPatterns())
    quick = git.toplevel_and_commits(repo, base_ref, head_ref) if head_ref is not None else None
    root = quick[0] if quick else git.repo_root(repo)
    prefix = project_prefix(root, config)
    patterns = patterns.under(prefix)
    if quick:
        base_commit, head_commit = quick[1], quick[2]
        if merge_base and base_commit != head_commit:
            base_commit = git.merge_base(root, base_commit, head_commit, labels=(base_ref, head_ref))
    elif head_ref is None and base_ref == "HEAD" and git.blob_id(root, "HEAD") is None:
        base_commit = head_commit = None  # first commit: everything staged is new
    elif head_ref is None:
        base_commit, head_commit = git.resolve(root, base_ref), None
    else:
        base_commit, head_commit = git.resolve_many(root, base_ref, head_ref)
        if merge_base and base_commit != head_commit:
            base_commit = git.merge_base(root, base_commit, head_commit, labels=(base_ref, head_ref))
    result = _lint_commits(root, base_commit, head_commit, patterns, prefix, platform, config, baseline, options)
    result.base_label, result.head_label = base_ref, head_ref or "index"
    if head_commit is None:
        # Concluding a merge: only what differs from every parent is this commit's change (like pre-commit,
        # which looks at files that differ from both parents), not the other branch's own changes.
        other = git.blob_id(root, "MERGE_HEAD^{commit}")
        if other:
            against = _lint_commits(root, other, None, patterns, prefix, platform, config, baseline, options)
            kept = {(f.fingerprint, f.message) for f in against.findings}
            result.findings = [f for f in result.findings if (f.fingerprint, f.message) in kept]
    rel = os.path.relpath(root)
    result.display_prefix = "" if rel == "." else rel
    return result


def _lint_commits(root, base_commit, head_commit, patterns, prefix, platform, config, baseline, options) -> LintResult:
    vendor, notes = vendor_rows(root, patterns, f"{base_commit}:{prefix}composer.lock" if base_commit else ":missing",
                                f"{head_commit}:{prefix}composer.lock" if head_commit else f":{prefix}composer.lock",
                                prefix)
    migrations_folder = prefix + "src/Orm/Propel"
    base, head = read_git_pair(root, base_commit, head_commit, patterns, vendor, extra=(migrations_folder,))
    head.notes.extend(notes)
    if base_commit and head_commit and not base.files and not head.files:
        raise InputError(f"no schema file matches the patterns (e.g. {patterns.project[0]}) at either revision; "
                         "run from the project root or set [schema] globs in compatlint.toml")
    result = compare(base, head, platform, **options)
    migrations, committed = _changed_migrations_git(root, base_commit, head_commit, platform, config, prefix,
                                                    listing=head.extra)
    result = add_migrations(result, migrations, base, head, platform, committed_elsewhere=committed)
    return finalize(result, config, baseline)


def _changed_migrations_git(root: str, base_commit: str | None, head_commit: str | None, platform: str, config,
                            prefix: str = "", listing=None):
    """Migration files added or changed between the two sides (read at head), and whether the project
    commits migrations at all (any migration file tracked at head)."""
    from .scope import MigrationFile, platform_of

    matches = migration_matcher(config, prefix)
    folder = [prefix + "src/Orm/Propel"]
    if listing is None:
        listing = git.list_index(root, folder) if head_commit is None else git.list_revision(root, head_commit, folder)
    tracked = [e for e in listing if matches(e.path)]
    if not tracked:
        return [], False
    before = {} if base_commit is None else {e.path: e.blob for e in git.list_revision(root, base_commit, folder)}
    changed = [e for e in tracked if before.get(e.path) != e.blob]
    blobs = git.read_blobs(root, [e.blob for e in changed])
    files = []
    for entry in changed:
        data = blobs.get(entry.blob) if entry.blob else _read_worktree(root, entry.path)
        if data is not None:
            files.append(MigrationFile(entry.path, data, platform_of(entry.path, platform)))
    return files, True


def _read_worktree(root: str, path: str) -> bytes | None:
    full = os.path.join(root, path)
    if not os.path.isfile(full) or os.path.islink(full):
        return None
    with open(full, "rb") as handle:
        return handle.read()


def empty_result(platform: str, base_label: str, head_label: str, note: str | None = None) -> LintResult:
    """The result of a comparison that had nothing to compare (e.g. no schema file staged)."""
    empty = Schema(platform=platform, tables={})
    result = LintResult([], [], empty, empty, notes=[note] if note else [], base_label=base_label, head_label=head_label)
    result.nothing_to_check = True
    return result


def lint_schema_against_empty(repo: str, config=None) -> LintResult:
    """Every finding of the current work tree's schema compared with nothing: for a first baseline."""
    patterns = config.patterns() if config else SchemaPatterns()
    platform = config.platform if config else "mysql"
    head = read_directory(repo, patterns)
    result = compare(FileSet([], label="(empty)"), head, platform)
    return finalize(result, config)
