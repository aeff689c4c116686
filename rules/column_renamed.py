from __future__ import annotations

from compatlint.changes import ColumnRenamed
from compatlint.platform import column_ddl
from compatlint.rule import Example, Rule, expect

from ._common import ERROR, col, table


class ColumnRenaming(Rule):
    """A column is renamed in place: Propel's own rename detection turns a drop and an add into a rename.

    What it flags:
        In a table present at both revisions, a removed column and an added column whose definitions are
        the same apart from the name (type, size, scale, sqlType, nullability, default, autoIncrement).
        Propel pairs them itself, with no flag, and emits a rename; the first still unmatched removed
        column (in base order) wins for each added column (in head order). Reported on the old name.

    Why V1 breaks:
        `TableComparator::compareColumns` pairs every added column with the first removed column for which
        `ColumnComparator::computeDiff` finds no difference and records a renamed column
        (propelorm/Propel2 2.0.0-beta3 `src/Propel/Generator/Model/Diff/TableComparator.php` L160-L174;
        compared properties `Model/Diff/ColumnComparator.php` L53-L108). `Run_install` then runs
        `` ALTER TABLE `t` CHANGE `old` `new` <definition> `` on MySQL (`Platform/MysqlPlatform.php` L854,
        L892-L898) or `ALTER TABLE "t" RENAME COLUMN "old" TO "new"` on PostgreSQL
        (`Platform/DefaultPlatform.php` L1086). The data survives, but V1's generated TableMap names the old
        column in every SELECT (`Builder/Om/TableMapBuilder.php` L1274-L1312) and `findPkSimple` bakes it into
        a fixed SQL string (`Builder/Om/QueryBuilder.php` L597-L640), so every V1 read of the table fails with
        "Unknown column" until the last V1 service is replaced, and V1 writes that set it fail too.

    Safe path:
        Release N: add the new column (nullable), write both columns, backfill the new one. Release N+1:
        read the new column, stop writing the old one and mark it `lazyLoad="true"` and nullable.
        Release N+2: drop the old column.

    Platforms:
        MySQL emits `CHANGE` with the full new column definition; PostgreSQL emits `RENAME COLUMN`. Both break V1 the same way. A rename
        that also changes the definition is not detected by Propel: it is a drop (CL102) and an add.
    """

    code = "CL402"
    name = "column-renamed"
    severity = ERROR
    handles = (ColumnRenamed,)
    safe_path = ("release N: add the new column, dual-write, backfill; release N+1: switch reads, mark the old "
                 "column lazyLoad=\"true\" and nullable; release N+2: drop the old column")

    def check(self, event: ColumnRenamed, ctx) -> None:
        table_name, old, new = event.base.name, event.before.name, event.after.name
        if ctx.platform == "pgsql":
            sql = f'ALTER TABLE "{event.head.name}" RENAME COLUMN "{old}" TO "{new}"'
        else:  # exactly what `plan` prints (MysqlPlatform::getChangeColumnDDL)
            definition = column_ddl("mysql", event.after, event.head.id_method_parameter is not None)
            sql = f"ALTER TABLE `{event.head.name}` CHANGE `{old}` {definition}"
        origin = ""
        if event.before.provided_by or event.after.provided_by:
            origin = f" (the column comes from the {event.before.provided_by or event.after.provided_by} behavior)"
        if event.before.lazy_load:
            uses, impact = "using", f"V1's lazy loads and writes of {old} fail"
        else:
            uses, impact = "selecting", f"every V1 read of {table_name} fails"
        self.report(ctx, event, f"{table_name}.{old} -> {new}{origin}: Propel will emit a rename (same definition), "
                    f"and V1 keeps {uses} {old}; once Run_install runs {sql}, {impact}",
                    column=old)

    INVALID = (
        Example(
            before=table("pyz_loyalty_account", col("fk_customer", "INTEGER", required="true"), col("points_total", "INTEGER"),
                         '<behavior name="timestampable"/>'),
            after=table("pyz_loyalty_account", col("fk_customer", "INTEGER", required="true"), col("points_balance", "INTEGER"),
                        '<behavior name="timestampable"/>'),
            expect=(expect("CL402", "pyz_loyalty_account", "points_total"),),
            note="same INTEGER definition under a new name: MySQL CHANGE `points_total` `points_balance`",
        ),
        Example(
            before=table("spy_loyalty_tier", col("label", "VARCHAR", size="64", required="true"), col("rank", "SMALLINT")),
            after=table("spy_loyalty_tier", col("display_name", "VARCHAR", size="64", required="true"), col("rank", "SMALLINT")),
            expect=(expect("CL402", "spy_loyalty_tier", "label"),),
            platform="pgsql",
            note="PostgreSQL: RENAME COLUMN \"label\" TO \"display_name\"",
        ),
        Example(
            before=table("pyz_loyalty_account", col("bonus_points", "INTEGER"), col("penalty_points", "INTEGER")),
            after=table("pyz_loyalty_account", col("earned_points", "INTEGER"), col("lost_points", "INTEGER")),
            expect=(expect("CL402", "pyz_loyalty_account", "bonus_points"),
                    expect("CL402", "pyz_loyalty_account", "penalty_points")),
            note="two same-typed columns renamed: first match wins, bonus_points -> earned_points, penalty_points -> lost_points",
        ),
    )
    VALID = (
        Example(
            before=table("pyz_loyalty_account", col("code", "VARCHAR", size="32")),
            after=table("pyz_loyalty_account", col("voucher_code", "VARCHAR", size="64")),
            note="a different size: no rename candidate, a drop (CL102) and an add",
        ),
        Example(
            before=table("pyz_loyalty_account", col("points", "INTEGER")),
            after=table("pyz_loyalty_account", col("points", "INTEGER"), col("points_expiring", "INTEGER")),
            note="a column added next to the kept one",
        ),
        Example(
            before=table("pyz_loyalty_account", col("note", "VARCHAR", size="255")),
            after=table("pyz_loyalty_account", col("comment", "VARCHAR", size="255", required="true")),
            note="nullability differs: Propel drops note and adds comment (CL102 and CL201), no rename",
        ),
    )
