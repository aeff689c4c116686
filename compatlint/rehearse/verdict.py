"""Tying failures to findings: which finding a server error confirms, and why another was not reproduced."""

from __future__ import annotations

from .. import changes as ev
from ..findings import Finding, Severity
from ..model import Schema
from .outcome import Failure, Outcome, Rehearsal
from .values import must_set


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
    if column is not None and column.lazy_load and not must_set(base, column):
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
