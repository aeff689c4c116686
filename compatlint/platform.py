"""What Propel's MySQL and PostgreSQL platforms make of a column: native type, size, DDL text.

Sources (propelorm/Propel2 at 2.0.0-beta3): type maps `MysqlPlatform.php` L59-L79,
`PgsqlPlatform.php` L43-L66, `DefaultPlatform.php` L144-L160; default sizes dropped by
`normalizeTable` (`MysqlPlatform.php` L998); `supportsVarcharWithoutSize` (Default L1350 false,
Pgsql L607 true); `hasSize` (MySQL L984, Pgsql L591, L506-L515).
"""

from __future__ import annotations

from .model import Column

MYSQL_TYPES = {
    "BOOLEAN": "TINYINT", "BOOLEAN_EMU": "TINYINT", "TINYINT": "TINYINT", "SMALLINT": "SMALLINT",
    "INTEGER": "INTEGER", "BIGINT": "BIGINT", "REAL": "DOUBLE", "FLOAT": "FLOAT", "DOUBLE": "DOUBLE",
    "DECIMAL": "DECIMAL", "NUMERIC": "DECIMAL", "CHAR": "CHAR", "VARCHAR": "VARCHAR",
    "LONGVARCHAR": "TEXT", "CLOB": "LONGTEXT", "DATE": "DATE", "TIME": "TIME", "TIMESTAMP": "TIMESTAMP",
    "DATETIME": "DATETIME", "BINARY": "BINARY", "VARBINARY": "MEDIUMBLOB", "LONGVARBINARY": "LONGBLOB",
    "BLOB": "BLOB", "OBJECT": "MEDIUMBLOB", "ARRAY": "TEXT", "PHP_ARRAY": "TEXT", "ENUM": "TINYINT",
    "SET": "INT", "JSON": "JSON", "UUID": "BINARY", "UUID_BINARY": "BINARY", "GEOMETRY": "GEOMETRY",
    "BU_DATE": "DATE", "BU_TIMESTAMP": "DATETIME",
}

PGSQL_TYPES = {
    "BOOLEAN": "BOOLEAN", "BOOLEAN_EMU": "INT2", "TINYINT": "INT2", "SMALLINT": "INT2", "INTEGER": "INTEGER",
    "BIGINT": "INT8", "REAL": "REAL", "FLOAT": "DOUBLE PRECISION", "DOUBLE": "DOUBLE PRECISION",
    "DECIMAL": "NUMERIC", "NUMERIC": "NUMERIC", "CHAR": "CHAR", "VARCHAR": "VARCHAR",
    "LONGVARCHAR": "TEXT", "CLOB": "TEXT", "DATE": "DATE", "TIME": "TIME", "TIMESTAMP": "TIMESTAMP",
    "DATETIME": "TIMESTAMP", "BINARY": "BYTEA", "VARBINARY": "BYTEA", "LONGVARBINARY": "BYTEA", "BLOB": "BYTEA",
    "OBJECT": "BYTEA", "ARRAY": "TEXT", "PHP_ARRAY": "TEXT", "ENUM": "INT2", "SET": "INT4", "JSON": "JSON",
    "UUID": "uuid", "UUID_BINARY": "BYTEA", "GEOMETRY": "GEOMETRY", "BU_DATE": "DATE", "BU_TIMESTAMP": "TIMESTAMP",
}

# `DefaultPlatform::normalizeTable` (L1548-L1553, L1585-L1589) drops a size equal to the platform default,
# looked up by the lower-cased Propel type in `MysqlPlatform::getDefaultTypeSizes` (L998-L1008), and only
# without a scale. That map's `int` key never matches the Propel type INTEGER, nor does anything match
# NUMERIC: INTEGER(11) and NUMERIC(10) keep their size.
MYSQL_DEFAULT_SIZES = {"CHAR": 1, "TINYINT": 4, "SMALLINT": 6, "BIGINT": 20, "DECIMAL": 10}

_MYSQL_SIZELESS = {"MEDIUMTEXT", "LONGTEXT", "TEXT", "BLOB", "MEDIUMBLOB", "LONGBLOB", "JSON", "DATE", "DATETIME", "GEOMETRY"}
_PGSQL_SIZED = {"VARCHAR", "CHAR", "NUMERIC", "TIMESTAMP", "TIME"}

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
    """The size Propel's DDL will use; `None` where the platform emits none."""
    if size is None:
        if propel_type == "VARCHAR" and not has_sql_type and platform == "mysql":
            return 255  # Column::setupObject, since MySQL has no VARCHAR without size
        if propel_type == "BOOLEAN" and platform == "mysql":
            return 1
        return None
    if platform == "mysql":
        if scale is None and MYSQL_DEFAULT_SIZES.get(propel_type) == size:
            return None
        if native_type(platform, propel_type) in _MYSQL_SIZELESS:
            return None
        return size
    if native_type(platform, propel_type) not in _PGSQL_SIZED:
        return None
    return size


def column_ddl(platform: str, column: Column) -> str:
    """The column definition Propel would print, without the name; equal text means no migration."""
    if column.sql_type:
        text = column.sql_type
    else:
        text = native_type(platform, column.type)
        if column.size is not None:
            text += f"({column.size},{column.scale})" if column.scale is not None else f"({column.size})"
    if column.default is not None:
        text += " DEFAULT " + (column.default.value if column.default.is_expression else repr(column.default.value))
    if column.not_null:
        text += " NOT NULL"
    if column.auto_increment:
        text += " AUTO_INCREMENT" if platform == "mysql" else " SERIAL"
    return text


def max_identifier_length(platform: str) -> int:
    return 64 if platform == "mysql" else 63
