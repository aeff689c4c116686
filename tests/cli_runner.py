"""Running the real CLI from tests: in-process through click's runner, or as the installed console script."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from compatlint.cli import main


class Run:
    def __init__(self, exit_code: int, stdout: str, stderr: str):
        self.exit_code, self.stdout, self.stderr = exit_code, stdout, stderr

    def json(self) -> dict:
        return json.loads(self.stdout)

    @property
    def found(self) -> list[tuple]:
        return [(f["code"], f["table"], f["column"]) for f in self.json()["findings"]]

    def __repr__(self) -> str:
        return f"exit {self.exit_code}\n--- stdout\n{self.stdout}--- stderr\n{self.stderr}"


def cli(cwd, *args: str) -> Run:
    """`compatlint ARGS` in `cwd`, in-process; an exception other than the exit is a test failure."""
    previous = os.getcwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(main, list(args), catch_exceptions=True)
    finally:
        os.chdir(previous)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"compatlint {' '.join(args)} raised {result.exception!r}") from result.exception
    assert "Traceback" not in result.stdout + result.stderr
    return Run(result.exit_code, result.stdout, result.stderr)


def console_script() -> str:
    candidate = Path(sys.executable).parent / "compatlint"
    return str(candidate) if candidate.exists() else shutil.which("compatlint")


def run_process(cwd, *args: str, timeout: int = 60) -> Run:
    """The installed console script as a user runs it."""
    done = subprocess.run([console_script(), *args], cwd=cwd, capture_output=True, text=True, timeout=timeout)
    assert "Traceback" not in done.stderr
    return Run(done.returncode, done.stdout, done.stderr)


# Propel's migration folders, and a file written under a project root (lint-sql tests)
PGSQL_DIR = "src/Orm/Propel/Migration_pgsql"
MYSQL_DIR = "src/Orm/Propel/Migration_mysql"


def write(root, rel: str, text: str) -> str:
    full = os.path.join(root, rel)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w", encoding="utf-8") as handle:
        handle.write(text)
    return rel
