"""Rendering a rehearsal: text for people, JSON for machines."""

from __future__ import annotations

from ..findings import Severity, counted
from .outcome import Outcome, Rehearsal


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
        out.append(f"{counted(len(report.outcomes), 'finding')}, none rehearsed ({report.platform}, {result.base_label} -> "
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
    from ..reporters.json import finding_dict

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
