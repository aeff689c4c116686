from __future__ import annotations

from compatlint.changes import ForeignKeyChanged
from compatlint.diff import fk_action_with_default
from compatlint.rule import Example, Rule, expect

from ._common import renamed_columns as _renames, INFO, WARNING, col, table

# Actions that refuse the delete/update of a referenced row; PostgreSQL's unset action is NO ACTION.
_BLOCKING = {"", "RESTRICT", "NO ACTION"}




def _shown(action: str) -> str:
    return action or "NO ACTION (unset)"


def _fk(foreign_table: str, local: str, foreign: str, **attrs: str) -> str:
    extra = "".join(f' {k}="{v}"' for k, v in attrs.items())
    return (f'<foreign-key foreignTable="{foreign_table}"{extra}>'
            f'<reference local="{local}" foreign="{foreign}"/></foreign-key>')


class ForeignKeyActionChanged(Rule):
    """A foreign key keeps its columns but its onDelete or onUpdate action changes.

    What it flags:
        A foreign key present at both revisions under the same name, with the same foreign table and
        columns, whose `onDelete` or `onUpdate` differs as Propel compares them (unset means the
        platform default: RESTRICT on MySQL, none on PostgreSQL). The message says whether the action
        became stricter (CASCADE/SET NULL to RESTRICT/NO ACTION), looser (the reverse) or different
        (CASCADE to SET NULL and back); those are warnings. A move among RESTRICT, NO ACTION and (on
        PostgreSQL) unset refuses the same deletes and is reported as info: Propel still drops and
        re-adds the constraint. The finding names the first local column. Other column or table
        changes are CL302.

    Why V1 breaks:
        `ForeignKeyComparator::computeDiff` compares `getOnUpdateWithDefault()` and
        `getOnDeleteWithDefault()` (propelorm/Propel2 2.0.0-beta3
        `src/Propel/Generator/Model/Diff/ForeignKeyComparator.php` L60-L70; MySQL's default is in
        effect RESTRICT, since `getMajorServerVersionNumber` reads "8.0" as 0, `Platform/MysqlPlatform.php`
        L1068-L1118), and a modified key is dropped and re-added
        with the new `ON UPDATE`/`ON DELETE` clauses (`Platform/DefaultPlatform.php` L746-L771). V1 code
        was written for the old action: made stricter, V1 deletes of a parent row that relied on the
        cascade (or on SET NULL) now fail while child rows exist; made looser, a V1 delete that used to
        be refused now silently deletes or empties child rows V1 expected to protect the parent.

    Safe path:
        Stricter: release N: make V1 delete or detach the child rows itself; release N+1: tighten the
        action. Looser: make sure no V1 code relies on the refusal (e.g. to keep referenced rows) before
        loosening it.

    Platforms:
        MySQL (InnoDB) treats RESTRICT and NO ACTION alike, and Propel takes an unset action as
        RESTRICT there, so unset <-> RESTRICT is no change at all and RESTRICT <-> NO ACTION only a
        re-added constraint (info). On PostgreSQL an unset action is NO ACTION (checked at the end of
        the statement) while RESTRICT checks at once; Propel compares the raw values, so a switch among
        them is a constraint drop and re-add with a full validation scan of the table, reported as info.
    """

    code = "CL303"
    name = "foreign-key-action-changed"
    severity = WARNING
    handles = (ForeignKeyChanged,)
    safe_path = ("stricter: release N: make V1 remove child rows itself, release N+1: tighten the action; "
                 "looser: check that no V1 code relies on the refusal first")

    def check(self, event: ForeignKeyChanged, ctx) -> None:
        before, after = event.before, event.after
        renames = _renames(ctx, event.base.name)
        same_columns = (
            sorted(renames.get(c, c).lower() for c in before.local_columns) == sorted(c.lower() for c in after.local_columns)
            and sorted(c.lower() for c in before.foreign_columns) == sorted(c.lower() for c in after.foreign_columns)
        )
        if before.skip_sql or after.skip_sql or before.foreign_table != after.foreign_table or not same_columns:
            return  # another target or columns: CL302
        parts, severity = [], INFO
        parent, child = after.foreign_table, event.head.name
        effect = {"CASCADE": f"cascade to the {child} rows", "SET NULL": f"set the {child} reference to NULL",
                  "SET DEFAULT": f"reset the {child} reference to its default"}
        for label, verb, old, new in (("ON DELETE", "deletes", before.on_delete, after.on_delete),
                                      ("ON UPDATE", "key updates", before.on_update, after.on_update)):
            old, new = fk_action_with_default(old, ctx.platform), fk_action_with_default(new, ctx.platform)
            if old == new:
                continue
            if old in _BLOCKING and new in _BLOCKING:
                kind = f"equivalent: the same {verb} are refused"
            elif new in _BLOCKING:
                kind = (f"stricter: V1 {verb} of {parent} rows that relied on it now fail while {child} rows "
                        "refer to them")
                severity = WARNING
            elif old in _BLOCKING:
                kind = f"looser: V1 {verb} of {parent} rows are no longer refused but {effect.get(new, new)}"
                severity = WARNING
            else:
                kind = f"different: V1 {verb} of {parent} rows now {effect.get(new, new)}, not {effect.get(old, old)}"
                severity = WARNING
            parts.append(f"{label} {_shown(old)} -> {_shown(new)} ({kind})")
        if not parts:
            return
        self.report(ctx, event, f"{child}: foreign key {after.name} -> {parent}: "
                    + "; ".join(parts), column=after.local_columns[0] if after.local_columns else None,
                    severity=severity, detail=after.name)

    INVALID = (
        Example(
            before=table("pyz_loyalty_transaction", col("fk_account"),
                         _fk("pyz_loyalty_account", "fk_account", "id_account",
                             name="pyz_loyalty_transaction-fk_account", onDelete="CASCADE"))
            + table("pyz_loyalty_account"),
            after=table("pyz_loyalty_transaction", col("fk_account"),
                        _fk("pyz_loyalty_account", "fk_account", "id_account",
                            name="pyz_loyalty_transaction-fk_account"))
            + table("pyz_loyalty_account"),
            expect=(expect("CL303", "pyz_loyalty_transaction", "fk_account"),),
            severity=WARNING,
            note="CASCADE removed: RESTRICT on MySQL, V1 account deletes now fail",
        ),
        Example(
            before=table("pyz_loyalty_voucher", col("fk_sales_order"),
                         _fk("pyz_sales_order", "fk_sales_order", "id_order", name="pyz_loyalty_voucher-fk_sales_order"))
            + table("pyz_sales_order"),
            after=table("pyz_loyalty_voucher", col("fk_sales_order"),
                        _fk("pyz_sales_order", "fk_sales_order", "id_order", name="pyz_loyalty_voucher-fk_sales_order",
                            onDelete="SETNULL"))
            + table("pyz_sales_order"),
            expect=(expect("CL303", "pyz_loyalty_voucher", "fk_sales_order"),),
            platform="pgsql",
            severity=WARNING,
            note="looser: deleting an order now empties the voucher's reference",
        ),
        Example(
            before=table("pyz_loyalty_voucher", col("fk_sales_order"),
                         _fk("pyz_sales_order", "fk_sales_order", "id_order", name="pyz_loyalty_voucher-fk_sales_order",
                             onDelete="RESTRICT"))
            + table("pyz_sales_order"),
            after=table("pyz_loyalty_voucher", col("fk_sales_order"),
                        _fk("pyz_sales_order", "fk_sales_order", "id_order", name="pyz_loyalty_voucher-fk_sales_order"))
            + table("pyz_sales_order"),
            expect=(expect("CL303", "pyz_loyalty_voucher", "fk_sales_order"),),
            platform="pgsql",
            severity=INFO,
            note="PostgreSQL: RESTRICT -> unset (NO ACTION) refuses the same deletes, but Propel re-adds the key",
        ),
    )
    VALID = (
        Example(
            before=table("pyz_loyalty_voucher", col("fk_sales_order"),
                         _fk("pyz_sales_order", "fk_sales_order", "id_order", name="pyz_loyalty_voucher-fk_sales_order",
                             onDelete="RESTRICT"))
            + table("pyz_sales_order"),
            after=table("pyz_loyalty_voucher", col("fk_sales_order"),
                        _fk("pyz_sales_order", "fk_sales_order", "id_order", name="pyz_loyalty_voucher-fk_sales_order"))
            + table("pyz_sales_order"),
            note="MySQL: an unset action is RESTRICT, so Propel sees no change",
        ),
        Example(
            before=table("pyz_loyalty_transaction", col("fk_account"),
                         _fk("pyz_loyalty_account", "fk_account", "id_account", name="pyz_loyalty_transaction-fk_account"))
            + table("pyz_loyalty_account") + table("pyz_loyalty_wallet"),
            after=table("pyz_loyalty_transaction", col("fk_account"),
                        _fk("pyz_loyalty_wallet", "fk_account", "id_wallet", name="pyz_loyalty_transaction-fk_account",
                            onDelete="CASCADE"))
            + table("pyz_loyalty_account") + table("pyz_loyalty_wallet"),
            platform="pgsql",
            note="another foreign table: CL302, even though the action changes too",
        ),
        Example(
            before=table("pyz_loyalty_transaction", col("fk_account"),
                         _fk("pyz_loyalty_account", "fk_account", "id_account", onDelete="SETNULL"))
            + table("pyz_loyalty_account"),
            after=table("pyz_loyalty_transaction", col("fk_account"),
                        _fk("pyz_loyalty_account", "fk_account", "id_account", onDelete="SET NULL"))
            + table("pyz_loyalty_account"),
            note="SETNULL and SET NULL are the same action after Propel's normalisation",
        ),
    )
