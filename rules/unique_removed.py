from __future__ import annotations

from compatlint.changes import IndexChanged, IndexRemoved
from compatlint.rule import Example, Rule, expect

from ._common import index_xml as _index, unique_xml as _unique, renamed_columns as _renames, WARNING, col, table


class UniqueRemoved(Rule):
    """A unique constraint of an existing table is dropped or relaxed.

    What it flags:
        A `<unique>` present at base that is gone at head, turned into a plain `<index>` under the same
        name, or whose columns grow to a strict superset (relaxed: the old columns may now repeat).
        Not flagged when the head revision still enforces the old columns' uniqueness through another
        unique or the primary key whose columns are a subset of them (e.g. the same unique under a new
        name: Propel matches by name and drops and re-creates it), nor when a column of the unique
        disappears from the table (the unique goes with the column: CL102/CL103). The finding names
        the column for a single-column unique and no column for a composite one.

    Why V1 breaks:
        Propel matches indexes and uniques by name (propelorm/Propel2 2.0.0-beta3
        `src/Propel/Generator/Model/Diff/TableComparator.php` L246-L284) and drops what is gone:
        `DROP INDEX ... ON ...` on MySQL (`Platform/MysqlPlatform.php` L638-L649), `ALTER TABLE ...
        DROP CONSTRAINT` on PostgreSQL (`Platform/PgsqlPlatform.php` L870-L884). Nothing fails at once,
        but V2 can now write rows that repeat the old key. V1 code still assumes one row per key: its
        `findOneBy...` reads an arbitrary one of them, find-or-create logic that relied on the
        duplicate-key error now creates second rows, and key-based lookups that feed Storage/Search
        publish whichever row comes first. When the unique was the one Propel adds itself on the
        target columns of a foreign key (`Platform/DefaultPlatform.php` L1565-L1593), it disappears
        with that foreign key.

    Safe path:
        Release N: make V1 and V2 code tolerate several rows per old key (or stop reading by it).
        Release N+1: drop or relax the unique.

    Platforms:
        Same on MySQL and PostgreSQL; dropping a unique is cheap on both (PostgreSQL takes a short
        exclusive lock on the table).
    """

    code = "CL305"
    name = "unique-removed"
    severity = WARNING
    handles = (IndexRemoved, IndexChanged)
    safe_path = "release N: make V1 tolerate several rows per old key; release N+1: drop or relax the unique"

    def check(self, event: IndexRemoved | IndexChanged, ctx) -> None:
        head = event.head
        renames = _renames(ctx, event.base.name)
        if isinstance(event, IndexRemoved):
            old, how = event.index, "is dropped"
        else:
            old, new = event.before, event.after
            columns = {renames.get(c, c) for c in old.columns}
            if new.unique and not set(new.columns) > columns:
                return  # same columns in another order, or stricter/different (CL301)
            how = ("becomes a plain index" if not new.unique
                   else f"is relaxed to ({', '.join(new.columns)})")
        if not old.unique:
            return
        columns = {renames.get(c, c) for c in old.columns}
        if any(c not in head.columns for c in columns):
            return  # the unique goes with a dropped column: CL102/CL103
        keys = [set(u.columns) for u in head.uniques.values()]
        if head.primary_key:
            keys.append(set(head.primary_key))
        if any(key <= columns for key in keys):
            return  # still enforced at head by another unique or the primary key
        listed = ", ".join(old.columns)
        implied = ""
        if old.provided_by == "propel-fk-target":
            implied = " (added by Propel for a foreign key that referenced these columns)"
        self.report(ctx, event, f"{event.base.name}: unique {old.name} ({listed}){implied} {how}; V2 can write "
                    f"several rows per ({listed}) while V1 still reads and writes them as one",
                    column=old.columns[0] if len(old.columns) == 1 else None, detail=old.name)

    INVALID = (
        Example(
            before=table("pyz_loyalty_voucher", col("code", "VARCHAR", size="32"),
                         _unique("code", name="pyz_loyalty_voucher-code")),
            after=table("pyz_loyalty_voucher", col("code", "VARCHAR", size="32")),
            expect=(expect("CL305", "pyz_loyalty_voucher", "code"),),
        ),
        Example(
            before=table("pyz_loyalty_account", col("customer_reference", "VARCHAR", size="255"), col("fk_store"),
                         _unique("customer_reference", name="pyz_loyalty_account-unique-reference")),
            after=table("pyz_loyalty_account", col("customer_reference", "VARCHAR", size="255"), col("fk_store"),
                        _unique("customer_reference", "fk_store", name="pyz_loyalty_account-unique-reference")),
            expect=(expect("CL305", "pyz_loyalty_account", "customer_reference"),),
            platform="pgsql",
            note="relaxed: one account per customer and store instead of per customer",
        ),
        Example(
            before=table("pyz_loyalty_account", col("fk_customer"), col("fk_store"),
                         _unique("fk_customer", "fk_store", name="pyz_loyalty_account-customer-store")),
            after=table("pyz_loyalty_account", col("fk_customer"), col("fk_store"),
                        _index("fk_customer", "fk_store", name="pyz_loyalty_account-customer-store")),
            expect=(expect("CL305", "pyz_loyalty_account", None),),
            note="the unique becomes a plain index under the same name",
        ),
    )
    VALID = (
        Example(
            before=table("pyz_loyalty_voucher", col("code", "VARCHAR", size="32"),
                         _unique("code", name="pyz_loyalty_voucher-code")),
            after=table("pyz_loyalty_voucher", col("code", "VARCHAR", size="32"),
                        _unique("code", name="pyz_loyalty_voucher-unique-code")),
            note="renamed with the same columns: still enforced",
        ),
        Example(
            before=table("pyz_loyalty_account", col("customer_reference", "VARCHAR", size="255"), col("fk_store"),
                         _unique("customer_reference", "fk_store", name="pyz_loyalty_account-unique-reference")),
            after=table("pyz_loyalty_account", col("customer_reference", "VARCHAR", size="255"), col("fk_store"),
                        _unique("customer_reference", name="pyz_loyalty_account-unique-reference")),
            platform="pgsql",
            note="narrowed: stricter, that is CL301",
        ),
        Example(
            before=table("pyz_loyalty_voucher", col("code", "VARCHAR", size="32"), col("points"),
                         _unique("code", name="pyz_loyalty_voucher-code")),
            after=table("pyz_loyalty_voucher", col("points")),
            note="the column goes and its unique with it: CL102",
        ),
        Example(
            before=table("pyz_loyalty_voucher", col("code", "VARCHAR", size="32"), col("fk_store"),
                         _unique("code", name="pyz_loyalty_voucher-code"),
                         _unique("code", "fk_store", name="pyz_loyalty_voucher-code-store")),
            after=table("pyz_loyalty_voucher", col("code", "VARCHAR", size="32"), col("fk_store"),
                        _unique("code", name="pyz_loyalty_voucher-code")),
            note="the composite unique is implied by the unique on code, which stays",
        ),
    )
