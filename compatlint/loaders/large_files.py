"""Very large schema files (a generated one of hundreds of thousands of tables), read without converting
every element, and a new version of one sharing the tables of the earlier version it did not change.

- Each `<table>` child of the root becomes a `DeferredTable` (`loaders.xml`): its name, attributes and line
  are read, the elements inside it are converted when first read. What loading must know of every table
  (whether Propel can read it, which tables its foreign keys name, whether it must be built at load time)
  is asked of lxml with XPath, which runs in C; a table that needs a closer look is converted at once and
  checked as any other.
- A new version of a file parsed before takes over the tables lying in the bytes both versions start
  with, and in the bytes both end with (when the number of lines is the same, so lines did not move): it
  parses only the part between, with the skipped lines kept as empty lines so every line number stays.
  Where each table starts is found on the bytes (`<table`) and confirmed by the parser's count of tables:
  lxml gives no byte positions, and its line numbers stop at 65,535.

Everything here gives the element tree `xml.parse_schema_bytes` gives, down to lines and comments (tests
compare the two); what it saves is the conversion of tables nobody reads.
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from lxml import etree

from ..behaviors import TABLE_BEHAVIORS
from ..platform import PROPEL_TYPES
from .same_text import common_prefix, common_suffix, lines_are_bytes
from .xml import (RawElement, SchemaFileError, add_comments_before_root, convert_table, database_element,
                  deferred_table, parse_root, refuse_unusable_bytes, validate_database, validate_table)

# From this size on a schema file is read this way (below it, converting every table costs less).
LARGE_FROM = 1 << 21

# A table's start tag on the bytes; a match inside a comment or CDATA makes the count disagree with the parser's.
_TABLE_START = rb"<table[\s/>]"  # (patterns compiled when first used: re caches them)
_START_LENGTH = len(b"<table ")
# A type attribute on the bytes: if every value found is a Propel type, no column has another one.
_TYPE_VALUE = rb"""\stype\s*=\s*(?:"([^"]*)"|'([^']*)')"""
_KNOWN_TYPES = frozenset(t.encode() for t in PROPEL_TYPES)
# A table with more children than this is looked at in Python (the XPath test for repeated column names
# compares each column with the ones before it).
_FEW_CHILDREN = 64


@dataclass(slots=True)
class _Indexed:
    """What a later version of a large file needs of this one."""

    raw: RawElement
    data: bytes
    starts: list[int]  # byte offset of each table's start tag, in order
    positions: list[int]  # index in raw.children of each table
    close_tag: bytes  # the root's end tag


_INDEXED: dict[int, _Indexed] = {}  # by id(raw); the few latest


def parse_large_schema_bytes(data: bytes, path: str, earlier: RawElement | None = None) -> RawElement:
    """`xml.parse_schema_bytes` for a large file: tables converted when read; `earlier`: an earlier version
    of the file, whose tables in the unchanged bytes at both ends are taken over."""
    before = _INDEXED.get(id(earlier)) if earlier is not None else None
    if before is not None and before.raw is earlier:
        refuse_unusable_bytes(data, path)
        shared = _sharing_earlier(data, path, before)
        if shared is not None:
            return shared
    root = parse_root(data, path)
    raw, starts = _deferred_database(data, path, root)
    add_comments_before_root(raw, root)
    if starts is not None and not _has_text(root):
        _remember(raw, data, starts, _close_tag(root))
    return raw


def _has_text(root) -> bool:
    """Whether the tree holds any text node (CDATA, or blanks libxml2 kept, included). libxml2 keeps the real
    line of a text node past line 65,535, and an element's line may be read off a text node next to it:
    without any, the lines of an element do not depend on its neighbours, so a part parsed alone gets the
    same."""
    return bool(root.xpath("boolean(//text())"))


def _remember(raw: RawElement, data: bytes, starts: list[int], close_tag: bytes | None) -> None:
    if close_tag is None:
        return
    if len(_INDEXED) >= 4:
        _INDEXED.pop(next(iter(_INDEXED)))
    positions = [i for i, child in enumerate(raw.children) if child.tag == "table"]
    _INDEXED[id(raw)] = _Indexed(raw, data, starts, positions, close_tag)


def _close_tag(root) -> bytes | None:
    name = etree.QName(root).localname
    qualified = f"{root.prefix}:{name}" if root.prefix else name
    return f"</{qualified}>".encode() if qualified.isascii() else None


