"""Propel-shaped migrations, one per change kind of the rule catalog that a migration can express, on
MySQL and PostgreSQL, each marked breaking (V1 breaks or data is lost while V1 and V2 run side by side)
or safe. Used by `squawk_compare.py` (compatlint's `lint-sql` next to squawk) and by
`tests/test_squawk_cases.py` (compatlint alone: every breaking case caught, no error on a safe one).

The statements are written in the shapes Propel 2.0.0-beta3 generates (`MysqlPlatform.php`,
`PgsqlPlatform.php`: backquotes and `CHANGE c c <full definition>` on MySQL; double quotes,
`ALTER COLUMN ... TYPE`, `BEGIN;`/`COMMIT;` on PostgreSQL) or that teams write by hand in `.sql` files.
`BASE_SCHEMA` is the project's schema before every migration (for `lint-sql --base-dir`).

Catalog kinds no migration statement can show are listed in `NOT_IN_SQL` with the reason.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

BASE_SCHEMA_PATH = "src/Pyz/Zed/Shop/Persistence/Propel/Schema/pyz_shop.schema.xml"
BASE_SCHEMA = """<?xml version="1.0"?>
<database name="zed" defaultIdMethod="native" namespace="Orm\\Zed\\Shop\\Persistence" package="src.Orm.Zed.Shop.Persistence">
  <table name="spy_customer" idMethod="native">
    <column name="id_customer" type="INTEGER" primaryKey="true" autoIncrement="true"/>
    <column name="email" type="VARCHAR" size="255" required="true"/>
    <column name="first_name" type="VARCHAR" size="100"/>
    <column name="last_name" type="VARCHAR" size="100" required="true" defaultValue=""/>
    <column name="note" type="LONGVARCHAR"/>
    <column name="is_active" type="BOOLEAN" defaultValue="true"/>
    <column name="created_at" type="TIMESTAMP"/>
    <column name="updated_at" type="TIMESTAMP"/>
    <unique name="spy_customer-email">
      <unique-column name="email"/>
    </unique>
    <index name="spy_customer-last_name">
      <index-column name="last_name"/>
    </index>
  </table>
  <table name="spy_sales_order" idMethod="native">
    <column name="id_sales_order" type="INTEGER" primaryKey="true" autoIncrement="true"/>
    <column name="fk_customer" type="INTEGER"/>
    <column name="order_reference" type="VARCHAR" size="45" required="true"/>
    <column name="price" type="DECIMAL" size="10" scale="2"/>
    <column name="quantity" type="INTEGER" required="true"/>
    <foreign-key name="spy_sales_order-fk_customer" foreignTable="spy_customer" onDelete="SET NULL">
      <reference local="fk_customer" foreign="id_customer"/>
    </foreign-key>
  </table>
  <table name="spy_legacy_log" idMethod="native">
    <column name="id_legacy_log" type="INTEGER" primaryKey="true" autoIncrement="true"/>
    <column name="message" type="VARCHAR" size="255"/>
  </table>
