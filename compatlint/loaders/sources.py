"""Collect the schema files of one side of a comparison: a folder, a git revision, the index, the work tree."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from . import git
from .git import InputError
from .merge import SchemaFile
from .patterns import SchemaPatterns


@dataclass
class FileSet:
    """The files of one side, with notes for the user (e.g. vendor read from disk)."""

    files: list[SchemaFile]
    label: str
    notes: list[str] = field(default_factory=list)


def _select(paths_and_data, patterns: SchemaPatterns) -> list[SchemaFile]:
    module, fallback = [], []
    for path, data, blob in paths_and_data:
        kind = patterns.classify(path)
        if kind is None:
            continue
        target = fallback if kind == "fallback" else module
        target.append(SchemaFile(path, data, core=(kind == "core" or "/vendor/" in f"/{path}"), blob=blob))
    # A merged output folder (or plain schema.xml) only counts when there are no module files.
    return module if module else fallback


def _walk(root: str, patterns: SchemaPatterns, only_vendor: bool = False):
    base = os.path.abspath(root)
    starts = ["vendor"] if only_vendor else (patterns.prefixes() or [""])
    seen = set()
    for start in starts:
        top = os.path.join(base, start) if start else base
        if not os.path.isdir(top):
            if start and os.path.isfile(top):
                top = os.path.dirname(top)
            else:
                continue
        for directory, dirnames, filenames in os.walk(top):
            rel_dir = os.path.relpath(directory, base).replace(os.sep, "/")
            rel_dir = "" if rel_dir == "." else rel_dir + "/"
            if not only_vendor and rel_dir.startswith(("vendor/", ".git/", "node_modules/")) and "vendor" not in starts:
                dirnames[:] = []
                continue
            dirnames[:] = [d for d in dirnames if d not in (".git", "node_modules")]
            for name in filenames:
                if not name.endswith(".xml"):
                    continue
                rel = rel_dir + name
                if rel in seen or patterns.classify(rel) is None:
                    continue
                full = os.path.join(directory, name)
                if os.path.islink(full):
                    continue
                seen.add(rel)
                yield rel, full


def read_directory(root: str, patterns: SchemaPatterns) -> FileSet:
    if not os.path.isdir(root):
        raise InputError(f"{root}: no such directory")
    entries = []
    for rel, full in _walk(root, patterns):
        with open(full, "rb") as handle:
            entries.append((rel, handle.read(), None))
    return FileSet(_select(entries, patterns), label=root)


def _vendor_from_disk(repo: str, patterns: SchemaPatterns) -> list[tuple[str, bytes, None]]:
    entries = []
    for rel, full in _walk(repo, patterns, only_vendor=True):
        with open(full, "rb") as handle:
            entries.append((rel, handle.read(), None))
    return entries


def read_git(repo: str, rev: str | None, patterns: SchemaPatterns, vendor: list | None = None) -> FileSet:
    """Files at a revision (or the index when `rev` is None), plus vendor files read from disk."""
    prefixes = patterns.prefixes()
    entries = git.list_index(repo, prefixes) if rev is None else git.list_revision(repo, rev, prefixes)
    entries = [e for e in entries if patterns.classify(e.path) is not None]
    blobs = git.read_blobs(repo, (e.blob for e in entries))
    rows = [(e.path, blobs[e.blob], e.blob) for e in entries]
    tracked = {e.path for e in entries}
    rows.extend(v for v in (vendor or []) if v[0] not in tracked)
    return FileSet(_select(rows, patterns), label=rev or "index")


def vendor_rows(repo: str, patterns: SchemaPatterns, base_spec: str, head_spec: str) -> tuple[list, list[str]]:
    """Vendor schema files are not in git: read them from disk for both sides when composer.lock is the
    same at both; otherwise still read them, and say that the comparison of core tables is approximate."""
    if not os.path.isdir(os.path.join(repo, "vendor")):
        return [], []
    rows = _vendor_from_disk(repo, patterns)
    notes = []
    if git.blob_id(repo, base_spec) != git.blob_id(repo, head_spec):
        notes.append("composer.lock differs between the revisions: vendor schema files were read from disk for both sides; "
                     "for an exact comparison run --base-dir/--head-dir on two builds' merged src/Orm/Propel/Schema")
    return rows, notes
