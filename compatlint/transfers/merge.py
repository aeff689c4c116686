"""Parse `*.transfer.xml` safely and merge the definitions by transfer name, as Spryker does.

Sources (spryker/spryker-core at 7fc889e504):
- `Bundles/Transfer/src/Spryker/Zed/Transfer/Business/Model/Generator/TransferDefinitionLoader.php`
  L56-L58 (project definitions are merged before core ones), L159-L182 (property names and `singular` are
  lcfirst'ed);
- `.../DefinitionNormalizer.php` L116-L174 (`strict="true"` on a transfer makes each of its properties
  strict unless the property says otherwise);
- `.../TransferDefinitionMerger.php`: merged by name with the `Transfer` suffix dropped (L92-L117,
  L457-L478); properties merged by name (L194-L218); for a property defined twice, `bundles` are joined,
  the first `deprecated` and (default strategy get-first, `TransferConfig.php` L344-L347) the first
  `description` win, every other attribute both set must be identical, else "Value mismatch for ..."
  (L230-L277); whether `strict` is set must agree for the transfer (L356-L366) and for each property
  (L379-L390). Spryker throws at the first conflict; here each conflict is a problem with file:line and
  the first definition's value is kept, so the rest is still compared.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from ..loaders.merge import LoadProblem
from ..loaders.xml import _PARSER, _REFUSED, RawElement, SchemaFileError, _convert, _doctype_line
from ..model import Origin
from .model import Property, Transfer, TransferSet, normalized_name

_TRUE = frozenset({"1", "true", "on", "yes"})  # PHP's FILTER_VALIDATE_BOOLEAN
_STRICT = "\0strict"  # a normalised strict="true" (any spelling PHP takes as true)
_MERGED_FREELY = frozenset({"bundles", "deprecated", "description"})


@dataclass(frozen=True, slots=True)
class TransferFile:
    path: str
    data: bytes
    core: bool = False
    blob: str | None = None


def _true(value: str | None) -> bool:
    return value is not None and value.strip().lower() in _TRUE


def parse_transfer_bytes(data: bytes, path: str) -> RawElement:
    """One file's `<transfers>` element; SchemaFileError (file and line) when it cannot be used."""
    line = _doctype_line(data)
    if line is not None:
        raise SchemaFileError(path, line, _REFUSED)
    if not data.strip():
        raise SchemaFileError(path, 1, "empty file: no <transfers> element")
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as error:
        raise SchemaFileError(path, error.lineno or 1, f"not well-formed XML: {error.msg or error}") from None
    if root is None:
        raise SchemaFileError(path, 1, "no root element")
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise SchemaFileError(path, 1, _REFUSED)
    raw = _convert(root, path)
    previous = root.getprevious()
    while previous is not None:
        if previous.tag is etree.Comment:
            raw.comments.insert(0, (previous.text or "", previous.sourceline or 1))
        previous = previous.getprevious()
    if raw.tag != "transfers":
        raise SchemaFileError(path, raw.origin.line, f"unknown root element <{raw.tag}>: expected <transfers>")
    for transfer in raw.children:
        if transfer.tag != "transfer":
            continue
        if not transfer.attrs.get("name"):
            raise SchemaFileError(path, transfer.origin.line, "<transfer> without a name attribute")
        for prop in transfer.children:
            if prop.tag == "property" and (not prop.attrs.get("name") or not prop.attrs.get("type")):
                raise SchemaFileError(path, prop.origin.line, f"<property> in transfer {transfer.attrs['name']} "
                                      "without a name or type attribute (both are required by transfer-01.xsd)")
    return raw


def _lcfirst(text: str) -> str:
    return text[:1].lower() + text[1:]


def _module(path: str) -> str:
    """The module folder a file sits in: `.../Shared/<Module>/Transfer/x.transfer.xml`."""
    parts = path.split("/")
    return parts[-3] if len(parts) >= 3 else path


class _Merging:
    """One transfer while definitions are merged (dict-based, like the PHP arrays)."""

    __slots__ = ("name", "strict", "deprecated", "origin", "files", "modules", "props")

    def __init__(self, name: str, strict: str | None, origin: Origin):
        self.name, self.strict, self.deprecated, self.origin = name, strict, None, origin
        self.files: list[str] = []
        self.modules: list[str] = []
        self.props: dict[str, tuple[dict[str, str], list[Origin]]] = {}


def _definition_props(element: RawElement, transfer_strict: bool) -> list[tuple[dict[str, str], Origin]]:
    props = []
    for child in element.children:
        if child.tag != "property":
            continue
        attrs = dict(child.attrs)
        attrs["name"] = _lcfirst(attrs["name"])
        if attrs.get("singular"):
            attrs["singular"] = _lcfirst(attrs["singular"])
        if "strict" in attrs:
            if _true(attrs["strict"]):
                attrs["strict"] = _STRICT
        elif transfer_strict:
            attrs["strict"] = _STRICT
        props.append((attrs, child.origin))
    return props