</database>
"""


@dataclass(frozen=True)
class Case:
    name: str
    kind: str  # the catalog code of the change (what `check` reports for it with the schema)
    platform: str  # mysql or pgsql
    breaking: bool
    sql: str  # the statements, without Propel's wrapper (added by `migration_text`)
    why: str = ""


def _both(name: str, kind: str, breaking: bool, mysql: str | None, pgsql: str | None, why: str = "") -> list[Case]:
    out = []
    if mysql is not None:
        out.append(Case(f"{name}/mysql", kind, "mysql", breaking, mysql, why))
    if pgsql is not None:
        out.append(Case(f"{name}/pgsql", kind, "pgsql", breaking, pgsql, why))
    return out


CASES: list[Case] = [
    # --- breaking ----------------------------------------------------------------------------------
    *_both("table-dropped", "CL101", True, "DROP TABLE IF EXISTS `spy_legacy_log`;",
           'DROP TABLE IF EXISTS "spy_legacy_log" CASCADE;', "V1 still queries the table"),
    *_both("column-dropped", "CL102", True, "ALTER TABLE `spy_customer`\n\n  DROP `note`;",
           'ALTER TABLE "spy_customer"\n\n  DROP COLUMN "note";', "V1 selects every non-lazy column"),
    *_both("behavior-columns-dropped", "CL103", True,
           "ALTER TABLE `spy_customer`\n\n  DROP `created_at`,\n\n  DROP `updated_at`;",
           'ALTER TABLE "spy_customer"\n\n  DROP COLUMN "created_at",\n\n  DROP COLUMN "updated_at";',
           "timestampable removed: V1 sets both columns"),
    *_both("required-column-without-default", "CL201", True,
           "ALTER TABLE `spy_customer`\n\n  ADD `loyalty_level` INTEGER NOT NULL AFTER `note`;",
           'ALTER TABLE "spy_customer"\n\n  ADD "loyalty_level" INTEGER NOT NULL;', "V1's INSERTs leave it out"),
    *_both("column-made-required", "CL202", True,
           "ALTER TABLE `spy_customer`\n\n  CHANGE `first_name` `first_name` VARCHAR(100) NOT NULL;",
           'ALTER TABLE "spy_customer"\n\n  ALTER COLUMN "first_name" SET NOT NULL;', "V1 writes NULL"),
    *_both("column-type-changed", "CL203", True,
           "ALTER TABLE `spy_customer`\n\n  CHANGE `note` `note` INTEGER;",
           'ALTER TABLE "spy_customer"\n\n  ALTER COLUMN "note" TYPE INTEGER USING NULL;', "text to number"),
    *_both("column-type-using-null", "CL203", True, None,
           'ALTER TABLE "spy_customer"\n\n  ALTER COLUMN "first_name" TYPE TEXT USING NULL;',
           "Propel's USING NULL wipes every value"),
    *_both("decimal-to-integer", "CL203", True,
           "ALTER TABLE `spy_sales_order`\n\n  CHANGE `price` `price` INTEGER;",
           'ALTER TABLE "spy_sales_order"\n\n  ALTER COLUMN "price" TYPE INTEGER;', "prices lose their cents"),
    *_both("column-narrowed", "CL204", True,
           "ALTER TABLE `spy_customer`\n\n  CHANGE `first_name` `first_name` VARCHAR(50);",
           'ALTER TABLE "spy_customer"\n\n  ALTER COLUMN "first_name" TYPE VARCHAR(50);', "V1 writes 100 chars"),
    *_both("integer-narrowed", "CL204", True,
           "ALTER TABLE `spy_sales_order`\n\n  MODIFY `quantity` SMALLINT NOT NULL;",
           'ALTER TABLE "spy_sales_order"\n\n  ALTER COLUMN "quantity" TYPE SMALLINT;', "V1 writes larger numbers"),
    *_both("default-removed", "CL205", True,
           "ALTER TABLE `spy_customer`\n\n  CHANGE `last_name` `last_name` VARCHAR(100) NOT NULL;",
           'ALTER TABLE "spy_customer"\n\n  ALTER COLUMN "last_name" DROP DEFAULT;', "V1 leaves it out of INSERTs"),
    *_both("autoincrement-removed", "CL206", True,
           "ALTER TABLE `spy_sales_order`\n\n  CHANGE `id_sales_order` `id_sales_order` INTEGER NOT NULL;", None,
           "V1 inserts without an id"),
    *_both("unique-added", "CL301", True,
           "CREATE UNIQUE INDEX `spy_sales_order-unique-order_reference` ON `spy_sales_order` (`order_reference`);",
           'ALTER TABLE "spy_sales_order" ADD CONSTRAINT "spy_sales_order-unique-order_reference" '
           'UNIQUE ("order_reference");', "V1 writes duplicates"),
    *_both("foreign-key-added", "CL302", True,
           "ALTER TABLE `spy_legacy_log` ADD CONSTRAINT `spy_legacy_log-fk_customer`\n    FOREIGN KEY (`id_legacy_log`)\n"
           "    REFERENCES `spy_customer` (`id_customer`);",
           'ALTER TABLE "spy_legacy_log" ADD CONSTRAINT "spy_legacy_log-fk_customer"\n    FOREIGN KEY ("id_legacy_log")\n'
           '    REFERENCES "spy_customer" ("id_customer");', "V1 writes rows without a parent"),
    *_both("foreign-key-action-changed", "CL303", True,
           "ALTER TABLE `spy_sales_order` DROP FOREIGN KEY `spy_sales_order-fk_customer`;\n\n"
           "ALTER TABLE `spy_sales_order` ADD CONSTRAINT `spy_sales_order-fk_customer`\n    FOREIGN KEY (`fk_customer`)\n"
           "    REFERENCES `spy_customer` (`id_customer`)\n    ON DELETE CASCADE;",
           'ALTER TABLE "spy_sales_order" DROP CONSTRAINT "spy_sales_order-fk_customer";\n\n'
           'ALTER TABLE "spy_sales_order" ADD CONSTRAINT "spy_sales_order-fk_customer"\n    FOREIGN KEY ("fk_customer")\n'
           '    REFERENCES "spy_customer" ("id_customer")\n    ON DELETE CASCADE;', "V1's deletes now cascade"),
    *_both("primary-key-changed", "CL304", True,
           "ALTER TABLE `spy_sales_order` DROP PRIMARY KEY;\n\n"
           "ALTER TABLE `spy_sales_order` ADD PRIMARY KEY (`id_sales_order`,`order_reference`);",
           'ALTER TABLE "spy_sales_order" DROP CONSTRAINT "spy_sales_order_pkey";\n\n'
           'ALTER TABLE "spy_sales_order" ADD PRIMARY KEY ("id_sales_order","order_reference");',
           "V1's findPk no longer identifies a row"),
    *_both("unique-removed", "CL305", True, "DROP INDEX `spy_customer-email` ON `spy_customer`;",
           'ALTER TABLE "spy_customer" DROP CONSTRAINT "spy_customer-email";', "V1 relies on one row per email"),
    *_both("table-renamed", "CL401", True, "RENAME TABLE `spy_legacy_log` TO `spy_audit_log`;",
           'ALTER TABLE "spy_legacy_log" RENAME TO "spy_audit_log";', "V1 queries the old name"),
    *_both("column-renamed", "CL402", True,
           "ALTER TABLE `spy_customer`\n\n  CHANGE `first_name` `given_name` VARCHAR(100);",
           'ALTER TABLE "spy_customer" RENAME COLUMN "first_name" TO "given_name";', "V1 selects the old name"),
    *_both("data-statement", "CL501", True, "UPDATE `spy_customer` SET `is_active` = 0;",
           'UPDATE "spy_customer" SET "is_active" = false;', "rewrites V1's rows under its feet"),
    *_both("table-rebuild", "CL502", True, None,
           'CREATE INDEX "spy_sales_order-order_reference" ON "spy_sales_order" ("order_reference");',
           "blocks V1's writes for the whole build"),
    *_both("unparsed-statement", "CL504", True, "LOCK TABLES `spy_customer` WRITE;",
           'DO $$ BEGIN EXECUTE \'ALTER TABLE spy_customer DROP COLUMN note\'; END $$;',
           "nothing checked what it does"),
    *_both("destructive-raw-sql", "CL505", True, "TRUNCATE TABLE `spy_legacy_log`;", 'TRUNCATE TABLE "spy_legacy_log";',
           "every row V1 reads is gone"),
    *_both("column-made-nullable", "CL208", True,
           "ALTER TABLE `spy_customer`\n\n  CHANGE `email` `email` VARCHAR(255);",
           'ALTER TABLE "spy_customer"\n\n  ALTER COLUMN "email" DROP NOT NULL;', "V1's getters never expect NULL"),
    # --- safe --------------------------------------------------------------------------------------
    *_both("add-nullable-column", "CL2xx", False,
           "ALTER TABLE `spy_customer`\n\n  ADD `nickname` VARCHAR(64) AFTER `note`;",
           'ALTER TABLE "spy_customer"\n\n  ADD "nickname" VARCHAR(64);'),
    *_both("add-required-column-with-default", "CL201", False,
           "ALTER TABLE `spy_customer`\n\n  ADD `points` INTEGER DEFAULT 0 NOT NULL AFTER `note`;",
           'ALTER TABLE "spy_customer"\n\n  ADD "points" INTEGER DEFAULT 0 NOT NULL;'),
    *_both("create-table", "CL1xx", False,
           "CREATE TABLE `pyz_loyalty_tier`\n(\n    `id_loyalty_tier` INTEGER NOT NULL AUTO_INCREMENT,\n"
           "    `name` VARCHAR(64) NOT NULL,\n    PRIMARY KEY (`id_loyalty_tier`)\n) ENGINE=InnoDB;",
           'CREATE TABLE "pyz_loyalty_tier"\n(\n    "id_loyalty_tier" serial NOT NULL,\n'
           '    "name" VARCHAR(64) NOT NULL,\n    PRIMARY KEY ("id_loyalty_tier")\n);'),
    *_both("column-widened", "CL210", False,
           "ALTER TABLE `spy_customer`\n\n  CHANGE `first_name` `first_name` VARCHAR(200);",
           'ALTER TABLE "spy_customer"\n\n  ALTER COLUMN "first_name" TYPE VARCHAR(200);'),
    *_both("integer-widened", "CL210", False,
           "ALTER TABLE `spy_sales_order`\n\n  CHANGE `quantity` `quantity` BIGINT NOT NULL;", None),
    *_both("text-keeping-values", "CL210", False, None,
           'ALTER TABLE "spy_customer"\n\n  ALTER COLUMN "first_name" TYPE TEXT USING "first_name";'),
    *_both("default-changed", "CL209", False,
           "ALTER TABLE `spy_customer`\n\n  CHANGE `last_name` `last_name` VARCHAR(100) DEFAULT 'n/a' NOT NULL;",
           'ALTER TABLE "spy_customer"\n\n  ALTER COLUMN "last_name" SET DEFAULT \'n/a\';'),
    *_both("index-added", "CL3xx", False,
           "CREATE INDEX `spy_sales_order-order_reference` ON `spy_sales_order` (`order_reference`);",
           'CREATE INDEX CONCURRENTLY "spy_sales_order-order_reference" ON "spy_sales_order" ("order_reference");'),
    *_both("index-dropped", "CL306", False, "DROP INDEX `spy_customer-last_name` ON `spy_customer`;",
           'DROP INDEX "spy_customer-last_name";'),
]

NOT_IN_SQL = {
    "CL207": "ENUM valueSet changes: Propel emits no DDL (the positions are stored as integers)",
    "CL403": "sequence renamed: Propel emits no DDL for <id-method-parameter>",
    "CL404": "table moved between modules: no DDL",
    "CL503": "migration drift needs the schema change of the same revisions (`check`)",
    "CL601": "synchronization behavior parameters: no DDL",
    "CL9xx": "schema files and suppressions, not migrations",
}


def migration_text(case: Case) -> str:
    """The case's statements wrapped as Propel wraps a migration (`MysqlPlatform::getBeginDDL`/`getEndDDL`,
    `PgsqlPlatform`'s `BEGIN;` ... `COMMIT;`; a PostgreSQL `CREATE INDEX CONCURRENTLY` cannot run in a
    transaction, so it is left unwrapped)."""
    if case.platform == "mysql":
        return ("\n# This is a fix for InnoDB in MySQL >= 4.1.x\n# It \"suspends judgement\" for fkey relationships "
                "until are tables are set.\nSET FOREIGN_KEY_CHECKS = 0;\n\n" + case.sql +
                "\n\n# This restores the fkey checks, after having unset them earlier\nSET FOREIGN_KEY_CHECKS = 1;\n")
    if "CONCURRENTLY" in case.sql:
        return case.sql + "\n"
    return "\nBEGIN;\n\n" + case.sql + "\n\nCOMMIT;\n"


def write_cases(root: str) -> dict[str, str]:
    """Write the base schema (`root/base`) and one `.sql` file per case under the platform's migration
    folder of `root/migrations`; returns case name -> file path."""
    schema = os.path.join(root, "base", BASE_SCHEMA_PATH)
    os.makedirs(os.path.dirname(schema), exist_ok=True)
    with open(schema, "w", encoding="utf-8") as handle:
        handle.write(BASE_SCHEMA)
    paths = {}
    for number, case in enumerate(CASES):
        folder = os.path.join(root, "migrations", "src", "Orm", "Propel",
                              "Migration_mysql" if case.platform == "mysql" else "Migration_pgsql")
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, f"{number:03d}_{case.name.split('/')[0]}.sql")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(migration_text(case))
        paths[case.name] = path
    return paths
