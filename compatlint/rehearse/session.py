"""The entry points: a `Session` (one connection, many rehearsals) and `rehearse()`."""

from __future__ import annotations

from typing import Callable

from .. import changes as ev
from ..model import Table
from .dsn import Dsn, RehearsalError, parse_dsn
from .migration import committed_migration, predicted_migration
from .outcome import Rehearsal
from .run import Run
from .scratch import Scratch
from .servers import connect
from .verdict import judge


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
            run = Run(self.server, result, report)

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
