"""Loading one side of a comparison: parse each schema file (lxml, hardened), merge the files of one
basename as `propel:schema:copy` does, and normalise the merged databases into the frozen model
(behaviors expanded; each table when first read, `lazy_tables`). Parsing and merging are cached by
file identity, so a file unchanged between two sides, or between the commits of a history walk, is
parsed and merged once.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Iterable

from .loaders.large_files import LARGE_FROM, parse_large_schema_bytes
from .loaders.merge import LoadProblem, SchemaFile, group_files, merge_group
from .loaders.xml import RawElement, SchemaFileError, adopt_equal_tables, parse_schema_bytes
from .model import Origin, Schema
from .lazy_tables import build_schema
from .progress import step as progress_step

# Parsed files by (path, blob id or content): a file unchanged between two sides is parsed once.
_PARSED: dict[tuple[str, object], RawElement | SchemaFileError] = {}


def parse_file(schema_file: SchemaFile, previous: SchemaFile | None = None) -> RawElement | SchemaFileError:
    """The file's element tree, or the error that makes it unusable (cached by path and blob).
    `previous`: an earlier version of the same file, whose equal tables the new one takes over."""
    key = (schema_file.path, schema_file.blob or schema_file.data)
    cached = _PARSED.get(key)
    if cached is None:
        earlier = parse_file(previous) if previous is not None and previous.path == schema_file.path else None
        if isinstance(earlier, SchemaFileError):
            earlier = None
        parse = parse_large_schema_bytes if len(schema_file.data) >= LARGE_FROM else parse_schema_bytes
        try:
            cached = parse(schema_file.data, schema_file.path, earlier)
        except SchemaFileError as error:
            cached = error
        if len(_PARSED) > 20000:
            _PARSED.clear()
        _PARSED[key] = cached
    return cached


# Merged groups by their files' identities, with the problems the merge found.
_MERGED: dict[tuple, tuple[RawElement, list[LoadProblem]]] = {}


def merge_files(group: list[SchemaFile], parsed: list[RawElement], problems: list[LoadProblem]) -> RawElement:
    """One database element for the files of one basename (cached by their identities); adds the merge's
    problems to `problems`."""
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


def adopt_from_base(base_files: Iterable[SchemaFile], head_files: Iterable[SchemaFile]) -> set[str]:
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
                parsed_before = (schema_file.path, schema_file.blob or schema_file.data) in _PARSED
                new = parse_file(schema_file, old)  # a fresh parse takes over the equal tables itself
                if parsed_before:
                    adopt_equal_tables(new, parse_file(old))
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
    """Whether the file may hold a suppression comment (a cheap byte test, cached)."""
    key = (schema_file.path, schema_file.blob or schema_file.data)
    found = _HAS_DIRECTIVE.get(key)
    if found is None:
        if len(_HAS_DIRECTIVE) > 50000:
            _HAS_DIRECTIVE.clear()
        found = _HAS_DIRECTIVE[key] = b"compatlint:" in schema_file.data
    return found


def file_directives(schema_file: SchemaFile):
    """The suppression comments of one schema file."""
    from .suppress import xml_directives

    parsed = parse_file(schema_file)
    return [] if isinstance(parsed, SchemaFileError) else xml_directives(parsed)


def error_origin(error: SchemaFileError) -> Origin:
    """Where an unusable file's problem points (line 1 when the parser names none)."""
    return Origin(error.path, error.line or 1)