def _table_starts(data: bytes, root) -> list[int] | None:
    """Byte offset of each `<table>` child of the root, in order; None unless every `<table` on the bytes
    is one of them. Every table start tag without a namespace prefix, at any depth, is found on the bytes,
    so as many finds as such tables among the root's children leave none in a comment or CDATA and no
    table deeper; none of the root's tables may have a prefix either."""
    starts = [match.start() for match in re.finditer(_TABLE_START, data)]
    count = len(starts)
    if root.xpath("count(*[name()='table'])") != count or root.xpath("count(*[local-name()='table'])") != count:
        return None
    return starts


def _deferred_database(data: bytes, path: str, root) -> tuple[RawElement, list[int] | None]:
    """The root as a RawElement whose tables are DeferredTables (each table needing a closer look converted
    and checked), validated as `xml.validate_database` does; with the tables' byte offsets where known."""
    validate_database(database_element(root, path, [], None), path)  # the root's own tag first
    tag = root.tag
    namespace = tag[1:tag.index("}")] if tag[0] == "{" else None
    table_tag = f"{{{namespace}}}table" if namespace else "table"
    markup_is_ascii = lines_are_bytes(data)  # then a name missing from the bytes is in no element
    starts = _table_starts(data, root) if markup_is_ascii else None
    closer_look = _needing_closer_look(data if markup_is_ascii else None, root, namespace, starts)
    keys = _foreign_key_targets(data if markup_is_ascii else None, root, namespace)
    line = root.sourceline
    children: list[RawElement] = []
    pending: list | None = None
    comment = etree.Comment
    intern = sys.intern
    for child in root:
        child_tag = child.tag
        if child_tag.__class__ is not str:
            if child_tag is comment:
                if pending is None:
                    pending = []
                pending.append((child.text or "", child.sourceline or line or 1))
            continue
        if child_tag == table_tag and child not in closer_look:
            attrs = {intern(k): v for k, v in child.items()}
            if not attrs.get("name"):
                raise SchemaFileError(path, child.sourceline, "<table> without a name attribute")
            targets = keys.get(child)
            element = deferred_table(child, path, attrs, pending, tuple(dict.fromkeys(targets)) if targets else ())
        else:
            element = convert_table(child, path, pending)
            if element.tag == "table":
                validate_table(element, path)
        pending = None
        children.append(element)
    return database_element(root, path, children, pending), starts


def _needing_closer_look(data: bytes | None, root, namespace: str | None, starts: list[int] | None) -> set:
    """The root's `<table>` elements that are converted at once: one Propel cannot read (an element without
    the name, foreignTable or value it needs), one with a column name twice or a column type Propel may not
    know, a behavior that adds tables, an element of another namespace, or many children. `data`: the
    file's bytes where its markup is ASCII (what is not on them is in no element), else None."""
    q = "t:" if namespace else ""
    clauses = [f"count(*) > {_FEW_CHILDREN}",
               f"*[self::{q}column or self::{q}parameter or self::{q}behavior or self::{q}table][not(string(@name))]",
               f"{q}column[@name = preceding-sibling::{q}column/@name]"]
    if data is None or b"foreign-key" in data:
        clauses.append(f"{q}foreign-key[not(string(@foreignTable))]")
    if data is None or b"id-method-parameter" in data:
        clauses.append(f"{q}id-method-parameter[not(@value)]")
    if data is None or b"behavior" in data:
        names = " or ".join(f"@name='{name}'" for name in sorted(TABLE_BEHAVIORS))
        clauses.append(f"{q}behavior[{names}]")
    found = set()
    for match in re.finditer(_TYPE_VALUE, data or b""):
        found.add(match.group(1) if match.group(1) is not None else match.group(2))
        if len(found) > len(_KNOWN_TYPES):
            break
    if data is None or not found <= _KNOWN_TYPES:
        clauses.append(f"{q}column[@type][contains(@type, '|') or not(contains($known, concat('|', @type, '|')))]")
    root_part = data[:starts[0]] if data is not None and starts else b"xmlns:"
    if data is None or data.count(b"xmlns") != root_part.count(b"xmlns") or b"xmlns:" in root_part \
            or b"<xml:" in data:  # another namespace may be declared, or the one bound to `xml:` used
        clauses.append("*[namespace-uri() != $namespace]")
    query = f"{q}table[{' or '.join(clauses)}]"
    return set(root.xpath(query, namespaces={"t": namespace} if namespace else None, namespace=namespace or "",
                          known="|" + "|".join(sorted(PROPEL_TYPES)) + "|"))


