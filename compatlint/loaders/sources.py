"""Collect the schema files of one side of a comparison: a folder, a git revision, the index, the work tree."""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass, field

from . import git
from .git import InputError
from .merge import SchemaFile
from .patterns import SchemaPatterns
from .xml import symlink_placeholder


@dataclass
class FileSet:
    """The files of one side, with notes for the user (e.g. vendor read from disk)."""

    files: list[SchemaFile]
    label: str
    notes: list[str] = field(default_factory=list)
    # Git entries under the extra folders asked for in the same listing (e.g. the migrations folder).
    extra: list = field(default_factory=list)


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
    """(relative path, absolute path) of every file matching the patterns, found with glob per pattern
    (a real project's vendor/ has far too many files to walk)."""
    base = os.path.abspath(root)
    seen = set()
    for pattern in (*patterns.core, *patterns.project, *patterns.fallback):
        if only_vendor and "vendor/" not in pattern.split("*", 1)[0]:
            continue
        for full in sorted(glob.glob(os.path.join(glob.escape(base), pattern))):
            rel = os.path.relpath(full, base).replace(os.sep, "/")
            if rel in seen or patterns.classify(rel) is None or not (os.path.islink(full) or os.path.isfile(full)):
                continue
            seen.add(rel)
            yield rel, full


def read_directory(root: str, patterns: SchemaPatterns) -> FileSet:
    if not os.path.isdir(root):
        raise InputError(f"{root}: no such directory")
    entries = []
    for rel, full in _walk(root, patterns):
        entries.append((rel, _read(full), None))
    return FileSet(_select(entries, patterns), label=root)


def _read(full: str) -> bytes:
    """A file's bytes; for a symbolic link, never followed, a placeholder that the parser refuses (CL901)."""
    if os.path.islink(full):
        return symlink_placeholder(os.readlink(full))
    try:
        with open(full, "rb") as handle:
            return handle.read()
    except OSError as error:
        raise InputError(f"{full}: cannot read the schema file: {error.strerror}") from None


def _vendor_from_disk(repo: str, patterns: SchemaPatterns) -> list[tuple[str, bytes, None]]:
    return [(rel, _read(full), None) for rel, full in _walk(repo, patterns, only_vendor=True)]


def _entries(repo: str, rev: str | None, patterns: SchemaPatterns, extra: tuple[str, ...] = ()):
    """Schema entries, and the entries under `extra` folders, from one listing."""
    prefixes = patterns.prefixes()
    if prefixes and extra:
        prefixes = sorted(set(prefixes) | set(extra))
    entries = (git.list_index(repo, prefixes, links=True) if rev is None
               else git.list_revision(repo, rev, prefixes, links=True))
    schema = [e for e in entries if patterns.classify(e.path) is not None]
    others = [e for e in entries if any(e.path.startswith(folder + "/") for folder in extra)] if extra else []
    return (schema, others) if extra else schema


def _worktree_bytes(repo: str, path: str) -> bytes | None:
    full = os.path.join(repo, path)
    if os.path.islink(full):
        return symlink_placeholder(os.readlink(full))
    if not os.path.isfile(full):
        return None
    with open(full, "rb") as handle:
        return handle.read()


def _fileset(entries, blobs, patterns, vendor, label, repo: str = ".") -> FileSet:
    rows = []
    for e in entries:
        if e.link:  # never followed: the parser refuses the placeholder (CL901), naming the file
            rows.append((e.path, symlink_placeholder(blobs[e.blob].decode("utf-8", "surrogateescape")), None))
        elif e.blob is None:  # unmerged: the work-tree file, conflict markers and all
            data = _worktree_bytes(repo, e.path)
            if data is not None:
                rows.append((e.path, data, None))
        else:
            rows.append((e.path, blobs[e.blob], e.blob))
    tracked = {e.path for e in entries}
    rows.extend(v for v in (vendor or []) if v[0] not in tracked)
    return FileSet(_select(rows, patterns), label=label)


def read_git(repo: str, rev: str | None, patterns: SchemaPatterns, vendor: list | None = None) -> FileSet:
    """Files at a revision (or the index when `rev` is None), plus vendor files read from disk."""
    entries = _entries(repo, rev, patterns)
    blobs = git.read_blobs(repo, (e.blob for e in entries))
    return _fileset(entries, blobs, patterns, vendor, rev or "index", repo)


def read_git_pair(repo: str, base_rev: str | None, head_rev: str | None, patterns: SchemaPatterns,
                  vendor: list | None = None, extra: tuple[str, ...] = ()) -> tuple[FileSet, FileSet]:
    """Both sides with a single `git cat-file --batch` for all blobs. `None` for head means the index;
    `None` for base means no commit yet (an empty side). Entries under `extra` folders of the head side are
    kept in `FileSet.extra` (listed in the same process)."""
    if base_rev and head_rev:  # two commits: list both at once
        prefixes = patterns.prefixes()
        if prefixes and extra:
            prefixes = sorted(set(prefixes) | set(extra))
        base_all, head_all = git.list_two_revisions(repo, base_rev, head_rev, prefixes, links=True)
        base_entries = [e for e in base_all if patterns.classify(e.path) is not None]
        head_entries = [e for e in head_all if patterns.classify(e.path) is not None]
        head_extra = [e for e in head_all if any(e.path.startswith(folder + "/") for folder in extra)]
    else:
        base_entries = _entries(repo, base_rev, patterns) if base_rev else []
        head_entries, head_extra = _entries(repo, head_rev, patterns, extra) if extra else \
            (_entries(repo, head_rev, patterns), [])
    blobs = git.read_blobs(repo, (e.blob for e in (*base_entries, *head_entries)))
    base = _fileset(base_entries, blobs, patterns, vendor if base_rev else [], base_rev or "(no commit)", repo)
    head = _fileset(head_entries, blobs, patterns, vendor, head_rev or "index", repo)
    head.extra = head_extra
    return base, head


def vendor_rows(repo: str, patterns: SchemaPatterns, base_spec: str, head_spec: str, prefix: str = "") -> tuple[list, list[str]]:
    """Vendor schema files are not in git: read them from disk for both sides when composer.lock is the
    same at both; otherwise still read them, and say that the comparison of core tables is approximate."""
    if not os.path.isdir(os.path.join(repo, prefix, "vendor")):
        return [], []
    rows = _vendor_from_disk(repo, patterns)
    notes = []
    if git.blob_id(repo, base_spec) != git.blob_id(repo, head_spec):
        notes.append("composer.lock differs between the revisions: vendor schema files were read from disk for both sides; "
                     "for an exact comparison run --base-dir/--head-dir on two builds' merged src/Orm/Propel/Schema")
    return rows, notes
