"""Differential test: compatlint's static verdict against a rehearsal on a real server, per platform.

Hypothesis generates random V1 -> V2 schema edits (`benchmarks/differential_cases.py`: one or two tables, one or
two edits of the kinds a Spryker project makes), derandomized so every run checks the same examples. Each is
linted and rehearsed (`compatlint.rehearse`) on MariaDB and on PostgreSQL through one connection. An example
agrees when the static verdict (any error finding) equals the rehearsal's (anything failed) and, finer, when every
error finding is confirmed and every failure is explained. Every disagreement must belong to a class listed in
`KNOWN_LIMITS` and documented in README.md; a new class fails the test, shrunk to its smallest example.
`python benchmarks/differential_report.py` prints the same figures for more examples.
"""

from __future__ import annotations

import os
import sys

import pytest
from hypothesis import HealthCheck, Phase, given, settings

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "benchmarks"))

from differential_cases import KNOWN_LIMITS, changes, documented, run_example, schema_xml, summary  # noqa: E402

EXAMPLES = 600
# Regression floors for the verdict agreement of the derandomized examples (see the README for the figures).
FLOOR = {"mysql": 0.985, "pgsql": 0.985}


@pytest.mark.parametrize("platform", ["mysql", "pgsql"])
def test_static_verdicts_agree_with_rehearsals(db_servers, platform):
    from compatlint.rehearse import Session

    dsn = db_servers(platform)
    outcomes = []
    with Session(dsn) as session:
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate, Phase.shrink])
        @given(changes())
        def example(case):
            v1, v2, what = case
            outcome = run_example(session, v1, v2, what)
            unknown = [c for c in outcome.classes if documented(c) is None]
            assert not unknown, (f"undocumented disagreement {unknown} on {platform}:\n"
                                 + outcome.explain(schema_xml(v1), schema_xml(v2)))
            outcomes.append(outcome)

        example()
    data = summary(outcomes)
    assert data["examples"] >= EXAMPLES
    print(f"\n{platform}: N={data['examples']} verdict agreement {data['verdict_agreement']:.1%}, per-finding "
          f"{data['finding_agreement']:.1%}, classes {data['classes']}")
    assert data["verdict_agreement"] >= FLOOR[platform], data
    assert data["static_breaks"] >= EXAMPLES // 5, "the generator should produce breaking changes too"


def test_every_known_limit_is_documented_in_the_readme():
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as handle:
        readme = handle.read()
    missing = [pattern for pattern in KNOWN_LIMITS if f"`{pattern}`" not in readme]
    assert not missing, f"document these disagreement classes in README.md (Rehearse): {missing}"
