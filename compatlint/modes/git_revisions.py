"""Git mode: compare two revisions (their merge base with the head), or a revision with the index (the
staged change, as pre-commit sees it); migration files added or changed between them are checked with
the schema change."""

from __future__ import annotations

import os

from ..loaders import git
from ..loaders.git import InputError
from ..loaders.patterns import SchemaPatterns
from ..loaders.sources import read_git_pair, vendor_rows
from ..pipeline import check
from ..result import LintResult
from ..scope import MigrationFile, Migrations, migration_matcher, platform_of, project_prefix


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
    from ..transfers.check import git_files, no_transfer_file_hint, transfer_channel

    transfers = git_files(root, base_commit, head_commit, config, prefix)
    if base_commit and head_commit and not base.files and not head.files and not any(transfers):
        raise InputError(f"no schema file matches the patterns (e.g. {patterns.project[0]}) at either revision, "
                         f"{no_transfer_file_hint(config)}; run from the project root or set [schema] or "
                         "[transfers] globs in compatlint.toml")
    files, committed = _changed_migrations_git(root, base_commit, head_commit, platform, config, prefix,
                                               listing=head.extra)
    channels = [c for c in (transfer_channel(*transfers, config),) if c is not None]
    return check(base, head, platform, migrations=Migrations(files, committed), channels=channels, config=config,
                 baseline=baseline, **options)


def _changed_migrations_git(root: str, base_commit: str | None, head_commit: str | None, platform: str, config,
                            prefix: str = "", listing=None):
    """Migration files added or changed between the two sides (read at head), and whether the project
    commits migrations at all (any migration file tracked at head)."""
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
