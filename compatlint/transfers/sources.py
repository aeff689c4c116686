"""Collect the transfer files of one side: a folder, a git revision, the index. Vendor files are not in
git: in git modes they are read from disk for both sides, as the schema loader does."""

from __future__ import annotations

import glob
import os

from ..loaders import git
from ..loaders.xml import symlink_placeholder
from .merge import TransferFile
from .patterns import TransferPatterns


def _walk(root: str, patterns: TransferPatterns, only_vendor: bool = False):
    base = os.path.abspath(root)
    seen = set()
    for pattern in (*patterns.core, *patterns.project):
        if only_vendor and "vendor/" not in pattern.split("*", 1)[0]:
            continue
        for full in sorted(glob.glob(os.path.join(glob.escape(base), pattern))):
            rel = os.path.relpath(full, base).replace(os.sep, "/")
            if rel in seen or not (os.path.islink(full) or os.path.isfile(full)) or patterns.classify(rel) is None:
                continue
            seen.add(rel)
            yield rel, full


def _read(full: str) -> bytes:
    """A file's bytes; for a symbolic link, never followed, a placeholder the parser refuses (CL901)."""
    from ..errors import InputError

    if os.path.islink(full):
        return symlink_placeholder(os.readlink(full))
    try:
        with open(full, "rb") as handle:
            return handle.read()
    except OSError as error:
        raise InputError(f"{full}: cannot read the transfer file: {error.strerror}") from None


def read_directory(root: str, patterns: TransferPatterns) -> list[TransferFile]:
    if patterns.empty or not os.path.isdir(root):
        return []
    return [TransferFile(rel, _read(full), patterns.classify(rel) == "core" or rel.startswith("vendor/"))
            for rel, full in _walk(root, patterns)]


def vendor_files(repo: str, patterns: TransferPatterns, prefix: str = "") -> list[TransferFile]:
    if patterns.empty or not os.path.isdir(os.path.join(repo, prefix, "vendor")):
        return []
    return [TransferFile(rel, _read(full), True) for rel, full in _walk(repo, patterns, only_vendor=True)]


def _listing(repo: str, rev: str | None, patterns: TransferPatterns):
    prefixes = patterns.prefixes()
    entries = (git.list_index(repo, prefixes, links=True) if rev is None
               else git.list_revision(repo, rev, prefixes, links=True))
    return [e for e in entries if patterns.classify(e.path) is not None]


def read_git_pair(repo: str, base_rev: str | None, head_rev: str | None, patterns: TransferPatterns,
                  prefix: str = "") -> tuple[list[TransferFile], list[TransferFile]]:
    """Both sides (head None: the index; base None: no commit yet), one `cat-file --batch` for all blobs."""
    if patterns.empty:
        return [], []
    base_entries = _listing(repo, base_rev, patterns) if base_rev else []
    head_entries = _listing(repo, head_rev, patterns)
    blobs = git.read_blobs(repo, (e.blob for e in (*base_entries, *head_entries)))
    vendor = vendor_files(repo, patterns, prefix)

    def side(entries, with_vendor: bool) -> list[TransferFile]:
        files = []
        for e in entries:
            if e.link:  # never followed: the parser refuses the placeholder (CL901), naming the link
                target = blobs[e.blob].decode("utf-8", "surrogateescape")
                files.append(TransferFile(e.path, symlink_placeholder(target), patterns.classify(e.path) == "core"))
            elif e.blob is None:  # unmerged: the work-tree file
                full = os.path.join(repo, e.path)
                if os.path.islink(full) or os.path.isfile(full):
                    files.append(TransferFile(e.path, _read(full), patterns.classify(e.path) == "core"))
            else:
                files.append(TransferFile(e.path, blobs[e.blob], patterns.classify(e.path) == "core", e.blob))
        tracked = {f.path for f in files}
        if with_vendor:
            files.extend(v for v in vendor if v.path not in tracked)
        return files

    return side(base_entries, bool(base_rev)), side(head_entries, True)
