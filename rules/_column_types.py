"""Type logic shared by the CL2xx column rules (not a rule module: the leading underscore keeps discovery out).

`type_verdict` gives every type, size, scale or sqlType change of a column exactly one verdict:
CHANGED (CL203), NARROWED (CL204) or WIDENED (CL210), or None when the database column keeps its
capacity (e.g. MySQL integer display width). The three rules only ever report their own verdict, so
one change is never reported twice with contradicting messages.

PostgreSQL is emulated first: `pg_using_cast` mirrors `PgsqlPlatform::getUsingCast`
(propelorm/Propel2 2.0.0-beta3 `src/Propel/Generator/Platform/PgsqlPlatform.php` L782-L815, with
`isString` L757-L762 knowing only VARCHAR and `isNumber` L769-L774 lacking INT8), which
`getModifyColumnDDL` (L641-L738) appends whenever size, scale or sqlType (and with it the type)
differ. A ` USING NULL` cast wipes a nullable column and aborts the migration on a NOT NULL one,
whatever the capacities say. Everything else is compared by kind and capacity.

Defaults: `defaults_equivalent` mirrors `ColumnDefaultValue::equals` (`Model/ColumnDefaultValue.php`
L109-L125): same kind, then PHP's loose `==` on the values (numeric strings compare as numbers), then
CURRENT_TIMESTAMP and NOW() (upper-cased, untrimmed) as equals.
"""

from __future__ import annotations

import math
import re
from typing import NamedTuple

from compatlint.changes import SCALE, SIZE, SQL_TYPE, TYPE, ColumnChanged, MigrationStatement
from compatlint.model import Column, Default
from compatlint.platform import native_type

INF = math.inf

CHANGED, NARROWED, WIDENED = "changed", "narrowed", "widened"
TYPE_CHANGES = frozenset({TYPE, SIZE, SCALE, SQL_TYPE})
# Where a type finding points: the first of these attributes set explicitly, else the column element.
TYPE_LOCATION = (SIZE, SCALE, TYPE, SQL_TYPE)

# --- PostgreSQL: PgsqlPlatform::isString / isNumber / isUuid / hasSize ------------------------------------------

PG_STRINGS = frozenset({"VARCHAR"})
PG_NUMBERS = frozenset({"INTEGER", "INT4", "INT2", "NUMBER", "NUMERIC", "SMALLINT", "BIGINT", "DECIMAL", "REAL",
                        "DOUBLE PRECISION", "SERIAL", "BIGSERIAL"})
PG_UUIDS = frozenset({"UUID"})
PG_SIZELESS = frozenset({"BYTEA", "TEXT", "DOUBLE PRECISION"})  # PgsqlPlatform::hasSize L591-L594
USING_NULL = " USING NULL"


def sql_type_of(platform: str, column: Column) -> str:
    """The domain sqlType Propel works with: the `sqlType` attribute, else the platform's native type."""
    return column.sql_type or native_type(platform, column.type)


def pg_using_cast(before: Column, after: Column) -> str:
    """`PgsqlPlatform::getUsingCast(from, to)`, character for character (`$name` is the unquoted old name)."""
    src = sql_type_of("pgsql", before).upper()
    dst = sql_type_of("pgsql", after).upper()
    name = before.name
    if src in PG_STRINGS and dst in PG_NUMBERS:
        return (f"\n   USING CASE WHEN trim({name}) SIMILAR TO '[0-9]+'\n        THEN CAST(trim({name}) AS integer)"
                "\n        ELSE NULL END")
    if src in PG_NUMBERS and dst == "BYTEA":
        return f" USING decode(CAST({name} as text), 'escape')"
    if ((src in PG_NUMBERS and dst in PG_NUMBERS) or (src in PG_STRINGS and dst in PG_STRINGS)
            or (src in PG_NUMBERS and dst in PG_STRINGS) or (src in PG_UUIDS and dst in PG_STRINGS)):
        return ""
    if src in PG_STRINGS and dst in PG_UUIDS:
        return f" USING {name}::uuid"
    return USING_NULL


