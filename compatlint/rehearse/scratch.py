"""The scratch database (MySQL) or schema (PostgreSQL): uniquely named, always dropped, with SIGTERM turned
into an exception and SIGINT/SIGTERM blocked while dropping."""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import threading
import time

from .dsn import RehearsalError
from .servers import Server


SCRATCH_PREFIX = "compatlint_rh_"


class Interrupted(KeyboardInterrupt):
    """SIGTERM during a rehearsal (treated like Ctrl-C, so the scratch database is dropped)."""




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
