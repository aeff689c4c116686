from __future__ import annotations

from compatlint.changes import ColumnAdded, ColumnChanged, ForeignKeyAdded, ForeignKeyChanged, TableAdded, \
    TableRemoved, TableRenamed
from compatlint.platform import sql_type, type_ddl
from compatlint.rule import Example, Rule, expect

from ._common import ERROR, col, table, tables_naming_in

# MySQL's limits (server errors 1426 "Too big precision", 1425 "Too big scale", 1427 "M must be >= D",
# 1074 "Column length too big"), PostgreSQL's NUMERIC precision limit ("NUMERIC precision ... must be between 1
# and 1000").
_MYSQL_DECIMAL_DIGITS, _MYSQL_DECIMAL_SCALE, _MYSQL_CHAR = 65, 30, 255
_PGSQL_NUMERIC_DIGITS = 1000
_MODULE_FOLDER = "/Persistence/Propel/Schema/"


def refused_column(platform: str, column) -> str | None:
    """Why Propel or the database refuses this column definition, or None."""
    exact = sql_type(platform, column)
    native = exact.upper()
    explicit = column.sql_type is not None
    if platform == "mysql":
        if exact in ("TEXT", "BLOB") and column.default is not None:  # compared as Propel does, case and all
            # MysqlPlatform::getColumnDDL L467-L471
            return (f"a {native} column with a default, which Propel refuses on MySQL (\"BLOB and TEXT columns "
                    "cannot have DEFAULT values\")")
        if native == "DATE" and column.default is not None and column.default.is_expression:
            return ("a DATE column with a default expression, which Propel refuses on MySQL (\"DATE columns cannot "
                    "have default *expressions*\")")  # MysqlPlatform::getColumnDDL L462-L466
        if native == "DECIMAL" and not explicit and column.size is not None:
            if column.size > _MYSQL_DECIMAL_DIGITS:
                return f"DECIMAL({column.size}), which MySQL refuses (at most {_MYSQL_DECIMAL_DIGITS} digits)"
            if (column.scale or 0) > _MYSQL_DECIMAL_SCALE:
                return f"a DECIMAL scale of {column.scale}, which MySQL refuses (at most {_MYSQL_DECIMAL_SCALE})"
            if (column.scale or 0) > column.size:
                return f"DECIMAL({column.size},{column.scale}), which MySQL refuses (the scale exceeds the precision)"
        if native == "CHAR" and not explicit and (column.size or 0) > _MYSQL_CHAR:
            return f"CHAR({column.size}), which MySQL refuses (at most {_MYSQL_CHAR} characters)"
    elif native == "NUMERIC" and not explicit and (column.size or 0) > _PGSQL_NUMERIC_DIGITS:
        return f"NUMERIC({column.size}), which PostgreSQL refuses (at most {_PGSQL_NUMERIC_DIGITS} digits)"
    return None


def _complete(schema) -> bool:
    """Does this side hold every table a foreign key may name? Core (vendor) files are in it, or it is a merged
    folder rather than module files (without vendor, a project key to a core table only looks dangling)."""
    paths = schema.files
    return any(p.startswith("vendor/") or "/vendor/" in p for p in paths) or \
        not any(_MODULE_FOLDER in f"/{p}" for p in paths)


