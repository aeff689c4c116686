"""`compatlint plan`: the SQL `propel:diff` (propelorm/Propel2 2.0.0-beta3) writes for a schema change.

Every expected string below is Propel's, never our generator's:
- where our before/after schemas are exactly the ones of Propel's own tests, the expectation is the
  string those tests assert (`tests/Propel/Tests/Generator/Platform/{Mysql,Pgsql}PlatformMigrationTest.php`,
  `{Mysql,Pgsql}PlatformTest.php`, schemas from `PlatformMigrationTestProvider.php` /
  `PlatformTestProvider.php`), cited per case;
- otherwise it is derived by reading Propel's PHP source (method cited next to the string).

A migration is `getModifyDatabaseDDL($databaseDiff)`; for one table it is `getModifyTableDDL($tableDiff)`:
drop removed FKs, drop changed FKs, drop removed indices, drop changed indices, ONE
`AlterTableStatementMerger::merge()` of [drop PK, renamed columns, modified columns, added columns,
removed columns, add PK], then add changed indices, added indices, changed FKs, added FKs
(DefaultPlatform.php L871-943; PgsqlPlatform.php L617-628 prepends sequence statements). Propel's own
tests of the helpers (`getModifyTableColumnsDDL`, `getModifyTableIndicesDDL`, ...) show unmerged
statements in the helpers' order; through `getModifyTableDDL` they are merged and re-ordered as above.
The merger (AlterTableStatementMerger.php L67-119) joins consecutive `ALTER TABLE <t> ...` pieces (not
RENAME) into "ALTER TABLE <t>\\n\\n  A,\\n\\n  B;\\n", writes any other piece as "piece;" (no newline),
and returns "\\n" + blocks joined by "\\n\\n" -- so a table without column changes leaves a lone "\\n".

Spryker never passes `--table-renaming`, so a renamed table is DROP + CREATE.
compatlint orders added/removed tables by name (generate.py docstring); the cases here declare tables
in name order, so that is also Propel's declaration order.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from compatlint.api import load_schema
from compatlint.cli import main
from compatlint.diff import diff_schemas
from compatlint.loaders.merge import SchemaFile
from compatlint.sql.generate import Statement, plan, render
from compatlint.testing import wrap_tables

ROOT = Path(__file__).resolve().parent.parent
PATH = "src/Pyz/Zed/Demo/Persistence/Propel/Schema/pyz_demo.schema.xml"
PLATFORMS = ("mysql", "pgsql")

# MysqlPlatform.php L244-262 getBeginDDL / getEndDDL (verbatim literals)
MYSQL_BEGIN = """
# This is a fix for InnoDB in MySQL >= 4.1.x
# It "suspends judgement" for fkey relationships until are tables are set.
SET FOREIGN_KEY_CHECKS = 0;
"""
MYSQL_END = """
# This restores the fkey checks, after having unset them earlier
SET FOREIGN_KEY_CHECKS = 1;
"""
# PgsqlPlatform.php L337-352 getBeginDDL / getEndDDL
PGSQL_BEGIN = "\nBEGIN;\n"
PGSQL_END = "\nCOMMIT;\n"


def wrap(platform: str, body: str) -> str:
    """getModifyDatabaseDDL: `if ($ret) { $ret = getBeginDDL() . $ret . getEndDDL(); }`."""
    if not body:
        return ""
    return (MYSQL_BEGIN + body + MYSQL_END) if platform == "mysql" else (PGSQL_BEGIN + body + PGSQL_END)


# --- helpers ------------------------------------------------------------------------------------

def load(tables_xml: str, platform: str):
    """One schema file holding these tables ("" = a database without tables)."""
    text = wrap_tables(tables_xml if tables_xml.strip() else "<!-- no table -->")
    schema, problems = load_schema([SchemaFile(PATH, text.encode())], platform)
    assert not [p for p in problems if p.kind == "invalid-file"], problems
    return schema


def planned(before: str, after: str, platform: str) -> list[Statement]:
    return plan(diff_schemas(load(before, platform), load(after, platform)), platform)


def migration(before: str, after: str, platform: str) -> str:
    return render(planned(before, after, platform), platform)


def table_ddl(statements: list[Statement], table: str) -> str:
    """What Propel writes for one table: the concatenated text of its statements."""
    return "".join(s.text for s in statements if s.table == table)


def id_pk(name: str = "id") -> str:
    return f'<column name="{name}" primaryKey="true" type="INTEGER" autoIncrement="true"/>'


def table(name: str, *children: str, **attrs: str) -> str:
    extra = "".join(f' {k}="{v}"' for k, v in attrs.items())
    return f'<table name="{name}"{extra}>' + "".join(children) + "</table>"


def foo(*columns: str, name: str = "foo") -> str:
    return table(name, id_pk(), *columns)


# --- 1. the database level (providerForTestGetModifyDatabaseDDL, PlatformMigrationTestProvider L27-69) -----

MODIFY_DATABASE_BEFORE = (
    table("foo1", id_pk(), '<column name="blooopoo" type="INTEGER"/>')
    + table("foo2", id_pk(), '<column name="bar" type="INTEGER"/>',
            '<column name="baz" type="VARCHAR" size="12" required="true"/>')
    + table("foo3", id_pk(), '<column name="yipee" type="INTEGER"/>')
)
MODIFY_DATABASE_AFTER = (
    table("foo2", id_pk(), '<column name="bar1" type="INTEGER"/>',
          '<column name="baz" type="VARCHAR" size="12" required="false"/>',
          '<column name="baz3" type="LONGVARCHAR"/>')
    + table("foo4", id_pk(), '<column name="yipee" type="INTEGER"/>')
    + table("foo5", id_pk(), '<column name="lkdjfsh" type="INTEGER"/>', '<column name="dfgdsgf" type="LONGVARCHAR"/>')
)

# MysqlPlatformMigrationTest::testRenameTableDDL (L76-104), with `RENAME TABLE foo3 TO foo4` replaced by
# what Propel writes without --table-renaming (DatabaseComparator::compareTables L278-295 keeps foo3 in the
# removed and foo4 in the added tables): `DROP TABLE IF EXISTS foo3` after foo1 (MysqlPlatform
# getDropTableDDL L433-438) and `CREATE TABLE foo4` before foo5 (getAddTableDDL L299-364, added tables last,
# MysqlPlatform::getModifyDatabaseDDL L778-803).
MYSQL_MODIFY_DATABASE = MYSQL_BEGIN + """
DROP TABLE IF EXISTS `foo1`;

DROP TABLE IF EXISTS `foo3`;

ALTER TABLE `foo2`

  CHANGE `bar` `bar1` INTEGER,

  CHANGE `baz` `baz` VARCHAR(12),

  ADD `baz3` TEXT AFTER `baz`;

CREATE TABLE `foo4`
(
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `yipee` INTEGER,
    PRIMARY KEY (`id`)
) ENGINE=InnoDB;

CREATE TABLE `foo5`
(
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `lkdjfsh` INTEGER,
    `dfgdsgf` TEXT,
    PRIMARY KEY (`id`)
) ENGINE=InnoDB;
""" + MYSQL_END

# PgsqlPlatformMigrationTest::testGetModifyDatabaseDDL (L38-65), `ALTER TABLE foo3 RENAME TO foo4` replaced
# by `DROP TABLE IF EXISTS "foo3" CASCADE` (PgsqlPlatform getDropTableDDL L465-477) and `CREATE TABLE
# "foo4"` (PgsqlPlatform getAddTableDDL L372-421; serial: getColumnDDL L496-536) before foo5
# (DefaultPlatform::getModifyDatabaseDDL L811-840: removed, added, modified).
PGSQL_MODIFY_DATABASE = PGSQL_BEGIN + """
DROP TABLE IF EXISTS "foo1" CASCADE;

DROP TABLE IF EXISTS "foo3" CASCADE;

CREATE TABLE "foo4"
(
    "id" serial NOT NULL,
    "yipee" INTEGER,
    PRIMARY KEY ("id")
);

CREATE TABLE "foo5"
(
    "id" serial NOT NULL,
    "lkdjfsh" INTEGER,
    "dfgdsgf" TEXT,
    PRIMARY KEY ("id")
);

ALTER TABLE "foo2" RENAME COLUMN "bar" TO "bar1";

ALTER TABLE "foo2"

  ALTER COLUMN "baz" DROP NOT NULL,

  ADD "baz3" TEXT;
