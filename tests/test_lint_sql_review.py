"""Regressions from the review of `lint-sql` (issue 10):

1. `--down` judges getDownSQL() on its own, against the schema after getUpSQL(), labelled as down; the
   up findings stay exactly what they are without `--down`;
2. the platform comes from the resolved path (a file named from inside `Migration_pgsql`);
3. a finding is located at the statement that made the change, not at a later one touching the column;
4. PostgreSQL `DROP INDEX` of an index compatlint does not know is CL506, as on MySQL;
5. an index of unknown columns gets no CL306 with "()";
6. the markdown footer suggests the SQL comment form for SQL findings, CL502 for `SET NOT NULL` names a
   fitting safe path, and "1 finding" is singular.
"""

from __future__ import annotations

import os

import pytest

from cli_runner import MYSQL_DIR, PGSQL_DIR, cli, write



def findings(run) -> list[dict]:
    return run.json()["findings"]


def at(run) -> list[tuple]:
    return sorted((f["code"], f["table"], f["column"], f["line"]) for f in findings(run))


# --- 1. --down ----------------------------------------------------------------------------------------

DOWN_MIGRATION = """<?php
class PropelMigration_1700000009
{
    public function getUpSQL(): array
    {
        $connection_default = <<< 'EOT'
ALTER TABLE `spy_customer` DROP `legacy_code`;
ALTER TABLE `spy_customer` ADD `loyalty_level` INTEGER NOT NULL;
EOT;
        return array('default' => $connection_default);
    }

    public function getDownSQL(): array
    {
        $connection_default = <<< 'EOT'
ALTER TABLE `spy_customer` ADD `legacy_code` VARCHAR(10);
ALTER TABLE `spy_customer` DROP `loyalty_level`;
EOT;
        return array('default' => $connection_default);
    }
}
"""


def test_down_keeps_the_up_findings_and_judges_the_down_script_on_its_own(tmp_path):
    path = write(tmp_path, f"{MYSQL_DIR}/PropelMigration_1700000009.php", DOWN_MIGRATION)
    up_only = cli(tmp_path, "lint-sql", path, "--format", "json")
    assert at(up_only) == [("CL102", "spy_customer", "legacy_code", 7), ("CL201", "spy_customer", "loyalty_level", 8)]

    both = cli(tmp_path, "lint-sql", "--down", path, "--format", "json")
    assert both.exit_code == 1, both
    up = [f for f in findings(both) if not f["message"].startswith("getDownSQL()")]
    down = [f for f in findings(both) if f["message"].startswith("getDownSQL()")]
    # the down script re-adding legacy_code neither erases CL102 nor turns into a bogus CL204 narrowing
    assert [(f["code"], f["column"], f["line"], f["message"]) for f in up] == \
        [(f["code"], f["column"], f["line"], f["message"]) for f in findings(up_only)]
    assert "CL204" not in {f["code"] for f in findings(both)}
    # the down script is its own change against the schema after the up script: it drops loyalty_level
    assert [(f["code"], f["column"], f["line"]) for f in down] == [("CL102", "loyalty_level", 17)]
    assert down[0]["fingerprint"] != up[0]["fingerprint"]


# --- 2. platform from the resolved path -----------------------------------------------------------------

def test_platform_comes_from_the_resolved_path(tmp_path):
    write(tmp_path, f"{PGSQL_DIR}/m.sql", 'ALTER TABLE "spy_x" ALTER COLUMN "name" TYPE TEXT USING NULL;\n')
    run = cli(tmp_path / PGSQL_DIR, "lint-sql", "m.sql", "--format", "json")
    assert run.json()["platform"] == "pgsql", run
    codes = {f["code"] for f in findings(run)}
    assert "CL203" in codes and "CL504" not in codes  # read as PostgreSQL: USING NULL loses data


# --- 3. a finding at the statement that caused it --------------------------------------------------------

SCHEMA = """<?xml version="1.0"?>
<database name="zed" namespace="Orm\\Zed\\X\\Persistence" package="src.Orm.Zed.X.Persistence">
  <table name="spy_x">
    <column name="id_x" type="INTEGER" primaryKey="true" autoIncrement="true"/>
    <column name="name" type="VARCHAR" size="20"/>
    <column name="points" type="INTEGER"/>
  </table>
</database>
"""
SCHEMA_PATH = "src/Pyz/Zed/X/Persistence/Propel/Schema/spy_x.schema.xml"


def test_made_nullable_is_reported_at_the_drop_not_null_line(tmp_path):
    path = write(tmp_path, f"{PGSQL_DIR}/m.sql", "UPDATE t SET a = 1;\nALTER TABLE t ALTER COLUMN nick DROP NOT NULL;\n"
                                                 "ALTER TABLE t ALTER COLUMN nick SET DEFAULT 1;\n")
    run = cli(tmp_path, "lint-sql", path, "--format", "json", "--select", "CL208")
    assert at(run) == [("CL208", "t", "nick", 2)], run


@pytest.mark.parametrize("change, code", [('TYPE TEXT USING NULL', "CL203"), ("TYPE VARCHAR(5)", "CL204")])
def test_type_change_is_reported_at_its_own_line_with_a_base(tmp_path, change, code):
    write(tmp_path / "v1", SCHEMA_PATH, SCHEMA)
    column = "points" if code == "CL203" else "name"
    path = write(tmp_path, f"{PGSQL_DIR}/m.sql", f'ALTER TABLE spy_x ALTER COLUMN {column} {change};\nSELECT 1;\n'
                                                 f"ALTER TABLE spy_x ALTER COLUMN {column} SET DEFAULT '0';\n")
    run = cli(tmp_path, "lint-sql", "--base-dir", "v1", path, "--format", "json", "--select", code)
    assert at(run) == [(code, "spy_x", column, 1)], run


