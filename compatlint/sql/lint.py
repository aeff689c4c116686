"""The migration channel: committed `PropelMigration_*.php` files and `.sql` files, linted on their own
(`compatlint lint-sql`) or together with the schema change of the same revisions (`compatlint check`).

Statements are played on the base model (`apply`), diffed into the usual events (so a hand-written
`DROP COLUMN` is CL102 at its SQL line), and each statement is also an event of its own for the SQL
rules (CL5xx), a `MigrationStatement`. A statement is hand-written when Propel would not generate it for
the schema change (for a standalone `.sql` file: always). The channel makes events, never findings: each
migration file becomes one `engine.Batch`, and the pipeline runs the rules once over all batches.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from typing import Callable

from .. import changes as ev
from ..diff import diff_schemas
from ..engine import Batch
from ..findings import Finding
from ..model import Origin, Schema
from ..scope import MIGRATION_PLATFORM, MigrationFile, Migrations, platform_of
from .actions import SqlStatement
from .apply import apply_statements
from .read import read_sql

__all__ = ["MigrationFile", "Migrations", "migration_batch", "migration_batches", "platform_of", "statements_of"]


def platform_of_file(path: str, default: str) -> str:
    """The platform of a file named on the command line: from the innermost `Migration_pgsql` or
    `Migration_mysql` folder of its absolute path (`lint-sql m.sql` run inside the folder), else of the
    path with symlinks resolved, else `default`."""
    for candidate in (os.path.abspath(path), os.path.realpath(path)):
        for part in reversed(candidate.replace(os.sep, "/").split("/")[:-1]):
            for marker, platform in MIGRATION_PLATFORM:
                if marker in part:
                    return platform
    return default


def statements_of(migration: MigrationFile, down: bool = False) -> list[SqlStatement]:
    """Every statement the file runs (all connections, `getUpSQL`, and `getDownSQL` with `down`)."""
    return _statements(migration, ("up", "down") if down else ("up",))


def _statements(migration: MigrationFile, directions: tuple[str, ...]) -> list[SqlStatement]:
    if migration.path.endswith(".php"):
        from .php import read_migration

        out: list[SqlStatement] = []
        for part in read_migration(migration.data, migration.path, directions):
            if part.unchecked:
                out.append(SqlStatement(text=f"{part.unchecked}() {{...}}", origin=Origin(part.path, part.line),
                                        kind="unparsed", error=f"code in {part.unchecked}() runs at deploy time; "
                                        "compatlint reads SQL only and never executes PHP, so it is not checked"))
                continue
            out.extend(read_sql(part.sql, migration.path, migration.platform, part.line))
        return out
    if "up" not in directions:
        return []  # a `.sql` file has one direction
    try:
        text = migration.data.decode("utf-8")
    except UnicodeDecodeError as error:
        from ..loaders.git import InputError

        line = migration.data.count(b"\n", 0, error.start) + 1
        raise InputError(f"{migration.path}:{line}: not UTF-8 text") from None
    return read_sql(text, migration.path, migration.platform)


DOWN_LABEL = "getDownSQL(): "


def file_batches(migration: MigrationFile, base: Schema, *, down: bool = False) -> list[MigrationBatch]:
    """`lint-sql` of one file: getUpSQL() against `base`; with `down`, getDownSQL() as a change of its own
    against the schema getUpSQL() leaves (what a rollback runs on), its findings labelled `getDownSQL():`.
    Playing both as one change would let a down statement undo an up one and hide its finding."""
    hand_written = not migration.path.endswith(".php")
    up = migration_batch(_statements(migration, ("up",)), base, migration.platform, hand_written_default=hand_written)
    if not down:
        return [up]
    back = migration_batch(_statements(migration, ("down",)), up.head, migration.platform,
                           hand_written_default=hand_written, assumed=up.assumed)
    place = back.place
    back.place = lambda finding: _as_down(place(finding))
    return [up, back]


def _as_down(finding: Finding) -> Finding:
    return replace(finding, message=DOWN_LABEL + finding.message,
                   detail=f"down {finding.detail}" if finding.detail else "down")


def _normal(sql: str) -> str:
    return re.sub(r"\s+", " ", sql.strip().rstrip(";")).strip().lower()


def _signature(event) -> tuple | None:
    if isinstance(event, (ev.TableAdded, ev.TableRemoved)):
        return (type(event).__name__, event.table_name, None)
    if isinstance(event, ev.TableRenamed):
        return ("TableRenamed", event.base.name, event.head.name)
    if isinstance(event, ev.ColumnChanged):
        return ("ColumnChanged", event.table_name, event.subject) if event.ddl else None
    if isinstance(event, (ev.ColumnAdded, ev.ColumnRemoved, ev.ColumnRenamed, ev.PrimaryKeyChanged, ev.IndexAdded,
                          ev.IndexRemoved, ev.IndexChanged, ev.ForeignKeyAdded, ev.ForeignKeyRemoved,
                          ev.ForeignKeyChanged)):
        return (type(event).__name__, event.table_name, event.subject)
    return None


def ddl_signatures(events) -> set[tuple]:
    return {s for s in map(_signature, events) if s is not None}


@dataclass
class MigrationBatch(Batch):
    """One migration file's events, with its statements and the schema it leaves behind."""

    statements: list[SqlStatement] = field(default_factory=list)
    # the columns of `head` no schema file or statement defined (a later script played on it knows no more)
    assumed: frozenset = frozenset()


