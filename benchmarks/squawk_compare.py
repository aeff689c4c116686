"""compatlint `lint-sql` next to squawk on Propel-shaped migrations (`squawk_cases.py`): one per change
kind of the rule catalog that SQL can express, on MySQL and PostgreSQL, each breaking or safe.

Each migration is a `.sql` file in the platform's `src/Orm/Propel/Migration_*` folder. compatlint runs
twice: `lint-sql` alone (no schema: what a user gets on a committed migration) and `lint-sql --base-dir`
(with the schema before the migration). squawk (PyPI `squawk-cli`; `pip install squawk-cli` in the same
environment) runs on the PostgreSQL files only: it has no MySQL support, so on MySQL only compatlint is
scored.

Scoring, per case:
  breaking: "error" (the gate fails: compatlint error, any squawk violation), "warning" (compatlint
            reports it without failing the gate), or "missed";
  safe:     a "false alarm" is what would fail the gate (compatlint error; any squawk violation).
squawk's `require-lock-timeout` and `require-statement-timeout` fire on every DDL statement whatever it
changes; they are left out (`--exclude`), or squawk would "catch" and "false-alarm" everything alike.

Exit status 1 when compatlint misses a breaking case that squawk catches, misses a breaking case at all
with the base schema, or raises an error on a safe case.

Usage: python benchmarks/squawk_compare.py [--cases]   (--cases also prints every case's verdicts)
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from squawk_cases import CASES, NOT_IN_SQL, write_cases  # noqa: E402

SQUAWK_HYGIENE = ("require-lock-timeout", "require-statement-timeout")
LEVEL = {"error": 3, "warning": 2, "info": 1}


def compatlint_levels(paths: dict[str, str], base_dir: str | None, cwd: str) -> dict[str, tuple[str, list[str]]]:
    """case name -> (highest severity or "", codes) from one `lint-sql` run over every file."""
    exe = shutil.which("compatlint") or os.path.join(os.path.dirname(sys.executable), "compatlint")
    cmd = [exe, "lint-sql", "--format", "json", "--exit-zero", *paths.values()]
    if base_dir:
        cmd[2:2] = ["--base-dir", base_dir]
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd)
    if done.returncode != 0:
        raise SystemExit(f"compatlint failed ({done.returncode}): {done.stderr[-500:]}")
    by_path: dict[str, list[dict]] = {}
    for finding in json.loads(done.stdout)["findings"]:
        by_path.setdefault(os.path.normpath(os.path.join(cwd, finding["path"])), []).append(finding)
    out = {}
    for name, path in paths.items():
        found = by_path.get(os.path.normpath(path), [])
        top = max((f["severity"] for f in found), key=lambda s: LEVEL[s], default="")
        out[name] = (top, sorted({f["code"] for f in found}))
    return out


def squawk_levels(paths: dict[str, str]) -> dict[str, tuple[str, list[str]]] | None:
    exe = shutil.which("squawk") or os.path.join(os.path.dirname(sys.executable), "squawk")
    if not os.path.exists(exe):
        return None
    pg = {n: p for n, p in paths.items() if "/Migration_pgsql/" in p.replace(os.sep, "/")}
    done = subprocess.run([exe, "--reporter", "json", "--exclude", ",".join(SQUAWK_HYGIENE), *pg.values()],
                          capture_output=True, text=True)
    if done.returncode not in (0, 1):
        raise SystemExit(f"squawk failed ({done.returncode}): {done.stderr[-500:]}")
    by_path: dict[str, set[str]] = {}
    for violation in json.loads(done.stdout or "[]"):
        by_path.setdefault(os.path.normpath(violation["file"]), set()).add(violation["rule_name"])
    return {n: ("error" if by_path.get(os.path.normpath(p)) else "", sorted(by_path.get(os.path.normpath(p), ())))
            for n, p in pg.items()}


def verdict(case, level: str) -> str:
    if case.breaking:
        return "error" if level == "error" else "warning" if level == "warning" else "missed"
    return "false alarm" if level == "error" else "ok"


def score(results: dict[str, tuple[str, list[str]]], platform: str | None = None) -> dict[str, int]:
    counts = {"breaking": 0, "error": 0, "warning": 0, "missed": 0, "safe": 0, "false alarm": 0}
    for case in CASES:
        if case.name not in results or (platform and case.platform != platform):
            continue
        counts["breaking" if case.breaking else "safe"] += 1
        outcome = verdict(case, results[case.name][0])
        if outcome != "ok":
            counts[outcome] += 1
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", action="store_true", help="print every case's verdicts")
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="compatlint-squawk-")
    try:
        paths = write_cases(work)
        alone = compatlint_levels(paths, None, work)
        based = compatlint_levels(paths, os.path.join(work, "base"), work)
        squawk = squawk_levels(paths)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    tools = [("compatlint lint-sql", alone), ("compatlint lint-sql --base-dir", based)]
    if squawk is not None:
        tools.append(("squawk " + _squawk_version(), squawk))
    if args.cases:
        print(f"{'case':<44} {'kind':<6} {'verdict':<9} " + " | ".join(t for t, _ in tools))
        for case in CASES:
            cells = []
            for _, results in tools:
                if case.name in results:
                    level, codes = results[case.name]
                    cells.append(f"{verdict(case, level)} {','.join(codes)}".strip())
                else:
                    cells.append("n/a (MySQL)")
            print(f"{case.name:<44} {case.kind:<6} {'breaking' if case.breaking else 'safe':<9} " + " | ".join(cells))
        print()
    print("| tool | platform | breaking cases | caught (gate fails) | caught (warning) | missed | safe cases | false alarms |")
    print("|---|---|---|---|---|---|---|---|")
    for name, results in tools:
        for platform in ("mysql", "pgsql"):
            counts = score(results, platform)
            if not counts["breaking"] and not counts["safe"]:
                print(f"| {name} | {platform} | not supported | | | | | |")
                continue
            print(f"| {name} | {platform} | {counts['breaking']} | {counts['error']} | {counts['warning']} | "
                  f"{counts['missed']} | {counts['safe']} | {counts['false alarm']} |")
    print("\nCatalog kinds no migration statement shows: " + "; ".join(f"{k} ({v})" for k, v in NOT_IN_SQL.items()))

    problems = []
    for case in CASES:
        ours, with_base = alone[case.name][0], based[case.name][0]
        if case.breaking and with_base not in ("error", "warning"):
            problems.append(f"{case.name}: missed by compatlint even with the base schema")
        if case.breaking and squawk and squawk.get(case.name, ("",))[0] and ours not in ("error", "warning"):
            problems.append(f"{case.name}: squawk catches it, compatlint lint-sql does not")
        if not case.breaking and "error" in (ours, with_base):
            problems.append(f"{case.name}: compatlint raises an error on a safe change")
    if squawk is None:
        print("squawk not installed (pip install squawk-cli): compatlint scored alone")
    for problem in problems:
        print("PROBLEM: " + problem)
    print("compatlint catches every breaking case squawk catches and raises no error on a safe one"
          if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


def _squawk_version() -> str:
    exe = shutil.which("squawk") or os.path.join(os.path.dirname(sys.executable), "squawk")
    done = subprocess.run([exe, "--version"], capture_output=True, text=True)
    return done.stdout.strip().split()[-1] if done.returncode == 0 and done.stdout.strip() else ""


if __name__ == "__main__":
    sys.exit(main())
