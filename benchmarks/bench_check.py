"""Benchmark `compatlint check` on a real schema history against its floor.

Targets (issue "Core"): `check` between two adjacent commits of the spryker-core corpus (both
revisions from git) under 0.5 s median; `check` with no schema change staged under 0.2 s median.
Issue "One pipeline, one room per job": within 2.5x of its floor for a regular install and 3x for an
editable one (`pip install -e`, which finds modules through a path hook at every start).

The floor is the same Python, in a fresh process like `check`, listing the same files at both
revisions with git, reading the same blobs with one `git cat-file --batch` and parsing each with
lxml, nothing else. Both are timed as whole processes, the way a user or a hook runs them.

Usage: python benchmarks/bench_check.py [--runs N] [--corpus PATH]
Uses ../shared/corpora/spryker-core-schema-history.bundle when present, else a generated history
of the same size. Prints medians and ratios; exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)

from corpus import generated_history, prepare_corpus  # noqa: E402

FLOOR = r"""
import subprocess, sys
from lxml import etree
from compatlint.loaders.patterns import SchemaPatterns
repo, revs = sys.argv[1], sys.argv[2:]
patterns = SchemaPatterns()
parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
for rev in revs:
    out = subprocess.run(["git", "-C", repo, "ls-tree", "-r", "-z", "--full-tree", rev], capture_output=True, check=True).stdout
    blobs = []
    for rec in out.split(b"\0"):
        if rec:
            meta, _, path = rec.partition(b"\t")
            if patterns.classify(path.decode()) is not None:
                blobs.append(meta.split()[2].decode())
    data = subprocess.run(["git", "-C", repo, "cat-file", "--batch"], input=("\n".join(blobs) + "\n").encode(),
                          capture_output=True, check=True).stdout
    pos = 0
    for blob in blobs:
        end = data.index(b"\n", pos)
        size = int(data[pos:end].split()[2])
        etree.fromstring(data[end + 1:end + 1 + size], parser)
        pos = end + 2 + size
"""


def timed(cmd: list[str], runs: int, cwd: str) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(cmd, cwd=cwd, capture_output=True)
        times.append(time.perf_counter() - start)
        if done.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}): {done.stderr.decode()[-500:]}")
    return times


def _editable_install() -> bool:
    """Whether the `compatlint` this Python imports is the source tree itself (`pip install -e`)."""
    found = subprocess.run([sys.executable, "-c", "import compatlint, os; print(os.path.dirname(compatlint.__file__))"],
                           capture_output=True, text=True, cwd=os.path.dirname(ROOT)).stdout.strip()
    return os.path.realpath(found) == os.path.realpath(os.path.join(ROOT, "compatlint"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--corpus", default=os.path.join(ROOT, "..", "shared", "corpora", "spryker-core-schema-history.bundle"))
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="compatlint-bench-")
    try:
        if os.path.exists(args.corpus):
            repo, source = prepare_corpus(args.corpus, work), "spryker-core corpus"
        else:
            repo, source = generated_history(work, files=418, commits=2), "generated history (corpus absent)"
        exe = shutil.which("compatlint") or sys.exit("compatlint is not installed in this environment")
        head = subprocess.run(["git", "-C", repo, "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
        parent = subprocess.run(["git", "-C", repo, "rev-parse", "HEAD~1"], capture_output=True, text=True).stdout.strip()
        check = statistics.median(timed([exe, "check", "--base", parent, "--head", head], args.runs, repo))
        floor = statistics.median(timed([sys.executable, "-c", FLOOR, repo, parent, head], args.runs, repo))
        idle = statistics.median(timed([exe, "check"], args.runs, repo))
        ratio = check / floor
        editable = _editable_install()
        limit = 3.0 if editable else 2.5
        print(f"source: {source}; runs: {args.runs}; medians; {'editable' if editable else 'regular'} install")
        print(f"check adjacent commits : {check * 1000:7.1f} ms  (target < 500 ms)")
        print(f"floor (git + lxml)     : {floor * 1000:7.1f} ms")
        print(f"ratio check / floor    : {ratio:7.2f} x  (target <= {limit}x)")
        print(f"check, nothing staged  : {idle * 1000:7.1f} ms  (target < 200 ms)")
        ok = check < 0.5 and ratio <= limit and idle < 0.2
        print("all targets met" if ok else "TARGET MISSED")
        return 0 if ok else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
