from __future__ import annotations

from compatlint.changes import ForeignKeyChanged
from compatlint.changes import ForeignKeyAdded as ForeignKeyAddedEvent
from compatlint.diff import fk_action_with_default
from compatlint.rule import Example, Rule, expect

from ._common import renamed_columns as _renames, INFO, WARNING, col, table




def _fk(foreign_table: str, local: str, foreign: str, **attrs: str) -> str:
    extra = "".join(f' {k}="{v}"' for k, v in attrs.items())
    return (f'<foreign-key foreignTable="{foreign_table}"{extra}>'
            f'<reference local="{local}" foreign="{foreign}"/></foreign-key>')


class ForeignKeyAdded(Rule):
    """A foreign key constraint is added to a table that already exists, or pointed at other columns.

    What it flags:
        A new `<foreign-key>` on an existing table, a foreign key whose local columns, foreign table or
        foreign columns change under the same name (Propel drops and re-adds it), and a foreign key
        that stops being `skipSql` (so Propel now creates it). The finding names the first local
        column. A foreign key whose local columns are all added in the same change, nullable and
        without a default, cannot be violated by existing or V1 rows (they hold NULL, which a foreign
        key does not check): it is reported as info when its `onDelete` still blocks V1 from deleting
        a referenced row, and not at all with `onDelete="CASCADE"` or `"SETNULL"`. A change of
        `onDelete`/`onUpdate` alone is CL303; foreign keys of new tables are not flagged.

    Why V1 breaks:
        Propel matches foreign keys by name and compares foreign table, local and foreign columns,
        actions and `skipSql` (propelorm/Propel2 2.0.0-beta3 `src/Propel/Generator/Model/Diff/TableComparator.php`
        L296-L336, `Model/Diff/ForeignKeyComparator.php` L31-L74); what differs is added with
        `ALTER TABLE ... ADD CONSTRAINT ... FOREIGN KEY ... REFERENCES` (`Platform/DefaultPlatform.php`
        L700-L714, L746-L771). V1 code was written without the constraint: it inserts or updates
        values that have no referenced row, and deletes referenced rows (in the wrong order, or at
        all), and now fails with a foreign key violation (with the default action, which Propel takes as
        RESTRICT on MySQL, `Platform/MysqlPlatform.php` L1068-L1118).

    Safe path:
        Release N: clean up orphaned values and make V1 write only existing references and delete
        children first. Release N+1: add the foreign key. For a new reference, add a nullable column
        first and the constraint once every writer fills it correctly.

    Platforms:
        MySQL: Propel wraps every migration in `SET FOREIGN_KEY_CHECKS = 0;` ... `= 1;`
        (`Platform/MysqlPlatform.php` L244-L262), and InnoDB does not validate existing rows while the
        checks are off, so the constraint is created even over orphans: the migration succeeds and
        the orphans stay. PostgreSQL validates every existing row when the constraint is added, in the
        migration's transaction (`PgsqlPlatform.php` L337-L350): one orphan rolls back the whole
        migration, and the check locks both tables against writes while it scans them.
    """

    code = "CL302"
    name = "foreign-key-added"
    severity = WARNING
    handles = (ForeignKeyAddedEvent, ForeignKeyChanged)
    safe_path = ("release N: remove orphans, make V1 write valid references and delete children first; "
                 "release N+1: add the foreign key")

    def check(self, event: ForeignKeyAddedEvent | ForeignKeyChanged, ctx) -> None:
        base, head = event.base, event.head
        renames = _renames(ctx, base.name)
        if isinstance(event, ForeignKeyAddedEvent):
            fk, how = event.foreign_key, "is added"
        else:
            before, fk = event.before, event.after
            if fk.skip_sql:
                return  # no longer created: a removal, not an addition
            if before.skip_sql:
                how = "stops being skipSql, so Propel now creates it"
            else:
                old_local = sorted(renames.get(c, c).lower() for c in before.local_columns)
                if (before.foreign_table == fk.foreign_table
                        and old_local == sorted(c.lower() for c in fk.local_columns)
                        and sorted(c.lower() for c in before.foreign_columns)
                        == sorted(c.lower() for c in fk.foreign_columns)):
                    return  # only the actions differ: CL303
                how = (f"is re-pointed (it was ({', '.join(before.local_columns)}) -> {before.foreign_table} "
                       f"({', '.join(before.foreign_columns)}))")
        if not fk.local_columns:
            return
        local, foreign = ", ".join(fk.local_columns), ", ".join(fk.foreign_columns)
        subject = f"{head.name}: foreign key {fk.name} ({local}) -> {fk.foreign_table} ({foreign}) {how}"
        columns = [head.columns.get(c) for c in fk.local_columns]
        new = all(
            c is not None and c.name not in base.columns and c.name not in renames.values()
            and not c.not_null and c.default is None
            for c in columns
        )
        if new:
            if fk_action_with_default(fk.on_delete, ctx.platform) in ("CASCADE", "SET NULL"):
                return
            self.report(ctx, event, f"{subject}; its columns are new and NULL in existing and V1 rows, but V1 "
                        f"deletes of {fk.foreign_table} rows that V2 rows reference now fail",
                        column=fk.local_columns[0], severity=INFO, detail=fk.name)
            return
        tail = ""
        if fk.foreign_table not in ctx.base.tables:
            tail = f"; {fk.foreign_table} is new, so every existing non-NULL value is an orphan"
        if ctx.platform == "pgsql":
            tail += "; PostgreSQL validates existing rows and the migration fails on any orphan"
        self.report(ctx, event, f"{subject}; V1 writes references without a {fk.foreign_table} row or deletes "
                    f"referenced {fk.foreign_table} rows and fails{tail}",
                    column=fk.local_columns[0], detail=fk.name)

    INVALID = (
        Example(
            before=table("pyz_loyalty_account", col("fk_customer", required="true"))
            + table("pyz_customer", col("email", "VARCHAR", size="255")),
            after=table("pyz_loyalty_account", col("fk_customer", required="true"),
                        _fk("pyz_customer", "fk_customer", "id_customer", name="pyz_loyalty_account-fk_customer"))
            + table("pyz_customer", col("email", "VARCHAR", size="255")),
            expect=(expect("CL302", "pyz_loyalty_account", "fk_customer"),),
        ),
        Example(
            before=table("pyz_loyalty_transaction", col("fk_account"),
                         _fk("pyz_loyalty_account", "fk_account", "id_account", name="pyz_loyalty_transaction-fk_account"))
            + table("pyz_loyalty_account") + table("pyz_loyalty_wallet"),
            after=table("pyz_loyalty_transaction", col("fk_account"),
                        _fk("pyz_loyalty_wallet", "fk_account", "id_wallet", name="pyz_loyalty_transaction-fk_account"))
            + table("pyz_loyalty_account") + table("pyz_loyalty_wallet"),
            expect=(expect("CL302", "pyz_loyalty_transaction", "fk_account"),),
            platform="pgsql",
            note="same name, other foreign table: dropped and re-added, validated against existing rows",
        ),
        Example(
            before=table("pyz_loyalty_transaction", col("points"))
            + table("pyz_sales_order", col("order_reference", "VARCHAR", size="45")),
            after=table("pyz_loyalty_transaction", col("points"), col("fk_sales_order"),
                        _fk("pyz_sales_order", "fk_sales_order", "id_order"))
            + table("pyz_sales_order", col("order_reference", "VARCHAR", size="45")),
            expect=(expect("CL302", "pyz_loyalty_transaction", "fk_sales_order"),),
            severity=INFO,
            note="new nullable column: V1 never writes it, but V1 deletes of referenced orders are blocked",
        ),
    )
    VALID = (
        Example(
            before=table("pyz_customer"),
            after=table("pyz_customer")
            + table("pyz_loyalty_account", col("fk_customer", required="true"),
                    _fk("pyz_customer", "fk_customer", "id_customer")),
            note="a new table with its foreign key (TableAdded)",
        ),
        Example(
            before=table("pyz_loyalty_account", col("fk_customer"),
                         _fk("pyz_customer", "fk_customer", "id_customer", name="pyz_loyalty_account-fk_customer"))
            + table("pyz_customer"),
            after=table("pyz_loyalty_account", col("fk_customer"),
                        _fk("pyz_customer", "fk_customer", "id_customer", name="pyz_loyalty_account-fk_customer",
                            onDelete="CASCADE"))
            + table("pyz_customer"),
            note="only onDelete changes: CL303",
        ),
        Example(
            before=table("pyz_loyalty_transaction", col("points")) + table("pyz_sales_order"),
            after=table("pyz_loyalty_transaction", col("points"), col("fk_sales_order"),
                        _fk("pyz_sales_order", "fk_sales_order", "id_order", onDelete="SETNULL"))
            + table("pyz_sales_order"),
            platform="pgsql",
            note="new nullable column with ON DELETE SET NULL: V1 can neither violate it nor be blocked by it",
        ),
        Example(
            before=table("pyz_loyalty_account", col("fk_customer")) + table("pyz_customer"),
            after=table("pyz_loyalty_account", col("fk_customer"),
                        _fk("pyz_customer", "fk_customer", "id_customer", skipSql="true"))
            + table("pyz_customer"),
            note="skipSql: only a relation in the generated code, no constraint",
        ),
    )
