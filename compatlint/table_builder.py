"""The mutable table a schema is built in (`TableBuilder`), and the Propel value and naming rules that
normalisation (`normalize`) and behavior expansion (`behaviors`) share: booleans, sizes, foreign key
actions, generated index and foreign key names; and the indexes a finished table gets on top of its
builder's (MySQL's on foreign key columns, added ones, cut names), on copies of the builder's dicts.

Both modules import from here; neither imports the other's internals.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Iterable, Sequence

from .model import Behavior, Column, ForeignKey, Index, Origin, Table
from .platform import max_identifier_length

try:  # the builtin md5: hashlib's loads OpenSSL, ~4 ms of a run's start, and is no faster on short names
    from _md5 import md5
except ImportError:
    from hashlib import md5

_TRUE = {"true", "t", "yes", "y"}


_BOOL_WORDS = {"true": True, "false": False, "1": True, "0": False, "": False, "t": True, "y": True, "yes": True,
               "no": False, "n": False, "f": False}


def as_bool(value: str | None) -> bool:
    """`MappingModel::booleanValue`: numbers by value, else one of true/t/y/yes."""
    if value is None:
        return False
    text = value.lower()  # no strip: " true" is not a word Propel knows (numbers may be padded)
    known = _BOOL_WORDS.get(text)
    if known is not None:
        return known
    try:
        return float(text) != 0
    except ValueError:
        return text in _TRUE


def as_int(value: str | None) -> int | None:
    """PHP truthiness as in `Column::setupObject`: "0" or a missing value means no size/scale."""
    if value is None:
        return None
    value = value.strip()
    number = int(value) if value.lstrip("-").isdigit() else None
    return number or None


def fk_action(value: str | None) -> str | None:
    """`ForeignKey::normalizeFKey`: NONE/empty is no action given; SETNULL -> SET NULL."""
    if not value or value.strip().upper() in ("NONE", ""):
        return None
    action = value.strip().upper()
    return {"SETNULL": "SET NULL", "NOACTION": "NO ACTION", "SETDEFAULT": "SET DEFAULT"}.get(action, action)


def generated_index_name(table: str, columns: Sequence[str], sizes: Sequence[str], unique: bool) -> str:
    """Propel's name for an unnamed index or unique (`Model/Index.php` L81-129):
    `<table>_i_`/`_u_` + md5(lower("cols,..:sizes,.."))[:6]."""
    digest = md5(f"{','.join(columns)}:{','.join(sizes)}".lower().encode()).hexdigest()[:6]
    return f"{table}_{'u' if unique else 'i'}_{digest}"


def index_name(name: str, platform: str) -> str:
    """`Index::getName` cuts every index name, explicit or generated, to the platform maximum."""
    return name[: max_identifier_length(platform)]


def generated_fk_name(table: str, foreign_table: str, local: Sequence[str], foreign: Sequence[str]) -> str:
    """Propel's name for an unnamed foreign key (`Model/ForeignKey.php` L169-188), never truncated."""
    key = f".{foreign_table}:{','.join(local)}:{','.join(foreign)}".lower()
    return f"{table}_fk_{md5(key.encode()).hexdigest()[:6]}"


