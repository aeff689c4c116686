from __future__ import annotations

from compatlint.changes import MigrationDrift as DriftEvent
from compatlint.changes import MigrationStatement
from compatlint.rule import Example, Rule, expect

from ._common import WARNING, col, php_migration, table

_COLUMN_CHANGES = {"ColumnAdded", "ColumnRemoved", "ColumnRenamed", "ColumnChanged"}

# change -> (what the migration does, what the schema change needs); {t} table, {n} name
_PHRASES = {
    "TableAdded": ("creates table {t}", "a new table {t}"),
    "TableRemoved": ("drops table {t}", "table {t} dropped"),
    "TableRenamed": ("renames table {t} to {n}", "table {t} renamed to {n}"),
    "ColumnAdded": ("adds column {t}.{n}", "a new column {t}.{n}"),
    "ColumnRemoved": ("drops column {t}.{n}", "column {t}.{n} dropped"),
    "ColumnRenamed": ("renames column {t}.{n}", "column {t}.{n} renamed"),
    "ColumnChanged": ("changes the definition of {t}.{n}", "a changed definition of {t}.{n}"),
    "PrimaryKeyChanged": ("changes the primary key of {t}", "a changed primary key of {t}"),
    "IndexAdded": ("adds index {n} on {t}", "a new index {n} on {t}"),
    "IndexRemoved": ("drops index {n} of {t}", "index {n} of {t} dropped"),
    "IndexChanged": ("re-creates index {n} of {t}", "index {n} of {t} changed"),
    "ForeignKeyAdded": ("adds foreign key {n} on {t}", "a new foreign key {n} on {t}"),
    "ForeignKeyRemoved": ("drops foreign key {n} of {t}", "foreign key {n} of {t} dropped"),
    "ForeignKeyChanged": ("re-creates foreign key {n} of {t}", "foreign key {n} of {t} changed"),
}

