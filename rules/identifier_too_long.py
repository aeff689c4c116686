from __future__ import annotations

from compatlint.changes import (ColumnAdded, ColumnRenamed, ForeignKeyAdded, IndexAdded, SequenceChanged, TableAdded,
                                TableRenamed)
from compatlint.rule import Example, Rule, expect

from ._common import ERROR, WARNING, col, table

PGSQL_MAX = 63  # NAMEDATALEN - 1 bytes; Propel's PgsqlPlatform::getMaxColumnNameLength
MYSQL_MAX = 64  # characters; Propel's MysqlPlatform::getMaxColumnNameLength


def _severity(name: str, platform: str, kind: str):
    if platform == "pgsql":
        if len(name.encode()) <= PGSQL_MAX:
            return None
        return WARNING if kind == "sequence" else ERROR
    if len(name) > MYSQL_MAX:
        return ERROR
    return WARNING if len(name) > PGSQL_MAX else None


class IdentifierTooLong(Rule):
    """A name the change introduces is longer than the database keeps.

    What it flags:
        Names introduced by the change that are longer than 63 characters: a new table (and every
        column, index, unique, foreign key and `id-method-parameter` sequence of it, since Propel
        creates them all; the same for a table Propel drops and re-creates under a new name), a new or
        renamed column, a new index or unique, a new foreign key, a new sequence name. Severity by
        `--platform`: PostgreSQL (limit 63 bytes): error, but warning for a sequence. MySQL (limit 64
        characters): error above 64, since MySQL refuses the statement; warning at exactly 64, which
        MySQL accepts but PostgreSQL would cut (Spryker core schemas run on both). Sequences are only
        checked on PostgreSQL, since MySQL ignores `id-method-parameter`.
        Index and unique names are checked as Propel emits them: `Index::getName` cuts every index
        name, declared or generated, to the platform maximum (propelorm/Propel2 2.0.0-beta3
        `src/Propel/Generator/Model/Index.php` L92-L101), so they never exceed it, and the model keeps
        only the cut name; a longer declared index name is therefore not reported (except as the
        64-character MySQL warning), although two indexes whose names share the first 63/64
        characters then collide. The index Propel adds on MySQL for a foreign key is named after the
        foreign key and is not reported separately.

    Why V1 breaks:
        Propel does not cut table, column, foreign key or sequence names (`Model/ForeignKey.php`
        L330-L335 has no limit; `Platform/PgsqlPlatform.php` L138-L159 uses the `id-method-parameter`
        value as is). MySQL refuses an identifier over 64 characters ("Identifier name ... is too
        long"), so the migration stops in `Run_install` (not transactional: half applied).
        PostgreSQL truncates it to 63 bytes with only a NOTICE, so the database holds another name
        than the schema and V1/V2 code. Derived, not run: Spryker generates the migration at every
        deploy by diffing the live database against the schema XML, and the truncated name never
        matches the declared one, so the next deploy sees the table dropped and a new one added
        (Propel drops and re-creates it: data loss), the column renamed to itself (the rename fails),
        or the foreign key dropped and re-added. A sequence name is cut the same way in Propel's
        `CREATE SEQUENCE` (`PgsqlPlatform.php` L166-L182) and in V1's `SELECT nextval('...')`
        (L902-L924), and the diff does not compare sequences, so it keeps working unless two sequence
        names share their first 63 bytes: a warning.

    Safe path:
        Choose a shorter name before the first release that creates it; a name already deployed is
        renamed like any table or column (CL401/CL402 safe path).

    Platforms:
        PostgreSQL: 63 bytes, longer names silently truncated (error). MySQL: 64 characters, longer
        names refused (error); 64 exactly works on MySQL only (warning). Propel's own limits:
        `Platform/PgsqlPlatform.php` L103-L106 (63), `Platform/MysqlPlatform.php` L181-L184 (64).
    """

    code = "CL905"
    name = "identifier-too-long"
    severity = ERROR
    handles = (TableAdded, TableRenamed, ColumnAdded, ColumnRenamed, IndexAdded, ForeignKeyAdded, SequenceChanged)
    safe_path = "choose a name of at most 63 characters before the first release that creates it"

    def _check_name(self, ctx, event, kind: str, name: str, table_name: str, *, column=None, location=None) -> None:
        if len(name) <= PGSQL_MAX and name.isascii():  # (most names: short on every platform, nothing to work out)
            return
        severity = _severity(name, ctx.platform, kind)
        if severity is None:
            return
        if ctx.platform == "pgsql" and kind == "sequence":
            limit = f"PostgreSQL cuts it to {PGSQL_MAX} bytes; that works until another sequence shares the prefix"
        elif ctx.platform == "pgsql":
            limit = f"PostgreSQL cuts it to {PGSQL_MAX} bytes, so the database holds another name than the schema"
        elif severity == ERROR:
            limit = f"MySQL refuses names over {MYSQL_MAX} characters"
        else:
            limit = f"MySQL accepts it, PostgreSQL would cut it to {PGSQL_MAX}"
        self.report(ctx, event, f"{table_name}: {kind} name {name!r} has {len(name)} characters; {limit}",
                    table=table_name, column=column, severity=severity, location=location, detail=f"{kind}:{name}")

    def _check_index(self, ctx, event, index, table_name: str) -> None:
        if index.provided_by == "mysql-fk-index":
            return  # named after its foreign key, which is checked itself
        name = index.name[: PGSQL_MAX if ctx.platform == "pgsql" else MYSQL_MAX]  # as `Index::getName` emits it
        self._check_name(ctx, event, "index", name, table_name, location=index.origin or event.head.origin)

    def check(self, event, ctx) -> None:
        if isinstance(event, (TableAdded, TableRenamed)):
            t = event.head
            self._check_name(ctx, event, "table", t.name, t.name, location=t.origin)
            for c in t.columns.values():
                if len(c.name) > PGSQL_MAX or not c.name.isascii():  # (as `_check_name` skips the others)
                    self._check_name(ctx, event, "column", c.name, t.name, column=c.name, location=c.origin or t.origin)
            for i in (*t.indexes.values(), *t.uniques.values()):
                self._check_index(ctx, event, i, t.name)
            for fk in t.foreign_keys.values():
                if not fk.skip_sql:
                    self._check_name(ctx, event, "foreign key", fk.name, t.name, location=fk.origin or t.origin)
            if t.id_method_parameter and ctx.platform == "pgsql":
                self._check_name(ctx, event, "sequence", t.id_method_parameter, t.name,
                                 location=t.id_method_parameter_origin or t.origin)
        elif isinstance(event, ColumnAdded):
            self._check_name(ctx, event, "column", event.column.name, event.head.name, column=event.column.name)
        elif isinstance(event, ColumnRenamed):
            self._check_name(ctx, event, "column", event.after.name, event.head.name, column=event.after.name)
        elif isinstance(event, IndexAdded):
            self._check_index(ctx, event, event.index, event.head.name)
        elif isinstance(event, ForeignKeyAdded):
            self._check_name(ctx, event, "foreign key", event.foreign_key.name, event.head.name)
        elif isinstance(event, SequenceChanged) and event.after and ctx.platform == "pgsql":
            self._check_name(ctx, event, "sequence", event.after, event.head.name)

    INVALID = (
        Example(
            before=table("pyz_loyalty_account", col("points")),
            after=table("pyz_loyalty_account", col("points"),
                        col("points_collected_through_partner_programmes_since_last_tier_review")),
            expect=(expect("CL905", "pyz_loyalty_account", "points_collected_through_partner_programmes_since_last_tier_review"),),
            severity=ERROR,
            note="66 characters: MySQL refuses the ALTER TABLE",
        ),
        Example(
            before=table("pyz_loyalty_account", col("points")),
            after=table("pyz_loyalty_account", col("points"),
                        col("points_collected_through_partner_programmes_since_tier_review_12")),
            expect=(expect("CL905", "pyz_loyalty_account", "points_collected_through_partner_programmes_since_tier_review_12"),),
            severity=WARNING,
            note="exactly 64 characters: fine on MySQL, truncated on PostgreSQL",
        ),
        Example(
            before=table("pyz_loyalty_account", col("points")),
            after=table("pyz_loyalty_account", col("points"),
                        col("points_collected_through_partner_programmes_since_tier_review_12")),
            expect=(expect("CL905", "pyz_loyalty_account", "points_collected_through_partner_programmes_since_tier_review_12"),),
            severity=ERROR,
            platform="pgsql",
            note="the same 64-character column on PostgreSQL",
        ),
        Example(
            before="",
            after=table("pyz_loyalty_partner_programme_point_conversion_rate_history_entry",
                        col("rate", "DECIMAL", size="10", scale="4"),
                        '<id-method-parameter value="pyz_loyalty_partner_programme_point_conversion_rate_history_entry_pk_seq"/>',
                        idMethod="native"),
            expect=(expect("CL905", "pyz_loyalty_partner_programme_point_conversion_rate_history_entry", None),
                    expect("CL905", "pyz_loyalty_partner_programme_point_conversion_rate_history_entry",
                           "id_loyalty_partner_programme_point_conversion_rate_history_entry")),
            platform="pgsql",
            note="a new 65-character table, its 64-character key column and its 72-character sequence",
        ),
        Example(
            before=table("pyz_loyalty_transaction", col("fk_account")) + table("pyz_loyalty_account"),
            after=table("pyz_loyalty_transaction", col("fk_account"),
                        '<foreign-key name="pyz_loyalty_transaction-fk_loyalty_account-referencing-id_loyalty_account" '
                        'foreignTable="pyz_loyalty_account"><reference local="fk_account" foreign="id_account"/></foreign-key>')
            + table("pyz_loyalty_account"),
            expect=(expect("CL905", "pyz_loyalty_transaction", None),),
            note="Propel does not cut foreign key names",
        ),
    )
    VALID = (
        Example(
            before=table("pyz_loyalty_account", col("points")),
            after=table("pyz_loyalty_account", col("points"),
                        col("points_collected_through_partner_programmes_since_tier_review")),
            platform="pgsql",
            note="61 characters",
        ),
        Example(
            before=table("pyz_loyalty_account", col("points")),
            after=table("pyz_loyalty_account", col("points"),
                        '<index name="pyz_loyalty_account-index-on-points-for-the-monthly-partner-programme-report">'
                        '<index-column name="points"/></index>'),
            platform="pgsql",
            note="an index name is cut to 63 by Propel itself (Index::getName)",
        ),
        Example(
            before=table("pyz_loyalty_account",
                         col("points_collected_through_partner_programmes_since_last_tier_review")),
            after=table("pyz_loyalty_account",
                        col("points_collected_through_partner_programmes_since_last_tier_review"), col("tier")),
            note="the long name existed before: not introduced by this change",
        ),
    )
