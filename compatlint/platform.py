"""What Propel's MySQL and PostgreSQL platforms make of a column: native type, size, default, DDL text.

Everything here follows propelorm/Propel2 at 2.0.0-beta3, `src/Propel/Generator/Platform/`:
type maps `MysqlPlatform.php` L59-L79 and `PgsqlPlatform.php` L43-L66; `getColumnDDL` (Default L408-L446,
MySQL L447-L539 with its TIMESTAMP rules and COMMENT, Pgsql L496-L541 with serial/bigserial);
`getColumnDefaultValueDDL` (Default L448-L498); `getBooleanString` (Default L1368, Pgsql L113);
`hasSize` (MySQL L984, Pgsql L591); default sizes dropped by `normalizeTable` (Default L1548-L1589,
MySQL L998, Pgsql L88); `ColumnDefaultValue::equals` (`Model/ColumnDefaultValue.php` L109-L125).
"""

from __future__ import annotations

import re

from .model import Column, Default

MYSQL_TYPES = {
    "BOOLEAN": "TINYINT", "BOOLEAN_EMU": "BOOLEAN_EMU", "TINYINT": "TINYINT", "SMALLINT": "SMALLINT",
    "INTEGER": "INTEGER", "BIGINT": "BIGINT", "REAL": "DOUBLE", "FLOAT": "FLOAT", "DOUBLE": "DOUBLE",
    "DECIMAL": "DECIMAL", "NUMERIC": "DECIMAL", "CHAR": "CHAR", "VARCHAR": "VARCHAR",
    "LONGVARCHAR": "TEXT", "CLOB": "LONGTEXT", "DATE": "DATE", "TIME": "TIME", "TIMESTAMP": "TIMESTAMP",
    "DATETIME": "DATETIME", "BINARY": "BINARY", "VARBINARY": "MEDIUMBLOB", "LONGVARBINARY": "LONGBLOB",
    "BLOB": "BLOB", "OBJECT": "MEDIUMBLOB", "ARRAY": "TEXT", "PHP_ARRAY": "TEXT", "ENUM": "TINYINT",
    "SET": "INT", "JSON": "JSON", "UUID": "BINARY", "UUID_BINARY": "BINARY", "GEOMETRY": "GEOMETRY",
    "BU_DATE": "DATE", "BU_TIMESTAMP": "TIMESTAMP",
}

PGSQL_TYPES = {
    "BOOLEAN": "BOOLEAN", "BOOLEAN_EMU": "BOOLEAN_EMU", "TINYINT": "INT2", "SMALLINT": "INT2", "INTEGER": "INTEGER",
    "BIGINT": "INT8", "REAL": "REAL", "FLOAT": "DOUBLE PRECISION", "DOUBLE": "DOUBLE PRECISION",
    "DECIMAL": "NUMERIC", "NUMERIC": "NUMERIC", "CHAR": "CHAR", "VARCHAR": "VARCHAR",
    "LONGVARCHAR": "TEXT", "CLOB": "TEXT", "DATE": "DATE", "TIME": "TIME", "TIMESTAMP": "TIMESTAMP",
    "DATETIME": "TIMESTAMP", "BINARY": "BYTEA", "VARBINARY": "BYTEA", "LONGVARBINARY": "BYTEA", "BLOB": "BYTEA",
    "OBJECT": "BYTEA", "ARRAY": "TEXT", "PHP_ARRAY": "TEXT", "ENUM": "INT2", "SET": "INT4", "JSON": "JSON",
    "UUID": "uuid", "UUID_BINARY": "BYTEA", "GEOMETRY": "GEOMETRY", "BU_DATE": "DATE", "BU_TIMESTAMP": "TIMESTAMP",
}

# `PropelTypes::$mappingTypes` (propelorm/Propel2 2.0.0-beta3 `src/Propel/Generator/Model/PropelTypes.php` L364-L401;
# `PHP_ARRAY` is spelled `ARRAY`): the only `type` values `DefaultPlatform::getDomainForType` maps (L232-L239); any
# other throws "Cannot map unknown Propel type". `Column::getDomainFromAttributes` upper-cases without trimming (L274-L277).
PROPEL_TYPES = frozenset({
    "CHAR", "VARCHAR", "LONGVARCHAR", "CLOB", "NUMERIC", "DECIMAL", "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "REAL",
    "FLOAT", "DOUBLE", "BINARY", "VARBINARY", "LONGVARBINARY", "BLOB", "DATE", "DATETIME", "TIME", "TIMESTAMP",
    "BOOLEAN", "BOOLEAN_EMU", "OBJECT", "ARRAY", "ENUM", "GEOMETRY", "BU_DATE", "BU_TIMESTAMP", "SET", "JSON", "UUID",
    "UUID_BINARY",
})


