from __future__ import annotations

from compatlint.changes import ColumnRemoved, TableRemoved
from compatlint.model import Table
from compatlint.rule import Example, Rule, expect

from ._common import ERROR, INFO, behavior_source, col, table

# What V1 does with a generated table, by the behavior that generated it.
_USES = {
    "archivable": "V1 archives into it on every delete (archive_on_delete defaults to true)",
    "versionable": "V1 writes a version row into it on every versioned save",
    "i18n": "V1 reads and writes every translated field through it",
}


def _behavior_indexes(base: Table, head: Table, behavior: str, column: str) -> list[str]:
    """Uniques and indexes the behavior added over `column` at base that are gone at head."""
    gone = []
    for index in (*base.uniques.values(), *base.indexes.values()):
        if index.provided_by == behavior and column in index.columns \
                and index.name not in head.uniques and index.name not in head.indexes:
            gone.append(("unique " if index.unique else "index ") + index.name)
    return gone


class BehaviorColumnsDropped(Rule):
    """Columns or tables that a behavior added disappear with the behavior.

    What it flags:
        A column that only a behavior provided (timestampable's `created_at`/`updated_at`, uuid's `uuid`,
        synchronization's `data`/`key`/`alias_keys`, sortable's `sortable_rank`, versionable's `version`, ...)
        is gone at head because the `<behavior>` was removed from the table, and a table that a behavior
        generated (archivable's `<table>_archive`, versionable's `<table>_version`, i18n's `<table>_i18n`) is
        gone at head because its behavior was removed or reconfigured, or its source table was dropped.
        Columns copied into an archive or version table that go with a column of the source table are
        reported on the generated table as well. Uniques the behavior added with a column
        (`<table>-unique-uuid`, `<table>-unique-key`, ...) are named in the column's finding.

    Why V1 breaks:
        Nothing in the XML diff shows the drop: the behavior adds its columns, uniques and tables while the
        schema is built (Spryker's timestampable polyfill, spryker/spryker-core
        `Bundles/PropelOrm/src/Spryker/Zed/PropelOrm/Business/Polyfill/Generator/Behavior/Timestampable/TimestampableBehavior.php`
        L33-L92; spryker/uuid-behavior `src/Spryker/Zed/UuidBehavior/Persistence/Propel/Behavior/UuidBehavior.php`
        L25-L30, L99-L114; spryker/synchronization-behavior `.../Propel/Behavior/SynchronizationBehavior.php`
        L183-L262; the archivable polyfill `.../Polyfill/Generator/Behavior/Archivable/ArchivableBehavior.php`
        L114-L117, L207-L218), so `propel:diff` at deploy time drops them. V1 was generated with the
        behavior: its TableMap lists the columns in every SELECT (propelorm/Propel2 2.0.0-beta3
        `src/Propel/Generator/Builder/Om/TableMapBuilder.php` L1274-L1312), the timestampable polyfill's
        `preInsert` always writes `created_at`/`updated_at` (L147-L173), and archivable's default `archive_on_delete="true"` (polyfill L42-L56) makes every V1
        delete insert into the archive table. All of that fails once the columns or tables are gone, and
        their data (timestamps, uuids, published storage data, archived rows) is lost.

    Safe path:
        Release N: keep the behavior (or declare its columns explicitly, nullable and `lazyLoad="true"`,
        and keep the generated table), stop using them in code. Release N+1: remove the behavior or the
        explicit columns.

    Platforms:
        Same on MySQL and PostgreSQL; on PostgreSQL the dropped uuid/VARCHAR columns were unbounded, on
        MySQL VARCHAR(255). A column the behavior still provides, or one a reconfigured behavior no
        longer adds on a normal table, is CL102; a table dropped outright is CL101.
    """

    code = "CL103"
    name = "behavior-columns-dropped"
    severity = ERROR
    handles = (ColumnRemoved, TableRemoved)
    safe_path = ("release N: keep the behavior (or declare its columns nullable and lazyLoad=\"true\", keep its "
                 "tables) and stop using them; release N+1: remove the behavior")

    def check(self, event, ctx) -> None:
        if isinstance(event, TableRemoved):
            self._table_removed(event, ctx)
        else:
            self._column_removed(event, ctx)

    def _table_removed(self, event: TableRemoved, ctx) -> None:
        derived = event.base
        behavior = derived.provided_by
        if not behavior:
            return  # an ordinary table: CL101
        source = behavior_source(derived, ctx.base)
        if source is None:
            why = f"the {behavior} behavior that generated it no longer does"
        elif source.name not in ctx.head.tables:
            why = f"its source table {source.name} is dropped, and with it the {behavior} behavior"
        elif behavior not in ctx.head.tables[source.name].behaviors:
            why = f"the {behavior} behavior is removed from {source.name}"
        else:
            why = f"the {behavior} behavior of {source.name} is reconfigured and no longer generates it"
        uses = _USES.get(behavior, "V1 still reads and writes it")
        self.report(ctx, event, f"{derived.name} is dropped because {why}; {uses}, so those V1 calls fail, "
                    "and its rows are lost")

    def _column_removed(self, event: ColumnRemoved, ctx) -> None:
        column = event.column
        behavior = column.provided_by
        if not behavior:
            return  # declared in XML: CL102
        severity = None
        if event.head.provided_by:
            # A column of a generated table (archive, version, i18n): the behavior lives on the source table.
            source = behavior_source(event.head, ctx.head)
            base_source = ctx.base.tables.get(source.name) if source is not None else None
            if base_source is not None and column.name in base_source.columns and column.name not in source.columns:
                what = (f"{event.base.name}.{column.name} is dropped with {source.name}.{column.name}, of which it is "
                        f"the {behavior} copy: the values kept in {event.base.name} are lost")
            else:
                what = (f"{event.base.name}.{column.name} is dropped: the {behavior} behavior of "
                        f"{source.name if source is not None else 'its source table'} no longer adds it; its values are lost")
            if column.lazy_load and not column.not_null:
                severity = INFO
                what += ", but V1 already treats it as lazy and nullable"
            else:
                what += f", and V1 lists it in every SELECT and INSERT of {event.base.name}"
        else:
            if behavior in event.head.behaviors:
                return  # the behavior is still there but no longer adds it: CL102
            what = (f"{event.base.name}.{column.name} is dropped: the {behavior} behavior that added it is removed "
                    f"from {event.head.name}, but V1 still selects and writes it and fails; its data is lost")
        indexes = _behavior_indexes(event.base, event.head, behavior, column.name)
        if indexes:
            what += f" ({' and '.join(indexes)} {'goes' if len(indexes) == 1 else 'go'} with it)"
        self.report(ctx, event, what, column=column.name, severity=severity)

    INVALID = (
        Example(
            before=table("pyz_loyalty_account", col("fk_customer", "INTEGER", required="true"), col("points", "INTEGER"),
                         '<behavior name="timestampable"/>'),
            after=table("pyz_loyalty_account", col("fk_customer", "INTEGER", required="true"), col("points", "INTEGER")),
            expect=(expect("CL103", "pyz_loyalty_account", "created_at"), expect("CL103", "pyz_loyalty_account", "updated_at")),
            note="timestampable removed: created_at and updated_at are dropped although no <column> changed",
        ),
        Example(
            before=table("pyz_loyalty_tier", col("name", "VARCHAR", size="64", required="true"),
                         '<behavior name="uuid">\n        <parameter name="key_columns" value="name"/>\n    </behavior>',
                         '<behavior name="timestampable"/>'),
            after=table("pyz_loyalty_tier", col("name", "VARCHAR", size="64", required="true"),
                        '<behavior name="timestampable"/>'),
            expect=(expect("CL103", "pyz_loyalty_tier", "uuid"),),
            platform="pgsql",
            note="uuid removed: the uuid column and its unique pyz_loyalty_tier-unique-uuid go",
        ),
        Example(
            before=table("pyz_loyalty_account_storage", col("fk_loyalty_account", "INTEGER", required="true"),
                         '<behavior name="synchronization">\n        <parameter name="resource" value="loyalty_account"/>\n'
                         '        <parameter name="key_suffix_column" value="fk_loyalty_account"/>\n    </behavior>',
                         '<behavior name="timestampable"/>', identifierQuoting="true"),
            after=table("pyz_loyalty_account_storage", col("fk_loyalty_account", "INTEGER", required="true"),
                        '<behavior name="timestampable"/>', identifierQuoting="true"),
            expect=(expect("CL103", "pyz_loyalty_account_storage", "data"),
                    expect("CL103", "pyz_loyalty_account_storage", "key"),
                    expect("CL103", "pyz_loyalty_account_storage", "alias_keys")),
            note="synchronization removed from a storage table: data, key and alias_keys are dropped",
        ),
        Example(
            before=table("pyz_loyalty_redemption", col("fk_loyalty_account", "INTEGER", required="true"),
                         col("points", "INTEGER", required="true"), '<behavior name="archivable"/>'),
            after=table("pyz_loyalty_redemption", col("fk_loyalty_account", "INTEGER", required="true"),
                        col("points", "INTEGER", required="true")),
            expect=(expect("CL103", "pyz_loyalty_redemption_archive"),),
            note="archivable removed: the generated pyz_loyalty_redemption_archive table and its rows are dropped",
        ),
        Example(
            before=table("pyz_loyalty_redemption", col("fk_loyalty_account", "INTEGER", required="true"),
                         col("comment", "VARCHAR", size="255"), '<behavior name="archivable"/>'),
            after=table("pyz_loyalty_redemption", col("fk_loyalty_account", "INTEGER", required="true"),
                        '<behavior name="archivable"/>'),
            expect=(expect("CL103", "pyz_loyalty_redemption_archive", "comment"),),
            note="the source column is CL102; its archived copy and the archived values go too",
        ),
    )
    VALID = (
        Example(
            before=table("pyz_loyalty_account", col("points", "INTEGER"), col("created_at", "TIMESTAMP"),
                         col("updated_at", "TIMESTAMP"), '<behavior name="timestampable"/>'),
            after=table("pyz_loyalty_account", col("points", "INTEGER"), '<behavior name="timestampable"/>'),
            note="explicit timestamp columns removed, but timestampable still provides both",
        ),
        Example(
            before=table("pyz_loyalty_account", col("legacy_code", "VARCHAR", size="32"), '<behavior name="timestampable"/>'),
            after=table("pyz_loyalty_account", '<behavior name="timestampable"/>'),
            note="a declared column dropped: that is CL102, not a behavior drop",
        ),
        Example(
            before=table("pyz_loyalty_account", col("points", "INTEGER"),
                         '<behavior name="event">\n        <parameter name="pyz_loyalty_account_all" column="*"/>\n    </behavior>'),
            after=table("pyz_loyalty_account", col("points", "INTEGER")),
            note="the event behavior adds no columns or tables",
        ),
    )
