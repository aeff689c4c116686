"""Benchmark `compatlint audit --all` over a whole history against its floor.

Targets: the whole 480-commit spryker-core corpus audits under 3 s median (issue "Pre-commit hook,
pull-request gate, branch audit") and within 5x of its floor (issue "One pipeline, one room per job").
The floor is a fresh Python process that reads the history with `git log --raw`, reads every unique
schema blob of it (the files compatlint's default patterns take) with one `git cat-file --batch` and
parses each once with lxml, with compatlint's parser options: what any audit has to do at least. Also
shown: `git log --raw` alone. All are timed as whole processes, interleaved, medians of wall-clock
time; the CPU time of each process (user + system) is shown too, as it suffers less from a loaded machine.

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

FLOOR = r"""
import subprocess, sys
from lxml import etree
from compatlint.loaders.patterns import SchemaPatterns
repo = sys.argv[1]
patterns = SchemaPatterns()
out = subprocess.run(["git", "-C", repo, "log", "--raw", "-z", "--no-renames", "--no-abbrev", "--format=", "HEAD"],
                     capture_output=True, check=True).stdout
fields = out.split(b"\0")
blobs = {}
for meta, path in zip(fields, fields[1:]):
    meta = meta.lstrip(b"\n")
    if meta.startswith(b":"):
        parts = meta.split()
        if parts[4][:1] != b"D" and patterns.classify(path.decode("utf-8", "surrogateescape")) is not None:
            blobs[parts[3].decode()] = None
parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, remove_blank_text=True,
                         remove_pis=True)
data = subprocess.run(["git", "-C", repo, "cat-file", "--batch"], input=("\n".join(blobs) + "\n").encode(),
                      capture_output=True, check=True).stdout
pos = 0
for blob in blobs:
    end = data.index(b"\n", pos)
    size = int(data[pos:end].split()[2])
    try:
        etree.fromstring(data[end + 1:end + 1 + size], parser)
    except etree.XMLSyntaxError:
        pass  # an empty or broken file: compatlint reports it, lxml refuses it
    pos = end + 2 + size
print(len(blobs))
"""


def timed_cpu(commands: dict[str, list[str]], runs: int, cwd: str) -> tuple[dict, dict]:
    """Wall-clock and CPU seconds of each command, run in turns so load on the machine hits all alike."""
    import resource

    wall: dict[str, list[float]] = {name: [] for name in commands}
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, cmd in commands.items():
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            wall[name].extend(timed(cmd, 1, cwd))
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu[name].append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return ({n: statistics.median(v) for n, v in wall.items()}, {n: statistics.median(v) for n, v in cpu.items()})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
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
        blobs = subprocess.run([sys.executable, "-c", FLOOR, repo], capture_output=True, text=True,
                               check=True).stdout.strip()
        wall, cpu = timed_cpu({
            "audit": [exe, "audit", "--all", "--format", "json", "-o", os.devnull],
            "floor": [sys.executable, "-c", FLOOR, repo],
            "log": ["git", "log", "--raw", "--no-renames", "-z", "HEAD"],
        }, args.runs, repo)
        print(f"source: {source}; {commits} commits, {blobs} unique schema blobs; runs: {args.runs}; medians "
              "(wall, and CPU user+system)")
        print(f"audit --all                  : {wall['audit'] * 1000:8.1f} ms  cpu {cpu['audit'] * 1000:8.1f} ms  (target < 3000 ms)")
        print(f"floor (each blob once, lxml) : {wall['floor'] * 1000:8.1f} ms  cpu {cpu['floor'] * 1000:8.1f} ms")
        print(f"git log --raw alone          : {wall['log'] * 1000:8.1f} ms  cpu {cpu['log'] * 1000:8.1f} ms")
        ratio = wall["audit"] / wall["floor"]
        print(f"ratio audit / floor          : {ratio:8.2f} x      cpu {cpu['audit'] / cpu['floor']:6.2f} x  (target <= 5x)")
        ok = wall["audit"] < 3.0 and ratio <= 5
        print("targets met" if ok else "TARGET MISSED")
        return 0 if ok else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