""" + PGSQL_END


@pytest.mark.parametrize("platform, expected", [("mysql", MYSQL_MODIFY_DATABASE), ("pgsql", PGSQL_MODIFY_DATABASE)])
def test_modify_database_matches_propel_without_table_renaming(platform, expected):
    assert migration(MODIFY_DATABASE_BEFORE, MODIFY_DATABASE_AFTER, platform) == expected


def test_no_change_is_no_sql():
    """getModifyDatabaseDDL returns '' when nothing changed: no begin/end wrapper either."""
    for platform in PLATFORMS:
        assert planned(MODIFY_DATABASE_BEFORE, MODIFY_DATABASE_BEFORE, platform) == []
        assert migration(MODIFY_DATABASE_BEFORE, MODIFY_DATABASE_BEFORE, platform) == ""


# --- 2. one table: FK/index drops, the merged ALTER, index/FK creation ---------------------------------
# providerForTestGetModifyTableDDL (PlatformMigrationTestProvider L76-133)

MODIFY_TABLE_BEFORE = """
<table name="foo">
    <column name="id" primaryKey="true" type="INTEGER" autoIncrement="true"/>
    <column name="bar" type="INTEGER"/>
    <column name="baz" type="VARCHAR" size="12" required="true"/>
    <foreign-key name="foo1_fk_1" foreignTable="foo2"><reference local="bar" foreign="bar"/></foreign-key>
    <foreign-key name="foo1_fk_2" foreignTable="foo2"><reference local="baz" foreign="baz"/></foreign-key>
    <index name="bar_fk"><index-column name="bar"/></index>
    <index name="bar_baz_fk"><index-column name="bar"/><index-column name="baz"/></index>
</table>
<table name="foo2">
    <column name="id" primaryKey="true" type="INTEGER" autoIncrement="true"/>
    <column name="bar" type="INTEGER"/>
    <column name="baz" type="VARCHAR" size="12" required="true"/>
</table>
"""
MODIFY_TABLE_AFTER = """
<table name="foo">
    <column name="id" primaryKey="true" type="INTEGER" autoIncrement="true"/>
    <column name="bar1" type="INTEGER"/>
    <column name="baz" type="VARCHAR" size="12" required="false"/>
    <column name="baz3" type="LONGVARCHAR"/>
    <foreign-key name="foo1_fk_1" foreignTable="foo2"><reference local="bar1" foreign="bar"/></foreign-key>
    <index name="bar_fk"><index-column name="bar1"/></index>
    <index name="baz_fk"><index-column name="baz3"/></index>
</table>
<table name="foo2">
    <column name="id" primaryKey="true" type="INTEGER" autoIncrement="true"/>
    <column name="bar" type="INTEGER"/>
    <column name="baz" type="VARCHAR" size="12" required="true"/>
</table>
"""

# MysqlPlatformMigrationTest::testGetModifyTableDDL (L127-154), verbatim
MYSQL_MODIFY_TABLE = """
ALTER TABLE `foo` DROP FOREIGN KEY `foo1_fk_2`;

ALTER TABLE `foo` DROP FOREIGN KEY `foo1_fk_1`;

DROP INDEX `bar_baz_fk` ON `foo`;

DROP INDEX `foo1_fi_2` ON `foo`;

DROP INDEX `bar_fk` ON `foo`;

ALTER TABLE `foo`

  CHANGE `bar` `bar1` INTEGER,

  CHANGE `baz` `baz` VARCHAR(12),

  ADD `baz3` TEXT AFTER `baz`;

CREATE INDEX `bar_fk` ON `foo` (`bar1`);

CREATE INDEX `baz_fk` ON `foo` (`baz3`);

ALTER TABLE `foo` ADD CONSTRAINT `foo1_fk_1`
    FOREIGN KEY (`bar1`)
    REFERENCES `foo2` (`bar`);
"""

# PgsqlPlatformMigrationTest::testGetModifyTableDDL (L88-115), verbatim
PGSQL_MODIFY_TABLE = """
ALTER TABLE "foo" DROP CONSTRAINT "foo1_fk_2";

ALTER TABLE "foo" DROP CONSTRAINT "foo1_fk_1";

DROP INDEX "bar_baz_fk";

DROP INDEX "bar_fk";

ALTER TABLE "foo" RENAME COLUMN "bar" TO "bar1";

ALTER TABLE "foo"

  ALTER COLUMN "baz" DROP NOT NULL,

  ADD "baz3" TEXT;

CREATE INDEX "bar_fk" ON "foo" ("bar1");

CREATE INDEX "baz_fk" ON "foo" ("baz3");

ALTER TABLE "foo" ADD CONSTRAINT "foo1_fk_1"
    FOREIGN KEY ("bar1")
    REFERENCES "foo2" ("bar");
"""


@pytest.mark.parametrize("platform, expected", [("mysql", MYSQL_MODIFY_TABLE), ("pgsql", PGSQL_MODIFY_TABLE)])
def test_modify_table_matches_propel(platform, expected):
    statements = planned(MODIFY_TABLE_BEFORE, MODIFY_TABLE_AFTER, platform)
    assert table_ddl(statements, "foo") == expected
    # foo2's own change (the Unique normalizeTable adds on FK target columns, DefaultPlatform L1565-1575,
    # is gone with foo1_fk_2) comes after foo: modified tables in name order.
    assert [s.table for s in statements if s.sql][-1] == "foo2"


# --- 3. primary key --------------------------------------------------------------------------------------
# Schemas modelled on providerForTestGetModifyTablePrimaryKeysDDL (L166-194) but changing only the key:
# MysqlPlatformMigrationTest::testGetModifyTablePrimaryKeysDDL (L181-186) and the Pgsql one (L144-151) give
# "ALTER TABLE `foo` DROP PRIMARY KEY;" / "ALTER TABLE "foo" DROP CONSTRAINT "foo_pkey";" and
# "ALTER TABLE .. ADD PRIMARY KEY (..,..);"; getModifyTableDDL merges them around the column changes.
# `bar` becoming part of the key turns NOT NULL (Column.php L334 isNotNull = required || primaryKey), a
# `notNull` change ColumnComparator reports (L79-81): MySQL CHANGE (getChangeColumnDDL L892-900),
# PostgreSQL "ALTER COLUMN .. SET NOT NULL" (getModifyColumnDDL L641-738).

PK_BEFORE = foo('<column name="bar" type="INTEGER"/>', '<column name="baz" type="VARCHAR" size="12" required="true"/>')
PK_AFTER = foo('<column name="bar" type="INTEGER" primaryKey="true"/>',
               '<column name="baz" type="VARCHAR" size="12" required="true"/>')
MYSQL_PK = """
ALTER TABLE `foo`

  DROP PRIMARY KEY,

  CHANGE `bar` `bar` INTEGER NOT NULL,

  ADD PRIMARY KEY (`id`,`bar`);
"""
PGSQL_PK = """
ALTER TABLE "foo"

  DROP CONSTRAINT "foo_pkey",

  ALTER COLUMN "bar" SET NOT NULL,

  ADD PRIMARY KEY ("id","bar");
"""


@pytest.mark.parametrize("platform, expected", [("mysql", MYSQL_PK), ("pgsql", PGSQL_PK)])
def test_primary_key_change(platform, expected):
    assert migration(PK_BEFORE, PK_AFTER, platform) == wrap(platform, expected)


# MysqlPlatform::getPrimaryKeyDDL (L271-292) moves the auto-increment column first; PostgreSQL keeps the
# table's column order (DefaultPlatform::getPrimaryKeyDDL L532-539). `bar` is required on both sides, so
# only the key changes.
PK_ORDER_BEFORE = table("foo", '<column name="bar" type="INTEGER" required="true"/>', id_pk())
PK_ORDER_AFTER = table("foo", '<column name="bar" type="INTEGER" required="true" primaryKey="true"/>', id_pk())


@pytest.mark.parametrize("platform, expected", [
    ("mysql", "\nALTER TABLE `foo`\n\n  DROP PRIMARY KEY,\n\n  ADD PRIMARY KEY (`id`,`bar`);\n"),
    ("pgsql", '\nALTER TABLE "foo"\n\n  DROP CONSTRAINT "foo_pkey",\n\n  ADD PRIMARY KEY ("bar","id");\n'),
])
def test_primary_key_auto_increment_column_first_on_mysql_only(platform, expected):
    assert migration(PK_ORDER_BEFORE, PK_ORDER_AFTER, platform) == wrap(platform, expected)


# --- 4. indices: providerForTestGetModifyTableIndicesDDL (L196-249), exactly -------------------------------

INDICES_BEFORE = """
<table name="foo">
    <column name="id" primaryKey="true" type="INTEGER" autoIncrement="true"/>
    <column name="bar" type="INTEGER"/>
    <column name="baz" type="VARCHAR" size="12" required="true"/>
    <column name="bax" type="VARCHAR" size="12" required="true"/>
    <index name="bar_fk"><index-column name="bar"/></index>
    <index name="bar_baz_fk"><index-column name="bar"/><index-column name="baz"/></index>
    <unique name="bax_unique"><unique-column name="bax"/></unique>
