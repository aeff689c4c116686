"""One rehearsal inside a scratch database: V1's tables and rows, the migration, V1's statements."""

from __future__ import annotations

from dataclasses import replace
from typing import Iterable

from .. import changes as ev
from ..diff import diff_schemas
from ..model import Schema, Table
from ..platform import quote_identifier
from .dsn import RehearsalError
from .migration import (MigrationStep, alter_clauses, created_by, event_columns, identifiers, new_columns,
                        predicted_migration)
from .outcome import Failure, Rehearsal
from .servers import DbError, Server
from .values import expected_read, meaning, must_set, php_cast, show, show_meaning, v1_sets, value_for


class Run:
    """One rehearsal inside a scratch database."""

    def __init__(self, server: Server, result, report: Rehearsal):
        self.s = server
        self.platform = server.platform
        self.q = quote_identifier(self.platform)
        self.base: Schema = result.base
        self.head: Schema = result.head
        self.result = result
        self.report = report
        self.rows: dict[str, list[dict]] = {}       # rows written per table (column -> value, with the PK)
        self.full_rows: dict[str, int] = {}

    # -- helpers ------------------------------------------------------------------------------------------------
    def fail(self, failure: Failure) -> Failure:
        self.report.failures.append(failure)
        return failure

    def run(self, sql: str, params=None):
        return self.s.attempt(sql, None if params is None else tuple(self.s.bind(p) for p in params))

    def ph(self, n: int) -> str:
        return ", ".join(["%s"] * n)

    def where_pk(self, table: Table, row: dict) -> tuple[str, list] | None:
        keys = table.primary_key
        if not keys or any(row.get(k) is None for k in keys):
            return None
        return " AND ".join(f"{self.q(k)} = %s" for k in keys), [row[k] for k in keys]

    def sequence(self, table: Table) -> str | None:
        """The sequence V1's generated doInsert() calls nextval on (PostgreSQL, native id method)."""
        if self.platform != "pgsql" or not any(c.auto_increment for c in table.columns.values()):
            return None
        if table.id_method_parameter:
            return table.id_method_parameter
        column = next(c for c in table.columns.values() if c.auto_increment)
        return f"{table.name}_{column.name}_seq"

    # -- V1 setup -----------------------------------------------------------------------------------------------
    def create_v1(self, names: list[str]) -> None:
        keep = set(names)
        tables = {}
        for name in names:
            table = self.base.tables[name]
            fks = {k: fk for k, fk in table.foreign_keys.items() if fk.foreign_table in keep}
            tables[name] = replace(table, foreign_keys=fks) if len(fks) != len(table.foreign_keys) else table
        subset = Schema(platform=self.platform, tables=tables)
        statements = predicted_migration(diff_schemas(Schema(platform=self.platform, tables={}), subset), self.platform)
        for statement in statements:
            if statement.sql in ("BEGIN", "COMMIT"):
                continue
            _, error = self.run(statement.sql)
            if error is not None:
                first = statement.sql.splitlines()[0]
                raise RehearsalError(f"cannot create V1's table {statement.table or ''} on {self.report.dsn}: "
                                     f"{error} in `{first}`")
        self.report.tables = list(names)

    def _key_roles(self, table: Table) -> tuple[set[str], dict[str, int]]:
        """Columns unique on their own in V1 (PK or a one-column unique), and each column of a composite key
        with its position in that key."""
        single: set[str] = set()
        composite: dict[str, int] = {}
        keys = [table.primary_key] + [u.columns for u in table.uniques.values()]
        for key in keys:
            if len(key) == 1:
                single.add(key[0])
        for key in keys:
            if len(key) > 1:
                for position, name in enumerate(key):
                    if name not in single:
                        composite.setdefault(name, position)
        return single, composite

    def row_values(self, table: Table, row: int, minimal: bool = False, seed: bool = False,
                   nulls: bool = False) -> dict:
        """Column -> value for seed row `row` (or a workload row with a row number >= 30). Seed rows fill lazy
        columns too: existing data was written by earlier releases. With `nulls`, every nullable column is NULL
        (V1 calls the setter with null; Spryker's boolean mutator ignores null, so booleans keep their default)."""
        single, composite = self._key_roles(table)
        values = {}
        fk_of = {local: (fk, i) for fk in table.foreign_keys.values() for i, local in enumerate(fk.local_columns)}
        for column in table.columns.values():
            if column.auto_increment and column.primary_key:
                continue
            if minimal and not must_set(table, column):
                continue
            if not minimal and not seed and not v1_sets(table, column):
                continue
            if column.name in single:
                variant = row
            elif column.name in composite:
                variant = ((row >> composite[column.name]) & 1) if row < 3 else 10 + row
            elif column.type in ("ENUM", "SET", "BOOLEAN", "BOOLEAN_EMU"):
                variant = 0 if row < 2 or row >= 30 else row - 1
            else:
                variant = 0
            if nulls and not column.not_null and column.type not in ("BOOLEAN", "BOOLEAN_EMU"):
                values[column.name] = None
                continue
            if nulls and column.type in ("BOOLEAN", "BOOLEAN_EMU") and not column.not_null:
                continue
            if column.name in fk_of:
                fk, index = fk_of[column.name]
                parents = self.rows.get(fk.foreign_table, [])
                if parents:
                    parent = parents[min(variant if variant < 10 else row, self.full_rows.get(fk.foreign_table, 1) - 1)]
                    values[column.name] = parent.get(fk.foreign_columns[index])
                    continue
            values[column.name] = value_for(column, self.platform, variant)
        return values

    def seed(self, names: list[str]) -> None:
        for name in fk_order(self.base, names):
            table = self.base.tables[name]
            widest = max([len(c.value_set or ()) for c in table.columns.values() if c.type in ("ENUM", "SET")] + [0])
            full = max(3, widest + 1)
            self.full_rows[name] = full
            for row in range(full + 2):  # full rows, one with only what V1 must set, one with NULLs
                minimal = row == full
                values = self.row_values(table, row, minimal, seed=True, nulls=row == full + 1)
                written, failure = self.insert(table, values, "seed", minimal)
                if failure is not None:
                    raise RehearsalError(f"cannot seed V1's table {name} on {self.report.dsn}: {failure.error} "
                                         f"in `{failure.sql}`")
                self.rows.setdefault(name, []).append(written)
            self.report.seed_rows[name] = len(self.rows[name])

    # -- V1 statements ------------------------------------------------------------------------------------------
    def insert(self, table: Table, values: dict, phase: str, minimal: bool) -> tuple[dict | None, Failure | None]:
        """V1's doInsert(): nextval first on PostgreSQL, then INSERT of the modified columns in table order."""
        action = "insert-minimal" if minimal else "insert"
        values = dict(values)
        sequence = self.sequence(table)
        first_pk = table.primary_key[0] if table.primary_key else None
        if sequence and first_pk:
            sql = f"SELECT nextval('{sequence}')"
            rows, error = self.run(sql)
            if error is not None:
                failure = Failure(phase, "nextval", table.name, first_pk, sql, error.message, error.code)
                return None, failure if phase == "seed" else self.fail(failure)
            values[first_pk] = rows[0][0]
        columns = []
        for column in table.columns.values():
            if column.auto_increment and column.primary_key:
                values.setdefault(column.name, None)  # supportsInsertNullPk: NULL, the database assigns it
                columns.append(column.name)
            elif column.name in values:
                columns.append(column.name)
        sql = (f"INSERT INTO {self.q(table.name)} ({', '.join(self.q(c) for c in columns)}) "
               f"VALUES ({self.ph(len(columns))})")
        params = [values[c] for c in columns]
        _, error = self.run(sql, params)
        if error is not None:
            return None, self._failure(phase, action, table.name, sql, error, statement_columns=columns,
                                       values=values, table_model=table)
        written = dict(values)
        for column in table.columns.values():
            if column.auto_increment and column.primary_key and written.get(column.name) is None:
                written[column.name] = self.s.last_insert_id()
        return written, None

    def _failure(self, phase, action, table, sql, error: DbError, column=None, statement_columns=None,
                 values=None, table_model: Table | None = None, constraint=None) -> Failure | None:
        column = None if error.missing_table else (error.column or column)
        if phase == "seed":
            return Failure(phase, action, table, column, sql, error.message, error.code, error.constraint)
        failure = Failure(phase, action, table, column, sql, error.message, error.code, error.constraint or constraint)
        if failure.column is None and failure.constraint is None and statement_columns and table_model is not None \
                and not error.missing_table:
            culprits = self._probe(table_model, statement_columns, values, error)
            if culprits:
                for name, probe_error in culprits:
                    self.fail(Failure(phase, action, table, name, sql, probe_error.message, probe_error.code,
                                      probe_error.constraint))
                return failure
        return self.fail(failure)

    def _probe(self, table: Table, columns: list[str], values: dict, error: DbError) -> list[tuple[str, DbError]]:
        """Which column made a multi-column INSERT fail, when the server does not say. Each try runs in a
        transaction that is rolled back: the INSERT without one column (that column is the cause if the error
        then goes away); the key alone with one column (the cause if the error stays); the INSERT plus one column
        it left out (the cause is that column's default, if it then succeeds)."""
        keys = [c for c in columns
                if c in table.primary_key or (c in table.columns and table.columns[c].auto_increment)]
        others = [c for c in columns if c not in keys]

        def attempt(subset: list[str], extra: dict | None = None) -> DbError | None:
            bound = dict(values, **(extra or {}))
            sql = (f"INSERT INTO {self.q(table.name)} ({', '.join(self.q(c) for c in subset)}) "
                   f"VALUES ({self.ph(len(subset))})")
            self.s.execute("BEGIN")
            try:
                _, found = self.run(sql, [bound.get(c) for c in subset])
            finally:
                if self.platform == "pgsql":
                    self.s.reset()
                else:
                    self.s.execute("ROLLBACK")
            return found

        def same(found: DbError | None) -> bool:
            return found is not None and found.code == error.code

        culprits = [(name, error) for name in others if not same(attempt([c for c in columns if c != name]))]
        if culprits:
            return culprits
        if not same(attempt(keys)):
            found = [(name, probe) for name in others if same(probe := attempt(keys + [name]))]
            if found:
                return found
        fresh = self.row_values(table, 33)
        omitted = [c for c in table.columns if c not in columns and c in fresh]
        found = [(name, error) for name in omitted
                 if attempt([c for c in table.columns if c in columns or c == name], {name: fresh[name]}) is None]
        if found:
            return found
        # the server names no column and no try isolates one: the columns whose type, size or default the change
        # touches are the ones the error can come from
        touched = {e.before.name for e in self.result.events
                   if isinstance(e, ev.ColumnChanged) and e.base.name == table.name
                   and e.changes & {ev.TYPE, ev.SIZE, ev.SCALE, ev.SQL_TYPE, ev.DEFAULT}}
        return [(name, error) for name in table.columns if name in touched]

    def select_all(self, table: Table) -> tuple[list[str], list[tuple]]:
        """V1's find(): the explicit list of non-lazy columns; a column the server rejects is recorded and left
        out of the next try, so every missing column is found and the rest is still read."""
        columns = [c.name for c in table.columns.values() if not c.lazy_load]
        while columns:
            sql = f"SELECT {', '.join(f'{self.q(table.name)}.{self.q(c)}' for c in columns)} FROM {self.q(table.name)}"
            rows, error = self.run(sql)
            if error is None:
                return columns, rows
            failure = self._failure("v1", "select", table.name, sql, error)
            if failure is None or failure.column not in columns:
                return [], []
            columns = [c for c in columns if c != failure.column]
        return [], []

    def find_pk(self, table: Table, row: dict) -> None:
        where = self.where_pk(table, row)
        columns = [c.name for c in table.columns.values() if not c.lazy_load]
        if where is None or not columns:
            return
        sql = f"SELECT {', '.join(self.q(c) for c in columns)} FROM {self.q(table.name)} WHERE {where[0]}"
        rows, error = self.run(sql, where[1])
        if error is not None:
            self._failure("v1", "find-pk", table.name, sql, error)
            return
        self.check_rows(table, columns, rows, [row], sql)

    def check_rows(self, table: Table, columns: list[str], rows: list[tuple], written: list[dict], sql: str) -> None:
        """What V1's getters make of the rows: unknown ENUM/SET keys throw; changed values are data loss."""
        reported: set[tuple[str, str]] = set()
        for row in rows:
            for name, value in zip(columns, row):
                column = table.columns[name]
                if value is None or column.type not in ("ENUM", "SET") or (name, "read") in reported:
                    continue
                size = len(column.value_set or ())
                try:
                    stored = int(value)
                except (TypeError, ValueError):
                    stored = -1
                if stored < 0 or (column.type == "ENUM" and stored >= size) or \
                        (column.type == "SET" and stored >> size):
                    kind = "enum" if column.type == "ENUM" else "set"
                    self.fail(Failure("v1", "read", table.name, name, sql,
                                      f"Unknown stored {kind} key: {value} (V1's valueSet has {size} values; "
                                      "Propel's getter throws)"))
                    reported.add((name, "read"))
        keys = table.primary_key
        if not keys or not all(k in columns for k in keys):
            return
        index = {tuple(expected_read(table.columns[k], r.get(k)) for k in keys): r for r in written}
        for row in rows:
            got = dict(zip(columns, row))
            key = tuple(php_cast(table.columns[k], got[k]) for k in keys)
            wrote = index.get(key)
            if wrote is None:
                continue
            for name in columns:
                if name in keys or name not in wrote or (name, "data") in reported:
                    continue
                column = table.columns[name]
                if expected_read(column, wrote[name]) != php_cast(column, got[name]):
                    self.fail(Failure("v1", "data", table.name, name, sql,
                                      f"V1 wrote {show(wrote[name])} and reads back {show(got[name])}"))
                    reported.add((name, "data"))

    def reinterpretation(self, table: Table, columns: list[str], rows: list[tuple], sql: str) -> None:
        """ENUM/SET positions V1 stored that V2 reads as another value (no DDL, no error, other data)."""
        after_table = self.head.tables.get(table.name)
        if after_table is None:
            return
        for position, name in enumerate(columns):
            before, after = table.columns[name], after_table.columns.get(name)
            if after is None or before.type not in ("ENUM", "SET") or after.type != before.type \
                    or before.value_set == after.value_set:
                continue
            for stored in sorted({row[position] for row in rows if row[position] is not None}):
                old, new = meaning(before, stored), meaning(after, stored)
                if old != new:
                    self.fail(Failure("v2", "reinterpreted", table.name, name, sql,
                                      f"stored {stored} is {show_meaning(old)} to V1 and {show_meaning(new)} to V2"))
                    break

    def workload(self, table: Table) -> None:
        columns, rows = self.select_all(table)
        if columns:
            self.check_rows(table, columns, rows, self.rows.get(table.name, []), select_sql(self, table, columns))
            self.reinterpretation(table, columns, rows, select_sql(self, table, columns))
        inserted = []
        for minimal, row_number in ((False, 30), (True, 31)):
            written, failure = self.insert(table, self.row_values(table, row_number, minimal), "v1", minimal)
            if written is not None:
                inserted.append(written)
                self.find_pk(table, written)
        seeded = self.rows.get(table.name, [])
        target = inserted[0] if inserted else (seeded[1] if len(seeded) > 1 else None)
        where = self.where_pk(table, target) if target else None
        if where is not None:
            fresh = self.row_values(table, 32)
            for column in table.columns.values():
                if column.primary_key or not v1_sets(table, column) or column.name not in fresh:
                    continue
                sql = f"UPDATE {self.q(table.name)} SET {self.q(column.name)} = %s WHERE {where[0]}"
                _, error = self.run(sql, [fresh[column.name], *where[1]])
                if error is not None:
                    self._failure("v1", "update", table.name, sql, error, column=column.name)
                if not column.not_null and column.type not in ("BOOLEAN", "BOOLEAN_EMU"):
                    _, error = self.run(sql, [None, *where[1]])
                    if error is not None:
                        self._failure("v1", "update-null", table.name, sql, error, column=column.name)
        for row in inserted or ([target] if target else []):
            where = self.where_pk(table, row)
            if where is None:
                continue
            sql = f"DELETE FROM {self.q(table.name)} WHERE {where[0]}"
            _, error = self.run(sql, where[1])
            if error is not None:
                self._failure("v1", "delete", table.name, sql, error)

    def v2_sequences(self, names: list[str]) -> None:
        """PostgreSQL: V2's doInsert() calls nextval on V2's sequence name; run it where the name changed."""
        if self.platform != "pgsql":
            return
        for name in names:
            before, after = self.base.tables.get(name), self.head.tables.get(name)
            if before is None or after is None:
                continue
            old, new = self.sequence(before), self.sequence(after)
            if new and (old or "").lower() != new.lower():
                sql = f"SELECT nextval('{new}')"
                _, error = self.run(sql)
                if error is not None:
                    self._failure("v2", "nextval", name, sql, error)

    # -- migration ----------------------------------------------------------------------------------------------
    def migrate(self, statements: list[MigrationStep], stop_at_failure: bool) -> None:
        """Run the migration statement by statement, as Propel's `MigrationMigrateCommand` does. Without
        `stop_at_failure` a failure is recorded and the rest still applied, minus what belongs to the failed
        change: its other statements, later statements naming its columns, its clauses of a merged ALTER."""
        framing = {"BEGIN", "COMMIT", "ROLLBACK", "START TRANSACTION"}
        number = 0
        failed: set[int] = set()                  # events whose statement failed
        failed_columns: set[tuple] = set()         # (table, column) of those events
        self.report.migration_sql = [s.sql for s in statements]
        for statement in statements:
            upper = statement.sql.strip().upper()
            if upper in framing and not stop_at_failure:
                continue  # without stopping, every statement runs on its own (autocommit)
            is_body = upper not in framing and not upper.startswith("SET FOREIGN_KEY_CHECKS")
            number += is_body
            if statement.events and all(id(e) in failed for e in statement.events) or \
                    any((statement.table, c) in failed_columns for c in identifiers(statement.sql)):
                self.report.migration_skipped.append(number)
                continue
            _, error = self.run(statement.sql)
            if is_body:
                self.report.migration_executed += 1
            if error is None:
                continue
            events = self._record(statement, error, number if is_body else None, stop_at_failure)
            failed.update(id(e) for e in events)
            failed_columns.update((statement.table, c) for e in events for c in new_columns(e))
            if stop_at_failure:
                self.report.migration_stopped_at = number
                self.s.reset()
                break
            self.s.reset()
            if self.platform == "mysql":
                self.run("SET FOREIGN_KEY_CHECKS = 0")
            clauses = alter_clauses(statement.sql)
            if len(clauses) > 2:
                # a merged ALTER TABLE fails as a whole: apply the clauses of its other changes on their own, as
                # if the failing change were fixed; a clause that fails on its own is a failure of its change
                failing = {c for e in events for c in event_columns(e)}      # clauses about these stay out
                missing = {c for t, c in failed_columns if t == statement.table}  # clauses naming these too
                for clause in clauses[1:]:
                    names = identifiers(clause)
                    subject = names[0] if names else None
                    if subject in failing or set(names) & missing:
                        missing.update(created_by(clause, names))  # what a left-out clause would have created
                        continue
                    single = MigrationStep(f"{clauses[0]} {clause}", statement.table, statement.events)
                    _, error = self.run(single.sql)
                    if error is not None:
                        more = self._record(single, error, number, False, narrow_only=True)
                        failed.update(id(e) for e in more)
                        failed_columns.update((statement.table, c) for e in more for c in new_columns(e))
                        self.s.reset()
        self.s.reset()

    def _record(self, statement: MigrationStep, error: DbError, number: int | None, stop_at_failure: bool,
                narrow_only: bool = False) -> tuple:
        """A migration failure, tied to the events of its statement (those of the column the server names)."""
        events = statement.events
        if error.column:
            narrowed = tuple(e for e in events if error.column in event_columns(e))
            events = narrowed or (() if narrow_only else events)
        if stop_at_failure:
            note = ("Propel aborts the migration here" +
                    ("; the whole migration is rolled back" if self.platform == "pgsql"
                     else "; the statements before it stay applied (MySQL DDL is not transactional)"))
        else:
            note = ("Propel aborts the migration here" +
                    ("; PostgreSQL rolls the whole migration back" if self.platform == "pgsql"
                     else "; the statements before it stay applied") +
                    "; the rehearsal applied the remaining statements to rehearse the other findings")
        if narrow_only:
            note = "a clause of a merged ALTER TABLE that failed, applied on its own: it fails too"
        if narrow_only and not events:
            return ()
        self.fail(Failure("migration", "migrate", statement.table or error.table, error.column, statement.sql,
                          error.message, error.code, error.constraint, number, note, events))
        return events



def select_sql(run: Run, table: Table, columns: list[str]) -> str:
    return f"SELECT {', '.join(f'{run.q(table.name)}.{run.q(c)}' for c in columns)} FROM {run.q(table.name)}"


def fk_order(schema: Schema, names: Iterable[str]) -> list[str]:
    """Tables with the ones they reference first (cycles broken by name order)."""
    names = sorted(names)
    done: list[str] = []
    visiting: set[str] = set()

    def visit(name: str) -> None:
        if name in done or name in visiting:
            return
        visiting.add(name)
        for fk in schema.tables[name].foreign_keys.values():
            if fk.foreign_table in names and fk.foreign_table != name:
                visit(fk.foreign_table)
        visiting.discard(name)
        done.append(name)

    for name in names:
        visit(name)
    return done
