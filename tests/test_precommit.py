"""The pre-commit hook, run by the REAL pre-commit framework on real temporary git repositories.

`.pre-commit-hooks.yaml` at the root of this checkout declares the hook. A temporary Spryker project
gets a `.pre-commit-config.yaml` whose `repo:` is this checkout and whose `rev:` is a commit of it;
`pre-commit install` puts the git hook in place and every `git commit` runs it: a breaking staged
change must fail the commit with the finding, a safe one must pass, the whole staged schema set is
compared with HEAD (a table may move between two files), and a commit without schema files must
not even start compatlint.

The checkout is found relative to this file. pre-commit installs a hook repository at a commit, so
the fixture commits a snapshot of the checkout *as it is on disk* (tracked and untracked, not
ignored files; the same idea as `pre-commit try-repo`'s shadow repository) and points `rev:` at it:
the test checks the working tree being developed, not only the last commit. When the checkout is
clean the snapshot has exactly HEAD's content.

Building the hook's virtualenv installs compatlint and its dependencies from the package index
(network). PRE_COMMIT_HOME is a session-scoped temporary folder, so the environment is built once per
test session (about 5-30 s) and reused by every test here.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.network  # building the hook environment needs the package index

CHECKOUT = Path(__file__).resolve().parent.parent
HOOK_ID = "compatlint"
HOOK_NAME = "compatlint (Propel schema backward compatibility)"

LOYALTY = "src/Pyz/Zed/Loyalty/Persistence/Propel/Schema/pyz_loyalty.schema.xml"
TRANSACTION = "src/Pyz/Zed/Loyalty/Persistence/Propel/Schema/pyz_loyalty_transaction.schema.xml"
REWARD = "src/Pyz/Zed/Reward/Persistence/Propel/Schema/pyz_reward.schema.xml"


# --- schema builders ----------------------------------------------------------------------------

def column(name: str, type_: str = "INTEGER", **attrs: str) -> str:
    extra = "".join(f' {k}="{v}"' for k, v in attrs.items())
    return f'<column name="{name}" type="{type_}"{extra}/>'


def table(name: str, *children: str) -> str:
    return f'    <table name="{name}" idMethod="native">\n' + "".join(f"        {c}\n" for c in children) + "    </table>\n"


def schema(module: str, *tables: str) -> str:
    return ('<?xml version="1.0"?>\n'
            f'<database xmlns="spryker:schema-01" name="zed" namespace="Orm\\Zed\\{module}\\Persistence" '
            f'package="src.Orm.Zed.{module}.Persistence">\n' + "".join(tables) + "</database>\n")


def account(*, drop=(), extra=()) -> str:
    columns = [column("id_loyalty_account", primaryKey="true", autoIncrement="true"),
               column("fk_customer", required="true")]
    columns += [column(n, "VARCHAR", size="32") for n in ("legacy_code", "referral_code") if n not in drop]
    return table("pyz_loyalty_account", *columns, *extra)


TRANSACTION_TABLE = table("pyz_loyalty_transaction", column("id_loyalty_transaction", primaryKey="true",
                                                            autoIncrement="true"), column("points", required="true"))


def reward() -> str:
    return schema("Reward", table("pyz_reward", column("id_reward", primaryKey="true", autoIncrement="true"),
                                  column("title", "VARCHAR", size="64")))


# --- the hook repository: a snapshot commit of this checkout --------------------------------------

_IGNORED = shutil.ignore_patterns(".git", ".venv", "__pycache__", "*.pyc", "*.egg-info", ".pytest_cache",
                                  ".hypothesis", "build", "dist")


def _isolated_git_env() -> dict[str, str]:
    env = dict(os.environ, GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY"):
        env.pop(name, None)
    return env


def _checkout_files() -> list[str] | None:
    """Tracked and untracked (not ignored) files of the checkout, or None when it is not a git work tree."""
    done = subprocess.run(["git", "-C", str(CHECKOUT), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                          capture_output=True)
    if done.returncode != 0:
        return None
    return [p for p in done.stdout.decode("utf-8", "surrogateescape").split("\0")
            if p and (CHECKOUT / p).is_file()]


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory) -> tuple[Path, str]:
    """(path, commit) of a git repository holding this checkout as it is on disk."""
    assert (CHECKOUT / ".pre-commit-hooks.yaml").is_file(), f"no .pre-commit-hooks.yaml at {CHECKOUT}"
    snapshot = tmp_path_factory.mktemp("hook-repo") / "compatlint"
    files = _checkout_files()
    if files is None:
        shutil.copytree(CHECKOUT, snapshot, ignore=_IGNORED)
    else:
        for rel in files:
            target = snapshot / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(CHECKOUT / rel, target)
    env = _isolated_git_env()
    for args in (["init", "-q"], ["add", "-A"],
                 ["-c", "user.name=compatlint tests", "-c", "user.email=tests@compatlint.invalid",
                  "-c", "commit.gpgsign=false", "commit", "-q", "-m", "snapshot of the checkout under test"]):
        subprocess.run(["git", "-C", str(snapshot), *args], check=True, capture_output=True, env=env)
    rev = subprocess.run(["git", "-C", str(snapshot), "rev-parse", "HEAD"], check=True, capture_output=True, text=True,
                         env=env).stdout.strip()
    return snapshot, rev


@pytest.fixture(scope="session")
def precommit_home(tmp_path_factory) -> Path:
    """One PRE_COMMIT_HOME for the whole session: the hook environment is built once."""
    return tmp_path_factory.mktemp("pre-commit-home")


def pre_commit(*args: str, cwd) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=600)


@pytest.fixture
def project(make_repo, hook_repo, precommit_home, monkeypatch):
    """A Spryker project using the hook, with `pre-commit install` done and one commit (v1)."""
    monkeypatch.setenv("PRE_COMMIT_HOME", str(precommit_home))
    monkeypatch.setenv("VIRTUALENV_OVERRIDE_APP_DATA", str(precommit_home / "virtualenv-app-data"))
    monkeypatch.delenv("PRE_COMMIT_ALLOW_NO_CONFIG", raising=False)
    monkeypatch.delenv("SKIP", raising=False)
    path, rev = hook_repo
    repo = make_repo("shop")
    repo.write(".pre-commit-config.yaml", f"repos:\n- repo: {path}\n  rev: {rev}\n  hooks:\n  - id: {HOOK_ID}\n")
    repo.write(LOYALTY, schema("Loyalty", account(), TRANSACTION_TABLE))
    repo.write(REWARD, reward())
    repo.write("README.md", "# shop\n")
    repo.commit("v1")
    installed = pre_commit("install", cwd=repo.path)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    assert (repo.path / ".git" / "hooks" / "pre-commit").is_file()
    return repo


def hook_status(output: str) -> str:
    """Passed, Failed or Skipped, from pre-commit's line for the hook."""
    match = re.search(rf"^{re.escape(HOOK_NAME)}\.*(?:\(no files to check\))?(Passed|Failed|Skipped)$", output,
                      re.MULTILINE)
    assert match, output
    return match.group(1)


