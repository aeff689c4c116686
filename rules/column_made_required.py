from __future__ import annotations

from compatlint.changes import NOT_NULL, PRIMARY_KEY, ColumnChanged
from compatlint.rule import Example, Rule, expect

from ._common import ERROR, col, table


class ColumnMadeRequired(Rule):
    """A nullable column becomes NOT NULL.

    What it flags:
        A column that was nullable at base and is NOT NULL at head, through `required="true"` or by joining the
        primary key (`isNotNull = required || primaryKey`, propelorm/Propel2 2.0.0-beta3
        `src/Propel/Generator/Model/Column.php` L334), where Propel emits DDL for it.

    Why V1 breaks:
        V1 was built for a nullable column: it writes NULL into it, or leaves it out of its INSERTs, because
        `doInsert()` names only modified columns (`src/Propel/Generator/Builder/Om/ObjectBuilder.php`
        L6605-L6611). After `Run_install` both fail until the last V1 service is gone. A default added at the same
        time only rescues the INSERTs that leave the column out; an explicit NULL from V1 still fails. The
        migration itself fails when existing rows hold NULL.

    Safe path:
        Release N: make V2 always write the column and backfill the NULL rows (optionally add a default).
        Release N+1, once no V1 writes NULL: make it required.

    Platforms:
        PostgreSQL: `ALTER COLUMN "c" SET NOT NULL` (`src/Propel/Generator/Platform/PgsqlPlatform.php`
        L728-L734) fails on existing NULLs and the whole migration (one `BEGIN`/`COMMIT`) is rolled back. MySQL:
        `CHANGE` with the full column definition (`MysqlPlatform.php` L866-L900) fails on NULLs in strict mode
        (statements before it stay applied: MySQL DDL is not transactional) and turns them into the type's
        implicit value without strict mode.
    """

    code = "CL202"
    name = "column-made-required"
    severity = ERROR
    handles = (ColumnChanged,)
    safe_path = ("release N: make V2 always write the column and backfill NULL rows; "
                 "release N+1: make it required")

    def check(self, event: ColumnChanged, ctx) -> None:
        before, after = event.before, event.after
        if NOT_NULL not in event.changes or before.not_null or not after.not_null or not event.ddl:
            return
        table_name = event.head.name
        how = " (it joins the primary key)" if PRIMARY_KEY in event.changes and after.primary_key else ""
        if after.default is not None:
            writes = (f"its new default {after.default} covers V1 INSERTs that leave it out, but V1 writing NULL "
                      "explicitly still fails")
        else:
            writes = "V1 writes NULL into it or leaves it out of its INSERTs, and both now fail"
        if ctx.platform == "pgsql":
            migration = "SET NOT NULL fails on existing NULL rows and rolls the migration back"
        else:
            migration = "the ALTER fails on existing NULL rows in strict mode (earlier statements stay applied)"
        self.report(ctx, event, f"{table_name}.{after.name} becomes NOT NULL{how}: {writes}; {migration}",
                    column=after.name, location=event.location_of(NOT_NULL, PRIMARY_KEY))

    INVALID = (
        Example(
            before=table("spy_sales_order_item", col("fk_sales_shipment", "INTEGER")),
            after=table("spy_sales_order_item", col("fk_sales_shipment", "INTEGER", required="true")),
            expect=(expect("CL202", "spy_sales_order_item", "fk_sales_shipment"),),
        ),
        Example(
            before=table("spy_customer", col("phone", "VARCHAR", size="255")),
            after=table("spy_customer", col("phone", "VARCHAR", size="255", required="true", defaultValue="")),
            expect=(expect("CL202", "spy_customer", "phone"),),
            platform="pgsql",
            severity=ERROR,
            note="the new default does not help V1 code that sets NULL explicitly",
        ),
        Example(
            before='<table name="pyz_product_label_store">\n'
                   '    <column name="fk_product_label" type="INTEGER" primaryKey="true"/>\n'
                   '    <column name="fk_store" type="INTEGER"/>\n</table>',
            after='<table name="pyz_product_label_store">\n'
                  '    <column name="fk_product_label" type="INTEGER" primaryKey="true"/>\n'
                  '    <column name="fk_store" type="INTEGER" primaryKey="true"/>\n</table>',
            expect=(expect("CL202", "pyz_product_label_store", "fk_store"),),
            note="joining the primary key makes the column NOT NULL (the key change itself is CL304)",
        ),
    )
    VALID = (
        Example(
            before=table("spy_customer", col("phone", "VARCHAR", size="255", required="true")),
            after=table("spy_customer", col("phone", "VARCHAR", size="255")),
            note="the opposite direction is CL208",
        ),
        Example(
            before=table("spy_sales_order_item", col("quantity", "INTEGER", required="true")),
            after=table("spy_sales_order_item", col("quantity", "INTEGER", required="true", defaultValue="1")),
            platform="pgsql",
            note="already required: only a default is added",
        ),
    )
