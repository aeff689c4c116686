from __future__ import annotations

from compatlint.changes import SchemaProblem
from compatlint.rule import Example, Rule, expect

from ._common import ERROR, WARNING, col, table

CORE = "vendor/spryker/loyalty/src/Spryker/Zed/Loyalty/Persistence/Propel/Schema/spy_loyalty.schema.xml"
PROJECT = "src/Pyz/Zed/Loyalty/Persistence/Propel/Schema/spy_loyalty.schema.xml"
OTHER = "src/Pyz/Zed/LoyaltyTier/Persistence/Propel/Schema/pyz_loyalty_tier.schema.xml"
_CORE_TABLE = table("spy_loyalty_account", col("points", "INTEGER", required="true", defaultValue="0"),
                    col("customer_reference", "VARCHAR", size="255"))
# Propel refuses these when it builds the merged schema; an overwritten attribute is applied silently.
_REFUSED = {"database-mismatch", "duplicate-table", "duplicate-column"}


def _database(namespace: str, *tables: str) -> str:
    return ('<?xml version="1.0"?>\n<database xmlns="spryker:schema-01" name="zed" '
            f'namespace="Orm\\Zed\\{namespace}\\Persistence" package="src.Orm.Zed.{namespace}.Persistence">\n'
            + "\n".join(tables) + "\n</database>\n")


class MergeConflict(Rule):
    """The change makes schema files of one merge group disagree, or declares a table twice.

    What it flags:
        Conflicts that the head revision introduces (those already present at base are not repeated):
        a later file of a merge group (same file name; core files first, then project files) setting
        an attribute of the same element to another value (warning: the later value wins, silently);
        files of one group whose `<database>` name, package or namespace differ, a table declared
        in two differently named schema files, and a column declared twice in one table (all errors:
        Propel refuses them; `Model/Table.php` L577 "Column ... declared twice"). The finding names
        the table and column when the conflict is about one.

    Why V1 breaks:
        Spryker's `propel:schema:copy` groups files by name and merges them element by element, the
        later file overwriting attributes (spryker/spryker-core
        `Bundles/Propel/src/Spryker/Zed/Propel/Business/Model/PropelSchemaMerger.php` L416-L431); its
        validator calls such an overwrite an error with "weird side effects"
        (`Business/Model/Schema/Validator/PropelSchemaValidator.php` L285-L300). A project file that
        silently changes a core column's type, size or `required` changes the table under V1 and under
        core code that was written for the core value, without showing up as a change of the core file.
        Disagreeing `<database>` identities make the merge throw "Ambiguous use of name, package and
        namespace" (`PropelSchemaMerger.php` L100-L114), and a table in two differently named files
        makes Propel throw "Duplicate table found" (propelorm/Propel2 2.0.0-beta3
        `src/Propel/Generator/Model/Schema.php` L285-L299): `Run_install` stops and nothing is migrated.

    Safe path:
        Extend a core table only with new elements in the project file of the same name; change a core
        attribute only deliberately (and check it with CL2xx as a change of its own). Keep one
        `<database>` identity per file name and declare each table in one file name only.

    Platforms:
        Same on MySQL and PostgreSQL.
    """

    code = "CL902"
    name = "merge-conflict"
    severity = WARNING
    handles = (SchemaProblem,)
    safe_path = ("extend core tables only with new elements; keep one <database> identity per file name and "
                 "each table in one file name")

    def check(self, event: SchemaProblem, ctx) -> None:
        problem = event.problem
        if problem.kind == "invalid-file":
            return  # CL901
        location = problem.origin
        if problem.kind == "duplicate-table" and problem.other is not None:
            # The loader blames whichever declaration it read second; point at the one this change brings.
            known = set(ctx.base.files)
            if location.path in known and problem.other.path not in known:
                location = problem.other
        where = ""
        if problem.kind == "attribute-overwritten" and problem.other is not None:
            where = f" (the earlier value is set in {problem.other})"
        self.report(ctx, event, f"{problem.message}{where}", table=problem.table, column=problem.column,
                    severity=ERROR if problem.kind in _REFUSED else WARNING, location=location,
                    detail=f"{problem.kind}:{problem.message}")

    INVALID = (
        Example(
            before=table("pyz_loyalty_account", col("points", "INTEGER")),
            after=table("pyz_loyalty_account", col("points", "INTEGER"), col("points", "BIGINT")),
            expect=(expect("CL902", "pyz_loyalty_account", "points"),),
            severity=ERROR,
            note="a column declared twice in one table: Propel refuses (Table::addColumn)",
        ),
        Example(
            before={CORE: _CORE_TABLE},
            after={CORE: _CORE_TABLE,
                   PROJECT: '<table name="spy_loyalty_account">\n'
                            '    <column name="points" type="BIGINT" required="true" defaultValue="0"/>\n</table>'},
            expect=(expect("CL902", "spy_loyalty_account", "points"),),
            severity=WARNING,
            note="the project file overwrites the core column's type",
        ),
        Example(
            before={CORE: _CORE_TABLE},
            after={CORE: _CORE_TABLE,
                   OTHER: _database("LoyaltyTier", table("spy_loyalty_account", col("tier", "VARCHAR", size="16")))},
            expect=(expect("CL902", "spy_loyalty_account", None),),
            severity=ERROR,
            platform="pgsql",
            note="the table is declared again in a file of another name: Propel refuses",
        ),
        Example(
            before={CORE: _CORE_TABLE},
            after={CORE: _CORE_TABLE,
                   PROJECT: _database("PyzLoyalty", table("spy_loyalty_account", col("tier", "VARCHAR", size="16")))},
            expect=(expect("CL902", None, None),),
            severity=ERROR,
            note="the project file of the same name uses another namespace: the merge refuses",
        ),
    )
    VALID = (
        Example(
            before={CORE: _CORE_TABLE},
            after={CORE: _CORE_TABLE,
                   PROJECT: '<table name="spy_loyalty_account">\n'
                            '    <column name="tier" type="VARCHAR" size="16"/>\n</table>'},
            note="the project file only adds a column",
        ),
        Example(
            before={CORE: _CORE_TABLE},
            after={CORE: _CORE_TABLE,
                   PROJECT: '<table name="spy_loyalty_account">\n'
                            '    <column name="customer_reference" type="VARCHAR" size="255"/>\n</table>'},
            platform="pgsql",
            note="the project file repeats the same values",
        ),
        Example(
            before={CORE: _CORE_TABLE,
                    PROJECT: '<table name="spy_loyalty_account">\n'
                             '    <column name="points" type="BIGINT" required="true" defaultValue="0"/>\n</table>'},
            after={CORE: _CORE_TABLE,
                   PROJECT: '<table name="spy_loyalty_account">\n'
                            '    <column name="points" type="BIGINT" required="true" defaultValue="0"/>\n'
                            '    <column name="tier" type="VARCHAR" size="16"/>\n</table>'},
            note="the overwrite already existed at base: not introduced by this change",
        ),
    )
