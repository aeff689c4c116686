from __future__ import annotations

from compatlint.changes import IndexChanged, IndexRemoved
from compatlint.rule import Example, Rule, expect

from ._common import index_xml as _index, renamed_columns as _renames, INFO, col, table




def _fk(foreign_table: str, local: str, foreign: str) -> str:
    return f'<foreign-key foreignTable="{foreign_table}"><reference local="{local}" foreign="{foreign}"/></foreign-key>'


class IndexDropped(Rule):
    """A plain index of an existing table is dropped or moved to columns that no longer cover the old ones.

    What it flags:
        A plain `<index>` present at base that is gone at head, or that keeps its name but no longer
        starts with the old columns. Not flagged when the head revision still has an index, unique or
        primary key that starts with the same columns (a renamed index, or one widened to the right,
        serves the same lookups); when a column of the index disappears (CL102/CL103); and for the
        index Propel adds on MySQL for a foreign key's columns when that foreign key is gone as well.
        Uniques are CL301/CL305. An index compatlint knows by name only (a migration drops an index no
        schema file declares) is CL506, since its columns are unknown. The finding names the column for a single-column index and no column
        for a composite one.

    Why V1 breaks:
        It does not break: queries stay correct. Propel matches indexes by name
        (propelorm/Propel2 2.0.0-beta3 `src/Propel/Generator/Model/Diff/TableComparator.php` L246-L284)
        and emits `DROP INDEX` (`Platform/MysqlPlatform.php` L638-L649, `Platform/DefaultPlatform.php`
        L635-L644). V1 code (and V2) that filters, joins or sorts by the old columns may fall back to a
        full scan and slow down, which on large Spryker tables (sales, prices, storage) can time out.
        On MySQL Propel generates an index for every foreign key whose columns are not indexed yet
        (`Model/Table.php` L357-L426, `fi_` names at L415); when the foreign key goes, so does that
        index, which is expected.

    Safe path:
        Drop the index once no V1 or V2 query depends on it; if V2 replaces it, create the replacement in
        release N and drop the old one in release N+1.

    Platforms:
        MySQL drops an index in place without copying the table. PostgreSQL's `DROP INDEX` (not
        `CONCURRENTLY`) briefly takes an exclusive lock on the table. On PostgreSQL there are no
        automatic foreign key indexes (Spryker generates them with its IndexGenerator module into
        ordinary schema files).
    """

    code = "CL306"
    name = "index-dropped"
    severity = INFO
    handles = (IndexRemoved, IndexChanged)
    safe_path = ("drop the index once no V1 query needs it; create a replacement first and drop the old one "
                 "a release later")

    def check(self, event: IndexRemoved | IndexChanged, ctx) -> None:
        head = event.head
        renames = _renames(ctx, event.base.name)
        if isinstance(event, IndexRemoved):
            old, how = event.index, "is dropped"
        else:
            old, new = event.before, event.after
            if new.unique:
                return  # a plain index made unique: CL301
            how = f"now covers ({', '.join(new.columns)})"
        if old.unique:
            return  # CL305
        if not old.columns:
            return  # known by name only (a migration drops an index no schema file declares): CL506 says so
        columns = tuple(renames.get(c, c) for c in old.columns)
        if any(c not in head.columns for c in columns):
            return  # goes with a dropped column: CL102/CL103
        width = len(columns)
        keys = [i.columns for i in (*head.indexes.values(), *head.uniques.values())]
        if head.primary_key:
            keys.append(head.primary_key)
        if any(key[:width] == columns for key in keys):
            return  # another index (or the same one, widened) still starts with these columns
        if old.provided_by == "mysql-fk-index" and not any(
                fk.local_columns == columns and not fk.skip_sql for fk in head.foreign_keys.values()):
            return  # Propel's automatic index for a foreign key that is gone too
        listed = ", ".join(old.columns)
        self.report(ctx, event, f"{event.base.name}: index {old.name} ({listed}) {how}; V1 queries that filter, "
                    f"join or sort by ({listed}) may become slow", column=old.columns[0] if width == 1 else None,
                    detail=old.name)

    INVALID = (
        Example(
            before=table("pyz_loyalty_transaction", col("created_at", "TIMESTAMP"),
                         _index("created_at", name="pyz_loyalty_transaction-created_at")),
            after=table("pyz_loyalty_transaction", col("created_at", "TIMESTAMP")),
            expect=(expect("CL306", "pyz_loyalty_transaction", "created_at"),),
        ),
        Example(
            before=table("pyz_loyalty_transaction", col("fk_account"), col("created_at", "TIMESTAMP"),
                         _index("fk_account", "created_at", name="pyz_loyalty_transaction-account-created")),
            after=table("pyz_loyalty_transaction", col("fk_account"), col("created_at", "TIMESTAMP")),
            expect=(expect("CL306", "pyz_loyalty_transaction", None),),
            platform="pgsql",
        ),
        Example(
            before=table("pyz_loyalty_transaction", col("fk_account"), col("created_at", "TIMESTAMP"),
                         _index("fk_account", name="pyz_loyalty_transaction-lookup")),
            after=table("pyz_loyalty_transaction", col("fk_account"), col("created_at", "TIMESTAMP"),
                        _index("created_at", name="pyz_loyalty_transaction-lookup")),
            expect=(expect("CL306", "pyz_loyalty_transaction", "fk_account"),),
            note="same name, other column: fk_account lookups lose their index",
        ),
    )
    VALID = (
        Example(
            before=table("pyz_loyalty_transaction", col("fk_account"), _fk("pyz_loyalty_account", "fk_account", "id_account"))
            + table("pyz_loyalty_account"),
            after=table("pyz_loyalty_transaction", col("fk_account")) + table("pyz_loyalty_account"),
            note="MySQL: the foreign key goes and Propel's automatic index for it goes too",
        ),
        Example(
            before=table("pyz_loyalty_transaction", col("fk_account"),
                         _index("fk_account", name="pyz_loyalty_transaction-fk_account")),
            after=table("pyz_loyalty_transaction", col("fk_account"),
                        _index("fk_account", name="pyz_loyalty_transaction-i-fk_account")),
            platform="pgsql",
            note="renamed with the same columns",
        ),
        Example(
            before=table("pyz_loyalty_transaction", col("fk_account"), col("created_at", "TIMESTAMP"),
                         _index("fk_account", name="pyz_loyalty_transaction-fk_account")),
            after=table("pyz_loyalty_transaction", col("fk_account"), col("created_at", "TIMESTAMP"),
                        _index("fk_account", "created_at", name="pyz_loyalty_transaction-account-created")),
            note="replaced by an index that starts with the same column",
        ),
        Example(
            before=table("pyz_loyalty_voucher", col("code", "VARCHAR", size="32"),
                         '<unique name="pyz_loyalty_voucher-code"><unique-column name="code"/></unique>'),
            after=table("pyz_loyalty_voucher", col("code", "VARCHAR", size="32")),
            note="a unique is CL305, not an index drop",
        ),
    )
