"""One line of text per change event, for a table's history in audit reports.

Only what the event itself holds is used (names, the set of changed column attributes, before/after
values of a column), so the same change seen against two parents of a merge reads the same.
"""

from __future__ import annotations

import re

from . import changes as ev


_KINDS: dict[type, str] = {}


def _kind(event: ev.Event) -> str:
    """`ColumnChanged` -> "column changed"."""
    kind = _KINDS.get(type(event))
    if kind is None:
        kind = _KINDS[type(event)] = re.sub(r"(?<!^)(?=[A-Z])", " ", type(event).__name__).lower()
    return kind


def _column_text(column) -> str:
    text = column.type + (f"({column.size}{f',{column.scale}' if column.scale is not None else ''})"
                          if column.size is not None else "")
    if column.not_null:
        text += " NOT NULL"
    if column.default is not None:
        text += f" DEFAULT {column.default}"
    return text


def describe(event: ev.Event) -> str:
    """E.g. "column changed: points (type, size): INTEGER -> VARCHAR(32)"."""
    kind = _kind(event)
    if isinstance(event, ev.ColumnAdded):
        return f"{kind}: {event.column.name} {_column_text(event.column)}"
    if isinstance(event, ev.ColumnRenamed):
        return f"{kind}: {event.before.name} -> {event.after.name}"
    if isinstance(event, ev.ColumnChanged):
        return (f"{kind}: {event.after.name} ({', '.join(sorted(event.changes))}): "
                f"{_column_text(event.before)} -> {_column_text(event.after)}")
    if isinstance(event, ev.TableRenamed):
        return f"{kind}: {event.base.name} -> {event.head.name}"
    if isinstance(event, ev.PrimaryKeyChanged):
        return f"{kind}: ({', '.join(event.before)}) -> ({', '.join(event.after)})"
    if isinstance(event, ev.SequenceChanged):
        return f"{kind}: {event.before or '(none)'} -> {event.after or '(none)'}"
    if isinstance(event, ev.SchemaProblem):
        return f"{kind}: {event.problem.message}"
    subject = event.subject
    return f"{kind}: {subject}" if subject else kind


def change_key(event: ev.Event) -> tuple[str | None, str]:
    return event.table_name, describe(event)
