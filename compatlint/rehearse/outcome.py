"""What a rehearsal found: failures, the verdict per finding, and the whole `Rehearsal`."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..findings import Finding, Severity


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
