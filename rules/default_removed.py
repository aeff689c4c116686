from __future__ import annotations

from compatlint.changes import DEFAULT, ColumnChanged
from compatlint.rule import Example, Rule, expect

from ._column_types import is_now, mysql_native_timestamp
from ._common import ERROR, WARNING, col, table


class DefaultRemoved(Rule):
    """A NOT NULL column loses its default.

    What it flags:
        A column that is NOT NULL at head, had a `defaultValue`/`default`/`defaultExpr` at base and has none at
        head, where Propel emits DDL for it (`ALTER COLUMN "c" DROP DEFAULT` on PostgreSQL,
        propelorm/Propel2 2.0.0-beta3 `src/Propel/Generator/Platform/PgsqlPlatform.php` L719-L726; `CHANGE`
        without `DEFAULT` on MySQL). AutoIncrement columns are left out: the database numbers them.

    Why V1 breaks:
        V1 code that never sets the column relies on the database default: `applyDefaultValues` puts the
        default into the PHP object without marking the column modified
        (`src/Propel/Generator/Builder/Om/ObjectBuilder.php` L821-L847), and `doInsert()` names only modified
        columns (L6605-L6611); an expression default is not applied in PHP at all. Spryker's mutator marks a
        defaulted column modified only when a setter is called on a new object
        (spryker/spryker-core `Bundles/PropelOrm/src/Spryker/Zed/PropelOrm/Business/Builder/ObjectBuilder.php`
        L105-L136). Those V1 INSERTs leave the column out and fail once the NOT NULL column has no default.

    Safe path:
        Release N: make V2 always set the column; keep the default. Release N+1, once no V1 is left: drop the
        default.

    Platforms:
        MySQL: Propel writes a NOT NULL TIMESTAMP without default as `DEFAULT CURRENT_TIMESTAMP`
        (`src/Propel/Generator/Platform/MysqlPlatform.php` L500-L510): dropping a CURRENT_TIMESTAMP/NOW()
        default there changes nothing and is not reported; dropping another default is a warning, since V1
        INSERTs then get the current time instead of the old default. PostgreSQL: always an error.
    """

    code = "CL205"
    name = "default-removed"
    severity = ERROR
    handles = (ColumnChanged,)
    safe_path = "release N: make V2 always set the column and keep the default; release N+1: drop the default"

    def check(self, event: ColumnChanged, ctx) -> None:
        before, after = event.before, event.after
        if DEFAULT not in event.changes or before.default is None or after.default is not None:
            return
        if not after.not_null or after.auto_increment or not event.ddl:
            return
        subject = f"{event.head.name}.{after.name}"
        if mysql_native_timestamp(ctx.platform, after):
            if is_now(before.default):
                return  # MySQL DDL stays `DEFAULT CURRENT_TIMESTAMP`
            self.report(ctx, event, f"{subject} is NOT NULL and loses its default {before.default}: MySQL now "
                        "gives V1 INSERTs that leave it out CURRENT_TIMESTAMP instead", column=after.name,
                        severity=WARNING, location=event.location_of(DEFAULT))
            return
        self.report(ctx, event, f"{subject} is NOT NULL and loses its default {before.default}: V1 code that never "
                    f"sets it leaves it out of its INSERTs, and those now fail", column=after.name,
                    location=event.location_of(DEFAULT))

    INVALID = (
        Example(
            before=table("spy_sales_order_item", col("is_quantity_splittable", "BOOLEAN", required="true",
                                                     defaultValue="true")),
            after=table("spy_sales_order_item", col("is_quantity_splittable", "BOOLEAN", required="true")),
            expect=(expect("CL205", "spy_sales_order_item", "is_quantity_splittable"),),
            severity=ERROR,
        ),
        Example(
            before=table("spy_product_abstract", col("approval_status", "VARCHAR", size="64", required="true",
                                                     defaultValue="approved")),
            after=table("spy_product_abstract", col("approval_status", "VARCHAR", size="64", required="true")),
            expect=(expect("CL205", "spy_product_abstract", "approval_status"),),
            platform="pgsql",
        ),
        Example(
            before=table("pyz_voucher_pool", col("valid_from", "TIMESTAMP", required="true",
                                                 defaultValue="2020-01-01 00:00:00")),
            after=table("pyz_voucher_pool", col("valid_from", "TIMESTAMP", required="true")),
            expect=(expect("CL205", "pyz_voucher_pool", "valid_from"),),
            severity=WARNING,
            note="MySQL: the TIMESTAMP falls back to DEFAULT CURRENT_TIMESTAMP; V1 INSERTs get another value",
        ),
    )
    VALID = (
        Example(
            before=table("spy_customer", col("company", "VARCHAR", size="100", defaultValue="")),
            after=table("spy_customer", col("company", "VARCHAR", size="100")),
            note="nullable: V1 INSERTs get NULL",
        ),
        Example(
            before=table("spy_sales_order_item", col("quantity", "INTEGER", required="true", defaultValue="1")),
            after=table("spy_sales_order_item", col("quantity", "INTEGER", required="true", defaultValue="0")),
            platform="pgsql",
            note="changed, not removed: CL209",
        ),
        Example(
            before=table("spy_oms_transition_log", col("created_at", "TIMESTAMP", required="true",
                                                       defaultExpr="CURRENT_TIMESTAMP")),
            after=table("spy_oms_transition_log", col("created_at", "TIMESTAMP", required="true")),
            note="MySQL: Propel still writes DEFAULT CURRENT_TIMESTAMP",
        ),
    )
