from __future__ import annotations

from compatlint.changes import ColumnChanged, MigrationStatement
from compatlint.platform import native_type
from compatlint.rule import Example, Rule, expect

from ._column_types import CHANGED, migration_using, type_location, type_verdict
from ._common import ERROR, WARNING, col, created_earlier, table


class ColumnTypeChanged(Rule):
    """A column changes to a type of another kind, or PostgreSQL converts it `USING NULL`.

    What it flags:
        A type change that is neither a widening (CL210) nor a narrowing (CL204) of the same kind: text <-> number,
        number <-> date, integer <-> decimal, ENUM/SET/BOOLEAN <-> plain integers, JSON <-> text, and so on.
        On PostgreSQL also every change for which Propel's `getModifyColumnDDL` writes `ALTER COLUMN .. TYPE`
        with ` USING NULL` (`src/Propel/Generator/Platform/PgsqlPlatform.php` L694-L716, `getUsingCast`
        L782-L815 in propelorm/Propel2 2.0.0-beta3), however harmless it looks: INTEGER -> BIGINT (`isNumber`,
        L769-L774, lacks `INT8`), VARCHAR <-> LONGVARCHAR and CHAR size changes (`isString`, L757-L762, knows
        only `VARCHAR`), and TIMESTAMP/TIME precision-only changes. A kind change without DDL (ENUM <-> TINYINT on
        MySQL, both stored as integers) is reported as a warning.
        In migration SQL (`lint-sql`, and committed migrations in `check`): a PostgreSQL `ALTER COLUMN ... TYPE`
        whose `USING` expression never reads the column (`USING NULL`, `USING NULL::text`, a constant,
        `USING now()`), on a table the migration did not create, is an error at the statement's line even when
        the old definition is unknown: whatever the old type was, every old value is replaced. Not reported a
        second time where the schema change already reports the column (the base is known).

    Why V1 breaks:
        V1 keeps writing values of the old type and casts what it reads to the old PHP type
        (`src/Propel/Generator/Builder/Om/ObjectBuilder.php` L2741-L2743 `(int) $col` etc. in `hydrate`); the
        migration converts the existing data, which can be rejected, truncated or reinterpreted. An ENUM stores
        positions in `valueSet` (`DefaultPlatform.php` L461-L462), so turning it into text or numbers changes
        what every row means. On PostgreSQL ` USING NULL` sets every value of a nullable column to NULL (data
        lost) and makes the ALTER fail on a NOT NULL one, rolling the whole migration back. Reported as a
        warning where every V1 value still fits the new type (e.g. INTEGER -> VARCHAR(32) on MySQL).

    Safe path:
        Release N: add a new column of the new type, write both from V2, backfill. Release N+1: read the new
        column only. Release N+2: lazyLoad and drop the old column (CL102).

    Platforms:
        PostgreSQL is far stricter than the type names suggest: INTEGER -> BIGINT is a widening (CL210) on MySQL
        but ` USING NULL` (error) on PostgreSQL; so are VARCHAR <-> LONGVARCHAR and TIMESTAMP size changes.
        VARCHAR -> INTEGER is converted with `CASE WHEN trim(c) SIMILAR TO '[0-9]+' .. ELSE NULL END`, so every
        value that is not plain digits becomes NULL. MySQL converts with `CHANGE` (`MysqlPlatform.php`
        L866-L900): strict mode fails on values that do not convert, otherwise they are silently mangled.
    """

    code = "CL203"
    name = "column-type-changed"
    severity = ERROR
    handles = (ColumnChanged, MigrationStatement)
    safe_path = ("release N: add a column of the new type, dual-write from V2, backfill; release N+1: read the new "
                 "column; release N+2: lazyLoad and drop the old one")

    def check(self, event, ctx) -> None:
        if isinstance(event, MigrationStatement):
            self._discarding_using(event, ctx)
            return
        verdict = type_verdict(event, ctx.platform, migration_using(event, ctx))
        if verdict is None or verdict.verdict != CHANGED:
            return
        column = event.after.name
        self.report(ctx, event, f"{event.head.name}.{column} changes type from {verdict.before} to {verdict.after}: "
                    f"{verdict.reason}", column=column, severity=ERROR if verdict.breaks else WARNING,
                    location=type_location(event))

    def _discarding_using(self, event: MigrationStatement, ctx) -> None:
        from compatlint.sql.read import AlterColumn  # imported when SQL is linted

        statement = event.statement
        if statement.kind != "alter" or not statement.table or created_earlier(ctx, statement):
            return
        for action in statement.actions:
            if not (isinstance(action, AlterColumn) and action.propel_type and action.using_discards):
                continue
            if self._reported_by_schema(ctx, statement.table, action.name):
                continue
            self.report(ctx, event, f"{statement.table}.{action.name} is converted with TYPE {native_type('pgsql', action.propel_type).upper()} "
                        f"USING {action.using}, "
                        "which never reads the old value: every existing value of the column is replaced (its data "
                        "is lost for V1 and V2), and on a NOT NULL column the ALTER fails and PostgreSQL rolls the "
                        "whole migration back", table=statement.table, column=action.name,
                        location=action.origin or statement.origin, detail="using")

    @staticmethod
    def _reported_by_schema(ctx, table_name: str, column: str) -> bool:
        def changed() -> set[tuple[str, str]]:
            out = set()
            for change in ctx.events_of(ColumnChanged):
                verdict = type_verdict(change, ctx.platform, migration_using(change, ctx))
                if verdict is not None and verdict.verdict == CHANGED:
                    out.add((change.table_name, change.after.name))
            return out

        return (table_name, column) in ctx.memo("CL203-type-changed-columns", changed)

    INVALID = (
        Example(
            before=table("pyz_order_feedback", col("rating", "VARCHAR", size="8")),
            after=table("pyz_order_feedback", col("rating", "INTEGER")),
            expect=(expect("CL203", "pyz_order_feedback", "rating"),),
            severity=ERROR,
            note="text -> number",
        ),
        Example(
            before=table("spy_sales_order_item", col("quantity", "INTEGER", required="true")),
            after=table("spy_sales_order_item", col("quantity", "BIGINT", required="true")),
            expect=(expect("CL203", "spy_sales_order_item", "quantity"),),
            platform="pgsql",
            severity=ERROR,
            note="TYPE INT8 USING NULL on a NOT NULL column: the migration is rolled back",
        ),
        Example(
            before=table("spy_cms_block", col("template_content", "VARCHAR")),
            after=table("spy_cms_block", col("template_content", "LONGVARCHAR")),
            expect=(expect("CL203", "spy_cms_block", "template_content"),),
            platform="pgsql",
            severity=ERROR,
            note="TYPE TEXT USING NULL: every value becomes NULL",
        ),
        Example(
            before=table("spy_oms_order_item_state_history", col("created_at", "TIMESTAMP")),
            after=table("spy_oms_order_item_state_history", col("created_at", "TIMESTAMP", size="3")),
            expect=(expect("CL203", "spy_oms_order_item_state_history", "created_at"),),
            platform="pgsql",
            severity=ERROR,
            note="a precision-only change still gets USING NULL",
        ),
        Example(
            before=table("pyz_loyalty_account", col("external_id", "INTEGER")),
            after=table("pyz_loyalty_account", col("external_id", "VARCHAR", size="32")),
            expect=(expect("CL203", "pyz_loyalty_account", "external_id"),),
            severity=WARNING,
            note="every V1 integer fits into VARCHAR(32), but V1 casts what V2 writes to int",
        ),
        Example(
            before=table("spy_acl_rule", col("type", "ENUM", valueSet="allow,deny", required="true")),
            after=table("spy_acl_rule", col("type", "VARCHAR", size="10", required="true")),
            expect=(expect("CL203", "spy_acl_rule", "type"),),
            severity=ERROR,
            note="the stored ENUM positions become the strings '0' and '1', not the labels",
        ),
        Example(
            before=table("spy_acl_rule", col("type", "ENUM", valueSet="allow,deny", required="true")),
            after=table("spy_acl_rule", col("type", "TINYINT", required="true")),
            expect=(expect("CL203", "spy_acl_rule", "type"),),
            severity=WARNING,
            note="both are TINYINT in MySQL: no DDL, but V1 and V2 read the values differently",
        ),
        Example(
            before=table("spy_sales_order", col("order_reference", "VARCHAR", size="45")),
            after="",
            sql='\nBEGIN;\n\nALTER TABLE "spy_cms_block"\n\n  ALTER COLUMN "content" TYPE TEXT USING NULL;\n\nCOMMIT;\n',
            sql_path="src/Orm/Propel/Migration_pgsql/PropelMigration_1700004000.sql",
            platform="pgsql",
            expect=(expect("CL203", "spy_cms_block", "content"),),
            severity=ERROR,
            note="lint-sql without the old definition: USING NULL wipes the column whatever its old type",
        ),
        Example(
            before=table("spy_sales_order", col("order_reference", "VARCHAR", size="45")),
            after="",
            sql='ALTER TABLE "pyz_loyalty_account" ALTER COLUMN "tier" TYPE INTEGER USING 0;\n',
            sql_path="src/Orm/Propel/Migration_pgsql/PropelMigration_1700004100.sql",
            platform="pgsql",
            expect=(expect("CL203", "pyz_loyalty_account", "tier"),),
            severity=ERROR,
            note="a constant USING expression discards every old value as well",
        ),
    )
    VALID = (
        Example(
            before=table("spy_sales_order_item", col("quantity", "INTEGER", required="true")),
            after=table("spy_sales_order_item", col("quantity", "BIGINT", required="true")),
            note="MySQL: a widening, CL210",
        ),
        Example(
            before=table("spy_sales_order", col("order_reference", "VARCHAR", size="255")),
            after=table("spy_sales_order", col("order_reference", "VARCHAR", size="100")),
            platform="pgsql",
            note="VARCHAR -> VARCHAR needs no cast: a narrowing, CL204",
        ),
        Example(
            before=table("spy_touch", col("touched", "DATETIME", required="true")),
            after=table("spy_touch", col("touched", "TIMESTAMP", required="true")),
            platform="pgsql",
            note="both are TIMESTAMP on PostgreSQL: no DDL, same kind",
        ),
        Example(
            before=table("spy_stock_product", col("quantity", "INTEGER", size="10")),
            after=table("spy_stock_product", col("quantity", "INTEGER")),
            note="MySQL integer display width only",
        ),
        Example(
            before=table("spy_sales_order", col("order_reference", "VARCHAR", size="45")),
            after="",
            sql='ALTER TABLE "spy_sales_order_item" ALTER COLUMN "quantity" TYPE BIGINT USING "quantity"::bigint;\n',
            sql_path="src/Orm/Propel/Migration_pgsql/PropelMigration_1700004200.sql",
            platform="pgsql",
            note="a USING expression that converts the old value keeps the data (CL506 asks for the old definition)",
        ),
        Example(
            before=table("spy_sales_order", col("order_reference", "VARCHAR", size="45")),
            after="",
            sql=('CREATE TABLE "pyz_loyalty_tier"\n(\n    "id_loyalty_tier" INTEGER NOT NULL,\n    "code" VARCHAR(16),\n'
                 '    PRIMARY KEY ("id_loyalty_tier")\n);\n\n'
                 'ALTER TABLE "pyz_loyalty_tier" ALTER COLUMN "code" TYPE INTEGER USING NULL;\n'),
            sql_path="src/Orm/Propel/Migration_pgsql/PropelMigration_1700004300.sql",
            platform="pgsql",
            note="a table created by the same migration has no rows to lose",
        ),
        Example(
            before=table("spy_cms_block", col("template_content", "VARCHAR", size="255")),
            after="",
            sql='ALTER TABLE "spy_cms_block" ALTER COLUMN "template_content" TYPE TEXT USING "template_content";\n',
            sql_path="src/Orm/Propel/Migration_pgsql/PropelMigration_1700004400.sql",
            platform="pgsql",
            note="with the base known, the migration's own USING keeps the values: judged by the types (CL210)",
        ),
    )
