from __future__ import annotations

from compatlint.changes import MigrationStatement
from compatlint.rule import Example, Rule, expect

from ._common import ERROR, col, created_earlier, php_migration, table

_MYSQL_BEGIN = ("\n# This is a fix for InnoDB in MySQL >= 4.1.x\n# It \"suspends judgement\" for fkey relationships "
                "until are tables are set.\nSET FOREIGN_KEY_CHECKS = 0;\n\n")
_MYSQL_END = "\n# This restores the fkey checks, after having unset them earlier\nSET FOREIGN_KEY_CHECKS = 1;\n\n"


class DestructiveRawSql(Rule):
    """A hand-written migration statement drops, renames or truncates a table or column.

    What it flags:
        Statements with `hand_written` set, i.e. not what `propel:diff` generates for the schema change:
        every statement of a `.sql` file, and in a `PropelMigration_*.php` checked together with the
        schema change, every statement that is not one of Propel's predicted statements
        (`compatlint.sql.generate.plan`, propelorm/Propel2 2.0.0-beta3 `DefaultPlatform.php` L811-L943,
        `MysqlPlatform.php`, `PgsqlPlatform.php`). Flagged: `DROP TABLE` (one finding per table),
        `ALTER TABLE … DROP [COLUMN]`, `RENAME TABLE` / `ALTER TABLE … RENAME TO`, `RENAME COLUMN`, a
        MySQL `CHANGE old new …` with another name, and `TRUNCATE`. The column is the dropped or renamed
        (old) column; none for tables. Tables created by an earlier `CREATE TABLE` of the same migration
        (scratch tables) are not flagged.

    Why V1 breaks:
        V1's generated code names the table and every non-lazy column in its queries (propelorm/Propel2
        2.0.0-beta3 `src/Propel/Generator/Builder/Om/TableMapBuilder.php` L1274-L1312,
        `Builder/Om/QueryBuilder.php` L597-L640). A drop or rename in the migration, which runs in
        `Run_install` while V1 serves traffic (spryker/spryker-docs
        `docs/ca/dev/configure-deployment-pipelines/deployment-in-states.md` L114-L120), makes every V1
        query of it fail until the last V1 service is replaced; a drop or TRUNCATE also loses the data
        for good, and no `getDownSQL()` brings it back. Written by hand, it is also invisible in the schema
        XML that reviewers and the schema rules read. On MySQL each DDL statement commits on its own
        (`MysqlPlatform.php` L244-L262 wraps nothing in a transaction), so a later failure cannot undo it.

    Safe path:
        Release N: stop using the table or column in code (lazy-load and make it nullable, or keep writing
        both names), and express the change in the schema XML, not in SQL. Release N+1: drop it through the
        schema change, so Propel generates the DDL. Rename by adding the new column, copying in batches and
        dropping the old one a release later; keep rows with an archive table instead of TRUNCATE.

    Platforms:
        Same on MySQL and PostgreSQL; only MySQL expresses a column rename as `CHANGE old new`. PostgreSQL runs the
        migration in `BEGIN;` … `COMMIT;` (`PgsqlPlatform.php` L337-L352), so a failure rolls the drop back,
        but once committed it is as final as on MySQL. The same statements are also reported by the schema
        rules (CL101, CL102, CL401, CL402, …) at their SQL line.
    """

    code = "CL505"
    name = "destructive-raw-sql"
    severity = ERROR
    handles = (MigrationStatement,)
    safe_path = ("release N: stop using the table or column and express the change in the schema XML; "
                 "release N+1: let Propel generate the drop")

    def check(self, event: MigrationStatement, ctx) -> None:
        from compatlint.sql.actions import (ChangeColumn, DataChange, DropColumn, DropObject, DropTable,  # imported when SQL is linted
                                         RenameColumn, RenameTable)

        statement = event.statement
        if not statement.hand_written or statement.kind == "unparsed":
            return
        if created_earlier(ctx, statement):
            return  # a scratch table made by this migration
        tail = "V1 still uses it and fails until all V1 services are gone"
        for action in statement.actions:
            name = action.table or statement.table
            if isinstance(action, DropTable):
                self.report(ctx, event, f"hand-written DROP TABLE {name}: {tail}; its rows are lost for good",
                            table=name, detail=f"drop table {name}")
            elif isinstance(action, DropColumn):
                self.report(ctx, event, f"hand-written DROP COLUMN {name}.{action.name}: V1 selects it in every query "
                            f"of {name} and fails until all V1 services are gone; its data is lost for good",
                            table=name, column=action.name, detail=f"drop column {action.name}")
            elif isinstance(action, RenameTable):
                self.report(ctx, event, f"hand-written rename of table {name} to {action.new_name}: {tail}",
                            table=name, detail=f"rename table {name}")
            elif isinstance(action, RenameColumn):
                self._renamed(ctx, event, name, action.old_name, action.new_name, tail)
            elif isinstance(action, ChangeColumn) and action.old_name != action.column.name:
                self._renamed(ctx, event, name, action.old_name, action.column.name, tail)
            elif isinstance(action, DropObject):
                self.report(ctx, event, f"hand-written DROP {action.kind} {action.name}: everything in it is gone for V1 "
                            "and V2 alike; nothing of this belongs in a schema migration", table=None,
                            detail=f"drop {action.kind.lower()} {action.name}")
            elif isinstance(action, DataChange) and action.verb == "TRUNCATE":
                self.report(ctx, event, f"hand-written TRUNCATE of {name} deletes every row V1 still reads; it cannot be "
                            "undone", table=name, detail=f"truncate {name}")

    def _renamed(self, ctx, event, table_name: str, old: str, new: str, tail: str) -> None:
        self.report(ctx, event, f"hand-written rename of {table_name}.{old} to {new}: V1 selects {old} in every query "
                    f"of {table_name}; {tail}", table=table_name, column=old, detail=f"rename column {old}")

    INVALID = (
        Example(
            before=table("spy_sales_order", col("order_reference", "VARCHAR", size="45", required="true"),
                         col("is_test", "BOOLEAN")),
            after="",
            sql="ALTER TABLE `spy_sales_order` DROP `is_test`;\n",
            expect=(expect("CL505", "spy_sales_order", "is_test"),),
            severity=ERROR,
            note="a DROP in a .sql file is hand-written (also CL102)",
        ),
        Example(
            before=table("pyz_loyalty_account", col("points", "INTEGER")),
            after="",
            sql=('\nBEGIN;\n\nALTER TABLE "pyz_loyalty_account" RENAME COLUMN "points" TO "points_balance";\n\n'
                 'COMMIT;\n'),
            sql_path="src/Orm/Propel/Migration_pgsql/PropelMigration_1700003000.sql",
            platform="pgsql",
            expect=(expect("CL505", "pyz_loyalty_account", "points"),),
            note="a hand-written column rename on PostgreSQL",
        ),
        Example(
            before=table("pyz_loyalty_account", col("points", "INTEGER")),
            after="",
            sql="ALTER TABLE `pyz_loyalty_account` CHANGE `points` `points_balance` INTEGER;\n",
            expect=(expect("CL505", "pyz_loyalty_account", "points"),),
            note="MySQL CHANGE with another name is a rename",
        ),
        Example(
            before=table("spy_oms_event_timeout", col("timeout", "TIMESTAMP", required="true")),
            after="",
            sql="TRUNCATE TABLE `spy_oms_event_timeout`;\n",
            expect=(expect("CL505", "spy_oms_event_timeout", None),),
            note="TRUNCATE (also CL501)",
        ),
        Example(
            before=table("pyz_loyalty_legacy", col("code", "VARCHAR", size="32")),
            after="",
            sql='\nBEGIN;\n\nDROP TABLE IF EXISTS "pyz_loyalty_legacy" CASCADE;\n\nCOMMIT;\n',
            sql_path="src/Orm/Propel/Migration_pgsql/PropelMigration_1700003100.sql",
            platform="pgsql",
            expect=(expect("CL505", "pyz_loyalty_legacy", None),),
            note="a hand-written DROP TABLE on PostgreSQL",
        ),
        Example(
            before=table("pyz_loyalty_legacy", col("code", "VARCHAR", size="32")),
            after="",
            sql="RENAME TABLE `pyz_loyalty_legacy` TO `pyz_loyalty_archive`;\n",
            expect=(expect("CL505", "pyz_loyalty_legacy", None),),
            note="MySQL RENAME TABLE",
        ),
        Example(
            before=table("pyz_loyalty_account", col("legacy_code", "VARCHAR", size="32"), col("points", "INTEGER")),
            after=table("pyz_loyalty_account", col("legacy_code", "VARCHAR", size="32"), col("points", "INTEGER"),
                        col("tier", "VARCHAR", size="16")),
            sql=php_migration(1709634000, _MYSQL_BEGIN + "ALTER TABLE `pyz_loyalty_account`\n\n"
                              "  ADD `tier` VARCHAR(16) AFTER `points`;\n\n"
                              "ALTER TABLE `pyz_loyalty_account` DROP `legacy_code`;\n" + _MYSQL_END),
            sql_path="src/Orm/Propel/Migration_mysql/PropelMigration_1709634000.php",
            with_schema_change=True,
            expect=(expect("CL505", "pyz_loyalty_account", "legacy_code"),),
            note="Propel's generated ADD plus a DROP added by hand to the PHP migration: only the DROP is flagged",
        ),
    )
    VALID = (
        Example(
            before=table("pyz_loyalty_account", col("legacy_code", "VARCHAR", size="32"), col("points", "INTEGER")),
            after=table("pyz_loyalty_account", col("points", "INTEGER")),
            sql=php_migration(1709634100, _MYSQL_BEGIN + "ALTER TABLE `pyz_loyalty_account`\n\n  DROP `legacy_code`;\n"
                              + _MYSQL_END),
            sql_path="src/Orm/Propel/Migration_mysql/PropelMigration_1709634100.php",
            with_schema_change=True,
            note="the DROP propel:diff generates for the schema change is not hand-written (CL102 judges it)",
        ),
        Example(
            before=table("pyz_loyalty_account", col("points_total", "INTEGER")),
            after=table("pyz_loyalty_account", col("points_balance", "INTEGER")),
            sql=php_migration(1709634200, '\nBEGIN;\n\nALTER TABLE "pyz_loyalty_account" RENAME COLUMN "points_total" '
                                          'TO "points_balance";\n\nCOMMIT;\n\n'),
            sql_path="src/Orm/Propel/Migration_pgsql/PropelMigration_1709634200.php",
            platform="pgsql",
            with_schema_change=True,
            note="the rename Propel detects and generates (CL402 judges it)",
        ),
        Example(
            before=table("pyz_loyalty_account", col("points", "INTEGER")),
            after="",
            sql=("CREATE TABLE `pyz_loyalty_account_copy`\n(\n    `id_loyalty_account` INTEGER NOT NULL,\n"
                 "    `points` INTEGER,\n    PRIMARY KEY (`id_loyalty_account`)\n) ENGINE=InnoDB;\n\n"
                 "INSERT INTO `pyz_loyalty_account_copy` SELECT `id_loyalty_account`, `points` FROM "
                 "`pyz_loyalty_account`;\n\nDROP TABLE IF EXISTS `pyz_loyalty_account_copy`;\n"),
            note="a scratch table created and dropped by the same migration",
        ),
        Example(
            before=table("spy_sales_order", col("store", "VARCHAR", size="255"),
                         '<index name="spy_sales_order-store"><index-column name="store"/></index>'),
            after="",
            sql=('ALTER TABLE "spy_sales_order" ADD "is_test" BOOLEAN;\n\n'
                 'ALTER TABLE "spy_sales_order" ALTER COLUMN "store" DROP NOT NULL;\n'),
            sql_path="src/Orm/Propel/Migration_pgsql/PropelMigration_1700003200.sql",
            platform="pgsql",
            note="additive, hand-written SQL: nothing dropped or renamed",
        ),
        Example(
            before=table("spy_sales_order_item", col("quantity", "INTEGER", required="true")),
            after="",
            sql="ALTER TABLE `spy_sales_order_item` CHANGE `quantity` `quantity` BIGINT NOT NULL;\n",
            note="CHANGE with the same name is a type change, not a rename (CL502 judges it)",
        ),
    )