def _foreign_key_targets(data: bytes | None, root, namespace: str | None) -> dict:
    """The foreignTable of each `<foreign-key>` of each table, in document order, by table element
    (`data`: as for `_needing_closer_look`)."""
    if data is not None and b"foreign-key" not in data:
        return {}
    q = "t:" if namespace else ""
    targets: dict = {}
    for key in root.xpath(f"{q}table/{q}foreign-key", namespaces={"t": namespace} if namespace else None):
        targets.setdefault(key.getparent(), []).append(key.get("foreignTable"))
    return targets


def _sharing_earlier(data: bytes, path: str, before: _Indexed) -> RawElement | None:
    """The new version as a RawElement sharing `before`'s tables at both unchanged ends; None when the two
    cannot be lined up (then the whole file is read)."""
    old, starts = before.data, before.starts
    if not lines_are_bytes(data) or not starts or b"xml:id" in data:
        return None  # (an xml:id must be unique in the whole file: a part parsed alone cannot tell)
    prefix = common_prefix(data, old)
    # tables wholly in the shared first bytes: the next table's start tag lies there too
    within = bisect_right(starts, prefix - _START_LENGTH)
    if within < 1:
        return None  # the root's start tag is not shared: nothing is
    kept_first = within - 1  # tables 0 .. kept_first - 1 are shared (the last of them is parsed again)
    kept_from = len(starts)  # the first table shared from the end (it is parsed again too)
    delta = len(data) - len(old)
    if data.count(b"\n") == old.count(b"\n"):
        suffix = common_suffix(data, old, min(len(data), len(old)) - prefix)
        # tables shared from the end: the table before them starts in the shared last bytes too
        kept_from = max(bisect_left(starts, len(old) - suffix) + 1, kept_first + 1)
    # Parsing starts at the last table shared from the start and ends after the first one shared from the
    # end, so every table in between has its real neighbours (libxml2 may take a line from one).
    sharing_end = kept_from + 1 < len(starts)
    cut = starts[kept_from + 1] + delta if sharing_end else len(data)
    head = data[:starts[0]]
    start = starts[kept_first - 1] if kept_first else starts[0]
    # the skipped lines, kept in a comment (a run of blanks that long would be kept as a text node)
    padding = old.count(b"\n", starts[0], start)
    filler = b"<!--" + b"\n" * padding + b"-->" if padding else b""
    fragment = b"".join((head, filler, data[start:cut], before.close_tag if sharing_end else b""))
    try:
        root = parse_root(fragment, path)
    except SchemaFileError:
        return None  # the whole file is parsed, for the error's own words and line
    raw, fragment_starts = _deferred_database(fragment, path, root)
    shift = start - len(head) - len(filler)  # fragment offset -> offset in `data`
    if not fragment_starts or fragment_starts[0] != len(head) + len(filler) or _has_text(root):
        return None
    if sharing_end and fragment_starts[-1] + shift != starts[kept_from] + delta:
        return None  # the parsed part does not end where the shared tables begin
    old_children = before.raw.children
    tables = [i for i, child in enumerate(raw.children) if child.tag == "table"]
    first = tables[0] + 1 if kept_first else 0
    last = tables[-1] if sharing_end else len(raw.children)
    children = (old_children[:before.positions[kept_first - 1] + 1] if kept_first else []) + raw.children[first:last]
    new_starts = starts[:kept_first] + [offset + shift for offset in fragment_starts[1 if kept_first else 0:
                                                                                     -1 if sharing_end else None]]
    if sharing_end:
        children += old_children[before.positions[kept_from]:]
        new_starts += [offset + delta for offset in starts[kept_from:]]
        comments = list(before.raw.comments)  # before the root and after the last element: shared bytes
    else:
        comments = raw.comments
        add_comments_before_root(raw, root)
    shared = RawElement(raw.tag, raw.attrs, raw.origin, children, raw.attr_origins, comments, raw.sources)
    _remember(shared, data, new_starts, before.close_tag)
    return shared
