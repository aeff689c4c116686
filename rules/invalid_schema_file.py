from __future__ import annotations

from compatlint.changes import SchemaProblem
from compatlint.rule import Example, Rule, expect

from ._common import ERROR, col, table

PATH = "src/Pyz/Zed/Loyalty/Persistence/Propel/Schema/pyz_loyalty.schema.xml"
_HEAD = ('<?xml version="1.0"?>\n<database xmlns="spryker:schema-01" name="zed" '
         'namespace="Orm\\Zed\\Loyalty\\Persistence" package="src.Orm.Zed.Loyalty.Persistence">\n')
# `transfer:validate` checks the transfer XML files (spryker/spryker-core
# `Bundles/Transfer/src/Spryker/Zed/Transfer/Communication/Console/ValidatorConsole.php` L24).
_TRANSFER_SAFE_PATH = "fix the file (vendor/bin/console transfer:validate) before merging"
_GOOD = _HEAD + table("pyz_loyalty_account", col("points")) + "\n</database>\n"


class InvalidSchemaFile(Rule):
    """A schema file at the head revision cannot be read as a Propel schema.

    What it flags:
        A schema file that is not well-formed XML, declares a DOCTYPE (refused outright, so no entity or
        external DTD is ever expanded), has a root other than `<database>`, or lacks what Propel needs
        to build the model (a `<table>`, `<column>`, `<behavior>` or `<parameter>` without `name`, a
        `<foreign-key>` without `foreignTable`, an `<id-method-parameter>` without `value`), or gives a
        column a `type` Propel does not know (e.g. `type="NOPE"`; any case, no surrounding blanks, as
        `PropelTypes::$mappingTypes` lists them), or is a symbolic link: compatlint never follows links
        (one may point out of the repository, and git stores only the target's path), while Spryker's
        finder reads the target, so the link's tables would go unchecked without a word. The finding
        points at the file and line. Tables that file contributes to are left out of the comparison
        (neither dropped nor changed), and the run goes on with the other files. Broken files of the
        base revision only are not reported. A `*.transfer.xml` file unusable in the same ways (or a link)
        is reported the same way, as a transfer file whose transfers are left out of the comparison (not
        taken as removed).

    Why V1 breaks:
        It is not V1 that breaks but the deploy: Spryker's `propel:schema:copy` reads every file of a
        merge group with `new SimpleXMLElement(...)`, which throws on malformed XML (spryker/spryker-core
        `Bundles/Propel/src/Spryker/Zed/Propel/Business/Model/PropelSchemaMerger.php` L121-L124), and
        Propel's `SchemaReader` throws "XML error: ... at line n" for malformed XML and refuses a root
        other than `<database>` (propelorm/Propel2 2.0.0-beta3
        `src/Propel/Generator/Builder/Util/SchemaReader.php` L186-L197, L216-L233), so
        `propel:install` fails in `Run_install`. An unknown column type makes Propel throw "Cannot map
        unknown Propel type ... to native database type" (`src/Propel/Generator/Platform/DefaultPlatform.php`
        L232-L239, called from `Model/Column.php` L268-L282), so it is the same: not a type change but a
        schema no deploy can build. compatlint cannot check what it cannot read, so any
        breaking change in that file goes unseen until the file is fixed.

    Safe path:
        Fix the file (run `vendor/bin/console propel:schema:validate` locally, `vendor/bin/console
        transfer:validate` for a transfer file) before merging.

    Platforms:
        Same on MySQL and PostgreSQL.
    """

    code = "CL901"
    name = "invalid-schema-file"
    severity = ERROR
    handles = (SchemaProblem,)
    safe_path = "fix the file (vendor/bin/console propel:schema:validate) before merging"

    def check(self, event: SchemaProblem, ctx) -> None:
        problem = event.problem
        if problem.kind != "invalid-file":
            return
        if problem.origin.path.endswith(".transfer.xml"):
            self.report(ctx, event, f"transfer file cannot be used: {problem.message}; the transfers it declares "
                        "are not checked", location=problem.origin, detail=f"{problem.origin.path}: {problem.message}",
                        safe_path=_TRANSFER_SAFE_PATH)
            return
        self.report(ctx, event, f"schema file cannot be used: {problem.message}; the tables it declares are not "
                    "checked", location=problem.origin, detail=f"{problem.origin.path}: {problem.message}")

    INVALID = (
        Example(
            before={PATH: _GOOD},
            after={PATH: _HEAD + '<table name="pyz_loyalty_account">\n    <column name="points" type="INTEGER">\n'
                   "</table>\n</database>\n"},
            expect=(expect("CL901"),),
            note="an unclosed <column>: not well-formed",
        ),
        Example(
            before={PATH: _GOOD},
            after={PATH: '<?xml version="1.0"?>\n<!DOCTYPE database [\n  <!ENTITY points SYSTEM "file:///etc/passwd">\n]>\n'
                   + _HEAD[len('<?xml version="1.0"?>\n'):]
                   + '<table name="pyz_loyalty_account" description="&points;">\n'
                   '    <column name="id_loyalty_account" type="INTEGER" primaryKey="true"/>\n</table>\n</database>\n'},
            expect=(expect("CL901"),),
            note="a DOCTYPE with an external entity is refused, never expanded",
        ),
        Example(
            before={},
            after={PATH: '<?xml version="1.0"?>\n<schema name="zed">\n'
                   + table("pyz_loyalty_account", col("points")) + "\n</schema>\n"},
            expect=(expect("CL901"),),
            platform="pgsql",
            note="unknown root element",
        ),
        Example(
            before={PATH: _GOOD},
            after={PATH: _HEAD + table("pyz_loyalty_account", col("points"), '<column type="VARCHAR" size="64"/>')
                   + "\n</database>\n"},
            expect=(expect("CL901"),),
            note="a column without a name",
        ),
        Example(
            before={PATH: _GOOD},
            after={PATH: _HEAD + table("pyz_loyalty_account", col("points", "NOPE")) + "\n</database>\n"},
            expect=(expect("CL901", "pyz_loyalty_account"),),
            note="a column type Propel does not know: Propel refuses the schema (not a type change, CL203)",
        ),
    )
    VALID = (
        Example(
            before={PATH: _GOOD},
            after={PATH: _HEAD + table("pyz_loyalty_account", col("points", "bigint")) + "\n</database>\n"},
            note="a known type in lower case: Propel upper-cases it",
        ),
        Example(
            before={PATH: _HEAD + '<table name="pyz_loyalty_account">\n</database>\n'},
            after={PATH: _GOOD},
            note="broken at base, fixed at head",
        ),
        Example(
            before={PATH: _GOOD},
            after={PATH: _HEAD + "<!-- loyalty points per customer -->\n"
                   + table("pyz_loyalty_account", col("points"), col("tier", "VARCHAR", size="16")) + "\n</database>\n"},
            platform="pgsql",
            note="a comment and a new column: well-formed",
        ),
    )