def pg_alters_type(before: Column, after: Column) -> bool:
    """`getModifyColumnDDL` emits `ALTER COLUMN .. TYPE` when Propel's comparator saw size, scale or sqlType differ
    (`ColumnComparator::compareColumns` L61-L77 compares the type only through the sqlType)."""
    return (before.size != after.size or before.scale != after.scale
            or sql_type_of("pgsql", before).upper() != sql_type_of("pgsql", after).upper())


def pg_type_clause(before: Column, after: Column) -> str:
    """The `TYPE ...` part Propel writes for `after` (size only where `hasSize` and not a number but NUMERIC)."""
    sql_type = sql_type_of("pgsql", after)
    text = sql_type
    upper = sql_type.upper()
    if upper not in PG_SIZELESS and not after.sql_type and after.size is not None:
        if upper not in PG_NUMBERS or upper == "NUMERIC":
            text += f"({after.size},{after.scale})" if after.scale is not None else f"({after.size})"
    using = " ".join(pg_using_cast(before, after).split())
    return f"TYPE {text} {using}" if using else f"TYPE {text}"


# --- kinds and capacities -------------------------------------------------------------------------------------

_INT_BYTES = {"TINYINT": 1, "SMALLINT": 2, "INT2": 2, "MEDIUMINT": 3, "INT": 4, "INTEGER": 4, "INT4": 4, "SERIAL": 4,
              "BIGINT": 8, "INT8": 8, "BIGSERIAL": 8}
_MYSQL_TEXT_TIERS = ((255, "TINYTEXT"), (65535, "TEXT"), (16777215, "MEDIUMTEXT"), (4294967295, "LONGTEXT"))
_MYSQL_TEXT_BYTES = {"TINYTEXT": 255, "TEXT": 65535, "MEDIUMTEXT": 16777215, "LONGTEXT": 4294967295}
_MYSQL_BLOB_BYTES = {"TINYBLOB": 255, "BLOB": 65535, "MEDIUMBLOB": 16777215, "LONGBLOB": 4294967295}
# Upper-cased native names that mean the same SQL type.
_CANONICAL = {
    "INT": "INTEGER", "INT4": "INTEGER", "INT2": "SMALLINT", "INT8": "BIGINT", "BOOL": "BOOLEAN",
    "DOUBLE PRECISION": "DOUBLE", "FLOAT8": "DOUBLE", "FLOAT4": "REAL", "NUMERIC": "DECIMAL", "DEC": "DECIMAL",
    "CHARACTER VARYING": "VARCHAR", "CHARACTER": "CHAR", "JSONB": "JSON",
    "TIMESTAMP WITHOUT TIME ZONE": "TIMESTAMP",
}
# Propel types whose meaning is not the storage type: ENUM/SET store positions, BOOLEAN 0/1, UUID a converted value.
_SEMANTIC = {"BOOLEAN": "boolean", "BOOLEAN_EMU": "boolean", "ENUM": "enum", "SET": "set", "UUID": "uuid",
             "UUID_BINARY": "uuid", "JSON": "json"}
KIND_NAMES = {
    "int": "an integer", "float": "a floating-point number", "decimal": "a decimal", "text": "text",
    "json": "JSON", "datetime": "a date/time", "time": "a time of day", "binary": "binary data",
    "boolean": "a boolean", "enum": "an ENUM position", "set": "a SET bitmask", "uuid": "a UUID",
    "other": "another type",
}
# `name[(size[,scale])] [UNSIGNED] [other words]`, e.g. `varchar(50)`, `INT(10) UNSIGNED`, `DOUBLE PRECISION`.
# (Both patterns of this module are compiled when first used, by `re`'s cache: compiling them took as long as
# the rest of the module's import, and many runs never use them.)
_SQL_TYPE = r"(?i)^\s*([A-Za-z][A-Za-z0-9 ]*?)\s*(?:\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\))?\s*(unsigned)?[\sA-Za-z]*$"


# The two values below are named tuples: a frozen dataclass costs several times as much to create at import.
class Shape(NamedTuple):
    """What the database holds for a column: a kind, the canonical SQL type, a capacity within the kind
    (a tuple compared component-wise, bigger is wider; None when it has no order) and a label for messages."""

    kind: str
    native: str
    capacity: tuple | None
    label: str


def label(column: Column) -> str:
    if column.sql_type:
        return column.sql_type
    if column.size is None:
        return column.type
    if column.scale is not None:
        return f"{column.type}({column.size},{column.scale})"
    return f"{column.type}({column.size})"


