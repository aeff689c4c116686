"""Benchmark transfer loading and merging: a generated set of 2,000 `*.transfer.xml` files.

Target (issue 8): reading, parsing and merging the whole set under 1 s (median). The set is generated
here, shaped like a Spryker project: 1,600 core files under `vendor/spryker/<module>/` and 400 project
files under `src/Pyz/Shared/`, 3 transfers of 12 properties per file, many transfers declared by several
modules (as `Quote`, `Item` and `Customer` are in spryker-core), project files extending core transfers.
Also reported, measured in the same run: the floor of reading the files and parsing them with lxml alone,
and a whole `compatlint check --base-dir --head-dir` process on two copies with one property removed from two transfers.

Usage: python benchmarks/bench_transfers.py [--runs N] [--files N]
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
import time

TYPES = ("int", "string", "bool", "float", "string[]", "array")
HEADER = ('<?xml version="1.0"?>\n<transfers xmlns="spryker:transfer-01" '
          'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
          'xsi:schemaLocation="spryker:transfer-01 http://static.spryker.com/transfer-01.xsd">\n')


def transfer_file(index: int, shared: int) -> str:
    out = [HEADER]
    names = [f"Shared{index % shared}", f"Own{index}A", f"Own{index}B"]
    for t, name in enumerate(names):
        out.append(f'    <transfer name="{name}">\n')
        for p in range(12):
            # properties of a shared transfer: some common to every definer (identical), some per module
            prop = f"common{p}" if t == 0 and p < 4 else f"p{index}x{p}"
            type_ = TYPES[p % len(TYPES)] if not (t == 0 and p < 4) else "string"
            if p == 11 and t > 0:
                type_ = f"Shared{(index + 1) % shared}[]"
            out.append(f'        <property name="{prop}" type="{type_}" description="Property {p}."/>\n')
        out.append("    </transfer>\n")
    out.append("</transfers>\n")
    return "".join(out)


def generate(root: str, count: int) -> None:
    shared = max(count // 20, 1)
    for i in range(count):
        if i < count * 4 // 5:
            folder = f"vendor/spryker/module-{i}/src/Spryker/Shared/Module{i}/Transfer"
        else:
            folder = f"src/Pyz/Shared/Module{i}/Transfer"
        os.makedirs(os.path.join(root, folder), exist_ok=True)
        with open(os.path.join(root, folder, f"module{i}.transfer.xml"), "w", encoding="utf-8") as handle:
            handle.write(transfer_file(i, shared))


def median_seconds(func, runs: int, clock=time.perf_counter) -> float:
    times = []
    for _ in range(runs):
        start = clock()
        func()
        times.append(clock() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--files", type=int, default=2000)
    args = parser.parse_args()

    from lxml import etree

    from compatlint.transfers import merge
    from compatlint.transfers.merge import load_transfers
    from compatlint.transfers.patterns import TransferPatterns
    from compatlint.transfers.sources import read_directory

    work = tempfile.mkdtemp(prefix="compatlint-bench-transfers-")
    try:
        base = os.path.join(work, "v1")
        generate(base, args.files)
        patterns = TransferPatterns()

        def load() -> None:
            merge._PARSED.clear()  # no parse cache between runs: every run reads and parses everything
            found = load_transfers(read_directory(base, patterns))
            assert len(found.files) == args.files and not found.problems, found.problems[:3]

        def floor() -> None:
            for transfer_file in read_directory(base, patterns):
                etree.fromstring(transfer_file.data)

        load()
        merged = load_transfers(read_directory(base, patterns))
        ours = median_seconds(load, args.runs)
        lxml_only = median_seconds(floor, args.runs)
        # CPU time too: on a shared, loaded machine wall-clock medians say more about the neighbours
        ours_cpu = median_seconds(load, args.runs, time.process_time)
        lxml_cpu = median_seconds(floor, args.runs, time.process_time)

        head = os.path.join(work, "v2")
        shutil.copytree(base, head)
        victim = os.path.join(head, "src/Pyz/Shared/Module1999/Transfer/module1999.transfer.xml")
        if os.path.exists(victim):
            with open(victim, encoding="utf-8") as handle:
                text = handle.read()
            with open(victim, "w", encoding="utf-8") as handle:
                handle.write(text.replace('<property name="p1999x0" type="int" description="Property 0."/>\n', ""))
        # run from the scratch folder: from the project root `-m compatlint` would import the source tree,
        # whose rules only a (editable) install maps to compatlint.rules
        command = [sys.executable, "-m", "compatlint", "check", "--base-dir", base, "--head-dir", head]

        def whole_check() -> None:
            subprocess.run(command, capture_output=True, check=False, cwd=work)

        check_seconds = median_seconds(whole_check, max(3, args.runs // 2))
        done = subprocess.run(command + ["--format", "json"], capture_output=True, text=True, check=False, cwd=work)
        removed = sum(f["code"] == "CL702" for f in json.loads(done.stdout)["findings"])
        print(f"{args.files} transfer files, {len(merged.transfers)} merged transfers, "
              f"{sum(len(t.properties) for t in merged.transfers.values())} properties")
        print(f"read + load + merge: median {ours * 1000:7.1f} ms wall, {ours_cpu * 1000:7.1f} ms CPU over {args.runs} "
              "runs (goal < 1000 ms)")
        print(f"floor (read + lxml): median {lxml_only * 1000:7.1f} ms wall, {lxml_cpu * 1000:7.1f} ms CPU  -> ratio "
              f"{ours / lxml_only:.2f}x wall, {ours_cpu / lxml_cpu:.2f}x CPU")
        print(f"check process (2 x {args.files} files, a property removed from two transfers): median {check_seconds * 1000:7.1f} ms, "
              f"exit {done.returncode}, CL702 findings: {removed}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