</table>
"""
INDICES_AFTER = """
<table name="foo">
    <column name="id" primaryKey="true" type="INTEGER" autoIncrement="true"/>
    <column name="bar" type="INTEGER"/>
    <column name="baz" type="VARCHAR" size="12" required="true"/>
    <column name="bay" type="VARCHAR" size="12" required="true"/>
    <column name="bax" type="VARCHAR" size="12" required="true"/>
    <index name="bar_baz_fk"><index-column name="id"/><index-column name="bar"/><index-column name="baz"/></index>
    <index name="baz_fk"><index-column name="baz"/></index>
    <unique name="bax_bay_unique"><unique-column name="bax"/><unique-column name="bay"/></unique>
</table>
"""
# The statements are those of MysqlPlatformMigrationTest::testGetModifyTableIndicesDDL (L196-209) /
# PgsqlPlatformMigrationTest (L161-176), in getModifyTableDDL's order (removed, changed-drop, columns,
# changed-add, added); the added column `bay` is MysqlPlatform::getAddColumnDDL (L923-950, AFTER the
# previous column of the to-table) / DefaultPlatform::getAddColumnDDL (L1164-1175), merged.
MYSQL_INDICES = """
DROP INDEX `bar_fk` ON `foo`;

DROP INDEX `bax_unique` ON `foo`;

DROP INDEX `bar_baz_fk` ON `foo`;

ALTER TABLE `foo`

  ADD `bay` VARCHAR(12) NOT NULL AFTER `baz`;

CREATE INDEX `bar_baz_fk` ON `foo` (`id`, `bar`, `baz`);

CREATE INDEX `baz_fk` ON `foo` (`baz`);

CREATE UNIQUE INDEX `bax_bay_unique` ON `foo` (`bax`, `bay`);
"""
PGSQL_INDICES = """
DROP INDEX "bar_fk";

ALTER TABLE "foo" DROP CONSTRAINT "bax_unique";

DROP INDEX "bar_baz_fk";

ALTER TABLE "foo"

  ADD "bay" VARCHAR(12) NOT NULL;

CREATE INDEX "bar_baz_fk" ON "foo" ("id","bar","baz");

CREATE INDEX "baz_fk" ON "foo" ("baz");

ALTER TABLE "foo" ADD CONSTRAINT "bax_bay_unique" UNIQUE ("bax","bay");
"""


@pytest.mark.parametrize("platform, expected", [("mysql", MYSQL_INDICES), ("pgsql", PGSQL_INDICES)])
def test_indices(platform, expected):
    assert migration(INDICES_BEFORE, INDICES_AFTER, platform) == wrap(platform, expected)


# --- 5. foreign keys: providerForTestGetModifyTableForeignKeysDDL (L251-303), exactly ----------------------

FKS_BEFORE = """
<table name="foo1">
    <column name="id" primaryKey="true" type="INTEGER" autoIncrement="true"/>
    <column name="bar" type="INTEGER"/>
    <column name="baz" type="VARCHAR" size="12" required="true"/>
    <foreign-key name="foo1_fk_1" foreignTable="foo2"><reference local="bar" foreign="bar"/></foreign-key>
    <foreign-key name="foo1_fk_2" foreignTable="foo2">
        <reference local="bar" foreign="bar"/><reference local="baz" foreign="baz"/>
    </foreign-key>
</table>
<table name="foo2">
    <column name="id" primaryKey="true" type="INTEGER" autoIncrement="true"/>
    <column name="bar" type="INTEGER"/>
    <column name="baz" type="VARCHAR" size="12" required="true"/>
</table>
"""
FKS_AFTER = """
<table name="foo1">
    <column name="id" primaryKey="true" type="INTEGER" autoIncrement="true"/>
    <column name="bar" type="INTEGER"/>
    <column name="baz" type="VARCHAR" size="12" required="true"/>
    <foreign-key name="foo1_fk_2" foreignTable="foo2">
        <reference local="bar" foreign="bar"/><reference local="id" foreign="id"/>
    </foreign-key>
    <foreign-key name="foo1_fk_3" foreignTable="foo2"><reference local="baz" foreign="baz"/></foreign-key>
</table>
<table name="foo2">
    <column name="id" primaryKey="true" type="INTEGER" autoIncrement="true"/>
    <column name="bar" type="INTEGER"/>
    <column name="baz" type="VARCHAR" size="12" required="true"/>
</table>
"""
# FK statements: MysqlPlatformMigrationTest::testGetModifyTableForeignKeysDDL (L217-238) / Pgsql (L184-204),
# in getModifyTableDDL's order (drop removed fk_1, drop changed fk_2, [no column change: the merger's lone
# "\n"], add changed fk_2, add added fk_3).
# MySQL only: Table::addExtraIndices (Table.php L357-420, called for MySQL from setupReferrers L884-886)
# indexes FK columns no index starts with, named by replacing the last "fk_" with "fi_": before foo1_fi_1
# (bar), foo1_fi_2 (bar,baz); after foo1_fi_2 (bar,id), foo1_fi_3 (baz). So foo1_fi_1 is removed, foo1_fi_2
# changed and foo1_fi_3 added (IndexComparator), dropped/created with MysqlPlatform::getDropIndexDDL
# (L638-649) / getAddIndexDDL (L616-629).
MYSQL_FKS = """
ALTER TABLE `foo1` DROP FOREIGN KEY `foo1_fk_1`;

ALTER TABLE `foo1` DROP FOREIGN KEY `foo1_fk_2`;

DROP INDEX `foo1_fi_1` ON `foo1`;

DROP INDEX `foo1_fi_2` ON `foo1`;


CREATE INDEX `foo1_fi_2` ON `foo1` (`bar`, `id`);

CREATE INDEX `foo1_fi_3` ON `foo1` (`baz`);

ALTER TABLE `foo1` ADD CONSTRAINT `foo1_fk_2`
    FOREIGN KEY (`bar`,`id`)
    REFERENCES `foo2` (`bar`,`id`);

ALTER TABLE `foo1` ADD CONSTRAINT `foo1_fk_3`
    FOREIGN KEY (`baz`)
    REFERENCES `foo2` (`baz`);
"""
PGSQL_FKS = """
ALTER TABLE "foo1" DROP CONSTRAINT "foo1_fk_1";

ALTER TABLE "foo1" DROP CONSTRAINT "foo1_fk_2";


ALTER TABLE "foo1" ADD CONSTRAINT "foo1_fk_2"
    FOREIGN KEY ("bar","id")
    REFERENCES "foo2" ("bar","id");

ALTER TABLE "foo1" ADD CONSTRAINT "foo1_fk_3"
    FOREIGN KEY ("baz")
    REFERENCES "foo2" ("baz");
"""


@pytest.mark.parametrize("platform, expected", [("mysql", MYSQL_FKS), ("pgsql", PGSQL_FKS)])
def test_foreign_keys(platform, expected):
    assert table_ddl(planned(FKS_BEFORE, FKS_AFTER, platform), "foo1") == expected


# providerForTestGetModifyTableForeignKeysSkipSqlDDL (L305-336): foo1_fk_1 becomes skipSql. The FKs match by
# name and differ in skipSql (ForeignKeyComparator L31-107), so it is "modified": dropped with
# getDropForeignKeyDDL(from), re-added with getAddForeignKeyDDL(to) = '' (skipSql, DefaultPlatform L700-714).
# Statement text: MysqlPlatformMigrationTest::testGetModifyTableForeignKeysSkipSqlDDL (L240-260) / Pgsql
# (L209-230); the reverse diff adds it back. The MySQL index foo1_fi_1 stays on both sides: addExtraIndices
# loops over every FK, skipSql or not (Table.php L403-419; MysqlPlatformTest::testGetAddTableDDLForeignKeySkipSql
# L338-364 shows the `fi_` index of a skipSql FK in CREATE TABLE).
SKIPSQL_BEFORE = """
<table name="foo1">
    <column name="id" primaryKey="true" type="INTEGER" autoIncrement="true"/>
    <column name="bar" type="INTEGER"/>
    <foreign-key name="foo1_fk_1" foreignTable="foo2"><reference local="bar" foreign="bar"/></foreign-key>