def unknown_type(attrs: dict) -> str | None:
    """The `type` attribute of a `<column>` when Propel cannot map it (None when it can, or a `domain` decides)."""
    if attrs.get("domain"):
        return None
    raw = attrs.get("type")
    if raw is None:
        return None  # Column::DEFAULT_TYPE, VARCHAR
    return None if raw.upper() in PROPEL_TYPES else raw


# `getDefaultTypeSizes`, keyed by the lower-cased *Propel* type as `getDefaultTypeSize` looks them up:
# MySQL's `int` key never matches INTEGER, so INTEGER(11) keeps its size; PostgreSQL's `integer` does.
_DEFAULT_SIZES = {
    "mysql": {"char": 1, "tinyint": 4, "smallint": 6, "int": 11, "bigint": 20, "decimal": 10},
    "pgsql": {"char": 1, "character": 1, "integer": 32, "bigint": 64, "smallint": 16, "double precision": 54},
}
# Sizes a platform's domain carries without a `size` attribute.
_DOMAIN_SIZES = {"mysql": {"BOOLEAN": 1, "UUID": 16, "UUID_BINARY": 16}, "pgsql": {}}

_MYSQL_SIZELESS = {"MEDIUMTEXT", "LONGTEXT", "BLOB", "MEDIUMBLOB", "LONGBLOB"}
_PGSQL_SIZELESS = {"BYTEA", "TEXT", "DOUBLE PRECISION"}
PG_NUMBERS = {"INTEGER", "INT4", "INT2", "NUMBER", "NUMERIC", "SMALLINT", "BIGINT", "DECIMAL", "REAL",
              "DOUBLE PRECISION", "SERIAL", "BIGSERIAL"}

PROPEL_TEXT_TYPES = {"CHAR", "VARCHAR", "LONGVARCHAR", "CLOB", "DATE", "DATETIME", "TIME", "TIMESTAMP", "BU_DATE",
                     "BU_TIMESTAMP", "JSON"}
TEXT_TYPES = {"CHAR", "VARCHAR", "LONGVARCHAR", "CLOB", "ARRAY", "PHP_ARRAY", "JSON"}
INTEGER_TYPES = {"TINYINT": 1, "SMALLINT": 2, "INTEGER": 4, "BIGINT": 8}
FLOAT_TYPES = {"REAL": 4, "FLOAT": 8, "DOUBLE": 8}
DECIMAL_TYPES = {"DECIMAL", "NUMERIC"}
TEMPORAL_TYPES = {"DATE", "TIME", "TIMESTAMP", "DATETIME", "BU_DATE", "BU_TIMESTAMP"}
BINARY_TYPES = {"BINARY", "VARBINARY", "LONGVARBINARY", "BLOB", "OBJECT", "UUID_BINARY"}


def type_family(propel_type: str) -> str:
    if propel_type in TEXT_TYPES:
        return "text"
    if propel_type in INTEGER_TYPES:
        return "integer"
    if propel_type in FLOAT_TYPES or propel_type in DECIMAL_TYPES:
        return "number"
    if propel_type in TEMPORAL_TYPES:
        return "temporal"
    if propel_type in BINARY_TYPES:
        return "binary"
    if propel_type in ("BOOLEAN", "BOOLEAN_EMU"):
        return "boolean"
    if propel_type in ("ENUM", "SET"):
        return "enum"
    if propel_type == "UUID":
        return "uuid"
    return propel_type.lower()


def native_type(platform: str, propel_type: str) -> str:
    table = MYSQL_TYPES if platform == "mysql" else PGSQL_TYPES
    return table.get(propel_type, propel_type)


def normalise_size(platform: str, propel_type: str, size: int | None, has_sql_type: bool,
                   scale: int | None = None) -> int | None:
    """The size Propel's model holds after `Column::setupObject` and `normalizeTable`."""
    if size is None:
        if propel_type == "VARCHAR" and not has_sql_type and platform == "mysql":
            return 255  # Column::setupObject: MySQL has no VARCHAR without a size
        return _DOMAIN_SIZES[platform].get(propel_type)
    if scale is None and _DEFAULT_SIZES[platform].get(propel_type.lower()) == size:
        return None
    return size


def sql_type(platform: str, column: Column) -> str:
    return column.sql_type or native_type(platform, column.type)


def has_size(platform: str, sql: str) -> bool:
    if platform == "mysql":
        return sql not in _MYSQL_SIZELESS
    return sql.upper() not in _PGSQL_SIZELESS


def size_definition(column: Column) -> str:
    if column.size is None:
        return ""
    return f"({column.size},{column.scale})" if column.scale is not None else f"({column.size})"


