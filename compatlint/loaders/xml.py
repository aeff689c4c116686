"""Safe parsing of one Propel schema file into a light element tree that keeps source lines.

The parser never resolves entities, never loads a DTD and never touches the network; a file with a
DOCTYPE is refused outright (Propel schema files never need one, and refusing it is the only way to
be sure an entity-expansion bomb or an external entity is not expanded somewhere downstream).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from ..model import Origin

_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)

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


def _convert(element, path: str, depth: int = 0) -> RawElement:
    """lxml element -> RawElement. Hot path: runs once per element of every parsed file."""
    line = element.sourceline
    origin = Origin(path, line)
    attrs = dict(element.attrib)
    if depth == 0 and any(k[0] == "{" for k in attrs):  # namespaced attributes live on the root only
        attrs = {_local(k): v for k, v in attrs.items()}
    tag = element.tag
    if tag[0] == "{":
        tag = _local(tag)
    children: list[RawElement] = []
    raw = RawElement(tag, attrs, origin, children, {}, [], [path] if depth < 2 else [])
    pending = None
    for child in element:
        child_tag = child.tag
        if child_tag.__class__ is not str:
            if child_tag is _Comment:
                if pending is None:
                    pending = []
                pending.append((child.text or "", child.sourceline or line or 1))
            continue
        converted = _convert(child, path, depth + 1)
        if pending:
            converted.comments[:0] = pending
            pending = None
        children.append(converted)
    if pending:  # trailing comments inside the element belong to it
        raw.comments.extend(pending)
    return raw


_REFUSED = "DOCTYPE declarations are refused (entities and external DTDs are a security risk)"

# What the loaders put in place of a symbolic link's content: a link is never followed (it may point out of the
# repository, and git stores only its target), so the file is unusable input and says so.
_SYMLINK = b"\0compatlint:symlink\0"


def symlink_placeholder(target: str) -> bytes:
    """The bytes standing for a schema file that is a symbolic link to `target`."""
    return _SYMLINK + target.encode("utf-8", "surrogateescape")


def _doctype_line(data: bytes) -> int | None:
    """Line of a DOCTYPE in the raw bytes, in UTF-8/ASCII or (BOM or NUL bytes) UTF-16/32."""
    found = _DOCTYPE.search(data)
    if found:
        return data.count(b"\n", 0, found.start()) + 1
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


def parse_schema_bytes(data: bytes, path: str) -> RawElement:
    """Parse one file's bytes into its `<database>` element; raise SchemaFileError when unusable."""
    if data.startswith(_SYMLINK):
        target = data[len(_SYMLINK):].decode("utf-8", "replace")
        raise SchemaFileError(path, 1, f"a symbolic link (to {target}), which compatlint does not follow: replace "
                              "the link with the schema file itself (Spryker reads the link's target, so its tables would go unchecked)")
    line = _doctype_line(data)
    if line is not None:
        raise SchemaFileError(path, line, _REFUSED)
    if not data.strip():
        raise SchemaFileError(path, 1, "empty file: no <database> element")
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
    raw = _convert(root, path)
    # Comments before the root element (file-level directives).
    previous = root.getprevious()
    while previous is not None:
        if previous.tag is etree.Comment:
            raw.comments.insert(0, (previous.text or "", previous.sourceline or 1))
        previous = previous.getprevious()
    _validate(raw, path)
    return raw


_NAMED = {"table", "column", "parameter", "behavior"}


def _validate(database: RawElement, path: str) -> None:
    if database.tag != "database":
        raise SchemaFileError(path, database.origin.line, f"unknown root element <{database.tag}>: expected <database>")
    for table in database.children:
        if table.tag in ("table",):
            if not table.attrs.get("name"):
                raise SchemaFileError(path, table.origin.line, "<table> without a name attribute")
            for child in table.children:
                if child.tag in _NAMED and not child.attrs.get("name"):
                    raise SchemaFileError(path, child.origin.line, f"<{child.tag}> in table {table.attrs['name']} without a name attribute")
                if child.tag == "foreign-key" and not child.attrs.get("foreignTable"):
                    raise SchemaFileError(path, child.origin.line, f"<foreign-key> in table {table.attrs['name']} without foreignTable")
                if child.tag == "id-method-parameter" and "value" not in child.attrs:
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
    previous = root.getprevious()
    while previous is not None:
        if previous.tag is etree.Comment:
            raw.comments.insert(0, (previous.text or "", previous.sourceline or 1))
        previous = previous.getprevious()
    return raw