class SchemaRefused(Rule):
    """The change brings a schema that Propel or the database refuses, so the deploy stops.

    What it flags:
        What the head revision introduces that `propel:diff`/`propel:migrate` cannot get through, in five
        kinds. A foreign key to a table that does not exist: a table dropped or renamed while another still
        references it, or a new or changed key naming a table the head schema lacks (reported only when the
        schema read holds the core tables too: vendor files, or a merged schema folder; without them a key to a
        core table only looks dangling). On MySQL, a `TEXT` or `BLOB` column (`LONGVARCHAR`, `ARRAY`, `BLOB`
        or such a `sqlType`) with a default, and a `DATE` column with a `defaultExpr`, both refused by Propel.
        Column definitions the server refuses: MySQL `DECIMAL` with more than 65 digits, a scale over 30 or
        above the precision, `CHAR` over 255; PostgreSQL `NUMERIC` over 1000 digits. On MySQL, a type or size
        change of a column that a foreign key of another table references (e.g. `id_*` INTEGER -> BIGINT):
        MariaDB refuses it even with `FOREIGN_KEY_CHECKS = 0`, and Propel's migration keeps the key in place
        while it alters the referenced table. Only columns the change adds, changes (with DDL) or creates with
        a new table are checked.

    Why V1 breaks:
        Nothing of V2 reaches the database: Propel throws "Table ... contains a foreign key to nonexistent
        table" while it builds the model (propelorm/Propel2 2.0.0-beta3 `src/Propel/Generator/Model/Table.php`
        L803-L820, called with errors on from `Model/Database.php` L905-L910), and "BLOB and TEXT columns
        cannot have DEFAULT values" / "DATE columns cannot have default *expressions*" while it writes the
        column DDL (`src/Propel/Generator/Platform/MysqlPlatform.php` L447-L471), so `propel:diff` fails in
        `Run_install`; a definition the server refuses fails the migration at that statement (MySQL leaves the
        statements before it applied; PostgreSQL rolls the whole migration back). V1 keeps running on the old
        schema, but the release is stuck, and on MySQL half-migrated.

    Safe path:
        Keep the referenced table until no foreign key names it (drop the keys first); give TEXT/BLOB columns no
        default on MySQL (set the value in code, or use VARCHAR); stay within the database's limits. To retype a
        referenced column on MySQL, drop the referencing keys in a hand-written migration first, change both
        sides, and add the keys back.

    Platforms:
        The foreign key check is the same on both. The TEXT/BLOB and DATE defaults and the DECIMAL/CHAR limits are
        MySQL's; PostgreSQL accepts defaults on TEXT and BYTEA and has only the NUMERIC precision limit.
    """

    code = "CL907"
    name = "schema-refused"
    severity = ERROR
    handles = (ColumnAdded, ColumnChanged, TableAdded, TableRenamed, TableRemoved, ForeignKeyAdded,
               ForeignKeyChanged)
    safe_path = ("keep a referenced table until no foreign key names it; no default on MySQL TEXT/BLOB columns; "
                 "stay within the database's column limits")

    def check(self, event, ctx) -> None:
        if isinstance(event, (TableRemoved, TableRenamed)):
            self._still_referenced(event, ctx)
        if isinstance(event, (ForeignKeyAdded, ForeignKeyChanged)):
            fk = event.foreign_key if isinstance(event, ForeignKeyAdded) else event.after
            self._dangling(event, ctx, event.head.name, fk)
        if isinstance(event, ColumnChanged) and event.ddl and ctx.platform == "mysql":
            self._referenced_type_change(event, ctx)
        columns = []
        if isinstance(event, ColumnAdded):
            columns = [event.column]
        elif isinstance(event, ColumnChanged) and event.ddl:
            columns = [event.after]
        elif isinstance(event, (TableAdded, TableRenamed)):
            columns = list(event.head.columns.values())
            for fk in event.head.foreign_keys.values():
                self._dangling(event, ctx, event.head.name, fk)
        for column in columns:
            why = refused_column(ctx.platform, column)
            if why is not None:
                self.report(ctx, event, f"{event.head.name}.{column.name} is {why}: the deploy stops there",
                            table=event.head.name, column=column.name,
                            location=column.origin or event.head.origin, side="head")

    def _referenced_type_change(self, event: ColumnChanged, ctx) -> None:
        """MySQL/MariaDB refuse to change the type or size of a column another table's foreign key references
        ("[1833] Cannot change column ... used in a foreign key constraint", even with FOREIGN_KEY_CHECKS=0), and
        Propel's migration still holds that key when it alters the referenced table: modified tables are altered
        one after the other, each dropping and re-adding only its own keys (`DefaultPlatform::getModifyDatabaseDDL`
        L811-L840)."""
        before, after = event.before, event.after
        if type_ddl(ctx.platform, before) == type_ddl(ctx.platform, after):
            return
        table = event.base.name
        for other in tables_naming_in(ctx, "base", table):
            if other.name == table or other.skip_sql or other.name not in ctx.head.tables:
                continue
            for fk in other.foreign_keys.values():
                if fk.foreign_table == table and before.name in fk.foreign_columns and not fk.skip_sql:
                    self.report(ctx, event, f"{table}.{after.name} changes from {type_ddl(ctx.platform, before)} to "
                                f"{type_ddl(ctx.platform, after)}, but {other.name}.{fk.name} references it: MySQL "
                                "refuses to change a column a foreign key of another table uses ([1833] Cannot "
                                "change column ... used in a foreign key constraint), and the migration stops there",
                                column=after.name, detail=f"referenced:{fk.name}")
                    return

    def _still_referenced(self, event, ctx) -> None:
        gone = event.base.name
        if gone in ctx.head.tables:
            return
        for other in tables_naming_in(ctx, "head", gone):
            for fk in other.foreign_keys.values():
                if fk.foreign_table == gone and not other.skip_sql:
                    self.report(ctx, event, f"{gone} is dropped, but {other.name} keeps the foreign key {fk.name} to "
                                f"it: Propel refuses the schema (\"contains a foreign key to nonexistent table\")",
                                table=gone, location=fk.origin or other.origin, side="head", detail=fk.name)

    def _dangling(self, event, ctx, owner: str, fk) -> None:
        target = fk.foreign_table
        if target in ctx.head.tables or fk.skip_sql:
            return
        if target in ctx.base.tables:
            return  # the target's removal is reported once, on the table removed
        if target not in ctx.base.tables and not _complete(ctx.head):
            return
        self.report(ctx, event, f"{owner}.{fk.name} references {target}, which the schema does not declare: "
                    "Propel refuses the schema (\"contains a foreign key to nonexistent table\")",
                    table=owner, location=fk.origin, side="head", detail=fk.name)

    INVALID = (
        Example(
            before=table("pyz_loyalty_tier", col("name", "VARCHAR", size="64"))
            + table("pyz_loyalty_account", col("fk_loyalty_tier"),
                    '<foreign-key name="pyz_loyalty_account-fk_loyalty_tier" foreignTable="pyz_loyalty_tier">'
                    '<reference local="fk_loyalty_tier" foreign="id_loyalty_tier"/></foreign-key>'),
            after=table("pyz_loyalty_account", col("fk_loyalty_tier"),
                        '<foreign-key name="pyz_loyalty_account-fk_loyalty_tier" foreignTable="pyz_loyalty_tier">'
                        '<reference local="fk_loyalty_tier" foreign="id_loyalty_tier"/></foreign-key>'),
            expect=(expect("CL907", "pyz_loyalty_tier"),),
            platform="pgsql",
            note="the referenced table is dropped while the foreign key stays",
        ),
        Example(
            before=table("pyz_loyalty_account", col("note", "VARCHAR", size="255")),
            after=table("pyz_loyalty_account", col("note", "LONGVARCHAR", defaultValue="")),
            expect=(expect("CL907", "pyz_loyalty_account", "note"),),
            note="a TEXT column with a default on MySQL",
        ),
        Example(
            before=table("pyz_loyalty_account", col("points", "DECIMAL", size="12", scale="3")),
            after=table("pyz_loyalty_account", col("points", "DECIMAL", size="78", scale="3")),
            expect=(expect("CL907", "pyz_loyalty_account", "points"),),
            note="DECIMAL(78,3): MySQL's limit is 65 digits ([1426] Too big precision)",
        ),
        Example(
            before=table("pyz_loyalty_tier", col("name", "VARCHAR", size="64"))
            + table("pyz_loyalty_account", col("fk_loyalty_tier"),
                    '<foreign-key name="pyz_loyalty_account-fk_loyalty_tier" foreignTable="pyz_loyalty_tier">'
                    '<reference local="fk_loyalty_tier" foreign="id_loyalty_tier"/></foreign-key>'),
            after=table("pyz_loyalty_tier", col("name", "VARCHAR", size="64")).replace(
                'name="id_loyalty_tier" type="INTEGER"', 'name="id_loyalty_tier" type="BIGINT"')
            + table("pyz_loyalty_account", col("fk_loyalty_tier", "BIGINT"),
                    '<foreign-key name="pyz_loyalty_account-fk_loyalty_tier" foreignTable="pyz_loyalty_tier">'
                    '<reference local="fk_loyalty_tier" foreign="id_loyalty_tier"/></foreign-key>'),
            expect=(expect("CL907", "pyz_loyalty_tier", "id_loyalty_tier"),),
            note="a referenced key column grows to BIGINT on MySQL: [1833] while the foreign key is in place",
        ),
        Example(
            before=table("pyz_loyalty_account", col("points")),
            after=table("pyz_loyalty_account", col("points"), col("issued_on", "DATE", defaultExpr="CURRENT_DATE")),
            expect=(expect("CL907", "pyz_loyalty_account", "issued_on"),),
            note="a DATE column with a default expression on MySQL",
        ),
    )
    VALID = (
        Example(
            before=table("pyz_loyalty_account", col("note", "VARCHAR", size="255")),
            after=table("pyz_loyalty_account", col("note", "LONGVARCHAR", defaultValue="")),
            platform="pgsql",
            note="PostgreSQL accepts a default on TEXT",
        ),
        Example(
            before=table("pyz_loyalty_account", col("points", "DECIMAL", size="12", scale="3")),
            after=table("pyz_loyalty_account", col("points", "DECIMAL", size="65", scale="3")),
            note="65 digits is MySQL's limit, not beyond it",
        ),
        Example(
            before=table("pyz_loyalty_tier", col("name", "VARCHAR", size="64"))
            + table("pyz_loyalty_account", col("fk_loyalty_tier"),
                    '<foreign-key name="pyz_loyalty_account-fk_loyalty_tier" foreignTable="pyz_loyalty_tier">'
                    '<reference local="fk_loyalty_tier" foreign="id_loyalty_tier"/></foreign-key>'),
            after=table("pyz_loyalty_tier", col("name", "VARCHAR", size="128"))
            + table("pyz_loyalty_account", col("fk_loyalty_tier"),
                    '<foreign-key name="pyz_loyalty_account-fk_loyalty_tier" foreignTable="pyz_loyalty_tier">'
                    '<reference local="fk_loyalty_tier" foreign="id_loyalty_tier"/></foreign-key>'),
            note="a column no foreign key references grows: nothing refused",
        ),
        Example(
            before=table("pyz_loyalty_account", col("points")),
            after=table("pyz_loyalty_account", col("points"), col("fk_customer"),
                        '<foreign-key name="pyz_loyalty_account-fk_customer" foreignTable="spy_customer">'
                        '<reference local="fk_customer" foreign="id_customer"/></foreign-key>'),
            note="a key to a core table: without the vendor files read, it is not taken as dangling",
        ),
    )
