"""Which lines two versions of a file share, found on their bytes (for reusing what was parsed before).

A new version of a schema file is mostly the old one with an edit somewhere: every line before the
edit is the same, and when the edit keeps the number of lines, so is every line after it. An element
that lies wholly in such lines (with the root's start tag and the XML declaration unchanged) parses to
exactly what it parsed to before, so its conversion can be taken over without walking it again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CHUNK = 1 << 16
# Encodings in which byte 0x0A is always a line feed and never part of another character (compiled when
# first needed: only files of 8 KiB and more are looked at, and compiling is a good part of an import).
_DECLARED = rb"""<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']"""
_NEWLINE_SAFE = rb"(?i)utf-?8|us-ascii|ascii|iso-8859-\d+|latin-?1|windows-125\d|cp125\d"


@dataclass(frozen=True, slots=True)
class SameLines:
    """Lines 1..`through` are the same in both versions; so is every line after `after` (None: the line
    counts differ, so lines after the edit moved)."""

    through: int
    after: int | None


def _prefix(a: bytes, b: bytes) -> int:
    """Length of the common prefix, compared in chunks (each compare is a C memcmp on two slices)."""
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i:i + _CHUNK] == b[i:i + _CHUNK]:
        i += _CHUNK
    if i >= n:
        return n
    lo, hi = i, min(i + _CHUNK, n)  # a[:lo] == b[:lo]; they differ before hi (or at hi, the shorter's end)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[lo:mid] == b[lo:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _suffix(a: bytes, b: bytes, limit: int) -> int:
    """Length of the common suffix, at most `limit`."""
    la, lb = len(a), len(b)
    i = 0
    while i < limit and a[max(la - i - _CHUNK, la - limit):la - i] == b[max(lb - i - _CHUNK, lb - limit):lb - i]:
        i = min(i + _CHUNK, limit)
    if i >= limit:
        return limit
    lo, hi = i, min(i + _CHUNK, limit)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[la - mid:la - lo] == b[lb - mid:lb - lo]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def lines_are_bytes(data: bytes) -> bool:
    """Whether the file's lines (and its ASCII markup) can be read off its bytes: no carriage return, and
    an encoding in which every ASCII byte stands for that character (not UTF-16/32)."""
    if b"\r" in data or b"\x00" in data[:512] or data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return False
    declared = re.match(_DECLARED, data.removeprefix(b"\xef\xbb\xbf"))
    return not declared or bool(re.fullmatch(_NEWLINE_SAFE, declared.group(1)))


def common_prefix(a: bytes, b: bytes) -> int:
    """Length of the bytes both start with."""
    return _prefix(a, b)


def common_suffix(a: bytes, b: bytes, limit: int) -> int:
    """Length of the bytes both end with, at most `limit`."""
    return _suffix(a, b, limit)


def same_lines(new: bytes, old: bytes) -> SameLines | None:
    """The lines `new` shares with `old`; None where lines cannot be told from newline bytes (UTF-16/32,
    carriage returns, which the XML parser also counts as line breaks)."""
    if not lines_are_bytes(new) or not lines_are_bytes(old):
        return None
    prefix = _prefix(new, old)
    through = new.count(b"\n", 0, prefix)  # each of these lines ends inside the common prefix
    after = None
    if new.count(b"\n") == old.count(b"\n"):
        suffix = _suffix(new, old, min(len(new), len(old)) - prefix)
        start = len(new) - suffix
        after = new.count(b"\n", 0, start) + 1  # the line holding the suffix's first byte may be edited
    return SameLines(through, after)