</table>
<table name="foo2">
    <column name="id" primaryKey="true" type="INTEGER" autoIncrement="true"/>
    <column name="bar" type="INTEGER"/>
</table>
"""
SKIPSQL_AFTER = SKIPSQL_BEFORE.replace('foreignTable="foo2">', 'foreignTable="foo2" skipSql="true">')


@pytest.mark.parametrize("platform, expected", [
    pytest.param("mysql", "\nALTER TABLE `foo1` DROP FOREIGN KEY `foo1_fk_1`;\n\n"),
    ("pgsql", '\nALTER TABLE "foo1" DROP CONSTRAINT "foo1_fk_1";\n\n'),
])
def test_foreign_key_becoming_skipsql_is_dropped_only(platform, expected):
    assert table_ddl(planned(SKIPSQL_BEFORE, SKIPSQL_AFTER, platform), "foo1") == expected


@pytest.mark.parametrize("platform, expected", [
    pytest.param("mysql", "\n\nALTER TABLE `foo1` ADD CONSTRAINT `foo1_fk_1`\n    FOREIGN KEY (`bar`)\n    REFERENCES `foo2` (`bar`);\n"),
    ("pgsql", '\n\nALTER TABLE "foo1" ADD CONSTRAINT "foo1_fk_1"\n    FOREIGN KEY ("bar")\n    REFERENCES "foo2" ("bar");\n'),
])
def test_foreign_key_leaving_skipsql_is_added_only(platform, expected):
    assert table_ddl(planned(SKIPSQL_AFTER, SKIPSQL_BEFORE, platform), "foo1") == expected


# MySQL index column sizes: MysqlPlatform::getIndexColumnListDDL (L580-589) writes `col`(size) when the
# index column has a size (from XML: the `size` attribute of <index-column>, Index.php addColumn L189-207);
# MysqlPlatformTest::testGetIndexDDLKeySize (L675-691) expects "INDEX `bar_index` (`bar1`(5))". PostgreSQL
# resets index sizes (normalizeTable L1577-1582, supportsIndexSize false).
@pytest.mark.parametrize("platform, expected", [
    ("mysql", "\n\nCREATE INDEX `foo-v` ON `foo` (`v`(10));\n"),
    ("pgsql", '\n\nCREATE INDEX "foo-v" ON "foo" ("v");\n'),
])
def test_index_column_size(platform, expected):
    before = foo('<column name="v" type="VARCHAR" size="255"/>')
    after = foo('<column name="v" type="VARCHAR" size="255"/>', '<index name="foo-v"><index-column name="v" size="10"/></index>')
    assert migration(before, after, platform) == wrap(platform, expected)


# PgsqlPlatform::getForeignKeyDDL (L319-332): pgsql vendor parameters `deferrable` / `initiallyDeferred`
# append " DEFERRABLE" / " INITIALLY DEFERRED" (Spryker's schema-01.xsd allows <vendor> in <foreign-key>).
def test_pgsql_deferrable_foreign_key():
    parent = table("p", id_pk())
    child = foo('<column name="p_id" type="INTEGER"/>',
                '<foreign-key name="foo-fk_p" foreignTable="p"><reference local="p_id" foreign="id"/>'
                '<vendor type="pgsql"><parameter name="deferrable" value="true"/>'
                '<parameter name="initiallyDeferred" value="true"/></vendor></foreign-key>')
    statements = planned(parent, parent + child, "pgsql")
    assert statements[-1].text == ('\nALTER TABLE "foo" ADD CONSTRAINT "foo-fk_p"\n    FOREIGN KEY ("p_id")\n'
                                   '    REFERENCES "p" ("id") DEFERRABLE INITIALLY DEFERRED;\n')


# --- 6. columns ------------------------------------------------------------------------------------------

# providerForTestGetRemoveColumnDDL (L386-394): MysqlPlatformMigrationTest::testGetRemoveColumnDDL (L274-276)
# "ALTER TABLE `foo` DROP `bar`;", PgsqlPlatformMigrationTest "ALTER TABLE "foo" DROP COLUMN "bar";", merged.
@pytest.mark.parametrize("platform, expected", [
    ("mysql", "\nALTER TABLE `foo`\n\n  DROP `bar`;\n"),
    ("pgsql", '\nALTER TABLE "foo"\n\n  DROP COLUMN "bar";\n'),
])
def test_remove_column(platform, expected):
    assert migration(foo('<column name="bar" type="INTEGER"/>'), foo(), platform) == wrap(platform, expected)


# providerForTestGetRenameColumnDDL (L396-415): DOUBLE size 2, bar1 -> bar2 (same definition: TableComparator
# compareColumns L160-174 pairs them). MySQL: testGetRenameColumnDDL (L287-289) "CHANGE `bar1` `bar2`
# DOUBLE(2)", merged. PostgreSQL: "ALTER TABLE "foo" RENAME COLUMN "bar1" TO "bar2";" -- the merger never
# merges RENAME (canMergeStatement L126-131) and writes it as "piece;" with no newline, so COMMIT follows
# on the very next line.
RENAME_BEFORE = foo('<column name="bar1" type="DOUBLE" size="2"/>')
RENAME_AFTER = foo('<column name="bar2" type="DOUBLE" size="2"/>')


def test_rename_column_mysql():
    assert migration(RENAME_BEFORE, RENAME_AFTER, "mysql") == wrap(
        "mysql", "\nALTER TABLE `foo`\n\n  CHANGE `bar1` `bar2` DOUBLE(2);\n")


def test_rename_column_pgsql_is_not_merged_and_has_no_trailing_newline():
    assert migration(RENAME_BEFORE, RENAME_AFTER, "pgsql") == \
        '\nBEGIN;\n\nALTER TABLE "foo" RENAME COLUMN "bar1" TO "bar2";\nCOMMIT;\n'


# providerForTestGetModifyColumnDDL (L417-433): DOUBLE size 2 -> 3. MySQL testGetModifyColumnDDL (L300-302)
# "CHANGE `bar` `bar` DOUBLE(3)". PostgreSQL's test expects "TYPE DOUBLE PRECISION", but only because its
# columns have no table/platform: in a migration ColumnComparator::computeDiff (L28-45) drops a change
# whose getColumnDDL is the same on both sides, and PgsqlPlatform::getColumnDDL prints no size for
# DOUBLE PRECISION (hasSize L591-594), so there is no migration at all.
def test_modify_column_size():
    before, after = foo('<column name="bar" type="DOUBLE" size="2"/>'), foo('<column name="bar" type="DOUBLE" size="3"/>')
    assert migration(before, after, "mysql") == wrap("mysql", "\nALTER TABLE `foo`\n\n  CHANGE `bar` `bar` DOUBLE(3);\n")
    assert planned(before, after, "pgsql") == []
    assert migration(before, after, "pgsql") == ""


# providerForTestGetModifyColumnsDDL (L435-480): bar1 DOUBLE 2 -> 3, bar2 INTEGER gets NOT NULL.
# MySQL testGetModifyColumnsDDL: "CHANGE `bar1` `bar1` DOUBLE(3);" "CHANGE `bar2` `bar2` INTEGER NOT NULL;",
# merged. PostgreSQL: only "ALTER COLUMN "bar2" SET NOT NULL" (bar1: no DDL difference, see above).
@pytest.mark.parametrize("platform, expected", [
    ("mysql", "\nALTER TABLE `foo`\n\n  CHANGE `bar1` `bar1` DOUBLE(3),\n\n  CHANGE `bar2` `bar2` INTEGER NOT NULL;\n"),
    ("pgsql", '\nALTER TABLE "foo"\n\n  ALTER COLUMN "bar2" SET NOT NULL;\n'),
])
def test_modify_columns_set_not_null(platform, expected):
    before = foo('<column name="bar1" type="DOUBLE" size="2"/>', '<column name="bar2" type="INTEGER"/>')
    after = foo('<column name="bar1" type="DOUBLE" size="3"/>', '<column name="bar2" type="INTEGER" required="true"/>')
    assert migration(before, after, platform) == wrap(platform, expected)


# PgsqlPlatformMigrationTest::testGetModifyColumnDDLWithChangedTypeAndDefault (L298-305): DOUBLE(2) ->
# DOUBLE(3) DEFAULT -100 gives "TYPE DOUBLE PRECISION" then "SET DEFAULT -100" (the default makes the DDL
# differ, so the size change stays), merged. MySQL: getChangeColumnDDL with getColumnDDL (L447-530).
@pytest.mark.parametrize("platform, expected", [
    ("mysql", "\nALTER TABLE `foo`\n\n  CHANGE `bar` `bar` DOUBLE(3) DEFAULT -100;\n"),
    ("pgsql", '\nALTER TABLE "foo"\n\n  ALTER COLUMN "bar" TYPE DOUBLE PRECISION,\n\n  ALTER COLUMN "bar" SET DEFAULT -100;\n'),
])
def test_modify_column_type_and_set_default(platform, expected):
    before = foo('<column name="bar" type="DOUBLE" size="2"/>')
    after = foo('<column name="bar" type="DOUBLE" size="3" default="-100"/>')
    assert migration(before, after, platform) == wrap(platform, expected)


# providerForTestGetModifyColumnRemoveDefaultValueDDL (L498-515): INTEGER default 0 -> none.
# PgsqlPlatformMigrationTest::testGetModifyColumnRemoveDefaultValueDDL (L425-430)
# "ALTER TABLE "test" ALTER COLUMN "test" DROP DEFAULT;", merged. MySQL: CHANGE with the new definition.
@pytest.mark.parametrize("platform, expected", [
    ("mysql", "\nALTER TABLE `test`\n\n  CHANGE `test` `test` INTEGER;\n"),
    ("pgsql", '\nALTER TABLE "test"\n\n  ALTER COLUMN "test" DROP DEFAULT;\n'),
])
def test_drop_default(platform, expected):
    before = table("test", id_pk(), '<column name="test" type="INTEGER" default="0"/>')
    after = table("test", id_pk(), '<column name="test" type="INTEGER"/>')
    assert migration(before, after, platform) == wrap(platform, expected)


# providerForTestGetAddColumnsDDL (L482-496): MysqlPlatformMigrationTest::testGetAddColumnsDDL (L354-358),
# PgsqlPlatformMigrationTest::testGetAddColumnsDDL, merged.
@pytest.mark.parametrize("platform, expected", [
    ("mysql", ("\nALTER TABLE `foo`\n\n  ADD `bar1` INTEGER AFTER `id`,\n\n"
              "  ADD `bar2` DOUBLE(3,2) DEFAULT -1 NOT NULL AFTER `bar1`;\n")),
    ("pgsql", '\nALTER TABLE "foo"\n\n  ADD "bar1" INTEGER,\n\n  ADD "bar2" DOUBLE PRECISION DEFAULT -1 NOT NULL;\n'),
])
def test_add_columns_after(platform, expected):
    after = foo('<column name="bar1" type="INTEGER"/>',
                '<column name="bar2" type="DOUBLE" scale="2" size="3" default="-1" required="true"/>')
    assert migration(foo(), after, platform) == wrap(platform, expected)


# MysqlPlatformMigrationTestProvider::providerForTestGetAddColumnFirstDDL: `bar` declared before `id`.
# MysqlPlatformMigrationTest::testGetAddColumnFirstDDL (L341-343) "ALTER TABLE `foo` ADD `bar` INTEGER FIRST;",
# PostgreSQL has no position (testGetAddColumnDDL: "ALTER TABLE "foo" ADD "bar" INTEGER;"), merged.
@pytest.mark.parametrize("platform, expected", [
    ("mysql", "\nALTER TABLE `foo`\n\n  ADD `bar` INTEGER FIRST;\n"),
    ("pgsql", '\nALTER TABLE "foo"\n\n  ADD "bar" INTEGER;\n'),
])
def test_add_column_first(platform, expected):
    after = table("foo", '<column name="bar" type="INTEGER"/>', id_pk())
    assert migration(foo(), after, platform) == wrap(platform, expected)


# --- 7. PostgreSQL type changes: PgsqlPlatform::getModifyColumnDDL (L641-738) + getUsingCast (L782-815) ------
# TYPE <sqlType>[size only if not a number or NUMERIC] + USING; then SET/DROP DEFAULT; then SET/DROP NOT NULL.

def test_pgsql_varchar_to_integer_uses_case_cast():
    # isString(VARCHAR) && isNumber(INTEGER): the multi-line "USING CASE ..." literal (L790-793), with the
    # unquoted from-column name; MySQL rewrites the whole definition.
    before, after = foo('<column name="code" type="VARCHAR" size="12"/>'), foo('<column name="code" type="INTEGER"/>')
    assert migration(before, after, "pgsql") == wrap("pgsql", (
        '\nALTER TABLE "foo"\n\n  ALTER COLUMN "code" TYPE INTEGER\n'
        "   USING CASE WHEN trim(code) SIMILAR TO '[0-9]+'\n"
        "        THEN CAST(trim(code) AS integer)\n"
        "        ELSE NULL END;\n"))
    assert migration(before, after, "mysql") == wrap("mysql", "\nALTER TABLE `foo`\n\n  CHANGE `code` `code` INTEGER;\n")


def test_pgsql_integer_to_date_uses_null():
    # a number to neither number, string nor BYTEA: ' USING NULL' (L814)
    before, after = foo('<column name="at" type="INTEGER"/>'), foo('<column name="at" type="DATE"/>')
    assert migration(before, after, "pgsql") == wrap("pgsql", '\nALTER TABLE "foo"\n\n  ALTER COLUMN "at" TYPE DATE USING NULL;\n')
    assert migration(before, after, "mysql") == wrap("mysql", "\nALTER TABLE `foo`\n\n  CHANGE `at` `at` DATE;\n")


def test_pgsql_varchar_to_uuid_uses_uuid_cast():
    # isString(VARCHAR) && isUuid(UUID): " USING $name::uuid" (L810-812); the UUID sqlType is lower-case
    # `uuid` (PgsqlPlatform type map L43-66).
    before, after = foo('<column name="ref" type="VARCHAR" size="36"/>'), foo('<column name="ref" type="UUID"/>')
    assert migration(before, after, "pgsql") == wrap("pgsql", '\nALTER TABLE "foo"\n\n  ALTER COLUMN "ref" TYPE uuid USING ref::uuid;\n')


def test_pgsql_migrate_to_uuid_column_matches_propel():
    # providerForTestMigrateToUUIDColumn (L612-622); PgsqlPlatformMigrationTest::testMigrateToUUIDColumn
    # (L460-467) through getModifyTableColumnsDDL; merged here. Propel's unit test has no live database, so
    # no sequence is registered there; at deploy time PgsqlSchemaParser::addSequences (L640-676) reads the
    # serial's `foo_id_seq` from the live database, so dropping autoIncrement also drops it first (L680-690).
    before = table("foo", '<column name="id" primaryKey="true" type="VARCHAR" size="36" autoIncrement="true"/>')
    after = table("foo", '<column name="id" primaryKey="true" type="UUID" default="vendor_specific_uuid_generator_function()"/>')
    assert migration(before, after, "pgsql") == wrap("pgsql", (
        "\nDROP SEQUENCE foo_id_seq CASCADE;\n"
        '\nALTER TABLE "foo"\n\n  ALTER COLUMN "id" TYPE uuid USING id::uuid,\n\n'
        '  ALTER COLUMN "id" SET DEFAULT vendor_specific_uuid_generator_function();\n'))


def test_pgsql_migrate_to_uuid_binary_column_matches_propel():
    # providerForTestMigrateToUuidBinColumn (L624-634); testMigrateToUuidBinColumn (L477-484): BYTEA has no
    # size (hasSize) and VARCHAR -> BYTEA is ' USING NULL'; merged.
    before = table("foo", '<column name="id" primaryKey="true" type="VARCHAR" size="36"/>')
    after = table("foo", '<column name="id" primaryKey="true" type="UUID_BINARY" default="vendor_specific_uuid_generator_function()"/>')
    assert migration(before, after, "pgsql") == wrap("pgsql", (
        '\nALTER TABLE "foo"\n\n  ALTER COLUMN "id" TYPE BYTEA USING NULL,\n\n'
        '  ALTER COLUMN "id" SET DEFAULT vendor_specific_uuid_generator_function();\n'))


@pytest.mark.parametrize("platform, expected", [
    # MySQL: getChangeColumnDDL; AUTO_INCREMENT once the table's idMethod is native (Column.php L1584-1599,
    # Table::doFinalInitialization L295-314 turns it to "none" while no column is autoIncrement).
    ("mysql", "\nALTER TABLE `foo`\n\n  CHANGE `id` `id` INTEGER NOT NULL AUTO_INCREMENT;\n"),
    # PostgreSQL, no id-method-parameter: default nextval('<table>_<col>_seq'::regclass) and an unquoted
    # "CREATE SEQUENCE" (L660-678) that getModifyTableDDL (L617-628) puts before the table's statements.
    ("pgsql", ("\nCREATE SEQUENCE foo_id_seq;\n"
              "\nALTER TABLE \"foo\"\n\n  ALTER COLUMN \"id\" SET DEFAULT nextval('foo_id_seq'::regclass);\n")),
])
def test_auto_increment_added(platform, expected):
    before = table("foo", '<column name="id" primaryKey="true" type="INTEGER"/>')
    after = table("foo", '<column name="id" primaryKey="true" type="INTEGER" autoIncrement="true"/>')
    assert migration(before, after, platform) == wrap(platform, expected)


# --- 8. added and removed tables ------------------------------------------------------------------------

# providerForTestGetAddTablesDDL (PlatformTestProvider L36-58): book (auto-named index on title, auto-named FK
# to author) and author. MysqlPlatformTest::testGetAddTablesDDL (L151-196) and PgsqlPlatformTest (L73-118)
# show each table's statements (those tests add DROP TABLE and comment banners, which a migration has not).
BOOK_AUTHOR = """
<table name="author">
    <column name="id" primaryKey="true" type="INTEGER" autoIncrement="true"/>
    <column name="first_name" type="VARCHAR" size="100"/>
    <column name="last_name" type="VARCHAR" size="100"/>