def _native_kind(platform: str, native: str) -> str:
    if native in _INT_BYTES:
        return "int"
    if native in ("REAL", "FLOAT", "DOUBLE"):
        return "float"
    if native == "DECIMAL":
        return "decimal"
    if native in ("CHAR", "VARCHAR", "TEXT", "CITEXT") or native in _MYSQL_TEXT_BYTES:
        return "text"
    if native == "JSON":
        return "json"
    if native in ("DATE", "DATETIME", "TIMESTAMP", "TIMESTAMPTZ", "TIMESTAMP WITH TIME ZONE"):
        return "datetime"
    if native in ("TIME", "TIMETZ"):
        return "time"
    if native in ("BINARY", "VARBINARY", "BYTEA") or native in _MYSQL_BLOB_BYTES:
        return "binary"
    if native == "BOOLEAN":
        return "boolean"
    if native == "UUID":
        return "uuid"
    return "other"


def _capacity(platform: str, kind: str, native: str, size: int | None, scale: int | None, unsigned: bool):
    mysql = platform == "mysql"
    if kind == "int":
        bits = 8 * _INT_BYTES[native]
        return (0, 2 ** bits - 1) if unsigned else (2 ** (bits - 1), 2 ** (bits - 1) - 1)  # (-min, max)
    if kind == "float":
        width = 4 if native == "REAL" and not mysql or native == "FLOAT" and mysql else 8
        if mysql and size:  # MySQL FLOAT(M,D) / DOUBLE(M,D) limit the digits
            return (width, size - (scale or 0), scale or 0)
        return (width, INF, INF)
    if kind == "decimal":
        if size is None and not mysql:
            return (INF, INF)  # PostgreSQL NUMERIC without precision: any value
        precision = size if size is not None else 10  # MySQL DECIMAL defaults to (10,0)
        return (precision - (scale or 0), scale or 0)
    if kind == "text":
        if native in ("CHAR", "VARCHAR"):
            length = size if size is not None else (1 if native == "CHAR" else None)
            if length is None:
                return (INF, INF)  # PostgreSQL VARCHAR without size
            return (length, 4 * length) if mysql else (length, INF)  # utf8mb4: up to 4 bytes a character
        if not mysql:
            return (INF, INF)
        limit = _MYSQL_TEXT_BYTES.get(native, 65535)
        if native == "TEXT" and size:  # MySQL picks the smallest TEXT type that holds TEXT(n)
            limit = next(b for b, _ in _MYSQL_TEXT_TIERS if size <= b) if size <= 4294967295 else 4294967295
        return (limit, limit)
    if kind == "datetime":
        has_time = 0 if native == "DATE" else 1
        wide_range = 0 if (mysql and native == "TIMESTAMP") else 1  # MySQL TIMESTAMP: 1970-2038 only
        precision = 0 if native == "DATE" else (size if size is not None else (0 if mysql else 6))
        return (has_time, wide_range, precision)
    if kind == "time":
        return (size if size is not None else (0 if mysql else 6),)
    if kind == "binary":
        if native in ("BINARY", "VARBINARY"):
            return (size or 1,) if mysql else (INF,)
        return (_MYSQL_BLOB_BYTES.get(native, INF) if mysql else INF,)
    if kind in ("boolean", "enum", "set", "uuid", "json"):
        return (1,)
    return None


def parse_sql_type(sql_type: str) -> tuple[str, int | None, int | None, bool] | None:
    match = re.match(_SQL_TYPE, sql_type)
    if match is None:
        return None
    name = " ".join(match.group(1).upper().split())
    name = _CANONICAL.get(name, name)
    size = int(match.group(2)) if match.group(2) else None
    scale = int(match.group(3)) if match.group(3) else None
    return name, size, scale, bool(match.group(4))


