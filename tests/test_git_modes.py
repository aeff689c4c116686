"""`compatlint check` against real temporary git repositories laid out like a Spryker project.

src/Pyz/Zed/<Module>/Persistence/Propel/Schema/pyz_*.schema.xml is tracked; vendor/ is not (it is
installed by composer and ignored), so core schema files are read from disk for both sides.
Modes: staged vs HEAD (the default, for pre-commit), --base/--head revisions (merge base), and the
edge cases CI meets: first commit, renames, deletions, shallow clones, detached HEAD, composer.lock.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from compatlint.cli import main

LOYALTY = "src/Pyz/Zed/Loyalty/Persistence/Propel/Schema/pyz_loyalty.schema.xml"
LOYALTY_MOVED = "src/Pyz/Zed/LoyaltyAccount/Persistence/Propel/Schema/pyz_loyalty.schema.xml"
REWARD = "src/Pyz/Zed/Reward/Persistence/Propel/Schema/pyz_reward.schema.xml"
CUSTOMER = "src/Pyz/Zed/Customer/Persistence/Propel/Schema/spy_customer.schema.xml"
CORE_CUSTOMER = "vendor/spryker/customer/src/Spryker/Zed/Customer/Persistence/Propel/Schema/spy_customer.schema.xml"

FINDING_LINE = re.compile(r"^(?P<path>\S+?):(?P<line>\d+): (?P<code>CL\d{3}) (?P<name>\S+) \[(?P<severity>\w+)\]$")


# --- schema builders ----------------------------------------------------------------------------

def column(name: str, type_: str = "INTEGER", **attrs: str) -> str:
    extra = "".join(f' {k}="{v}"' for k, v in attrs.items())
    return f'<column name="{name}" type="{type_}"{extra}/>'


def table(name: str, *children: str, **attrs: str) -> str:
    extra = "".join(f' {k}="{v}"' for k, v in attrs.items())
    inner = "".join(f"        {child}\n" for child in children)
    return f'    <table name="{name}"{extra}>\n{inner}    </table>\n'


def schema(module: str, *tables: str) -> str:
    return ('<?xml version="1.0"?>\n'
            '<database xmlns="spryker:schema-01" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" name="zed" '
            'xsi:schemaLocation="spryker:schema-01 https://static.spryker.com/schema-01.xsd" '
            f'namespace="Orm\\Zed\\{module}\\Persistence" package="src.Orm.Zed.{module}.Persistence">\n'
            + "".join(tables) + "</database>\n")


ACCOUNT_PK = column("id_loyalty_account", primaryKey="true", autoIncrement="true")
TX_PK = column("id_loyalty_transaction", primaryKey="true", autoIncrement="true")


def loyalty(*, drop: tuple[str, ...] = (), extra: tuple[str, ...] = (), module: str = "Loyalty") -> str:
    """The project's loyalty schema: two tables; `drop` removes account columns, `extra` adds some."""
    account_columns = {
        "fk_customer": column("fk_customer", required="true"),
        "points_total": column("points_total", required="true", default="0"),
        "legacy_code": column("legacy_code", "VARCHAR", size="32"),
        "referral_code": column("referral_code", "VARCHAR", size="16"),
    }
    kept = [c for name, c in account_columns.items() if name not in drop]
    return schema(module,
                  table("pyz_loyalty_account", ACCOUNT_PK, *kept, *extra, idMethod="native"),
                  table("pyz_loyalty_transaction", TX_PK, column("points", required="true"),
                        column("reason", "VARCHAR", size="255"), idMethod="native"))


def reward() -> str:
    return schema("Reward", table("pyz_reward", column("id_reward", primaryKey="true", autoIncrement="true"),
                                  column("title", "VARCHAR", size="64")))


def core_customer() -> str:
    return schema("Customer", table(
        "spy_customer",
        column("id_customer", primaryKey="true", autoIncrement="true"),
        column("customer_reference", "VARCHAR", size="255", required="true"),
        column("email", "VARCHAR", size="255", required="true"),
        column("first_name", "VARCHAR", size="100"),
        idMethod="native"))


def customer_extension(*columns: str) -> str:
    return schema("Customer", table("spy_customer", *columns))


NULLABLE_TIER = column("tier", "VARCHAR", size="16")


# --- running the CLI ---------------------------------------------------------------------------