</table>
<table name="book">
    <column name="id" primaryKey="true" type="INTEGER" autoIncrement="true"/>
    <column name="title" type="VARCHAR" size="255" required="true"/>
    <index><index-column name="title"/></index>
    <column name="author_id" type="INTEGER"/>
    <foreign-key foreignTable="author"><reference local="author_id" foreign="id"/></foreign-key>
</table>
"""
MYSQL_BOOK = """
CREATE TABLE `book`
(
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `title` VARCHAR(255) NOT NULL,
    `author_id` INTEGER,
    PRIMARY KEY (`id`),
    INDEX `book_i_639136` (`title`),
    INDEX `book_fi_ea464c` (`author_id`),
    CONSTRAINT `book_fk_ea464c`
        FOREIGN KEY (`author_id`)
        REFERENCES `author` (`id`)
) ENGINE=InnoDB;
"""
MYSQL_AUTHOR = """
CREATE TABLE `author`
(
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `first_name` VARCHAR(100),
    `last_name` VARCHAR(100),
    PRIMARY KEY (`id`)
) ENGINE=InnoDB;
"""
PGSQL_BOOK = """
CREATE TABLE "book"
(
    "id" serial NOT NULL,
    "title" VARCHAR(255) NOT NULL,
    "author_id" INTEGER,
    PRIMARY KEY ("id")
);

