"""`lint-sql` on its own and with the schema before the migration (issue 10, parts 1 and 3):

(a) a PostgreSQL `TYPE ... USING` that discards the old value is CL203 (error) even without a schema;
(b) a type, size, nullability or default change whose old definition is unknown is CL506 (warning) that
    says how to give compatlint the old definition;
(c) `--base REF` (a real git repository) and `--base-dir DIR` judge the same SQL exactly as `check` does;
(d) an unparsable statement fails the gate by default (CL504 error, exit 1), relaxed by configuration;
(e) the squawk comparison case set: every breaking case caught, no error on a safe one (and, when squawk
    is installed, everything squawk catches is caught too).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from cli_runner import MYSQL_DIR, PGSQL_DIR, cli, write

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "benchmarks"))

from squawk_cases import BASE_SCHEMA, BASE_SCHEMA_PATH, CASES, write_cases  # noqa: E402



def found(run) -> list[tuple]:
    return sorted((f["code"], f["table"], f["column"], f["severity"]) for f in run.json()["findings"])


# --- (a) USING that discards the old value -------------------------------------------------------------

@pytest.mark.parametrize("using", ["USING NULL", "USING NULL::text", "USING CAST(NULL AS TEXT)", "USING ''",
                                   "USING now()"])
def test_using_that_discards_the_old_value_is_a_data_loss_error(tmp_path, using):
    path = write(tmp_path, f"{PGSQL_DIR}/m.sql", f'BEGIN;\nALTER TABLE "spy_cms_block" ALTER COLUMN "content" '
                                                 f'TYPE TEXT {using};\nCOMMIT;\n')
    run = cli(tmp_path, "lint-sql", path, "--format", "json")
    assert run.exit_code == 1, run
    [cl203] = [f for f in run.json()["findings"] if f["code"] == "CL203"]
    assert (cl203["table"], cl203["column"], cl203["severity"], cl203["line"]) == ("spy_cms_block", "content", "error", 2)
    assert "every existing value of the column is replaced" in cl203["message"]
    assert "CL506" not in {f["code"] for f in run.json()["findings"]}  # the data loss says it all


@pytest.mark.parametrize("using", ['USING "content"::text', "USING trim(content)", ""])
def test_using_that_reads_the_column_is_no_data_loss(tmp_path, using):
    path = write(tmp_path, f"{PGSQL_DIR}/m.sql", f'ALTER TABLE "spy_cms_block" ALTER COLUMN "content" TYPE TEXT {using};\n')
    run = cli(tmp_path, "lint-sql", path, "--format", "json")
    assert "CL203" not in {f["code"] for f in run.json()["findings"]}, run
    assert ("CL506", "spy_cms_block", "content", "warning") in found(run)
    assert run.exit_code == 0, run


# --- (b) old definition unknown --------------------------------------------------------------------------

@pytest.mark.parametrize("folder, sql, column", [
    (MYSQL_DIR, "ALTER TABLE `spy_x` CHANGE `name` `name` VARCHAR(50);", "name"),
    (MYSQL_DIR, "ALTER TABLE `spy_x` MODIFY `qty` INT NOT NULL;", "qty"),
    (MYSQL_DIR, "ALTER TABLE `spy_x` CHANGE `qty` `qty` INT NOT NULL;", "qty"),
    (PGSQL_DIR, 'ALTER TABLE "spy_x" ALTER COLUMN "name" TYPE VARCHAR(50);', "name"),
    (PGSQL_DIR, 'ALTER TABLE "spy_x" ALTER COLUMN "price" TYPE INTEGER;', "price"),
    (PGSQL_DIR, 'ALTER TABLE "spy_x" ALTER COLUMN "price" DROP DEFAULT;', "price"),
])
def test_a_change_of_an_unknown_definition_is_a_warning_that_says_how_to_fix_it(tmp_path, folder, sql, column):
    path = write(tmp_path, f"{folder}/m.sql", sql + "\n")
    run = cli(tmp_path, "lint-sql", path, "--format", "json")
    assert run.exit_code == 0, run
    [finding] = [f for f in run.json()["findings"] if f["code"] == "CL506"]
    assert (finding["table"], finding["column"], finding["severity"], finding["line"]) == ("spy_x", column, "warning", 1)
    assert "old definition is unknown" in finding["message"]
    assert "--base REF" in finding["message"] and "--base-dir DIR" in finding["message"]


def test_set_and_drop_not_null_state_the_old_nullability(tmp_path):
    path = write(tmp_path, f"{PGSQL_DIR}/m.sql", 'ALTER TABLE "spy_x" ALTER COLUMN "a" SET NOT NULL;\n'
                                                 'ALTER TABLE "spy_x" ALTER COLUMN "b" DROP NOT NULL;\n')
    run = cli(tmp_path, "lint-sql", path, "--format", "json", "--select", "CL2,CL506")
    assert found(run) == [("CL202", "spy_x", "a", "error"), ("CL208", "spy_x", "b", "warning")]


# --- (c) --base-dir and --base REF -------------------------------------------------------------------------

SCHEMA = """<?xml version="1.0"?>
<database name="zed" namespace="Orm\\Zed\\X\\Persistence" package="src.Orm.Zed.X.Persistence">
  <table name="spy_x">
    <column name="id_x" type="INTEGER" primaryKey="true" autoIncrement="true"/>
    <column name="name" type="VARCHAR" size="{size}"/>
    <column name="qty" type="BIGINT"/>
    <column name="price" type="DECIMAL" size="10" scale="2"/>
  </table>
