from __future__ import annotations

from compatlint.changes import TableMoved
from compatlint.model import Origin, Table
from compatlint.rule import Example, Rule, expect

from ._common import INFO, col, table


def php_class(t: Table) -> str:
    """The generated model class: `<namespace>\\<phpName>`, where the default phpName is the table name with
    each `_`-separated part lower-cased and capitalised (Propel's underscore naming method)."""
    name = t.php_name or "".join(part[:1].upper() + part[1:].lower() for part in t.name.split("_") if part)
    namespace = (t.namespace or "").strip().strip("\\")
    return f"{namespace}\\{name}" if namespace else name


def _first_in(t: Table, paths: list[str]) -> Origin | None:
    """The first element of `t` that comes from one of `paths` (where the moved part now lives), if any."""
    origins = [t.origin, *(c.origin for c in t.columns.values()), *(i.origin for i in t.indexes.values()),
               *(u.origin for u in t.uniques.values()), *(f.origin for f in t.foreign_keys.values()),
               *(b.origin for b in t.behaviors.values())]
    return next((o for o in origins if o is not None and o.path in paths and o.line), None)


def _schema(module: str, *tables: str, namespace_module: str | None = None) -> str:
    """A whole schema file of the Zed module `module` (examples only)."""
    ns = namespace_module or module
    return ('<?xml version="1.0"?>\n'
            f'<database xmlns="spryker:schema-01" name="zed" namespace="Orm\\Zed\\{ns}\\Persistence" '
            f'package="src.Orm.Zed.{ns}.Persistence">\n' + "\n".join(tables) + "\n</database>\n")


_SCHEMA_DIR = "Persistence/Propel/Schema"
_PYZ_LOYALTY = f"src/Pyz/Zed/Loyalty/{_SCHEMA_DIR}/pyz_loyalty.schema.xml"
_PYZ_VOUCHER = f"src/Pyz/Zed/LoyaltyVoucher/{_SCHEMA_DIR}/pyz_loyalty_voucher.schema.xml"
_CORE_LOYALTY = f"vendor/spryker/loyalty/src/Spryker/Zed/Loyalty/{_SCHEMA_DIR}/spy_loyalty.schema.xml"
_PYZ_LOYALTY_EXT = f"src/Pyz/Zed/Loyalty/{_SCHEMA_DIR}/spy_loyalty.schema.xml"
_PYZ_POINTS_EXT = f"src/Pyz/Zed/LoyaltyPoints/{_SCHEMA_DIR}/spy_loyalty.schema.xml"
_PYZ_TIER = f"src/Pyz/Zed/LoyaltyTier/{_SCHEMA_DIR}/spy_loyalty_tier.schema.xml"

_ACCOUNT = table("pyz_loyalty_account", col("fk_customer", "INTEGER", required="true"), col("points", "INTEGER"),
                 '<behavior name="timestampable"/>')
_VOUCHER = table("pyz_loyalty_voucher", col("fk_loyalty_account", "INTEGER", required="true"),
                 col("code", "VARCHAR", size="32", required="true"),
                 '<unique name="pyz_loyalty_voucher-code">\n        <unique-column name="code"/>\n    </unique>',
                 '<foreign-key name="pyz_loyalty_voucher-fk_loyalty_account" foreignTable="pyz_loyalty_account">\n'
                 '        <reference local="fk_loyalty_account" foreign="id_loyalty_account"/>\n    </foreign-key>',
                 '<behavior name="timestampable"/>')
_CORE_ACCOUNT = table("spy_loyalty_account", col("fk_customer", "INTEGER", required="true"),
                      col("points", "INTEGER", required="true", default="0"), '<behavior name="timestampable"/>',
                      phpName="SpyLoyaltyAccount")
# A project file extending the core table: only the added column.
_EXT_ACCOUNT = ('<table name="spy_loyalty_account">\n'
                '    <column name="external_reference" type="VARCHAR" size="64"/>\n'
                '</table>')
_TIER = table("spy_loyalty_tier", col("name", "VARCHAR", size="64", required="true"), col("threshold", "INTEGER"),
              phpName="SpyLoyaltyTier")