CREATE INDEX "book_i_639136" ON "book" ("title");
"""
PGSQL_BOOK_FK = """
ALTER TABLE "book" ADD CONSTRAINT "book_fk_ea464c"
    FOREIGN KEY ("author_id")
    REFERENCES "author" ("id");
"""
PGSQL_AUTHOR = """
CREATE TABLE "author"
(
    "id" serial NOT NULL,
    "first_name" VARCHAR(100),
    "last_name" VARCHAR(100),
    PRIMARY KEY ("id")
);
"""


def test_create_tables_mysql_inline_index_and_foreign_key():
    # MySQL: indexes (and the addExtraIndices `fi_` index) and FKs inside CREATE TABLE; added tables after
    # everything else (MysqlPlatform::getModifyDatabaseDDL L778-803).
    assert migration("", BOOK_AUTHOR, "mysql") == wrap("mysql", MYSQL_AUTHOR + MYSQL_BOOK)


def test_create_tables_pgsql_separate_index_and_foreign_key():
    # PostgreSQL: CREATE TABLE + getAddIndicesDDL per added table, the added tables' FKs at the very end
    # (DefaultPlatform::getModifyDatabaseDDL L811-840), ALTER TABLE .. ADD CONSTRAINT (L700-714).
    assert migration("", BOOK_AUTHOR, "pgsql") == wrap("pgsql", PGSQL_AUTHOR + PGSQL_BOOK + PGSQL_BOOK_FK)


# MysqlPlatformTest::testGetAddTableDDLForeignKey (L303-336) and ...ForeignKeySkipSql (L338-364): `bar`
# exists already, `foo` is added.
FK_TABLE_BAR = table("bar", id_pk())
FK_TABLE_FOO = """
<table name="foo">
    <column name="id" primaryKey="true" type="INTEGER" autoIncrement="true"/>
    <column name="bar_id" type="INTEGER"/>
    <foreign-key foreignTable="bar"{skip}><reference local="bar_id" foreign="id"/></foreign-key>
</table>
"""


def test_create_table_with_foreign_key_mysql_matches_propel():
    statements = planned(FK_TABLE_BAR, FK_TABLE_BAR + FK_TABLE_FOO.format(skip=""), "mysql")
    assert table_ddl(statements, "foo") == """
CREATE TABLE `foo`
(
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `bar_id` INTEGER,
    PRIMARY KEY (`id`),
    INDEX `foo_fi_426410` (`bar_id`),
    CONSTRAINT `foo_fk_426410`
        FOREIGN KEY (`bar_id`)
        REFERENCES `bar` (`id`)
) ENGINE=InnoDB;
"""


def test_create_table_with_skipsql_foreign_key_mysql_matches_propel():
    statements = planned(FK_TABLE_BAR, FK_TABLE_BAR + FK_TABLE_FOO.format(skip=' skipSql="true"'), "mysql")
    assert table_ddl(statements, "foo") == """
CREATE TABLE `foo`
(
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `bar_id` INTEGER,
    PRIMARY KEY (`id`),
    INDEX `foo_fi_426410` (`bar_id`)
) ENGINE=InnoDB;
"""


def test_create_table_with_skipsql_foreign_key_pgsql_has_no_constraint():
    # getAddForeignKeyDDL returns '' for skipSql (DefaultPlatform L700-714)
    statements = planned(FK_TABLE_BAR, FK_TABLE_BAR + FK_TABLE_FOO.format(skip=' skipSql="true"'), "pgsql")
    assert table_ddl(statements, "foo") == '\nCREATE TABLE "foo"\n(\n    "id" serial NOT NULL,\n    "bar_id" INTEGER,\n' \
                                           '    PRIMARY KEY ("id")\n);\n'


# providerForTestGetAddTableDDLUniqueIndex (PlatformTestProvider L165-180): an unnamed unique.
# MysqlPlatformTest::testGetAddTableDDLUniqueIndex (L256-270), PgsqlPlatformTest (L344-362); and
# MysqlPlatformTest::testGetAddTableDDLIndex (L274-299) for an unnamed index (PostgreSQL:
# getAddIndicesDDL after the table, DefaultPlatform::getAddIndexDDL L613-626).
@pytest.mark.parametrize("platform, element, expected", [
    ("mysql", "unique", ("\nCREATE TABLE `foo`\n(\n    `id` INTEGER NOT NULL AUTO_INCREMENT,\n    `bar` INTEGER,\n"
                        "    PRIMARY KEY (`id`),\n    UNIQUE INDEX `foo_u_14f552` (`bar`)\n) ENGINE=InnoDB;\n")),
    ("pgsql", "unique", ('\nCREATE TABLE "foo"\n(\n    "id" serial NOT NULL,\n    "bar" INTEGER,\n'
                        '    PRIMARY KEY ("id"),\n    CONSTRAINT "foo_u_14f552" UNIQUE ("bar")\n);\n')),
    ("mysql", "index", ("\nCREATE TABLE `foo`\n(\n    `id` INTEGER NOT NULL AUTO_INCREMENT,\n    `bar` INTEGER,\n"
                       "    PRIMARY KEY (`id`),\n    INDEX `foo_i_14f552` (`bar`)\n) ENGINE=InnoDB;\n")),
    ("pgsql", "index", ('\nCREATE TABLE "foo"\n(\n    "id" serial NOT NULL,\n    "bar" INTEGER,\n'
                       '    PRIMARY KEY ("id")\n);\n\nCREATE INDEX "foo_i_14f552" ON "foo" ("bar");\n')),
])
def test_create_table_with_unnamed_unique_or_index(platform, element, expected):
    after = foo('<column name="bar" type="INTEGER"/>', f'<{element}><{element}-column name="bar"/></{element}>')
    assert migration("", after, platform) == wrap(platform, expected)


# MysqlPlatformTest::testGetAddTableDDLComplexPK (L876-903): auto-increment key column first in the PK.
def test_create_table_complex_pk_mysql_matches_propel():
    after = """
