from __future__ import annotations

from compatlint.changes import MigrationStatement
from compatlint.model import Column
from compatlint.platform import native_type, type_family
from compatlint.rule import Example, Rule, expect

from ._common import WARNING, col, column_before, created_earlier, table


def _base_column(ctx, event, table_name: str, name: str) -> Column | None:
    """The column as it was when the statement runs (as the base schema declares it, or as an earlier
    statement defined it), or None when unknown, or declared with a custom `sqlType`, whose native text
    is not compared."""
    column = column_before(ctx, event, table_name, name)
    return None if column is None or column.sql_type else column


def _type_text(platform: str, propel_type: str, size: int | None, scale: int | None) -> str:
    text = native_type(platform, propel_type).upper()
    if size is not None:
        text += f"({size},{scale})" if scale is not None else f"({size})"
    return text


def _mysql_type_changes(old: Column, new: Column) -> bool:
    """Type, size or scale differ (integer display widths and BOOLEAN's TINYINT(1) are not sizes)."""
    if native_type("mysql", old.type) != native_type("mysql", new.type) or old.scale != new.scale:
        return True
    return old.size != new.size and type_family(old.type) not in ("integer", "boolean", "enum")


def _pg_binary_coercible(old: Column, propel_type: str, size: int | None, scale: int | None) -> bool:
    """The type changes PostgreSQL makes without rewriting the table (the whole list this rule uses)."""
    before, after = native_type("pgsql", old.type).upper(), native_type("pgsql", propel_type).upper()
    if before == after and old.size == size and old.scale == scale:
        return True  # no change at all
    if before == "VARCHAR" and after == "VARCHAR":
        return size is None or (old.size is not None and size >= old.size)  # longer limit, or none
    if before == "VARCHAR" and after == "TEXT":
        return True
    if before == "TEXT" and after == "VARCHAR":
        return size is None
    if before == "NUMERIC" and after == "NUMERIC":
        if size is None and scale is None:
            return True  # to unconstrained NUMERIC
        return old.size is not None and size is not None and size >= old.size and scale == old.scale
    return False


def _single(columns) -> str | None:
    columns = tuple(columns or ())
    return columns[0] if len(columns) == 1 else None


# The safe paths of the PostgreSQL locks that are not type changes (see "Safe path" below).
_NOT_NULL_SAFE_PATH = ("add CHECK (c IS NOT NULL) NOT VALID, then VALIDATE CONSTRAINT (no long lock), then SET NOT NULL "
                       "(PostgreSQL 12+ skips the scan when that constraint is valid) and drop the CHECK")
_INDEX_SAFE_PATH = ("build the index with CREATE [UNIQUE] INDEX CONCURRENTLY in a migration without BEGIN/COMMIT "
                    "(add a unique constraint afterwards with ADD CONSTRAINT ... UNIQUE USING INDEX)")