def migration_batch(statements: list[SqlStatement], base: Schema, platform: str, *, expected_sql=None,
                    hand_written_default: bool = True, schema_events=None, repeats_earlier: bool = False,
                    assumed: frozenset = frozenset()) -> MigrationBatch:
    """A migration's statements played on `base`, as events. `expected_sql`: the statements Propel would
    generate for the schema change (anything else is hand-written); `schema_events`: that change's events,
    for CL503; `assumed`: the columns of `base` an earlier script only assumed (`MigrationBatch.assumed`)."""
    expected = {_normal(s) for s in expected_sql} if expected_sql is not None else None
    marked = []
    for statement in statements:
        hand = hand_written_default if expected is None else _normal(statement.text) not in expected
        marked.append(replace(statement, hand_written=hand))
    applied = apply_statements(base, marked, platform, assumed)
    events = diff_schemas(applied.base, applied.head)
    events += [ev.MigrationStatement(s, platform, applied.columns_before.get(id(s), ())) for s in marked]
    if schema_events is not None:
        events += _drift(events, schema_events, marked, applied.removed_at)
    removed_at = applied.removed_at
    return MigrationBatch(events, applied.base, applied.head, place=lambda f: _at_sql_line(f, removed_at),
                          repeats_earlier=repeats_earlier, head_directives=tuple(directives_of(marked)),
                          statements=marked, assumed=applied.assumed)


def migration_batches(migrations: Migrations, base: Schema, schema_events: list, platform: str,
                      load_pair: Callable[[str], tuple[Schema, Schema]]) -> tuple[list, list[MigrationBatch]]:
    """The migrations of a change, checked together with its schema change (in timestamp order, each played
    on the schema the previous one left): (events for the schema's own batch, one batch per file).
    `load_pair(platform)` loads both sides for a migration of the other platform."""
    if not migrations.files:
        if not migrations.committed:
            return [], []
        missing = [e for e in schema_events if ddl_signatures([e])]
        return [ev.MigrationDrift("missing", type(e).__name__, e.table_name, e.subject, e.location)
                for e in missing], []
    from .generate import plan

    schemas = {platform: base}
    assumed: dict[str, frozenset] = {}
    events_by_platform = {platform: schema_events}
    expected: dict[str, list[str]] = {}
    batches = []
    for migration in sorted(migrations.files, key=lambda m: m.path.rsplit("/", 1)[-1]):
        other = migration.platform
        if other not in schemas:  # a migration of the other platform: its own base and schema change
            schemas[other], other_head = load_pair(other)
            events_by_platform[other] = diff_schemas(schemas[other], other_head)
        if other not in expected:
            expected[other] = [s.sql for s in plan(events_by_platform[other], other) if s.sql]
        batch = migration_batch(statements_of(migration), schemas[other], other, expected_sql=expected[other],
                                schema_events=events_by_platform[other], repeats_earlier=True,
                                assumed=assumed.get(other, frozenset()))
        schemas[other], assumed[other] = batch.head, batch.assumed
        batches.append(batch)
    return [], batches


def _drift(events, schema_events, statements, removed_at) -> list:
    ours, theirs = ddl_signatures(events), ddl_signatures(schema_events)
    first = statements[0].origin if statements else None
    origin_of = {}
    for event in events:
        sig = _signature(event)
        if sig is None:
            continue
        # a removal happened at the statement that removed it, not where the base declared it
        where = removed_at.get((sig[1], sig[2])) or removed_at.get((sig[1], None)) if "Removed" in sig[0] else None
        origin_of.setdefault(sig, where or event.location)
    drift = []
    for sig in sorted(ours - theirs, key=str):
        drift.append(ev.MigrationDrift("extra", sig[0], sig[1], sig[2], origin_of.get(sig, first)))
    for sig in sorted(theirs - ours, key=str):
        drift.append(ev.MigrationDrift("missing", sig[0], sig[1], sig[2], first))
    return drift


def _at_sql_line(finding: Finding, removed_at: dict) -> Finding:
    """A removal found by playing SQL points at the statement that removed it, not at the base file."""
    if finding.side != "base":
        return finding
    for key in ((finding.table, finding.column), (finding.table, finding.detail), (finding.table, None)):
        origin = removed_at.get(key)
        if origin is not None:
            return replace(finding, location=origin, side="head")
    return finding


def directives_of(statements: list[SqlStatement]):
    """`-- compatlint: allow ...` comments directly before a statement apply to findings on that statement."""
    from ..suppress import parse_directive

    found = []
    for statement in statements:
        for text in statement.comments:
            directive = parse_directive(text, statement.origin)
            if directive is not None:
                found.append(replace(directive, line_scope=statement.origin.line,
                                     line_scope_end=statement.origin.line + statement.text.rstrip().count("\n")))
    return found
