from __future__ import annotations

from compatlint.changes import ColumnAdded
from compatlint.rule import Example, Rule, expect

from ._column_types import mysql_native_timestamp
from ._common import ERROR, col, table


class RequiredColumnWithoutDefault(Rule):
    """A NOT NULL column without a default is added to an existing table.

    What it flags:
        A column added to a table that exists at both revisions, `required="true"` (or `primaryKey`), with no
        `defaultValue`/`default`/`defaultExpr` and not `autoIncrement`. Columns of new tables are part of
        TableAdded and never reach this rule. Not flagged on MySQL: a NOT NULL `TIMESTAMP`, which
        `MysqlPlatform::getColumnDDL` gives `DEFAULT CURRENT_TIMESTAMP` (propelorm/Propel2 2.0.0-beta3
        `src/Propel/Generator/Platform/MysqlPlatform.php` L500-L510).

    Why V1 breaks:
        V1's generated `doInsert()` names only the columns it marked modified
        (propelorm/Propel2 2.0.0-beta3 `src/Propel/Generator/Builder/Om/ObjectBuilder.php` L6535-L6686,
        column list L6605-L6611). V1 knows nothing of the new column, so every V1 INSERT into the table leaves
        it out; with NOT NULL and no default the database rejects the row (MySQL strict mode: "Field doesn't
        have a default value"; PostgreSQL: not-null violation) until the last V1 service is gone.

    Safe path:
        Release N: add the column nullable or with a default and make V2 write it; backfill existing rows.
        Release N+1 (no V1 left that omits it): make it required, dropping the default if wanted.

    Platforms:
        PostgreSQL: `ALTER TABLE .. ADD "c" .. NOT NULL` without a default already fails on a table that has
        rows, so the migration aborts and is rolled back. MySQL fills existing rows with the type's implicit
        value (0, '', zero date) and only V1 INSERTs fail; a NOT NULL TIMESTAMP gets CURRENT_TIMESTAMP from
        Propel and is not flagged there.
    """

    code = "CL201"
    name = "required-column-without-default"
    severity = ERROR
    handles = (ColumnAdded,)
    safe_path = ("release N: add the column nullable or with a default, write it from V2 and backfill; "
                 "release N+1: make it required")

    def check(self, event: ColumnAdded, ctx) -> None:
        column = event.column
        if not column.not_null or column.default is not None or column.auto_increment:
            return
        if mysql_native_timestamp(ctx.platform, column):
            return  # Propel gives a NOT NULL TIMESTAMP `DEFAULT CURRENT_TIMESTAMP` on MySQL
        table_name = event.head.name
        if ctx.platform == "pgsql":
            migration = (f"; on PostgreSQL the ADD COLUMN itself fails as soon as {table_name} has rows, "
                         "and the migration is rolled back")
        else:
            migration = "; MySQL fills the existing rows with the type's implicit value"
        self.report(ctx, event, f"{table_name}.{column.name} is added NOT NULL without a default: V1 does not know "
                    f"it, so every V1 INSERT into {table_name} leaves it out and fails{migration}",
                    column=column.name)

    INVALID = (
        Example(
            before=table("spy_sales_order", col("order_reference", "VARCHAR", size="45", required="true")),
            after=table("spy_sales_order", col("order_reference", "VARCHAR", size="45", required="true"),
                        col("order_channel", "VARCHAR", size="64", required="true")),
            expect=(expect("CL201", "spy_sales_order", "order_channel"),),
            severity=ERROR,
        ),
        Example(
            before=table("pyz_loyalty_account", col("points", "INTEGER", required="true", defaultValue="0")),
            after=table("pyz_loyalty_account", col("points", "INTEGER", required="true", defaultValue="0"),
                        col("fk_customer", "INTEGER", required="true")),
            expect=(expect("CL201", "pyz_loyalty_account", "fk_customer"),),
            platform="pgsql",
            note="PostgreSQL: the ADD COLUMN already fails on a table with rows",
        ),
        Example(
            before=table("pyz_voucher_pool", col("name", "VARCHAR", size="255", required="true")),
            after=table("pyz_voucher_pool", col("name", "VARCHAR", size="255", required="true"),
                        col("valid_from", "TIMESTAMP", required="true")),
            expect=(expect("CL201", "pyz_voucher_pool", "valid_from"),),
            platform="pgsql",
            note="a NOT NULL TIMESTAMP gets no implicit default on PostgreSQL (compare the MySQL VALID example)",
        ),
    )
    VALID = (
        Example(
            before=table("spy_sales_order", col("order_reference", "VARCHAR", size="45", required="true")),
            after=table("spy_sales_order", col("order_reference", "VARCHAR", size="45", required="true"),
                        col("order_channel", "VARCHAR", size="64")),
            note="nullable: V1 INSERTs leave it NULL",
        ),
        Example(
            before=table("spy_customer", col("email", "VARCHAR", size="255", required="true")),
            after=table("spy_customer", col("email", "VARCHAR", size="255", required="true"),
                        col("is_newsletter_confirmed", "BOOLEAN", required="true", defaultValue="false")),
            platform="pgsql",
            note="required with a default: V1 INSERTs get the default",
        ),
        Example(
            before=table("pyz_voucher_pool", col("name", "VARCHAR", size="255", required="true")),
            after=table("pyz_voucher_pool", col("name", "VARCHAR", size="255", required="true"),
                        col("valid_from", "TIMESTAMP", required="true")),
            note="MySQL: Propel writes a NOT NULL TIMESTAMP as DEFAULT CURRENT_TIMESTAMP",
        ),
        Example(
            before=table("pyz_loyalty_account", col("points", "INTEGER")),
            after=table("pyz_loyalty_account", col("points", "INTEGER")) + "\n"
            + table("pyz_loyalty_tier", col("name", "VARCHAR", size="64", required="true")),
            note="a required column of a new table is part of TableAdded",
        ),
    )
