"""The V2 migration as executable steps (predicted by `plan()` or committed), and reading its SQL text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import changes as ev
from ..model import Column
from ..sql.generate import plan
from ..sql.split import split_statements
from .dsn import RehearsalError


@dataclass
class MigrationStep:
    sql: str
    table: str | None = None
    events: tuple = ()


def predicted_migration(events, platform: str) -> list[MigrationStep]:
    """`plan()`'s statements, one executable statement each, framed as `render()` frames them."""
    out = []
    for statement in plan(events, platform):
        if not statement.sql:
            continue
        for raw in split_statements(statement.sql):
            out.append(MigrationStep(raw.text, statement.table, tuple(statement.events)))
    if not out:
        return []
    if platform == "mysql":
        return [MigrationStep("SET FOREIGN_KEY_CHECKS = 0"), *out,
                MigrationStep("SET FOREIGN_KEY_CHECKS = 1")]
    return [MigrationStep("BEGIN"), *out, MigrationStep("COMMIT")]


def _normal(sql: str) -> str:
    return " ".join(sql.replace("`", "").replace('"', "").split()).rstrip(";").lower()


def committed_migration(sql: str, events, platform: str) -> list[MigrationStep]:
    """A committed migration's statements; each is linked to the events of the predicted statement it equals,
    else to the events of its table that it names."""
    predicted = {_normal(s.sql): s for s in predicted_migration(events, platform)}
    by_table: dict[str, list] = {}
    for event in events:
        if not isinstance(event, ev.SchemaProblem) and event.table_name:
            by_table.setdefault(event.table_name, []).append(event)
    out = []
    for raw in split_statements(sql):
        match = predicted.get(_normal(raw.text))
        if match is not None:
            out.append(MigrationStep(raw.text, match.table, match.events))
            continue
        identifiers = set(re.findall(r"[`\"]([^`\"]+)[`\"]", raw.text)) | set(re.findall(r"\b(\w+)\b", raw.text))
        table = next((t for t in by_table if t in identifiers), None)
        tied = tuple(e for e in by_table.get(table, ())
                     if e.subject is None or e.subject in identifiers) if table else ()
        out.append(MigrationStep(raw.text, table, tied))
    return out


def read_migration_file(path: str, platform: str) -> str:
    """The SQL of a committed migration: a `.sql` file, or a Propel `PropelMigration_*.php` class (its `zed`
    connection, or its only one)."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        raise RehearsalError(f"{path}: cannot read: {error.strerror}") from None
    if not path.endswith(".php"):
        return data.decode("utf-8", "replace")
    try:
        from ..sql.php import read_migration

        found = read_migration(data, path)
    except ImportError as error:
        raise RehearsalError(f"{path}: reading a PHP migration needs tree-sitter and tree-sitter-php "
                             f"({error.name} is not installed): pip install tree-sitter tree-sitter-php") from None
    connections = {m.connection: m.sql for m in found}
    if len(connections) == 1:
        return next(iter(connections.values()))
    if "zed" in connections:
        return connections["zed"]
    raise RehearsalError(f"{path}: the migration has connections {', '.join(sorted(connections))}; "
                         "keep only the one to rehearse")



def new_columns(event) -> set[str]:
    """Columns that do not exist when the event's statement failed (an added or renamed column)."""
    if isinstance(event, ev.ColumnAdded):
        return {event.column.name}
    if isinstance(event, ev.ColumnRenamed):
        return {event.after.name}
    return set()


def created_by(clause: str, names: list[str]) -> set[str]:
    """The column a clause of an ALTER TABLE creates: ADD x, CHANGE old new (new != old), RENAME COLUMN a TO b."""
    upper = clause.upper()
    if upper.startswith("ADD ") and names and not upper.startswith(("ADD CONSTRAINT", "ADD PRIMARY", "ADD INDEX",
                                                                     "ADD UNIQUE", "ADD FOREIGN")):
        return {names[0]}
    if upper.startswith("CHANGE ") and len(names) > 1 and names[1] != names[0]:
        return {names[1]}
    if upper.startswith("RENAME ") and len(names) > 1:
        return {names[-1]}
    return set()


def identifiers(sql: str) -> list[str]:
    return re.findall(r"[`\"]([^`\"]+)[`\"]", sql)


_ALTER_HEAD = re.compile(r"^(ALTER TABLE\s+(?:`[^`]+`|\"[^\"]+\"|\S+))\s*\n\n  ", re.S)


def alter_clauses(sql: str) -> list[str]:
    """[`ALTER TABLE t`, clause, ...] for an ALTER TABLE merged by Propel's AlterTableStatementMerger (clauses
    joined by ",\n\n  "), else []."""
    match = _ALTER_HEAD.match(sql)
    if not match:
        return []
    return [match.group(1), *[c.strip() for c in sql[match.end():].split(",\n\n  ")]]


def event_columns(event) -> set[str]:
    names = set()
    for attribute in ("column", "before", "after"):
        value = getattr(event, attribute, None)
        if isinstance(value, Column):
            names.add(value.name)
    for attribute in ("index",):
        value = getattr(event, attribute, None)
        if value is not None:
            names.update(value.columns)
    fk = getattr(event, "foreign_key", None)
    if fk is not None:
        names.update(fk.local_columns)
    return names