def type_ddl(platform: str, column: Column, has_sequence_parameter: bool = True) -> str:
    """The type part of `getColumnDDL`: size only where the platform prints one."""
    sql = sql_type(platform, column)
    default_sql = column.sql_type is None
    if platform == "pgsql":
        if column.auto_increment and not has_sequence_parameter:
            sql = "bigserial" if column.type == "BIGINT" else "serial"
        if has_size(platform, sql) and default_sql:
            if sql.upper() in PG_NUMBERS:
                return sql + size_definition(column) if sql.upper() == "NUMERIC" else sql
            return sql + size_definition(column)
        return sql
    return sql + size_definition(column) if has_size(platform, sql) and default_sql else sql


def _boolean(value: str) -> bool:
    return value.strip().lower() in ("1", "true", "y", "yes")


def quote_literal(platform: str, text: str) -> str:
    if platform == "mysql":  # addslashes
        text = text.replace("\\", "\\\\").replace("'", "\\'").replace('"', '\\"').replace("\0", "\\0")
        return f"'{text}'"
    return "'" + text.replace("'", "''") + "'"


def default_ddl(platform: str, column: Column) -> str:
    """`getColumnDefaultValueDDL`: `DEFAULT ...` or the empty string."""
    default = column.default
    if default is None:
        return ""
    if default.is_expression:
        return f"DEFAULT {default.value}"
    ptype = column.type
    if ptype in PROPEL_TEXT_TYPES:
        return f"DEFAULT {quote_literal(platform, default.value)}"
    if ptype in ("BOOLEAN", "BOOLEAN_EMU"):
        bit = _boolean(default.value)
        return f"DEFAULT {('1' if bit else '0') if platform == 'mysql' else (chr(39) + ('t' if bit else 'f') + chr(39))}"
    if ptype == "ENUM":
        values = column.value_set or ()
        return f"DEFAULT {values.index(default.value)}" if default.value in values else "DEFAULT "
    if ptype == "SET":
        values = column.value_set or ()
        bits = 0
        for item in (v.strip() for v in default.value.split(",")):
            if item in values:
                bits |= 1 << values.index(item)
        return f"DEFAULT {bits}"
    if ptype in ("ARRAY", "PHP_ARRAY"):
        items = [v.strip() for v in default.value.split(",") if v.strip()]
        return f"DEFAULT '| {' | '.join(items)} |'" if items else ""
    return f"DEFAULT {default.value}"


def column_ddl(platform: str, column: Column, has_sequence_parameter: bool = True, quote=None) -> str:
    """`getColumnDDL`: the column definition Propel prints (with the quoted name)."""
    name = (quote or quote_identifier(platform))(column.name)
    typ = type_ddl(platform, column, has_sequence_parameter)
    default = default_ddl(platform, column)
    not_null = "NOT NULL" if column.not_null else ""
    parts = [name]
    if platform == "mysql":
        sql = sql_type(platform, column)
        if sql == "DATETIME" and column.default is not None and column.default.is_expression:
            typ = typ.replace("DATETIME", "TIMESTAMP", 1)  # MySQL allows only constant DATETIME defaults
            sql = "TIMESTAMP"
        parts.append(typ)
        if sql == "TIMESTAMP":
            not_null = not_null or "NULL"
            if not default and not_null == "NOT NULL":
                default = "DEFAULT CURRENT_TIMESTAMP"
            parts.append(not_null)
            if default:
                parts.append(default)
        else:
            parts.extend(p for p in (default, not_null) if p)
        if column.auto_increment:
            parts.append("AUTO_INCREMENT")
        if column.description:
            parts.append("COMMENT " + quote_literal(platform, column.description))
        return " ".join(parts)
    parts.append(typ)
    parts.extend(p for p in (default, not_null) if p)
    return " ".join(parts)


def quote_identifier(platform: str):
    if platform == "mysql":
        return lambda name: "`" + name.replace(".", "`.`") + "`"
    return lambda name: '"' + name.replace(".", '"."') + '"'


_NUMERIC = re.compile(r"^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$")


def _php_loose_equal(a: str, b: str) -> bool:
    """PHP 8 `==` between two strings: numeric strings compare as numbers."""
    if _NUMERIC.match(a) and _NUMERIC.match(b):
        return float(a) == float(b)
    return a == b


def defaults_equal(a: Default | None, b: Default | None) -> bool:
    """`ColumnDefaultValue::equals` (with both absent counting as equal)."""
    if a is None or b is None:
        return a is b
    if a.is_expression != b.is_expression:
        return False
    if _php_loose_equal(a.value, b.value):
        return True
    return a.value.upper() in ("CURRENT_TIMESTAMP", "NOW()") and b.value.upper() in ("CURRENT_TIMESTAMP", "NOW()")


def max_identifier_length(platform: str) -> int:
    return 64 if platform == "mysql" else 63