@dataclass(slots=True)
class TableBuilder:
    """A table while behaviors still add to it; frozen into `model.Table` at the end."""

    name: str
    columns: dict[str, Column] = field(default_factory=dict)
    indexes: dict[str, Index] = field(default_factory=dict)
    uniques: dict[str, Index] = field(default_factory=dict)
    foreign_keys: dict[str, ForeignKey] = field(default_factory=dict)
    behaviors: dict[str, Behavior] = field(default_factory=dict)
    id_method_parameter: str | None = None
    id_method_parameter_origin: Origin | None = None
    namespace: str | None = None
    package: str | None = None
    php_name: str | None = None
    files: tuple[str, ...] = ()
    provided_by: str | None = None
    origin: Origin | None = None
    skip_sql: bool = False
    attrs: dict[str, str] = field(default_factory=dict)
    description: str | None = None
    duplicate_columns: list = field(default_factory=list)
    # (column, type, origin) of columns whose `type` Propel cannot map: it refuses the schema.
    unknown_types: list = field(default_factory=list)

    def add_column(self, column: Column) -> bool:
        """Add a behavior column unless the table declares one of that name (explicit columns win)."""
        if column.name in self.columns:
            return False
        self.columns[column.name] = column
        return True

    def add_index(self, index: Index) -> None:
        target = self.uniques if index.unique else self.indexes
        target.setdefault(index.name, index)

    def copy(self) -> "TableBuilder":
        """A builder that can be added to without touching this one (its dicts are copies; the rest is shared)."""
        return TableBuilder(self.name, dict(self.columns), dict(self.indexes), dict(self.uniques),
                            dict(self.foreign_keys), self.behaviors, self.id_method_parameter,
                            self.id_method_parameter_origin, self.namespace, self.package, self.php_name, self.files,
                            self.provided_by, self.origin, self.skip_sql, self.attrs, self.description,
                            self.duplicate_columns, self.unknown_types)

    def freeze(self, indexes: dict[str, Index] | None = None, uniques: dict[str, Index] | None = None) -> Table:
        """The table as it is, or with these indexes or uniques instead of its own."""
        return Table(  # positional, in the order of `Table`'s fields (keywords cost more: once per table)
            self.name, self.columns, self.indexes if indexes is None else indexes,
            self.uniques if uniques is None else uniques, self.foreign_keys, self.behaviors,
            self.id_method_parameter, self.id_method_parameter_origin, self.namespace, self.package, self.php_name,
            self.files, self.provided_by, self.origin, self.skip_sql, self.description,
        )


def mysql_fk_indexes(builder: TableBuilder, indexes: dict[str, Index], uniques: dict[str, Index], platform: str
                     ) -> dict[str, Index]:
    """MySQL needs an index on FK columns; Propel adds one when none starts with them (`Model/Table.php` L357-L430).
    `indexes` with them: a copy when one is added (the given dict is not changed)."""
    if platform != "mysql":
        return indexes
    pk = None  # the columns do not change here: worked out once, when a key needs it
    copied = False
    for fk in builder.foreign_keys.values():  # skipSql keys too (`Table::addExtraIndices`)
        wanted = fk.local_columns
        if not wanted:
            continue
        width = len(wanted)
        # the indexes added for earlier keys count too: both dicts are read as they are now (plain loops: hot)
        covered = False
        for idx in indexes.values():
            if idx.columns[:width] == wanted:
                covered = True
                break
        if not covered:
            for idx in uniques.values():
                if idx.columns[:width] == wanted:
                    covered = True
                    break
        if covered:
            continue
        if pk is None:
            pk = tuple(c.name for c in builder.columns.values() if c.primary_key)
        if pk[:width] == wanted:
            continue
        index = _fk_index(fk)
        if index.name not in indexes:
            if not copied:
                indexes, copied = dict(indexes), True
            indexes[index.name] = index
    return indexes


# The index MySQL's model adds for a foreign key, by the key's identity (the key is kept so the id stays
# valid): a key kept by place keeps its index, and a table finalised again does not make it again.
_FK_INDEXES: dict[int, tuple[ForeignKey, Index]] = {}
_FK_INDEXES_LIMIT = 400_000


def _fk_index(fk: ForeignKey) -> Index:
    cached = _FK_INDEXES.get(id(fk))
    if cached is None or cached[0] is not fk:
        if len(_FK_INDEXES) > _FK_INDEXES_LIMIT:
            _FK_INDEXES.clear()
        at = fk.name.rfind("fk_")
        name = fk.name[:at] + "fi_" + fk.name[at + 3:] if at >= 0 else "fi_" + fk.name[3:]
        cached = _FK_INDEXES[id(fk)] = (fk, Index(name, fk.local_columns, False, generated_name=True,
                                                  provided_by="mysql-fk-index", origin=fk.origin))
    return cached[1]


def with_indexes(indexes: dict[str, Index], uniques: dict[str, Index], added: Iterable[Index]
                 ) -> tuple[dict[str, Index], dict[str, Index]]:
    """`TableBuilder.add_index` of each of `added` (the first of a name stays), on copies of the dicts it adds to."""
    for index in added:
        if index.unique:
            if index.name not in uniques:
                uniques = {**uniques, index.name: index}
        elif index.name not in indexes:
            indexes = {**indexes, index.name: index}
    return indexes, uniques


def cut_index_names(named: dict[str, Index], platform: str, limit: int) -> dict[str, Index]:
    """`Index::getName` cuts every index name to the platform's `limit` (the index keeps its place)."""
    return {index_name(n, platform): (replace(i, name=index_name(n, platform)) if len(n) > limit else i)
            for n, i in named.items()}
