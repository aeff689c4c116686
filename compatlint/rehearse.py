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
"""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import os
import re
import secrets
import signal
import threading
import time
from dataclasses import dataclass, field, replace
from typing import Callable, Iterable
from urllib.parse import parse_qsl, unquote, urlsplit

from . import changes as ev
from .diff import diff_schemas
from .findings import Finding, Severity
from .errors import InputError
from .model import Column, Schema, Table
from .platform import quote_identifier
from .sql.generate import plan
from .sql.split import split_statements

__all__ = ["Dsn", "RehearsalError", "Rehearsal", "Session", "parse_dsn", "rehearse", "Scratch", "SCRATCH_PREFIX"]

SCRATCH_PREFIX = "compatlint_rh_"


class RehearsalError(InputError):
    """A bad DSN, a missing driver, a connection or setup failure: one line, exit code 2."""


class Interrupted(KeyboardInterrupt):
    """SIGTERM during a rehearsal (treated like Ctrl-C, so the scratch database is dropped)."""


# --- DSN -------------------------------------------------------------------------------------------------------

_PLATFORM_OF_SCHEME = {
    "mysql": "mysql", "mariadb": "mysql", "mysql+pymysql": "mysql", "mariadb+pymysql": "mysql",
    "postgresql": "pgsql", "postgres": "pgsql", "pgsql": "pgsql", "postgresql+psycopg": "pgsql",
}
_DEFAULT_PORT = {"mysql": 3306, "pgsql": 5432}
_SECRET_PARAMS = {"password", "sslpassword"}
_USAGE = "expected mysql://user[:password]@host[:port][/database] or postgresql://user[:password]@host[:port]/database"


@dataclass(frozen=True)
class Dsn:
    platform: str
    scheme: str
    host: str
    port: int
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    database: str | None = None
    params: tuple[tuple[str, str], ...] = ()

    def redacted(self) -> str:
        """The DSN as the user wrote it, without the password (never printed anywhere)."""
        auth = ""
        if self.user or self.password:
            auth = (self.user or "") + (":***" if self.password else "") + "@"
        host = f"[{self.host}]" if ":" in self.host else self.host
        text = f"{self.scheme}://{auth}{host}:{self.port}"
        if self.database:
            text += "/" + self.database
        if self.params:
            text += "?" + "&".join(f"{k}={'***' if k in _SECRET_PARAMS else v}" for k, v in self.params)
        return text

    def __str__(self) -> str:
        return self.redacted()

    def scrub(self, text: str) -> str:
        """`text` with the password (should a driver ever echo it) replaced, on one line."""
        secrets_ = [self.password] + [v for k, v in self.params if k in _SECRET_PARAMS]
        for secret in secrets_:
            if secret and len(secret) >= 3:
                text = text.replace(secret, "***")
        return " ".join(text.split())


def _redact_raw(text: str) -> str:
    return re.sub(r"(://[^/@:]*:)[^@/]*@", r"\1***@", text)


def parse_dsn(text: str) -> Dsn:
    """`mysql://user:password@host:port/db`, `postgresql://user@host/db` (also mariadb://, postgres://)."""
    try:
        parts = urlsplit(text.strip())
        port = parts.port
    except ValueError:
        raise RehearsalError(f"--dsn {_redact_raw(text)}: {_USAGE}") from None
    platform = _PLATFORM_OF_SCHEME.get(parts.scheme.lower())
    if platform is None or not parts.netloc:
        raise RehearsalError(f"--dsn {_redact_raw(text)}: {_USAGE}")
    database = unquote(parts.path.lstrip("/")) or None
    if database and "/" in database:
        raise RehearsalError(f"--dsn {_redact_raw(text)}: {_USAGE}")
    return Dsn(
        platform=platform,
        scheme=parts.scheme.lower(),
        host=parts.hostname or "localhost",
        port=port or _DEFAULT_PORT[platform],
        user=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password is not None else None,
        database=database,
        params=tuple(parse_qsl(parts.query)),
    )


# --- servers ---------------------------------------------------------------------------------------------------

@dataclass
class DbError:
    """A server error: its code (MySQL error number or SQLSTATE), message, and what it names."""

    code: str
    message: str
    column: str | None = None
    constraint: str | None = None
    table: str | None = None
    missing_table: bool = False   # the statement's table does not exist (dropped or renamed)

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


_MYSQL_COLUMN = [
    re.compile(r"Unknown column '(?:[^'.]*\.)?([^'.]+)'"),
    re.compile(r"[Ff]ield '([^']+)'"),
    re.compile(r"[Cc]olumn '([^']+)'"),
    re.compile(r"column `[^`]*`\.`[^`]*`\.`([^`]+)`"),
    re.compile(r"FOREIGN KEY \(`([^`]+)`"),
    re.compile(r"specified for '([^']+)'"),
    re.compile(r"value for '([^']+)'"),
]
_MYSQL_CONSTRAINT = [re.compile(r"for key '(?:[^'.]*\.)?([^'.]+)'"), re.compile(r"CONSTRAINT `([^`]+)`")]
_MYSQL_TABLE = [re.compile(r"Table '(?:[^'.]*\.)?([^'.]+)' doesn't exist"),
                re.compile(r"\(`[^`]*`\.`([^`]+)`, CONSTRAINT")]
_PG_COLUMN = [re.compile(r'column "([^"]+)"(?: of relation "[^"]+")? does not exist'),
              re.compile(r'column [\w$]+\.([\w$]+) does not exist'), re.compile(r'column "([^"]+)"')]
_PG_TABLE = [re.compile(r'relation "([^"]+)" does not exist'), re.compile(r'of relation "([^"]+)"')]


def _first(patterns, text: str) -> str | None:
    for pattern in patterns:
        match = pattern.search(text)
        if match:
            return match.group(1)
    return None


class Server:
    """One connection to a server, in autocommit mode, plus what the scratch lifecycle needs."""

    platform = ""
    scratch_kind = ""

    def __init__(self, dsn: Dsn):
        self.dsn = dsn
        self.conn = self._connect()
        self.version = ""
        self.mode = ""
        self.statements = 0

    def _fail_connect(self, error: Exception) -> RehearsalError:
        message = self.dsn.scrub(str(error.args[1] if len(getattr(error, "args", ())) > 1 else error))
        return RehearsalError(f"cannot connect to {self.dsn.redacted()}: {message}")

    def reconnect(self) -> None:
        """A fresh connection (after an interruption left the old one mid-statement); the old session is ended."""
        old = self.session_id()
        with contextlib.suppress(Exception):
            self.conn.close()
        self.conn = self._connect()
        if old is not None:
            with contextlib.suppress(Exception):
                self.kill(old)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.conn.close()

    def execute(self, sql: str, params=None) -> list[tuple]:
        self.statements += 1
        return self._execute(sql, params)

    def attempt(self, sql: str, params=None) -> tuple[list[tuple] | None, DbError | None]:
        """Run one statement: (rows, None) or (None, the server's error)."""
        try:
            return self.execute(sql, params), None
        except Exception as error:  # noqa: BLE001 - only the driver's errors are caught below
            found = self.error_of(error)
            if found is None:
                raise
            return None, found

    # per platform
    def _connect(self): raise NotImplementedError
    def _execute(self, sql, params): raise NotImplementedError
    def error_of(self, error: Exception) -> DbError | None: raise NotImplementedError
    def session_id(self): raise NotImplementedError
    def kill(self, session) -> None: raise NotImplementedError
    def create_scratch(self, name: str) -> None: raise NotImplementedError
    def drop_scratch(self, name: str) -> None: raise NotImplementedError
    def scratch_exists(self, name: str) -> bool: raise NotImplementedError
    def reset(self) -> None: raise NotImplementedError
    def last_insert_id(self): return None
    def bind(self, value): return value
    def is_driver_error(self, error: Exception) -> bool: raise NotImplementedError


class MySQLServer(Server):
    platform = "mysql"
    scratch_kind = "database"

    def __init__(self, dsn: Dsn):
        super().__init__(dsn)
        row = self._execute("SELECT VERSION(), @@SESSION.sql_mode", None)[0]
        self.version, self.mode = row[0], f"sql_mode={row[1] or '(empty)'}"
        self._lastrowid = None

    def _connect(self):
        try:
            import pymysql
        except ImportError:
            raise RehearsalError(f"rehearsing on {self.dsn.redacted()} needs PyMySQL: "
                                 "pip install 'compatlint[rehearse]'") from None
        options = dict(self.dsn.params)
        kwargs = dict(host=self.dsn.host, port=self.dsn.port, password=self.dsn.password or "", autocommit=True,
                      connect_timeout=int(options.get("connect_timeout", 10)),
                      charset=options.get("charset", "utf8mb4"))
        if self.dsn.user:
            kwargs["user"] = self.dsn.user
        if self.dsn.database:
            kwargs["database"] = self.dsn.database
        if "unix_socket" in options:
            kwargs["unix_socket"] = options["unix_socket"]
        try:
            return pymysql.connect(**kwargs)
        except pymysql.MySQLError as error:
            raise self._fail_connect(error) from None
        except OSError as error:
            raise self._fail_connect(error) from None

    def _execute(self, sql, params):
        with self.conn.cursor() as cursor:
            cursor.execute(sql, params)
            rows = list(cursor.fetchall()) if cursor.description else []
            self._lastrowid = cursor.lastrowid
        return rows

    def last_insert_id(self):
        return self._lastrowid

    def is_driver_error(self, error):
        import pymysql

        return isinstance(error, (pymysql.MySQLError, OSError))

    def error_of(self, error):
        import pymysql

        if not isinstance(error, pymysql.MySQLError) or len(error.args) < 2 or not isinstance(error.args[0], int):
            return None
        code, message = error.args[0], str(error.args[1])
        if code in (2006, 2013, 2014, 0):  # connection lost or out of sync: not a statement's failure
            return None
        if code == 1146:
            return DbError(str(code), message, table=_first(_MYSQL_TABLE, message), missing_table=True)
        return DbError(str(code), message, _first(_MYSQL_COLUMN, message), _first(_MYSQL_CONSTRAINT, message),
                       _first(_MYSQL_TABLE, message))

    def session_id(self):
        with contextlib.suppress(Exception):
            return self.conn.thread_id()
        return None

    def kill(self, session) -> None:
        self._execute(f"KILL {int(session)}", None)

    def create_scratch(self, name):
        self.execute(f"CREATE DATABASE `{name}`")
        self.execute(f"USE `{name}`")

    def drop_scratch(self, name):
        self._execute(f"DROP DATABASE IF EXISTS `{name}`", None)

    def scratch_exists(self, name):
        return bool(self._execute("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = %s",
                                  (name,)))

    def reset(self):
        with contextlib.suppress(Exception):
            self.conn.rollback()
        self._execute("SET FOREIGN_KEY_CHECKS = 1", None)


class PostgresServer(Server):
    platform = "pgsql"
    scratch_kind = "schema"

    def __init__(self, dsn: Dsn):
        super().__init__(dsn)
        self.version = self._execute("SHOW server_version", None)[0][0]
        self.mode = f"database {self.dsn.database or 'postgres'}"
        self._rowcount = 0

    def _connect(self):
        try:
            import psycopg
        except ImportError:
            raise RehearsalError(f"rehearsing on {self.dsn.redacted()} needs psycopg 3: "
                                 "pip install 'compatlint[rehearse]'") from None
        kwargs = dict(self.dsn.params)
        kwargs.setdefault("connect_timeout", "10")
        kwargs.update(host=self.dsn.host, port=self.dsn.port, dbname=self.dsn.database or "postgres")
        if self.dsn.user:
            kwargs["user"] = self.dsn.user
        if self.dsn.password is not None:
            kwargs["password"] = self.dsn.password
        try:
            return psycopg.connect(autocommit=True, **kwargs)
        except psycopg.Error as error:
            raise self._fail_connect(error) from None

    def _execute(self, sql, params):
        cursor = self.conn.execute(sql, params, prepare=False)
        return list(cursor.fetchall()) if cursor.description else []

    def is_driver_error(self, error):
        import psycopg

        return isinstance(error, psycopg.Error)

    def bind(self, value):
        """As pdo_pgsql: every parameter untyped text (the server casts), binary data as bytea."""
        if value is None or isinstance(value, (bytes, bytearray)):
            return value
        if isinstance(value, bool):
            return "t" if value else "f"
        return str(value)

    def error_of(self, error):
        import psycopg

        if not isinstance(error, psycopg.Error) or \
                isinstance(error, (psycopg.OperationalError, psycopg.InterfaceError)) and error.sqlstate is None:
            return None
        diag = error.diag
        message = diag.message_primary or str(error).splitlines()[0]
        if diag.message_detail:
            message += f" ({diag.message_detail.strip()})"
        if error.sqlstate == "42P01":  # undefined_table
            return DbError(error.sqlstate, message, table=_first(_PG_TABLE, message), missing_table=True)
        return DbError(error.sqlstate or "?", message, diag.column_name or _first(_PG_COLUMN, message),
                       diag.constraint_name, diag.table_name or _first(_PG_TABLE, message))

    def session_id(self):
        with contextlib.suppress(Exception):
            return self.conn.info.backend_pid
        return None

    def kill(self, session) -> None:
        self._execute("SELECT pg_terminate_backend(%s)", (int(session),))

    def create_scratch(self, name):
        self.execute(f'CREATE SCHEMA "{name}"')
        self.execute(f'SET search_path TO "{name}"')

    def drop_scratch(self, name):
        self.reset()
        self._execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE', None)
        self._execute("RESET search_path", None)

    def scratch_exists(self, name):
        return bool(self._execute("SELECT nspname FROM pg_namespace WHERE nspname = %s", (name,)))

    def reset(self):
        import psycopg

        if self.conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
            self._execute("ROLLBACK", None)


def connect(dsn: Dsn | str) -> Server:
    dsn = parse_dsn(dsn) if isinstance(dsn, str) else dsn
    return MySQLServer(dsn) if dsn.platform == "mysql" else PostgresServer(dsn)


# --- scratch lifecycle -----------------------------------------------------------------------------------------

def scratch_name() -> str:
    return f"{SCRATCH_PREFIX}{time.strftime('%Y%m%d_%H%M%S')}_{os.getpid()}_{secrets.token_hex(3)}"


@contextlib.contextmanager
def _signals_blocked():
    """SIGINT and SIGTERM wait (are delivered afterwards) while the scratch database is dropped."""
    mask = getattr(signal, "pthread_sigmask", None)
    if mask is None or threading.current_thread() is not threading.main_thread():
        yield
        return
    old = mask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        mask(signal.SIG_SETMASK, old)


def _on_sigterm(signum, frame):
    raise Interrupted(f"signal {signum}")


class Scratch:
    """A uniquely named scratch database (MySQL) or schema (PostgreSQL), dropped on exit whatever happens
    (exception, Ctrl-C, SIGTERM) unless `keep`."""

    def __init__(self, server: Server, keep: bool = False):
        self.server = server
        self.keep = keep
        self.name = scratch_name()
        self.created = False
        self.dropped = False
        self.drop_error: str | None = None
        self._previous_handler = None

    def __enter__(self) -> "Scratch":
        if threading.current_thread() is threading.main_thread():
            self._previous_handler = signal.signal(signal.SIGTERM, _on_sigterm)
        try:
            self.server.create_scratch(self.name)
            self.created = True
        except BaseException as error:
            self._restore()
            self.drop()  # CREATE may have succeeded before the interruption
            found = self.server.error_of(error) if isinstance(error, Exception) else None
            if found is not None:
                raise RehearsalError(f"cannot create the scratch {self.server.scratch_kind} {self.name} on "
                                     f"{self.server.dsn.redacted()}: {found}") from None
            raise
        return self

    def __exit__(self, *exc) -> None:
        try:
            if not self.keep:
                self.drop()
        finally:
            self._restore()

    def _restore(self) -> None:
        if self._previous_handler is not None:
            signal.signal(signal.SIGTERM, self._previous_handler)
            self._previous_handler = None

    def drop(self) -> None:
        with _signals_blocked():
            try:
                self.server.drop_scratch(self.name)
                self.dropped = True
                return
            except Exception:  # noqa: BLE001 - the connection may be mid-statement after an interruption
                pass
            try:
                self.server.reconnect()
                self.server.drop_scratch(self.name)
                self.dropped = True
            except Exception as error:  # noqa: BLE001
                self.drop_error = self.server.dsn.scrub(str(error))


# --- results ---------------------------------------------------------------------------------------------------

@dataclass
class Failure:
    """One thing that failed: a migration statement, a V1 (or V2) statement, or a value V1 reads."""

    phase: str          # "migration" | "v1" | "v2"
    action: str         # migrate, select, find-pk, nextval, insert, insert-minimal, update, update-null, delete,
    #                     read (enum key), data (value changed), reinterpreted (valueSet meaning)
    table: str | None
    column: str | None
    sql: str
    error: str          # the server's own message, or what the read observed
    code: str | None = None
    constraint: str | None = None
    statement: int | None = None  # migration statement number (1-based)
    note: str | None = None
    events: tuple = field(default=(), repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.phase != "migration" and "%s" in self.sql:  # the driver's placeholders, shown as Propel's
            parts = self.sql.split("%s")
            self.sql = "".join(part + (f":p{i}" if i < len(parts) - 1 else "") for i, part in enumerate(parts))

    @property
    def what(self) -> str:
        table = self.table or "?"
        return {
            "migrate": f"migration statement {self.statement}",
            "select": f"V1 SELECT of {table}",
            "find-pk": f"V1 findPk on {table}",
            "nextval": f"{'V2' if self.phase == 'v2' else 'V1'} SELECT nextval for {table}",
            "insert": f"V1 INSERT into {table}",
            "insert-minimal": f"V1 INSERT of the required columns into {table}",
            "update": f"V1 UPDATE of {table}.{self.column}",
            "update-null": f"V1 UPDATE of {table}.{self.column} to NULL",
            "delete": f"V1 DELETE from {table}",
            "read": f"V1 read of {table}.{self.column}",
            "data": f"V1 read of {table}.{self.column}",
            "reinterpreted": f"V2 read of {table}.{self.column}",
        }.get(self.action, f"{self.action} on {table}")

    def line(self) -> str:
        error = f"[{self.code}] {self.error}" if self.code else self.error
        return f"{self.what} failed: {error}" if self.code else f"{self.what}: {error}"

    def to_json(self) -> dict:
        return {"phase": self.phase, "action": self.action, "table": self.table, "column": self.column,
                "constraint": self.constraint, "statement": self.statement, "sql": self.sql, "code": self.code,
                "error": self.error, "note": self.note}


@dataclass
class Outcome:
    finding: Finding
    confirmed: bool
    evidence: list[Failure] = field(default_factory=list)
    reason: str | None = None

    @property
    def status(self) -> str:
        return "confirmed" if self.confirmed else "not reproduced"


@dataclass
class Rehearsal:
    platform: str
    dsn: str
    server_version: str = ""
    server_mode: str = ""
    scratch: str = ""
    scratch_kind: str = ""
    kept: bool = False
    dropped: bool = False
    drop_error: str | None = None
    tables: list[str] = field(default_factory=list)       # V1 tables created
    workload_tables: list[str] = field(default_factory=list)
    seed_rows: dict[str, int] = field(default_factory=dict)
    migration_source: str = "predicted"
    migration_sql: list[str] = field(default_factory=list)
    migration_executed: int = 0
    migration_stopped_at: int | None = None
    migration_skipped: list[int] = field(default_factory=list)  # statements of a change whose statement failed
    workload_statements: int = 0
    failures: list[Failure] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    missed: list[Failure] = field(default_factory=list)
    note: str | None = None

    def confirmed(self, severity: Severity | None = None) -> list[Outcome]:
        return [o for o in self.outcomes if o.confirmed and (severity is None or o.finding.severity == severity)]

    def not_reproduced(self, severity: Severity | None = None) -> list[Outcome]:
        return [o for o in self.outcomes if not o.confirmed and (severity is None or o.finding.severity == severity)]

    @property
    def breaks(self) -> bool:
        """Did anything fail (migration, V1 statement, read)?"""
        return bool(self.failures)


# --- values ----------------------------------------------------------------------------------------------------

_INT_MAX = {"TINYINT": 127, "SMALLINT": 32767, "INTEGER": 2147483647, "BIGINT": 9223372036854775807}
_LETTERS = "abcdefghijklmnopqrstuvwxyz0123456789"


def _keyed(table: Table) -> set[str]:
    """Columns of V1's primary key and unique constraints."""
    return {name for key in [table.primary_key, *(u.columns for u in table.uniques.values())] for name in key}


def _must_set(table: Table, column: Column) -> bool:
    """Columns every V1 INSERT names: NOT NULL without a default, and (else V1 itself would collide on its own
    constraints) the columns of V1's keys."""
    if column.auto_increment:
        return False
    if column.name in _keyed(table):  # a default (or NOT NULL) would repeat; NULLs never collide
        return column.not_null or column.default is not None
    return column.not_null and column.default is None


def _v1_sets(table: Table, column: Column) -> bool:
    """Columns V1's code writes: every non-lazy column; a lazy one only when it must."""
    return not column.lazy_load or _must_set(table, column)


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


def _php_cast(column: Column, value):
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


def _expected(column: Column, value):
    if isinstance(value, bool) and column.type not in ("BOOLEAN", "BOOLEAN_EMU"):
        value = int(value)
    return _php_cast(column, value)


def _meaning(column: Column, stored) -> object:
    values = column.value_set or ()
    if stored is None:
        return None
    stored = int(stored)
    if column.type == "SET":
        return tuple(v for i, v in enumerate(values) if stored & (1 << i)) + (("?",) if stored >> len(values) else ())
    return values[stored] if 0 <= stored < len(values) else None


# --- the rehearsal ---------------------------------------------------------------------------------------------

@dataclass
class _MigrationStatement:
    sql: str
    table: str | None = None
    events: tuple = ()


def predicted_migration(events, platform: str) -> list[_MigrationStatement]:
    """`plan()`'s statements, one executable statement each, framed as `render()` frames them."""
    out = []
    for statement in plan(events, platform):
        if not statement.sql:
            continue
        for raw in split_statements(statement.sql):
            out.append(_MigrationStatement(raw.text, statement.table, tuple(statement.events)))
    if not out:
        return []
    if platform == "mysql":
        return [_MigrationStatement("SET FOREIGN_KEY_CHECKS = 0"), *out,
                _MigrationStatement("SET FOREIGN_KEY_CHECKS = 1")]
    return [_MigrationStatement("BEGIN"), *out, _MigrationStatement("COMMIT")]


def _normal(sql: str) -> str:
    return " ".join(sql.replace("`", "").replace('"', "").split()).rstrip(";").lower()


def committed_migration(sql: str, events, platform: str) -> list[_MigrationStatement]:
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
            out.append(_MigrationStatement(raw.text, match.table, match.events))
            continue
        identifiers = set(re.findall(r"[`\"]([^`\"]+)[`\"]", raw.text)) | set(re.findall(r"\b(\w+)\b", raw.text))
        table = next((t for t in by_table if t in identifiers), None)
        tied = tuple(e for e in by_table.get(table, ())
                     if e.subject is None or e.subject in identifiers) if table else ()
        out.append(_MigrationStatement(raw.text, table, tied))
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
        from .sql.php import read_migration

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


def affected_tables(result) -> tuple[list[str], list[str]]:
    """(V1 tables the change touches, every V1 table to create: those plus what they reference by FK)."""
    base, head = result.base, result.head
    touched: set[str] = set()
    for event in result.events:
        if isinstance(event, ev.SchemaProblem):
            continue
        for side in ("base", "head"):
            table = getattr(event, side, None)
            if isinstance(table, Table):
                touched.add(table.name)
    workload = sorted(n for n in touched if n in base.tables and not base.tables[n].skip_sql)
    needed = set(workload)
    pending = [base.tables[n] for n in workload] + [head.tables[n] for n in touched if n in head.tables]
    while pending:
        table = pending.pop()
        for fk in table.foreign_keys.values():
            target = base.tables.get(fk.foreign_table)
            if target is not None and not target.skip_sql and target.name not in needed:
                needed.add(target.name)
                pending.append(target)
    return workload, sorted(needed)


class _Run:
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
            if minimal and not _must_set(table, column):
                continue
            if not minimal and not seed and not _v1_sets(table, column):
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
        for name in _fk_order(self.base, names):
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
        index = {tuple(_expected(table.columns[k], r.get(k)) for k in keys): r for r in written}
        for row in rows:
            got = dict(zip(columns, row))
            key = tuple(_php_cast(table.columns[k], got[k]) for k in keys)
            wrote = index.get(key)
            if wrote is None:
                continue
            for name in columns:
                if name in keys or name not in wrote or (name, "data") in reported:
                    continue
                column = table.columns[name]
                if _expected(column, wrote[name]) != _php_cast(column, got[name]):
                    self.fail(Failure("v1", "data", table.name, name, sql,
                                      f"V1 wrote {_show(wrote[name])} and reads back {_show(got[name])}"))
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
                old, new = _meaning(before, stored), _meaning(after, stored)
                if old != new:
                    self.fail(Failure("v2", "reinterpreted", table.name, name, sql,
                                      f"stored {stored} is {_show_meaning(old)} to V1 and {_show_meaning(new)} to V2"))
                    break

    def workload(self, table: Table) -> None:
        columns, rows = self.select_all(table)
        if columns:
            self.check_rows(table, columns, rows, self.rows.get(table.name, []), _select_sql(self, table, columns))
            self.reinterpretation(table, columns, rows, _select_sql(self, table, columns))
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
                if column.primary_key or not _v1_sets(table, column) or column.name not in fresh:
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
    def migrate(self, statements: list[_MigrationStatement], stop_at_failure: bool) -> None:
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
                    any((statement.table, c) in failed_columns for c in _identifiers(statement.sql)):
                self.report.migration_skipped.append(number)
                continue
            _, error = self.run(statement.sql)
            if is_body:
                self.report.migration_executed += 1
            if error is None:
                continue
            events = self._record(statement, error, number if is_body else None, stop_at_failure)
            failed.update(id(e) for e in events)
            failed_columns.update((statement.table, c) for e in events for c in _new_columns(e))
            if stop_at_failure:
                self.report.migration_stopped_at = number
                self.s.reset()
                break
            self.s.reset()
            if self.platform == "mysql":
                self.run("SET FOREIGN_KEY_CHECKS = 0")
            clauses = _alter_clauses(statement.sql)
            if len(clauses) > 2:
                # a merged ALTER TABLE fails as a whole: apply the clauses of its other changes on their own, as
                # if the failing change were fixed; a clause that fails on its own is a failure of its change
                failing = {c for e in events for c in _event_columns(e)}      # clauses about these stay out
                missing = {c for t, c in failed_columns if t == statement.table}  # clauses naming these too
                for clause in clauses[1:]:
                    names = _identifiers(clause)
                    subject = names[0] if names else None
                    if subject in failing or set(names) & missing:
                        missing.update(_created_by(clause, names))  # what a left-out clause would have created
                        continue
                    single = _MigrationStatement(f"{clauses[0]} {clause}", statement.table, statement.events)
                    _, error = self.run(single.sql)
                    if error is not None:
                        more = self._record(single, error, number, False, narrow_only=True)
                        failed.update(id(e) for e in more)
                        failed_columns.update((statement.table, c) for e in more for c in _new_columns(e))
                        self.s.reset()
        self.s.reset()

    def _record(self, statement: _MigrationStatement, error: DbError, number: int | None, stop_at_failure: bool,
                narrow_only: bool = False) -> tuple:
        """A migration failure, tied to the events of its statement (those of the column the server names)."""
        events = statement.events
        if error.column:
            narrowed = tuple(e for e in events if error.column in _event_columns(e))
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


def _new_columns(event) -> set[str]:
    """Columns that do not exist when the event's statement failed (an added or renamed column)."""
    if isinstance(event, ev.ColumnAdded):
        return {event.column.name}
    if isinstance(event, ev.ColumnRenamed):
        return {event.after.name}
    return set()


def _created_by(clause: str, names: list[str]) -> set[str]:
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


def _identifiers(sql: str) -> list[str]:
    return re.findall(r"[`\"]([^`\"]+)[`\"]", sql)


_ALTER_HEAD = re.compile(r"^(ALTER TABLE\s+(?:`[^`]+`|\"[^\"]+\"|\S+))\s*\n\n  ", re.S)


def _alter_clauses(sql: str) -> list[str]:
    """[`ALTER TABLE t`, clause, ...] for an ALTER TABLE merged by Propel's AlterTableStatementMerger (clauses
    joined by ",\n\n  "), else []."""
    match = _ALTER_HEAD.match(sql)
    if not match:
        return []
    return [match.group(1), *[c.strip() for c in sql[match.end():].split(",\n\n  ")]]


def _select_sql(run: _Run, table: Table, columns: list[str]) -> str:
    return f"SELECT {', '.join(f'{run.q(table.name)}.{run.q(c)}' for c in columns)} FROM {run.q(table.name)}"


def _show(value) -> str:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return "0x" + bytes(value).hex()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, (dt.date, dt.time, dt.datetime, dt.timedelta)):
        return f"'{value}'"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "...'"


def _show_meaning(value) -> str:
    if value is None:
        return "an unknown key"
    if isinstance(value, tuple):
        return "[" + ", ".join(value) + "]"
    return repr(value)


def _event_columns(event) -> set[str]:
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


def _fk_order(schema: Schema, names: Iterable[str]) -> list[str]:
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


# --- tying failures to findings --------------------------------------------------------------------------------

def _constraint_columns(schema: Schema, table: str | None, name: str) -> tuple[str | None, set[str], bool]:
    """(owning table, columns, is the primary key) of a constraint or index name."""
    tables = list(schema.tables.values())
    if table in schema.tables:
        tables.insert(0, schema.tables[table])
    for candidate in tables:
        if name in ("PRIMARY", f"{candidate.name}_pkey") and (candidate.name == table or name != "PRIMARY"):
            return candidate.name, set(candidate.primary_key), True
        for index in (*candidate.uniques.values(), *candidate.indexes.values()):
            if index.name == name:
                return candidate.name, set(index.columns), False
        for fk in candidate.foreign_keys.values():
            if fk.name == name:
                return candidate.name, set(fk.local_columns), False
    return None, set(), False


def ties(failure: Failure, finding: Finding, result) -> bool:
    """Does this failure prove this finding?"""
    if failure.phase == "migration" and failure.events:
        return finding.event is not None and any(finding.event is e for e in failure.events)
    if failure.constraint:
        owner, columns, is_pk = None, set(), False
        for schema in (result.head, result.base):
            owner, columns, is_pk = _constraint_columns(schema, failure.table, failure.constraint)
            if owner:
                break
        if owner is not None:
            if finding.table != owner:
                return False
            if finding.column is None:
                return ((is_pk and isinstance(finding.event, ev.PrimaryKeyChanged))
                        or finding.detail == failure.constraint)
            return finding.column in columns
    if finding.table != failure.table:
        return False
    if finding.column is None and isinstance(finding.event, (ev.TableRemoved, ev.TableRenamed)):
        return True  # the whole table is gone: every failure on it
    if failure.column is None:
        return finding.column is None
    if finding.column == failure.column:
        return True
    # a renamed column: the finding names the old column, a V2 statement may name the new one
    event = finding.event
    return isinstance(event, ev.ColumnRenamed) and failure.column in (event.before.name, event.after.name)


def judge(report: Rehearsal, result) -> None:
    findings = result.findings
    for finding in findings:
        evidence = [f for f in report.failures if ties(f, finding, result)]
        outcome = Outcome(finding, bool(evidence), evidence)
        if not evidence:
            outcome.reason = _reason(report, finding, result)
        report.outcomes.append(outcome)
    report.missed = [f for f in report.failures if not any(ties(f, finding, result) for finding in findings)]


def _not_reproducible(report: Rehearsal, finding: Finding) -> str | None:
    """Why the rehearsal cannot show what some findings describe (documented in the README)."""
    code, severity = finding.code, finding.severity
    if code == "CL207" and severity < Severity.ERROR:
        return "appended values keep the stored positions' meaning until V2 stores one V1 does not know; " \
               "the rehearsal writes only V1 data"
    if code == "CL404":
        return "a move changes generated class names, not the database"
    if code == "CL601":
        return "the synchronization contract is runtime configuration, not SQL"
    if code == "CL304":
        return "V1's data keeps the old key unique; the duplicates that break V1 need rows V2 writes"
    if code == "CL403" and report.platform == "mysql":
        return "MySQL does not use the sequence name at runtime"
    return None


def _reason(report: Rehearsal, finding: Finding, result) -> str:
    if finding.table is None:
        return "not about a table: nothing to run"
    if report.migration_stopped_at is not None:
        return f"the migration stopped at statement {report.migration_stopped_at}, before V1 ran on the new schema"
    base = result.base.tables.get(finding.table)
    column = base.columns.get(finding.column) if base is not None and finding.column else None
    if column is not None and column.lazy_load and not _must_set(base, column):
        return (f"{finding.table}.{finding.column} is lazyLoad: V1 is taken not to use it (the convention the "
                "safe paths rely on), so no V1 statement names it")
    other = [f for f in report.failures if f.table == finding.table]
    if other:
        return (f"another failure on {finding.table} comes first ({other[0].what}: {other[0].error}) and hides "
                "this one")
    specific = _not_reproducible(report, finding)
    if specific:
        return specific
    if finding.table not in report.workload_tables:
        return f"{finding.table} did not exist at V1: no V1 statement runs on it"
    return f"every V1 statement on {finding.table} succeeded and the migration applied without error for it"


# --- entry points ----------------------------------------------------------------------------------------------

class Session:
    """One server connection for many rehearsals (the differential test runs hundreds)."""

    def __init__(self, dsn: Dsn | str):
        self.dsn = parse_dsn(dsn) if isinstance(dsn, str) else dsn
        self.server = connect(self.dsn)

    def __enter__(self) -> "Session":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.server.close()

    def rehearse(self, result, *, migration: str | None = None, migration_label: str | None = None,
                 keep: bool = False, stop_at_failure: bool = False,
                 on_phase: Callable[[str, Rehearsal], None] | None = None) -> Rehearsal:
        """Rehearse `result` (a LintResult of the server's platform) in a fresh scratch database.

        `on_phase(name, report)` is called after each phase: "scratch" (created), "seeded" (V1's tables and
        rows), "migrated", "workload" (V1's statements ran)."""
        platform = self.server.platform
        if result.head.platform != platform:
            raise RehearsalError(f"the comparison is for {result.head.platform} but {self.dsn.redacted()} is "
                                 f"{'MySQL/MariaDB' if platform == 'mysql' else 'PostgreSQL'}")
        report = Rehearsal(platform, self.dsn.redacted(), self.server.version, self.server.mode,
                           scratch_kind=self.server.scratch_kind, kept=keep)
        if migration is not None:
            report.migration_source = migration_label or "committed migration"
        workload, needed = affected_tables(result)
        report.workload_tables = workload
        if not needed and migration is None and not predicted_migration(result.events, platform):
            report.note = "no schema change touches a table: nothing to rehearse"
            report.dropped = True
            judge(report, result)
            return report
        self.server.statements = 0
        scratch = Scratch(self.server, keep=keep)
        report.scratch = scratch.name
        try:
            self._run(scratch, result, report, on_phase, migration, stop_at_failure, workload, needed)
        except RehearsalError:
            raise
        except Exception as error:
            if not self.server.is_driver_error(error):
                raise
            raise RehearsalError(f"lost the connection to {self.dsn.redacted()}: "
                                 f"{self.dsn.scrub(str(error))}") from None
        finally:
            report.dropped, report.drop_error = scratch.dropped, scratch.drop_error
        judge(report, result)
        return report

    def _run(self, scratch, result, report, on_phase, migration, stop_at_failure, workload, needed) -> None:
        platform = self.server.platform
        with scratch:
            run = _Run(self.server, result, report)

            def phase(name: str) -> None:
                if on_phase is not None:
                    on_phase(name, report)

            phase("scratch")
            run.create_v1(needed)
            run.seed(needed)
            phase("seeded")
            statements = (committed_migration(migration, result.events, platform) if migration is not None
                          else predicted_migration(result.events, platform))
            run.migrate(statements, stop_at_failure)
            phase("migrated")
            before = self.server.statements
            if report.migration_stopped_at is None or platform == "mysql":
                for name in workload:
                    run.workload(self.base_table(result, name))
                run.v2_sequences(workload)
            report.workload_statements = self.server.statements - before
            phase("workload")

    @staticmethod
    def base_table(result, name: str) -> Table:
        return result.base.tables[name]


def rehearse(result, dsn: Dsn | str, **options) -> Rehearsal:
    """Connect, rehearse `result` once in a scratch database, disconnect."""
    with Session(dsn) as session:
        return session.rehearse(result, **options)


# --- reports ---------------------------------------------------------------------------------------------------

def _sql_line(sql: str, width: int = 110) -> str:
    text = " ".join(sql.split())
    return text if len(text) <= width else text[: width - 3] + "..."


def render_text(report: Rehearsal, result, threshold: Severity = Severity.ERROR) -> str:
    out = []
    server = f"{report.server_version}, {report.server_mode}" if report.server_mode else report.server_version
    out.append(f"rehearsal on {report.dsn} ({server})")
    if report.note:
        out.append(f"  {report.note}")
        out.append("")
        out.append(f"{len(report.outcomes)} findings, none rehearsed ({report.platform}, {result.base_label} -> "
                   f"{result.head_label})")
        return "\n".join(out) + "\n"
    body = len([s for s in report.migration_sql if s.strip().upper() not in ("BEGIN", "COMMIT")
                and not s.strip().upper().startswith("SET FOREIGN_KEY_CHECKS")])
    failed = [f for f in report.failures if f.phase == "migration"]
    out.append(f"  scratch {report.scratch_kind} {report.scratch}: {len(report.tables)} V1 tables, "
               f"{sum(report.seed_rows.values())} seed rows")
    out.append(f"  migration ({report.migration_source}): {body} statements, {report.migration_executed} run, "
               f"{len(failed)} failed" + (f", stopped at statement {report.migration_stopped_at}"
                                          if report.migration_stopped_at is not None else "")
               + (f", {len(report.migration_skipped)} skipped (they belong to a change whose statement failed)"
                  if report.migration_skipped else ""))
    workload_failures = [f for f in report.failures if f.phase != "migration"]
    out.append(f"  V1 statements: {report.workload_statements} on {len(report.workload_tables)} tables, "
               f"{len(workload_failures)} failures")
    out.append("")
    for outcome in report.outcomes:
        finding = outcome.finding
        loc = f"{finding.location}: " if finding.location else ""
        out.append(f"{loc}{finding.code} {finding.name} [{finding.severity}] {finding.subject}: {outcome.status}")
        if outcome.confirmed:
            for failure in outcome.evidence[:3]:
                out.append(f"  {failure.line()}")
                out.append(f"    {_sql_line(failure.sql)}")
                if failure.note and failure.phase == "migration":
                    out.append(f"    ({failure.note})")
            if len(outcome.evidence) > 3:
                out.append(f"  ... and {len(outcome.evidence) - 3} more")
        else:
            out.append(f"  {outcome.reason}")
    if report.missed:
        out.append("")
        out.append(f"missed breakage: {len(report.missed)} failure(s) no finding explains")
        for failure in report.missed:
            out.append(f"  {failure.line()}")
            out.append(f"    {_sql_line(failure.sql)}")
    out.append("")
    if report.kept:
        out.append(f"scratch {report.scratch_kind} {report.scratch} kept (--keep): drop it when done")
    elif report.dropped:
        out.append(f"scratch {report.scratch_kind} {report.scratch} dropped")
    else:
        out.append(f"scratch {report.scratch_kind} {report.scratch} could NOT be dropped: {report.drop_error}")
    parts = []
    for severity in (Severity.ERROR, Severity.WARNING, Severity.INFO):
        total = [o for o in report.outcomes if o.finding.severity == severity]
        if total:
            confirmed = sum(o.confirmed for o in total)
            parts.append(f"{len(total)} {severity}{'s' if len(total) != 1 else ''}: {confirmed} confirmed, "
                         f"{len(total) - confirmed} not reproduced")
    parts.append(f"{len(report.missed)} missed breakage{'s' if len(report.missed) != 1 else ''}")
    out.append("; ".join(parts) + f" ({report.platform}, {result.base_label} -> {result.head_label})")
    return "\n".join(out) + "\n"


def to_json(report: Rehearsal, result) -> dict:
    from .reporters.json import finding_dict

    def outcome_dict(outcome: Outcome) -> dict:
        data = finding_dict(outcome.finding)
        data.update(outcome=outcome.status, evidence=[f.to_json() for f in outcome.evidence], reason=outcome.reason)
        return data

    summary = {}
    for severity in (Severity.ERROR, Severity.WARNING, Severity.INFO):
        total = [o for o in report.outcomes if o.finding.severity == severity]
        summary[str(severity)] = {"findings": len(total), "confirmed": sum(o.confirmed for o in total),
                                  "not_reproduced": sum(not o.confirmed for o in total)}
    summary["missed"] = len(report.missed)
    return {
        "version": 1,
        "platform": report.platform,
        "base": result.base_label,
        "head": result.head_label,
        "server": {"dsn": report.dsn, "version": report.server_version, "mode": report.server_mode},
        "scratch": {"name": report.scratch or None, "kind": report.scratch_kind, "kept": report.kept,
                    "dropped": report.dropped, "drop_error": report.drop_error},
        "note": report.note,
        "tables": report.tables,
        "seed_rows": report.seed_rows,
        "migration": {"source": report.migration_source, "statements": report.migration_sql,
                      "executed": report.migration_executed, "stopped_at": report.migration_stopped_at,
                "skipped": report.migration_skipped},
        "workload": {"tables": report.workload_tables, "statements": report.workload_statements},
        "summary": summary,
        "findings": [outcome_dict(o) for o in report.outcomes],
        "missed": [f.to_json() for f in report.missed],
        "failures": [f.to_json() for f in report.failures],
    }
