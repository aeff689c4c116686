from __future__ import annotations

from compatlint.changes import DEFAULT, ColumnChanged
from compatlint.rule import Example, Rule, expect

from ._column_types import default_ddl, defaults_equivalent
from ._common import INFO, col, table


class DefaultChanged(Rule):
    """A column's default value or expression changes.

    What it flags:
        A column with a default at both revisions whose default differs in Propel's eyes
        (`ColumnDefaultValue::equals`, propelorm/Propel2 2.0.0-beta3
        `src/Propel/Generator/Model/ColumnDefaultValue.php` L109-L125): another kind (value vs `defaultExpr`) or
        another value, where PHP's loose `==` makes `1` and `1.0` equal and CURRENT_TIMESTAMP equals NOW(); and
        whose DEFAULT clause differs (`src/Propel/Generator/Platform/DefaultPlatform.php` L448-L484: BOOLEAN
        `true` and `1` are both `DEFAULT 1`). Such equivalent spellings produce no migration and are not
        reported. On PostgreSQL a change of the kind alone (same text) is skipped too: `getModifyColumnDDL`
        acts only on `defaultValueValue` (`src/Propel/Generator/Platform/PgsqlPlatform.php` L719-L726).
        Removing a default is CL205; adding one is harmless.

    Why V1 breaks:
        It does not fail, but V1 rows silently get the new default: `applyDefaultValues` puts V1's own default
        into the PHP object without marking the column modified (`src/Propel/Generator/Builder/Om/ObjectBuilder.php`
        L821-L847), `doInsert()` leaves unmodified columns out (L6605-L6611), and the database fills in V2's
        default. A V1 object then holds the old default in memory while its row holds the new one.

    Safe path:
        Nothing to stage; check that V1 code reading rows it created does not depend on the old default.

    Platforms:
        MySQL rewrites the column definition with `CHANGE`; PostgreSQL emits `ALTER COLUMN "c" SET DEFAULT`.
        Neither touches existing rows.
    """

    code = "CL209"
    name = "default-changed"
    severity = INFO
    handles = (ColumnChanged,)
    safe_path = "nothing to stage; make sure V1 does not depend on the old default"

    def check(self, event: ColumnChanged, ctx) -> None:
        before, after = event.before.default, event.after.default
        if DEFAULT not in event.changes or before is None or after is None or not event.ddl:
            return
        if defaults_equivalent(before, after):
            return  # ColumnDefaultValue::equals: Propel emits nothing
        if default_ddl(ctx.platform, event.before) == default_ddl(ctx.platform, event.after):
            return  # e.g. BOOLEAN `true` -> `1`: the same DEFAULT clause, so no migration
        if ctx.platform == "pgsql" and before.value == after.value:
            return  # only the kind changed: PostgreSQL's getModifyColumnDDL emits nothing for it
        column = event.after.name
        memory = "" if before.is_expression else f", while the V1 object keeps {before} in memory"
        self.report(ctx, event, f"{event.head.name}.{column} default changes from {before} to {after}: V1 INSERTs "
                    f"that do not set it get {after}{memory}", column=column, location=event.location_of(DEFAULT))

    INVALID = (
        Example(
            before=table("spy_sales_order_item", col("quantity", "INTEGER", required="true", defaultValue="1")),
            after=table("spy_sales_order_item", col("quantity", "INTEGER", required="true", defaultValue="0")),
            expect=(expect("CL209", "spy_sales_order_item", "quantity"),),
            severity=INFO,
        ),
        Example(
            before=table("spy_product_abstract", col("approval_status", "VARCHAR", size="64",
                                                     defaultValue="draft")),
            after=table("spy_product_abstract", col("approval_status", "VARCHAR", size="64",
                                                    defaultValue="approved")),
            expect=(expect("CL209", "spy_product_abstract", "approval_status"),),
            platform="pgsql",
        ),
        Example(
            before=table("pyz_voucher_pool", col("valid_from", "TIMESTAMP", defaultExpr="CURRENT_TIMESTAMP")),
            after=table("pyz_voucher_pool", col("valid_from", "TIMESTAMP", defaultExpr="CURRENT_DATE")),
            expect=(expect("CL209", "pyz_voucher_pool", "valid_from"),),
            platform="pgsql",
        ),
    )
    VALID = (
        Example(
            before=table("spy_oms_transition_log", col("created_at", "TIMESTAMP", defaultExpr="CURRENT_TIMESTAMP")),
            after=table("spy_oms_transition_log", col("created_at", "TIMESTAMP", defaultExpr="NOW()")),
            note="ColumnDefaultValue::equals treats CURRENT_TIMESTAMP and NOW() as equal: no migration",
        ),
        Example(
            before=table("spy_price_product_store", col("net_price", "DECIMAL", size="12", scale="2",
                                                        defaultValue="0")),
            after=table("spy_price_product_store", col("net_price", "DECIMAL", size="12", scale="2",
                                                       defaultValue="0.00")),
            platform="pgsql",
            note="PHP's loose == makes '0' and '0.00' equal: no migration",
        ),
        Example(
            before=table("spy_customer", col("company", "VARCHAR", size="100", defaultValue="")),
            after=table("spy_customer", col("company", "VARCHAR", size="100")),
            note="removed, not changed (CL205 for NOT NULL columns)",
        ),
        Example(
            before=table("spy_customer", col("is_newsletter_confirmed", "BOOLEAN", defaultValue="true")),
            after=table("spy_customer", col("is_newsletter_confirmed", "BOOLEAN", defaultValue="1")),
            note="both are DEFAULT 1 on MySQL: no migration",
        ),
    )
