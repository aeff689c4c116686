"""The merged transfer model: frozen values, each property with the file and line it came from."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Mapping, NamedTuple

from ..model import Origin

# Scalar type spellings the generator accepts for the same PHP type
# (spryker/spryker-core `Bundles/Transfer/src/Spryker/Zed/Transfer/Business/Model/Generator/ClassDefinition.php`).
_CANONICAL = {"integer": "int", "boolean": "bool", "double": "float"}
SCALARS = frozenset({"int", "float", "string", "bool", "decimal", "mixed", "callable", "iterable", "object",
                     "resource", "null", "array"})
SUFFIX = "Transfer"
_TRUE = frozenset({"1", "true", "on", "yes"})  # PHP's FILTER_VALIDATE_BOOLEAN
STRICT = "\0strict"  # a normalised strict="true" (any spelling PHP takes as true)


def is_true(value: str | None) -> bool:
    return value is not None and (value == "true" or value.strip().lower() in _TRUE)


def normalized_name(name: str) -> str:
    """The merge key: a trailing `Transfer` is dropped, except for a transfer named `Transfer`
    (`TransferDefinitionMerger.php` L457-L478)."""
    if name != SUFFIX and name.endswith(SUFFIX):
        return name[: -len(SUFFIX)]
    return name


def transfer_name_problem(name: str) -> str | None:
    """Why `name` cannot name a transfer (for configuration), or None. Spryker's loader accepts only a
    name that survives CamelCase -> underscore -> CamelCase (`TransferDefinitionLoader.php` L118-L150), and
    the generated class name must be a PHP identifier."""
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", name):
        return "expected letters and digits only, starting with a capital letter (e.g. QuoteTransfer or Quote)"
    if not name[:1].isupper():
        return f"transfer names start with a capital letter ({name[:1].upper() + name[1:]})"
    return None


@lru_cache(maxsize=4096)
def canonical_type(type_: str) -> str:
    """A type as a comparison sees it: scalar aliases folded, a transfer reference without its suffix."""
    text = type_.strip()
    collection = text.endswith("[]")
    element = text[:-2] if collection else text
    lowered = element.lower()
    if lowered in SCALARS or lowered in _CANONICAL:
        element = _CANONICAL.get(lowered, lowered)
    elif element[:1].isupper():
        element = normalized_name(element)
    return element + ("[]" if collection else "")


def value_kind(type_: str) -> tuple[str, str | None]:
    """What the generated transfer holds for a property of this type: ('collection', element) for an
    `ArrayObject` of transfers (`Item[]`), ('array', element or None when untyped) for a plain PHP array
    (`array`, `[]`, `string[]`, `int[]`, ...), ('transfer', name) or ('scalar', type).

    spryker/spryker-core at 7fc889e504,
    `Bundles/Transfer/src/Spryker/Zed/Transfer/Business/Model/Generator/ClassDefinition.php`: only a type
    starting with a capital is a transfer (L399-L402), and only a transfer type ending in `[]` is marked
    `is_collection` (L338-L354); `array`, `[]` and the typed scalar arrays (`string[]`, `int[]`, ...,
    L868-L871) are plain arrays (`isArray`, L820-L823; type hint `array`, L878-L893).
    `Bundles/Kernel/src/Spryker/Shared/Kernel/Transfer/AbstractTransfer.php` L172-L196: `fromArray` builds
    an `ArrayObject` only for `is_collection`, and assigns an array property's value as it comes."""
    canonical = canonical_type(type_)
    if canonical.endswith("[]"):
        element = canonical[:-2]
        if element[:1].isupper():
            return "collection", element
        return "array", None if element in ("", "mixed") else element
    if canonical == "array":
        return "array", None
    if canonical[:1].isupper():
        return "transfer", canonical
    return "scalar", canonical


def type_kind(type_: str) -> str:
    """'collection' (of transfers), 'array', 'transfer' or the scalar itself, for messages."""
    kind, element = value_kind(type_)
    return element if kind == "scalar" else kind


def element_type(type_: str) -> str | None:
    """The transfer a property holds (itself or as collection elements), or None for scalars."""
    canonical = canonical_type(type_)
    element = canonical[:-2] if canonical.endswith("[]") else canonical
    return None if element in SCALARS else element


class Property(NamedTuple):
    """A merged property (a tuple: a project has tens of thousands of them)."""

    name: str
    type: str
    strict: bool = False
    deprecated: str | None = None
    associative: bool = False
    singular: str | None = None
    origin: Origin | None = None
    # Every definition of the property, in merge order (a core property extended by project files).
    origins: tuple[Origin, ...] = ()

    @property
    def canonical(self) -> str:
        return canonical_type(self.type)

    @property
    def collection(self) -> bool:
        return self.canonical.endswith("[]")


@dataclass(frozen=True)
class Transfer:
    name: str  # normalised: `Customer` for both `Customer` and `CustomerTransfer`
    strict: bool = False
    deprecated: str | None = None
    origin: Origin | None = None
    files: tuple[str, ...] = ()
    # Modules (folders under Shared/) that declare it: a transfer moved between modules keeps its name.
    modules: tuple[str, ...] = ()
    # The parsed definitions it was merged from (shared by both sides where a file did not change, so an
    # unchanged transfer is recognised without building its properties), and the merged raw properties.
    definitions: tuple = field(default=(), compare=False, repr=False)
    raw_properties: Mapping = field(default_factory=dict, compare=False, repr=False)

    @cached_property
    def properties(self) -> Mapping[str, Property]:
        return freeze_properties(self.raw_properties)

    @property
    def class_name(self) -> str:
        return f"{self.name}{SUFFIX}"

    def same_definitions(self, other: "Transfer") -> bool:
        return len(self.definitions) == len(other.definitions) and \
            all(a is b for a, b in zip(self.definitions, other.definitions))

    def same_content(self, other: "Transfer") -> bool:
        """Nothing a comparison looks at differs (a file edited elsewhere re-parses every transfer in it):
        compared on the raw attributes, without building `Property` values."""
        if (self.strict, self.deprecated, self.modules) != (other.strict, other.deprecated, other.modules) \
                or set(self.files) != set(other.files):
            return False
        mine, theirs = self.raw_properties, other.raw_properties
        if len(mine) != len(theirs):
            return False
        for name, (attrs, _) in mine.items():
            found = theirs.get(name)
            if found is None or found[0] != attrs:
                return False
        return True

    def signature(self) -> tuple:
        return tuple(sorted((p.name, p.canonical) for p in self.properties.values()))


def freeze_properties(raw: Mapping) -> dict[str, Property]:
    """Merged raw attributes -> `Property` values (built only for transfers a comparison looks into)."""
    properties = {}
    for prop_name, (attrs, origins) in raw.items():
        associative = attrs.get("associative")
        properties[prop_name] = Property(
            prop_name, attrs["type"], attrs.get("strict") == STRICT, attrs.get("deprecated"),
            associative is not None and is_true(associative), attrs.get("singular"), Origin(*origins[0]),
            tuple(Origin(*o) for o in origins))
    return properties


@dataclass(frozen=True)
class TransferSet:
    transfers: Mapping[str, Transfer]
    problems: tuple = ()  # compatlint.loaders.merge.LoadProblem: invalid files and merge conflicts
    invalid_paths: frozenset[str] = frozenset()
    directives: tuple = ()
    files: tuple[str, ...] = ()
    # (transfer, property or None) with conflicting definitions: not diffed (CL707 reports them).
    conflicted: frozenset = frozenset()
