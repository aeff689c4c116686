from __future__ import annotations

from compatlint.changes import IndexAdded, IndexChanged
from compatlint.rule import Example, Rule, expect

from ._common import index_xml as _index, unique_xml as _unique, renamed_columns as _renames, ERROR, WARNING, col, table


class UniqueAdded(Rule):
    """A unique constraint is added to, or made stricter on, a table that already exists.

    What it flags:
        A new `<unique>` on an existing table (Propel: `CREATE UNIQUE INDEX` on MySQL,
        `ALTER TABLE ... ADD CONSTRAINT ... UNIQUE` on PostgreSQL), a plain `<index>` turned into a
        `<unique>` under the same name, and an existing unique whose column set changes to one that is
        not a superset of the old set (stricter or different). Also the unique Propel adds by itself
        on the target columns of a new foreign key that points at non-unique columns.
        Not flagged: a unique that an existing unique or the primary key of the base revision already
        implies (its columns are a superset of theirs), which includes a unique renamed with the same
        columns (Propel matches indexes by name, so a rename is a drop and an add); a unique whose
        columns only grow (relaxed: CL305); uniques of tables created in the same change.
        A unique that covers a column added in the same change as nullable without a default is
        reported as a warning: every existing row and every V1 row has NULL there, and both MySQL and
        PostgreSQL let rows with a NULL in a unique key coexist, so neither the migration nor V1
        inserts can hit it. What remains is a V1 update of the other key columns of a row V2 wrote or,
        when all its columns are new (e.g. `<behavior name="uuid"/>` added to an existing table), a
        backfill that must write distinct values.
        The finding names the column for a single-column unique and no column for a composite one.

    Why V1 breaks:
        Propel matches indexes and uniques by name only (propelorm/Propel2 2.0.0-beta3
        `src/Propel/Generator/Model/Diff/TableComparator.php` L246-L284, `compareIndices`) and treats
        another column list or uniqueness as a modified index, dropped and re-created
        (`Model/Diff/IndexComparator.php` L29-L53). The new constraint is created by
        `MysqlPlatform::getAddIndexDDL` (`Platform/MysqlPlatform.php` L616-L628, `UNIQUE` from
        `getIndexType` L673-L685) or `PgsqlPlatform::getAddIndexDDL` (`Platform/PgsqlPlatform.php`
        L931-L945). On a table with duplicate values the migration fails during `Run_install`. After it
        succeeds, V1 code, which was written without the constraint, inserts and updates rows that
        now collide and fails with a duplicate-key error. For a new foreign key onto non-unique
        columns Propel adds the unique on the target table itself (`Platform/DefaultPlatform.php`
        L1565-L1593, `normalizeTable`).

    Safe path:
        Release N: deduplicate the data and make V1 code respect the constraint (check before insert,
        or write the key columns the way V2 will). Release N+1: add the unique. For a new key column,
        add it nullable, backfill it, and add the unique once every writer sets distinct values.

    Platforms:
        Both fail on existing duplicates. PostgreSQL runs the whole migration in `BEGIN` ... `COMMIT`
        (`PgsqlPlatform.php` L337-L350), so the failure rolls back every statement; MySQL DDL is not
        transactional, so statements before the failing `CREATE UNIQUE INDEX` stay applied and the
        deploy stops half-migrated. Several NULLs are allowed in a unique key on both (PostgreSQL's
        default is NULLS DISTINCT), which is why a unique over new nullable columns is only a warning.
    """

    code = "CL301"
    name = "unique-added"
    severity = ERROR
    handles = (IndexAdded, IndexChanged)
    safe_path = ("release N: deduplicate the data and make V1 respect the constraint; "
                 "release N+1: add the unique")

    def check(self, event: IndexAdded | IndexChanged, ctx) -> None:
        base, head = event.base, event.head
        renames = _renames(ctx, base.name)
        if isinstance(event, IndexAdded):
            index, how = event.index, "is added"
        else:
            index = event.after
            old = {renames.get(c, c) for c in event.before.columns}
            if event.before.unique and set(index.columns) >= old:
                return  # same column set in another order, or relaxed (CL305)
            how = ("turns a plain index into a unique" if not event.before.unique
                   else f"changes its columns from ({', '.join(event.before.columns)})")
        if not index.unique or any(c not in head.columns for c in index.columns):
            return
        columns = set(index.columns)
        existing = [tuple(renames.get(c, c) for c in u.columns) for u in base.uniques.values()]
        if base.primary_key:
            existing.append(tuple(renames.get(c, c) for c in base.primary_key))
        if any(set(key) <= columns for key in existing):
            return  # an existing unique or the primary key already implies it
        listed = ", ".join(index.columns)
        origin = ""
        if index.provided_by == "propel-fk-target":
            origin = " (Propel adds it because a new foreign key references these columns)"
        new = [c for c in index.columns if c not in base.columns and c not in renames.values()]
        loose = [c for c in new if not head.columns[c].not_null and head.columns[c].default is None]
        column = index.columns[0] if len(index.columns) == 1 else None
        if loose:
            if len(loose) == len(index.columns):
                risk = "and V1 never writes these columns: only a backfill or V2 can collide"
            else:
                risk = "but a V1 update of the other key columns of a row V2 wrote can collide"
            self.report(ctx, event, f"{head.name}: unique {index.name} ({listed}){origin} {how}; "
                        f"{', '.join(loose)} is new and nullable, so existing and V1 rows hold NULL there, which "
                        f"never collides, {risk}", column=column, severity=WARNING, detail=index.name)
            return
        self.report(ctx, event, f"{head.name}: unique {index.name} ({listed}){origin} {how}; the migration fails "
                    "on existing duplicates and V1 inserts and updates that repeat a key fail",
                    column=column, detail=index.name)

    INVALID = (
        Example(
            before=table("pyz_loyalty_voucher", col("code", "VARCHAR", size="32"), col("fk_customer")),
            after=table("pyz_loyalty_voucher", col("code", "VARCHAR", size="32"), col("fk_customer"),
                        _unique("code", name="pyz_loyalty_voucher-code")),
            expect=(expect("CL301", "pyz_loyalty_voucher", "code"),),
        ),
        Example(
            before=table("pyz_loyalty_account", col("customer_reference", "VARCHAR", size="255"), col("fk_store"),
                         _index("customer_reference", "fk_store", name="pyz_loyalty_account-reference-store")),
            after=table("pyz_loyalty_account", col("customer_reference", "VARCHAR", size="255"), col("fk_store"),
                        _unique("customer_reference", "fk_store", name="pyz_loyalty_account-reference-store")),
            expect=(expect("CL301", "pyz_loyalty_account", None),),
            platform="pgsql",
            note="plain index made unique under the same name; composite, so no column",
        ),
        Example(
            before=table("pyz_loyalty_account", col("customer_reference", "VARCHAR", size="255"), col("fk_store"),
                         _unique("customer_reference", "fk_store", name="pyz_loyalty_account-unique-reference")),
            after=table("pyz_loyalty_account", col("customer_reference", "VARCHAR", size="255"), col("fk_store"),
                        _unique("customer_reference", name="pyz_loyalty_account-unique-reference")),
            expect=(expect("CL301", "pyz_loyalty_account", "customer_reference"),),
            note="the unique loses fk_store: stricter, one account per customer across all stores",
        ),
        Example(
            before=table("pyz_loyalty_account", col("fk_customer")),
            after=table("pyz_loyalty_account", col("fk_customer"), col("external_reference", "VARCHAR", size="64"),
                        _unique("fk_customer", "external_reference", name="pyz_loyalty_account-unique-external")),
            expect=(expect("CL301", "pyz_loyalty_account", None),),
            severity=WARNING,
            note="external_reference is new and nullable: V1 rows carry NULL in the key",
        ),
        Example(
            before=table("pyz_loyalty_transaction", col("tier_code", "VARCHAR", size="16"))
            + table("pyz_loyalty_tier", col("code", "VARCHAR", size="16")),
            after=table("pyz_loyalty_transaction", col("tier_code", "VARCHAR", size="16"),
                        '<foreign-key foreignTable="pyz_loyalty_tier"><reference local="tier_code" foreign="code"/></foreign-key>')
            + table("pyz_loyalty_tier", col("code", "VARCHAR", size="16")),
            expect=(expect("CL301", "pyz_loyalty_tier", "code"),),
            platform="pgsql",
            note="the new FK points at a non-unique column: Propel adds a unique on pyz_loyalty_tier.code",
        ),
    )
    VALID = (
        Example(
            before=table("pyz_loyalty_voucher", col("code", "VARCHAR", size="32"),
                         _unique("code", name="pyz_loyalty_voucher-code")),
            after=table("pyz_loyalty_voucher", col("code", "VARCHAR", size="32"),
                        _unique("code", name="pyz_loyalty_voucher-unique-code")),
            note="renamed with the same columns: Propel drops and re-creates it, nothing becomes stricter",
        ),
        Example(
            before=table("pyz_loyalty_account", col("customer_reference", "VARCHAR", size="255"), col("fk_store"),
                         _unique("customer_reference", name="pyz_loyalty_account-unique-reference")),
            after=table("pyz_loyalty_account", col("customer_reference", "VARCHAR", size="255"), col("fk_store"),
                        _unique("customer_reference", "fk_store", name="pyz_loyalty_account-unique-reference")),
            note="the columns only grow: relaxed, that is CL305",
        ),
        Example(
            before=table("pyz_loyalty_voucher", col("code", "VARCHAR", size="32"),
                         _unique("code", name="pyz_loyalty_voucher-code")),
            after=table("pyz_loyalty_voucher", col("code", "VARCHAR", size="32"), col("fk_store"),
                        _unique("code", name="pyz_loyalty_voucher-code"),
                        _unique("code", "fk_store", name="pyz_loyalty_voucher-code-store")),
            platform="pgsql",
            note="the new unique is implied by the unique on code, which stays",
        ),
        Example(
            before="",
            after=table("pyz_loyalty_voucher", col("code", "VARCHAR", size="32"),
                        _unique("code", name="pyz_loyalty_voucher-code")),
            note="a new table: its uniques come with it (TableAdded)",
        ),
    )