</database>
"""
SCHEMA_PATH = "src/Pyz/Zed/X/Persistence/Propel/Schema/spy_x.schema.xml"
MIGRATIONS = {
    MYSQL_DIR: "ALTER TABLE `spy_x` CHANGE `name` `name` VARCHAR(50);\nALTER TABLE `spy_x` MODIFY `qty` INT NOT NULL;\n",
    PGSQL_DIR: ('BEGIN;\nALTER TABLE "spy_x" ALTER COLUMN "name" TYPE VARCHAR(50);\n'
                'ALTER TABLE "spy_x" ALTER COLUMN "price" TYPE INTEGER;\nCOMMIT;\n'),
}
WITH_BASE_100 = {  # name VARCHAR(100) -> VARCHAR(50): narrowed; qty BIGINT NULL -> INT NOT NULL; price DECIMAL -> INTEGER
    MYSQL_DIR: [("CL202", "spy_x", "qty", "error"), ("CL204", "spy_x", "name", "error"), ("CL204", "spy_x", "qty", "error")],
    PGSQL_DIR: [("CL203", "spy_x", "price", "error"), ("CL204", "spy_x", "name", "error")],
}


@pytest.mark.parametrize("folder", [MYSQL_DIR, PGSQL_DIR])
def test_base_dir_judges_the_sql_as_check_does(tmp_path, folder):
    write(tmp_path / "v1", SCHEMA_PATH, SCHEMA.format(size=100))
    path = write(tmp_path, f"{folder}/m.sql", MIGRATIONS[folder])
    run = cli(tmp_path, "lint-sql", "--base-dir", "v1", path, "--format", "json", "--select", "CL2,CL506")
    assert run.exit_code == 1, run
    assert found(run) == WITH_BASE_100[folder]
    assert {f["line"] for f in run.json()["findings"]} <= {1, 2, 3}  # at the SQL lines

    # the same SQL on a base where it is a widening: CL210 (info), nothing to fail on
    write(tmp_path / "v0", SCHEMA_PATH, SCHEMA.format(size=20).replace('"BIGINT"', '"INTEGER"'))
    widened = cli(tmp_path, "lint-sql", "--base-dir", "v0", path, "--format", "json", "--select", "CL2,CL506")
    assert ("CL210", "spy_x", "name", "info") in found(widened)
    assert not [f for f in found(widened) if f[0] in ("CL204", "CL506")]


@pytest.mark.parametrize("clause, expected", [
    ("TYPE BIGINT", []),                                   # PostgreSQL's own cast keeps every integer
    ('TYPE BIGINT USING "qty"::bigint', []),
    ("TYPE BIGINT USING NULL", [("CL203", "spy_x", "qty", "error")]),
    ("TYPE INTEGER", [("CL204", "spy_x", "qty", "error")]),  # narrowed, whatever the cast
])
def test_with_the_base_the_migrations_own_using_decides(tmp_path, clause, expected):
    """`check` assumes Propel's `USING NULL` for INTEGER -> BIGINT on PostgreSQL; SQL that says how it
    converts is judged by what it says."""
    write(tmp_path / "v1", SCHEMA_PATH, SCHEMA.format(size=100).replace('"BIGINT"', '"INTEGER"' if "BIGINT" in clause
                                                                         else '"BIGINT"'))
    path = write(tmp_path, f"{PGSQL_DIR}/m.sql", f'ALTER TABLE "spy_x" ALTER COLUMN "qty" {clause};\n')
    run = cli(tmp_path, "lint-sql", "--base-dir", "v1", path, "--format", "json", "--select", "CL203,CL204,CL506")
    assert found(run) == expected, run


def test_base_dir_agrees_with_check(tmp_path):
    """`check --base-dir v1 --head-dir v2` with the migration committed in v2 reports the same CL2xx codes at
    the same SQL lines as `lint-sql --base-dir v1` on that migration."""
    write(tmp_path / "v1", SCHEMA_PATH, SCHEMA.format(size=100))
    write(tmp_path / "v2", SCHEMA_PATH, SCHEMA.format(size=50))
    write(tmp_path / "v2", f"{MYSQL_DIR}/1.sql", "ALTER TABLE `spy_x` CHANGE `name` `name` VARCHAR(50);\n")
    checked = cli(tmp_path, "check", "--base-dir", "v1", "--head-dir", "v2", "--format", "json", "--select", "CL204")
    linted = cli(tmp_path / "v2", "lint-sql", "--base-dir", "../v1", f"{MYSQL_DIR}/1.sql", "--format", "json",
                 "--select", "CL204")
    assert [(f["code"], f["column"]) for f in checked.json()["findings"]] == [("CL204", "name")]
    assert [(f["code"], f["column"], f["line"]) for f in linted.json()["findings"]] == [("CL204", "name", 1)]


def test_base_ref_reads_the_schema_at_a_git_revision(make_repo):
    repo = make_repo()
    repo.write(SCHEMA_PATH, SCHEMA.format(size=100))
    first = repo.commit("v1")
    repo.write(SCHEMA_PATH, SCHEMA.format(size=20))
    repo.commit("v2")
    path = write(repo.path, f"{PGSQL_DIR}/m.sql", MIGRATIONS[PGSQL_DIR])
    at_first = cli(repo.path, "lint-sql", "--base", first, path, "--format", "json", "--select", "CL2,CL506")
    assert at_first.exit_code == 1, at_first
    assert found(at_first) == WITH_BASE_100[PGSQL_DIR]
    at_head = cli(repo.path, "lint-sql", "--base", "HEAD", path, "--format", "json", "--select", "CL2,CL506")
    assert ("CL210", "spy_x", "name", "info") in found(at_head)  # VARCHAR(20) -> VARCHAR(50)
    assert "CL204" not in {f[0] for f in found(at_head)}


def test_bad_base_is_an_input_error(tmp_path, make_repo):
    path = write(tmp_path, f"{MYSQL_DIR}/m.sql", MIGRATIONS[MYSQL_DIR])
    missing = cli(tmp_path, "lint-sql", "--base-dir", "nowhere", path)
    assert missing.exit_code == 2 and "nowhere: no such directory" in missing.stderr, missing
    os.makedirs(tmp_path / "empty")
    empty = cli(tmp_path, "lint-sql", "--base-dir", "empty", path)
    assert empty.exit_code == 2 and "empty: no schema file matches" in empty.stderr, empty
    both = cli(tmp_path, "lint-sql", "--base-dir", "empty", "--base", "HEAD", path)
    assert both.exit_code == 2 and "exclude each other" in both.stderr, both
    write(tmp_path / "broken", SCHEMA_PATH, "<database>\n  <table name=\"spy_x\">\n</database>\n")
    broken = cli(tmp_path, "lint-sql", "--base-dir", "broken", path)
    assert broken.exit_code == 2 and f"{SCHEMA_PATH}:" in broken.stderr, broken
    repo = make_repo()
    repo.write(SCHEMA_PATH, SCHEMA.format(size=100))
    repo.commit("v1")
    write(repo.path, f"{MYSQL_DIR}/m.sql", MIGRATIONS[MYSQL_DIR])
    unknown = cli(repo.path, "lint-sql", "--base", "no-such-branch", f"{MYSQL_DIR}/m.sql")
    assert unknown.exit_code == 2 and "unknown git revision 'no-such-branch'" in unknown.stderr, unknown
    outside = cli(tmp_path, "lint-sql", "--base", "HEAD", path)
    assert outside.exit_code == 2 and "not inside a git repository" in outside.stderr, outside


# --- (d) unparsable statements fail the gate by default ----------------------------------------------------

UNPARSABLE = 'BEGIN;\nDO $$ BEGIN EXECUTE \'ALTER TABLE spy_x DROP COLUMN name\'; END $$;\nCOMMIT;\n'


def test_an_unparsable_statement_fails_the_gate_by_default(tmp_path):
    path = write(tmp_path, f"{PGSQL_DIR}/m.sql", UNPARSABLE)
    run = cli(tmp_path, "lint-sql", path, "--format", "json")
    assert run.exit_code == 1, run
    assert [(f["code"], f["severity"], f["line"]) for f in run.json()["findings"]] == [("CL504", "error", 2)]


@pytest.mark.parametrize("config", ['[severity]\nCL504 = "warning"\n', '[severity]\nunparsed-statement = "warning"\n',
                                    'ignore = ["CL504"]\n'])
def test_configuration_relaxes_unparsable_statements(tmp_path, config):
    (tmp_path / "compatlint.toml").write_text(config)
    path = write(tmp_path, f"{PGSQL_DIR}/m.sql", UNPARSABLE)
    run = cli(tmp_path, "lint-sql", path, "--format", "json")
    assert run.exit_code == 0, run
    assert all(f["severity"] == "warning" for f in run.json()["findings"])
    strict = cli(tmp_path, "lint-sql", path, "--format", "json", "--fail-on", "warning")
    assert strict.exit_code == (1 if "severity" in config else 0), strict


def test_an_allowed_unparsable_statement_passes(tmp_path):
    path = write(tmp_path, f"{PGSQL_DIR}/m.sql", UNPARSABLE.replace(
        "DO $$", '-- compatlint: allow CL504 reason="reviewed: drops nothing V1 reads"\nDO $$'))
    run = cli(tmp_path, "lint-sql", path, "--format", "json")
    assert run.exit_code == 0 and run.json()["findings"] == [], run


def test_check_fails_on_an_unparsable_committed_migration(make_repo):
    repo = make_repo()
    repo.write(SCHEMA_PATH, SCHEMA.format(size=100))
    repo.commit("v1")
    repo.write(f"{MYSQL_DIR}/fix.sql", "LOCK TABLES `spy_x` WRITE;\n")
    repo.add(f"{MYSQL_DIR}/fix.sql")
    run = cli(repo.path, "check", "--format", "json")
    assert run.exit_code == 1, run
    assert ("CL504", "error") in {(f["code"], f["severity"]) for f in run.json()["findings"]}


# --- (e) the squawk comparison case set --------------------------------------------------------------------

def _levels(run, paths: dict[str, str], root) -> dict[str, str]:
    rank = {"error": 3, "warning": 2, "info": 1}
    by_path: dict[str, str] = {}
    for finding in run.json()["findings"]:
        key = os.path.normpath(os.path.join(root, finding["path"]))
        if rank[finding["severity"]] > rank.get(by_path.get(key, ""), 0):
            by_path[key] = finding["severity"]
    return {name: by_path.get(os.path.normpath(path), "") for name, path in paths.items()}


@pytest.fixture(scope="module")
def case_results(tmp_path_factory):
    root = tmp_path_factory.mktemp("squawk-cases")
    paths = write_cases(str(root))
    alone = cli(root, "lint-sql", "--format", "json", "--exit-zero", *paths.values())
    based = cli(root, "lint-sql", "--base-dir", "base", "--format", "json", "--exit-zero", *paths.values())
    return root, paths, _levels(alone, paths, root), _levels(based, paths, root)


def test_case_set_covers_both_platforms_and_the_catalog():
    assert {c.platform for c in CASES} == {"mysql", "pgsql"}
    kinds = {c.kind for c in CASES if c.breaking}
    assert {"CL101", "CL102", "CL201", "CL202", "CL203", "CL204", "CL205", "CL206", "CL301", "CL302", "CL304",
            "CL305", "CL401", "CL402", "CL501", "CL502", "CL504", "CL505"} <= kinds
    assert BASE_SCHEMA_PATH.endswith(".schema.xml") and "<table" in BASE_SCHEMA


def test_every_breaking_case_is_caught_and_no_safe_case_errs(case_results):
    _, _, alone, based = case_results
    for case in CASES:
        if case.breaking:
            assert alone[case.name] in ("error", "warning"), f"{case.name}: missed by lint-sql"
            assert based[case.name] in ("error", "warning"), f"{case.name}: missed by lint-sql --base-dir"
        else:
            assert alone[case.name] != "error", f"{case.name}: error on a safe change"
            assert based[case.name] != "error", f"{case.name}: error on a safe change with the base"


def test_the_base_turns_blind_warnings_into_the_schema_verdicts(case_results):
    _, _, alone, based = case_results
    for name in ("column-narrowed/mysql", "column-narrowed/pgsql", "decimal-to-integer/pgsql",
                 "column-made-required/mysql", "default-removed/pgsql"):
        assert (alone[name], based[name]) == ("warning", "error"), name


@pytest.mark.skipif(shutil.which("squawk") is None and not os.path.exists(os.path.join(os.path.dirname(sys.executable), "squawk")),
                    reason="squawk (pip install squawk-cli) is not installed in this environment")
def test_everything_squawk_catches_compatlint_catches(case_results):
    root, paths, alone, _ = case_results
    exe = shutil.which("squawk") or os.path.join(os.path.dirname(sys.executable), "squawk")
    pg = {n: p for n, p in paths.items() if "/Migration_pgsql/" in p.replace(os.sep, "/")}
    done = subprocess.run([exe, "--reporter", "json", "--exclude", "require-lock-timeout,require-statement-timeout",
                           *pg.values()], capture_output=True, text=True, cwd=root)
    assert done.returncode in (0, 1), done.stderr
    flagged = {os.path.normpath(os.path.join(root, v["file"])) for v in json.loads(done.stdout or "[]")}
    caught_by_squawk = [n for n, p in pg.items() if os.path.normpath(p) in flagged]
    assert caught_by_squawk  # squawk really ran on the files
    for name in caught_by_squawk:
        case = next(c for c in CASES if c.name == name)
        if case.breaking:
            assert alone[name] in ("error", "warning"), f"{name}: squawk catches it, compatlint does not"
