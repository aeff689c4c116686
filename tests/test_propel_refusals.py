"""Schemas Propel (or the deploy) refuses, and files compatlint cannot read: each says so, naming the file and line.

A column `type` Propel does not know and a symbolic link in place of a schema file are input errors (CL901,
exit 2) in every mode; a foreign key to a table that is gone and column definitions Propel or the server refuse
are CL907 findings.
"""

from __future__ import annotations

import os

from cli_runner import cli

SCHEMA = "src/Pyz/Zed/Demo/Persistence/Propel/Schema/pyz_demo.schema.xml"


def schema(*columns: str) -> str:
    return ('<?xml version="1.0"?>\n<database name="zed" namespace="Orm\\Zed\\Demo\\Persistence" '
            'package="src.Orm.Zed.Demo.Persistence">\n<table name="pyz_demo">\n'
            '  <column name="id_demo" type="INTEGER" primaryKey="true" autoIncrement="true"/>\n'
            + "".join(f"  {c}\n" for c in columns) + "</table>\n</database>\n")


def write(folder, rel: str, text: str) -> str:
    path = os.path.join(folder, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as handle:
        handle.write(text)
    return path


def test_an_unknown_column_type_is_an_input_error_with_file_and_line(tmp_path):
    write(tmp_path / "v1", SCHEMA, schema('<column name="points" type="INTEGER"/>'))
    write(tmp_path / "v2", SCHEMA, schema('<column name="points" type="NOPE"/>'))
    run = cli(tmp_path, "check", "--base-dir", "v1", "--head-dir", "v2", "--format", "json")
    assert run.exit_code == 2, run
    findings = run.json()["findings"]
    assert [(f["code"], f["line"]) for f in findings] == [("CL901", 5)], findings  # the <column> line
    assert "NOPE" in findings[0]["message"] and findings[0]["path"].endswith("pyz_demo.schema.xml")


def test_a_known_type_in_any_case_is_no_input_error(tmp_path):
    write(tmp_path / "v1", SCHEMA, schema('<column name="points" type="INTEGER"/>'))
    write(tmp_path / "v2", SCHEMA, schema('<column name="points" type="bigint"/>'))
    run = cli(tmp_path, "check", "--base-dir", "v1", "--head-dir", "v2", "--format", "json")
    assert run.exit_code == 0, run
    assert {f["code"] for f in run.json()["findings"]} == {"CL210"}


def test_a_symlinked_schema_file_in_a_folder_is_named_not_skipped(tmp_path):
    write(tmp_path / "v1", SCHEMA, schema('<column name="points" type="INTEGER"/>'))
    target = write(tmp_path, "elsewhere/pyz_demo.schema.xml", schema('<column name="points" type="INTEGER"/>'))
    link = tmp_path / "v2" / SCHEMA
    link.parent.mkdir(parents=True)
    os.symlink(target, link)
    run = cli(tmp_path, "check", "--base-dir", "v1", "--head-dir", "v2", "--format", "json")
    assert run.exit_code == 2, run
    findings = run.json()["findings"]
    # the link's tables are not checked: no CL101 for pyz_demo, which only looks dropped
    assert [f["code"] for f in findings] == ["CL901"], findings
    assert "symbolic link" in findings[0]["message"] and findings[0]["path"].endswith(SCHEMA)


def test_a_symlinked_schema_file_in_git_is_named_not_skipped(make_repo):
    repo = make_repo("shop")
    repo.write(SCHEMA, schema('<column name="points" type="INTEGER"/>'))
    repo.commit("v1")
    repo.write("shared/pyz_demo.schema.xml", schema('<column name="points" type="INTEGER"/>'))
    repo.remove(SCHEMA)
    os.symlink("../../../../../../../shared/pyz_demo.schema.xml", os.path.join(repo.path, SCHEMA))
    repo.commit("link")
    run = cli(repo.path, "check", "--base", "HEAD~1", "--head", "HEAD", "--format", "json")
    assert run.exit_code == 2, run
    assert [(f["code"], f["path"]) for f in run.json()["findings"]] == [("CL901", SCHEMA)]
    staged = cli(repo.path, "check", "--base", "HEAD~1", "--format", "json")  # the index holds the link too
    assert staged.exit_code == 2, staged