<table name="foo">
    <column name="id" primaryKey="true" type="INTEGER"/>
    <column name="second_id" primaryKey="true" type="INTEGER" autoIncrement="true"/>
    <column name="third_id" primaryKey="true" type="INTEGER"/>
    <column name="bar" type="VARCHAR" size="255"/>
</table>"""
    assert migration("", after, "mysql") == wrap("mysql", """
CREATE TABLE `foo`
(
    `id` INTEGER NOT NULL,
    `second_id` INTEGER NOT NULL AUTO_INCREMENT,
    `third_id` INTEGER NOT NULL,
    `bar` VARCHAR(255),
    PRIMARY KEY (`second_id`,`id`,`third_id`)
) ENGINE=InnoDB;
""")


# PgsqlPlatformTest::testGetAddTableDDLColumnComments (L445-474); MySQL: `COMMENT 'desc'` at the end of the
# column (MysqlPlatform::getColumnDDL L525-527, MysqlPlatformTest::testGetColumnDDLComment L523-531).
@pytest.mark.parametrize("platform, expected", [
    ("mysql", ("\nCREATE TABLE `foo`\n(\n    `id` INTEGER NOT NULL AUTO_INCREMENT COMMENT 'identifier column',\n"
              "    `bar` INTEGER COMMENT 'your name here',\n    PRIMARY KEY (`id`)\n) ENGINE=InnoDB;\n")),
    ("pgsql", ('\nCREATE TABLE "foo"\n(\n    "id" serial NOT NULL,\n    "bar" INTEGER,\n    PRIMARY KEY ("id")\n);\n'
              "\nCOMMENT ON COLUMN \"foo\".\"id\" IS 'identifier column';\n"
              "\nCOMMENT ON COLUMN \"foo\".\"bar\" IS 'your name here';\n")),
])
def test_create_table_with_column_comments(platform, expected):
    after = """
<table name="foo">
    <column name="id" primaryKey="true" type="INTEGER" autoIncrement="true" description="identifier column"/>
    <column name="bar" type="INTEGER" description="your name here"/>
</table>"""
    assert migration("", after, platform) == wrap(platform, expected)


# providerForTestGetAddTableDDLSimplePK (PlatformTestProvider L122-134): a table description.
# MysqlPlatformTest::testGetAddTableDDLSimplePK (L217-228) `) ENGINE=InnoDB COMMENT='This is foo table';`
# (MysqlPlatform::getAddTableDDL L341-343); PgsqlPlatformTest::testGetAddTableDDLSimplePK (L299-318)
# `COMMENT ON TABLE "foo" IS 'This is foo table';` (PgsqlPlatform::getAddTableDDL L400-410).
@pytest.mark.parametrize("platform, expected", [
    ("mysql", ("\nCREATE TABLE `foo`\n(\n    `id` INTEGER NOT NULL AUTO_INCREMENT,\n    `bar` VARCHAR(255) NOT NULL,\n"
              "    PRIMARY KEY (`id`)\n) ENGINE=InnoDB COMMENT='This is foo table';\n")),
    ("pgsql", ('\nCREATE TABLE "foo"\n(\n    "id" serial NOT NULL,\n    "bar" VARCHAR(255) NOT NULL,\n'
              "    PRIMARY KEY (\"id\")\n);\n\nCOMMENT ON TABLE \"foo\" IS 'This is foo table';\n")),
])
def test_create_table_with_description(platform, expected):
    after = """
<table name="foo" description="This is foo table">
    <column name="id" primaryKey="true" type="INTEGER" autoIncrement="true"/>
    <column name="bar" type="VARCHAR" size="255" required="true"/>
</table>"""
    assert migration("", after, platform) == wrap(platform, expected)


# Sequences: PgsqlPlatformTest::testGetAddTableDDLSequence (L417-443) -- an id-method-parameter makes the
# key a plain INTEGER (no serial, getColumnDDL L503-505) created after `CREATE SEQUENCE "<lower name>"`
# (getAddSequenceDDL L166-183); testGetDropTableWithSequenceDDL (L532-547) -- `DROP TABLE .. CASCADE` then
# `DROP SEQUENCE` (getDropTableDDL L465-477, getDropSequenceDDL L190-207). MySQL ignores sequences.
SEQUENCE_TABLE = """
<table name="foo">
    <column name="id" primaryKey="true" type="INTEGER" autoIncrement="true"/>
    <id-method-parameter value="{name}"/>
</table>"""


@pytest.mark.parametrize("platform, expected", [
    ("mysql", "\nCREATE TABLE `foo`\n(\n    `id` INTEGER NOT NULL AUTO_INCREMENT,\n    PRIMARY KEY (`id`)\n) ENGINE=InnoDB;\n"),
    ("pgsql", ('\nCREATE SEQUENCE "my_custom_sequence_name";\n\nCREATE TABLE "foo"\n(\n    "id" INTEGER NOT NULL,\n'
              '    PRIMARY KEY ("id")\n);\n')),
])
def test_create_table_with_sequence(platform, expected):
    assert migration("", SEQUENCE_TABLE.format(name="my_custom_sequence_name"), platform) == wrap(platform, expected)


@pytest.mark.parametrize("platform, expected", [
    ("mysql", "\nDROP TABLE IF EXISTS `foo`;\n"),
    ("pgsql", '\nDROP TABLE IF EXISTS "foo" CASCADE;\n\nDROP SEQUENCE "foo_sequence";\n'),
])
def test_drop_table_with_sequence(platform, expected):
    # the sequence name is lower-cased (strtolower in getDropSequenceDDL)
    assert migration(SEQUENCE_TABLE.format(name="Foo_Sequence"), "", platform) == wrap(platform, expected)


# A Spryker-shaped change in one go: a table with a sequence dropped, a table created with a named unique,
# a named index, a named FK with onDelete (and on MySQL the `-fi_` index addExtraIndices derives from the FK
# name), and a renamed table that is DROP + CREATE. Derived from the methods cited above, plus
# getForeignKeyDDL (DefaultPlatform L746-772, "\n    ON DELETE CASCADE"), MysqlPlatform::getUniqueDDL
# (L691-698) / getIndexDDL (L658-666), PgsqlPlatform::getUniqueDDL (L543-550).
SPRYKER_BEFORE = """
<table name="pyz_old" idMethod="native">
    <column name="id_old" type="INTEGER" autoIncrement="true" primaryKey="true"/>
    <id-method-parameter value="pyz_old_pk_seq"/>
</table>
<table name="pyz_ref" idMethod="native">
    <column name="id_ref" type="INTEGER" autoIncrement="true" primaryKey="true"/>
</table>
"""
SPRYKER_AFTER = """
<table name="pyz_new" idMethod="native">
    <column name="id_new" type="INTEGER" autoIncrement="true" primaryKey="true"/>
    <column name="fk_ref" type="INTEGER" required="true"/>
    <column name="code" type="VARCHAR" size="32" required="true"/>
    <column name="position" type="INTEGER"/>
    <foreign-key name="pyz_new-fk_ref" foreignTable="pyz_ref" onDelete="CASCADE">
        <reference local="fk_ref" foreign="id_ref"/>
    </foreign-key>
    <unique name="pyz_new-code"><unique-column name="code"/></unique>
    <index name="pyz_new-position"><index-column name="position"/></index>
    <id-method-parameter value="pyz_new_pk_seq"/>
</table>
<table name="pyz_ref" idMethod="native">
    <column name="id_ref" type="INTEGER" autoIncrement="true" primaryKey="true"/>
</table>
"""
MYSQL_SPRYKER = """
DROP TABLE IF EXISTS `pyz_old`;

CREATE TABLE `pyz_new`
(
    `id_new` INTEGER NOT NULL AUTO_INCREMENT,
    `fk_ref` INTEGER NOT NULL,
    `code` VARCHAR(32) NOT NULL,
    `position` INTEGER,
    PRIMARY KEY (`id_new`),
    UNIQUE INDEX `pyz_new-code` (`code`),
    INDEX `pyz_new-position` (`position`),
    INDEX `pyz_new-fi_ref` (`fk_ref`),
    CONSTRAINT `pyz_new-fk_ref`
        FOREIGN KEY (`fk_ref`)
        REFERENCES `pyz_ref` (`id_ref`)
        ON DELETE CASCADE
) ENGINE=InnoDB;
"""
PGSQL_SPRYKER = """
DROP TABLE IF EXISTS "pyz_old" CASCADE;

