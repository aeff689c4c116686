"""Edges found in review: inputs that must not pass silently, and SQL that must not be misread."""

from __future__ import annotations

import os

import pytest

from cli_runner import cli

SCHEMA = "src/Pyz/Zed/Demo/Persistence/Propel/Schema/pyz_demo.schema.xml"


def schema(*columns: str) -> str:
    body = "".join(f'<column name="{c}" type="VARCHAR" size="16"/>' for c in columns)
    return ('<?xml version="1.0"?>\n<database name="zed" namespace="Orm\\Zed\\Demo\\Persistence" '
            'package="src.Orm.Zed.Demo.Persistence">\n<table name="pyz_demo">'
            f'<column name="id_demo" type="INTEGER" primaryKey="true" autoIncrement="true"/>{body}</table>\n</database>\n')


def write(folder, rel: str, text: str) -> None:
    path = os.path.join(folder, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as handle:
        handle.write(text)


def test_a_staged_sql_migration_is_checked(make_repo):
    repo = make_repo("shop")
    repo.write(SCHEMA, schema("a"))
    repo.commit("v1")
    repo.write("src/Orm/Propel/Migration_mysql/fix.sql", "DROP TABLE pyz_demo;\n")
    repo.add("src/Orm/Propel/Migration_mysql/fix.sql")
    run = cli(repo.path, "check", "--format", "json")
    assert run.exit_code == 1, run
    codes = {f["code"] for f in run.json()["findings"]}
    assert {"CL101", "CL505"} <= codes


def test_a_hash_in_the_middle_of_a_line_does_not_hide_the_next_statement(tmp_path):
    # Propel's SqlParser drops whole comment lines only, then splits on ';': it runs the DROP
    path = tmp_path / "m.sql"
    path.write_text("UPDATE spy_x SET a = 1 # note; DROP TABLE spy_customer;\n")
    run = cli(tmp_path, "lint-sql", str(path), "--format", "json")
    found = {(f["code"], f["table"]) for f in run.json()["findings"]}
    assert ("CL505", "spy_customer") in found
    assert run.exit_code == 1


def test_destructive_statements_beyond_tables(tmp_path):
    path = tmp_path / "m.sql"
    path.write_text("DROP DATABASE zed;\nRENAME TABLE spy_a TO spy_b, spy_c TO spy_d;\n")
    run = cli(tmp_path, "lint-sql", str(path), "--format", "json")
    found = [(f["code"], f["table"], f["line"]) for f in run.json()["findings"] if f["code"] == "CL505"]
    assert ("CL505", None, 1) in found
    assert {t for c, t, _ in found if t} == {"spy_a", "spy_c"}


def test_a_migration_file_with_two_classes_is_refused(tmp_path):
    path = tmp_path / "PropelMigration_5.php"
    path.write_text("<?php\nclass Decoy { public function getUpSQL() { return ['zed' => 'SELECT 1;']; } }\n"
                    "class PropelMigration_5 { public function getUpSQL() { return ['zed' => 'DROP TABLE x;']; } }\n")
    run = cli(tmp_path, "lint-sql", str(path))
    assert run.exit_code == 2, run
    assert f"{path}:3:" in run.stderr and "exactly one" in run.stderr


def test_code_in_a_migration_hook_is_reported_as_unchecked(tmp_path):
    path = tmp_path / "PropelMigration_3.php"
    path.write_text("<?php\nclass PropelMigration_3\n{\n    public function preUp($m)\n    {\n"
                    "        $m->getAdapterConnection('zed')->exec('DROP TABLE spy_customer');\n    }\n"
                    "    public function getUpSQL(): array { return ['zed' => 'SELECT 1;']; }\n}\n")
    run = cli(tmp_path, "lint-sql", str(path), "--format", "json")
    (finding,) = run.json()["findings"]
    assert (finding["code"], finding["line"]) == ("CL504", 6)
    assert "preUp()" in finding["message"]


def test_folders_without_schema_files_are_an_input_error(tmp_path):
    write(tmp_path / "a", SCHEMA, schema("a"))
    write(tmp_path / "b", SCHEMA, schema())
    run = cli(tmp_path, "check", "--base-dir", "a/src", "--head-dir", "b/src")
    assert run.exit_code == 2, run
    assert "a/src: no schema file matches" in run.stderr


def test_plan_refuses_an_unusable_schema_file(tmp_path):
    write(tmp_path / "a", SCHEMA, schema("a"))
    write(tmp_path / "b", SCHEMA, "<database><table")
    run = cli(tmp_path, "plan", "--base-dir", "a", "--head-dir", "b")
    assert run.exit_code == 2, run
    assert SCHEMA in run.stderr and run.stdout == ""


def test_an_unusable_file_is_not_selected_away(tmp_path):
    write(tmp_path / "a", SCHEMA, schema("a"))
    write(tmp_path / "b", SCHEMA, "<database><table")
    run = cli(tmp_path, "check", "--base-dir", "a", "--head-dir", "b", "--select", "CL402", "--format", "json")
    assert run.exit_code == 2
    assert [f["code"] for f in run.json()["findings"]] == ["CL901"]


@pytest.mark.parametrize("flag, dropped", [("t", True), ("on", False)])
def test_behavior_flags_are_read_as_propel_reads_booleans(tmp_path, flag, dropped):
    before = schema().replace("</table>", '<behavior name="timestampable"/></table>')
    after = schema().replace("</table>", '<behavior name="timestampable"><parameter name="disable_created_at" '
                                         f'value="{flag}"/></behavior></table>')
    write(tmp_path / "a", SCHEMA, before)
    write(tmp_path / "b", SCHEMA, after)
    run = cli(tmp_path, "check", "--base-dir", "a", "--head-dir", "b", "--format", "json")
    gone = {(f["table"], f["column"]) for f in run.json()["findings"] if f["code"] in ("CL102", "CL103")}
    assert (("pyz_demo", "created_at") in gone) is dropped
