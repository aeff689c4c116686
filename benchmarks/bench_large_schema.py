"""Benchmark `compatlint check` on one very large schema file against lxml's parse of it alone.

Target (issue "The audit people look at", item 2): a 50 MB schema file (about 330,000 tables) used to
take 59 s and 2.5 GB with `check`; it should come near lxml's own parse time and memory, "near" being
at most 2.0x the floor's time and 1.5x its peak memory (medians). The file is generated here (never
committed): base and head folders hold the same file except that head drops one column, so
`check --base-dir --head-dir` has one finding to report.

Both sides are measured as whole processes; peak memory is the child's `ru_maxrss` (resource module),
each run in its own subprocess. The targets are on elapsed time; the CPU time (user + system) is shown
beside it, a steadier figure on a busy machine. The floor is the same Python parsing both files with
lxml (the parser options compatlint uses), nothing else.

Usage: python benchmarks/bench_large_schema.py [--runs N] [--tables N]
Prints medians of time and peak memory and the ratios; exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

MEASURE = r"""
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True)
elapsed = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"seconds": elapsed, "cpu": usage.ru_utime + usage.ru_stime, "peak_mb": usage.ru_maxrss / 1024,
                  "rc": done.returncode,
                  "stderr": done.stderr.decode(errors="replace")[-500:]}))
"""

FLOOR = r"""
import sys
from lxml import etree
parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, remove_blank_text=True,
                         remove_pis=True)
trees = []
for path in sys.argv[1:]:
    with open(path, "rb") as handle:
        trees.append(etree.fromstring(handle.read(), parser))
"""

TIME_RATIO = 2.0
MEMORY_RATIO = 1.5


def schema_text(tables: int, drop_column_of: int | None = None) -> str:
    """A Propel schema file of `tables` small tables (about 150 bytes each, like a generated one)."""
    out = ['<?xml version="1.0"?>\n<database xmlns="spryker:schema-01" name="zed" '
           'namespace="Orm\\Zed\\Big\\Persistence" package="src.Orm.Zed.Big.Persistence">\n']
    for i in range(tables):
        name = f"spy_big_{i:06d}"
        extra = "" if i == drop_column_of else f'<column name="code" type="VARCHAR" size="{32 + i % 200}"/>'
        out.append(f'<table name="{name}"><column name="id_{i}" type="INTEGER" primaryKey="true"/>{extra}</table>\n')
    out.append("</database>\n")
    return "".join(out)


def measure(cmd: list[str], cwd: str) -> dict:
    done = subprocess.run([sys.executable, "-c", MEASURE, *cmd], cwd=cwd, capture_output=True, text=True, check=True)
    result = json.loads(done.stdout)
    if result["rc"] not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({result['rc']}): {result['stderr']}")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--tables", type=int, default=330_000)
    args = parser.parse_args()
    exe = shutil.which("compatlint") or sys.exit("compatlint is not installed in this environment")
    work = tempfile.mkdtemp(prefix="compatlint-large-bench-")
    try:
        base, head = os.path.join(work, "base"), os.path.join(work, "head")
        for folder, drop in ((base, None), (head, args.tables // 2)):
            os.makedirs(folder)
            with open(os.path.join(folder, "big.schema.xml"), "w") as handle:
                handle.write(schema_text(args.tables, drop))
        size_mb = os.path.getsize(os.path.join(base, "big.schema.xml")) / 1e6
        check_cmd = [exe, "check", "--base-dir", base, "--head-dir", head, "--format", "json", "-o", os.devnull]
        floor_cmd = [sys.executable, "-c", FLOOR, os.path.join(base, "big.schema.xml"), os.path.join(head, "big.schema.xml")]
        checks, floors = [], []
        for _ in range(args.runs):  # interleaved, so load on the machine hits both alike
            checks.append(measure(check_cmd, work))
            floors.append(measure(floor_cmd, work))
        check_cpu = statistics.median(r["cpu"] for r in checks)
        floor_cpu = statistics.median(r["cpu"] for r in floors)
        check_s = statistics.median(r["seconds"] for r in checks)
        check_mb = statistics.median(r["peak_mb"] for r in checks)
        floor_s = statistics.median(r["seconds"] for r in floors)
        floor_mb = statistics.median(r["peak_mb"] for r in floors)
        print(f"input: 2 files of {size_mb:.1f} MB, {args.tables} tables each; runs: {args.runs}; medians")
        print(f"check --base-dir/--head-dir : {check_s:7.2f} s  {check_mb:8.0f} MB peak  ({check_cpu:.2f} s CPU)")
        print(f"floor (lxml parse of both)  : {floor_s:7.2f} s  {floor_mb:8.0f} MB peak  ({floor_cpu:.2f} s CPU)")
        time_ratio, memory_ratio = check_s / floor_s, check_mb / floor_mb
        print(f"ratio check / floor         : {time_ratio:7.2f} x  {memory_ratio:8.2f} x  "
              f"(targets <= {TIME_RATIO}x time, <= {MEMORY_RATIO}x memory; CPU {check_cpu / floor_cpu:.2f}x)")
        ok = time_ratio <= TIME_RATIO and memory_ratio <= MEMORY_RATIO
        print("all targets met" if ok else "TARGET MISSED")
        return 0 if ok else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
