from __future__ import annotations

from compatlint.changes import TableRemoved
from compatlint.rule import Example, Rule, expect

from ._common import ERROR, behavior_source, col, table


def _schema(module: str, *tables: str) -> str:
    """A whole schema file of the Zed module `module` (examples only)."""
    return ('<?xml version="1.0"?>\n'
            f'<database xmlns="spryker:schema-01" name="zed" namespace="Orm\\Zed\\{module}\\Persistence" '
            f'package="src.Orm.Zed.{module}.Persistence">\n' + "\n".join(tables) + "\n</database>\n")


_PYZ_LOYALTY = "src/Pyz/Zed/Loyalty/Persistence/Propel/Schema/pyz_loyalty.schema.xml"
_PYZ_LOYALTY_BONUS = "src/Pyz/Zed/LoyaltyBonus/Persistence/Propel/Schema/pyz_loyalty_bonus.schema.xml"
_CORE_CAMPAIGN = "vendor/spryker/loyalty-campaign/src/Spryker/Zed/LoyaltyCampaign/Persistence/Propel/Schema/spy_loyalty_campaign.schema.xml"

_ACCOUNT = table("pyz_loyalty_account", col("fk_customer", "INTEGER", required="true"), col("points", "INTEGER"),
                 '<behavior name="timestampable"/>')
_BONUS = table("pyz_loyalty_bonus", col("fk_loyalty_account", "INTEGER", required="true"),
               col("amount", "INTEGER", required="true"),
               '<foreign-key name="pyz_loyalty_bonus-fk_loyalty_account" foreignTable="pyz_loyalty_account">\n'
               '        <reference local="fk_loyalty_account" foreign="id_loyalty_account"/>\n    </foreign-key>',
               '<behavior name="timestampable"/>')
_CAMPAIGN = ('<table name="spy_loyalty_campaign" idMethod="native" phpName="SpyLoyaltyCampaign">\n'
             '    <column name="id_loyalty_campaign" type="INTEGER" primaryKey="true" autoIncrement="true"/>\n'
             '    <column name="name" type="VARCHAR" size="255" required="true"/>\n'
             '    <column name="is_active" type="BOOLEAN" required="true" default="false"/>\n'
             '    <unique name="spy_loyalty_campaign-name">\n        <unique-column name="name"/>\n    </unique>\n'
             '    <id-method-parameter value="spy_loyalty_campaign_pk_seq"/>\n'
             '    <behavior name="timestampable"/>\n'
             '</table>')


