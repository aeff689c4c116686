"""DSN parsing and redaction: which server to rehearse on, never printing its password."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, unquote, urlsplit

from ..errors import InputError


class RehearsalError(InputError):
    """A bad DSN, a missing driver, a connection or setup failure: one line, exit code 2."""



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
