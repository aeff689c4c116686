"""Benchmark SQL linting: a generated PostgreSQL migration of 5,000 Propel-shaped statements.

Targets: linted under 2 s median (issue "Generated SQL"), and in at most squawk's time (PyPI `squawk-cli`,
a Rust linter; issue "No known miss") on the same file, measured in the same run with the commands taking
turns. Also reports sqlglot's parse alone, and the effect of the optional compiled parser
(`pip install 'compatlint[speed]'`, sqlglotc) when present.

Usage: python benchmarks/bench_sql.py [--runs N] [--statements N]
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


def migration(count: int) -> str:
    """Statements in the shapes `plan` writes for PostgreSQL, over a few hundred tables."""
    out = ["BEGIN;"]
    for i in range(count):
        table = f'"pyz_table_{i % 400}"'
        kind = i % 8
        if kind == 0:
            out.append(f'ALTER TABLE {table} ADD "col_{i}" VARCHAR(255);')
        elif kind == 1:
            out.append(f'ALTER TABLE {table} ALTER COLUMN "col_{i - 1}" TYPE TEXT USING NULL;')
        elif kind == 2:
            out.append(f'CREATE INDEX "pyz_idx_{i}" ON {table} ("col_{i - 2}");')
        elif kind == 3:
            out.append(f'ALTER TABLE {table} ADD CONSTRAINT "pyz_u_{i}" UNIQUE ("col_{i - 3}");')
        elif kind == 4:
            out.append(f'ALTER TABLE {table} ALTER COLUMN "col_{i - 4}" SET NOT NULL;')
        elif kind == 5:
            out.append(f'ALTER TABLE {table} RENAME COLUMN "col_{i - 5}" TO "renamed_{i}";')
        elif kind == 6:
            out.append(f'CREATE TABLE "pyz_new_{i}"\n(\n    "id" INTEGER NOT NULL,\n    "name" VARCHAR(64) NOT NULL,\n'
                       f'    PRIMARY KEY ("id"),\n    CONSTRAINT "pyz_new_{i}-name" UNIQUE ("name")\n);')
        else:
            out.append(f'ALTER TABLE {table} DROP COLUMN "col_{i - 7}";')
    out.append("COMMIT;")
    return "\n\n".join(out) + "\n"


def timed_together(commands: dict, runs: int, env=None) -> dict:
    """Median wall time of each command, run in turns (A B C A B C ...) so that a change in the machine's
    load during the measurement weighs on every command alike."""
    times = {name: [] for name in commands}
    for _ in range(runs):
        for name, cmd in commands.items():
            start = time.perf_counter()
            done = subprocess.run(cmd, capture_output=True, env=env)
            times[name].append(time.perf_counter() - start)
            if done.returncode not in (0, 1):
                raise SystemExit(f"{cmd[0]} failed ({done.returncode}): {done.stderr.decode()[-400:]}")
    return {name: statistics.median(values) for name, values in times.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--statements", type=int, default=5000)
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="compatlint-sqlbench-")
    try:
        folder = os.path.join(work, "src", "Orm", "Propel", "Migration_pgsql")
        os.makedirs(folder)
        path = os.path.join(folder, "PropelMigration_1700000000.sql")
        with open(path, "w") as handle:
            handle.write(migration(args.statements))
        exe = shutil.which("compatlint") or os.path.join(os.path.dirname(sys.executable), "compatlint")
        if not os.path.exists(exe):
            sys.exit("compatlint is not installed in this environment")
        squawk = shutil.which("squawk") or os.path.join(os.path.dirname(sys.executable), "squawk")
        squawk = squawk if os.path.exists(squawk) else None
        commands = {"ours": [exe, "lint-sql", path, "--exit-zero"],
                    "parse": [sys.executable, "-c",
                              "import sys, sqlglot; sqlglot.parse(open(sys.argv[1]).read(), read='postgres')", path]}
        if squawk:
            commands["squawk"] = [squawk, path]
        medians = timed_together(commands, args.runs)
        ours, parse = medians["ours"], medians["parse"]
        print(f"statements: {args.statements} (PostgreSQL); runs: {args.runs}; medians")
        print(f"compatlint lint-sql : {ours * 1000:8.1f} ms  (target < 2000 ms)")
        print(f"sqlglot parse alone : {parse * 1000:8.1f} ms")
        import sqlglot.parser

        if sqlglot.parser.__file__.endswith(".so"):
            print("sqlglot runs compiled (sqlglotc, the `speed` extra)")
        else:
            print("sqlglot runs as pure Python (pip install 'compatlint[speed]' for the compiled sqlglotc)")
        ok = ours < 2.0
        if squawk:
            theirs = medians["squawk"]
            print(f"squawk              : {theirs * 1000:8.1f} ms")
            print(f"ratio compatlint / squawk: {ours / theirs:6.2f} x  (target <= 1x)")
            ok = ok and ours / theirs <= 1
        else:
            print("squawk not installed (pip install squawk-cli): ratio not measured")
            ok = False
        print("all targets met" if ok else "TARGET MISSED")
        return 0 if ok else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
