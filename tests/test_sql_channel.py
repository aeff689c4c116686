"""The migration channel: Propel migration classes and `.sql` files, linted on their own (`compatlint
lint-sql FILE...`) and together with the schema change of the same revisions (`compatlint check`).

(a) both shapes of `PropelMigration_*.php` are read without running PHP: the 2.0.0-beta1+ template
    (propelorm/Propel2 `templates/Manager/migration_template.php`: one nowdoc per connection) and the
    2.0.0-alpha12-and-earlier class body (`MigrationManager::getMigrationClassBody`, `return <var_export>;`);
(b) broken or hostile PHP is an input error (exit 2, one `path:line:` line) and is never executed;
(c) `.sql` files: sqlglot's Command fallbacks still understood, unparsable statements become CL504 and the
    run goes on, breaking DDL maps to the schema rules at the SQL line, `-- compatlint: allow` directives;
(d) `check` in real git repositories: committed migrations against the schema diff (CL503/CL505).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from compatlint.sql.lint import MigrationFile, statements_of
from compatlint.sql.php import PhpMigrationError, read_migration
from compatlint.sql.read import RenameTable, read_sql

MYSQL_DIR = "src/Orm/Propel/Migration_mysql"
PGSQL_DIR = "src/Orm/Propel/Migration_pgsql"
SCHEMA = "src/Pyz/Zed/Demo/Persistence/Propel/Schema/pyz_demo.schema.xml"

# MysqlPlatform.php L244-262 getBeginDDL / getEndDDL
MYSQL_BEGIN = ('\n# This is a fix for InnoDB in MySQL >= 4.1.x\n# It "suspends judgement" for fkey relationships until '
               'are tables are set.\nSET FOREIGN_KEY_CHECKS = 0;\n')
MYSQL_END = "\n# This restores the fkey checks, after having unset them earlier\nSET FOREIGN_KEY_CHECKS = 1;\n"


# --- writing migration files the way Propel does -------------------------------------------------------

def connection_variable(name: str) -> str:
    """MigrationManager::getConnectionToVariableName (L537-559): '$connection_' . preg_replace('/\\W/', '', $name)."""
    return "$connection_" + re.sub(r"\W", "", name)


def beta3_migration(timestamp: int, up: dict[str, str], down: dict[str, str]) -> str:
    """`templates/Manager/migration_template.php` at 2.0.0-beta3, rendered: PHP drops the newline right after
    `?>`, so `<?= $sql ?>` + newline + `EOT;` puts `EOT;` right after the SQL (which ends with "\\n"), and the
    class line and the author line lose their line ends."""

    def method(connections: dict[str, str]) -> str:
        text = ""
        for name, sql in connections.items():
            text += f"        {connection_variable(name)} = <<< 'EOT'\n{sql}EOT;\n\n"
        text += "        return [\n"
        for name in connections:
            text += f"            '{name}' => {connection_variable(name)},\n"
        return text + "        ];\n"

    hooks = ""
    for hook in ("preUp", "postUp", "preDown", "postDown"):
        kind = "pre" if hook.startswith("pre") else "post"
        hooks += (f"    /**\n     * @param \\Propel\\Generator\\Manager\\MigrationManager $manager\n     *\n"
                  f"     * @return null|false|void\n     */\n    public function {hook}(MigrationManager $manager)\n"
                  f"    {{\n        // add the {kind}-migration code here\n    }}\n\n")
    return (
        "<?php\nuse Propel\\Generator\\Manager\\MigrationManager;\n\n/**\n"
        " * Data object containing the SQL and PHP code to migrate the database\n"
        f" * up to version {timestamp}.\n * Generated on 2023-11-09 17:16:40 by sebas */\n"
        f"class PropelMigration_{timestamp}{{\n"
        "    /**\n     * @var string\n     */\n    public $comment = '';\n\n"
        + hooks
        + "    /**\n     * Get the SQL statements for the Up migration\n     *\n"
        "     * @return array list of the SQL strings to execute for the Up migration\n"
        "     *               the keys being the datasources\n     */\n"
        "    public function getUpSQL(): array\n    {\n" + method(up) + "    }\n\n"
        "    /**\n     * Get the SQL statements for the Down migration\n     *\n"
        "     * @return array list of the SQL strings to execute for the Down migration\n"
        "     *               the keys being the datasources\n     */\n"
        "    public function getDownSQL(): array\n    {\n" + method(down) + "    }\n\n}\n"
    )


def var_export(value) -> str:
    """PHP var_export(..., true) of a string or a string-keyed array of strings."""
    if isinstance(value, str):
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
    return "array (\n" + "".join(f"  {var_export(k)} => {var_export(v)},\n" for k, v in value.items()) + ")"


def alpha12_migration(timestamp: int, up: dict[str, str], down: dict[str, str]) -> str:
    """MigrationManager::getMigrationClassBody at 2.0.0-alpha12 (L403-471): the heredoc class body with
    `return $migrationUpString;` where the string is var_export($migrationsUp, true)."""
    hooks = "".join(f"    public function {hook}(MigrationManager \\$manager)\n    {{\n"
                    f"        // add the {'pre' if hook.startswith('pre') else 'post'}-migration code here\n    }}\n\n"
                    for hook in ("preUp", "postUp", "preDown", "postDown")).replace("\\$", "$")
    return (
        "<?php\n\nuse Propel\\Generator\\Manager\\MigrationManager;\n\n/**\n"
        " * Data object containing the SQL and PHP code to migrate the database\n"
        f" * up to version {timestamp}.\n * Generated on 2017-07-14 02:40:00 by clement\n */\n"
        f"class PropelMigration_{timestamp}\n{{\n    public $comment = '';\n\n" + hooks
        + "    /**\n     * Get the SQL statements for the Up migration\n     *\n"
        "     * @return array list of the SQL strings to execute for the Up migration\n"
        "     *               the keys being the datasources\n     */\n"
        f"    public function getUpSQL()\n    {{\n        return {var_export(up)};\n    }}\n\n"
        "    /**\n     * Get the SQL statements for the Down migration\n     *\n"
        "     * @return array list of the SQL strings to execute for the Down migration\n"
        "     *               the keys being the datasources\n     */\n"
        f"    public function getDownSQL()\n    {{\n        return {var_export(down)};\n    }}\n\n}}"
    )


def line_of(text: str, needle: str, start: int = 1) -> int:
    """1-based number of the first line at or after `start` that contains `needle`."""
    for number, line in enumerate(text.split("\n"), 1):
        if number >= start and needle in line:
            return number
    raise AssertionError(f"{needle!r} not in the text")


def write(root: Path, rel: str, text: str) -> str:
    target = root / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return rel


# --- running the CLI -------------------------------------------------------------------------------------

from cli_runner import Run, cli  # noqa: E402


def findings(run: Run) -> list[tuple]:
    """(code, table, column, path, line) of every finding of a JSON report."""
    return sorted((f["code"], f["table"], f["column"], f["path"], f["line"]) for f in run.json()["findings"])


# =========================================================================================================
# (a) both migration file shapes
# =========================================================================================================

MYSQL_UP = MYSQL_BEGIN + """
ALTER TABLE `pyz_demo`

  DROP `legacy_code`;