DROP SEQUENCE "pyz_old_pk_seq";

CREATE SEQUENCE "pyz_new_pk_seq";

CREATE TABLE "pyz_new"
(
    "id_new" INTEGER NOT NULL,
    "fk_ref" INTEGER NOT NULL,
    "code" VARCHAR(32) NOT NULL,
    "position" INTEGER,
    PRIMARY KEY ("id_new"),
    CONSTRAINT "pyz_new-code" UNIQUE ("code")
);

CREATE INDEX "pyz_new-position" ON "pyz_new" ("position");

ALTER TABLE "pyz_new" ADD CONSTRAINT "pyz_new-fk_ref"
    FOREIGN KEY ("fk_ref")
    REFERENCES "pyz_ref" ("id_ref")
    ON DELETE CASCADE;
"""


@pytest.mark.parametrize("platform, expected", [("mysql", MYSQL_SPRYKER), ("pgsql", PGSQL_SPRYKER)])
def test_spryker_tables_created_and_dropped(platform, expected):
    assert migration(SPRYKER_BEFORE, SPRYKER_AFTER, platform) == wrap(platform, expected)


# --- 9. render() ----------------------------------------------------------------------------------------

def test_render_wraps_exactly_and_empty_is_empty():
    body = [Statement("\nDROP TABLE IF EXISTS `t`;\n", "t"), Statement("\nALTER TABLE `u`\n\n  DROP `c`;\n", "u")]
    assert render(body, "mysql") == (
        "\n# This is a fix for InnoDB in MySQL >= 4.1.x\n"
        "# It \"suspends judgement\" for fkey relationships until are tables are set.\n"
        "SET FOREIGN_KEY_CHECKS = 0;\n"
        "\nDROP TABLE IF EXISTS `t`;\n"
        "\nALTER TABLE `u`\n\n  DROP `c`;\n"
        "\n# This restores the fkey checks, after having unset them earlier\n"
        "SET FOREIGN_KEY_CHECKS = 1;\n")
    pg = [Statement('\nDROP TABLE IF EXISTS "t" CASCADE;\n', "t")]
    assert render(pg, "pgsql") == '\nBEGIN;\n\nDROP TABLE IF EXISTS "t" CASCADE;\n\nCOMMIT;\n'
    assert render([], "mysql") == "" and render([], "pgsql") == ""


# --- 10. the command line on the demo ---------------------------------------------------------------------

DEMO_ARGS = ["plan", "--base-dir", "fixtures/demo/v1", "--head-dir", "fixtures/demo/v2", "--all-platforms"]


def run_plan(monkeypatch, *extra: str):
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, [*DEMO_ARGS, *extra], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


# The demo (fixtures/demo v1 -> v2): pyz_loyalty_account renames points_total to points_balance (same
# definition), drops legacy_code and gets a unique on referral_code; pyz_loyalty_transaction loses the
# timestampable behaviour (created_at, updated_at); spy_customer (core + project, merged and re-ordered
# by Spryker: id_, fk_, then the rest by name) gets a required loyalty_level; an ENUM valueSet re-order
# has no DDL (ENUM is TINYINT/INT2 and ColumnComparator ignores valueSet).
MYSQL_DEMO = MYSQL_BEGIN + """
-- CL402 column-renamed (error): pyz_loyalty_account.points_total
-- CL102 column-dropped (error): pyz_loyalty_account.legacy_code
ALTER TABLE `pyz_loyalty_account`

  CHANGE `points_total` `points_balance` INTEGER DEFAULT 0 NOT NULL,

  DROP `legacy_code`;

-- CL301 unique-added (error): pyz_loyalty_account.referral_code
CREATE UNIQUE INDEX `pyz_loyalty_account-referral_code` ON `pyz_loyalty_account` (`referral_code`);

-- CL103 behavior-columns-dropped (error): pyz_loyalty_transaction.created_at
-- CL103 behavior-columns-dropped (error): pyz_loyalty_transaction.updated_at
ALTER TABLE `pyz_loyalty_transaction`

  DROP `created_at`,

  DROP `updated_at`;

-- CL201 required-column-without-default (error): spy_customer.loyalty_level
ALTER TABLE `spy_customer`

  ADD `loyalty_level` VARCHAR(16) NOT NULL AFTER `last_name`;
""" + MYSQL_END

PGSQL_DEMO = PGSQL_BEGIN + """
-- CL402 column-renamed (error): pyz_loyalty_account.points_total
ALTER TABLE "pyz_loyalty_account" RENAME COLUMN "points_total" TO "points_balance";

-- CL102 column-dropped (error): pyz_loyalty_account.legacy_code
ALTER TABLE "pyz_loyalty_account"

  DROP COLUMN "legacy_code";

-- CL301 unique-added (error): pyz_loyalty_account.referral_code
ALTER TABLE "pyz_loyalty_account" ADD CONSTRAINT "pyz_loyalty_account-referral_code" UNIQUE ("referral_code");

-- CL103 behavior-columns-dropped (error): pyz_loyalty_transaction.created_at
-- CL103 behavior-columns-dropped (error): pyz_loyalty_transaction.updated_at
ALTER TABLE "pyz_loyalty_transaction"

  DROP COLUMN "created_at",

  DROP COLUMN "updated_at";

-- CL201 required-column-without-default (error): spy_customer.loyalty_level
ALTER TABLE "spy_customer"

  ADD "loyalty_level" VARCHAR(16) NOT NULL;
""" + PGSQL_END


def test_cli_plan_demo_all_platforms_annotated(monkeypatch):
    out = run_plan(monkeypatch)
    mysql_header, pgsql_header = "-- mysql: 4 statements\n", "-- pgsql: 5 statements\n"
    assert out.startswith(mysql_header)
    mysql_part, _, pgsql_part = out[len(mysql_header):].partition("\n" + pgsql_header)
    assert mysql_part == MYSQL_DEMO
    assert pgsql_part == PGSQL_DEMO
    # without the comment lines, each part is exactly Propel's migration text
    uncommented = re.sub(r"^-- CL\d{3} .*\n", "", mysql_part, flags=re.MULTILINE)
    assert uncommented.startswith(MYSQL_BEGIN + "\nALTER TABLE `pyz_loyalty_account`\n\n  CHANGE ")


def test_cli_plan_demo_json_statements_carry_codes(monkeypatch):
    payload = json.loads(run_plan(monkeypatch, "--format", "json"))
    assert payload["version"] == 1 and set(payload["platforms"]) == {"mysql", "pgsql"}
    mysql = payload["platforms"]["mysql"]
    assert [(s["table"], [c["code"] for c in s["codes"]]) for s in mysql] == [
        ("pyz_loyalty_account", ["CL402", "CL102"]),
        ("pyz_loyalty_account", ["CL301"]),
        ("pyz_loyalty_transaction", ["CL103", "CL103"]),
        ("spy_customer", ["CL201"]),
    ]
    assert mysql[0]["sql"] == ("ALTER TABLE `pyz_loyalty_account`\n\n  CHANGE `points_total` `points_balance` INTEGER "
                               "DEFAULT 0 NOT NULL,\n\n  DROP `legacy_code`;")
    assert mysql[0]["codes"][0] == {"code": "CL402", "name": "column-renamed", "severity": "error",
                                    "subject": "pyz_loyalty_account.points_total"}
    assert mysql[3]["sql"] == "ALTER TABLE `spy_customer`\n\n  ADD `loyalty_level` VARCHAR(16) NOT NULL AFTER `last_name`;"
    pgsql = payload["platforms"]["pgsql"]
    assert [(s["sql"], [c["code"] for c in s["codes"]]) for s in pgsql] == [
        ('ALTER TABLE "pyz_loyalty_account" RENAME COLUMN "points_total" TO "points_balance";', ["CL402"]),
        ('ALTER TABLE "pyz_loyalty_account"\n\n  DROP COLUMN "legacy_code";', ["CL102"]),
        ('ALTER TABLE "pyz_loyalty_account" ADD CONSTRAINT "pyz_loyalty_account-referral_code" UNIQUE ("referral_code");',
         ["CL301"]),
        ('ALTER TABLE "pyz_loyalty_transaction"\n\n  DROP COLUMN "created_at",\n\n  DROP COLUMN "updated_at";',
         ["CL103", "CL103"]),
        ('ALTER TABLE "spy_customer"\n\n  ADD "loyalty_level" VARCHAR(16) NOT NULL;', ["CL201"]),
    ]
