"""Safe parsing of one Propel schema file into a light element tree that keeps source lines.

The parser never resolves entities, never loads a DTD and never touches the network; a file with a
DOCTYPE is refused outright (Propel schema files never need one, and refusing it is the only way to
be sure an entity-expansion bomb or an external entity is not expanded somewhere downstream).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping

from lxml import etree

from ..model import Origin
from .same_text import SameLines, same_lines


_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    dtd_validation=False,
    huge_tree=False,
    remove_blank_text=True,
    remove_pis=True,
)


class SchemaFileError(Exception):
    """A schema file that cannot be used: bad XML or not Propel's structure."""

    def __init__(self, path: str, line: int | None, message: str):
        super().__init__(f"{path}:{line or 1}: {message}")
        self.path = path
        self.line = line
        self.message = message


@dataclass(slots=True)
class RawElement:
    """An XML element as Propel reads it: local tag name, attributes, children, comments."""

    tag: str
    attrs: dict[str, str]
    origin: Origin
    children: list["RawElement"] = field(default_factory=list)
    # The file that set an attribute, where a merge set it from another file than the element's own
    # (absent: the element's own origin).
    attr_origins: dict[str, Origin] = field(default_factory=dict)
    # XML comments directly before this element, and inside it (suppression directives live here).
    comments: list[tuple[str, int]] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)


def _local(tag: str) -> str:
    return tag.rpartition("}")[2] if tag[0] == "{" else tag


_Comment = etree.Comment
# "{spryker:schema-01}column" -> "column": a handful of distinct tags, seen once per element.
_LOCAL_TAGS: dict[str, str] = {}


def _local_tag(raw_tag: str) -> str:
    tag = _local(raw_tag)
    if len(_LOCAL_TAGS) < 512:  # bounded: a hostile file may invent any number of tags
        _LOCAL_TAGS[raw_tag] = tag
    return tag


# `Origin(path, line)` made in C, without the call of its `__new__` (an Origin is a tuple): one per element.
_new_origin = tuple.__new__
_new_object = object.__new__


def _convert(element, path: str, depth: int = 0, raw_tag: str | None = None,
             earlier: dict[str, RawElement] | None = None, same: SameLines | None = None) -> RawElement:
    """lxml element -> RawElement. Hot path: runs once per element of every parsed file. `earlier`: an
    earlier version's table elements by name, taken instead of an equal one as soon as it is converted;
    `same`: the lines this version shares with that one, whose tables are taken without converting them."""
    line = element.sourceline
    origin = _new_origin(Origin, (path, line))
    attrs = dict(element.items())
    if depth == 0 and any(k[0] == "{" for k in attrs):  # namespaced attributes live on the root only
        attrs = {_local(k): v for k, v in attrs.items()}
    if raw_tag is None:
        raw_tag = element.tag
    tag = _LOCAL_TAGS.get(raw_tag) or _local_tag(raw_tag)
    children: list[RawElement] = []
    pending = None
    if same is not None and not _root_start_same(element, same):
        same = None
    previous_line = None  # of the last element child (not a comment)
    for child in element:
        child_tag = child.tag
        if child_tag.__class__ is not str:
            if child_tag is _Comment:
                if pending is None:
                    pending = []
                pending.append((child.text or "", child.sourceline or line or 1))
            continue
        if same is not None:
            before = _unchanged_table(child, child_tag, path, earlier, same, previous_line)
            previous_line = child.sourceline
            if before is not None:  # its text, the comments before it and its lines are as before
                children.append(before)
                pending = None
                continue
        if depth and not len(child):  # a leaf below a table (most elements): built here, without a call
            # (each field stored here costs half of calling the class: its `__init__` runs in a frame of its own)
            converted = _new_object(RawElement)
            converted.tag = _LOCAL_TAGS.get(child_tag) or _local_tag(child_tag)
            converted.attrs = dict(child.items())
            converted.origin = _new_origin(Origin, (path, child.sourceline))
            converted.children = converted.comments = converted.sources = _NONE
            converted.attr_origins = _NO_ORIGINS
        else:
            converted = _convert(child, path, depth + 1, child_tag)
        if pending:
            converted.comments = pending + list(converted.comments)
            pending = None
        if earlier:
            converted = _equal_earlier(converted, earlier)
        children.append(converted)
    # Trailing comments inside the element belong to it. Most elements have no comments, merge origins,
    # sources or children: they share one empty value each (a merge copies what it changes, see `_own`).
    converted = _new_object(RawElement)  # the fields stored as for a leaf
    converted.tag = tag
    converted.attrs = attrs
    converted.origin = origin
    converted.children = children or _NONE
    converted.attr_origins = _NO_ORIGINS
    converted.comments = pending or ([] if depth == 0 else _NONE)
    converted.sources = [path] if depth < 2 else _NONE
    return converted