""" + MYSQL_END
MYSQL_DOWN = MYSQL_BEGIN + """
ALTER TABLE `pyz_demo`

  ADD `legacy_code` VARCHAR(32) AFTER `name`;
""" + MYSQL_END


def test_beta3_nowdoc_migration_is_read_with_its_lines(tmp_path):
    text = beta3_migration(1699550200, {"zed": MYSQL_UP}, {"zed": MYSQL_DOWN})
    path = f"{MYSQL_DIR}/PropelMigration_1699550200.php"
    [part] = read_migration(text.encode(), path)  # getUpSQL only by default
    assert (part.path, part.connection, part.direction) == (path, "zed", "up")
    # the nowdoc's value is the SQL without the newline before `EOT;`
    assert part.sql.lstrip("\n") == MYSQL_UP[:-1].lstrip("\n")
    statements = statements_of(MigrationFile(path, text.encode(), "mysql"))
    up_starts = line_of(text, "public function getUpSQL")
    assert [(s.text, s.origin.path, s.origin.line) for s in statements] == [
        ("SET FOREIGN_KEY_CHECKS = 0", path, line_of(text, "SET FOREIGN_KEY_CHECKS = 0;", up_starts)),
        ("ALTER TABLE `pyz_demo`\n\n  DROP `legacy_code`", path, line_of(text, "ALTER TABLE `pyz_demo`", up_starts)),
        ("SET FOREIGN_KEY_CHECKS = 1", path, line_of(text, "SET FOREIGN_KEY_CHECKS = 1;", up_starts)),
    ]
    # the Propel template has a fixed layout: the first statement is 4 lines below `<<< 'EOT'`
    assert statements[0].origin.line == line_of(text, "$connection_zed = <<< 'EOT'") + 4


def test_alpha12_var_export_migration_is_read_with_escaped_quotes(tmp_path):
    # MySQL's quote() is addslashes (MysqlPlatform L1017-1020), var_export escapes that again
    up = MYSQL_BEGIN + "\nALTER TABLE `pyz_demo`\n\n  ADD `status` VARCHAR(16) DEFAULT 'it\\'s' AFTER `name`;\n" + MYSQL_END
    text = alpha12_migration(1500000000, {"zed": up}, {"zed": "\nDROP TABLE IF EXISTS `pyz_demo`;\n"})
    assert "DEFAULT \\'it\\\\\\'s\\'" in text  # as var_export writes it
    path = f"{MYSQL_DIR}/PropelMigration_1500000000.php"
    [part] = read_migration(text.encode(), path)
    assert part.sql == up  # the exact PHP string value
    assert part.line == line_of(text, "'zed' => '")  # the string's first character: the newline after the quote
    statements = statements_of(MigrationFile(path, text.encode(), "mysql"))
    assert statements[0].text == "SET FOREIGN_KEY_CHECKS = 0"
    assert statements[0].origin.line == line_of(text, "SET FOREIGN_KEY_CHECKS = 0;") == part.line + 3
    alter = statements[1]
    assert alter.text == "ALTER TABLE `pyz_demo`\n\n  ADD `status` VARCHAR(16) DEFAULT 'it\\'s' AFTER `name`"
    assert alter.origin.line == line_of(text, "ALTER TABLE `pyz_demo`")
    assert alter.actions[0].column.default.value == "it's"
    assert [s.kind for s in statements] == ["set", "alter", "set"]


def test_alpha12_migration_findings_point_at_sql_lines(tmp_path):
    # a quote in an identifier: var_export writes `it\'s`, PHP's value (and the SQL) has `it's`
    up = MYSQL_BEGIN + "\nALTER TABLE `pyz_demo` DROP `it's`;\n" + MYSQL_END
    text = alpha12_migration(1500000000, {"zed": up}, {"zed": ""})
    assert "DROP `it\\'s`;" in text
    path = write(tmp_path, f"{MYSQL_DIR}/PropelMigration_1500000000.php", text)
    run = cli(tmp_path, "lint-sql", path, "--format", "json")
    assert run.exit_code == 1, run
    assert findings(run) == [("CL102", "pyz_demo", "it's", path, line_of(text, "ALTER TABLE `pyz_demo` DROP"))]


def test_getdownsql_is_read_only_with_down(tmp_path):
    down = MYSQL_BEGIN + "\nDROP TABLE IF EXISTS `pyz_legacy`;\n" + MYSQL_END
    up = MYSQL_BEGIN + "\nALTER TABLE `pyz_demo`\n\n  ADD `note` VARCHAR(255) AFTER `name`;\n" + MYSQL_END
    text = beta3_migration(1699550201, {"zed": up}, {"zed": down})
    path = write(tmp_path, f"{MYSQL_DIR}/PropelMigration_1699550201.php", text)
    parts = read_migration(text.encode(), path, ("up", "down"))
    assert [(p.connection, p.direction) for p in parts] == [("zed", "up"), ("zed", "down")]

    plain = cli(tmp_path, "lint-sql", path, "--format", "json")
    assert plain.exit_code == 0, plain
    assert findings(plain) == []
    with_down = cli(tmp_path, "lint-sql", "--down", path, "--format", "json")
    assert with_down.exit_code == 1, with_down
    drop_line = line_of(text, "DROP TABLE IF EXISTS `pyz_legacy`;")
    assert drop_line > line_of(text, "public function getDownSQL")
    assert findings(with_down) == [("CL101", "pyz_legacy", None, path, drop_line)]


def test_several_connections_are_all_read(tmp_path):
    zed = MYSQL_BEGIN + "\nALTER TABLE `pyz_demo`\n\n  DROP `legacy_code`;\n" + MYSQL_END
    archive = MYSQL_BEGIN + "\nALTER TABLE `pyz_archive`\n\n  DROP `payload`;\n" + MYSQL_END
    text = beta3_migration(1699550202, {"zed": zed, "zed-archive": archive}, {"zed": "", "zed-archive": ""})
    assert "$connection_zedarchive = <<< 'EOT'" in text and "'zed-archive' => $connection_zedarchive," in text
    path = write(tmp_path, f"{MYSQL_DIR}/PropelMigration_1699550202.php", text)
    parts = read_migration(text.encode(), path)
    assert [(p.connection, p.line) for p in parts] == [
        ("zed", line_of(text, "$connection_zed = <<< 'EOT'")),
        ("zed-archive", line_of(text, "$connection_zedarchive = <<< 'EOT'")),
    ]
    run = cli(tmp_path, "lint-sql", path, "--format", "json")
    assert run.exit_code == 1, run
    assert findings(run) == [
        ("CL102", "pyz_archive", "payload", path, line_of(text, "ALTER TABLE `pyz_archive`")),
        ("CL102", "pyz_demo", "legacy_code", path, line_of(text, "ALTER TABLE `pyz_demo`")),
    ]


# =========================================================================================================
# (b) broken and hostile PHP: exit 2, `path:line:` in one line, nothing executed
# =========================================================================================================

def hostile_class(body: str, before: str = "") -> str:
    """A migration class whose getUpSQL() body is `body` (getUpSQL() on line 5, its body from line 7)."""
    return f"<?php{before}\n\nclass PropelMigration_1700000000\n{{\n    public function getUpSQL(): array\n    {{\n{body}    }}\n}}\n"


# name -> (getUpSQL body or whole file, the line PHP itself would report, the message)
HOSTILE = {
    # two adjacent string literals: PHP's "unexpected single-quoted string" is on line 8
    "syntax-adjacent-strings": (
        "        return [\n            'zed' => 'ALTER TABLE `pyz_demo` DROP `note`;' 'oops',\n        ];\n",
        8, "PHP syntax error: cannot read the migration"),
    # no `;` after the closing nowdoc marker: PHP's "unexpected token return" is on line 11
    "syntax-nowdoc-not-closed": (
        ("        system('touch {marker}');\n        $connection_zed = <<< 'EOT'\nDROP TABLE `pyz_demo`;\nEOT\n"
        "        return [\n            'zed' => $connection_zed,\n        ];\n"),
        11, "PHP syntax error: cannot read the migration"),
    "variable-from-a-call": (
        ("        $connection_zed = shell_exec('touch {marker}; echo DROP TABLE pyz_demo');\n"
        "        return [\n            'zed' => $connection_zed,\n        ];\n"),
        7, "unsupported expression (function_call_expression) in the returned SQL; compatlint reads literals only"),
    "variable-never-assigned": (
        "        return [\n            'zed' => $sql,\n        ];\n",
        8, "$sql is not assigned a literal in this method"),
    "returned-method-call": (
        "        return $this->sql('{marker}');\n",
        7, "the returned value must be an array literal, not member_call_expression"),
    "double-quoted-interpolation": (
        ("        $table = 'pyz_demo';\n        return [\n"
        "            'zed' => \"DROP TABLE {$table}; -- {${touch('{marker}')}}\",\n        ];\n"),
        9, "double-quoted string with interpolation is not read (PHP is never executed)"),
    "heredoc-interpolation": (
        ("        $x = 'pyz_demo';\n        $connection_zed = <<<EOT\nDROP TABLE {$x}; -- {${touch('{marker}')}}\nEOT;\n"
        "        return [\n            'zed' => $connection_zed,\n        ];\n"),
        8, "heredoc with interpolation is not read (PHP is never executed)"),
}
# Code Propel would run (MigrationManager requires the file and calls getUpSQL()) but that is not part of
# the returned literal: compatlint cannot know what it does, so it must refuse the file too.
SIDE_EFFECTS = {
    "system-call-in-getupsql": (
        ("        system('touch {marker}');\n        return [\n"
        "            'zed' => 'ALTER TABLE `pyz_demo` ADD `note` VARCHAR(255);',\n        ];\n"),
        7),
    "top-level-system-call": ("FILE", 1),
}


def hostile_file(name: str, marker: Path) -> tuple[str, int, str | None]:
    if name in HOSTILE:
        body, line, message = HOSTILE[name]
        return hostile_class(body.replace("{marker}", str(marker))), line, message
    body, line = SIDE_EFFECTS[name]
    if body == "FILE":
        return hostile_class("        return [\n            'zed' => 'ALTER TABLE `pyz_demo` ADD `note` VARCHAR(255);',\n"
                             "        ];\n", before=f" system('touch {marker}');"), line, None
    return hostile_class(body.replace("{marker}", str(marker))), line, None


def run_hostile(tmp_path: Path, name: str) -> tuple[Run, str, int, str | None, Path]:
    marker = tmp_path / "executed.marker"
    text, line, message = hostile_file(name, marker)
    path = write(tmp_path, f"{MYSQL_DIR}/PropelMigration_1700000000.php", text)
    return cli(tmp_path, "lint-sql", path), path, line, message, marker


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_broken_or_hostile_php_is_an_input_error(tmp_path, name):
    run, path, line, message, marker = run_hostile(tmp_path, name)
    assert run.exit_code == 2, run
    assert run.stdout == ""
    assert run.stderr == f"compatlint: error: {path}:{line}: {message}\n"
    assert not marker.exists()


@pytest.mark.parametrize("name", sorted(SIDE_EFFECTS))
def test_php_with_side_effects_is_an_input_error(tmp_path, name):
    run, path, line, _, marker = run_hostile(tmp_path, name)
    assert not marker.exists()
    assert run.exit_code == 2, run
    assert re.fullmatch(rf"compatlint: error: {re.escape(path)}:{line}: .+\n", run.stderr), run.stderr


@pytest.mark.parametrize("name", sorted([*HOSTILE, *SIDE_EFFECTS]))
def test_php_is_never_executed(tmp_path, name):
    run, _, _, _, marker = run_hostile(tmp_path, name)
    assert not marker.exists(), run


def test_php_reader_error_carries_path_and_line():
    text, line, message = hostile_file("variable-never-assigned", Path("/nonexistent/marker"))
    with pytest.raises(PhpMigrationError) as caught:
        read_migration(text.encode(), "m.php")
    assert (caught.value.path, caught.value.line, caught.value.message) == ("m.php", line, message)
    assert str(caught.value) == f"m.php:{line}: {message}"


def test_other_literal_forms_are_read():
    """Heredocs without interpolation and concatenations of literals (php.py docstring); the SQL's line is
    the line its first character is on."""
    heredoc = hostile_class("        $c = <<<EOT\nALTER TABLE `pyz_demo` DROP `a`;\nEOT;\n        return ['zed' => $c];\n")
    [part] = read_migration(heredoc.encode(), "m.php")
    assert part.sql.strip() == "ALTER TABLE `pyz_demo` DROP `a`;"
    assert [s.origin.line for s in read_sql(part.sql, "m.php", "mysql", part.line)] == [8]
    concat = hostile_class("        return [\n            'zed' => 'ALTER TABLE `a` '\n"
                           "                . 'DROP `b`;',\n        ];\n")
    [part] = read_migration(concat.encode(), "m.php")
    assert (part.sql, part.line) == ("ALTER TABLE `a` DROP `b`;", 8)


def test_heredoc_escape_sequences_are_php_values():
    text = hostile_class("        $c = <<<EOT\nALTER TABLE `pyz_demo` ADD `price` INTEGER COMMENT 'in \\$, see C:\\\\tmp';\n"
                         "EOT;\n        return ['zed' => $c];\n")
    assert "'in \\$, see C:\\\\tmp'" in text  # as written in the PHP file
    [part] = read_migration(text.encode(), "m.php")
    assert part.sql.strip() == "ALTER TABLE `pyz_demo` ADD `price` INTEGER COMMENT 'in $, see C:\\tmp';"


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # php.py's unicode_escape on "\\$"
def test_double_quoted_string_is_its_php_value():
    text = hostile_class("        return ['zed' => \"ALTER TABLE `pyz_demo` DROP `größe`; -- \\$\\n\"];\n")
    [part] = read_migration(text.encode(), "m.php")
    assert part.sql == "ALTER TABLE `pyz_demo` DROP `größe`; -- $\n"


def test_a_broken_file_stops_the_run_even_after_good_ones(tmp_path):
    good = write(tmp_path, "good.sql", "ALTER TABLE `pyz_demo` DROP `a`;\n")
    text, line, message = hostile_file("syntax-adjacent-strings", tmp_path / "m")
    bad = write(tmp_path, f"{MYSQL_DIR}/PropelMigration_1700000000.php", text)
    run = cli(tmp_path, "lint-sql", good, bad)
    assert run.exit_code == 2 and run.stderr == f"compatlint: error: {bad}:{line}: {message}\n", run


# =========================================================================================================
# (c) .sql files on their own
# =========================================================================================================

SQL_FILE = """-- hand-written clean-up
RENAME TABLE `pyz_a` TO `pyz_b`;

