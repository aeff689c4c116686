from __future__ import annotations

from compatlint.changes import PrimaryKeyChanged as PrimaryKeyChangedEvent
from compatlint.rule import Example, Rule, expect

from ._common import ERROR, WARNING, col, table

_CONNECTOR_BEFORE = """<table name="pyz_loyalty_account_store">
    <column name="fk_loyalty_account" type="INTEGER" primaryKey="true"/>
    <column name="fk_store" type="INTEGER" primaryKey="true"/>
</table>"""

_CONNECTOR_AFTER = """<table name="pyz_loyalty_account_store">
    <column name="id_loyalty_account_store" type="INTEGER" primaryKey="true" autoIncrement="true"/>
    <column name="fk_loyalty_account" type="INTEGER" required="true"/>
    <column name="fk_store" type="INTEGER" required="true"/>
</table>"""


class PrimaryKeyChanged(Rule):
    """The primary key of an existing table gains, loses or swaps columns.

    What it flags:
        A table present at both revisions whose primary key column set differs: a column added to or
        removed from the key, or the key moved to other columns. A primary key column that Propel
        renames (same definition, other name) is CL402, not a key change. The finding has no column
        (it is about the whole key).

    Why V1 breaks:
        Propel compares the key columns (propelorm/Propel2 2.0.0-beta3
        `src/Propel/Generator/Model/Diff/TableComparator.php` L189-L234) and emits `DROP PRIMARY KEY` /
        `ADD PRIMARY KEY` (`Platform/MysqlPlatform.php` L598-L607, `Platform/DefaultPlatform.php`
        L548-L580; PostgreSQL drops the constraint `<table>_pkey`, `PgsqlPlatform.php` L484-L488). V1
        code has its key baked in: `findPk` runs a fixed `SELECT ... WHERE <old key> = :p0`
        (`Builder/Om/QueryBuilder.php` L597-L640), and every update and delete of a loaded object
        filters by `buildPkeyCriteria()` over the old key columns (`Builder/Om/ObjectBuilder.php`
        L2874-L2890, `doUpdate` L6703-L6722). A key that grows no longer makes the old columns unique,
        so V1 reads an arbitrary row and updates or deletes every row sharing the old key (a warning
        when the old key holds an autoIncrement column that keeps generating its values at head: both
        releases then still get a fresh id for every row, and only code that writes explicit ids can
        repeat one); a key that
        shrinks or moves makes the migration fail on existing duplicates and V1 inserts that repeat the
        new key fail; V1 inserts that do not set a new key column fail when it has no default.

    Safe path:
        Create a new table with the new key, write to both from release N, backfill it, switch reads in
        release N+1 and drop the old table in release N+2.

    Platforms:
        Both rebuild the table: MySQL copies it to change the clustered index, PostgreSQL builds a new
        unique index and validates NOT NULL, holding an exclusive lock for the duration. PostgreSQL rolls
        the migration back on a failure (`BEGIN`/`COMMIT`, `PgsqlPlatform.php` L337-L350); MySQL stops
        half-migrated.
    """

    code = "CL304"
    name = "primary-key-changed"
    severity = ERROR
    handles = (PrimaryKeyChangedEvent,)
    safe_path = "new table with the new key, dual-write and backfill, switch reads, then drop the old table"

    def check(self, event: PrimaryKeyChangedEvent, ctx) -> None:
        before, after = set(event.before), set(event.after)
        old, new = ", ".join(event.before) or "none", ", ".join(event.after) or "none"
        if before and before < after:
            generated = [n for n in event.before if event.base.columns[n].auto_increment
                         and n in event.head.columns and event.head.columns[n].auto_increment]
            if generated:
                self.report(ctx, event, f"{event.head.name}: primary key ({old}) becomes ({new}); {generated[0]} "
                            f"keeps its autoIncrement values, so ({old}) still identifies one row for V1's findPk, "
                            "updates and deletes, unless V2 code writes explicit ids that repeat one; the key "
                            "change rebuilds the table", detail=f"{old}->{new}", severity=WARNING)
                return
            why = (f"({old}) no longer identifies one row, so V1 findPk reads an arbitrary row and V1 updates "
                   f"and deletes by ({old}) hit every row sharing it")
        elif after and after < before:
            why = f"the migration fails on duplicate ({new}) and V1 inserts that repeat ({new}) fail"
        else:
            kept = [u.name for u in event.head.uniques.values() if set(u.columns) <= before]
            why = (f"V1 findPk, updates and deletes still filter by ({old}), "
                   + (f"kept unique only by {kept[0]}" if kept else "which is no longer kept unique"))
            if after and all(c in event.base.columns for c in after):
                why += f", and the migration fails on existing duplicate ({new})"
        self.report(ctx, event, f"{event.head.name}: primary key ({old}) becomes ({new}); {why}",
                    detail=f"{old}->{new}")

    INVALID = (
        Example(
            before=_CONNECTOR_BEFORE,
            after=_CONNECTOR_AFTER,
            expect=(expect("CL304", "pyz_loyalty_account_store", None),),
            note="a composite connector key replaced by a surrogate id",
        ),
        Example(
            before=table("pyz_loyalty_balance", col("fk_store", required="true"), col("points")),
            after=table("pyz_loyalty_balance", col("fk_store", primaryKey="true"), col("points")),
            expect=(expect("CL304", "pyz_loyalty_balance", None),),
            platform="pgsql",
            severity=WARNING,
            note="the key grows by fk_store; id_balance keeps its autoIncrement, so it still identifies one row",
        ),
        Example(
            before=_CONNECTOR_BEFORE.replace('<column name="fk_store" type="INTEGER" primaryKey="true"/>',
                                             '<column name="fk_store" type="INTEGER" required="true"/>'),
            after=_CONNECTOR_BEFORE,
            expect=(expect("CL304", "pyz_loyalty_account_store", None),),
            severity=ERROR,
            note="the key grows by fk_store and nothing generates fk_loyalty_account: V2 may repeat it",
        ),
        Example(
            before=_CONNECTOR_BEFORE,
            after=_CONNECTOR_BEFORE.replace('name="fk_store" type="INTEGER" primaryKey="true"',
                                            'name="fk_store" type="INTEGER" required="true"'),
            expect=(expect("CL304", "pyz_loyalty_account_store", None),),
            note="the key shrinks to fk_loyalty_account: existing rows with several stores collide",
        ),
    )
    VALID = (
        Example(
            before=table("pyz_loyalty_balance", col("points")),
            after=table("pyz_loyalty_balance", col("points", "BIGINT")),
            note="another column changes; the key stays",
        ),
        Example(
            before=_CONNECTOR_BEFORE,
            after=_CONNECTOR_BEFORE.replace("fk_store", "fk_shop"),
            platform="pgsql",
            note="a key column renamed with the same definition: Propel renames it (CL402), the key is the same",
        ),
        Example(
            before="",
            after=_CONNECTOR_AFTER,
            note="a new table (TableAdded)",
        ),
    )
