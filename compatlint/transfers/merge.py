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

import gc
import re
from dataclasses import dataclass

from ..loaders.merge import LoadProblem
from ..loaders.xml import RawElement, SchemaFileError, element_tree, safe_root, symlink_placeholder
from ..model import Origin
from .model import STRICT, Transfer, TransferSet, is_true, normalized_name

_MERGED_FREELY = frozenset({"bundles", "deprecated", "description"})


@dataclass(frozen=True, slots=True)
class TransferFile:
    path: str
    data: bytes
    core: bool = False
    blob: str | None = None


_SYMLINK = symlink_placeholder("")


def _root(data: bytes, path: str):
    if data.startswith(_SYMLINK):
        target = data[len(_SYMLINK):].decode("utf-8", "replace")
        raise SchemaFileError(path, 1, f"a symbolic link (to {target}), which compatlint does not follow: replace "
                              "the link with the transfer file itself (Spryker reads the link's target, so its "
                              "transfers would go unchecked)")
    return safe_root(data, path, "transfers")


# (declared name, attributes, origin, ((normalised property attributes, origin), ...)); cached and shared
# between both sides of a comparison, so never mutated.
Definition = tuple


def parse_definitions(data: bytes, path: str) -> list[Definition]:
    """The `<transfer>` definitions of one file, normalised as Spryker's loader does (property names and
    `singular` lcfirst'ed, `strict` resolved), with file and line; SchemaFileError when unusable.
    Hot path (a project has thousands of transfer files): plain tuples, no element tree copy."""
    root = _root(data, path)
    found = []
    # Repeated attribute names and short values (`name`, `type`, `string`, ...) shared, not one copy each
    # (a description is seldom repeated: not kept in `shared`).
    shared: dict[str, str] = {}
    share = shared.setdefault
    for element in root.iterchildren("{*}transfer"):
        attrs = dict(element.items())
        name = attrs.get("name")
        if not name:
            raise SchemaFileError(path, element.sourceline, "<transfer> without a name attribute")
        transfer_strict = is_true(attrs.get("strict"))
        props = []
        for child in element.iterchildren("{*}property"):
            prop = {share(key, key): share(value, value) if len(value) < 48 else value for key, value in child.items()}
            prop_name = prop.get("name")
            if not prop_name or not prop.get("type"):
                raise SchemaFileError(path, child.sourceline, f"<property> in transfer {name} without a name or "
                                      "type attribute (both are required by transfer-01.xsd)")
            if prop_name[:1].isupper():
                prop["name"] = share(prop_name[:1].lower() + prop_name[1:], prop_name[:1].lower() + prop_name[1:])
            singular = prop.get("singular")
            if singular and singular[:1].isupper():
                prop["singular"] = singular[:1].lower() + singular[1:]
            strict = prop.get("strict")
            if strict is not None:
                if is_true(strict):
                    prop["strict"] = STRICT
            elif transfer_strict:
                prop["strict"] = STRICT
            props.append((prop, child.sourceline))
        found.append((name, attrs, Origin(path, element.sourceline), tuple(props)))
    return found


def parse_transfer_bytes(data: bytes, path: str) -> RawElement:
    """One file as an element tree with comments (for suppression directives)."""
    return element_tree(_root(data, path), path)


def _lcfirst(text: str) -> str:
    return text[:1].lower() + text[1:]


def expected_name(name: str) -> str:
    """The name Spryker's loader accepts for `name`: Laminas CamelCaseToUnderscore then UnderscoreToCamelCase
    (`TransferDefinitionLoader.php` L118-L150). The first filter only adds underscores the second removes, so
    the round trip uppercases the first letter and each letter after an underscore, dropping the underscore."""
    out = re.sub(r"_(\S)", lambda m: m.group(1).upper(), name)
    return out[:1].upper() + out[1:]


def _file_module(path: str) -> str:
    """The module Spryker names a file's transfers after: its name in CamelCase (L66-L74)."""
    base = re.sub(r"[_-](\S)", lambda m: m.group(1).upper(), path.rpartition("/")[2].replace(".transfer.xml", ""))
    return base[:1].upper() + base[1:]


def _module(path: str) -> str:
    """The module folder a file sits in: `.../Shared/<Module>/Transfer/x.transfer.xml`."""
    parts = path.split("/")
    return parts[-3] if len(parts) >= 3 else path


class _Merging:
    """One transfer while definitions are merged (dict-based, like the PHP arrays)."""

    __slots__ = ("name", "strict", "deprecated", "origin", "files", "modules", "props", "definitions")

    def __init__(self, name: str, strict: str | None, origin: Origin):
        self.name, self.strict, self.deprecated, self.origin = name, strict, None, origin
        self.files: list[str] = []
        self.modules: list[str] = []
        self.props: dict[str, tuple[dict[str, str], list[tuple[str, int]]]] = {}  # (path, line) origins
        self.definitions: list = []


