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
from .loaders.sources import FileSet, read_directory, read_git_pair, vendor_rows
from .loaders.xml import RawElement, SchemaFileError, adopt_equal_tables, parse_schema_bytes
from .model import PLATFORMS, Schema, distinct_keyed_tables
from .normalize import build_schema
from .progress import step as progress_step
from .registry import all_rules
from .scope import DEFAULT_MIGRATIONS, migration_matcher, project_prefix, staged_schema_change  # noqa: F401
from .rule import Rule

__all__ = ["InputError", "LintResult", "compare", "lint_directories", "lint_git", "load_schema"]

# Parsed files by (path, blob id or content): a file unchanged between two sides is parsed once.
_PARSED: dict[tuple[str, object], RawElement | SchemaFileError] = {}


def parse_file(schema_file: SchemaFile, previous: SchemaFile | None = None) -> RawElement | SchemaFileError:
    """`previous`: an earlier version of the same file, whose equal tables the new one takes over."""
    key = (schema_file.path, schema_file.blob or schema_file.data)
    cached = _PARSED.get(key)
    if cached is None:
        earlier = parse_file(previous) if previous is not None and previous.path == schema_file.path else None
        try:
            cached = parse_schema_bytes(schema_file.data, schema_file.path,
                                        None if isinstance(earlier, SchemaFileError) else earlier)
        except SchemaFileError as error:
            cached = error
        if len(_PARSED) > 20000:
            _PARSED.clear()
        _PARSED[key] = cached
    return cached


# Merged groups by their files' identities, with the problems the merge found.
_MERGED: dict[tuple, tuple[RawElement, list[LoadProblem]]] = {}


def merge_files(group: list[SchemaFile], parsed: list[RawElement], problems: list[LoadProblem]) -> RawElement:
    if len(parsed) == 1:
        return parsed[0]
    key = tuple((f.path, f.blob or f.data) for f in group)
    cached = _MERGED.get(key)
    if cached is None:
        found: list[LoadProblem] = []
        cached = (merge_group(parsed, found), found)
        if len(_MERGED) > 5000:
            _MERGED.clear()
        _MERGED[key] = cached
    problems.extend(cached[1])
    return cached[0]


def _adopt_from_base(base_files: Iterable[SchemaFile], head_files: Iterable[SchemaFile]) -> set[str]:
    """A head file that changed keeps the base version's equal tables (their builds are reused and
    the diff skips them): a large file with one edit is built and diffed once, not twice. Returns the
    basenames of the files that differ between the sides."""
    before = {f.path: f for f in base_files}
    changed = set()
    for schema_file in head_files:
        old = before.pop(schema_file.path, None)
        if old is None or (old.blob or old.data) != (schema_file.blob or schema_file.data):
            changed.add(schema_file.basename)
            if old is not None:
                adopt_equal_tables(parse_file(schema_file, old), parse_file(old))
    changed.update(f.basename for f in before.values())  # files only the base side has
    return changed


def load_schema(files: Iterable[SchemaFile], platform: str) -> tuple[Schema, list[LoadProblem]]:
    """Parse, merge by basename and normalise one side. Problems never stop the load."""
    problems: list[LoadProblem] = []
    invalid: list[str] = []
    databases = []
    files = list(files)
    groups = group_files(files)
    for number, group in enumerate(groups.values(), 1):
        parsed, usable = [], []
        for schema_file in group:
            result = parse_file(schema_file)
            if isinstance(result, SchemaFileError):
                invalid.append(schema_file.path)
                problems.append(LoadProblem("invalid-file", result.message, error_origin(result)))
            else:
                parsed.append(result)
                usable.append(schema_file)
        if parsed:
            databases.append(merge_files(usable, parsed, problems))
        progress_step("files", number, len(groups))  # a bar only inside `progress.showing("files", ...)`
    schema = build_schema(databases, platform, problems, invalid, [f.path for f in files])
    directives = tuple(d for f in files if has_directive(f) for d in file_directives(f))
    if directives:
        schema = replace(schema, directives=directives)
    return schema, problems


_HAS_DIRECTIVE: dict[tuple[str, object], bool] = {}


def has_directive(schema_file: SchemaFile) -> bool:
    key = (schema_file.path, schema_file.blob or schema_file.data)
    found = _HAS_DIRECTIVE.get(key)
    if found is None:
        if len(_HAS_DIRECTIVE) > 50000:
            _HAS_DIRECTIVE.clear()
        found = _HAS_DIRECTIVE[key] = b"compatlint:" in schema_file.data
    return found


def file_directives(schema_file: SchemaFile):
    from .suppress import xml_directives

    parsed = parse_file(schema_file)
    return [] if isinstance(parsed, SchemaFileError) else xml_directives(parsed)


def error_origin(error: SchemaFileError):
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
                    severity_overrides: dict[str, Severity] | None = None, maybe_changed=None) -> LintResult:
    """Diff two loaded schemas and run the rules (`maybe_changed`: see `diff_schemas`)."""
    events = diff_schemas(base, head, maybe_changed)
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
    changed = _adopt_from_base(base_files.files, head_files.files)
    head, head_problems = load_schema(head_files.files, platform)
    if changed:
        head = replace(head, tables=distinct_keyed_tables(base.tables, dict(head.tables), changed))
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
    from .transfers.check import add_transfers, directory_files, no_transfer_file_hint

    transfers = directory_files(base_dir, head_dir, config)
    for side, folder, transfer_side in ((base, base_dir, transfers[0]), (head, head_dir, transfers[1])):
        if not side.files and not transfer_side and os.path.isdir(folder):  # a transfer-only project is checked
            raise InputError(f"{folder}: no schema file matches the patterns (e.g. {patterns.project[0]}), "
                             f"{no_transfer_file_hint(config)}; point at the project root or its merged "
                             "src/Orm/Propel/Schema")
    result = compare(base, head, platform, **options)
    result = add_migrations(result, _changed_migration_files(base_dir, head_dir, platform, config), base, head,
                            platform, committed_elsewhere=False)
    result = add_transfers(result, *transfers, config)  # after the SQL channel, which reads schema events only
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
    from .transfers.check import add_transfers, git_files, no_transfer_file_hint

    transfers = git_files(root, base_commit, head_commit, config, prefix)
    if base_commit and head_commit and not base.files and not head.files and not any(transfers):
        raise InputError(f"no schema file matches the patterns (e.g. {patterns.project[0]}) at either revision, "
                         f"{no_transfer_file_hint(config)}; run from the project root or set [schema] or "
                         "[transfers] globs in compatlint.toml")
    result = compare(base, head, platform, **options)
    migrations, committed = _changed_migrations_git(root, base_commit, head_commit, platform, config, prefix,
                                                    listing=head.extra)
    result = add_migrations(result, migrations, base, head, platform, committed_elsewhere=committed)
    result = add_transfers(result, *transfers, config)  # after the SQL channel, which reads schema events only
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
