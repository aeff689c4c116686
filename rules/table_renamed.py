from __future__ import annotations

from compatlint.changes import TableRenamed
from compatlint.rule import Example, Rule, expect

from ._common import ERROR, col, table


def _bonus(name: str, *extra: str, **attrs: str) -> str:
    """The same loyalty bonus table under any name: column names do not follow the table name."""
    children = "\n    ".join((
        '<column name="id_loyalty_bonus" type="INTEGER" primaryKey="true" autoIncrement="true"/>',
        '<column name="fk_loyalty_account" type="INTEGER" required="true"/>',
        '<column name="amount" type="INTEGER" required="true"/>',
        '<column name="reason" type="VARCHAR" size="255"/>',
        *extra,
        '<behavior name="timestampable"/>',
    ))
    extra_attrs = "".join(f' {k}="{v}"' for k, v in attrs.items())
    return f'<table name="{name}"{extra_attrs}>\n    {children}\n</table>'


class TableRenaming(Rule):
    """A table is renamed: Propel drops it and creates an empty one under the new name.

    What it flags:
        A table removed and a table added whose definitions are the same apart from the name (same
        columns, primary key, indexes and uniques, and no foreign keys): Propel's "possible table
        renaming". Reported on the old name.

    Why V1 breaks:
        `DatabaseComparator::compareTables` pairs an added and a removed table with no difference but the
        name; only with `--table-renaming` does it rename, otherwise it records a possible renaming and
        still drops the old table and creates the new one (propelorm/Propel2 2.0.0-beta3
        `src/Propel/Generator/Model/Diff/DatabaseComparator.php` L278-L295; the command prints "It will be
        deleted and recreated. Use --table-renaming to only rename it.", `Command/MigrationDiffCommand.php`
        L204-L210). Spryker's `propel:diff` at deploy time does not pass the flag, so `Run_install` runs
        `DROP TABLE` on the old name (`Platform/DefaultPlatform.php` L350; PostgreSQL with `CASCADE`,
        `Platform/PgsqlPlatform.php` L465-L480) and `CREATE TABLE` for the new one: every row is gone, and V1,
        whose TableMap and `findPkSimple` name the old table (`Builder/Om/TableMapBuilder.php` L1274-L1312,
        `Builder/Om/QueryBuilder.php` L597-L640), fails on every query until the last V1 service is replaced.
        Even with `--table-renaming` V1 would still query the old name.

    Safe path:
        Release N: create the new table next to the old one, write both (dual-write) and backfill the new
        one. Release N+1: switch reads to the new table and stop writing the old one. Release N+2: drop the
        old table.

    Platforms:
        Same on MySQL and PostgreSQL; PostgreSQL's `DROP TABLE ... CASCADE` also drops foreign keys other
        tables have to the old table and its `<id-method-parameter>` sequence. A table with a foreign key is
        never a rename candidate (the key's comparison includes the owning table's name,
        `Model/Diff/ForeignKeyComparator.php` L31-L107): its removal is CL101.
    """

    code = "CL401"
    name = "table-renamed"
    severity = ERROR
    handles = (TableRenamed,)
    safe_path = ("release N: create the new table, dual-write, backfill; release N+1: switch reads; "
                 "release N+2: drop the old table")

    def check(self, event: TableRenamed, ctx) -> None:
        old, new = event.base.name, event.head.name
        sequence = ""
        if ctx.platform == "pgsql" and event.base.id_method_parameter:
            sequence = f" (and its sequence {event.base.id_method_parameter})"
        location = event.location
        if location is not None and location.path.endswith((".sql", ".php")):  # a migration renames it itself
            self.report(ctx, event, f"{old} -> {new}: the migration renames the table; the rows move with it, but "
                        f"V1 still queries {old} and fails until all V1 services are gone", table=old)
            return
        self.report(ctx, event, f"{old} -> {new}: same definition under another name, but Spryker runs propel:diff "
                    f"without --table-renaming, so {old}{sequence} is dropped with all its rows and an empty {new} is "
                    f"created; V1 still queries {old} and fails", table=old)

    INVALID = (
        Example(
            before=table("pyz_loyalty_account", col("points", "INTEGER")) + "\n" + _bonus("pyz_loyalty_bonus"),
            after=table("pyz_loyalty_account", col("points", "INTEGER")) + "\n" + _bonus("pyz_loyalty_reward"),
            expect=(expect("CL401", "pyz_loyalty_bonus"),),
            note="only the table name changes: Propel detects a possible renaming and drops and re-creates",
        ),
        Example(
            before=_bonus("pyz_loyalty_bonus", '<id-method-parameter value="pyz_loyalty_bonus_pk_seq"/>',
                          '<unique name="pyz_loyalty_bonus-reason">\n        <unique-column name="reason"/>\n    </unique>'),
            after=_bonus("pyz_loyalty_point_bonus", '<id-method-parameter value="pyz_loyalty_bonus_pk_seq"/>',
                         '<unique name="pyz_loyalty_bonus-reason">\n        <unique-column name="reason"/>\n    </unique>'),
            expect=(expect("CL401", "pyz_loyalty_bonus"),),
            platform="pgsql",
            note="explicitly named uniques keep their names, so the definitions still match; the sequence is dropped too",
        ),
    )
    VALID = (
        Example(
            before=table("pyz_loyalty_bonus", col("amount", "INTEGER", required="true")),
            after=table("pyz_loyalty_reward", col("amount", "INTEGER", required="true")),
            note="the primary key is renamed with the table (id_loyalty_bonus -> id_loyalty_reward): no rename "
                 "candidate, a plain drop (CL101) and create",
        ),
        Example(
            before=table("pyz_loyalty_account", col("points", "INTEGER")) + "\n" + _bonus(
                "pyz_loyalty_bonus", '<foreign-key name="pyz_loyalty_bonus-fk_loyalty_account" foreignTable="pyz_loyalty_account">\n'
                '        <reference local="fk_loyalty_account" foreign="id_loyalty_account"/>\n    </foreign-key>'),
            after=table("pyz_loyalty_account", col("points", "INTEGER")) + "\n" + _bonus(
                "pyz_loyalty_reward", '<foreign-key name="pyz_loyalty_bonus-fk_loyalty_account" foreignTable="pyz_loyalty_account">\n'
                '        <reference local="fk_loyalty_account" foreign="id_loyalty_account"/>\n    </foreign-key>'),
            note="a table with a foreign key is never a rename candidate in Propel: CL101 reports the drop",
        ),
        Example(
            before=table("pyz_loyalty_account", col("points_total", "INTEGER")),
            after=table("pyz_loyalty_account", col("points_balance", "INTEGER")),
            note="a column rename inside a kept table is CL402",
        ),
    )