def shape(platform: str, column: Column) -> Shape:
    if column.sql_type:
        parsed = parse_sql_type(column.sql_type)
        if parsed is None:
            return Shape(_SEMANTIC.get(column.type, "other"), column.sql_type.upper(), None, column.sql_type)
        native, size, scale, unsigned = parsed
        if native == "REAL" and platform == "mysql":
            native = "DOUBLE"  # MySQL's REAL is DOUBLE unless REAL_AS_FLOAT is set
    else:
        raw = native_type(platform, column.type).upper()
        native, size, scale, unsigned = _CANONICAL.get(raw, raw), column.size, column.scale, False
    storage = _native_kind(platform, native)
    kind = _SEMANTIC.get(column.type, storage)
    if kind == "json" and storage == "text":
        kind = "text"  # a JSON column declared with a text sqlType is text to the database
    return Shape(kind, native, _capacity(platform, kind, native, size, scale, unsigned), label(column))


def type_sql(platform: str, column: Column) -> str:
    """The type part of the column DDL (what MySQL's `CHANGE` converts to)."""
    if column.sql_type:
        return column.sql_type.upper()
    text = native_type(platform, column.type).upper()
    if column.size is not None:
        text += f"({column.size},{column.scale})" if column.scale is not None else f"({column.size})"
    return text


def alters_type(event: ColumnChanged, platform: str) -> bool:
    """Propel's migration converts the column's type, not only its nullability or default."""
    if not event.ddl:
        return False
    if platform == "pgsql":
        return pg_alters_type(event.before, event.after)
    return type_sql(platform, event.before) != type_sql(platform, event.after)


def _compare(a: tuple, b: tuple) -> str | None:
    if a == b:
        return None
    if all(y >= x for x, y in zip(a, b)):
        return WIDENED
    return NARROWED


def _render_width(platform: str, s: Shape) -> float | None:
    """How many characters the old values need as text, or None when their text form is not their meaning."""
    if s.kind == "int":
        low, high = -s.capacity[0], s.capacity[1]
        return max(len(str(low)), len(str(high)))
    if s.kind == "decimal":
        return s.capacity[0] + s.capacity[1] + 2
    if s.kind == "float":
        return 24
    if s.kind == "boolean":
        return 1
    if s.kind == "datetime":
        return 10 if s.native == "DATE" else 19 + (s.capacity[2] + 1 if s.capacity[2] else 0)
    if s.kind == "time":
        return 10 + (s.capacity[0] + 1 if s.capacity[0] else 0)
    if s.kind == "uuid":
        return 36 if platform == "pgsql" else None  # MySQL stores UUID as BINARY(16)
    if s.kind == "json":
        return 2 ** 30 if platform == "mysql" else INF  # MySQL: max_allowed_packet tops at 1 GiB
    return None


def _fits(platform: str, a: Shape, b: Shape) -> bool:
    """Every value the old type can hold survives the conversion to the new type with its meaning."""
    if a.capacity is None or b.capacity is None:
        return False
    if b.kind == "text":
        need = _render_width(platform, a)
        return need is not None and b.capacity[0] >= need and b.capacity[1] >= need
    if a.kind == "int" and b.kind == "decimal":
        return b.capacity[0] >= len(str(max(a.capacity)))
    if a.kind == "int" and b.kind == "float":
        return max(a.capacity) <= 2 ** (24 if b.capacity[0] == 4 else 53) and b.capacity[1] == INF
    if a.kind == "decimal" and b.kind == "int":
        return a.capacity[1] == 0 and a.capacity[0] != INF and 10 ** a.capacity[0] - 1 <= min(b.capacity)
    if a.kind == "boolean" and b.kind == "int":
        return True
    if a.kind == "enum" and b.kind == "int":
        return b.capacity[1] >= 127
    if a.kind == "set" and b.kind == "int":
        return b.capacity[1] >= 2 ** 31 - 1
    return False


class TypeVerdict(NamedTuple):
    """One column's type change: CHANGED (CL203), NARROWED (CL204) or WIDENED (CL210).
    `breaks`: V1's values can be lost, rejected or reinterpreted (CL203 error, else warning)."""

    verdict: str
    before: str
    after: str
    reason: str
    breaks: bool = True
    using: str | None = None


