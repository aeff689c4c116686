from __future__ import annotations

from compatlint.changes import SequenceChanged
from compatlint.rule import Example, Rule, expect

from ._common import ERROR, INFO, col, table


def _sequence(value: str) -> str:
    return f'<id-method-parameter value="{value}"/>'


class SequenceRenamed(Rule):
    """The `<id-method-parameter>` sequence name changes, is removed or is added, with no DDL to match.

    What it flags:
        A table present at both revisions whose `<id-method-parameter value="...">` (the Spryker convention
        is `<table>_pk_seq`) gets another value, is removed, or is added to a table with an autoIncrement
        column. A change only in letter case, and a removal or addition where the name is exactly the name
        PostgreSQL's own default gives (`<table>_<column>_seq`), name the same sequence and are not
        reported.

    Why V1 breaks:
        The id-method-parameter is not part of Propel's column or table comparison
        (propelorm/Propel2 2.0.0-beta3 `src/Propel/Generator/Model/Diff/ColumnComparator.php` L53-L108,
        `TableComparator.php` L100-L114), so `propel:diff` emits no DDL for it: the sequence is created only
        with the table (`CREATE SEQUENCE`, `Platform/PgsqlPlatform.php` L166-L182) and never renamed. Yet the
        name is baked into the generated model: on PostgreSQL `doInsert` fetches the id before the INSERT
        with `SELECT nextval('<name>')` (`Builder/Om/ObjectBuilder.php` L6545-L6551, L6583-L6599;
        `PgsqlPlatform.php` L902-L924), the name being the id-method-parameter or, without one,
        `<table>_<autoincrement column>_seq` (`PgsqlPlatform.php` L138-L159). After the deploy V1 keeps
        working on the old sequence, but the new release's inserts call `nextval` on a sequence that does
        not exist and fail ("Unable to get sequence id"), and a fresh install (which creates the new
        sequence) no longer matches migrated databases. A parameter added to a table that exists is the same:
        the table was created with `serial` (`<table>_<column>_seq`, `PgsqlPlatform.php` L496-L541) and the
        named sequence is never created. Rolling back is the only quick way out.

    Safe path:
        Keep the sequence name. If it really must change, create the new sequence by hand in a migration
        (`CREATE SEQUENCE ...` then `SELECT setval('new', (SELECT max(pk) FROM t))`) in the same release, and
        drop the old one only after V1 is gone.

    Platforms:
        Error on PostgreSQL, where generated code calls `nextval`. Info on MySQL: MySQL's native id method is
        IDENTITY (`AUTO_INCREMENT` plus `lastInsertId`, `Platform/DefaultPlatform.php` L210-L221), so the
        name is not used at runtime there, but the same schema breaks a PostgreSQL deployment. Also info
        where the table has no autoIncrement column (Propel then switches the id method to none,
        `Model/Table.php` L304-L314, and no sequence is used).
    """

    code = "CL403"
    name = "sequence-renamed"
    severity = ERROR
    handles = (SequenceChanged,)
    safe_path = ("keep the id-method-parameter value; if it must change, create and set the new sequence in a "
                 "hand-written migration of the same release and drop the old one after V1 is gone")

    def check(self, event: SequenceChanged, ctx) -> None:
        old, new = event.before, event.after
        if old is None:
            self._added(event, new, ctx)
            return
        if new is not None and new.lower() == old.lower():
            return  # PostgreSQL folds the unquoted name in nextval('...') and Propel creates it lower-cased
        table_name = event.head.name
        serial = next((c.name for c in event.head.columns.values() if c.auto_increment), None)
        used = new if new is not None else (f"{table_name}_{serial}_seq" if serial else None)
        if new is None and used is not None and used.lower() == old.lower():
            return  # the default name is the old name: the same sequence
        what = (f"{table_name} now names the sequence {new} (was {old})" if new is not None
                else f"{table_name} no longer names the sequence {old}")
        side = "head" if new is not None else "base"
        if ctx.platform != "pgsql":
            self.report(ctx, event, f"{what}: no DDL follows, and MySQL does not use the name "
                        "(AUTO_INCREMENT), but generated code on PostgreSQL would call nextval on a sequence that "
                        "does not exist", severity=INFO, detail=old, side=side)
            return
        if serial is None:
            self.report(ctx, event, f"{what}: no DDL follows, but {table_name} has no autoIncrement "
                        "column, so no generated code calls nextval", severity=INFO, detail=old, side=side)
            return
        self.report(ctx, event, f"{what}: Propel emits no DDL for the change, so {used} does not exist after "
                    f"Run_install, and every insert into {table_name} from the new release fails on "
                    f"SELECT nextval('{used}') while V1 keeps using {old}", detail=old, side=side)

    def _added(self, event: SequenceChanged, new: str, ctx) -> None:
        """A parameter added to an existing table: the table was created with PostgreSQL's own sequence
        (`serial`, `<table>_<column>_seq`), and Propel creates the named one only with a new table
        (`PgsqlPlatform.php` L166-L182, L376) or when autoIncrement itself changes (L658-L692)."""
        table_name = event.head.name
        serial = next((c.name for c in event.base.columns.values() if c.auto_increment), None)
        if serial is None or new.lower() == f"{table_name}_{serial}_seq".lower():
            return  # no sequence in use, or the parameter names the one PostgreSQL already made
        if not event.head.columns.get(serial) or not event.head.columns[serial].auto_increment:
            return  # autoIncrement goes too: CL206, and no generated code calls nextval
        what = f"{table_name} now names the sequence {new}, which it did not name before"
        if ctx.platform != "pgsql":
            self.report(ctx, event, f"{what}: no DDL follows, and MySQL does not use the name (AUTO_INCREMENT), "
                        "but generated code on PostgreSQL would call nextval on a sequence that does not exist",
                        severity=INFO, detail=new, side="head")
            return
        self.report(ctx, event, f"{what}: Propel creates it only with a new table, so after Run_install only "
                    f"{table_name}_{serial}_seq exists and every insert into {table_name} from the new release "
                    f"fails on SELECT nextval('{new}')", detail=new, side="head")

    INVALID = (
        Example(
            before=table("pyz_loyalty_account", col("points", "INTEGER"), _sequence("pyz_loyalty_account_pk_seq"), idMethod="native"),
            after=table("pyz_loyalty_account", col("points", "INTEGER"), _sequence("pyz_loyalty_account_id_seq"), idMethod="native"),
            expect=(expect("CL403", "pyz_loyalty_account"),),
            platform="pgsql",
            severity=ERROR,
            note="renamed in XML only: the new release calls nextval('pyz_loyalty_account_id_seq'), which does not exist",
        ),
        Example(
            before=table("pyz_loyalty_account", col("points", "INTEGER"), _sequence("pyz_loyalty_account_pk_seq"), idMethod="native"),
            after=table("pyz_loyalty_account", col("points", "INTEGER"), _sequence("pyz_loyalty_account_id_seq"), idMethod="native"),
            expect=(expect("CL403", "pyz_loyalty_account"),),
            severity=INFO,
            note="the same change on MySQL: the name is unused at runtime there",
        ),
        Example(
            before=table("spy_loyalty_tier", col("name", "VARCHAR", size="64", required="true"),
                         _sequence("spy_loyalty_tier_pk_seq"), '<behavior name="timestampable"/>', idMethod="native"),
            after=table("spy_loyalty_tier", col("name", "VARCHAR", size="64", required="true"),
                        '<behavior name="timestampable"/>', idMethod="native"),
            expect=(expect("CL403", "spy_loyalty_tier"),),
            platform="pgsql",
            severity=ERROR,
            note="removed: generated code falls back to spy_loyalty_tier_id_loyalty_tier_seq, which was never created",
        ),
        Example(
            before=table("pyz_loyalty_account", col("points", "INTEGER"), idMethod="native"),
            after=table("pyz_loyalty_account", col("points", "INTEGER"), _sequence("pyz_loyalty_account_pk_seq"), idMethod="native"),
            expect=(expect("CL403", "pyz_loyalty_account"),),
            platform="pgsql",
            severity=ERROR,
            note="added to a serial table: pyz_loyalty_account_pk_seq is never created",
        ),
    )
    VALID = (
        Example(
            before=table("pyz_loyalty_account", col("points", "INTEGER"), idMethod="native"),
            after=table("pyz_loyalty_account", col("points", "INTEGER"),
                        _sequence("pyz_loyalty_account_id_loyalty_account_seq"), idMethod="native"),
            platform="pgsql",
            note="added, naming the sequence serial already made",
        ),
        Example(
            before=table("pyz_loyalty_account", col("points", "INTEGER"), _sequence("pyz_loyalty_account_pk_seq"), idMethod="native"),
            after=table("pyz_loyalty_account", col("points", "INTEGER"), col("tier", "VARCHAR", size="16"),
                        _sequence("pyz_loyalty_account_pk_seq"), idMethod="native"),
            platform="pgsql",
            note="the sequence name is kept",
        ),
        Example(
            before=table("pyz_loyalty_account", col("points", "INTEGER"), _sequence("pyz_loyalty_account_pk_seq"), idMethod="native"),
            after=table("pyz_loyalty_account", col("points", "INTEGER"), _sequence("PYZ_LOYALTY_ACCOUNT_PK_SEQ"), idMethod="native"),
            platform="pgsql",
            note="only the letter case changes: nextval('...') folds it, the same sequence",
        ),
        Example(
            before=table("pyz_loyalty_account", col("points", "INTEGER"),
                         _sequence("pyz_loyalty_account_id_loyalty_account_seq"), idMethod="native"),
            after=table("pyz_loyalty_account", col("points", "INTEGER"), idMethod="native"),
            platform="pgsql",
            note="removed, but the old name is the <table>_<column>_seq name Propel falls back to",
        ),
    )
