"""Seed values V1 would write, the PHP casts V1 reads them back with, and how values are shown."""

from __future__ import annotations

import datetime as dt
import decimal

from ..model import Column, Table


_INT_MAX = {"TINYINT": 127, "SMALLINT": 32767, "INTEGER": 2147483647, "BIGINT": 9223372036854775807}
_LETTERS = "abcdefghijklmnopqrstuvwxyz0123456789"


def _keyed(table: Table) -> set[str]:
    """Columns of V1's primary key and unique constraints."""
    return {name for key in [table.primary_key, *(u.columns for u in table.uniques.values())] for name in key}


def must_set(table: Table, column: Column) -> bool:
    """Columns every V1 INSERT names: NOT NULL without a default, and (else V1 itself would collide on its own
    constraints) the columns of V1's keys."""
    if column.auto_increment:
        return False
    if column.name in _keyed(table):  # a default (or NOT NULL) would repeat; NULLs never collide
        return column.not_null or column.default is not None
    return column.not_null and column.default is None


def v1_sets(table: Table, column: Column) -> bool:
    """Columns V1's code writes: every non-lazy column; a lazy one only when it must."""
    return not column.lazy_load or must_set(table, column)


def _string(width: int, variant: int) -> str:
    head = f"v{variant}"
    if width < len(head):
        return (_LETTERS[variant % len(_LETTERS)] * width)[:width]
    return (head + "_" + "x" * width)[:width]


def _day(start: dt.date, variant: int) -> str:
    return (start + dt.timedelta(days=variant)).isoformat()


def value_for(column: Column, platform: str, variant: int):
    """A value of the column's V1 type, at V1's full width; distinct variants give distinct values."""
    kind = column.type
    if kind in _INT_MAX:
        return _INT_MAX[kind] - 7 - variant
    if kind in ("BOOLEAN", "BOOLEAN_EMU"):
        return bool((variant + 1) % 2)
    if kind in ("FLOAT", "DOUBLE", "REAL"):
        single = (platform == "mysql" and kind == "FLOAT") or (platform == "pgsql" and kind == "REAL")
        # full width: a double that single precision cannot hold (2^24 + 1.5), or one it can
        return 1.5 + variant if single else 16777217.5 + variant
    if kind in ("DECIMAL", "NUMERIC"):
        size = column.size or (10 if platform == "mysql" else 12)
        scale = column.scale or 0
        whole = size - scale
        text = ("9" * whole or "0") + ("." + "9" * scale if scale else "")
        return decimal.Decimal(text) - variant
    if kind == "CHAR":
        return _string(column.size or 1, variant)
    if kind == "VARCHAR":
        width = column.size or (255 if platform == "mysql" else 40)
        return _string(width, variant)
    if kind in ("LONGVARCHAR", "CLOB"):
        return f"long text {variant} " + "y" * 300
    if kind in ("DATE", "BU_DATE"):
        return _day(dt.date(1950, 1, 1), variant)  # dates before 1970, as birthdays are: outside TIMESTAMP's range
    if kind == "TIME":
        return f"12:{variant // 60 % 60:02d}:{variant % 60:02d}"
    if kind in ("DATETIME", "BU_TIMESTAMP"):
        return _day(dt.date(1950, 1, 1), variant) + " 12:34:56"
    if kind == "TIMESTAMP":
        return _day(dt.date(2024, 1, 1), variant) + " 12:34:56"
    if kind in ("BINARY", "UUID_BINARY"):
        return bytes([variant % 256]) * (column.size or 16)
    if kind in ("VARBINARY", "LONGVARBINARY", "BLOB", "OBJECT"):
        return bytes([variant % 256, 1, 2, 3]) * 4
    if kind == "UUID":
        if platform == "mysql":
            return bytes([variant % 256]) * 16
        return f"00000000-0000-4000-8000-{variant:012d}"
    if kind == "JSON":
        return f'{{"v": {variant}}}'
    if kind in ("ARRAY", "PHP_ARRAY"):
        return f"| a{variant} | b |"
    if kind == "ENUM":
        return variant % max(1, len(column.value_set or ()))
    if kind == "SET":
        return 1 << (variant % max(1, len(column.value_set or ())))
    return f"v{variant}"


def php_cast(column: Column, value):
    """What V1's hydrate makes of a value read back, for comparing with what it wrote."""
    if value is None:
        return None
    kind = column.type
    try:
        if kind in _INT_MAX or kind in ("ENUM", "SET"):
            return int(decimal.Decimal(str(value)))
        if kind in ("BOOLEAN", "BOOLEAN_EMU"):
            # hydrate() casts with PHP's (bool): pdo_pgsql gives booleans, pdo_mysql strings ('0.00' is true)
            if isinstance(value, bool):
                return value
            if isinstance(value, float) and value == int(value):
                value = int(value)
            return str(value) not in ("", "0")
        if kind in ("FLOAT", "DOUBLE", "REAL"):
            return round(float(value), 4)
        if kind in ("DECIMAL", "NUMERIC"):
            return decimal.Decimal(str(value)).normalize()
        if kind in ("DATE", "BU_DATE"):
            return str(value)[:10]
        if kind == "TIME":
            return str(value)[-8:] if not isinstance(value, dt.timedelta) else _timedelta_text(value)
        if kind in ("TIMESTAMP", "DATETIME", "BU_TIMESTAMP"):
            text = value.isoformat(sep=" ") if isinstance(value, dt.datetime) else str(value)
            return text[:19] if len(text) >= 19 else (text + " 00:00:00")[:19]
        if kind == "CHAR":
            return str(value).rstrip(" ")
        if isinstance(value, memoryview):
            return bytes(value)
        if isinstance(value, (bytes, bytearray)):
            return bytes(value)
        if kind == "JSON":
            import json

            return json.loads(value) if isinstance(value, str) else value
        return str(value)
    except (ValueError, TypeError, decimal.InvalidOperation, ArithmeticError):
        return ("unreadable", str(value))


def _timedelta_text(value: dt.timedelta) -> str:
    seconds = int(value.total_seconds())
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def expected_read(column: Column, value):
    if isinstance(value, bool) and column.type not in ("BOOLEAN", "BOOLEAN_EMU"):
        value = int(value)
    return php_cast(column, value)


def meaning(column: Column, stored) -> object:
    values = column.value_set or ()
    if stored is None:
        return None
    stored = int(stored)
    if column.type == "SET":
        return tuple(v for i, v in enumerate(values) if stored & (1 << i)) + (("?",) if stored >> len(values) else ())
    return values[stored] if 0 <= stored < len(values) else None



def show(value) -> str:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return "0x" + bytes(value).hex()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, (dt.date, dt.time, dt.datetime, dt.timedelta)):
        return f"'{value}'"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "...'"


def show_meaning(value) -> str:
    if value is None:
        return "an unknown key"
    if isinstance(value, tuple):
        return "[" + ", ".join(value) + "]"
    return repr(value)
