from __future__ import annotations

import re

from compatlint.changes import MigrationStatement
from compatlint.rule import Example, Rule, expect

from ._common import ERROR, col, table

_EXCERPT = 80


def _excerpt(text) -> str:
    flat = re.sub(r"\s+", " ", str(text or "")).strip()
    return flat if len(flat) <= _EXCERPT else flat[:_EXCERPT] + "…"


class UnparsedStatement(Rule):
    """A migration statement the SQL reader could not understand, so no other rule checked it.

    What it flags:
        A `MigrationStatement` of kind `unparsed`: sqlglot (mysql or postgres dialect) refused the statement,
        kept it only as an opaque command, or produced a form `compatlint.sql.read` does not translate
        (e.g. `DO $$ … $$` blocks, `LOCK TABLES`, stored procedures, `VACUUM`). The finding shows the first
        80 characters of the statement and the reader's error, at the statement's file and line. The
        statement is never dropped and the run never stops on it.

        Severity: error by default, so a gate (`check`, `lint-sql`, exit 1 at the default `--fail-on error`)
        never passes SQL nobody checked. It is a finding, not an input error (exit 2): the statement is
        usually valid SQL the database runs (a `DO` block, `VACUUM`), it is reported with file and line in
        every format (SARIF, GitHub annotations, ...), and once reviewed it can be allowed one statement at a
        time. To relax it for a whole project, set `[severity] CL504 = "warning"` (or `unparsed-statement`)
        in the configuration, or `ignore = ["CL504"]` to drop it; `--fail-on warning` then still fails on it.

    Why V1 breaks:
        It may not: the point is that compatlint cannot tell. Whatever the statement does (drop, rename,
        rewrite a table, change data) is not played on the schema model, so the schema rules (CL1xx-CL4xx)
        and CL501/CL502/CL505 never see it, while `propel:migrate` runs it as is, statement by statement
        (propelorm/Propel2 2.0.0-beta3 `src/Propel/Generator/Command/MigrationMigrateCommand.php`
        L150-L170), with V1 still serving traffic
        (spryker/spryker-docs `docs/ca/dev/configure-deployment-pipelines/deployment-in-states.md`
        L114-L120).

    Safe path:
        Review the statement by hand against V1's code. Where possible write it in the shapes Propel emits
        (`ALTER TABLE … ADD/DROP/CHANGE`, `CREATE INDEX`), move procedural work out of the deploy migration,
        and once reviewed mark it with `-- compatlint: allow unparsed-statement reason="..."` on the line
        before.

    Platforms:
        Both. What is unreadable differs: PostgreSQL `DO` blocks and `VACUUM`, MySQL `DELIMITER`, `LOCK
        TABLES` and `CALL` are typical.
    """

    code = "CL504"
    name = "unparsed-statement"
    severity = ERROR
    handles = (MigrationStatement,)
    safe_path = "review the statement by hand; prefer Propel's statement shapes; then allow it with a reason"

    def check(self, event: MigrationStatement, ctx) -> None:
        statement = event.statement
        if getattr(statement, "kind", None) != "unparsed":
            return
        error = getattr(statement, "error", None) or "no reason given"
        excerpt = _excerpt(getattr(statement, "text", ""))
        self.report(ctx, event, f"statement not understood, so no rule checked it: \"{excerpt}\"; reader: {error}",
                    detail=excerpt)

    INVALID = (
        Example(
            before=table("spy_sales_order", col("order_reference", "VARCHAR", size="45", required="true")),
            after="",
            sql=("LOCK TABLES `spy_sales_order` WRITE;\n\n"
                 "ALTER TABLE `spy_sales_order` CHANGE `order_reference` `order_reference` VARCHAR(45) NOT NULL;\n\n"
                 "UNLOCK TABLES;\n"),
            expect=(expect("CL504", None, None),),
            severity=ERROR,
            note="LOCK/UNLOCK TABLES are kept as opaque commands (two findings, no table)",
        ),
        Example(
            before=table("spy_sales_order", col("order_reference", "VARCHAR", size="45", required="true")),
            after="",
            sql=('\nBEGIN;\n\nDO $$\nBEGIN\n  IF NOT EXISTS (SELECT 1 FROM pg_indexes WHERE indexname = '
                 '\'spy_sales_order-reference\') THEN\n    CREATE INDEX "spy_sales_order-reference" ON '
                 '"spy_sales_order" ("order_reference");\n  END IF;\nEND\n$$;\n\nCOMMIT;\n'),
            sql_path="src/Orm/Propel/Migration_pgsql/PropelMigration_1700002000.sql",
            platform="pgsql",
            expect=(expect("CL504", None, None),),
            note="a PL/pgSQL DO block: its CREATE INDEX is invisible to CL502",
        ),
        Example(
            before=table("spy_sales_order", col("order_reference", "VARCHAR", size="45", required="true")),
            after="",
            sql='VACUUM ANALYZE "spy_sales_order";\n',
            sql_path="src/Orm/Propel/Migration_pgsql/PropelMigration_1700002100.sql",
            platform="pgsql",
            expect=(expect("CL504", None, None),),
            note="maintenance commands are not understood either",
        ),
    )
    VALID = (
        Example(
            before=table("spy_sales_order", col("order_reference", "VARCHAR", size="45", required="true")),
            after="",
            sql=("\n# This is a fix for InnoDB in MySQL >= 4.1.x\n# It \"suspends judgement\" for fkey relationships "
                 "until are tables are set.\nSET FOREIGN_KEY_CHECKS = 0;\n\n"
                 "ALTER TABLE `spy_sales_order` ADD `is_test` TINYINT(1) DEFAULT 0 AFTER `order_reference`;\n\n"
                 "# This restores the fkey checks, after having unset them earlier\nSET FOREIGN_KEY_CHECKS = 1;\n"),
            note="Propel's MySQL wrapper and an ALTER: all understood",
        ),
        Example(
            before=table("spy_sales_order", col("order_reference", "VARCHAR", size="45", required="true")),
            after="",
            sql=('\nBEGIN;\n\nALTER TABLE "spy_sales_order" ADD "is_test" BOOLEAN DEFAULT \'f\';\n\n'
                 'CREATE INDEX "spy_sales_order-is_test" ON "spy_sales_order" ("is_test");\n\nCOMMIT;\n'),
            sql_path="src/Orm/Propel/Migration_pgsql/PropelMigration_1700002200.sql",
            platform="pgsql",
            note="Propel's PostgreSQL shapes: all understood",
        ),
    )