class TableDropped(Rule):
    """A table present at the base revision is gone at the head revision.

    What it flags:
        A table that existed at base is declared by no schema file at head: its `<table>` was deleted, its
        schema file was deleted, or the (core) module that shipped the file was removed. A table that
        only moved to another file keeps its name and is not a drop (CL404); a table re-created under
        another name with the same definition is CL401; archive, version and i18n tables that go with
        their behavior are CL103.

    Why V1 breaks:
        `propel:diff` runs at deploy time against the live V1 database and drops every table the merged V2
        XML no longer has (propelorm/Propel2 2.0.0-beta3 `src/Propel/Generator/Model/Diff/DatabaseComparator.php`
        L228-L290, `removeTable` is on unless `--skip-removed-table`, `Command/MigrationDiffCommand.php` L173):
        `` DROP TABLE IF EXISTS `t`; `` on MySQL (`Platform/DefaultPlatform.php` L350), `DROP TABLE IF EXISTS "t"
        CASCADE;` plus `DROP SEQUENCE` for a table with an id-method-parameter on PostgreSQL
        (`Platform/PgsqlPlatform.php` L465-L480). Spryker collects schema files from
        `vendor/*/*/src/*/Zed/*/Persistence/Propel/Schema/` and `src/*/Zed/*/Persistence/Propel/Schema/`
        (spryker/spryker-core `Bundles/Propel/src/Spryker/Zed/Propel/PropelConfig.php` L179-L189), so
        removing a module package removes its tables too. V1's generated TableMap names every non-lazy
        column in its SELECTs (`Builder/Om/TableMapBuilder.php` L1274-L1312), so after `Run_install`
        every V1 read and write of the table fails until the last V1 service is replaced, and the rows
        are gone for good.

    Safe path:
        Release N: stop using the table in code (and remove the foreign keys other tables have to it),
        but keep it in the schema. Release N+1: remove the table.

    Platforms:
        PostgreSQL drops with `CASCADE`, which also removes other tables' foreign keys to it and the
        table's sequence (`<id-method-parameter>`). MySQL runs the migration under
        `SET FOREIGN_KEY_CHECKS = 0` (`Platform/MysqlPlatform.php` L244-L262), so the drop succeeds even
        while other tables still reference it, leaving their constraints pointing nowhere.
    """

    code = "CL101"
    name = "table-dropped"
    severity = ERROR
    handles = (TableRemoved,)
    safe_path = "release N: stop using the table in code, keep it in the schema; release N+1: drop it"

    def check(self, event: TableRemoved, ctx) -> None:
        dropped = event.base
        if dropped.provided_by:
            return  # an archive/version/i18n table going with its behavior or source table: CL103
        head_files = set(ctx.head.files)
        files = ", ".join(dropped.files) or "its schema file"
        if event.location is not None and event.location.path.endswith((".sql", ".php")):
            where = "the migration drops it"
        elif dropped.files and not any(path in head_files for path in dropped.files):
            where = f"its schema file{'s' if len(dropped.files) > 1 else ''} {files} {'are' if len(dropped.files) > 1 else 'is'} gone"
        else:
            where = f"no longer declared in {files}"
        extra = []
        if ctx.platform == "pgsql" and dropped.id_method_parameter:
            extra.append(f"its sequence {dropped.id_method_parameter}")
        extra += [t.name for t in ctx.base.tables.values()
                  if t.provided_by and t.name not in ctx.head.tables and behavior_source(t, ctx.base) is dropped]
        also = f" (with {' and '.join(extra)})" if extra else ""
        self.report(ctx, event, f"{dropped.name} is dropped{also}: {where}, but V1 still queries it and fails until "
                    "all V1 services are gone; its rows are lost")

    INVALID = (
        Example(
            before=_ACCOUNT + "\n" + _BONUS,
            after=_ACCOUNT,
            expect=(expect("CL101", "pyz_loyalty_bonus"),),
            note="a project table removed from its schema file",
        ),
        Example(
            before={_CORE_CAMPAIGN: _schema("LoyaltyCampaign", _CAMPAIGN), _PYZ_LOYALTY: _schema("Loyalty", _ACCOUNT)},
            after={_PYZ_LOYALTY: _schema("Loyalty", _ACCOUNT)},
            expect=(expect("CL101", "spy_loyalty_campaign"),),
            platform="pgsql",
            note="the core module was removed from composer: its schema file and table go, and on PostgreSQL the sequence",
        ),
        Example(
            before=_ACCOUNT + "\n" + table("pyz_loyalty_redemption", col("fk_loyalty_account", "INTEGER", required="true"),
                                           col("points", "INTEGER", required="true"), '<behavior name="archivable"/>'),
            after=_ACCOUNT,
            expect=(expect("CL101", "pyz_loyalty_redemption"),),
            note="the archive table pyz_loyalty_redemption_archive goes as well: that one is CL103",
        ),
    )
    VALID = (
        Example(
            before={_PYZ_LOYALTY: _schema("Loyalty", _ACCOUNT, _BONUS)},
            after={_PYZ_LOYALTY: _schema("Loyalty", _ACCOUNT), _PYZ_LOYALTY_BONUS: _schema("LoyaltyBonus", _BONUS)},
            note="the table moves to another module's file: same name, nothing is dropped (CL404)",
        ),
        Example(
            before=table("pyz_loyalty_redemption", col("points", "INTEGER", required="true"), '<behavior name="archivable"/>'),
            after=table("pyz_loyalty_redemption", col("points", "INTEGER", required="true")),
            note="only the archive table goes with its behavior: CL103",
        ),
        Example(
            before=table("pyz_loyalty_account", col("points", "INTEGER")),
            after=table("pyz_loyalty_account", col("points", "INTEGER")) + "\n"
            + table("pyz_loyalty_tier", col("name", "VARCHAR", size="64", required="true")),
            note="a table added, nothing removed",
        ),
    )