class TableMove(Rule):
    """A table keeps its name but moves to other schema files, modules or namespaces.

    What it flags:
        A table present at both revisions whose contributing schema files are partly replaced by others
        (moved to another module's file, adopted by a core module, a project extension moved between
        modules) or whose PHP namespace changes. A project file that only adds columns to a core table
        is not a move.

    Why V1 breaks:
        It does not, as far as the database goes: Propel matches tables by name
        (propelorm/Propel2 2.0.0-beta3 `src/Propel/Generator/Model/Diff/DatabaseComparator.php` L228-L290),
        and Spryker merges files by basename only (spryker/spryker-core
        `Bundles/Propel/src/Spryker/Zed/Propel/Business/Model/PropelGroupedSchemaFinder.php` L48-L52), so no
        DDL follows. But the generated classes are named from the `<database namespace>` of the file and
        the table's phpName, by default the table name with each `_` part capitalised
        (`Model/PhpNameGenerator.php` L95-L105; `Model/Table.php` L206-L208;
        `Model/Database.php` L172, L577-L608, L718-L739; `Builder/Om/AbstractOMBuilder.php` L149-L157): moving a
        table to another module's file turns `Orm\\Zed\\X\\Persistence\\SpyFoo` (and `SpyFooQuery`,
        `Map\\SpyFooTableMap`) into `Orm\\Zed\\Y\\Persistence\\SpyFoo`. V1 keeps running its own generated
        classes, so nothing fails during the deploy, but every V2 `use` of the old classes (project code,
        other modules, plugins) fails at build time until it follows the move.

    Safe path:
        Nothing to stage for the database. Move the table and update every reference to its generated
        classes in the same release; keep the namespace when other packages use the classes.

    Platforms:
        Same on MySQL and PostgreSQL.
    """

    code = "CL404"
    name = "table-moved"
    severity = INFO
    handles = (TableMoved,)
    safe_path = None

    def check(self, event: TableMoved, ctx) -> None:
        base, head = event.base, event.head
        lost = [path for path in base.files if path not in head.files]
        gained = [path for path in head.files if path not in base.files]
        if lost and gained:
            where = f"moves from {', '.join(lost)} to {', '.join(gained)}"
        else:
            where = f"moves from namespace {base.namespace or '(none)'} to {head.namespace or '(none)'}"
        before, after = php_class(base), php_class(head)
        if before != after:
            classes = (f"the generated class changes from {before} to {after} (with its Query and TableMap "
                       "classes): code that uses the old classes must follow")
        else:
            classes = f"the generated class {after} stays the same"
        self.report(ctx, event, f"{head.name} {where}; the database is unchanged, {classes}",
                    location=_first_in(head, gained))

    INVALID = (
        Example(
            before={_PYZ_LOYALTY: _schema("Loyalty", _ACCOUNT, _VOUCHER)},
            after={_PYZ_LOYALTY: _schema("Loyalty", _ACCOUNT), _PYZ_VOUCHER: _schema("LoyaltyVoucher", _VOUCHER)},
            expect=(expect("CL404", "pyz_loyalty_voucher"),),
            severity=INFO,
            note="moved to another module's file with another basename: Orm\\Zed\\Loyalty\\Persistence\\PyzLoyaltyVoucher "
                 "becomes Orm\\Zed\\LoyaltyVoucher\\Persistence\\PyzLoyaltyVoucher",
        ),
        Example(
            before={_CORE_LOYALTY: _schema("Loyalty", _CORE_ACCOUNT), _PYZ_LOYALTY_EXT: _schema("Loyalty", _EXT_ACCOUNT)},
            after={_CORE_LOYALTY: _schema("Loyalty", _CORE_ACCOUNT),
                   _PYZ_POINTS_EXT: _schema("LoyaltyPoints", _EXT_ACCOUNT, namespace_module="Loyalty")},
            expect=(expect("CL404", "spy_loyalty_account"),),
            platform="pgsql",
            note="the project extension of a core table moves to another project module; the class stays",
        ),
        Example(
            before={_PYZ_TIER: _schema("LoyaltyTier", _TIER), _CORE_LOYALTY: _schema("Loyalty", _CORE_ACCOUNT)},
            after={_CORE_LOYALTY: _schema("Loyalty", _CORE_ACCOUNT, _TIER)},
            expect=(expect("CL404", "spy_loyalty_tier"),),
            note="a core module now ships the table the project declared: SpyLoyaltyTier changes namespace",
        ),
    )
    VALID = (
        Example(
            before={_CORE_LOYALTY: _schema("Loyalty", _CORE_ACCOUNT)},
            after={_CORE_LOYALTY: _schema("Loyalty", _CORE_ACCOUNT), _PYZ_LOYALTY_EXT: _schema("Loyalty", _EXT_ACCOUNT)},
            note="a new project file only adds a column to the core table: not a move",
        ),
        Example(
            before={_PYZ_LOYALTY: _schema("Loyalty", _ACCOUNT)},
            after={_PYZ_LOYALTY: _schema("Loyalty", _ACCOUNT, _VOUCHER)},
            note="a table added next to one that stays",
        ),
        Example(
            before={_CORE_LOYALTY: _schema("Loyalty", _CORE_ACCOUNT), _PYZ_LOYALTY_EXT: _schema("Loyalty", _EXT_ACCOUNT)},
            after={_CORE_LOYALTY: _schema("Loyalty", _CORE_ACCOUNT)},
            note="the project extension file is deleted (its column is dropped: CL102), the table stays where it was",
        ),
    )
