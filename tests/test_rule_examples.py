"""Every VALID and INVALID example of every rule, run through the whole pipeline (Fixit style)."""

import pytest

from compatlint.registry import all_rules
from compatlint.testing import finding_keys, run_example

CASES = [
    pytest.param(rule, kind, index, example, id=f"{rule.code}-{kind}-{index}")
    for rule in all_rules()
    for kind, examples in (("VALID", rule.VALID), ("INVALID", rule.INVALID))
    for index, example in enumerate(examples)
]


@pytest.mark.parametrize("rule, kind, index, example", CASES)
def test_rule_example(rule, kind, index, example):
    findings = run_example(rule, example)
    found = finding_keys(findings, rule.code)
    if kind == "VALID":
        assert found == set(), f"{rule.code} VALID[{index}] ({example.note}) reported {found}"
        return
    expected = {(e.code, e.table, e.column) for e in example.expect}
    assert expected, f"{rule.code} INVALID[{index}] expects nothing"
    assert found == expected, f"{rule.code} INVALID[{index}] ({example.note})"
    if example.severity is not None:
        severities = {f.severity for f in findings if f.code == rule.code}
        assert severities == {example.severity}
    for finding in findings:
        assert finding.location is not None and finding.location.line, f"{finding} has no file:line"