def migration_using(event: ColumnChanged, ctx) -> str | None:
    """How the migration statement that made this change converts the column on PostgreSQL, when the change
    comes from migration SQL rather than from Propel's prediction: "reads" (a `USING` that reads the old
    value), "none" (no `USING`: PostgreSQL's own cast) or None (not from SQL, or `USING` discards the value)."""
    origin = event.after.origin_of("type")  # the statement (clause) that changed the type
    if origin is None or not origin.path.endswith((".sql", ".php")):
        return None

    def index() -> dict:
        found = {}
        for item in ctx.events_of(MigrationStatement):
            for action in item.statement.actions:
                if type(action).__name__ == "AlterColumn" and action.propel_type:
                    found[(action.origin or item.statement.origin, action.table, action.name)] = action
        return found

    action = ctx.memo("pg-alter-type-actions", index).get((origin, event.head.name, event.after.name))
    if action is None or action.using_discards:
        return None
    return "none" if action.using is None else "reads"


def type_verdict(event: ColumnChanged, platform: str, sql_using: str | None = None) -> TypeVerdict | None:
    """`sql_using`: `migration_using()` of the event; a migration whose own `USING` keeps the values (or that
    leaves a same-kind change to PostgreSQL's cast) is judged by the types, not by Propel's `USING NULL`."""
    if not event.changes & TYPE_CHANGES:
        return None
    before, after = event.before, event.after
    old, new = shape(platform, before), shape(platform, after)
    name = f"{event.head.name}.{after.name}"
    converts = alters_type(event, platform)
    own_cast = sql_using == "reads" or (sql_using == "none" and old.kind == new.kind)
    if converts and platform == "pgsql" and not own_cast:
        using = pg_using_cast(before, after)
        clause = pg_type_clause(before, after)
        if using == USING_NULL:
            if before.not_null or after.not_null:
                effect = ("the ALTER fails on the NOT NULL column and PostgreSQL rolls the whole migration back, "
                          "so the deploy stops")
            else:
                effect = "every existing value of the column becomes NULL: its data is lost"
            return TypeVerdict(CHANGED, old.label, new.label,
                               f"on PostgreSQL Propel emits ALTER COLUMN {after.name} {clause}: {effect}", using=using)
        if using:
            effect = {
                "CASE": "values that are not plain digits become NULL",
                "decode": "the numbers become their text bytes",
                "::uuid": "the ALTER fails on any value that is not a UUID",
            }
            what = next(text for key, text in effect.items() if key in using)
            return TypeVerdict(CHANGED, old.label, new.label,
                               f"on PostgreSQL Propel emits ALTER COLUMN {after.name} {clause}: {what}", using=using)
    if old.kind != new.kind:
        if not converts:
            return TypeVerdict(CHANGED, old.label, new.label,
                               f"Propel emits no DDL (both are {old.native} in the database), but V1 reads the stored "
                               f"values as {KIND_NAMES[old.kind]} and V2 as {KIND_NAMES[new.kind]}", breaks=False)
        if _fits(platform, old, new):
            return TypeVerdict(CHANGED, old.label, new.label,
                               f"every V1 value still fits, but {name} now holds {KIND_NAMES[new.kind]} that V1 reads "
                               f"as {KIND_NAMES[old.kind]}", breaks=False)
        if old.kind in ("enum", "set"):
            return TypeVerdict(CHANGED, old.label, new.label,
                               f"the database holds {'ENUM positions' if old.kind == 'enum' else 'SET bitmasks'}, "
                               f"not labels, so every row becomes {KIND_NAMES[new.kind]} made from that number and "
                               "loses its meaning; V1 keeps writing and reading positions")
        return TypeVerdict(CHANGED, old.label, new.label,
                           f"the existing values are converted from {KIND_NAMES[old.kind]} to {KIND_NAMES[new.kind]} "
                           f"and can be rejected, truncated or reinterpreted; V1 keeps writing and reading "
                           f"{KIND_NAMES[old.kind]}")
    if not converts:
        return None
    if old.capacity is None or new.capacity is None:
        if old.native == new.native and old.capacity == new.capacity:
            return None
        return TypeVerdict(CHANGED, old.label, new.label,
                           "compatlint cannot tell whether every V1 value fits the new sqlType", breaks=False)
    direction = _compare(old.capacity, new.capacity)
    if direction is None:
        if old.native == new.native:
            return None  # e.g. MySQL integer display width: same column
        if (old.native, new.native) == ("CHAR", "VARCHAR"):
            return TypeVerdict(WIDENED, old.label, new.label, "CHAR becomes VARCHAR of the same length")
        return TypeVerdict(CHANGED, old.label, new.label,
                           f"same capacity, but {old.native} becomes {new.native}", breaks=False)
    if direction == WIDENED:
        return TypeVerdict(WIDENED, old.label, new.label, "every V1 value still fits")
    return TypeVerdict(NARROWED, old.label, new.label, _narrowing_reason(old, new))


