from __future__ import annotations

from compatlint.changes import MigrationStatement
from compatlint.rule import Example, Rule, expect

from ._common import WARNING, col, created_earlier, table


class DataStatement(Rule):
    """A migration changes rows of an existing table (UPDATE, DELETE, INSERT, TRUNCATE, REPLACE).

    What it flags:
        A `MigrationStatement` of kind `data` (`UPDATE`, `DELETE`, `INSERT`, `REPLACE`, `TRUNCATE`) on a
        table that exists when the migration starts: every table except one an earlier `CREATE TABLE` of
        the same migration file made. A table of the base schema is existing; so is a table the schema
        files do not know but the migration does not create either (the statement can only run against
        a table that is already in the database). Seeding a table the same migration creates is fine.
        `propel:diff` never writes data statements (`propelorm/Propel2` 2.0.0-beta3
        `src/Propel/Generator/Platform/DefaultPlatform.php` L811-L840 `getModifyDatabaseDDL` emits
        DDL only), so every one of them is hand-written, typically a backfill.

    Why V1 breaks:
        The migration runs in `Run_install` while V1 services still serve traffic (spryker/spryker-docs
        `docs/ca/dev/configure-deployment-pipelines/deployment-in-states.md` L114-L120, L157). V1 keeps
        reading and writing the table while the statement runs and after it: it reads partly migrated
        rows, and rows V1 writes after the backfill are never converted. Propel runs the SQL statement by
        statement (`src/Propel/Generator/Command/MigrationMigrateCommand.php` L150-L170). On MySQL nothing
        is transactional
        (`MysqlPlatform.php` L244-L262 only wraps the SQL in `SET FOREIGN_KEY_CHECKS`): a statement that
        fails later leaves the data half migrated with no rollback, and a large UPDATE/DELETE holds row
        locks V1's writes wait on. On PostgreSQL the whole migration is one `BEGIN;` … `COMMIT;`
        (`PgsqlPlatform.php` L337-L352), so every row the statement touched stays locked against V1's
        writes until the last statement of the migration has run, together with the ACCESS EXCLUSIVE
        locks of the DDL in the same transaction.

    Safe path:
        Release N: add the new structure additively and make V2 write both old and new shapes (or read
        either). Then backfill outside the deploy migration, in small batches (a console command or a
        queue worker, each batch its own transaction), re-running until no old-shape rows remain.
        Release N+1: drop the old shape once no V1 is left. Reference data for a new table can be
        inserted in the migration that creates the table.

    Platforms:
        MySQL: every statement commits on its own; a failure leaves partial data and Propel does not
        record the version (re-running repeats the statements that did succeed). PostgreSQL: one
        transaction, so a failure rolls back, but locks are held until `COMMIT`. `TRUNCATE` is also
        CL505 when hand-written; `REPLACE` exists on MySQL only.
    """

    code = "CL501"
    name = "data-statement"
    severity = WARNING
    handles = (MigrationStatement,)
    safe_path = ("release N: add the new structure and make V2 handle both shapes; backfill in small batches "
                 "outside the deploy migration; release N+1: remove the old shape")

    def check(self, event: MigrationStatement, ctx) -> None:
        statement = event.statement
        if statement.kind != "data" or not statement.table:
            return
        if created_earlier(ctx, statement):
            return  # seeding a table this migration created: V1 has no rows in it
        name = statement.table
        verb = statement.verb or "data statement"
        known = name in ctx.base.tables
        what = {"TRUNCATE": f"empties {name}", "DELETE": f"deletes rows of {name}",
                "INSERT": f"inserts rows into {name}", "REPLACE": f"replaces rows of {name}"}.get(
                    verb, f"rewrites rows of {name}")
        if (event.platform or ctx.platform) == "pgsql":
            why = ("the migration is one BEGIN/COMMIT transaction on PostgreSQL, so the touched rows stay locked "
                   "against V1's writes until it commits")
        else:
            why = ("MySQL runs it outside any transaction, so a later failure leaves the data half migrated, and "
                   "its row locks block V1's writes while it runs")
        where = "" if known else " (a table the schema files do not declare, but the migration does not create it)"
        if verb == "TRUNCATE":
            effect = "V1 finds it empty while it still relies on its rows"
        else:
            effect = "V1 sees partly migrated rows, and rows it writes meanwhile are not migrated"
        self.report(ctx, event, f"{verb} in the migration {what}{where} while V1 still reads and writes it: "
                    f"{effect}; {why}", detail=f"{verb}@{statement.origin.line}")

    INVALID = (
        Example(
            before=table("spy_sales_order", col("order_reference", "VARCHAR", size="45", required="true"),
                         col("is_test", "BOOLEAN")),
            after="",
            sql="UPDATE `spy_sales_order` SET `is_test` = 0 WHERE `is_test` IS NULL;\n",
            expect=(expect("CL501", "spy_sales_order", None),),
            severity=WARNING,
            note="a backfill of an existing table on MySQL (not transactional)",
        ),
        Example(
            before=table("spy_oms_transition_log", col("fk_sales_order", "INTEGER", required="true"),
                         col("created_at", "TIMESTAMP")),
            after="",
            sql=('\nBEGIN;\n\nDELETE FROM "spy_oms_transition_log" WHERE "created_at" < \'2020-01-01\';\n\n'
                 'COMMIT;\n'),
            sql_path="src/Orm/Propel/Migration_pgsql/PropelMigration_1700000100.sql",
            platform="pgsql",
            expect=(expect("CL501", "spy_oms_transition_log", None),),
            note="a cleanup inside Propel's BEGIN/COMMIT: rows stay locked until COMMIT",
        ),
        Example(
            before=table("pyz_loyalty_account", col("points", "INTEGER")),
            after="",
            sql=('ALTER TABLE "pyz_loyalty_account" ADD "tier" VARCHAR(16);\n\n'
                 'UPDATE "pyz_loyalty_account" SET "tier" = \'basic\' WHERE "points" < 1000;\n'),
            sql_path="src/Orm/Propel/Migration_pgsql/PropelMigration_1700000200.sql",
            platform="pgsql",
            expect=(expect("CL501", "pyz_loyalty_account", None),),
            note="backfilling a column added by the same migration: the table itself already existed",
        ),
        Example(
            before=table("spy_glossary_key", col("key", "VARCHAR", size="255", required="true"),
                         col("is_active", "BOOLEAN", required="true", defaultValue="true")),
            after="",
            sql="REPLACE INTO `spy_glossary_key` (`id_glossary_key`, `key`, `is_active`) VALUES (1, 'cart.title', 1);\n",
            expect=(expect("CL501", "spy_glossary_key", None),),
            note="REPLACE (MySQL only) is a DELETE plus INSERT",
        ),
        Example(
            before=table("spy_oms_event_timeout", col("timeout", "TIMESTAMP", required="true")),
            after="",
            sql="TRUNCATE TABLE `spy_oms_event_timeout`;\n",
            expect=(expect("CL501", "spy_oms_event_timeout", None),),
            note="TRUNCATE of an existing table (also CL505)",
        ),
    )
    VALID = (
        Example(
            before=table("pyz_loyalty_account", col("points", "INTEGER")),
            after="",
            sql=("CREATE TABLE `pyz_loyalty_tier`\n(\n    `id_loyalty_tier` INTEGER NOT NULL AUTO_INCREMENT,\n"
                 "    `name` VARCHAR(64) NOT NULL,\n    PRIMARY KEY (`id_loyalty_tier`)\n) ENGINE=InnoDB;\n\n"
                 "INSERT INTO `pyz_loyalty_tier` (`name`) VALUES ('basic'), ('gold');\n"),
            note="reference data for a table created by the same migration",
        ),
        Example(
            before=table("pyz_loyalty_account", col("points", "INTEGER")),
            after="",
            sql=('\nBEGIN;\n\nCREATE TABLE "pyz_loyalty_tier"\n(\n    "id_loyalty_tier" serial NOT NULL,\n'
                 '    "name" VARCHAR(64) NOT NULL,\n    PRIMARY KEY ("id_loyalty_tier")\n);\n\n'
                 'INSERT INTO "pyz_loyalty_tier" ("name") VALUES (\'basic\');\n\nCOMMIT;\n'),
            sql_path="src/Orm/Propel/Migration_pgsql/PropelMigration_1700000300.sql",
            platform="pgsql",
            note="seeding a new table on PostgreSQL",
        ),
        Example(
            before=table("pyz_loyalty_account", col("points", "INTEGER")),
            after="",
            sql="ALTER TABLE `pyz_loyalty_account` ADD `tier` VARCHAR(16) AFTER `points`;\n",
            note="DDL only, no data statement",
        ),
        Example(
            before=table("pyz_loyalty_account", col("points", "INTEGER")),
            after="",
            sql='ALTER TABLE "pyz_loyalty_account" ADD "tier" VARCHAR(16);\n',
            sql_path="src/Orm/Propel/Migration_pgsql/PropelMigration_1700000400.sql",
            platform="pgsql",
            note="DDL only, no data statement (PostgreSQL)",
        ),
    )
