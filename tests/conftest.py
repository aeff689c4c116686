"""Generic test fixtures: real temporary git repositories (never mocks).

`make_repo(name)` creates `git init` in a fresh temporary folder with a configured user and
returns a `GitRepo` with small helpers to write, remove, stage and commit files.
Git is isolated from the developer's own configuration (no global or system config, no signing),
and for the whole test: compatlint runs git in the same process environment.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest


class GitRepo:
    """A real git repository in a temporary folder."""

    def __init__(self, path: Path):
        self.path = Path(path)

    def __fspath__(self) -> str:
        return str(self.path)

    def __str__(self) -> str:
        return str(self.path)

    def git(self, *args: str, check: bool = True) -> str:
        done = subprocess.run(["git", "-C", str(self.path), *args], capture_output=True, text=True)
        if check and done.returncode != 0:
            raise AssertionError(f"git {' '.join(args)} failed ({done.returncode}): {done.stderr.strip()}")
        return done.stdout

    def write(self, rel: str, text: str | bytes) -> Path:
        """Write a file (creating its folders); bytes are written as they are."""
        target = self.path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            target.write_bytes(text)
        else:
            target.write_text(text, encoding="utf-8")
        return target

    def read(self, rel: str) -> str:
        return (self.path / rel).read_text(encoding="utf-8")

    def remove(self, rel: str) -> None:
        (self.path / rel).unlink()

    def add(self, *paths: str) -> None:
        self.git("add", "--", *(paths or (".",)))

    def commit(self, message: str = "change", *, stage_all: bool = True) -> str:
        """Commit (staging everything first unless stage_all=False) and return the new commit id."""
        if stage_all:
            self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)
        return self.rev("HEAD")

    def rev(self, ref: str = "HEAD") -> str:
        return self.git("rev-parse", "--verify", ref).strip()


def _init(path: Path, branch: str) -> GitRepo:
    path.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", "-b", branch, str(path)], check=True, capture_output=True)
    repo = GitRepo(path)
    repo.git("config", "user.name", "Compatlint Test")
    repo.git("config", "user.email", "test@compatlint.invalid")
    repo.git("config", "commit.gpgsign", "false")
    repo.git("config", "core.autocrlf", "false")
    return repo


@pytest.fixture
def git_env(monkeypatch, tmp_path_factory):
    """Keep git away from the user's and system's configuration, and from any repository above tmp."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path_factory.getbasetemp()))
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def make_repo(tmp_path, git_env):
    """Factory: make_repo("name", branch="main") -> GitRepo in tmp_path/name, `git init`-ed."""
    made: set[str] = set()

    def factory(name: str = "repo", *, branch: str = "main") -> GitRepo:
        if name in made:
            raise ValueError(f"repository {name!r} already made in this test")
        made.add(name)
        return _init(tmp_path / name, branch)

    return factory


def pytest_configure(config):
    """Markers used by the test modules (registered so `--strict-markers` and `-m` work)."""
    config.addinivalue_line(
        "markers",
        "network: needs network access to the package index (e.g. to build the pre-commit hook environment); "
        "deselect with -m 'not network'",
    )


# --- database servers (compatlint rehearse) ---------------------------------------------------------------------

DATABASE_DSNS = {
    "mysql": os.environ.get("COMPATLINT_MYSQL_DSN", "mysql://root@127.0.0.1:3306/test"),
    "pgsql": os.environ.get("COMPATLINT_PGSQL_DSN", "postgresql://postgres@127.0.0.1:5432/test"),
}
_SERVER_NAMES = {"mysql": "MariaDB/MySQL", "pgsql": "PostgreSQL"}
_REACHABLE: dict[str, str | None] = {}


@pytest.fixture(scope="session")
def db_servers():
    """`db_servers(platform)` -> the DSN of a reachable server for "mysql" or "pgsql".

    Unreachable (or its driver missing): the test is skipped with the reason, unless
    COMPATLINT_REQUIRE_DATABASES=1 (set by .ci/run), which makes it fail instead. DSNs default to the local
    servers of .ci/run; override with COMPATLINT_MYSQL_DSN / COMPATLINT_PGSQL_DSN.
    """

    def reachable(platform: str) -> str:
        dsn = DATABASE_DSNS[platform]
        if platform not in _REACHABLE:
            from compatlint.rehearse import RehearsalError, connect

            try:
                connect(dsn).close()
                _REACHABLE[platform] = None
            except RehearsalError as error:
                _REACHABLE[platform] = str(error)
        problem = _REACHABLE[platform]
        if problem is not None:
            reason = (f"{_SERVER_NAMES[platform]} not reachable ({problem}); start it as .ci/run does, or point "
                      f"COMPATLINT_{platform.upper()}_DSN at one")
            if os.environ.get("COMPATLINT_REQUIRE_DATABASES") == "1":
                pytest.fail(f"COMPATLINT_REQUIRE_DATABASES=1 but {reason}")
            pytest.skip(reason)
        return dsn

    return reachable