class Commit:
    def __init__(self, done: subprocess.CompletedProcess, before: str, after: str):
        self.returncode = done.returncode
        self.output = done.stdout + done.stderr
        self.created = before != after

    def hook_status(self) -> str:
        return hook_status(self.output)

    def __repr__(self) -> str:
        return f"git commit -> {self.returncode}, commit created: {self.created}\n{self.output}"


def git_commit(repo, message: str) -> Commit:
    """`git commit` with whatever is staged: the installed hook runs pre-commit, which runs compatlint."""
    before = repo.rev()
    done = subprocess.run(["git", "-C", str(repo.path), "commit", "-m", message], capture_output=True, text=True,
                          timeout=600)
    return Commit(done, before, repo.rev())


def line_of(text: str, needle: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), 1) if needle in line)


# --- the tests ----------------------------------------------------------------------------------

def test_breaking_staged_change_fails_the_commit_and_a_safe_one_passes(project):
    old = project.read(LOYALTY)
    project.write(LOYALTY, schema("Loyalty", account(drop=("legacy_code",)), TRANSACTION_TABLE))
    project.add(LOYALTY)

    refused = git_commit(project, "drop legacy_code")

    assert refused.returncode != 0 and not refused.created, refused
    assert refused.hook_status() == "Failed", refused
    assert f"{LOYALTY}:{line_of(old, 'legacy_code')}: CL102 column-dropped [error]" in refused.output.splitlines()
    assert "pyz_loyalty_account.legacy_code" in refused.output
    assert project.git("diff", "--cached", "--name-only").split() == [LOYALTY]  # still staged, nothing lost

    project.write(LOYALTY, schema("Loyalty", account(extra=(column("tier", "VARCHAR", size="16"),)), TRANSACTION_TABLE))
    project.add(LOYALTY)

    accepted = git_commit(project, "add a nullable tier column")

    assert accepted.returncode == 0 and accepted.created, accepted
    assert accepted.hook_status() == "Passed", accepted
    assert project.git("log", "-1", "--format=%s").strip() == "add a nullable tier column"