def _merge_property(into: dict[str, str], origins: list[tuple], attrs: dict[str, str], origin: tuple,
                    transfer: str, problems: list[LoadProblem]) -> None:
    if ("strict" in into) != ("strict" in attrs):
        problems.append(LoadProblem(
            "transfer-conflict", f"Strict mode violation detected for transfer property {transfer}.{into['name']}. "
            "\"strict\" attribute value for this property must be identical across all definitions.",
            Origin(*origin), transfer, into["name"], other=Origin(*origins[0])))
        return
    for key, value in attrs.items():
        if key not in into:
            into[key] = value
        elif key in _MERGED_FREELY:
            continue  # first deprecated/description wins
        elif into[key] != value:
            shown = [v if v != STRICT else "1" for v in (into[key], value)]
            problems.append(LoadProblem(
                "transfer-conflict", f"Value mismatch for \"{transfer}.{into['name']}\" transfer property. "
                f"Value1: \"{shown[0]}\"; Value2: \"{shown[1]}\" (attribute {key})",
                Origin(*origin), transfer, into["name"], other=Origin(*origins[0])))
            return
    origins.append(origin)


def merge_definitions(parsed: list[tuple[TransferFile, list[Definition]]]) -> tuple[dict[str, Transfer], list[LoadProblem]]:
    """Merge parsed files (in any order: project files are merged first, as Spryker sorts them)."""
    problems: list[LoadProblem] = []
    merging: dict[str, _Merging] = {}
    ordered = sorted(parsed, key=lambda item: (item[0].core, item[0].path))
    for transfer_file, definitions in ordered:
        path = transfer_file.path
        module = _module(path)
        for definition in definitions:
            declared, attrs, origin, props = definition
            expected = expected_name(declared)
            if expected != declared:
                problems.append(LoadProblem(
                    "transfer-conflict", f"Transfer name `{declared}` does not match expected name `{expected}` for "
                    f"module `{_file_module(path)}`", origin, normalized_name(declared)))
            name = normalized_name(declared)
            strict_attr = attrs.get("strict")
            strict = STRICT if is_true(strict_attr) else strict_attr
            current = merging.get(name)
            if current is None:
                current = merging[name] = _Merging(declared, strict, origin)
            elif (current.strict is None) != (strict is None):
                problems.append(LoadProblem(
                    "transfer-conflict", f"Strict mode violation detected for transfer {current.name}. \"strict\" "
                    "attribute value for this transfer must be identical across all definitions.",
                    origin, name, None, other=current.origin))
            current.definitions.append(definition)
            if current.deprecated is None:
                current.deprecated = attrs.get("deprecated")
            if path not in current.files:
                current.files.append(path)
            if module not in current.modules:
                current.modules.append(module)
            known_props = current.props
            for prop_attrs, line in props:
                prop_origin = (path, line)  # an Origin only where one is reported or frozen
                prop_name = prop_attrs["name"]
                known = known_props.get(prop_name)
                if known is None:
                    known_props[prop_name] = (prop_attrs, [prop_origin])
                else:
                    if len(known[1]) == 1:  # the cached definition is shared: merge into a copy
                        known = known_props[prop_name] = (dict(known[0]), known[1])
                    _merge_property(known[0], known[1], prop_attrs, prop_origin, name, problems)
    return {name: _freeze(name, m) for name, m in merging.items()}, problems


def _freeze(name: str, merging: _Merging) -> Transfer:
    return Transfer(name, merging.strict == STRICT, merging.deprecated, merging.origin, tuple(merging.files),
                    tuple(sorted(merging.modules)), tuple(merging.definitions), merging.props)


# Parsed files by (path, blob id or content): unchanged files are parsed once per process.
_PARSED: dict[tuple[str, object], list | SchemaFileError] = {}


def _parse_cached(transfer_file: TransferFile) -> list | SchemaFileError:
    key = (transfer_file.path, transfer_file.blob or transfer_file.data)
    found = _PARSED.get(key)
    if found is None:
        try:
            found = parse_definitions(transfer_file.data, transfer_file.path)
        except SchemaFileError as error:
            found = error
        if len(_PARSED) > 20000:
            _PARSED.clear()
        _PARSED[key] = found
    return found


def load_transfers(files: list[TransferFile]) -> TransferSet:
    """Parse and merge one side. Unusable files are problems (kind `invalid-file`), never exceptions."""
    # Tens of thousands of small containers, none of them cyclic: the cyclic collector would rescan them
    # over and over while they are built (it took half of the time on a 2,000-file set).
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _load(files)
    finally:
        if enabled:
            gc.enable()


def _load(files: list[TransferFile]) -> TransferSet:
    from .directives import transfer_directives

    problems: list[LoadProblem] = []
    parsed: list[tuple[TransferFile, list]] = []
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
            directives.extend(transfer_directives(parse_transfer_bytes(transfer_file.data, transfer_file.path)))
    transfers, conflicts = merge_definitions(parsed)
    return TransferSet(transfers, tuple(problems + conflicts), frozenset(invalid), tuple(directives),
                       tuple(sorted(f.path for f in files)), frozenset((p.table, p.column) for p in conflicts))