class MigrationDrift(Rule):
    """A committed migration and the schema change of the same revisions disagree.

    What it flags:
        `MigrationDrift` events from checking committed migrations together with the schema diff
        (`compatlint.sql.lint._drift`): the migration's statements are played on the base schema and their
        changes compared with the schema's, change by change (table, column, primary key, index, foreign
        key; column changes only where Propel emits DDL). "extra": the migration changes something the
        schema diff does not (it drops a column the schema keeps, adds an index the XML does not declare,
        …). "missing": the schema change needs DDL the migration does not have (a column added in the
        XML with no `ADD` in the migration), or, where the project commits migrations, a schema change
        comes with no migration at all. The column is the drift's name when it is a column change.

    Why V1 breaks:
        V2's code is generated from the XML (`propel:model:build`), not from the migration. In projects that
        commit migrations (spryker/spryker-docs `docs/ca/dev/troubleshooting/troubleshooting-general-issues/
        missing-migration-files-on-production-environments.md` L15), `propel:migrate` runs exactly the
        committed SQL. With "missing" DDL the database lacks what V2 selects and writes, so V2 fails once
        deployed, and the next `propel:diff` (it compares the live database with the XML,
        propelorm/Propel2 2.0.0-beta3 `src/Propel/Generator/Command/MigrationDiffCommand.php` L151, L192)
        emits the forgotten change later, at an unplanned deploy. With "extra" DDL the migration does what
        no schema review saw: a dropped or renamed column the XML keeps breaks V1 and V2 alike, and
        `propel:diff` re-creates the difference (as an empty column) at the next deploy.

    Safe path:
        Regenerate the migration from the schema change (`vendor/bin/console propel:diff` on a database at
        the base revision) instead of editing it by hand; put schema changes in the XML first and data
        changes in a separate, clearly hand-written migration. Release N then release N+1 as the schema
        rules (CL1xx-CL4xx) describe for the change itself.

    Platforms:
        Same on MySQL and PostgreSQL; each migration directory (`src/Orm/Propel/Migration_mysql/`,
        `Migration_pgsql/`) is compared with the schema change on its own platform.
    """

    code = "CL503"
    name = "migration-drift"
    severity = WARNING
    handles = (DriftEvent,)
    safe_path = ("regenerate the migration with propel:diff from the schema change; keep hand-written data changes "
                 "in a separate migration")

    def check(self, event: DriftEvent, ctx) -> None:
        table_name = event.table or "?"
        name = event.name or ""
        does, needs = _PHRASES.get(event.change, (f"has a {event.change} of {{t}} {{n}}", f"a {event.change} of {{t}} {{n}}"))
        column = event.name if event.change in _COLUMN_CHANGES else None
        if event.kind == "extra":
            message = (f"the migration {does.format(t=table_name, n=name)}, which the schema change does not: the "
                       "database no longer matches the schema V2 is generated from, and the next propel:diff "
                       "undoes it")
        else:
            message = (f"the schema change needs {needs.format(t=table_name, n=name)}, but the migration has no DDL "
                       "for it: V2 expects it once deployed, and the next propel:diff emits it at an unplanned deploy")
        # A removal's origin can be the removed element in the base schema file (the drift of a hand-written DROP
        # carries the removed column's base location): say so, so the finding moves to the SQL line that removed it.
        migration_paths = {e.statement.origin.path for e in ctx.events if isinstance(e, MigrationStatement)}
        origin = event.origin
        side = "base" if (event.change.endswith("Removed") and origin is not None
                          and origin.path not in migration_paths) else "head"
        self.report(ctx, event, message, column=column, side=side,
                    detail=name or f"{event.kind} {event.change}")

    INVALID = (
        Example(
            before=table("pyz_loyalty_account", col("legacy_code", "VARCHAR", size="32"), col("points", "INTEGER")),
            after=table("pyz_loyalty_account", col("legacy_code", "VARCHAR", size="32"), col("points", "INTEGER"),
                        col("tier", "VARCHAR", size="16")),
            sql="ALTER TABLE `pyz_loyalty_account` DROP `legacy_code`;\n",
            with_schema_change=True,
            expect=(expect("CL503", "pyz_loyalty_account", "legacy_code"), expect("CL503", "pyz_loyalty_account", "tier")),
            severity=WARNING,
            note="the migration drops a column the schema keeps (extra) and lacks the column the schema adds (missing)",
        ),
        Example(
            before=table("pyz_loyalty_account", col("points", "INTEGER")),
            after=table("pyz_loyalty_account", col("points", "INTEGER"), col("tier", "VARCHAR", size="16"),
                        '<index name="pyz_loyalty_account-tier"><index-column name="tier"/></index>'),
            sql=php_migration(1709633520, '\nBEGIN;\n\nALTER TABLE "pyz_loyalty_account"\n\n  ADD "tier" VARCHAR(16);\n\n'
                                       'COMMIT;\n\n'),
            sql_path="src/Orm/Propel/Migration_pgsql/PropelMigration_1709633520.php",
            platform="pgsql",
            with_schema_change=True,
            expect=(expect("CL503", "pyz_loyalty_account", None),),
            note="a PHP migration that lost the CREATE INDEX of the schema change (missing index: no column)",
        ),
        Example(
            before=(table("pyz_loyalty_account", col("points", "INTEGER")) + "\n"
                    + table("pyz_loyalty_legacy", col("code", "VARCHAR", size="32"))),
            after=(table("pyz_loyalty_account", col("points", "INTEGER")) + "\n"
                   + table("pyz_loyalty_legacy", col("code", "VARCHAR", size="32"))),
            sql='\nBEGIN;\n\nDROP TABLE IF EXISTS "pyz_loyalty_legacy" CASCADE;\n\nCOMMIT;\n',
            sql_path="src/Orm/Propel/Migration_pgsql/PropelMigration_1709633600.sql",
            platform="pgsql",
            with_schema_change=True,
            expect=(expect("CL503", "pyz_loyalty_legacy", None),),
            note="the migration drops a table the schema keeps (extra)",
        ),
    )
    VALID = (
        Example(
            before=table("pyz_loyalty_account", col("points", "INTEGER")),
            after=table("pyz_loyalty_account", col("points", "INTEGER"), col("tier", "VARCHAR", size="16")),
            sql=php_migration(1709633700, "\n# This is a fix for InnoDB in MySQL >= 4.1.x\n# It \"suspends judgement\" for "
                                       "fkey relationships until are tables are set.\nSET FOREIGN_KEY_CHECKS = 0;\n\n"
                                       "ALTER TABLE `pyz_loyalty_account`\n\n  ADD `tier` VARCHAR(16) AFTER `points`;\n\n"
                                       "# This restores the fkey checks, after having unset them earlier\n"
                                       "SET FOREIGN_KEY_CHECKS = 1;\n\n"),
            sql_path="src/Orm/Propel/Migration_mysql/PropelMigration_1709633700.php",
            with_schema_change=True,
            note="the migration propel:diff generates for the schema change",
        ),
        Example(
            before=table("pyz_loyalty_account", col("points", "INTEGER"), col("tier", "VARCHAR", size="16")),
            after=table("pyz_loyalty_account", col("points", "INTEGER"), col("tier", "VARCHAR", size="16"),
                        '<index name="pyz_loyalty_account-tier"><index-column name="tier"/></index>'),
            sql=('\nBEGIN;\n\nCREATE INDEX "pyz_loyalty_account-tier" ON "pyz_loyalty_account" ("tier");\n\n'
                 'UPDATE "pyz_loyalty_account" SET "tier" = \'basic\' WHERE "tier" IS NULL;\n\nCOMMIT;\n'),
            sql_path="src/Orm/Propel/Migration_pgsql/PropelMigration_1709633800.sql",
            platform="pgsql",
            with_schema_change=True,
            note="the schema's index plus a data statement: data is no drift (CL501 judges it)",
        ),
        Example(
            before=table("pyz_loyalty_account", col("points_total", "INTEGER")),
            after=table("pyz_loyalty_account", col("points_balance", "INTEGER")),
            sql="ALTER TABLE `pyz_loyalty_account` CHANGE `points_total` `points_balance` INTEGER;\n",
            with_schema_change=True,
            note="the rename Propel detects, written as Propel writes it (CL402 judges the rename)",
        ),
    )