def test_the_whole_staged_schema_set_is_compared_so_a_table_can_move_between_files(project):
    """pyz_loyalty_transaction moves to its own file. Staged alone, the removal half is a drop (the hook
    sees the index, not the work tree); staged together, the two files are a move and the commit passes."""
    project.write(LOYALTY, schema("Loyalty", account()))
    project.write(TRANSACTION, schema("Loyalty", TRANSACTION_TABLE))
    project.add(LOYALTY)  # the new file is not staged yet

    half = git_commit(project, "move the transaction table (half staged)")

    assert half.returncode != 0 and not half.created, half
    assert half.hook_status() == "Failed"
    assert re.search(rf"^{re.escape(LOYALTY)}:\d+: CL101 table-dropped \[error\]$", half.output, re.MULTILINE), half
    assert "pyz_loyalty_transaction" in half.output

    project.add(TRANSACTION)
    whole = git_commit(project, "move the transaction table to its own file")

    assert whole.returncode == 0 and whole.created, whole
    assert whole.hook_status() == "Passed", whole
    assert sorted(project.git("show", "--name-only", "--format=", "HEAD").split()) == sorted([LOYALTY, TRANSACTION])


def test_a_commit_without_schema_files_takes_the_fast_path(project):
    """Only a README staged (a breaking schema edit is left unstaged): pre-commit skips the hook, or the
    hook runs and compatlint returns at once with "No schema or transfer file staged."; either way nothing is linted."""
    project.write("README.md", "# shop\n\nNow with docs.\n")
    project.add("README.md")
    project.write(LOYALTY, schema("Loyalty", account(drop=("legacy_code",)), TRANSACTION_TABLE))  # not staged

    verbose = pre_commit("run", "--verbose", cwd=project.path)  # what the git hook runs, with the hook's output
    output = verbose.stdout + verbose.stderr
    assert verbose.returncode == 0, output
    status = hook_status(output)
    assert status in ("Skipped", "Passed"), output
    if status == "Skipped":
        assert "(no files to check)" in output
    else:
        assert "No schema or transfer file staged." in output
    assert "CL102" not in output

    done = git_commit(project, "docs")

    assert done.returncode == 0 and done.created, done
    assert done.hook_status() == status, done
    assert "CL102" not in done.output


def test_deleting_a_schema_file_fails_the_commit(project):
    """pre-commit passes no deleted file to a `files:` filter: the hook must still run, since deleting a
    schema file drops its tables."""
    project.git("rm", "-q", REWARD)

    done = git_commit(project, "remove the reward module")

    assert done.returncode != 0 and not done.created, done
    assert re.search(rf"^{re.escape(REWARD)}:\d+: CL101 table-dropped \[error\]$", done.output, re.MULTILINE), done


def test_merging_main_into_a_branch_is_not_blocked_by_mains_own_changes(project):
    def setup_commit(message: str) -> None:
        project.git("add", "-A")
        project.git("commit", "-q", "--no-verify", "-m", message)

    project.git("checkout", "-q", "-b", "feature")
    project.write("README.md", "# shop\n\nfeature notes\n")
    setup_commit("feature: notes")
    project.git("checkout", "-q", "main")
    project.write("README.md", "# shop\n\nmain notes\n")
    project.write(REWARD, reward().replace('        <column name="title" type="VARCHAR" size="64"/>\n', ""))
    setup_commit("main: drop reward title (reviewed and merged on main)")
    project.git("checkout", "-q", "feature")
    assert "CONFLICT" in project.git("merge", "main", check=False)  # README only
    project.write("README.md", "# shop\n\nfeature notes\nmain notes\n")
    project.add("README.md")

    done = git_commit(project, "Merge main into feature")

    assert done.returncode == 0 and done.created, done
    assert "CL102" not in done.output
    assert len(project.git("rev-list", "--parents", "-n", "1", "HEAD").split()) == 3