def _merge_property(into: dict[str, str], origins: list[Origin], attrs: dict[str, str], origin: Origin,
                    transfer: str, problems: list[LoadProblem]) -> None:
    if ("strict" in into) != ("strict" in attrs):
        problems.append(LoadProblem(
            "transfer-conflict", f"Strict mode violation detected for transfer property {transfer}.{into['name']}. "
            "\"strict\" attribute value for this property must be identical across all definitions.",
            origin, transfer, into["name"], other=origins[0]))
        return
    for key, value in attrs.items():
        if key not in into:
            into[key] = value
        elif key in _MERGED_FREELY:
            continue  # first deprecated/description wins
        elif into[key] != value:
            shown = [v if v != _STRICT else "1" for v in (into[key], value)]
            problems.append(LoadProblem(
                "transfer-conflict", f"Value mismatch for \"{transfer}.{into['name']}\" transfer property. "
                f"Value1: \"{shown[0]}\"; Value2: \"{shown[1]}\" (attribute {key})",
                origin, transfer, into["name"], other=origins[0]))
            return
    origins.append(origin)


def merge_definitions(parsed: list[tuple[TransferFile, RawElement]]) -> tuple[dict[str, Transfer], list[LoadProblem]]:
    """Merge parsed files (in any order: project files are merged first, as Spryker sorts them)."""
    problems: list[LoadProblem] = []
    merging: dict[str, _Merging] = {}
    ordered = sorted(parsed, key=lambda item: (item[0].core, item[0].path))
    for transfer_file, root in ordered:
        for element in root.children:
            if element.tag != "transfer":
                continue
            declared = element.attrs["name"]
            name = normalized_name(declared)
            strict_attr = element.attrs.get("strict")
            strict = _STRICT if _true(strict_attr) else strict_attr
            props = _definition_props(element, strict == _STRICT)
            current = merging.get(name)
            if current is None:
                current = merging[name] = _Merging(declared, strict, element.origin)
            elif (current.strict is None) != (strict is None):
                problems.append(LoadProblem(
                    "transfer-conflict", f"Strict mode violation detected for transfer {current.name}. \"strict\" "
                    "attribute value for this transfer must be identical across all definitions.",
                    element.origin, name, None, other=current.origin))
            if current.deprecated is None:
                current.deprecated = element.attrs.get("deprecated")
            if transfer_file.path not in current.files:
                current.files.append(transfer_file.path)
            module = _module(transfer_file.path)
            if module not in current.modules:
                current.modules.append(module)
            for attrs, origin in props:
                known = current.props.get(attrs["name"])
                if known is None:
                    current.props[attrs["name"]] = (attrs, [origin])
                else:
                    _merge_property(known[0], known[1], attrs, origin, name, problems)
    return {name: _freeze(name, m) for name, m in merging.items()}, problems


def _freeze(name: str, merging: _Merging) -> Transfer:
    properties = {}
    for prop_name, (attrs, origins) in merging.props.items():
        properties[prop_name] = Property(
            name=prop_name, type=attrs["type"], strict=attrs.get("strict") == _STRICT,
            deprecated=attrs.get("deprecated"), associative=_true(attrs.get("associative")),
            singular=attrs.get("singular"), origin=origins[0], origins=tuple(origins))
    return Transfer(name=name, properties=properties, strict=merging.strict == _STRICT,
                    deprecated=merging.deprecated, origin=merging.origin, files=tuple(merging.files),
                    modules=tuple(sorted(merging.modules)))


# Parsed files by (path, blob id or content): unchanged files are parsed once per process.
_PARSED: dict[tuple[str, object], RawElement | SchemaFileError] = {}


def _parse_cached(transfer_file: TransferFile) -> RawElement | SchemaFileError:
    key = (transfer_file.path, transfer_file.blob or transfer_file.data)
    found = _PARSED.get(key)
    if found is None:
        try:
            found = parse_transfer_bytes(transfer_file.data, transfer_file.path)
        except SchemaFileError as error:
            found = error
        if len(_PARSED) > 20000:
            _PARSED.clear()
        _PARSED[key] = found
    return found


def load_transfers(files: list[TransferFile]) -> TransferSet:
    """Parse and merge one side. Unusable files are problems (kind `invalid-file`), never exceptions."""
    from .directives import transfer_directives

    problems: list[LoadProblem] = []
    parsed: list[tuple[TransferFile, RawElement]] = []
    invalid: set[str] = set()
    directives = []
    for transfer_file in files:
        result = _parse_cached(transfer_file)
        if isinstance(result, SchemaFileError):
            invalid.add(transfer_file.path)
            problems.append(LoadProblem("invalid-file", result.message, Origin(result.path, result.line or 1)))
            continue
        parsed.append((transfer_file, result))
        if b"compatlint:" in transfer_file.data:
            directives.extend(transfer_directives(result))
    transfers, conflicts = merge_definitions(parsed)
    return TransferSet(transfers, tuple(problems + conflicts), frozenset(invalid), tuple(directives),
                       tuple(sorted(f.path for f in files)), frozenset((p.table, p.column) for p in conflicts))
