from __future__ import annotations

from compatlint.changes import DEFAULT, ColumnChanged
from compatlint.rule import Example, Rule, expect

from ._column_types import default_ddl, defaults_equivalent
from ._common import ERROR, INFO, WARNING, col, table, unique_xml


def _stored_default(column) -> str | None:
    """What the database stores for a column's literal default, as V1's ENUM getter sees it: the position
    of the value for an ENUM (`DefaultPlatform::getColumnDefaultValueDDL`, propelorm/Propel2 2.0.0-beta3
    `src/Propel/Generator/Platform/DefaultPlatform.php` L448-L498), else the literal text."""
    default = column.default
    if default is None or default.is_expression:
        return None
    if column.type == "ENUM":
        values = column.value_set or ()
        return str(values.index(default.value)) if default.value in values else None
    return default.value.strip()


def _v1_may_leave_out(column) -> bool:
    """V1's INSERTs leave a column out unless it is NOT NULL without a default (then V1 always sets it): a
    default is applied in PHP without marking the column modified, and `doInsert()` names modified columns only
    (`Builder/Om/ObjectBuilder.php` L821-L847, L6605-L6611)."""
    return not (column.not_null and column.default is None) and not column.auto_increment


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
        Removing a default is CL205; adding one is harmless, with two exceptions reported as errors: a
        default added to a nullable column of a unique key (V1 INSERTs that leave the column out stored NULL,
        which never collides, and now all store the same value: the second fails; a warning when the key has
        other columns, since those must repeat too), and a database default on a column that is an ENUM at
        the base revision that is no position of V1's `valueSet` (V1 INSERTs that leave the column out store
        it, and V1's getter throws "Unknown stored enum key" on every such row).

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
        if self._unknown_enum_key(event, ctx) or self._repeated_in_unique(event, ctx):
            return
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

    def _unknown_enum_key(self, event: ColumnChanged, ctx) -> bool:
        """V1's ENUM column gets a database default that is no position of V1's valueSet: V1's getter throws
        `Unknown stored enum key` on the rows V1 itself inserts (`Builder/Om/ObjectBuilder.php`, the ENUM
        accessor)."""
        old, new = event.before, event.after
        if old.type != "ENUM" or not old.value_set or not _v1_may_leave_out(old) or new.default is None:
            return False
        stored = _stored_default(new)
        if stored is None or default_ddl(ctx.platform, old) == default_ddl(ctx.platform, new):
            return False
        if stored.isdigit() and int(stored) < len(old.value_set):
            return False
        self.report(ctx, event, f"{event.head.name}.{new.name} gets the database default {stored!r}, which is no "
                    f"position of V1's valueSet ({', '.join(old.value_set)}): V1 INSERTs that leave the column out "
                    "store it, and V1's getter throws 'Unknown stored enum key' reading those rows back",
                    column=new.name, severity=ERROR, location=event.location_of(DEFAULT))
        return True

    def _repeated_in_unique(self, event: ColumnChanged, ctx) -> bool:
        """A default added to a nullable column of a unique key: V1 INSERTs that leave it out stored NULL (which
        never collides) and now store one value twice."""
        old, new = event.before, event.after
        if old.default is not None or old.not_null or new.default is None or not event.ddl:
            return False
        keys = [u for u in event.head.uniques.values() if new.name in u.columns]
        if not keys:
            return False
        alone = next((u for u in keys if u.columns == (new.name,)), None)
        key = alone or keys[0]
        tail = ("the second such INSERT fails on the unique key" if alone else
                "such INSERTs that repeat the other columns of the key fail on it")
        self.report(ctx, event, f"{event.head.name}.{new.name} gets the default {new.default} and is part of the "
                    f"unique key {key.name}: V1 INSERTs that leave it out stored NULL, which never collides, and "
                    f"now store {new.default}; {tail}", column=new.name, severity=ERROR if alone else WARNING,
                    location=event.location_of(DEFAULT), detail=key.name)
        return True

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
        Example(
            before=table("pyz_voucher", col("code", "VARCHAR", size="32"), unique_xml("code", name="pyz_voucher-code")),
            after=table("pyz_voucher", col("code", "VARCHAR", size="32", defaultValue="none"),
                        unique_xml("code", name="pyz_voucher-code")),
            expect=(expect("CL209", "pyz_voucher", "code"),),
            severity=ERROR,
            note="a default added to a nullable unique column: V1's second INSERT without a code collides",
        ),
        Example(
            before=table("pyz_voucher", col("state", "ENUM", valueSet="new, used", defaultValue="new")),
            after=table("pyz_voucher", col("state", "ENUM", valueSet="new, used, expired", defaultValue="expired")),
            expect=(expect("CL209", "pyz_voucher", "state"),),
            severity=ERROR,
            platform="pgsql",
            note="V2's default is position 2, which V1's valueSet does not have",
        ),
        Example(
            before=table("pyz_voucher", col("state", "ENUM", valueSet="new, used", defaultValue="new")),
            after=table("pyz_voucher", col("state", "TINYINT", defaultValue="2")),
            expect=(expect("CL209", "pyz_voucher", "state"),),
            severity=ERROR,
            note="the same TINYINT on MySQL, so no type change, but V1 reads back position 2",
        ),
    )
    VALID = (
        Example(
            before=table("pyz_voucher", col("code", "VARCHAR", size="32")),
            after=table("pyz_voucher", col("code", "VARCHAR", size="32", defaultValue="none")),
            note="a default added to a column of no unique key: harmless",
        ),
        Example(
            before=table("pyz_voucher", col("state", "ENUM", valueSet="new, used", defaultValue="new")),
            after=table("pyz_voucher", col("state", "ENUM", valueSet="new, used, expired", defaultValue="new")),
            platform="pgsql",
            note="a value appended, the default stays position 0, which V1 reads as 'new' too",
        ),
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