_NONE: tuple = ()
_NO_ORIGINS: Mapping[str, Origin] = MappingProxyType({})


def database_element(root, path: str, children: list[RawElement], trailing_comments: list) -> RawElement:
    """The RawElement `_convert` makes of the lxml root element, with the given children and comments."""
    attrs = {_intern(k): v for k, v in root.items()}
    if any(k[0] == "{" for k in attrs):
        attrs = {_local(k): v for k, v in attrs.items()}
    tag = _LOCAL_TAGS.get(root.tag) or _local_tag(root.tag)
    return RawElement(tag, attrs, Origin(path, root.sourceline), children or _NONE, _NO_ORIGINS,
                      trailing_comments or [], [path])


def convert_table(element, path: str, comments_before: list | None = None) -> RawElement:
    """lxml element (a child of the root, e.g. a `<table>`) -> RawElement, with the comments found before it."""
    converted = _convert(element, path, 1)
    if comments_before:
        converted.comments = comments_before + list(converted.comments)
    return converted


class _Unconverted:
    """What a DeferredTable's children slot holds until it is read."""

    __slots__ = ("element", "path", "outline")

    def __init__(self, element, path: str, outline: tuple[str, ...]):
        self.element = element  # the lxml element (it keeps its document alive)
        self.path = path
        self.outline = outline


_CHILDREN_SLOT = RawElement.children  # the dataclass's slot descriptors, beneath DeferredTable's properties
_COMMENTS_SLOT = RawElement.comments


def _converted_children(table: "DeferredTable"):
    held = _CHILDREN_SLOT.__get__(table)
    if held.__class__ is _Unconverted:
        converted = convert_table(held.element, held.path, _COMMENTS_SLOT.__get__(table) or None)
        _CHILDREN_SLOT.__set__(table, converted.children)
        _COMMENTS_SLOT.__set__(table, converted.comments)
    table.__class__ = RawElement  # same layout: from now on a plain element
    return _CHILDREN_SLOT.__get__(table)


def _set_children(table: "DeferredTable", value) -> None:
    _converted_children(table)
    _CHILDREN_SLOT.__set__(table, value)


def _converted_comments(table: "DeferredTable"):
    _converted_children(table)
    return _COMMENTS_SLOT.__get__(table)


def _set_comments(table: "DeferredTable", value) -> None:
    _converted_children(table)
    _COMMENTS_SLOT.__set__(table, value)


class DeferredTable(RawElement):
    """A `<table>` of a large file whose elements are converted when first read (`loaders.large_files`).
    Its tag, attributes, origin and sources are set; reading `children` or `comments` converts the table
    exactly as `_convert` would have, and the object becomes a plain RawElement (same slots)."""

    __slots__ = ()
    children = property(_converted_children, _set_children)
    comments = property(_converted_comments, _set_comments)

    def __eq__(self, other):
        _converted_children(self)
        if other.__class__ is DeferredTable:
            _converted_children(other)
        return self == other

    __hash__ = None  # type: ignore[assignment]


def deferred_table(element, path: str, attrs: dict[str, str], comments_before: list | None,
                   outline: tuple[str, ...]) -> RawElement:
    """A DeferredTable for the lxml `<table>` element (a child of the root in the root's namespace) whose
    attributes are `attrs`; `outline`: the tables its foreign keys name (see `deferred_outline`)."""
    table = RawElement("table", attrs, Origin(path, element.sourceline), _Unconverted(element, path, outline),
                       _NO_ORIGINS, comments_before or _NONE, [path])
    table.__class__ = DeferredTable
    return table


def deferred_outline(element: RawElement) -> tuple[str, ...] | None:
    """The tables a DeferredTable's foreign keys name, found without converting it; None for any other
    element (a table already converted, or a plain element)."""
    if element.__class__ is DeferredTable:
        return _CHILDREN_SLOT.__get__(element).outline
    return None

# lxml reports line numbers above this one as this one: such a line says nothing about where a node is.
_LAST_EXACT_LINE = 65535


def _root_start_same(root, same: SameLines) -> bool:
    """The XML declaration and the root's start tag (its namespaces) lie in the shared first lines."""
    first = next(iter(root), None)
    line = first.sourceline if first is not None else None
    return line is not None and line < _LAST_EXACT_LINE and line <= same.through


