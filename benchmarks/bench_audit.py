"""Benchmark `compatlint audit --all` over a whole history against its floor.

Target (issue "Pre-commit hook, pull-request gate, branch audit"): the whole 480-commit spryker-core
corpus audits under 3 s median. The floor is `git log --raw` over the same history (what any audit
has to read at least), timed the same way, as a whole process.

Usage: python benchmarks/bench_audit.py [--runs N] [--corpus PATH]
Uses ../shared/corpora/spryker-core-schema-history.bundle when present, else a generated history of
the same size (418 files, 480 commits).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from bench_check import timed  # noqa: E402
from corpus import generated_history, prepare_corpus  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--corpus", default=os.path.join(HERE, "..", "..", "shared", "corpora",
                                                         "spryker-core-schema-history.bundle"))
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="compatlint-audit-bench-")
    try:
        if os.path.exists(args.corpus):
            repo, source = prepare_corpus(args.corpus, work), "spryker-core corpus"
        else:
            repo, source = generated_history(work, files=418, commits=480), "generated history (corpus absent)"
        exe = shutil.which("compatlint") or sys.exit("compatlint is not installed in this environment")
        commits = subprocess.run(["git", "-C", repo, "rev-list", "--count", "HEAD"], capture_output=True,
                                 text=True).stdout.strip()
        audit = statistics.median(timed([exe, "audit", "--all", "--format", "json", "-o", os.devnull], args.runs, repo))
        floor = statistics.median(timed(["git", "log", "--raw", "--no-renames", "-z", "HEAD"], args.runs, repo))
        print(f"source: {source}; {commits} commits; runs: {args.runs}; medians")
        print(f"audit --all          : {audit * 1000:8.1f} ms  (target < 3000 ms)")
        print(f"floor (git log --raw): {floor * 1000:8.1f} ms")
        print(f"ratio audit / floor  : {audit / floor:8.1f} x")
        ok = audit < 3.0
        print("target met" if ok else "TARGET MISSED")
        return 0 if ok else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
