from __future__ import annotations

from compatlint.changes import LAZY_LOAD, NOT_NULL, PRIMARY_KEY, ColumnChanged
from compatlint.rule import Example, Rule, expect

from ._common import WARNING, col, table


class ColumnMadeNullable(Rule):
    """A NOT NULL column becomes nullable.

    What it flags:
        A column that was NOT NULL at base (`required="true"` or `primaryKey`) and is nullable at head, where
        Propel emits DDL for it (`ALTER COLUMN "c" DROP NOT NULL` on PostgreSQL, propelorm/Propel2 2.0.0-beta3
        `src/Propel/Generator/Platform/PgsqlPlatform.php` L728-L734; `CHANGE` on MySQL).

    Why V1 breaks:
        The migration succeeds and V1's writes still work. But V2 may now write NULL, and V1 reads every non-lazy
        column (`src/Propel/Generator/Builder/Om/TableMapBuilder.php` L1274-L1312) into code built for a required
        column: the getter returns null where V1 code, transfers or Twig templates expect a value. Spryker's
        boolean mutator also ignores `null` unless the column says `required="false"` explicitly
        (spryker/spryker-core `Bundles/PropelOrm/src/Spryker/Zed/PropelOrm/Business/Builder/ObjectBuilder.php`
        L54-L93).

    Safe path:
        Release N: make the column nullable but keep V2 writing a value. Release N+1, once every reader copes
        with NULL: let V2 write NULL. This is also the first step of a prepared drop (CL102): nullable plus
        `lazyLoad="true"`.

    Platforms:
        Same on MySQL and PostgreSQL; neither rewrites the table for it.
    """

    code = "CL208"
    name = "column-made-nullable"
    severity = WARNING
    handles = (ColumnChanged,)
    safe_path = ("release N: make the column nullable but keep writing values; "
                 "release N+1: write NULL once every V1 reader is gone or copes with it")

    def check(self, event: ColumnChanged, ctx) -> None:
        before, after = event.before, event.after
        if NOT_NULL not in event.changes or not before.not_null or after.not_null or not event.ddl:
            return
        subject = f"{event.head.name}.{after.name}"
        why = " (it leaves the primary key)" if PRIMARY_KEY in event.changes and before.primary_key else ""
        if LAZY_LOAD in event.changes and after.lazy_load:
            tail = "; with lazyLoad this is the prepared first step of dropping it (CL102)"
        else:
            tail = ""
        self.report(ctx, event, f"{subject} becomes nullable{why}: V2 may write NULL, and V1 code built for a "
                    f"required column reads it{tail}", column=after.name, location=event.location_of(NOT_NULL))

    INVALID = (
        Example(
            before=table("spy_customer", col("first_name", "VARCHAR", size="100", required="true")),
            after=table("spy_customer", col("first_name", "VARCHAR", size="100")),
            expect=(expect("CL208", "spy_customer", "first_name"),),
            severity=WARNING,
        ),
        Example(
            before=table("spy_sales_order", col("fk_locale", "INTEGER", required="true")),
            after=table("spy_sales_order", col("fk_locale", "INTEGER", required="false")),
            expect=(expect("CL208", "spy_sales_order", "fk_locale"),),
            platform="pgsql",
        ),
        Example(
            before=table("pyz_loyalty_account", col("legacy_code", "VARCHAR", size="32", required="true")),
            after=table("pyz_loyalty_account", col("legacy_code", "VARCHAR", size="32", lazyLoad="true")),
            expect=(expect("CL208", "pyz_loyalty_account", "legacy_code"),),
            note="the prepared first step of a drop is still worth a look at V1's readers",
        ),
    )
    VALID = (
        Example(
            before=table("spy_customer", col("first_name", "VARCHAR", size="100")),
            after=table("spy_customer", col("first_name", "VARCHAR", size="100", required="true")),
            note="the opposite direction is CL202",
        ),
        Example(
            before=table("spy_customer", col("first_name", "VARCHAR", size="100", required="true")),
            after=table("spy_customer", col("first_name", "VARCHAR", size="100", required="1")),
            platform="pgsql",
            note='"1" is true to Propel as well',
        ),
    )
