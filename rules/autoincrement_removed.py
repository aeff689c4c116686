from __future__ import annotations

from compatlint.changes import AUTO_INCREMENT, ColumnChanged
from compatlint.rule import Example, Rule, expect

from ._common import ERROR, WARNING, col


def _table(name: str, pk: str, *children: str, sequence: bool = False) -> str:
    rows = [f'<column name="id_{name.split("_", 1)[-1]}" type="INTEGER" primaryKey="true"{pk}/>', *children]
    if sequence:
        rows.append(f'<id-method-parameter value="{name}_pk_seq"/>')
    inner = "\n    ".join(rows)
    return f'<table name="{name}">\n    {inner}\n</table>'


class AutoincrementRemoved(Rule):
    """`autoIncrement` is turned off on a column.

    What it flags:
        A column with `autoIncrement="true"` at base and without it at head.

    Why V1 breaks:
        V1's `doInsert()` leaves the id to the database. On MySQL it always lists the auto-increment primary
        key and binds NULL for it (propelorm/Propel2 2.0.0-beta3
        `src/Propel/Generator/Builder/Om/ObjectBuilder.php` L6558-L6580): without `AUTO_INCREMENT` the NOT NULL
        key rejects it. On PostgreSQL V1 fetches the id with `SELECT nextval('<sequence>')` before the INSERT
        (L6583-L6599, `PgsqlPlatform::getIdentifierPhp` L902-L925); without an id-method-parameter the sequence
        is `<table>_<column>_seq`, and Propel's migration drops it with `DROP SEQUENCE .. CASCADE`
        (`src/Propel/Generator/Platform/PgsqlPlatform.php` L658-L692; the live database's sequences are read by
        `src/Propel/Generator/Reverse/PgsqlSchemaParser.php` L640-L676), so V1 fails with "Unable to get
        sequence id".

    Safe path:
        Keep autoIncrement. If ids must come from elsewhere, add the new id source first, make V2 use it while
        the column still auto-increments, and only then turn autoIncrement off.

    Platforms:
        MySQL and PostgreSQL without `<id-method-parameter>`: error. PostgreSQL with an `<id-method-parameter>`
        (the Spryker convention `<table>_pk_seq`, added by `propel:pg-sql-compat`): Propel emits no DDL and V1
        keeps taking ids from that sequence, but V2 no longer does, so ids V2 assigns itself can collide with
        V1's: a warning.
    """

    code = "CL206"
    name = "autoincrement-removed"
    severity = ERROR
    handles = (ColumnChanged,)
    safe_path = "keep autoIncrement; move V2 to another id source first, turn autoIncrement off only after V1 is gone"

    def check(self, event: ColumnChanged, ctx) -> None:
        before, after = event.before, event.after
        if AUTO_INCREMENT not in event.changes or not before.auto_increment or after.auto_increment:
            return
        table_name = event.head.name
        subject = f"{table_name}.{after.name}"
        location = event.location_of(AUTO_INCREMENT)
        if ctx.platform == "pgsql":
            sequence = event.base.id_method_parameter
            if sequence:
                self.report(ctx, event, f"{subject} is no longer autoIncrement: V1 keeps taking ids from sequence "
                            f"{sequence}, but V2 assigns ids itself and they can collide with V1's", column=after.name,
                            severity=WARNING, location=location)
                return
            self.report(ctx, event, f"{subject} is no longer autoIncrement: Propel drops the sequence "
                        f"{table_name}_{after.name}_seq that V1 calls nextval() on before every INSERT, so V1 "
                        "INSERTs fail", column=after.name, location=location)
            return
        self.report(ctx, event, f"{subject} is no longer autoIncrement: V1 INSERTs pass NULL for it and let MySQL "
                    "number the row; without AUTO_INCREMENT they fail", column=after.name, location=location)

    INVALID = (
        Example(
            before=_table("spy_sales_order_comment", ' autoIncrement="true"', col("message", "LONGVARCHAR")),
            after=_table("spy_sales_order_comment", "", col("message", "LONGVARCHAR")),
            expect=(expect("CL206", "spy_sales_order_comment", "id_sales_order_comment"),),
            severity=ERROR,
        ),
        Example(
            before=_table("pyz_loyalty_account", ' autoIncrement="true"', col("points", "INTEGER")),
            after=_table("pyz_loyalty_account", "", col("points", "INTEGER")),
            expect=(expect("CL206", "pyz_loyalty_account", "id_loyalty_account"),),
            platform="pgsql",
            severity=ERROR,
            note="no id-method-parameter: Propel drops pyz_loyalty_account_id_loyalty_account_seq",
        ),
        Example(
            before=_table("spy_sales_order_comment", ' autoIncrement="true"', col("message", "LONGVARCHAR"),
                          sequence=True),
            after=_table("spy_sales_order_comment", "", col("message", "LONGVARCHAR"), sequence=True),
            expect=(expect("CL206", "spy_sales_order_comment", "id_sales_order_comment"),),
            platform="pgsql",
            severity=WARNING,
            note="V1 keeps using spy_sales_order_comment_pk_seq; V2's own ids can collide",
        ),
    )
    VALID = (
        Example(
            before=_table("spy_sales_order_comment", "", col("message", "LONGVARCHAR")),
            after=_table("spy_sales_order_comment", ' autoIncrement="true"', col("message", "LONGVARCHAR")),
            note="autoIncrement added, not removed",
        ),
        Example(
            before=_table("pyz_loyalty_account", ' autoIncrement="true"', col("points", "INTEGER"), sequence=True),
            after=_table("pyz_loyalty_account", ' autoIncrement="1"', col("points", "INTEGER"), sequence=True),
            platform="pgsql",
            note='"1" is true to Propel as well',
        ),
    )