def _unchanged_table(child, child_tag: str, path: str, earlier: dict[str, RawElement], same: SameLines,
                     previous_line: int | None) -> RawElement | None:
    """The earlier version's element for a `<table>` child of the root lying wholly in shared lines, with
    the comments before it: before the edit (the next node starts in the shared first lines), or after it
    (the previous element starts after the edit, in lines that did not move). Its conversion would equal
    that element (same text, same lines, same namespaces in scope), so that element is taken as it is."""
    if _LOCAL_TAGS.get(child_tag) != "table":
        return None
    before = earlier.get(child.get("name"))
    if before is None or before.tag != "table" or before.origin.line != child.sourceline or before.origin.path != path:
        return None
    if same.after is not None and previous_line is not None and previous_line > same.after:
        return before  # a reported line is never above the real one: the previous element is after the edit
    following = child.getnext()
    line = following.sourceline if following is not None else None
    if line is not None and line < _LAST_EXACT_LINE and line <= same.through:
        return before
    return None


_REFUSED = "DOCTYPE declarations are refused (entities and external DTDs are a security risk)"

# What the loaders put in place of a symbolic link's content: a link is never followed (it may point out of the
# repository, and git stores only its target), so the file is unusable input and says so.
_SYMLINK = b"\0compatlint:symlink\0"


def symlink_placeholder(target: str) -> bytes:
    """The bytes standing for a schema file that is a symbolic link to `target`."""
    return _SYMLINK + target.encode("utf-8", "surrogateescape")


def _doctype_line(data: bytes) -> int | None:
    """Line of a DOCTYPE in the raw bytes, in UTF-8/ASCII or (BOM or NUL bytes) UTF-16/32."""
    # Each "<!" is found by its "!": a one-byte search runs at memchr speed, and "!" is rare in XML where
    # "<" starts every tag (a search for "<!" stopped at each); a case-insensitive regex looked at every byte.
    bang = data.find(b"!", 1)
    while bang >= 0:
        if data[bang - 1] == 0x3C and data[bang + 1:bang + 8].upper() == b"DOCTYPE":  # 0x3C: "<"
            return data.count(b"\n", 0, bang - 1) + 1
        bang = data.find(b"!", bang + 1)
    if b"\x00" in data[:512] or data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        for encoding in ("utf-16", "utf-32", "utf-16-le", "utf-16-be"):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            at = text.upper().find("<!DOCTYPE")
            if at >= 0:
                return text.count("\n", 0, at) + 1
    return None


# Attribute names: a few dozen distinct ones, each otherwise a new string per element of every file.
_intern = sys.intern


def parse_root(data: bytes, path: str):
    """The lxml root element of one schema file's bytes, parsed safely (no DOCTYPE, entities, DTD or
    network); SchemaFileError (file and line) when the bytes are no usable XML."""
    refuse_unusable_bytes(data, path)
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as error:
        line = error.lineno or 1
        message = error.msg or str(error)
        raise SchemaFileError(path, line, f"not well-formed XML: {message}") from None
    if root is None:
        raise SchemaFileError(path, 1, "no root element")
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise SchemaFileError(path, 1, _REFUSED)  # whatever the encoding, nothing with a DTD is used
    return root


def refuse_unusable_bytes(data: bytes, path: str) -> None:
    """SchemaFileError for a symbolic link's placeholder, a DOCTYPE anywhere, or no content at all."""
    if data.startswith(_SYMLINK):
        target = data[len(_SYMLINK):].decode("utf-8", "replace")
        raise SchemaFileError(path, 1, f"a symbolic link (to {target}), which compatlint does not follow: replace "
                              "the link with the schema file itself (Spryker reads the link's target, so its tables would go unchecked)")
    line = _doctype_line(data)
    if line is not None:
        raise SchemaFileError(path, line, _REFUSED)
    if not data or data.isspace():
        raise SchemaFileError(path, 1, "empty file: no <database> element")


def parse_schema_bytes(data: bytes, path: str, earlier: RawElement | None = None) -> RawElement:
    """Parse one file's bytes into its `<database>` element; raise SchemaFileError when unusable.
    `earlier`: the element of an earlier version of the same file; its equal tables are taken over (see
    `adopt_equal_tables`) while converting, so a large file with one edit never holds two copies."""
    root = parse_root(data, path)
    tables = same = None
    if earlier is not None:
        declared = [element for element in earlier.children if element.tag == "table"]
        tables = {element.attrs.get("name"): element for element in declared}
        earlier_data = _SOURCES.get(id(earlier))
        if earlier_data is not None and earlier_data[0] is earlier and len(tables) == len(declared) \
                and len(data) >= _SHARED_LINES_FROM:
            same = same_lines(data, earlier_data[1])  # (a name declared twice: which one is which is not looked at)
    raw = _convert(root, path, earlier=tables, same=same)
    add_comments_before_root(raw, root)
    validate_database(raw, path)
    if len(_SOURCES) > 20000:
        _SOURCES.clear()
    _SOURCES[id(raw)] = (raw, data)
    return raw


