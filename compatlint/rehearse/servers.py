"""The two drivers behind one `Server` interface (MySQL/MariaDB via PyMySQL, PostgreSQL via psycopg),
and the server's errors read into `DbError` (which table, column or constraint failed)."""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass

from .dsn import Dsn, RehearsalError, parse_dsn


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
