"""Agreement of compatlint's static verdicts with rehearsals on real servers, per platform.

Runs N random V1 -> V2 schema edits per platform (the generator of tests/test_differential.py,
`benchmarks/differential_cases.py`), rehearses each with `compatlint.rehearse`, and prints:
the verdict agreement (the static verdict "breaks V1" = any error finding, equals the rehearsal's
"something failed"), the per-finding agreement (every error finding confirmed, no failure unexplained),
and the disagreement classes with their counts and whether README.md documents them.

Usage: python benchmarks/differential_report.py [--examples N] [--random]
           [--mysql-dsn URL] [--pgsql-dsn URL] [--platform mysql|pgsql]
Writes nothing (no example database; hypothesis's caches go to a temporary folder). Exits 1 when a class is
undocumented.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402

from differential_cases import changes, documented, run_example, schema_xml, summary  # noqa: E402

DSNS = {"mysql": os.environ.get("COMPATLINT_MYSQL_DSN", "mysql://root@127.0.0.1:3306/test"),
        "pgsql": os.environ.get("COMPATLINT_PGSQL_DSN", "postgresql://postgres@127.0.0.1:5432/test")}


def run_platform(platform: str, dsn: str, examples: int, derandomize: bool, verbose: bool):
    from compatlint.rehearse import Session

    outcomes, shortest = [], {}
    with Session(dsn) as session:
        @settings(max_examples=examples, deadline=None, derandomize=derandomize, database=None,
                  suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])
        @given(changes())
        def example(case):
            v1, v2, what = case
            outcome = run_example(session, v1, v2, what)
            outcomes.append(outcome)
            for cls in outcome.classes:
                text = outcome.explain(schema_xml(v1), schema_xml(v2))
                if cls not in shortest or len(text) < len(shortest[cls]):
                    shortest[cls] = text

        started = time.perf_counter()
        example()
        elapsed = time.perf_counter() - started
    return outcomes, shortest, elapsed


def main() -> int:
    import tempfile

    from hypothesis.configuration import set_hypothesis_home_dir

    # hypothesis caches constants under ./.hypothesis: keep that out of the working tree
    home = tempfile.TemporaryDirectory(prefix="compatlint-differential-")
    set_hypothesis_home_dir(home.name)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=1000)
    parser.add_argument("--random", action="store_true", help="fresh random examples (default: derandomized)")
    parser.add_argument("--platform", choices=["mysql", "pgsql"], action="append")
    parser.add_argument("--mysql-dsn", default=DSNS["mysql"])
    parser.add_argument("--pgsql-dsn", default=DSNS["pgsql"])
    parser.add_argument("-v", "--verbose", action="store_true", help="print the smallest example of each class")
    args = parser.parse_args()
    undocumented = 0
    for platform in args.platform or ["mysql", "pgsql"]:
        dsn = args.mysql_dsn if platform == "mysql" else args.pgsql_dsn
        outcomes, shortest, elapsed = run_platform(platform, dsn, args.examples, not args.random, args.verbose)
        data = summary(outcomes)
        print(f"{platform}: N={data['examples']} examples in {elapsed:.1f} s; "
              f"verdict agreement {data['verdict_agreement']:.1%}; per-finding agreement "
              f"{data['finding_agreement']:.1%}; static breaks {data['static_breaks']}, rehearsal breaks "
              f"{data['rehearsal_breaks']}")
        for cls, count in data["classes"].items():
            pattern = documented(cls)
            undocumented += pattern is None
            print(f"  {count:5d}  {cls:<36} {'documented as ' + pattern if pattern else 'UNDOCUMENTED'}")
            if args.verbose:
                print("        " + shortest[cls].replace("\n", "\n        "))
    return 1 if undocumented else 0


if __name__ == "__main__":
    sys.exit(main())
