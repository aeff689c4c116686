from __future__ import annotations

from compatlint.changes import ColumnChanged
from compatlint.rule import Example, Rule, expect

from ._column_types import NARROWED, migration_using, type_location, type_verdict
from ._common import ERROR, col, table


class ColumnNarrowed(Rule):
    """A column keeps its kind but can hold less: size, precision, scale or integer range reduced.

    What it flags:
        VARCHAR/CHAR length reduced; LONGVARCHAR/CLOB (MySQL TEXT/LONGTEXT) turned into VARCHAR or a smaller
        text type; DECIMAL precision or scale reduced; BIGINT -> INTEGER and other integer range reductions;
        DATETIME -> DATE or -> TIMESTAMP (MySQL 1970-2038 range); fewer fractional seconds; and on PostgreSQL a
        VARCHAR without size (unbounded there, `supportsVarcharWithoutSize`, propelorm/Propel2 2.0.0-beta3
        `src/Propel/Generator/Platform/PgsqlPlatform.php` L607-L610) that gets a size. Only where Propel emits
        DDL for the type. MySQL integer display width (`INTEGER(11)` vs `INTEGER`) is not a narrowing.

    Why V1 breaks:
        V1 still writes values sized for the old column (its PHP model has no length checks): after
        `Run_install` they are rejected or truncated. The migration converts existing rows that may not fit.
        A PHP string of N characters takes up to 4N bytes in utf8mb4, so VARCHAR(255) -> TINYTEXT narrows too.

    Safe path:
        Release N: make V2 and every V1 writer respect the smaller size and clean up the data that does not
        fit. Release N+1: narrow the column. Or keep the wider column.

    Platforms:
        MySQL converts with `CHANGE` (`src/Propel/Generator/Platform/MysqlPlatform.php` L866-L900): in strict
        mode the ALTER fails on values that do not fit (earlier statements stay applied), without strict mode
        they are truncated silently. PostgreSQL fails and rolls the migration back. On PostgreSQL BIGINT ->
        INTEGER, LONGVARCHAR -> VARCHAR and CHAR size changes go through ` USING NULL` and are CL203 instead.
    """

    code = "CL204"
    name = "column-narrowed"
    severity = ERROR
    handles = (ColumnChanged,)
    safe_path = ("release N: make every writer respect the smaller size and fix the data that does not fit; "
                 "release N+1: narrow the column")

    def check(self, event: ColumnChanged, ctx) -> None:
        verdict = type_verdict(event, ctx.platform, migration_using(event, ctx))
        if verdict is None or verdict.verdict != NARROWED:
            return
        column = event.after.name
        if ctx.platform == "pgsql":
            migration = "the ALTER fails on existing values that do not fit and rolls the migration back"
        else:
            migration = ("the ALTER fails on existing values that do not fit in strict mode, or truncates them "
                         "silently without it")
        self.report(ctx, event, f"{event.head.name}.{column} narrows from {verdict.before} to {verdict.after} "
                    f"({verdict.reason}): V1 still writes values that no longer fit; {migration}",
                    column=column, location=type_location(event))

    INVALID = (
        Example(
            before=table("spy_sales_order", col("order_reference", "VARCHAR", size="255", required="true")),
            after=table("spy_sales_order", col("order_reference", "VARCHAR", size="100", required="true")),
            expect=(expect("CL204", "spy_sales_order", "order_reference"),),
        ),
        Example(
            before=table("spy_sales_order", col("order_reference", "VARCHAR", required="true")),
            after=table("spy_sales_order", col("order_reference", "VARCHAR", size="64", required="true")),
            expect=(expect("CL204", "spy_sales_order", "order_reference"),),
            platform="pgsql",
            note="PostgreSQL: a VARCHAR without size is unbounded, so any size narrows it",
        ),
        Example(
            before=table("spy_event_behavior_entity_change", col("id_reference", "BIGINT")),
            after=table("spy_event_behavior_entity_change", col("id_reference", "INTEGER")),
            expect=(expect("CL204", "spy_event_behavior_entity_change", "id_reference"),),
        ),
        Example(
            before=table("spy_cms_block", col("template_content", "LONGVARCHAR")),
            after=table("spy_cms_block", col("template_content", "VARCHAR", size="255")),
            expect=(expect("CL204", "spy_cms_block", "template_content"),),
            note="MySQL TEXT (64 KB) -> VARCHAR(255)",
        ),
        Example(
            before=table("spy_price_product_store", col("gross_price", "DECIMAL", size="12", scale="4")),
            after=table("spy_price_product_store", col("gross_price", "DECIMAL", size="12", scale="2")),
            expect=(expect("CL204", "spy_price_product_store", "gross_price"),),
            platform="pgsql",
        ),
    )
    VALID = (
        Example(
            before=table("spy_sales_order", col("order_reference", "VARCHAR", size="100")),
            after=table("spy_sales_order", col("order_reference", "VARCHAR", size="255")),
            note="a widening, CL210",
        ),
        Example(
            before=table("spy_stock_product", col("quantity", "INTEGER", size="10")),
            after=table("spy_stock_product", col("quantity", "INTEGER")),
            note="MySQL integer display width only",
        ),
        Example(
            before=table("spy_event_behavior_entity_change", col("id_reference", "BIGINT")),
            after=table("spy_event_behavior_entity_change", col("id_reference", "INTEGER")),
            platform="pgsql",
            note="PostgreSQL converts INT8 -> INTEGER USING NULL: CL203",
        ),
        Example(
            before=table("spy_cms_block", col("template_content", "LONGVARCHAR")),
            after=table("spy_cms_block", col("template_content", "VARCHAR", size="255")),
            platform="pgsql",
            note="PostgreSQL converts TEXT -> VARCHAR USING NULL: CL203",
        ),
    )