def test_a_later_change_of_the_same_column_keeps_its_own_line(tmp_path):
    write(tmp_path / "v1", SCHEMA_PATH, SCHEMA)
    path = write(tmp_path, f"{PGSQL_DIR}/m.sql", "ALTER TABLE spy_x ALTER COLUMN name TYPE VARCHAR(5);\n"
                                                 "ALTER TABLE spy_x ALTER COLUMN name SET NOT NULL;\n")
    run = cli(tmp_path, "lint-sql", "--base-dir", "v1", path, "--format", "json", "--select", "CL202,CL204")
    assert at(run) == [("CL202", "spy_x", "name", 2), ("CL204", "spy_x", "name", 1)], run


# --- 4/5. DROP INDEX of an unknown index ------------------------------------------------------------------

@pytest.mark.parametrize("statement", ['DROP INDEX "spy_customer-email";', 'DROP INDEX IF EXISTS "spy_customer-email";',
                                       'DROP INDEX CONCURRENTLY "spy_customer-email";'])
def test_pgsql_drop_of_an_unknown_index_is_cl506(tmp_path, statement):
    path = write(tmp_path, f"{PGSQL_DIR}/m.sql", statement + "\n")
    run = cli(tmp_path, "lint-sql", path, "--format", "json")
    assert [(f["code"], f["line"]) for f in findings(run)] == [("CL506", 1)], run
    assert "spy_customer-email" in findings(run)[0]["message"]


def test_mysql_drop_of_an_unknown_index_is_one_finding_without_empty_columns(tmp_path):
    path = write(tmp_path, f"{MYSQL_DIR}/m.sql", "DROP INDEX `spy_customer-email` ON `spy_customer`;\n")
    run = cli(tmp_path, "lint-sql", path, "--format", "json")
    assert [(f["code"], f["table"], f["line"]) for f in findings(run)] == [("CL506", "spy_customer", 1)], run
    assert "()" not in run.stdout


def test_pgsql_drop_of_a_known_index_is_still_cl306(tmp_path):
    write(tmp_path / "v1", SCHEMA_PATH, SCHEMA.replace(
        "  </table>", '    <index name="spy_x-name"><index-column name="name"/></index>\n  </table>'))
    path = write(tmp_path, f"{PGSQL_DIR}/m.sql", 'DROP INDEX "spy_x-name";\n')
    run = cli(tmp_path, "lint-sql", "--base-dir", "v1", path, "--format", "json")
    assert at(run) == [("CL306", "spy_x", "name", 1)], run


# --- 6. nits -------------------------------------------------------------------------------------------------

def test_markdown_footer_suggests_the_sql_comment_for_sql_findings(tmp_path):
    path = write(tmp_path, f"{MYSQL_DIR}/m.sql", "ALTER TABLE `spy_x` DROP `name`;\n")
    run = cli(tmp_path, "lint-sql", path, "--format", "markdown")
    assert '-- compatlint: allow CODE reason="..."' in run.stdout, run
    assert "<!--" not in run.stdout


def test_set_not_null_lock_has_a_fitting_safe_path(tmp_path):
    path = write(tmp_path, f"{PGSQL_DIR}/m.sql", 'ALTER TABLE "spy_x" ALTER COLUMN "name" SET NOT NULL;\n')
    run = cli(tmp_path, "lint-sql", path, "--format", "json", "--select", "CL502")
    [finding] = findings(run)
    assert "new column of the new type" not in finding["safe_path"]
    assert "NOT VALID" in finding["safe_path"] and "VALIDATE" in finding["safe_path"]


def test_one_finding_is_singular(tmp_path):
    path = write(tmp_path, f"{MYSQL_DIR}/m.sql", "ALTER TABLE `spy_x` DROP `name`;\n")
    run = cli(tmp_path, "lint-sql", path, "--format", "github", "--select", "CL102")
    assert run.stdout.splitlines()[-1] == "compatlint: 1 finding (1 error, 0 warnings) on mysql", run


MULTI_CLAUSE = """BEGIN;

ALTER TABLE "spy_customer"

  ALTER COLUMN "points" TYPE TEXT USING NULL,

  ALTER COLUMN "first_name" SET NOT NULL,

  DROP COLUMN "legacy";

COMMIT;
"""


def test_each_clause_of_an_alter_table_is_located_at_its_own_line(tmp_path):
    path = write(tmp_path, f"{PGSQL_DIR}/m.sql", MULTI_CLAUSE)
    run = cli(tmp_path, "lint-sql", path, "--format", "json", "--select", "CL102,CL202,CL203")
    assert at(run) == [("CL102", "spy_customer", "legacy", 9), ("CL202", "spy_customer", "first_name", 7),
                       ("CL203", "spy_customer", "points", 5)], run


def test_a_directive_before_a_multi_clause_alter_still_covers_its_clauses(tmp_path):
    text = MULTI_CLAUSE.replace('ALTER TABLE "spy_customer"',
                                '-- compatlint: allow CL102 reason="legacy is unused since release 12"\n'
                                'ALTER TABLE "spy_customer"')
    path = write(tmp_path, f"{PGSQL_DIR}/m.sql", text)
    run = cli(tmp_path, "lint-sql", path, "--format", "json", "--select", "CL102,CL202")
    assert at(run) == [("CL202", "spy_customer", "first_name", 8)], run