# Below this size converting every table costs less than looking for the lines two versions share (measured
# on a history of mostly small files: from about 4 KB on, the tables taken over pay for the look).
_SHARED_LINES_FROM = 1 << 13

# Each parsed file's bytes by its element (kept with it, so the id stays valid): a later version of the
# file is compared with them to find the lines the two share.
_SOURCES: dict[int, tuple[RawElement, bytes]] = {}


def adopt_equal_tables(new: RawElement | SchemaFileError, old: RawElement | SchemaFileError) -> None:
    """Put an earlier version's table elements into a new version of the same file where they are equal
    (same attributes, children, comments and lines: e.g. the part of the file before an edit), so that
    what was built from them is found again by identity and reused (`model.distinct_keyed_tables` says
    which of them the diff must still see)."""
    if isinstance(new, SchemaFileError) or isinstance(old, SchemaFileError) or new is old:
        return
    previous = {element.attrs.get("name"): element for element in old.children if element.tag == "table"}
    for position, element in enumerate(new.children):
        new.children[position] = _equal_earlier(element, previous)


def _equal_earlier(element: RawElement, earlier: dict[str, RawElement]) -> RawElement:
    if element.tag != "table" or element.__class__ is DeferredTable:
        return element
    before = earlier.get(element.attrs.get("name"))
    if before is not None and before is not element and before.__class__ is not DeferredTable \
            and before.origin == element.origin and before == element:
        return before
    return element


_NAMED = {"table", "column", "parameter", "behavior"}


def validate_database(database: RawElement, path: str) -> None:
    """Raise SchemaFileError at the first element Propel cannot read (in document order)."""
    if database.tag != "database":
        raise SchemaFileError(path, database.origin.line, f"unknown root element <{database.tag}>: expected <database>")
    for table in database.children:
        if table.tag == "table":
            validate_table(table, path)


def validate_table(table: RawElement, path: str) -> None:
    """Raise SchemaFileError when the table, or one of its elements, lacks what Propel needs."""
    if not table.attrs.get("name"):
        raise SchemaFileError(path, table.origin.line, "<table> without a name attribute")
    for child in table.children:  # (one element each: the tag is looked at once, the kinds exclude each other)
        tag = child.tag
        if tag in _NAMED:
            if not child.attrs.get("name"):
                raise SchemaFileError(path, child.origin.line, f"<{tag}> in table {table.attrs['name']} without a name attribute")
        elif tag == "foreign-key":
            if not child.attrs.get("foreignTable"):
                raise SchemaFileError(path, child.origin.line, f"<foreign-key> in table {table.attrs['name']} without foreignTable")
        elif tag == "id-method-parameter" and "value" not in child.attrs:
            raise SchemaFileError(path, child.origin.line, f"<id-method-parameter> in table {table.attrs['name']} without value")


def safe_root(data: bytes, path: str, expected: str):
    """The lxml root element of another kind of Spryker XML file (e.g. `*.transfer.xml`), parsed with the
    same safety as schema files: DOCTYPE refused, no entities, no DTD, no network. SchemaFileError (file and
    line) when unusable or when the root element is not `expected`."""
    line = _doctype_line(data)
    if line is not None:
        raise SchemaFileError(path, line, _REFUSED)
    if not data.strip():
        raise SchemaFileError(path, 1, f"empty file: no <{expected}> element")
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as error:
        raise SchemaFileError(path, error.lineno or 1, f"not well-formed XML: {error.msg or error}") from None
    if root is None:
        raise SchemaFileError(path, 1, "no root element")
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise SchemaFileError(path, 1, _REFUSED)
    tag = _local(root.tag) if isinstance(root.tag, str) else ""
    if tag != expected:
        raise SchemaFileError(path, root.sourceline, f"unknown root element <{tag}>: expected <{expected}>")
    return root


def element_tree(root, path: str) -> RawElement:
    """An lxml root element as a RawElement tree with its comments (where suppression directives live)."""
    raw = _convert(root, path)
    add_comments_before_root(raw, root)
    return raw


def add_comments_before_root(raw: RawElement, root) -> None:
    """Put the comments before the root element (file-level directives) first in `raw.comments`."""
    previous = root.getprevious()
    while previous is not None:
        if previous.tag is etree.Comment:
            raw.comments.insert(0, (previous.text or "", previous.sourceline or 1))
        previous = previous.getprevious()
