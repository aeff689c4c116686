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


CORE = "vendor/spryker/customer/src/Spryker/Zed/Customer/Persistence/Propel/Schema/spy_customer.schema.xml"
KEY = ('<column name="fk_customer" type="INTEGER"/>'
       '<foreign-key name="pyz_demo-fk_customer" foreignTable="spy_customer">'
       '<reference local="fk_customer" foreign="id_customer"/></foreign-key>')


def _core(*tables: str) -> str:
    return ('<?xml version="1.0"?>\n<database name="zed" namespace="Orm\\Zed\\Customer\\Persistence" '
            'package="src.Orm.Zed.Customer.Persistence">\n' + "\n".join(tables) + "\n</database>\n")


def test_a_new_key_to_a_missing_table_is_refused_when_the_core_tables_are_read(tmp_path):
    customer = '<table name="spy_customer"><column name="id_customer" type="INTEGER" primaryKey="true"/></table>'
    write(tmp_path / "v1", SCHEMA, schema())
    write(tmp_path / "v1", CORE, _core(customer))
    write(tmp_path / "v2", SCHEMA, schema(KEY.replace("spy_customer", "spy_customer_typo")))
    write(tmp_path / "v2", CORE, _core(customer))
    run = cli(tmp_path, "check", "--base-dir", "v1", "--head-dir", "v2", "--format", "json")
    assert ("CL907", "pyz_demo", None) in run.found, run
    assert run.exit_code == 1, run
    # the same key to a table the core declares: nothing refused
    write(tmp_path / "v3", SCHEMA, schema(KEY))
    write(tmp_path / "v3", CORE, _core(customer))
    fine = cli(tmp_path, "check", "--base-dir", "v1", "--head-dir", "v3", "--format", "json")
    assert "CL907" not in {code for code, _, _ in fine.found}, fine


def test_dropping_a_table_a_key_still_references_is_reported_once(tmp_path):
    customer = '<table name="spy_customer"><column name="id_customer" type="INTEGER" primaryKey="true"/></table>'
    write(tmp_path / "v1", SCHEMA, schema(KEY))
    write(tmp_path / "v1", CORE, _core(customer))
    write(tmp_path / "v2", SCHEMA, schema(KEY))
    write(tmp_path / "v2", CORE, _core('<table name="spy_other"><column name="id" type="INTEGER" primaryKey="true"/>'
                                       '</table>'))
    run = cli(tmp_path, "check", "--base-dir", "v1", "--head-dir", "v2", "--format", "json")
    assert [f for f in run.found if f[0] == "CL907"] == [("CL907", "spy_customer", None)], run