class Run:
    def __init__(self, result):
        self.exit_code = result.exit_code
        self.stdout = result.stdout
        self.stderr = result.stderr

    @property
    def findings(self) -> list[re.Match]:
        return [m for m in map(FINDING_LINE.match, self.stdout.splitlines()) if m]

    def __repr__(self) -> str:
        return f"exit {self.exit_code}\n--- stdout\n{self.stdout}--- stderr\n{self.stderr}"


def check(repo, *args: str, cwd: str | os.PathLike | None = None) -> Run:
    """`compatlint check ARGS` in-process, with the repository as the current folder (as a user runs it)."""
    previous = os.getcwd()
    os.chdir(cwd if cwd is not None else repo.path)
    try:
        result = CliRunner().invoke(main, ["check", *args], catch_exceptions=True)
    finally:
        os.chdir(previous)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"compatlint check {' '.join(args)} raised {result.exception!r}") from result.exception
    assert "Traceback" not in result.stdout + result.stderr
    return Run(result)


def check_json(repo, *args: str, cwd=None) -> tuple[int, dict]:
    run = check(repo, *args, "--format", "json", cwd=cwd)
    return run.exit_code, json.loads(run.stdout)


def keys(payload: dict) -> set[tuple[str, str | None, str | None]]:
    return {(f["code"], f["table"], f["column"]) for f in payload["findings"]}


def console_script() -> str:
    candidate = Path(sys.executable).parent / "compatlint"
    return str(candidate) if candidate.exists() else shutil.which("compatlint")


def registered_codes() -> set[str]:
    out = CliRunner().invoke(main, ["rules"]).stdout
    return {line.split()[0] for line in out.splitlines() if re.match(r"^CL\d{3}\s", line)}


REGISTERED = registered_codes()




