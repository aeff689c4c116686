"""JUnit XML: one test case per finding (failure), grouped in one suite; CI servers show them as tests."""

from __future__ import annotations

from xml.sax.saxutils import quoteattr, escape

from ..findings import Severity


def test_case(f, threshold: Severity) -> str:
    where = str(f.location) if f.location else ""
    name = " ".join(p for p in (f.code, f.subject, f.detail if f.detail and f.detail != f.column else "", where) if p)
    body = escape(f"{where}: {f.message}" + (f"\nsafe path: {f.safe_path}" if f.safe_path else ""))
    if f.severity >= threshold:
        inner = f"<failure type={quoteattr(f.name)} message={quoteattr(f.message)}>{body}</failure>"
    else:
        inner = f"<system-out>{escape(str(f.severity))}: {body}</system-out>"
    classname = quoteattr(f"compatlint.{f.table or 'schema'}")
    return f'    <testcase classname={classname} name={quoteattr(name)} file={quoteattr(where)}>{inner}</testcase>'


def render_junit(result, *, platform: str, threshold: Severity = Severity.ERROR, **_) -> str:
    failures = sum(1 for f in result.findings if f.severity >= threshold)
    cases = [test_case(f, threshold) for f in result.findings]
    if not cases:
        cases.append('    <testcase classname="compatlint" name="schema change is backward compatible"/>')
    tests = max(len(result.findings), 1)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<testsuites name="compatlint" tests="{tests}" failures="{failures}" errors="0">\n'
            f'  <testsuite name={quoteattr(f"compatlint ({platform})")} tests="{tests}" failures="{failures}" errors="0">\n'
            + "\n".join(cases) + "\n  </testsuite>\n</testsuites>\n")
