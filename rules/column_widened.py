from __future__ import annotations

from compatlint.changes import ColumnChanged
from compatlint.rule import Example, Rule, expect

from ._column_types import WIDENED, shape, migration_using, type_location, type_verdict
from ._common import INFO, col, table


class ColumnWidened(Rule):
    """A column keeps its kind and can hold more: size, precision or range grown.

    What it flags:
        VARCHAR/CHAR length grown, VARCHAR -> LONGVARCHAR/CLOB on MySQL, CHAR -> VARCHAR, DECIMAL precision
        and scale grown, SMALLINT -> INTEGER -> BIGINT (MySQL), REAL -> DOUBLE, DATE -> DATETIME and
        TIMESTAMP -> DATETIME (MySQL), more fractional seconds; where Propel emits DDL for it and, on PostgreSQL,
        `getUsingCast` needs no cast (propelorm/Propel2 2.0.0-beta3
        `src/Propel/Generator/Platform/PgsqlPlatform.php` L782-L815).

    Why V1 breaks:
        It does not: every value V1 writes still fits and V1 reads the same PHP type. V1 may meet longer strings
        or bigger numbers written by V2, which matters only where V1 code assumes the old limits. The cost is
        in the migration: MySQL's `CHANGE` (`MysqlPlatform.php` L866-L900) copies the whole table for most type
        changes, locking writes on large tables during `Run_install`.

    Safe path:
        Nothing to stage. For large MySQL tables, plan the table copy (or run it online beforehand).

    Platforms:
        MySQL: VARCHAR growth is done in place only while the length prefix stays one byte (up to 255 bytes) or
        stays two bytes; everything else rebuilds the table. PostgreSQL: VARCHAR length and NUMERIC precision
        growth change only the catalog; integer and float type changes rewrite the table. On PostgreSQL INTEGER ->
        BIGINT and VARCHAR -> LONGVARCHAR go through ` USING NULL` and are CL203, not widenings.
    """

    code = "CL210"
    name = "column-widened"
    severity = INFO
    handles = (ColumnChanged,)
    safe_path = "nothing to stage; plan the table rebuild on large MySQL tables"

    def check(self, event: ColumnChanged, ctx) -> None:
        verdict = type_verdict(event, ctx.platform, migration_using(event, ctx))
        if verdict is None or verdict.verdict != WIDENED:
            return
        column = event.after.name
        old, new = shape(ctx.platform, event.before), shape(ctx.platform, event.after)
        same_type = old.native == new.native
        if ctx.platform == "pgsql":
            cost = ("PostgreSQL only updates the catalog" if same_type and old.kind in ("text", "decimal")
                    else "PostgreSQL rewrites the table under an exclusive lock")
        elif same_type and old.kind == "text" and new.capacity[1] > 255 >= old.capacity[1]:
            cost = "MySQL rebuilds the table (the VARCHAR length prefix grows from one to two bytes)"
        elif same_type and old.kind == "text":
            cost = "MySQL can do this in place"
        else:
            cost = "MySQL's CHANGE copies the whole table, locking writes while it runs"
        self.report(ctx, event, f"{event.head.name}.{column} widens from {verdict.before} to {verdict.after}: "
                    f"{verdict.reason}; {cost}", column=column, location=type_location(event))

    INVALID = (
        Example(
            before=table("spy_sales_order", col("order_reference", "VARCHAR", size="100")),
            after=table("spy_sales_order", col("order_reference", "VARCHAR", size="255")),
            expect=(expect("CL210", "spy_sales_order", "order_reference"),),
            severity=INFO,
        ),
        Example(
            before=table("spy_sales_order_item", col("quantity", "INTEGER", required="true")),
            after=table("spy_sales_order_item", col("quantity", "BIGINT", required="true")),
            expect=(expect("CL210", "spy_sales_order_item", "quantity"),),
            note="MySQL: INTEGER -> BIGINT widens (on PostgreSQL it is CL203)",
        ),
        Example(
            before=table("spy_product_abstract", col("approval_status", "VARCHAR", size="64")),
            after=table("spy_product_abstract", col("approval_status", "VARCHAR", size="128")),
            expect=(expect("CL210", "spy_product_abstract", "approval_status"),),
            platform="pgsql",
        ),
        Example(
            before=table("spy_stock_product", col("reserved", "SMALLINT")),
            after=table("spy_stock_product", col("reserved", "INTEGER")),
            expect=(expect("CL210", "spy_stock_product", "reserved"),),
            platform="pgsql",
            note="INT2 -> INTEGER needs no cast on PostgreSQL",
        ),
        Example(
            before=table("spy_cms_block", col("template_content", "VARCHAR", size="255")),
            after=table("spy_cms_block", col("template_content", "LONGVARCHAR")),
            expect=(expect("CL210", "spy_cms_block", "template_content"),),
            note="MySQL VARCHAR(255) -> TEXT",
        ),
    )
    VALID = (
        Example(
            before=table("spy_sales_order_item", col("quantity", "INTEGER", required="true")),
            after=table("spy_sales_order_item", col("quantity", "BIGINT", required="true")),
            platform="pgsql",
            note="PostgreSQL: TYPE INT8 USING NULL is CL203",
        ),
        Example(
            before=table("spy_sales_order", col("order_reference", "VARCHAR", size="255")),
            after=table("spy_sales_order", col("order_reference", "VARCHAR", size="100")),
            note="a narrowing, CL204",
        ),
        Example(
            before=table("spy_stock_product", col("quantity", "INTEGER")),
            after=table("spy_stock_product", col("quantity", "INTEGER", size="10")),
            note="MySQL integer display width only",
        ),
    )
