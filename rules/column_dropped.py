from __future__ import annotations

from compatlint.changes import ColumnRemoved
from compatlint.rule import Example, Rule, expect

from ._common import ERROR, INFO, col, keyed_columns, table, unique_xml, v1_must_write


class ColumnDropped(Rule):
    """A column present at the base revision is gone at the head revision.

    What it flags:
        A column that existed at base is no longer declared (and no behavior provides it) at head,
        on a table that still exists. Propel emits `ALTER TABLE t DROP c` (MySQL) or
        `ALTER TABLE "t" DROP COLUMN "c"` (PostgreSQL) at deploy time.

    Why V1 breaks:
        V1's generated TableMap names every non-lazy column in its SELECTs
        (propelorm/Propel2 2.0.0-beta3 `src/Propel/Generator/Builder/Om/TableMapBuilder.php`
        L1274-L1312, `addSelectColumns` skips only `isLazyLoad()` columns) and `findPkSimple` bakes
        the same list into a fixed SQL string (`Builder/Om/QueryBuilder.php` L597-L640). After
        `Run_install` drops the column, every V1 read of the table fails with "Unknown column" until
        the last V1 service is replaced; the column's data is gone for good.

    Safe path:
        Release N: stop reading and writing the column in code, mark it `lazyLoad="true"` and make it
        nullable (V1 then no longer selects it). Release N+1: drop it. A drop whose base revision
        already has `lazyLoad="true"` and nullable (or required with a default, which fills it for
        V1's INSERTs) is that prepared second step and is reported as info only, unless the column is
        part of a unique key or the primary key and has a default or is required: V1 must then still
        write it, since INSERTs that left it out would store one value twice and collide.

    Platforms:
        Same on MySQL and PostgreSQL. Behavior-provided columns that disappear with their behavior are
        CL103, not this rule.
    """

    code = "CL102"
    name = "column-dropped"
    severity = ERROR
    handles = (ColumnRemoved,)
    safe_path = ("release N: stop using the column, mark it lazyLoad=\"true\" and nullable; "
                 "release N+1: drop it")

    def check(self, event: ColumnRemoved, ctx) -> None:
        column = event.column
        if column.provided_by and column.provided_by not in event.head.behaviors:
            return  # the behavior that provided it is gone: CL103
        if column.lazy_load and column.name in keyed_columns(event.base) and v1_must_write(event.base, column):
            self.report(ctx, event, f"{event.base.name}.{column.name} is dropped; it is lazy, but V1 must still "
                        f"write it in every INSERT (it is part of a unique key of {event.base.name} and has a default "
                        "or is required, so leaving it out would repeat one value), and those INSERTs fail; its data "
                        "is lost", column=column.name)
            return
        if column.lazy_load and not column.not_null:
            self.report(ctx, event, f"{event.base.name}.{column.name} is dropped; V1 already treats it as lazy "
                        "and nullable, so this is the prepared second step", column=column.name, severity=INFO)
            return
        if column.lazy_load and column.default is not None:
            self.report(ctx, event, f"{event.base.name}.{column.name} is dropped; V1 already treats it as lazy "
                        "and its default fills it for V1's INSERTs, so this is the prepared second step",
                        column=column.name, severity=INFO)
            return
        self.report(ctx, event, f"{event.base.name}.{column.name} is dropped, but V1 lists it in every SELECT of "
                    f"{event.base.name} and fails until all V1 services are gone; its data is lost",
                    column=column.name)

    INVALID = (
        Example(
            before=table("pyz_loyalty_account", col("legacy_code", "VARCHAR", size="32"), col("points", "INTEGER")),
            after=table("pyz_loyalty_account", col("points", "INTEGER")),
            expect=(expect("CL102", "pyz_loyalty_account", "legacy_code"),),
        ),
        Example(
            before=table("pyz_loyalty_tier", col("name", "VARCHAR", size="64", required="true"), col("rank", "SMALLINT"),
                         '<behavior name="uuid"/>'),
            after=table("pyz_loyalty_tier", col("name", "VARCHAR", size="64", required="true")),
            expect=(expect("CL102", "pyz_loyalty_tier", "rank"),),
            platform="pgsql",
            note="the uuid column is dropped with its behavior: that is CL103",
        ),
        Example(
            before=table("pyz_voucher", col("code", "VARCHAR", size="32", lazyLoad="true")),
            after=table("pyz_voucher"),
            expect=(expect("CL102", "pyz_voucher", "code"),),
            severity=INFO,
            note="prepared drop (lazy and nullable at base): reported as info",
        ),
        Example(
            before=table("pyz_voucher", col("code", "VARCHAR", size="32", lazyLoad="true", defaultValue="none"),
                         unique_xml("code", name="pyz_voucher-code")),
            after=table("pyz_voucher"),
            expect=(expect("CL102", "pyz_voucher", "code"),),
            severity=ERROR,
            platform="pgsql",
            note="lazy and nullable, but in a unique key with a default: V1 must still write it",
        ),
        Example(
            before=table("pyz_voucher", col("code", "VARCHAR", size="32", lazyLoad="true", required="true",
                                            defaultValue="none")),
            after=table("pyz_voucher"),
            expect=(expect("CL102", "pyz_voucher", "code"),),
            severity=INFO,
            note="lazy and required with a default (in no key): V1's INSERTs leave it to the default, a prepared drop",
        ),
    )
    VALID = (
        Example(
            before=table("pyz_loyalty_account", col("points", "INTEGER")),
            after=table("pyz_loyalty_account", col("points", "INTEGER"), col("tier", "VARCHAR", size="16")),
        ),
        Example(
            before=table("pyz_loyalty_account", col("uuid", "VARCHAR"), '<behavior name="uuid"/>'),
            after=table("pyz_loyalty_account", '<behavior name="uuid"/>'),
            note="the explicit uuid column goes, but the uuid behavior still provides it",
        ),
        Example(
            before=table("pyz_loyalty_account", col("points_total", "INTEGER")),
            after=table("pyz_loyalty_account", col("points_balance", "INTEGER")),
            note="same definition under another name: Propel renames it (CL402), no drop",
        ),
    )