THIS IS NOT SQL AT ALL;

ALTER TABLE `pyz_c` DROP `old_col`;

-- compatlint: allow CL501 reason="backfill reviewed with the team"
UPDATE `pyz_c` SET `x` = 1;

DELETE FROM `pyz_c` WHERE `x` = 2;
"""


def test_rename_table_command_fallback_is_understood():
    statements = read_sql("RENAME TABLE `pyz_a` TO `pyz_b`;\n", "m.sql", "mysql")
    [statement] = statements
    assert (statement.kind, statement.table, statement.actions) == ("rename_table", "pyz_a",
                                                                    (RenameTable("pyz_a", new_name="pyz_b"),))


def test_sql_file_findings_at_their_lines(tmp_path):
    path = write(tmp_path, "cleanup.sql", SQL_FILE)
    run = cli(tmp_path, "lint-sql", path, "--format", "json")
    assert run.exit_code == 1, run
    assert findings(run) == sorted([
        ("CL401", "pyz_a", None, path, 2),         # RENAME TABLE (sqlglot Command) = DROP + CREATE
        ("CL505", "pyz_a", None, path, 2),         # hand-written rename
        ("CL504", None, None, path, 4),            # not understood, kept
        ("CL102", "pyz_c", "old_col", path, 6),    # the run went on after CL504
        ("CL505", "pyz_c", "old_col", path, 6),
        ("CL501", "pyz_c", None, path, 11),        # the DELETE; the UPDATE's CL501 is allowed
    ])
    by_code = {(f["code"], f["line"]): f for f in run.json()["findings"]}
    assert '"THIS IS NOT SQL AT ALL"' in by_code[("CL504", 4)]["message"]
    assert by_code[("CL504", 4)]["severity"] == "error"  # an unchecked statement fails the gate by default
    assert by_code[("CL102", 6)]["severity"] == "error"


def test_sql_file_text_report(tmp_path):
    path = write(tmp_path, "cleanup.sql", SQL_FILE)
    run = cli(tmp_path, "lint-sql", path)
    assert run.exit_code == 1
    heads = [line for line in run.stdout.splitlines() if re.match(r"^\S+:\d+: CL\d{3} ", line)]
    assert heads == [
        f"{path}:2: CL401 table-renamed [error]",
        f"{path}:2: CL505 destructive-raw-sql [error]",
        f"{path}:4: CL504 unparsed-statement [error]",
        f"{path}:6: CL102 column-dropped [error]",
        f"{path}:6: CL505 destructive-raw-sql [error]",
        f"{path}:11: CL501 data-statement [warning]",
    ]


def test_allow_directive_needs_to_be_right_before_its_statement(tmp_path):
    moved = SQL_FILE.replace('-- compatlint: allow CL501 reason="backfill reviewed with the team"\n', "").replace(
        "DELETE FROM", '-- compatlint: allow CL501 reason="backfill reviewed with the team"\nDELETE FROM')
    path = write(tmp_path, "cleanup.sql", moved)
    run = cli(tmp_path, "lint-sql", path, "--format", "json")
    cl501 = [(f["line"], f["table"]) for f in run.json()["findings"] if f["code"] == "CL501"]
    assert cl501 == [(line_of(moved, "UPDATE `pyz_c`"), "pyz_c")]


def test_drop_column_alone_is_cl102_at_the_sql_line(tmp_path):
    path = write(tmp_path, "drop.sql", "\n\n-- release 42\nALTER TABLE `spy_customer`\n  DROP COLUMN `fax`;\n")
    run = cli(tmp_path, "lint-sql", path, "--format", "json", "--select", "CL102")
    assert run.exit_code == 1, run
    assert findings(run) == [("CL102", "spy_customer", "fax", path, 4)]


@pytest.mark.parametrize("platform, sql, expected", [
    ("mysql", "ALTER TABLE `pyz_c` CHANGE `a` `b` INTEGER;\n", [("CL402", "pyz_c", "a"), ("CL505", "pyz_c", "a")]),
    ("pgsql", 'ALTER TABLE "pyz_c" RENAME COLUMN "a" TO "b";\n', [("CL402", "pyz_c", "a"), ("CL505", "pyz_c", "a")]),
    ("pgsql", 'ALTER TABLE "pyz_d" RENAME TO "pyz_e";\n', [("CL401", "pyz_d", None), ("CL505", "pyz_d", None)]),
])
def test_renames_in_sql_map_to_the_rename_rules(tmp_path, platform, sql, expected):
    path = write(tmp_path, "rename.sql", "\n-- by hand\n" + sql)
    run = cli(tmp_path, "lint-sql", "--platform", platform, "--select", "CL4,CL505", path, "--format", "json")
    assert run.exit_code == 1, run
    assert findings(run) == [(*key, path, 3) for key in expected]


def test_postgres_sql_is_read_with_the_postgres_dialect_by_folder(tmp_path):
    sql = '\nBEGIN;\n\nALTER TABLE "pyz_demo"\n\n  DROP COLUMN "legacy_code";\n\nCOMMIT;\n'
    pg = write(tmp_path, f"{PGSQL_DIR}/hand.sql", sql)
    run = cli(tmp_path, "lint-sql", pg, "--format", "json")  # default platform mysql, folder says pgsql
    assert run.exit_code == 1, run
    assert findings(run) == [("CL102", "pyz_demo", "legacy_code", pg, 4), ("CL505", "pyz_demo", "legacy_code", pg, 4)]
    elsewhere = write(tmp_path, "hand.sql", sql)
    assert findings(cli(tmp_path, "lint-sql", "--platform", "pgsql", elsewhere, "--format", "json")) == [
        ("CL102", "pyz_demo", "legacy_code", elsewhere, 4), ("CL505", "pyz_demo", "legacy_code", elsewhere, 4)]


def test_unparsable_statement_in_a_pgsql_php_migration(tmp_path):
    """A PostgreSQL `DO $$ ... $$` block (its `;` inside the dollar quotes) is one statement the reader cannot
    translate: CL504 at its line in the PHP file, with its text; the statements after it are still linted."""
    up = '\nBEGIN;\n\nDO $$ BEGIN UPDATE "pyz_demo" SET "a" = 1; END $$;\n\nALTER TABLE "pyz_demo" DROP COLUMN "b";\n\nCOMMIT;\n'
    text = beta3_migration(1700000001, {"zed": up}, {"zed": ""})
    path = write(tmp_path, f"{PGSQL_DIR}/PropelMigration_1700000001.php", text)
    run = cli(tmp_path, "lint-sql", path, "--format", "json")
    assert run.exit_code == 1, run
    assert findings(run) == [("CL102", "pyz_demo", "b", path, line_of(text, 'DROP COLUMN "b"')),
                             ("CL504", None, None, path, line_of(text, "DO $$"))]
    [unparsed] = [f for f in run.json()["findings"] if f["code"] == "CL504"]
    assert 'DO $$ BEGIN UPDATE "pyz_demo" SET "a" = 1; END $$' in unparsed["message"]


# =========================================================================================================
# (d) `check`: committed migrations together with the schema change
# =========================================================================================================

def schema(*columns: str, other: bool = True) -> str:
    demo = ('    <table name="pyz_demo" idMethod="native">\n'
            '        <column name="id_demo" type="INTEGER" autoIncrement="true" primaryKey="true"/>\n'
            '        <column name="name" type="VARCHAR" size="64" required="true"/>\n'
            + "".join(f"        {c}\n" for c in columns) + "    </table>\n")
    other_table = ('    <table name="pyz_other" idMethod="native">\n'
                   '        <column name="id_other" type="INTEGER" autoIncrement="true" primaryKey="true"/>\n'
                   "    </table>\n") if other else ""
    return ('<?xml version="1.0"?>\n<database xmlns="spryker:schema-01" name="zed" namespace="Orm\\Zed\\Demo\\Persistence" '
            'package="src.Orm.Zed.Demo.Persistence">\n' + demo + other_table + "</database>\n")


NOTE = '<column name="note" type="VARCHAR" size="255"/>'
# What propel:diff writes for adding `note` (MysqlPlatform::getAddColumnDDL L923-950, merged by
# AlterTableStatementMerger; PgsqlPlatform: DefaultPlatform::getAddColumnDDL L1164-1175), wrapped by
# getBeginDDL/getEndDDL.
MYSQL_ADD_NOTE = MYSQL_BEGIN + "\nALTER TABLE `pyz_demo`\n\n  ADD `note` VARCHAR(255) AFTER `name`;\n" + MYSQL_END
MYSQL_DROP_NOTE = MYSQL_BEGIN + "\nALTER TABLE `pyz_demo`\n\n  DROP `note`;\n" + MYSQL_END
PGSQL_ADD_NOTE = '\nBEGIN;\n\nALTER TABLE "pyz_demo"\n\n  ADD "note" VARCHAR(255);\n\nCOMMIT;\n'
PGSQL_DROP_NOTE = '\nBEGIN;\n\nALTER TABLE "pyz_demo"\n\n  DROP COLUMN "note";\n\nCOMMIT;\n'
INITIAL = beta3_migration(1600000000, {"zed": MYSQL_BEGIN + "\nCREATE TABLE `pyz_demo` (`id_demo` INTEGER);\n" + MYSQL_END},
                          {"zed": ""})


def project(make_repo, *, migrations: bool = True):
    """A repository at the base revision: the schema, and (if the project commits them) a first migration."""
    repo = make_repo("project")
    repo.write(SCHEMA, schema())
    if migrations:
        repo.write(f"{MYSQL_DIR}/PropelMigration_1600000000.php", INITIAL)
    repo.commit("base")
    return repo


def check(repo, *args: str) -> Run:
    return cli(repo.path, "check", "--base", "HEAD~1", "--head", "HEAD", "--format", "json", *args)


def test_check_migration_matching_the_plan_has_no_drift(make_repo):
    repo = project(make_repo)
    repo.write(SCHEMA, schema(NOTE))
    repo.write(f"{MYSQL_DIR}/PropelMigration_1700000000.php",
               beta3_migration(1700000000, {"zed": MYSQL_ADD_NOTE}, {"zed": MYSQL_DROP_NOTE}))
    repo.commit("add note")
    run = check(repo)
    assert run.exit_code == 0, run
    assert findings(run) == []


def test_check_hand_written_drop_table_in_the_migration(make_repo):
    repo = project(make_repo)
    repo.write(SCHEMA, schema(NOTE))
    up = MYSQL_ADD_NOTE.replace(MYSQL_END, "\nDROP TABLE IF EXISTS `pyz_other`;\n" + MYSQL_END)
    text = beta3_migration(1700000000, {"zed": up}, {"zed": MYSQL_DROP_NOTE})
    path = repo.write(f"{MYSQL_DIR}/PropelMigration_1700000000.php", text).relative_to(repo.path).as_posix()
    repo.commit("add note, drop pyz_other by hand")
    run = check(repo)
    assert run.exit_code == 1, run
    line = line_of(text, "DROP TABLE IF EXISTS `pyz_other`;")
    assert findings(run) == [
        ("CL101", "pyz_other", None, path, line),   # the schema rule, located at the SQL line
        ("CL503", "pyz_other", None, path, line),   # extra: the schema keeps pyz_other
        ("CL505", "pyz_other", None, path, line),   # hand-written: not what propel:diff generates
    ]
    drift = next(f for f in run.json()["findings"] if f["code"] == "CL503")
    assert drift["message"].startswith("the migration drops table pyz_other, which the schema change does not")


def test_check_schema_change_without_migration_where_migrations_are_committed(make_repo):
    repo = project(make_repo)
    repo.write(SCHEMA, schema(NOTE))
    repo.commit("add note, forget the migration")
    run = check(repo)
    assert run.exit_code == 0, run  # a warning
    [drift] = run.json()["findings"]
    assert (drift["code"], drift["table"], drift["column"], drift["severity"]) == ("CL503", "pyz_demo", "note", "warning")
    assert drift["path"] == SCHEMA and drift["line"] == line_of(schema(NOTE), 'name="note"')
    assert drift["message"].startswith("the schema change needs a new column pyz_demo.note, but the migration has no DDL")


def test_check_schema_change_in_a_project_without_migrations_is_no_drift(make_repo):
    repo = project(make_repo, migrations=False)
    repo.write(SCHEMA, schema(NOTE))
    repo.commit("add note")
    run = check(repo)
    assert run.exit_code == 0 and findings(run) == [], run


def test_check_migration_missing_part_of_the_schema_change(make_repo):
    repo = project(make_repo)
    repo.write(SCHEMA, schema(NOTE, '<column name="tier" type="VARCHAR" size="16"/>'))
    text = beta3_migration(1700000000, {"zed": MYSQL_ADD_NOTE}, {"zed": MYSQL_DROP_NOTE})
    path = repo.write(f"{MYSQL_DIR}/PropelMigration_1700000000.php", text).relative_to(repo.path).as_posix()
    repo.commit("add note and tier, migration only has note")
    run = check(repo)
    assert findings(run) == [("CL503", "pyz_demo", "tier", path, line_of(text, "SET FOREIGN_KEY_CHECKS = 0;"))]


def test_check_reads_a_pgsql_migration_with_the_postgres_dialect(make_repo):
    repo = project(make_repo)
    repo.write(SCHEMA, schema(NOTE))
    up = PGSQL_ADD_NOTE.replace("\nCOMMIT;\n", '\nALTER TABLE "pyz_demo" DROP COLUMN "name";\n\nCOMMIT;\n')
    text = beta3_migration(1700000000, {"zed": up}, {"zed": PGSQL_DROP_NOTE})
    path = repo.write(f"{PGSQL_DIR}/PropelMigration_1700000000.php", text).relative_to(repo.path).as_posix()
    repo.commit("pgsql migration")
    run = check(repo)  # the configured platform stays mysql: the folder decides
    assert run.exit_code == 1, run
    line = line_of(text, 'DROP COLUMN "name"')
    assert findings(run) == [
        ("CL102", "pyz_demo", "name", path, line),
        ("CL503", "pyz_demo", "name", path, line),
        ("CL505", "pyz_demo", "name", path, line),
    ]
    # without the hand-written statement the PostgreSQL migration is exactly Propel's: nothing to report
    repo.write(path, beta3_migration(1700000000, {"zed": PGSQL_ADD_NOTE}, {"zed": PGSQL_DROP_NOTE}))
    repo.commit("regenerated")
    clean = cli(repo.path, "check", "--base", "HEAD~2", "--head", "HEAD", "--format", "json")
    assert clean.exit_code == 0 and findings(clean) == [], clean


def test_check_breaking_change_with_its_propel_migration_reports_each_finding_once(make_repo):
    """The migration propel:diff writes for a breaking change carries the same events as the schema diff: the
    findings are reported once (at the schema files), with no drift and nothing hand-written."""
    base_columns = ('<column name="points_total" type="INTEGER" required="true" default="0"/>',
                    '<column name="legacy_code" type="VARCHAR" size="32"/>',
                    '<column name="referral_code" type="VARCHAR" size="16"/>')
    repo = make_repo("project")
    repo.write(SCHEMA, schema(*base_columns))
    repo.write(f"{MYSQL_DIR}/PropelMigration_1600000000.php", INITIAL)
    repo.commit("base")
    head = schema('<column name="points_balance" type="INTEGER" required="true" default="0"/>',
                  '<column name="referral_code" type="VARCHAR" size="16"/>',
                  '<unique name="pyz_demo-referral_code"><unique-column name="referral_code"/></unique>')
    repo.write(SCHEMA, head)
    # getModifyTableDDL: rename (CHANGE, MysqlPlatform L854-857) and removed column merged, then the unique
    up = (MYSQL_BEGIN + "\nALTER TABLE `pyz_demo`\n\n  CHANGE `points_total` `points_balance` INTEGER DEFAULT 0 NOT NULL,"
          "\n\n  DROP `legacy_code`;\n\nCREATE UNIQUE INDEX `pyz_demo-referral_code` ON `pyz_demo` (`referral_code`);\n"
          + MYSQL_END)
    repo.write(f"{MYSQL_DIR}/PropelMigration_1700000000.php", beta3_migration(1700000000, {"zed": up}, {"zed": ""}))
    repo.commit("rename, drop, unique")
    run = check(repo)
    assert run.exit_code == 1, run
    base = schema(*base_columns)
    assert findings(run) == [
        ("CL102", "pyz_demo", "legacy_code", SCHEMA, line_of(base, 'name="legacy_code"')),
        ("CL301", "pyz_demo", "referral_code", SCHEMA, line_of(head, "<unique ")),
        ("CL402", "pyz_demo", "points_total", SCHEMA, line_of(base, 'name="points_total"')),
    ]
