"""Suppressions, applied in one place after the rules ran.

Directives:
- XML, before or inside the element it is about:
  `<!-- compatlint: allow CL102 reason="dropped after lazyLoad release 2024.3" -->`
  before a `<column>`: findings on that column; before or inside a `<table>`: findings on the table
  and everything in it; `table="spy_old"` names a table that no longer exists at head (a drop).
- XML, file level: `<!-- compatlint: allow-file CL404 reason="..." -->` anywhere in a file: findings
  located in that file, and on tables it declares.
- SQL: `-- compatlint: allow CL501 reason=...` on the line before a statement (migration files).
Codes or names, several separated by commas or spaces. A reason is required unless the
configuration says `require-reason = false`. Unknown rules are CL903, directives that matched
nothing CL904, directives without a reason CL906 (and they do not suppress).
Then the configuration's `ignore`/`select`, per-path ignores and the baseline file are applied.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, replace
from typing import Iterable

from .findings import Finding, Severity
from .loaders.git import InputError
from .loaders.xml import RawElement
from .model import Origin
from .registry import rule_by_key, rule_keys

_DIRECTIVE = re.compile(r"compatlint:\s*(allow-file|allow)\b(.*)", re.DOTALL)
_KEYVAL = re.compile(r'(\w+)\s*=\s*(?:"([^"]*)"|\'([^\']*)\'|(\S+))')


@dataclass(frozen=True)
class Directive:
    rules: tuple[str, ...]
    reason: str | None
    origin: Origin
    file_level: bool = False
    table: str | None = None
    column: str | None = None
    # SQL directives apply to the statement on this line of their file only (through `line_scope_end`, the
    # statement's last line: a finding of one clause of an ALTER TABLE sits on that clause's line).
    line_scope: int | None = None
    line_scope_end: int | None = None
    # For file-level directives: the tables the file declares (findings on them may sit in other files).
    file_tables: tuple[str, ...] = ()


def parse_directive(text: str, origin: Origin) -> Directive | None:
    match = _DIRECTIVE.search(text)
    if not match:
        return None
    kind, rest = match.groups()
    values = {m.group(1).lower(): next(g for g in m.groups()[1:] if g is not None) for m in _KEYVAL.finditer(rest)}
    bare = _KEYVAL.sub(" ", rest)
    rules = tuple(r for r in re.split(r"[\s,]+", bare.strip()) if r)
    return Directive(rules=rules, reason=values.get("reason") or None, origin=origin, file_level=kind == "allow-file",
                     table=values.get("table"), column=values.get("column"))


def xml_directives(root: RawElement) -> list[Directive]:
    """Directives from the comments of one parsed schema file."""
    found: list[Directive] = []

    def visit(element: RawElement, table: str | None, column: str | None) -> None:
        if element.tag == "table":
            table = element.attrs.get("name")
        elif element.tag == "column":
            column = element.attrs.get("name")
        for text, line in element.comments:
            directive = parse_directive(text, Origin(element.origin.path, line))
            if directive is None:
                continue
            if not directive.file_level:
                scope = directive.table or table
                directive = replace(directive, table=scope,
                                    column=directive.column or (column if scope == table else None))
            found.append(directive)
        for child in element.children:
            visit(child, table, column if element.tag == "column" else None)

    visit(root, None, None)
    declared = tuple(c.attrs["name"] for c in root.children if c.tag == "table" and c.attrs.get("name"))
    return [replace(d, file_tables=declared) if d.file_level else d for d in found]


def _matches_rule(directive: Directive, finding: Finding, aliases: dict[str, str]) -> bool:
    for key in directive.rules:
        code = aliases.get(key.lower()) or aliases.get(key.upper())
        if code == finding.code:
            return True
    return False


def _covers(directive: Directive, finding: Finding) -> bool:
    if directive.line_scope is not None:
        last = directive.line_scope_end or directive.line_scope
        return finding.location is not None and directive.line_scope <= (finding.location.line or 0) <= last and \
            finding.location.path.endswith(directive.origin.path)
    if directive.file_level:
        return (finding.location is not None and finding.location.path.endswith(directive.origin.path)) or \
            (directive.table is not None and directive.table == finding.table) or \
            (finding.table is not None and finding.table in directive.file_tables)
    if directive.table is None:  # on the database element: like file level
        return finding.location is not None and finding.location.path.endswith(directive.origin.path)
    if directive.table != finding.table:
        return False
    return directive.column is None or directive.column == finding.column


def rule_aliases() -> dict[str, str]:
    return rule_keys()


def _meta(code: str, message: str, origin: Origin, severity: Severity) -> Finding:
    rule = rule_by_key(code)
    return Finding(code=code, name=rule.name if rule else code.lower(), severity=rule.severity if rule else severity,
                   message=message, location=origin, detail=f"{origin.path}:{origin.line}:{message}")


class Suppression:
    """What the suppression step did: findings kept, and how many were suppressed by each means. (A plain class:
    a dataclass is generated code, compiled at import.)"""

    def __init__(self, findings: list[Finding], by_directive: int = 0, by_config: int = 0, by_baseline: int = 0,
                 left_out: list[tuple[Finding, str, str]] | None = None):
        self.findings = findings
        self.by_directive = by_directive
        self.by_config = by_config
        self.by_baseline = by_baseline
        # What was left out and why: (finding, means, reason), means being "directive", "config" or "baseline".
        self.left_out = [] if left_out is None else left_out


def apply(findings: list[Finding], directives: Iterable[Directive], *, require_reason: bool = True,
          select: tuple[str, ...] = (), ignore: tuple[str, ...] = (),
          per_path_ignores: dict[str, tuple[str, ...]] | None = None,
          baseline: set[str] | None = None, report_unused: bool = True,
          old_directives: Iterable[Directive] = ()) -> Suppression:
    """`old_directives`: those the base already had; only directives the change adds can be reported
    as unused (an old one may well be in use, by a finding this diff no longer shows)."""
    aliases = rule_aliases()
    directives = list(directives)
    meta: list[Finding] = []
    usable = []
    for directive in directives:
        unknown = [r for r in directive.rules if aliases.get(r.lower()) is None and aliases.get(r.upper()) is None]
        for name in unknown:
            meta.append(_meta("CL903", f"suppression names unknown rule {name!r}", directive.origin, Severity.WARNING))
        if not directive.rules:
            meta.append(_meta("CL903", "suppression names no rule: write the code or name to allow", directive.origin,
                              Severity.WARNING))
            continue
        if require_reason and not directive.reason:
            meta.append(_meta("CL906", f"suppression of {', '.join(directive.rules)} has no reason=\"...\"; it is "
                                       "ignored until it says why", directive.origin, Severity.WARNING))
            continue
        if len(unknown) < len(directive.rules):
            usable.append(directive)
    kept: list[Finding] = []
    used: set[int] = set()
    result = Suppression(kept)
    for finding in findings:
        if finding.code == "CL901":  # an unusable file is bad input: never suppressed, selected away or baselined
            kept.append(finding)
            continue
        hit = [d for d in usable if _matches_rule(d, finding, aliases) and _covers(d, finding)] if usable else ()
        if hit:
            used.update(id(d) for d in hit)  # directives are frozen (they live in the frozen Schema): usage is ours
            result.by_directive += 1
            result.left_out.append((finding, "directive", f"{hit[0].reason or ''} ({hit[0].origin})".strip()))
            continue
        kept.append(finding)
    old_keys = {directive_key(d) for d in old_directives}
    if report_unused:
        for directive in usable:
            if id(directive) not in used and directive_key(directive) not in old_keys:
                meta.append(_meta("CL904", f"suppression of {', '.join(directive.rules)} matched no finding",
                                  directive.origin, Severity.INFO))
    final: list[Finding] = []
    for finding in kept + meta:
        if finding.code == "CL901":
            final.append(finding)
            continue
        if (select or ignore) and not _selected(finding.code, finding.name, select, ignore):
            result.by_config += 1
            result.left_out.append((finding, "config", "not selected by the configuration (select/ignore)"))
            continue
        if per_path_ignores and _path_ignored(finding, per_path_ignores):
            result.by_config += 1
            result.left_out.append((finding, "config", "per-path ignore in the configuration"))
            continue
        if baseline and finding.fingerprint in baseline:
            result.by_baseline += 1
            result.left_out.append((finding, "baseline", "recorded in the baseline"))
            continue
        final.append(finding)
    result.findings = sorted(final, key=Finding.sort_key)
    return result


def finalize(result, config=None, baseline: set[str] | None = None):
    """The one place findings meet the user's policy: severity overrides, suppression comments, the
    configuration's select/ignore and per-path ignores, and the baseline. Sets `result.findings` and
    `result.suppression` (a `Suppression`) and returns `result` (a `compatlint.result.LintResult`)."""
    require_reason = True if config is None else config.require_reason
    findings = result.findings
    if config is not None and config.severity:
        findings = with_severity(findings, config.severity, rule_aliases())
    outcome = apply(
        findings, result.head.directives, require_reason=require_reason,
        select=config.select if config else (), ignore=config.ignore if config else (),
        per_path_ignores=config.per_path_ignores if config else None, baseline=baseline,
        old_directives=result.base.directives,
    )
    result.findings = outcome.findings
    result.suppression = outcome
    return result


def directive_key(directive: Directive) -> tuple:
    return (directive.origin.path, directive.rules, directive.reason, directive.table, directive.column,
            directive.file_level)


def _key_matches(key: str, code: str, name: str) -> bool:
    upper = key.upper()
    return key.lower() == name or upper == code or (upper.startswith("CL") and code.startswith(upper))


def _selected(code: str, name: str, select: tuple[str, ...], ignore: tuple[str, ...]) -> bool:
    if select and not any(_key_matches(k, code, name) for k in select):
        return False
    return not any(_key_matches(k, code, name) for k in ignore)


def _path_ignored(finding: Finding, per_path: dict[str, tuple[str, ...]]) -> bool:
    if finding.location is None:
        return False
    path = finding.location.path
    for glob, keys in per_path.items():
        if fnmatch.fnmatch(path, glob) or fnmatch.fnmatch(path, f"*/{glob}"):
            if any(_key_matches(k, finding.code, finding.name) for k in keys):
                return True
    return False


# --- baseline -----------------------------------------------------------------------------------

def write_baseline(path: str, findings: Iterable[Finding]) -> int:
    import json

    entries = sorted(({"fingerprint": f.fingerprint, "code": f.code, "table": f.table, "column": f.column}
                      for f in findings), key=lambda e: (e["code"], e["table"] or "", e["column"] or "", e["fingerprint"]))
    unique = list({e["fingerprint"]: e for e in entries}.values())
    with open(path, "w", encoding="utf-8") as handle:
        json.dump({"version": 1, "findings": unique}, handle, indent=2)
        handle.write("\n")
    return len(unique)


def read_baseline(path: str) -> set[str]:
    import json

    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except OSError as error:
        raise InputError(f"{path}: cannot read baseline: {error.strerror}") from None
    except json.JSONDecodeError as error:
        raise InputError(f"{path}:{error.lineno}: baseline is not valid JSON: {error.msg}") from None
    if not isinstance(data, dict) or not isinstance(data.get("findings"), list):
        raise InputError(f"{path}: not a compatlint baseline (expected {{\"version\": 1, \"findings\": [...]}})")
    if data.get("version") != 1:
        raise InputError(f"{path}: baseline version {data.get('version')!r} is not supported (expected 1)")
    fingerprints = set()
    for number, entry in enumerate(data["findings"], 1):
        if not isinstance(entry, dict) or not isinstance(entry.get("fingerprint"), str):
            raise InputError(f"{path}: baseline entries need a \"fingerprint\" string (entry {number})")
        fingerprints.add(entry["fingerprint"])
    return fingerprints


def with_severity(findings: list[Finding], overrides: dict[str, Severity], aliases: dict[str, str]) -> list[Finding]:
    if not overrides:
        return findings
    by_code = {aliases.get(k, aliases.get(k.upper(), k)): v for k, v in overrides.items()}
    return [replace(f, severity=by_code[f.code]) if f.code in by_code else f for f in findings]
