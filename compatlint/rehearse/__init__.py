"""Rehearse a schema change on a real MariaDB/MySQL or PostgreSQL server, and mark each static finding
`confirmed` (a V1 statement or the migration failed for it, with the server's own error) or
`not reproduced`; a failure that no finding explains is a missed breakage.

What runs, in a scratch database (MySQL) or schema (PostgreSQL) with a unique name that is always
dropped (`Scratch`: `try`/`finally`, SIGTERM turned into an exception, SIGINT/SIGTERM blocked while
dropping, a second connection when the first is broken):

1. V1's tables: `plan(diff_schemas(EMPTY, V1), platform)`, i.e. Propel's own CREATE TABLE text, for
   every table the change touches and every table they reference by foreign key.
2. Seed rows, inserted with V1's INSERT shape: every V1 column (lazy ones too: earlier releases wrote
   them) filled with a value of its type at the full width of V1's column (so narrowing shows: the
   longest string, integers beyond the next smaller type, doubles single precision cannot hold, dates
   before 1970), rows sharing the values of columns V1 does not keep unique (real data has duplicates
   there), unique values in V1's keys, ENUM/SET and BOOLEAN columns holding every value, foreign keys
   pointing at the parent's first row; one row with only the columns V1 must set (the others get their
   default), and one with NULL in every nullable column (but booleans: Spryker's boolean mutator
   ignores null).
3. The V2 migration: the SQL `plan()` predicts (or a committed migration), one statement at a time
   like Propel's `MigrationMigrateCommand`. A failing statement is a migration failure with the
   server's message. Propel aborts there (PostgreSQL rolls the whole migration back); by default the
   rehearsal records the failure and applies the remaining statements anyway, so the other findings
   are rehearsed too (`stop_at_failure=True` stops and rolls back as Propel does).
4. V1's statements on every V1 table the change touches, in the shapes Propel's generated code runs
   (propelorm/Propel2 2.0.0-beta3, the version spryker/propel-orm pins):
   - SELECT: `TableMap::addSelectColumns` names every non-lazy column, one by one
     (`src/Propel/Generator/Builder/Om/TableMapBuilder.php` L1274-L1312), for every `find()` through
     `ModelCriteria::addSelfSelectColumns` (`src/Propel/Runtime/ActiveQuery/ModelCriteria.php`
     L1176-L1205); `findPkSimple` bakes `SELECT <non-lazy columns> FROM t WHERE pk = :p0` into the
     query class (`Builder/Om/QueryBuilder.php` L597-L640).
   - INSERT: `ObjectBuilder::addDoInsertBodyRaw` (`Builder/Om/ObjectBuilder.php` L6535-L6686) writes
     `INSERT INTO t (<modified columns, in table order>) VALUES (...)` (L6605-L6618). An autoIncrement
     primary key is always in the list (L6558-L6566, `supportsInsertNullPk`): NULL on MySQL, where the
     database assigns it; on PostgreSQL the native id method is not autoincrement, so V1 first runs
     `SELECT nextval('<sequence>')` (L6583-L6599, `PgsqlPlatform::getIdentifierPhp` L902-L925), the
     sequence being the `<id-method-parameter>` or `<table>_<column>_seq` (`getSequenceName`
     L138-L159). Two shapes: every column V1 sets, and only the columns V1 must set (NOT NULL without
     a default, and the columns of V1's unique keys where a default would repeat), since
     `applyDefaultValues` fills defaults without marking them modified (L821-L847). Lazy columns count
     as unused by V1 (that is what marking them lazy prepares; their lazy loader, L1608-L1692, is not
     run) unless V1 must set them.
   - UPDATE: `doUpdate` = `buildPkeyCriteria` + `buildCriteria` of the modified columns (L6703-L6722,
     L2874-L2890, L2969-L2982): `UPDATE t SET c = ? WHERE pk = ?`, here one statement per column (so
     a failure names its column), and `SET c = NULL` for nullable columns.
   - DELETE: `filterByPrimaryKey($this->getPrimaryKey())->delete()` (L3583-L3620):
     `DELETE FROM t WHERE pk = ?`.
   - Reads (the seeded rows by `find()`, each inserted row by `findPk`): the ENUM getter throws
     `Unknown stored enum key` for a position outside V1's valueSet (L1360-L1377; SET: `Unknown stored
     set key`, L1446-L1452); a value V1 wrote that reads back changed, after `hydrate()`'s PHP cast
     (L2682-L2797: `(int)`, `(bool)`, `(double)`, `(string)`), is data loss; a stored position whose
     meaning differs between V1's and V2's valueSet is data reinterpretation.
   Values are bound as PDO binds them: integers as numbers on MySQL (emulated prepares), everything as
   untyped text on PostgreSQL except binary data.
   On PostgreSQL, where V2's generated code calls `nextval` on a sequence name other than V1's, that
   V2 statement is run too.

Identifiers are always quoted (Propel quotes only with `identifierQuoting`; the statements are the same).
Where the server's error names no column (PostgreSQL's data errors), the failing INSERT is retried in
rolled-back transactions without one column at a time to find which one it is. A failure confirms a finding
when it concerns the finding's table and column (or the constraint on them, or the whole table for a
table-level finding), or when it is the migration statement carrying the finding's change.

The package, one module per job: `dsn` (which server, redacted), `servers` (the two drivers and their
errors), `scratch` (the scratch database and its signal handling), `values` (seed values and PHP casts),
`migration` (the V2 migration as steps), `run` (one rehearsal), `verdict` (tying failures to findings),
`outcome` (what was found), `session` (the entry points) and `report` (text and JSON).
"""

from __future__ import annotations

from .dsn import Dsn, RehearsalError, parse_dsn
from .migration import alter_clauses, committed_migration, predicted_migration, read_migration_file
from .outcome import Failure, Outcome, Rehearsal
from .report import render_text, to_json
from .scratch import SCRATCH_PREFIX, Scratch
from .servers import Server, connect
from .session import Session, affected_tables, rehearse
from .values import value_for

_alter_clauses = alter_clauses  # the name the tests have always used

__all__ = ["Dsn", "RehearsalError", "Rehearsal", "Session", "parse_dsn", "rehearse", "Scratch", "SCRATCH_PREFIX",
           "Failure", "Outcome", "Server", "affected_tables", "alter_clauses", "committed_migration", "connect",
           "predicted_migration", "read_migration_file", "render_text", "to_json", "value_for"]
