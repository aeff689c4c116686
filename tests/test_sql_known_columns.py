"""What a column was when a statement runs: the schema's definition, or what an earlier statement of the same
script made it, or what the up script left for the down script. A redefinition of such a column is
compared with it (CL502, CL204) and never called unknown (CL506); a column nothing defined stays unknown,
through a rename too, and into the down script."""

from __future__ import annotations

from cli_runner import MYSQL_DIR, PGSQL_DIR, cli, write


def migration(up: str, down: str = "") -> str:
    return f"""<?php
class PropelMigration_1700000100
{{
    public function getUpSQL(): array
    {{
        $connection_default = <<< 'EOT'
{up}
EOT;
        return array('default' => $connection_default);
    }}

    public function getDownSQL(): array
    {{
        $connection_default = <<< 'EOT'
{down}
EOT;
        return array('default' => $connection_default);
    }}
}}
"""


def found(tmp_path, text: str, *options: str, folder: str = MYSQL_DIR) -> list[tuple]:
    path = write(tmp_path, f"{folder}/PropelMigration_1700000100.php", text)
    run = cli(tmp_path, "lint-sql", path, "--format", "json", *options)
    assert run.exit_code in (0, 1), run
    return sorted((f["code"], f["column"], f["line"], f["message"]) for f in run.json()["findings"])


def codes(rows) -> list[tuple]:
    return [(code, column, line) for code, column, line, _ in rows]


def test_a_column_added_earlier_in_the_script_is_known(tmp_path):
    rows = found(tmp_path, migration("ALTER TABLE `spy_x` ADD `note` VARCHAR(32);\n"
                                     "ALTER TABLE `spy_x` CHANGE `note` `note` VARCHAR(16);"))
    assert ("CL506", "note", 8) not in codes(rows)
    rebuild = [message for code, column, line, message in rows if code == "CL502" and line == 8]
    assert rebuild and "from VARCHAR(32) to VARCHAR(16)" in rebuild[0] and "unknown" not in rebuild[0]


def test_the_down_script_knows_what_the_up_script_defined(tmp_path):
    rows = found(tmp_path, migration("ALTER TABLE `spy_x` CHANGE `code` `code` VARCHAR(64);\n"
                                     "ALTER TABLE `spy_x` ADD `note` VARCHAR(32);",
                                     "ALTER TABLE `spy_x` CHANGE `code` `code` VARCHAR(32);\n"
                                     "ALTER TABLE `spy_x` CHANGE `note` `note` VARCHAR(16);"), "--down")
    by_line = {}
    for code, column, line, message in rows:
        by_line.setdefault(line, []).append((code, column, message))
    # the up script redefines a column nothing declares: unknown, as before
    assert {c for c, _, _ in by_line[7]} == {"CL502", "CL506"}
    # the down script runs on what the up script made: VARCHAR(64) narrows to VARCHAR(32)
    assert {c for c, _, _ in by_line[16]} == {"CL204", "CL502"}
    assert any("VARCHAR(64) to VARCHAR(32)" in m for c, _, m in by_line[16] if c == "CL502")
    assert {c for c, _, _ in by_line[17]} == {"CL204", "CL502"}  # what the up script added narrows too


def test_a_column_only_assumed_stays_unknown_through_a_rename_and_into_the_down_script(tmp_path):
    rows = found(tmp_path, migration("ALTER TABLE `spy_x` ALTER COLUMN `code` DROP DEFAULT;\n"
                                     "ALTER TABLE `spy_x` RENAME COLUMN `code` TO `reference`;",
                                     "ALTER TABLE `spy_x` MODIFY `reference` VARCHAR(32);"), "--down")
    assert ("CL506", "reference", 16) in codes(rows)
    assert ("CL502", "reference", 16) in codes(rows)


def test_postgresql_type_change_of_a_column_added_earlier_is_judged(tmp_path):
    rows = found(tmp_path, migration('ALTER TABLE "spy_x" ADD "note" VARCHAR(32);\n'
                                     'ALTER TABLE "spy_x" ALTER COLUMN "note" TYPE VARCHAR(64);'), folder=PGSQL_DIR)
    # VARCHAR(32) -> VARCHAR(64) is binary coercible: no rewrite, and nothing unknown about it
    assert [r for r in codes(rows) if r[2] == 8] == []


def test_with_a_base_schema_the_schema_definition_is_used(tmp_path):
    write(tmp_path, "src/Pyz/Zed/X/Persistence/Propel/Schema/spy_x.schema.xml",
          '<?xml version="1.0"?>\n<database name="zed" namespace="Orm\\Zed\\X\\Persistence" package="src.Orm.Zed.X.Persistence">'
          '<table name="spy_x"><column name="id_x" type="INTEGER" primaryKey="true"/>'
          '<column name="code" type="VARCHAR" size="128"/></table></database>\n')
    rows = found(tmp_path, migration("ALTER TABLE `spy_x` CHANGE `code` `code` VARCHAR(64);"), "--base-dir", ".")
    assert ("CL204", "code", 7) in codes(rows)
    assert ("CL506", "code", 7) not in codes(rows)


def test_what_was_only_assumed_of_a_column_is_not_compared_as_its_old_definition(tmp_path):
    """An index on a column nothing defined makes a VARCHAR placeholder of it; a later redefinition is a
    change of unknown definition (CL506), never a type change from that invented VARCHAR (CL203, CL204)."""
    mysql = found(tmp_path, migration("ALTER TABLE `spy_x` ADD INDEX `i_code` (`code`);\n"
                                      "ALTER TABLE `spy_x` CHANGE `code` `code` INTEGER;"))
    assert [r for r in codes(mysql) if r[2] == 8] == [("CL502", "code", 8), ("CL506", "code", 8)]
    pgsql = found(tmp_path, migration('CREATE INDEX "i_code" ON "spy_x" ("code");\n'
                                      'ALTER TABLE "spy_x" ALTER COLUMN "code" TYPE INTEGER;'), folder=PGSQL_DIR)
    assert ("CL506", "code", 8) in codes(pgsql)
    assert not [r for r in codes(pgsql) if r[0] in ("CL203", "CL204")]
    down = found(tmp_path, migration("ALTER TABLE `spy_x` ALTER COLUMN `code` DROP DEFAULT;",
                                     "ALTER TABLE `spy_x` MODIFY `code` VARCHAR(32);"), "--down")
    assert ("CL506", "code", 15) in codes(down)
    assert not [r for r in codes(down) if r[0] in ("CL203", "CL204")]
