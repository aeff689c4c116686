"""What belongs to the project: its folder in the repository, its migration files, and the cheap test
of the pre-commit fast path (light imports only: git and the file patterns)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from .loaders import git
from .loaders.patterns import SchemaPatterns

MIGRATION_PLATFORM = (("Migration_pgsql", "pgsql"), ("Migration_mysql", "mysql"))


def platform_of(path: str, default: str) -> str:
    for marker, platform in MIGRATION_PLATFORM:
        if marker in path:
            return platform
    return default


@dataclass
class MigrationFile:
    path: str
    data: bytes
    platform: str


def migration_matcher(config=None, prefix: str = ""):
    from .config import DEFAULT_MIGRATIONS
    from .loaders.patterns import compile_globs

    globs = tuple(prefix + g for g in (config.migrations if config is not None else DEFAULT_MIGRATIONS))
    regex = compile_globs(globs)
    return lambda path: bool(regex and regex.match(path))


def project_prefix(root: str, config) -> str:
    """The project's folder inside the repository ("" at the root): where its configuration file is."""
    if config is None or not config.path:
        return ""
    folder = os.path.relpath(os.path.realpath(config.root), os.path.realpath(root)).replace(os.sep, "/")
    if folder == "." or folder.startswith(".."):
        return ""
    return folder + "/"


def staged_schema_change(repo: str, patterns: SchemaPatterns | None = None, config=None) -> bool:
    """Cheap test for the pre-commit path: is any schema file, migration or composer.lock staged?"""
    patterns = patterns or SchemaPatterns()
    root = git.repo_root(repo)
    if git.blob_id(root, "HEAD") is None:
        return True  # no commit yet: everything staged is new
    prefix = project_prefix(root, config)
    patterns = patterns.under(prefix)
    matches = migration_matcher(config, prefix)
    transfers = _transfer_patterns(config).under(prefix)
    return any(patterns.classify(p) is not None or p == prefix + "composer.lock" or matches(p)
               or transfers.classify(p) is not None for p in git.changed_paths(root, "HEAD", None))


def _transfer_patterns(config):
    from .transfers.patterns import TransferPatterns

    return config.transfer_patterns() if config is not None else TransferPatterns()


@dataclass
class Migrations:
    """The migration files a change adds or edits, and whether the project commits migrations at all
    (then a schema change that needs DDL but comes without a migration is CL503 "missing")."""

    files: list[MigrationFile] = field(default_factory=list)
    committed: bool = False
