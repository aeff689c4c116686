"""The schema a standalone migration is played on (`lint-sql --base REF` / `--base-dir DIR`).

Without one, `lint-sql` knows only what the SQL says, and a type, size or nullability change is judged
blind (CL506). With one, the statements are played on the project's schema model exactly as `check`
plays committed migrations (`compatlint.sql.lint.migration_batches`), so narrowing, widening, NULL -> NOT NULL
and the rest get the same CL1xx-CL4xx verdicts at the SQL line.
"""

from __future__ import annotations

from ..loading import load_schema
from ..loaders import git
from ..loaders.git import InputError
from ..loaders.sources import FileSet, read_directory, read_git, vendor_rows
from ..model import Schema
from ..scope import project_prefix


class BaseSchemas:
    """The base schema files, loaded once per platform on first use."""

    def __init__(self, files: FileSet | None, label: str = "(assumed)"):
        self.files = files
        self.label = label
        self.notes: list[str] = list(files.notes) if files is not None else []
        self._loaded: dict[str, Schema] = {}

    def schema(self, platform: str) -> Schema:
        if platform not in self._loaded:
            if self.files is None:
                self._loaded[platform] = Schema(platform=platform, tables={})
            else:
                schema, problems = load_schema(self.files.files, platform)
                broken = next((p for p in problems if p.kind == "invalid-file"), None)
                if broken is not None:  # the base is this run's input: a file it cannot read is bad input
                    raise InputError(f"{broken.origin.path}:{broken.origin.line}: {broken.message}")
                self._loaded[platform] = schema
        return self._loaded[platform]


def base_schemas(config, ref: str | None = None, directory: str | None = None, repo: str = ".") -> BaseSchemas:
    """The schema at git revision `ref` of `repo` (vendor schema files from disk, as `check` reads them), or
    the schema files of `directory`, or none."""
    if ref and directory:
        raise InputError("--base and --base-dir exclude each other: give one")
    patterns = config.patterns()
    if directory:
        files = read_directory(directory, patterns)
        if not files.files:
            raise InputError(f"{directory}: no schema file matches the patterns (e.g. {patterns.project[0]}); "
                             "point at the project root or its merged src/Orm/Propel/Schema")
        return BaseSchemas(files, directory)
    if not ref:
        return BaseSchemas(None)
    root = git.repo_root(repo)
    commit = git.resolve(root, ref)
    prefix = project_prefix(root, config)
    patterns = patterns.under(prefix)
    vendor, notes = vendor_rows(root, patterns, f"{commit}:{prefix}composer.lock", f":{prefix}composer.lock", prefix)
    files = read_git(root, commit, patterns, vendor)
    if not files.files:
        raise InputError(f"no schema file matches the patterns (e.g. {patterns.project[0]}) at {ref}; run from the "
                         "project root or set [schema] globs in compatlint.toml")
    files.notes.extend(notes)
    return BaseSchemas(files, ref)