class TableRebuild(Rule):
    """A migration statement rebuilds, rewrites or long-locks an existing table.

    What it flags:
        Statements on a table that exists when the migration starts (not created by an earlier
        `CREATE TABLE` of the same migration) that copy or rewrite the whole table, or lock it for a
        full scan or index build:
        MySQL: `CHANGE`/`MODIFY` whose new type, size or scale differs from the base column (Propel emits
        `ALTER TABLE t CHANGE c c <full definition>` for every type/size change, `MysqlPlatform.php`
        L866-L898 at propelorm/Propel2 2.0.0-beta3), the column being what the schema files declare or what
        an earlier statement of the script (for the down script: the up script) made it; when nothing says
        what it was (not in the schema files and not defined by an earlier statement, or with a custom
        `sqlType`) the statement is reported as one that may rebuild;
        `DROP PRIMARY KEY` / `ADD PRIMARY KEY` (Propel: `MysqlPlatform.php` L598, one finding per
        statement). Not flagged: nullability, default or name-only `CHANGE`s (in-place or metadata-only)
        and `CREATE INDEX` (InnoDB builds secondary indexes online).
        PostgreSQL: `ALTER COLUMN … TYPE` (Propel: `PgsqlPlatform.php` L641-L743) unless it is one of
        these binary-coercible changes with no `USING` clause (or `USING` the bare column):
        VARCHAR(n) to VARCHAR(m) with m >= n, VARCHAR(n) to VARCHAR without limit, VARCHAR to TEXT,
        TEXT to VARCHAR without limit, NUMERIC(p,s) to NUMERIC(q,s) with q >= p or to NUMERIC without
        limit, and a type identical to the base one. Any other `USING` (Propel writes `USING NULL` for most
        pairs, `PgsqlPlatform.php` `getUsingCast` L782-L826) rewrites. With the base column unknown the
        statement is reported as one that may rewrite. Also `ALTER COLUMN … SET NOT NULL` (full scan),
        `CREATE [UNIQUE] INDEX` without `CONCURRENTLY` and `ADD CONSTRAINT … UNIQUE`, and `ADD PRIMARY KEY`.
        The column is the changed column, the single column of the index or key, else none.

    Why V1 breaks:
        V1 keeps serving traffic while `Run_install` migrates (spryker/spryker-docs
        `docs/ca/dev/configure-deployment-pipelines/deployment-in-states.md` L114-L120). MySQL cannot
        change a column's data type in place: it copies the table (ALGORITHM=COPY) and V1's writes wait
        for the whole copy (MySQL 8.0 manual, "Online DDL Operations", column operations; extending a
        VARCHAR is in place only while its length prefix stays 1 or 2 bytes, i.e. on the same side of
        255 bytes, dev.mysql.com WL#6554); dropping a primary key copies the table, dropping and adding
        one in the same statement rebuilds it. On PostgreSQL, `ALTER TABLE` takes an ACCESS EXCLUSIVE
        lock that blocks V1's reads and writes; a type change rewrites the table and its indexes unless
        the old type is binary coercible to the new one (PostgreSQL manual, ALTER TABLE, Notes),
        `SET NOT NULL` scans every row, and `CREATE INDEX` without `CONCURRENTLY` blocks writes for the
        whole build (manual, CREATE INDEX, "Building Indexes Concurrently"). Propel wraps the PostgreSQL
        migration in `BEGIN;` … `COMMIT;` (`PgsqlPlatform.php` L337-L352), so every lock is held until
        the last statement of the migration has run. V1 requests time out or fail meanwhile.

    Safe path:
        Release N: add a new column (or table) of the new type, write both from V2, backfill in batches
        outside the deploy migration; release N+1: switch reads and drop the old column. On PostgreSQL build
        indexes with `CREATE INDEX CONCURRENTLY` in a migration without `BEGIN`/`COMMIT` (it cannot run in a
        transaction), and add NOT NULL as `CHECK (c IS NOT NULL) NOT VALID`, `VALIDATE CONSTRAINT`, then
        `SET NOT NULL` (PostgreSQL 12+ skips the scan when such a constraint is valid). On MySQL run large
        type changes with an online schema change tool.

    Platforms:
        MySQL: type/size/scale `CHANGE`/`MODIFY` and primary key changes; index builds are online and not
        reported. PostgreSQL: rewriting type changes, `SET NOT NULL`, non-concurrent index and unique
        constraint builds, `ADD PRIMARY KEY`. Tables created by the same migration are empty and never
        reported.
    """

    code = "CL502"
    name = "table-rebuild"
    severity = WARNING
    handles = (MigrationStatement,)
    safe_path = ("release N: add a new column of the new type, write both, backfill in batches, build indexes "
                 "concurrently; release N+1: switch reads and drop the old column")

    def check(self, event: MigrationStatement, ctx) -> None:
        statement = event.statement
        if statement.kind not in ("alter", "create_index") or not statement.table:
            return
        if created_earlier(ctx, statement):
            return  # a table this migration created is empty
        if (event.platform or ctx.platform) == "pgsql":
            self._pgsql(event, ctx, statement)
        else:
            self._mysql(event, ctx, statement)

    # --- MySQL ---------------------------------------------------------------------------------
    def _mysql(self, event, ctx, statement) -> None:
        from compatlint.sql.actions import AddPrimaryKey, ChangeColumn, DropPrimaryKey  # imported when SQL is linted

        name = statement.table
        primary_key_reported = False
        for action in statement.actions:
            if isinstance(action, ChangeColumn):
                self._mysql_change(event, ctx, statement, action)
            elif isinstance(action, (DropPrimaryKey, AddPrimaryKey)) and not primary_key_reported:
                primary_key_reported = True
                added = next((a.columns for a in statement.actions if isinstance(a, AddPrimaryKey)), None)
                base = ctx.base.tables.get(name)
                columns = added if added is not None else (base.primary_key if base is not None else ())
                self.report(ctx, event, f"changing the primary key of {name} makes MySQL rebuild the whole table "
                            "(dropping it alone copies the table); V1's writes wait for the rebuild",
                            column=_single(columns), detail="primary key")

    def _mysql_change(self, event, ctx, statement, action) -> None:  # a compatlint.sql.read.ChangeColumn
        name, new = statement.table, action.column
        target = _type_text("mysql", new.type, new.size, new.scale)
        old = _base_column(ctx, event, name, action.old_name)
        if old is None:
            self.report(ctx, event, f"{name}.{action.old_name} is redefined as {target}, but its base definition is "
                        "unknown: if this changes the type or size, MySQL copies the whole table (ALGORITHM=COPY) "
                        "and V1's writes wait for the copy (may rebuild)", column=action.old_name,
                        detail=f"column {action.old_name}")
            return
        if not _mysql_type_changes(old, new):
            return
        source = _type_text("mysql", old.type, old.size, old.scale)
        extra = ""
        if native_type("mysql", old.type) == native_type("mysql", new.type) == "VARCHAR" and \
                (new.size or 0) > (old.size or 0):
            extra = (" (a longer VARCHAR is in place only while its byte length stays on the same side of 255 "
                     "bytes, which depends on the character set)")
        self.report(ctx, event, f"{name}.{action.old_name} changes from {source} to {target}: MySQL copies the whole "
                    f"table to change a column type or size{extra}, and V1's writes wait for the copy",
                    column=action.old_name, detail=f"column {action.old_name}")

    # --- PostgreSQL ----------------------------------------------------------------------------
    def _pgsql(self, event, ctx, statement) -> None:
        from compatlint.sql.actions import AddIndex, AddPrimaryKey, AlterColumn  # imported when SQL is linted

        name = statement.table
        for action in statement.actions:
            if isinstance(action, AlterColumn):
                if action.propel_type is not None:
                    self._pg_type(event, ctx, statement, action)
                if action.not_null is True:
                    self.report(ctx, event, f"SET NOT NULL on {name}.{action.name} scans every row under an ACCESS "
                                "EXCLUSIVE lock that blocks V1's reads and writes until the migration commits",
                                column=action.name, detail=f"not null {action.name}", safe_path=_NOT_NULL_SAFE_PATH)
            elif isinstance(action, AddIndex) and not action.concurrently:
                index = action.index
                if statement.kind == "create_index":
                    how = (f"CREATE INDEX without CONCURRENTLY builds {index.name} on the existing table {name} under a "
                           "SHARE lock that blocks V1's writes")
                else:
                    how = (f"ADD CONSTRAINT {index.name} UNIQUE builds an index on the existing table {name} under an "
                           "ACCESS EXCLUSIVE lock that blocks V1's reads and writes")
                self.report(ctx, event, f"{how} for the whole build, and Propel's BEGIN/COMMIT keeps the lock until the "
                            "migration commits", column=_single(index.columns), detail=f"index {index.name}",
                            safe_path=_INDEX_SAFE_PATH)
            elif isinstance(action, AddPrimaryKey):
                self.report(ctx, event, f"ADD PRIMARY KEY on {name} builds a unique index and checks NOT NULL over all "
                            "rows under an ACCESS EXCLUSIVE lock that blocks V1 until the migration commits",
                            column=_single(action.columns), detail="primary key")

    def _pg_type(self, event, ctx, statement, action) -> None:  # a compatlint.sql.read.AlterColumn
        name = statement.table
        target = _type_text("pgsql", action.propel_type, action.size, action.scale)
        using = (action.using or "").strip()
        if using and using.strip('"') != action.name:
            effect = "sets every row to NULL and rewrites" if using.upper() == "NULL" else "rewrites"
            self.report(ctx, event, f"{name}.{action.name} TYPE {target} USING {using} {effect} the whole table and its "
                        "indexes under an ACCESS EXCLUSIVE lock that blocks V1 until the migration commits",
                        column=action.name, detail=f"type {action.name}")
            return
        old = _base_column(ctx, event, name, action.name)
        if old is None:
            self.report(ctx, event, f"{name}.{action.name} TYPE {target}: the base definition is unknown; unless the old "
                        "type is binary coercible to it, PostgreSQL rewrites the whole table under an ACCESS EXCLUSIVE "
                        "lock that blocks V1 until the migration commits (may rewrite)", column=action.name,
                        detail=f"type {action.name}")
            return
        if _pg_binary_coercible(old, action.propel_type, action.size, action.scale):
            return
        source = _type_text("pgsql", old.type, old.size, old.scale)
        self.report(ctx, event, f"{name}.{action.name} changes from {source} to {target}, which PostgreSQL cannot do "
                    "without rewriting the table and its indexes under an ACCESS EXCLUSIVE lock that blocks V1 until "
                    "the migration commits", column=action.name, detail=f"type {action.name}")

    INVALID = (
        Example(
            before=table("spy_sales_order_item", col("quantity", "INTEGER", required="true"),
                         col("sku", "VARCHAR", size="255", required="true")),
            after="",
            sql="ALTER TABLE `spy_sales_order_item` CHANGE `quantity` `quantity` BIGINT NOT NULL;\n",
            expect=(expect("CL502", "spy_sales_order_item", "quantity"),),
            severity=WARNING,
            note="INTEGER to BIGINT: MySQL copies the table",
        ),
        Example(
            before=table("spy_sales_order", col("order_reference", "VARCHAR", size="45", required="true")),
            after="",
            sql=("ALTER TABLE `spy_sales_order`\n\n  CHANGE `order_reference` `order_reference` VARCHAR(255) "
                 "NOT NULL;\n"),
            expect=(expect("CL502", "spy_sales_order", "order_reference"),),
            note="VARCHAR(45) to VARCHAR(255) crosses the 255-byte length prefix on utf8mb4",
        ),
        Example(
            before=table("pyz_loyalty_account", col("points", "INTEGER")),
            after="",
            sql="ALTER TABLE `pyz_loyalty_account` MODIFY `legacy_code` VARCHAR(64);\n",
            expect=(expect("CL502", "pyz_loyalty_account", "legacy_code"),),
            note="the base schema does not know legacy_code: reported as may rebuild",
        ),
        Example(
            before=table("pyz_loyalty_account", col("fk_store", "INTEGER", required="true"), col("points", "INTEGER")),
            after="",
            sql=("ALTER TABLE `pyz_loyalty_account`\n\n  DROP PRIMARY KEY,\n\n"
                 "  ADD PRIMARY KEY (`id_loyalty_account`,`fk_store`);\n"),
            expect=(expect("CL502", "pyz_loyalty_account", None),),
            note="Propel's shape of a primary key change on MySQL",
        ),
        Example(
            before=table("spy_sales_order_item", col("quantity", "INTEGER", required="true")),
            after="",
            sql=('\nBEGIN;\n\nALTER TABLE "spy_sales_order_item"\n\n  ALTER COLUMN "quantity" TYPE INT8 USING NULL;\n\n'
                 'COMMIT;\n'),
            sql_path="src/Orm/Propel/Migration_pgsql/PropelMigration_1700000500.sql",
            platform="pgsql",
            expect=(expect("CL502", "spy_sales_order_item", "quantity"),),
            note="Propel's INTEGER to BIGINT on PostgreSQL (USING NULL): a rewrite",
        ),
        Example(
            before=table("spy_sales_order", col("order_reference", "VARCHAR", size="45"),
                         col("store", "VARCHAR", size="255")),
            after="",
            sql=('\nBEGIN;\n\nALTER TABLE "spy_sales_order"\n\n  ALTER COLUMN "order_reference" SET NOT NULL;\n\n'
                 'CREATE INDEX "spy_sales_order-store" ON "spy_sales_order" ("store");\n\nCOMMIT;\n'),
            sql_path="src/Orm/Propel/Migration_pgsql/PropelMigration_1700000600.sql",
            platform="pgsql",
            expect=(expect("CL502", "spy_sales_order", "order_reference"), expect("CL502", "spy_sales_order", "store")),
            note="SET NOT NULL scans the table; CREATE INDEX without CONCURRENTLY blocks writes",
        ),
        Example(
            before=table("pyz_loyalty_account", col("fk_customer", "INTEGER", required="true"),
                         col("fk_store", "INTEGER", required="true")),
            after="",
            sql=('ALTER TABLE "pyz_loyalty_account" ADD CONSTRAINT "pyz_loyalty_account-unique-customer-store" '
                 'UNIQUE ("fk_customer","fk_store");\n'),
            sql_path="src/Orm/Propel/Migration_pgsql/PropelMigration_1700000700.sql",
            platform="pgsql",
            expect=(expect("CL502", "pyz_loyalty_account", None),),
            note="Propel's unique constraint on PostgreSQL builds an index under ACCESS EXCLUSIVE",
        ),
        Example(
            before=table("spy_sales_order", col("order_reference", "VARCHAR", size="45", required="true")),
            after="",
            sql='\nBEGIN;\n\nALTER TABLE "spy_sales_order"\n\n  ALTER COLUMN "order_reference" TYPE VARCHAR(32);\n\nCOMMIT;\n',
            sql_path="src/Orm/Propel/Migration_pgsql/PropelMigration_1700000750.sql",
            platform="pgsql",
            expect=(expect("CL502", "spy_sales_order", "order_reference"),),
            note="a shorter VARCHAR must check every value: a rewrite (CL2xx judges the narrowing)",
        ),
        Example(
            before=table("spy_sales_order", col("order_reference", "VARCHAR", size="45", required="true")),
            after="",
            sql='ALTER TABLE "spy_sales_order" ALTER COLUMN "legacy_total" TYPE NUMERIC(12,2);\n',
            sql_path="src/Orm/Propel/Migration_pgsql/PropelMigration_1700000760.sql",
            platform="pgsql",
            expect=(expect("CL502", "spy_sales_order", "legacy_total"),),
            note="the base schema does not know legacy_total: reported as may rewrite",
        ),
        Example(
            before=table("spy_product_abstract", col("attributes", "LONGVARCHAR")),
            after="",
            sql='ALTER TABLE "spy_product_abstract" ALTER COLUMN "attributes" TYPE JSON USING "attributes"::json;\n',
            sql_path="src/Orm/Propel/Migration_pgsql/PropelMigration_1700000800.sql",
            platform="pgsql",
            expect=(expect("CL502", "spy_product_abstract", "attributes"),),
            note="a USING cast computes every row: a rewrite",
        ),
    )
    VALID = (
        Example(
            before=table("pyz_loyalty_account", col("points", "INTEGER")),
            after="",
            sql="ALTER TABLE `pyz_loyalty_account` CHANGE `points` `points` INTEGER DEFAULT 0 NOT NULL;\n",
            note="same type, only default and nullability: in place, not a copy (CL1xx rules judge the change)",
        ),
        Example(
            before=table("pyz_loyalty_account", col("points", "INTEGER"), col("tier", "VARCHAR", size="16")),
            after="",
            sql="CREATE INDEX `pyz_loyalty_account-tier` ON `pyz_loyalty_account` (`tier`);\n",
            note="InnoDB builds a secondary index online",
        ),
        Example(
            before=table("pyz_loyalty_account", col("points", "INTEGER")),
            after="",
            sql=("CREATE TABLE `pyz_loyalty_tier`\n(\n    `id_loyalty_tier` INTEGER NOT NULL AUTO_INCREMENT,\n"
                 "    `name` VARCHAR(64) NOT NULL,\n    PRIMARY KEY (`id_loyalty_tier`)\n) ENGINE=InnoDB;\n\n"
                 "ALTER TABLE `pyz_loyalty_tier` CHANGE `name` `name` VARCHAR(128) NOT NULL;\n"),
            note="a table created by the same migration is empty",
        ),
        Example(
            before=table("spy_sales_order", col("store", "VARCHAR", size="255")),
            after="",
            sql='CREATE INDEX CONCURRENTLY "spy_sales_order-store" ON "spy_sales_order" ("store");\n',
            sql_path="src/Orm/Propel/Migration_pgsql/PropelMigration_1700000900.sql",
            platform="pgsql",
            note="a concurrent index build does not block writes",
        ),
        Example(
            before=table("spy_sales_order", col("order_reference", "VARCHAR", size="45", required="true")),
            after="",
            sql='\nBEGIN;\n\nALTER TABLE "spy_sales_order"\n\n  ALTER COLUMN "order_reference" TYPE VARCHAR(64);\n\nCOMMIT;\n',
            sql_path="src/Orm/Propel/Migration_pgsql/PropelMigration_1700001000.sql",
            platform="pgsql",
            note="Propel's shape of a longer VARCHAR: binary coercible, no rewrite (CL210 judges the widening)",
        ),
        Example(
            before=table("spy_sales_order", col("cart_note", "VARCHAR", size="255")),
            after="",
            sql=('BEGIN;\nALTER TABLE "spy_sales_order" ALTER COLUMN "cart_note" DROP NOT NULL;\n'
                 'ALTER TABLE "spy_sales_order" ALTER COLUMN "cart_note" SET DEFAULT \'\';\n'
                 'ALTER TABLE "spy_sales_order" ALTER COLUMN "cart_note" TYPE TEXT USING "cart_note";\nCOMMIT;\n'),
            sql_path="src/Orm/Propel/Migration_pgsql/PropelMigration_1700001100.sql",
            platform="pgsql",
            note="DROP NOT NULL and SET DEFAULT are catalog-only; VARCHAR to TEXT is binary coercible",
        ),
    )