def _narrowing_reason(old: Shape, new: Shape) -> str:
    if old.kind == "int":
        return "the integer range shrinks"
    if old.kind == "text":
        if new.capacity[0] == old.capacity[0] or new.capacity[0] > old.capacity[0]:
            return "the byte capacity shrinks (multi-byte characters no longer fit)"
        return "strings longer than the new limit no longer fit"
    if old.kind in ("decimal", "float"):
        return "integer digits or decimal places are lost"
    if old.kind == "datetime":
        if new.capacity[0] < old.capacity[0]:
            return "the time of day is lost"
        if new.capacity[1] < old.capacity[1]:
            return "MySQL TIMESTAMP only holds 1970-2038"
        return "fractional seconds are lost"
    return "the capacity shrinks"


def type_location(event: ColumnChanged):
    return event.location_of(*[c for c in TYPE_LOCATION if c in event.changes])


# --- defaults ---------------------------------------------------------------------------------------------------

_PHP_NUMERIC = r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$"
_NOW = ("CURRENT_TIMESTAMP", "NOW()")


def defaults_equivalent(a: Default | None, b: Default | None) -> bool:
    """`ColumnDefaultValue::equals`: same kind, then loose `==` on the values, then CURRENT_TIMESTAMP == NOW()."""
    if a is None or b is None:
        return a is b
    if a.is_expression != b.is_expression:
        return False
    if a.value == b.value:
        return True
    if re.match(_PHP_NUMERIC, a.value) and re.match(_PHP_NUMERIC, b.value) and float(a.value) == float(b.value):
        return True
    return a.value.upper() in _NOW and b.value.upper() in _NOW


# PropelTypes::isTextType (`Model/PropelTypes.php` L576-L590): these defaults are quoted.
_QUOTED_DEFAULTS = frozenset({"CHAR", "VARCHAR", "LONGVARCHAR", "CLOB", "DATE", "DATETIME", "TIME", "TIMESTAMP",
                              "BU_DATE", "BU_TIMESTAMP", "JSON"})


def default_ddl(platform: str, column: Column) -> str:
    """`DefaultPlatform::getColumnDefaultValueDDL` (L448-L484): the DEFAULT clause Propel writes. Booleans
    become 1/0 (MySQL) or 't'/'f' (PostgreSQL, `getBooleanString`), ENUM values their position, SET values
    their bitmask, so `true` and `1` are the same default to the database."""
    default = column.default
    if default is None:
        return ""
    value = default.value
    if default.is_expression:
        return f"DEFAULT {value}"
    if column.type in _QUOTED_DEFAULTS:
        return "DEFAULT '" + value.replace("'", "''") + "'"
    if column.type in ("BOOLEAN", "BOOLEAN_EMU"):
        true = value.lower() in ("1", "true", "y", "yes")  # getBooleanString: no trimming
        if platform == "pgsql":
            return "DEFAULT 't'" if true else "DEFAULT 'f'"
        return "DEFAULT 1" if true else "DEFAULT 0"
    values = column.value_set or ()
    if column.type == "ENUM":
        return f"DEFAULT {values.index(value)}" if value in values else "DEFAULT "
    if column.type == "SET":
        members = {v.strip() for v in value.split(",")}
        return f"DEFAULT {sum(1 << i for i, v in enumerate(values) if v in members)}"
    return f"DEFAULT {value}"


def is_now(default: Default | None) -> bool:
    return default is not None and default.value.strip().upper() in _NOW


def mysql_native_timestamp(platform: str, column: Column) -> bool:
    """The column is a MySQL TIMESTAMP: `MysqlPlatform::getColumnDDL` (L500-L510) writes it NOT NULL without a
    default as `DEFAULT CURRENT_TIMESTAMP`."""
    return platform == "mysql" and (column.sql_type or native_type(platform, column.type)).upper() == "TIMESTAMP"
