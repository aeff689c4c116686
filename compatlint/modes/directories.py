"""Directory mode: compare two folders (`check --base-dir --head-dir`), or a folder with nothing (the
first baseline). Migration files that differ between the folders are checked with the schema change."""

from __future__ import annotations

import os
from dataclasses import replace

from ..findings import Finding
from ..loaders.git import InputError
from ..loaders.patterns import SchemaPatterns
from ..loaders.sources import FileSet, read_directory
from ..pipeline import check
from ..result import LintResult
from ..scope import MigrationFile, Migrations, migration_matcher, platform_of


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
    from ..transfers.check import directory_files, no_transfer_file_hint, transfer_channel

    transfers = directory_files(base_dir, head_dir, config)
    for side, folder, transfer_side in ((base, base_dir, transfers[0]), (head, head_dir, transfers[1])):
        if not side.files and not transfer_side and os.path.isdir(folder):  # a transfer-only project is checked
            raise InputError(f"{folder}: no schema file matches the patterns (e.g. {patterns.project[0]}), "
                             f"{no_transfer_file_hint(config)}; point at the project root or its merged "
                             "src/Orm/Propel/Schema")
    migrations = Migrations(_changed_migration_files(base_dir, head_dir, platform, config))
    channels = [c for c in (transfer_channel(*transfers, config),) if c is not None]
    result = check(base, head, platform, migrations=migrations, channels=channels, config=config, baseline=baseline,
                   **options)
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
    matches = migration_matcher(config)
    before, after = _migration_files_in(base_dir, matches), _migration_files_in(head_dir, matches)
    return [MigrationFile(p, d, platform_of(p, platform)) for p, d in sorted(after.items()) if before.get(p) != d]


def lint_schema_against_empty(repo: str, config=None) -> LintResult:
    """Every finding of the current work tree's schema compared with nothing: for a first baseline."""
    patterns = config.patterns() if config else SchemaPatterns()
    platform = config.platform if config else "mysql"
    head = read_directory(repo, patterns)
    return check(FileSet([], label="(empty)"), head, platform, config=config)