def line_in(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.fixture
def project(make_repo):
    """A Spryker project with one commit: the loyalty and reward schemas and a README."""
    repo = make_repo("shop")
    repo.write(LOYALTY, loyalty())
    repo.write(REWARD, reward())
    repo.write("README.md", "# shop\n")
    repo.write("composer.lock", '{"packages": [{"name": "spryker/customer", "version": "7.0.0"}]}\n')
    repo.commit("v1")
    return repo


# --- default mode: staged vs HEAD ---------------------------------------------------------------

def test_staged_column_drop_fails_with_cl102_at_the_head_line(project):
    head_text = project.read(LOYALTY)
    project.write(LOYALTY, loyalty(drop=("legacy_code",)))
    project.add(LOYALTY)

    run = check(project)

    assert run.exit_code == 1, run
    assert [(m["path"], int(m["line"]), m["code"], m["severity"]) for m in run.findings] == \
        [(LOYALTY, line_in(head_text, 'name="legacy_code"'), "CL102", "error")], run
    assert "pyz_loyalty_account.legacy_code" in run.stdout
    assert "(mysql, HEAD -> index)" in run.stdout.splitlines()[-1]
    code, payload = check_json(project)
    assert code == 1
    assert keys(payload) == {("CL102", "pyz_loyalty_account", "legacy_code")}
    assert (payload["base"], payload["head"]) == ("HEAD", "index")


def test_unstaged_work_tree_changes_are_ignored(project):
    # Staged: a harmless new nullable column. Not staged: dropping legacy_code.
    project.write(LOYALTY, loyalty(extra=(NULLABLE_TIER,)))
    project.add(LOYALTY)
    project.write(LOYALTY, loyalty(drop=("legacy_code",), extra=(NULLABLE_TIER,)))
    assert project.git("status", "--porcelain", "--", LOYALTY).startswith("MM")

    run = check(project)

    assert run.exit_code == 0, run
    assert run.findings == []
    assert run.stdout.startswith("No backward-incompatible schema changes")


def test_a_staged_drop_is_reported_even_if_the_work_tree_restores_it(project):
    project.write(LOYALTY, loyalty(drop=("legacy_code",)))
    project.add(LOYALTY)
    project.write(LOYALTY, loyalty())  # work tree back to HEAD; the index still drops the column

    code, payload = check_json(project)

    assert code == 1
    assert keys(payload) == {("CL102", "pyz_loyalty_account", "legacy_code")}


@pytest.mark.parametrize("output_format", ["text", "json"])
def test_only_a_non_schema_file_staged_is_quiet(project, output_format):
    project.write("README.md", "# shop\n\nchanged\n")
    project.add("README.md")
    project.write(LOYALTY, loyalty(drop=("legacy_code",)))  # not staged: must not matter

    run = check(project, "--format", output_format)

    assert run.exit_code == 0, run
    if output_format == "text":
        assert run.stdout == "No schema or transfer file staged.\n"
    else:
        payload = json.loads(run.stdout)
        assert payload["findings"] == []


def test_nothing_staged_json_has_the_usual_shape(project):
    project.write(LOYALTY, loyalty(extra=(NULLABLE_TIER,)))
    project.commit("tier")
    _, usual = check_json(project, "--base", "HEAD~1")
    code, quiet = check_json(project)
    assert code == 0
    assert quiet["findings"] == []
    assert set(usual) <= set(quiet), sorted(set(usual) - set(quiet))
    assert quiet["summary"] == {"error": 0, "warning": 0, "info": 0}


def test_nothing_staged_is_quiet(project):
    run = check(project)
    assert (run.exit_code, run.stdout) == (0, "No schema or transfer file staged.\n")


def test_first_commit_with_a_staged_schema_is_all_new(make_repo):
    repo = make_repo("fresh")
    repo.write(LOYALTY, loyalty())
    repo.write(REWARD, reward())
    repo.add()
    assert repo.git("rev-parse", "--verify", "--quiet", "HEAD", check=False) == ""

    run = check(repo)

    assert run.exit_code == 0, run
    assert run.findings == []
    assert run.stdout.startswith("No backward-incompatible schema changes")
    code, payload = check_json(repo)
    assert (code, payload["findings"]) == (0, [])


def test_first_commit_with_only_a_staged_readme(make_repo):
    repo = make_repo("fresh")
    repo.write("README.md", "# new\n")
    repo.add()
    run = check(repo)
    assert run.exit_code == 0, run
    assert run.findings == []


# --- --base / --head --------------------------------------------------------------------------

def test_base_and_head_between_two_commits(project):
    first = project.rev()
    project.write(LOYALTY, loyalty(drop=("legacy_code",)))
    second = project.commit("drop legacy_code")
    project.write(LOYALTY, loyalty(drop=("legacy_code",), extra=(NULLABLE_TIER,)))
    third = project.commit("add tier")

    code, payload = check_json(project, "--base", first, "--head", second)
    assert code == 1
    assert keys(payload) == {("CL102", "pyz_loyalty_account", "legacy_code")}
    assert (payload["base"], payload["head"]) == (first, second)
    [finding] = payload["findings"]
    assert (finding["path"], finding["side"]) == (LOYALTY, "base")
    assert finding["line"] == line_in(loyalty(), 'name="legacy_code"')

    assert check(project, "--base", second, "--head", third).exit_code == 0
    assert keys(check_json(project, "--base", "HEAD~2", "--head", "HEAD")[1]) == \
        {("CL102", "pyz_loyalty_account", "legacy_code")}
    # Reversed: the column comes back, nothing is dropped.
    assert check(project, "--base", second, "--head", first).exit_code == 0


def test_base_alone_compares_with_the_head_commit_not_the_index(project):
    project.write(LOYALTY, loyalty(extra=(NULLABLE_TIER,)))
    project.commit("add tier")
    project.write(LOYALTY, loyalty(drop=("legacy_code",), extra=(NULLABLE_TIER,)))
    project.add(LOYALTY)  # staged, not committed: --base alone must not see it

    code, payload = check_json(project, "--base", "HEAD~1")

    assert code == 0, payload
    assert payload["findings"] == []
    assert (payload["base"], payload["head"]) == ("HEAD~1", "HEAD")

    project.commit("drop legacy_code")
    project.write(LOYALTY, loyalty(extra=(NULLABLE_TIER,)))
    project.add(LOYALTY)  # the index restores it; HEAD still drops it
    code, payload = check_json(project, "--base", "HEAD~1")
    assert code == 1
    assert keys(payload) == {("CL102", "pyz_loyalty_account", "legacy_code")}


def test_comparison_uses_the_merge_base(project):
    """main moves on after the branch point (adds `bonus`, drops `referral_code`): checking the branch
    against main must report only what the branch did, not the reverse of main's later commits."""
    project.git("checkout", "-q", "-b", "feature")
    project.write(LOYALTY, loyalty(drop=("legacy_code",)))
    project.commit("feature: drop legacy_code")
    project.git("checkout", "-q", "main")
    project.write(LOYALTY, loyalty(drop=("referral_code",), extra=(column("bonus"),)))
    project.commit("main: add bonus, drop referral_code")
    project.git("checkout", "-q", "feature")

    expected = {("CL102", "pyz_loyalty_account", "legacy_code")}
    code, payload = check_json(project, "--base", "main")
    assert (code, keys(payload)) == (1, expected), payload
    code, payload = check_json(project, "--base", "main", "--head", "feature")
    assert (code, keys(payload)) == (1, expected), payload
    # From main's side of the fork the branch's history is irrelevant too.
    code, payload = check_json(project, "--base", "feature", "--head", "main")
    assert (code, keys(payload)) == (1, {("CL102", "pyz_loyalty_account", "referral_code")}), payload


def test_run_from_a_subfolder_names_paths_relative_to_it(project):
    project.write(LOYALTY, loyalty(drop=("legacy_code",)))
    project.commit("drop")
    sub = project.path / "src" / "Pyz"

    run = check(project, "--base", "HEAD~1", cwd=sub)

    assert run.exit_code == 1, run
    [match] = run.findings
    assert (sub / match["path"]).resolve() == (project.path / LOYALTY).resolve()


def test_repo_option_from_elsewhere_names_existing_paths(project, tmp_path):
    project.write(LOYALTY, loyalty(drop=("legacy_code",)))
    project.commit("drop")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    run = check(project, "--repo", str(project.path), "--base", "HEAD~1", cwd=elsewhere)

    assert run.exit_code == 1, run
    [match] = run.findings
    assert (elsewhere / match["path"]).resolve() == (project.path / LOYALTY).resolve()


# --- renames, moves, deletions ----------------------------------------------------------------

LOYALTY_RENAMED = "src/Pyz/Zed/LoyaltyAccount/Persistence/Propel/Schema/pyz_loyalty_account.schema.xml"


@pytest.mark.parametrize("target", [LOYALTY_MOVED, LOYALTY_RENAMED], ids=["same-name", "new-name"])
@pytest.mark.parametrize("mode", ["staged", "commits"])
def test_schema_file_moved_between_modules_is_not_a_drop(project, mode, target):
    (project.path / target).parent.mkdir(parents=True)
    project.git("mv", LOYALTY, target)
    args = ()
    if mode == "commits":
        project.commit("move the loyalty schema to its own module")
        args = ("--base", "HEAD~1")

    code, payload = check_json(project, *args)

    assert not {f["code"] for f in payload["findings"]} & {"CL101", "CL102", "CL401"}, payload
    assert code == 0, payload


def test_moved_and_changed_schema_keeps_table_identity(project):
    """Moved with `git mv` and one column dropped: exactly that column is reported, in the old file."""
    (project.path / LOYALTY_MOVED).parent.mkdir(parents=True)
    project.git("mv", LOYALTY, LOYALTY_MOVED)
    project.write(LOYALTY_MOVED, loyalty(drop=("legacy_code",), module="LoyaltyAccount"))
    project.commit("move and drop")

    code, payload = check_json(project, "--base", "HEAD~1")

    assert code == 1
    dropped = [f for f in payload["findings"] if f["code"] in ("CL101", "CL102", "CL401")]
    assert [(f["code"], f["table"], f["column"], f["path"]) for f in dropped] == \
        [("CL102", "pyz_loyalty_account", "legacy_code", LOYALTY)], payload


@pytest.mark.parametrize("mode", ["staged", "commits"])
def test_deleted_schema_file_reports_cl101_for_its_tables(project, mode):
    project.git("rm", "-q", LOYALTY)
    args = ()
    if mode == "commits":
        project.commit("remove the loyalty module")
        args = ("--base", "HEAD~1")

    code, payload = check_json(project, *args)

    assert code == 1
    dropped = {(f["table"], f["path"]) for f in payload["findings"] if f["code"] == "CL101"}
    assert dropped == {("pyz_loyalty_account", LOYALTY), ("pyz_loyalty_transaction", LOYALTY)}, payload


def test_deleted_schema_file_columns_are_not_reported_one_by_one(project):
    project.git("rm", "-q", LOYALTY)
    code, payload = check_json(project)
    assert "CL102" not in {f["code"] for f in payload["findings"]}, payload
    assert ("CL102", "pyz_reward", "title") not in keys(payload)


# --- CI situations: shallow clone, detached HEAD ----------------------------------------------

def test_shallow_clone_asks_to_fetch_more_history(project, tmp_path):
    project.write(LOYALTY, loyalty(drop=("legacy_code",)))
    project.commit("drop")
    clone = tmp_path / "ci-checkout"
    subprocess.run(["git", "clone", "-q", "--depth", "1", project.path.as_uri(), str(clone)], check=True, capture_output=True)
    assert subprocess.run(["git", "-C", str(clone), "rev-parse", "--is-shallow-repository"],
                          capture_output=True, text=True).stdout.strip() == "true"

    done = subprocess.run([console_script(), "check", "--base", "HEAD~1"], cwd=clone, capture_output=True, text=True,
                          timeout=60)

    assert done.returncode == 2, done
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    [line] = done.stderr.strip().splitlines()
    assert line.startswith("compatlint: error: ")
    assert "HEAD~1" in line
    assert "shallow" in line and "fetch-depth" in line


def test_shallow_pull_request_checkout_without_the_merge_base(make_repo, tmp_path):
    """actions/checkout's default depth 1 on the branch, plus `git fetch --depth 1 origin main`: the two
    tips share no fetched history, so the merge base cannot be found; say how to fetch it."""
    origin = make_repo("origin")
    origin.write(LOYALTY, loyalty())
    origin.commit("v1")
    origin.git("checkout", "-q", "-b", "feature")
    origin.write(LOYALTY, loyalty(drop=("legacy_code",)))
    origin.commit("feature")
    origin.git("checkout", "-q", "main")
    origin.write(REWARD, reward())
    origin.commit("main moves on")
    clone = tmp_path / "ci"
    subprocess.run(["git", "clone", "-q", "--depth", "1", "--branch", "feature", origin.path.as_uri(), str(clone)],
                   check=True, capture_output=True)
    subprocess.run(["git", "-C", str(clone), "fetch", "-q", "--depth", "1", "origin", "main:refs/remotes/origin/main"],
                   check=True, capture_output=True)

    done = subprocess.run([console_script(), "check", "--base", "origin/main"], cwd=clone, capture_output=True,
                          text=True, timeout=60)

    assert done.returncode == 2, done
    assert done.stdout == "" and "Traceback" not in done.stderr
    [line] = done.stderr.strip().splitlines()
    assert line.startswith("compatlint: error: ") and "merge base" in line
    assert "fetch-depth" in line and "shallow" in line


@pytest.mark.parametrize("ref", ["--output=/tmp/compatlint-injected", "-n"])
def test_option_like_revision_is_refused(project, ref):
    """A revision that looks like a git option is never passed to git as an option."""
    run = check(project, f"--base={ref}")
    assert run.exit_code == 2, run
    assert run.stdout == ""
    assert run.stderr.startswith("compatlint: error: unknown git revision"), run
    assert not Path("/tmp/compatlint-injected").exists()


def test_unresolved_merge_conflict_is_not_a_table_drop(project):
    project.git("checkout", "-q", "-b", "feature")
    project.write(LOYALTY, loyalty(extra=(column("tier", "VARCHAR", size="16"),)))
    project.commit("feature: tier 16")
    project.git("checkout", "-q", "main")
    project.write(LOYALTY, loyalty(extra=(column("tier", "VARCHAR", size="32"),)))
    project.commit("main: tier 32")
    merge = project.git("merge", "feature", check=False)
    assert "CONFLICT" in merge
    assert project.git("status", "--porcelain", "--", LOYALTY).startswith("UU")

    code, payload = check_json(project)

    assert not {f["code"] for f in payload["findings"]} & {"CL101", "CL102"}, payload
    assert code in (0, 2), payload  # clean (ours) or an input error; never "tables dropped"


def test_detached_head(project):
    project.write(LOYALTY, loyalty(drop=("legacy_code",)))
    project.commit("drop")
    project.git("checkout", "-q", "--detach", "HEAD")
    assert project.git("symbolic-ref", "-q", "HEAD", check=False) == ""

    code, payload = check_json(project, "--base", "HEAD~1")
    assert (code, keys(payload)) == (1, {("CL102", "pyz_loyalty_account", "legacy_code")})

    # Pre-commit on a detached HEAD: staged vs HEAD.
    project.write(LOYALTY, loyalty(drop=("legacy_code", "referral_code")))
    project.add(LOYALTY)
    code, payload = check_json(project)
    assert (code, keys(payload)) == (1, {("CL102", "pyz_loyalty_account", "referral_code")})


# --- vendor/ (untracked core schemas) and composer.lock ----------------------------------------

@pytest.fixture
def with_vendor(project):
    """The project with an ignored vendor/ holding spryker/customer's core schema (untracked, on disk)."""
    project.write(".gitignore", "vendor/\n")
    project.commit("ignore vendor")
    project.write(CORE_CUSTOMER, core_customer())
    assert project.git("ls-files", "vendor") == ""
    assert project.git("status", "--porcelain") == ""
    return project


REQUIRED_NO_DEFAULT = column("loyalty_level", "VARCHAR", size="16", required="true")


def test_project_column_on_a_core_table_is_cl201(with_vendor):
    """A required column without default added to spy_customer: the table exists (core, from vendor/),
    so V1 INSERTs omit the column and fail."""
    with_vendor.write(CUSTOMER, customer_extension(REQUIRED_NO_DEFAULT))
    with_vendor.commit("loyalty level on customers")

    code, payload = check_json(with_vendor, "--base", "HEAD~1", "--head", "HEAD")

    assert code == 1
    assert ("CL201", "spy_customer", "loyalty_level") in keys(payload), payload
    [finding] = [f for f in payload["findings"] if f["code"] == "CL201"]
    assert finding["path"] == CUSTOMER
    assert finding["line"] == line_in(with_vendor.read(CUSTOMER), 'name="loyalty_level"')
    assert "CL101" not in {f["code"] for f in payload["findings"]}


def test_project_extension_merges_onto_the_vendor_core_table(with_vendor):
    """The project file extends spy_customer from vendor/ (untracked): adding it drops nothing, and
    deleting it again drops only its column (CL102), never the core table (CL101)."""
    with_vendor.write(CUSTOMER, customer_extension(REQUIRED_NO_DEFAULT))
    with_vendor.commit("loyalty level on customers")

    code, payload = check_json(with_vendor, "--base", "HEAD~1", "--head", "HEAD")
    assert not {f["code"] for f in payload["findings"]} & {"CL101", "CL102"}, payload

    with_vendor.git("rm", "-q", CUSTOMER)
    with_vendor.commit("remove the extension")
    code, payload = check_json(with_vendor, "--base", "HEAD~1", "--head", "HEAD")
    assert code == 1
    assert keys(payload) == {("CL102", "spy_customer", "loyalty_level")}, payload
    [finding] = payload["findings"]
    assert finding["path"] == CUSTOMER and finding["side"] == "base"


def test_core_columns_are_not_dropped_by_a_project_extension(with_vendor):
    """Without vendor/ merged the extension would look like a whole table; with it, core columns stay."""
    with_vendor.write(CUSTOMER, customer_extension(column("newsletter_opt_in", "BOOLEAN", default="false")))
    with_vendor.commit("newsletter")
    with_vendor.write(CUSTOMER, customer_extension(column("newsletter_opt_in", "BOOLEAN", default="false"),
                                                   column("nickname", "VARCHAR", size="32")))
    with_vendor.add(CUSTOMER)

    code, payload = check_json(with_vendor)

    assert (code, payload["findings"]) == (0, []), payload


NOTE = re.compile(r"^note: composer\.lock differs between the revisions: .*--base-dir/--head-dir")


def test_composer_lock_change_prints_one_note(with_vendor):
    with_vendor.write("composer.lock", '{"packages": [{"name": "spryker/customer", "version": "7.1.0"}]}\n')
    with_vendor.write(LOYALTY, loyalty(extra=(NULLABLE_TIER,)))
    with_vendor.commit("composer update")

    run = check(with_vendor, "--base", "HEAD~1", "--head", "HEAD")

    assert run.exit_code == 0, run
    notes = [line for line in run.stdout.splitlines() if line.startswith("note:")]
    assert len(notes) == 1 and NOTE.match(notes[0]), run.stdout
    code, payload = check_json(with_vendor, "--base", "HEAD~1", "--head", "HEAD")
    assert len(payload["notes"]) == 1 and "--base-dir/--head-dir" in payload["notes"][0]


def test_composer_lock_staged_alone_prints_the_note(with_vendor):
    with_vendor.write("composer.lock", '{"packages": [{"name": "spryker/customer", "version": "7.1.0"}]}\n')
    with_vendor.add("composer.lock")

    run = check(with_vendor)

    assert run.exit_code == 0, run
    notes = [line for line in run.stdout.splitlines() if line.startswith("note:")]
    assert len(notes) == 1 and NOTE.match(notes[0]), run.stdout


def test_same_composer_lock_prints_no_note(with_vendor):
    with_vendor.write(LOYALTY, loyalty(extra=(NULLABLE_TIER,)))
    with_vendor.commit("tier")
    run = check(with_vendor, "--base", "HEAD~1")
    assert run.exit_code == 0, run
    assert "note:" not in run.stdout
    assert "composer.lock" not in run.stdout
