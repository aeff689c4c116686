"""The pipeline's funnel: every channel's events go through the one rule run, and the policy (severity,
suppressions, ignores, baseline) is applied once, to all of them."""

from __future__ import annotations

from compatlint import changes as ev
from compatlint.config import Config
from compatlint.engine import Batch
from compatlint.findings import Severity
from compatlint.model import Origin
from compatlint.pipeline import check
from compatlint.suppress import parse_directive
from compatlint.testing import example_files
from compatlint.rules._common import col, table

BEFORE = table("pyz_note", col("body", "VARCHAR", size="255"))
AFTER = table("pyz_note", col("body", "VARCHAR", size="255"), col("title", "VARCHAR", size="64"))


def _channel(calls, directive_text=None):
    """Another source of events: reports the base's table as dropped (what a second source could say)."""

    def channel(base, head):
        calls.append((base, head))
        directives = ()
        if directive_text:
            directives = (parse_directive(directive_text, Origin("other/source.xml", 3)),)
        return Batch([ev.TableRemoved(base.tables["pyz_note"])], base, head, head_directives=directives)

    return channel


def test_a_channel_gets_both_loaded_schemas_and_its_events_reach_the_rules():
    calls = []
    result = check(example_files(BEFORE), example_files(AFTER), "mysql", channels=[_channel(calls)])
    assert len(calls) == 1 and "pyz_note" in calls[0][0].tables and "title" in calls[0][1].tables["pyz_note"].columns
    assert [(f.code, f.table) for f in result.findings if f.code == "CL101"] == [("CL101", "pyz_note")]
    assert any(isinstance(e, ev.TableRemoved) for e in result.events)


def test_the_policy_applies_once_to_every_channel():
    calls = []
    config = Config(severity={"CL101": Severity.INFO})
    result = check(example_files(BEFORE), example_files(AFTER), "mysql", channels=[_channel(calls)], config=config)
    assert [f.severity for f in result.findings if f.code == "CL101"] == [Severity.INFO]
    suppressed = check(example_files(BEFORE), example_files(AFTER), "mysql",
                       channels=[_channel(calls, 'compatlint: allow CL101 table="pyz_note" reason="moved elsewhere"')])
    assert [f for f in suppressed.findings if f.code in ("CL101", "CL904")] == []
    assert suppressed.suppression.by_directive == 1
