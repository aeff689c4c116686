from __future__ import annotations

from compatlint.changes import MigrationStatement
from compatlint.platform import native_type
from compatlint.rule import Example, Rule, expect

from ._common import WARNING, col, column_before, created_earlier, table

_HOW = ("let compatlint know the old definition with `lint-sql --base REF` (the schema at a git revision) or "
        "`--base-dir DIR` (a folder of schema files), or lint the migration with `check`")


def _unknown(ctx, event, table_name: str, name: str) -> bool:
    """Nothing says what the column was when the statement runs: no schema file compatlint read declares it
    and no earlier statement of the script (or the up script, for the down script) defined it."""
    return column_before(ctx, event, table_name, name) is None


def _index_owner(ctx, index: str) -> str | None:
    """The table of an index dropped by name alone (PostgreSQL `DROP INDEX name`), if the base declares it."""
    return next((t.name for t in ctx.base.tables.values() if index in t.indexes or index in t.uniques), None)


def _type_text(platform: str, propel_type: str, size, scale) -> str:
    text = native_type(platform, propel_type).upper()
    if size is not None:
        text += f"({size},{scale})" if scale is not None else f"({size})"
    return text


class OldDefinitionUnknown(Rule):
    """A migration changes a column's type, size, nullability or default, or drops an index, of unknown definition.

    What it flags:
        A migration statement that redefines a column compatlint has no definition for (no base schema was
        given to `lint-sql`, or, in `check`, the table is in no schema file it read, and no earlier statement
        of the script, nor the up script for the down script, defined the column), on a table the migration
        did not create: MySQL `CHANGE c c <definition>` and `MODIFY c <definition>` (the name
        kept: Propel's shape of every column change, propelorm/Propel2 2.0.0-beta3
        `src/Propel/Generator/Platform/MysqlPlatform.php` L866-L898), and PostgreSQL
        `ALTER COLUMN c TYPE ...` (`PgsqlPlatform.php` L641-L743) unless its `USING` discards the old value
        (CL203 reports that as an error). Without the old definition nothing tells a widening (safe, CL210)
        from a narrowing (CL204), a kind change (CL203) or a nullable column made NOT NULL (CL202), so the
        statement is reported as a warning that names what could break and how to give compatlint the old
        definition. Also, with the same condition: PostgreSQL `ALTER COLUMN c DROP DEFAULT` (if the column is
        NOT NULL, CL205) and an index or constraint dropped by name that no schema file declares (MySQL
        `DROP INDEX`, PostgreSQL `DROP INDEX [CONCURRENTLY] [IF EXISTS]` and `DROP CONSTRAINT`; if it was a
        unique key, CL305; its columns being unknown, it is not also reported as CL306). PostgreSQL `SET NOT NULL`
        and `DROP NOT NULL` state the old nullability themselves and are judged by CL202 and CL208; MySQL
        `DROP FOREIGN KEY` says what it drops and breaks nothing V1 does.

    Why V1 breaks:
        It may not: the change can be a widening. But `Run_install` runs the migration while V1 serves
        traffic (spryker/spryker-docs `docs/ca/dev/configure-deployment-pipelines/deployment-in-states.md`
        L114-L120), and if the new definition is narrower, of another kind or newly NOT NULL, V1 keeps
        writing values, NULLs or INSERTs without the column that the database now rejects or truncates,
        and the conversion itself can reject or mangle existing rows (see CL202, CL203, CL204). A linter
        that stays silent here (squawk, for instance, flags every column type change on PostgreSQL) would
        let exactly those changes through.

    Safe path:
        Give compatlint the schema before the migration so it judges the change as `check` does:
        `compatlint lint-sql --base REF FILE` or `--base-dir DIR FILE`, or run `compatlint check`; where the
        table really is in no schema file, review the old definition by hand and allow the finding with a
        reason (`-- compatlint: allow CL506 reason="..."` on the line before the statement).

    Platforms:
        MySQL: `CHANGE`/`MODIFY` restate the whole definition (type, size, NULL, default), so every one is
        reported. PostgreSQL: only `TYPE` changes; nullability has its own clauses.
    """

    code = "CL506"
    name = "old-definition-unknown"
    severity = WARNING
    handles = (MigrationStatement,)
    safe_path = "give compatlint the schema before the migration: lint-sql --base REF or --base-dir DIR, or check"

    def check(self, event: MigrationStatement, ctx) -> None:
        from compatlint.sql.read import AlterColumn, ChangeColumn, DropConstraint, DropIndex  # when SQL is linted

        statement = event.statement
        if statement.kind not in ("alter", "drop_index") or created_earlier(ctx, statement):
            return
        if not statement.table and statement.kind != "drop_index":
            return
        platform = event.platform or ctx.platform
        name = statement.table
        for action in statement.actions:
            if isinstance(action, ChangeColumn) and action.old_name == action.column.name:
                new = action.column
                if not _unknown(ctx, event, name, new.name):
                    continue
                target = _type_text(platform, new.type, new.size, new.scale) + (" NOT NULL" if new.not_null else "")
                risk = ("if it was nullable, V1's INSERTs that leave it out or write NULL now fail; " if new.not_null
                        else "")
                self.report(ctx, event, f"{name}.{new.name} is redefined as {target}, but its old definition is "
                            f"unknown: {risk}if it was longer or of a wider or other type, V1's values no longer "
                            f"fit and existing rows are rejected or truncated; {_HOW}", column=new.name,
                            location=action.origin or statement.origin)
            elif isinstance(action, AlterColumn) and action.drop_default:
                if _unknown(ctx, event, name, action.name):
                    self.report(ctx, event, f"{name}.{action.name} loses its default, but its old definition is unknown: "
                                "if it is NOT NULL, every V1 INSERT that leaves it out now fails; " + _HOW,
                                column=action.name, location=action.origin or statement.origin, detail="default")
            elif isinstance(action, (DropIndex, DropConstraint)) and getattr(action, "kind", "") != "FOREIGN KEY":
                owner = action.table or name or _index_owner(ctx, action.name)
                found = ctx.base.tables.get(owner) if owner else None
                known = found is not None and (action.name in found.indexes or action.name in found.uniques
                                               or action.name in found.foreign_keys)
                placeholder = known and getattr((found.indexes.get(action.name) or found.uniques.get(action.name)
                                                 or found.foreign_keys.get(action.name)).origin, "path", None) \
                    == statement.origin.path
                if not known or placeholder:
                    self.report(ctx, event, f"{owner + ': ' if owner else ''}{action.name} is dropped, but no schema file "
                                "compatlint read declares it: if it is a unique key, V1 relies on it to keep one row per "
                                "value (or to find one), and duplicates can now be written; " + _HOW,
                                table=owner, location=action.origin or statement.origin, detail=f"drop {action.name}")
            elif isinstance(action, AlterColumn) and action.propel_type and not action.using_discards:
                if not _unknown(ctx, event, name, action.name):
                    continue
                target = _type_text(platform, action.propel_type, action.size, action.scale)
                self.report(ctx, event, f"{name}.{action.name} changes type to {target}, but its old definition is "
                            "unknown: if it was longer or of a wider or other type, V1's values no longer fit and "
                            f"the conversion rejects or changes existing rows; {_HOW}", column=action.name,
                            location=action.origin or statement.origin)

    INVALID = (
        Example(
            before=table("spy_sales_order", col("order_reference", "VARCHAR", size="45")),
            after="",
            sql="ALTER TABLE `spy_customer` CHANGE `first_name` `first_name` VARCHAR(50);\n",
            expect=(expect("CL506", "spy_customer", "first_name"),),
            severity=WARNING,
            note="MySQL: VARCHAR(50) may be a narrowing of VARCHAR(100), or a widening of VARCHAR(32)",
        ),
        Example(
            before=table("spy_sales_order", col("order_reference", "VARCHAR", size="45")),
            after="",
            sql="ALTER TABLE `spy_sales_order_item` MODIFY `quantity` INT NOT NULL;\n",
            expect=(expect("CL506", "spy_sales_order_item", "quantity"),),
            note="MySQL MODIFY: maybe a BIGINT narrowed, maybe a nullable column made required",
        ),
        Example(
            before=table("spy_sales_order", col("order_reference", "VARCHAR", size="45")),
            after="",
            sql=('\nBEGIN;\n\nALTER TABLE "spy_customer"\n\n  ALTER COLUMN "first_name" TYPE VARCHAR(50);\n\n'
                 'COMMIT;\n'),
            sql_path="src/Orm/Propel/Migration_pgsql/PropelMigration_1700005000.sql",
            platform="pgsql",
            expect=(expect("CL506", "spy_customer", "first_name"),),
            note="PostgreSQL TYPE VARCHAR(50) without the old length",
        ),
        Example(
            before=table("spy_sales_order", col("order_reference", "VARCHAR", size="45")),
            after="",
            sql='ALTER TABLE "spy_price_product" ALTER COLUMN "price" TYPE INTEGER USING "price"::integer;\n',
            sql_path="src/Orm/Propel/Migration_pgsql/PropelMigration_1700005100.sql",
            platform="pgsql",
            expect=(expect("CL506", "spy_price_product", "price"),),
            note="TYPE INTEGER: from DECIMAL it rounds every price",
        ),
        Example(
            before=table("spy_sales_order", col("order_reference", "VARCHAR", size="45")),
            after="",
            sql="DROP INDEX `spy_customer-email` ON `spy_customer`;\n",
            expect=(expect("CL506", "spy_customer", None),),
            note="MySQL: a unique key and a plain index are dropped alike",
        ),
        Example(
            before=table("spy_sales_order", col("order_reference", "VARCHAR", size="45")),
            after="",
            sql='ALTER TABLE "spy_customer" DROP CONSTRAINT "spy_customer-email";\n',
            sql_path="src/Orm/Propel/Migration_pgsql/PropelMigration_1700005500.sql",
            platform="pgsql",
            expect=(expect("CL506", "spy_customer", None),),
            note="maybe a unique key V1 relies on",
        ),
        Example(
            before=table("spy_sales_order", col("order_reference", "VARCHAR", size="45")),
            after="",
            sql='DROP INDEX IF EXISTS "spy_customer-email";\n',
            sql_path="src/Orm/Propel/Migration_pgsql/PropelMigration_1700005700.sql",
            platform="pgsql",
            expect=(expect("CL506", None, None),),
            note="PostgreSQL names no table: an index no schema file declares, maybe a unique key",
        ),
        Example(
            before=table("spy_sales_order", col("order_reference", "VARCHAR", size="45")),
            after="",
            sql='ALTER TABLE "spy_customer" ALTER COLUMN "last_name" DROP DEFAULT;\n',
            sql_path="src/Orm/Propel/Migration_pgsql/PropelMigration_1700005600.sql",
            platform="pgsql",
            expect=(expect("CL506", "spy_customer", "last_name"),),
            note="if last_name is NOT NULL, V1's INSERTs without it fail",
        ),
    )
    VALID = (
        Example(
            before=table("spy_customer", col("first_name", "VARCHAR", size="32")),
            after="",
            sql="ALTER TABLE `spy_customer` CHANGE `first_name` `first_name` VARCHAR(50);\n",
            note="the base declares the column: CL210 judges the widening",
        ),
        Example(
            before=table("spy_customer", col("first_name", "VARCHAR", size="100")),
            after="",
            sql='ALTER TABLE "spy_customer" ALTER COLUMN "first_name" TYPE VARCHAR(50);\n',
            sql_path="src/Orm/Propel/Migration_pgsql/PropelMigration_1700005200.sql",
            platform="pgsql",
            note="the base declares the column: CL204 judges the narrowing",
        ),
        Example(
            before=table("spy_sales_order", col("order_reference", "VARCHAR", size="45")),
            after="",
            sql='ALTER TABLE "spy_cms_block" ALTER COLUMN "content" TYPE TEXT USING NULL;\n',
            sql_path="src/Orm/Propel/Migration_pgsql/PropelMigration_1700005300.sql",
            platform="pgsql",
            note="USING NULL loses the data whatever the old type was: CL203 (error), not this warning",
        ),
        Example(
            before=table("spy_sales_order", col("order_reference", "VARCHAR", size="45")),
            after="",
            sql=("CREATE TABLE `pyz_loyalty_tier`\n(\n    `id_loyalty_tier` INTEGER NOT NULL AUTO_INCREMENT,\n"
                 "    `name` VARCHAR(64) NOT NULL,\n    PRIMARY KEY (`id_loyalty_tier`)\n) ENGINE=InnoDB;\n\n"
                 "ALTER TABLE `pyz_loyalty_tier` CHANGE `name` `name` VARCHAR(32) NOT NULL;\n"),
            note="a table created by the same migration: its definition is known and it is empty",
        ),
        Example(
            before=table("spy_sales_order", col("order_reference", "VARCHAR", size="45")),
            after="",
            sql='ALTER TABLE "spy_customer" ALTER COLUMN "first_name" SET DEFAULT \'\';\n',
            sql_path="src/Orm/Propel/Migration_pgsql/PropelMigration_1700005400.sql",
            platform="pgsql",
            note="a default set changes no type, size or nullability",
        ),
        Example(
            before=table("spy_sales_order", col("order_reference", "VARCHAR", size="45")),
            after="",
            sql="ALTER TABLE `spy_sales_order` DROP FOREIGN KEY `spy_sales_order-fk_customer`;\n",
            note="MySQL says it drops a foreign key: nothing V1 does depends on it",
        ),
        Example(
            before=table("spy_customer", col("last_name", "VARCHAR", size="100"),
                         '<index name="spy_customer-last_name"><index-column name="last_name"/></index>'),
            after="",
            sql="DROP INDEX `spy_customer-last_name` ON `spy_customer`;\n",
            note="the schema declares it a plain index: CL306 (info) judges it",
        ),
    )
