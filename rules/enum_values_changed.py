from __future__ import annotations

from compatlint.changes import VALUE_SET, ColumnChanged
from compatlint.rule import Example, Rule, expect

from ._common import ERROR, WARNING, col, table


def _listing(values: tuple[str, ...]) -> str:
    return ", ".join(values) or "(none)"


class EnumValuesChanged(Rule):
    """The `valueSet` of an ENUM or SET column changes, which moves no data but changes its meaning.

    What it flags:
        An ENUM or SET column (same type at both revisions) whose `valueSet` changes. Appending values at the
        end is a warning; reordering, removing, renaming or inserting values before the end is an error.
        Propel compares no valueSet (propelorm/Propel2 2.0.0-beta3
        `src/Propel/Generator/Model/Diff/ColumnComparator.php` L53-L108), so there is no DDL and no migration
        to notice. A change of the column's type away from ENUM/SET is CL203.

    Why V1 breaks:
        The database stores the 0-based position of the value in V1's `valueSet` (ENUM as TINYINT/INT2, SET as
        a bitmask of positions): the mutator stores `array_search($v, $valueSet)`
        (`src/Propel/Generator/Builder/Om/ObjectBuilder.php` L2289-L2311) and the DDL default is a position too
        (`src/Propel/Generator/Platform/DefaultPlatform.php` L461-L462). V1 and V2 then read the same number as
        different values. V1's getter throws `Unknown stored enum key` for a position its valueSet lacks
        (ObjectBuilder L1360-L1377; SET: `Unknown stored set key`, L1450), so even an appended value breaks V1
        reads as soon as V2 stores it.

    Safe path:
        Only ever append. Release N: append the value and let no V2 code write it yet. Release N+1 (every V1
        has the longer valueSet): start writing it. Never reorder or remove; to rename, add a new value and
        migrate the rows.

    Platforms:
        Same on MySQL and PostgreSQL: ENUM is TINYINT on MySQL and INT2 on PostgreSQL, SET is INT and INT4.
    """

    code = "CL207"
    name = "enum-values-changed"
    severity = ERROR
    handles = (ColumnChanged,)
    safe_path = ("only append: release N adds the value without writing it; release N+1 starts writing it; "
                 "never reorder or remove")

    def check(self, event: ColumnChanged, ctx) -> None:
        before, after = event.before, event.after
        if VALUE_SET not in event.changes or before.type != after.type or after.type not in ("ENUM", "SET"):
            return
        old, new = before.value_set or (), after.value_set or ()
        subject = f"{event.head.name}.{after.name}"
        key = "enum" if after.type == "ENUM" else "set"
        location = event.location_of(VALUE_SET)
        if len(new) > len(old) and new[: len(old)] == old:
            added = _listing(new[len(old):])
            self.report(ctx, event, f"{subject} {after.type} valueSet appends {added}: no DDL and the stored positions "
                        f"keep their meaning, but once V2 stores a new value V1's getter throws 'Unknown stored "
                        f"{key} key'", column=after.name, severity=WARNING, location=location)
            return
        details = []
        removed = [v for v in old if v not in new]
        if removed:
            details.append(f"removed {_listing(tuple(removed))}")
        moved = [v for v in old if v in new and old.index(v) != new.index(v)]
        if moved:
            details.append(f"moved {', '.join(f'{v} ({old.index(v)} -> {new.index(v)})' for v in moved)}")
        replaced = [f"{new[i]} takes position {i}" for i in range(min(len(old), len(new)))
                    if new[i] not in old and old[i] != new[i]]
        if replaced:
            details.append("; ".join(replaced))
        default = ""
        if after.default is not None and not after.default.is_expression and after.default.value in old:
            value = after.default.value
            if value in new and new.index(value) != old.index(value):
                default = (f"; the database default stays position {old.index(value)}, which V2 reads as "
                           f"{new[old.index(value)] if old.index(value) < len(new) else 'an unknown key'}")
        self.report(ctx, event, f"{subject} {after.type} valueSet changes from [{_listing(old)}] to [{_listing(new)}] "
                    f"({', '.join(details)}): the database stores positions, so existing rows change meaning without "
                    f"any DDL, and V1 and V2 read the same row differently{default}",
                    column=after.name, location=location)

    INVALID = (
        Example(
            before=table("spy_sales_order_address", col("salutation", "ENUM", valueSet="Mr, Mrs, Dr, Ms")),
            after=table("spy_sales_order_address", col("salutation", "ENUM", valueSet="Mr, Ms, Mrs, Dr")),
            expect=(expect("CL207", "spy_sales_order_address", "salutation"),),
            severity=ERROR,
            note="reordered",
        ),
        Example(
            before=table("spy_acl_rule", col("type", "ENUM", size="10", valueSet="allow,deny", required="true")),
            after=table("spy_acl_rule", col("type", "ENUM", size="10", valueSet="allow,deny,audit", required="true")),
            expect=(expect("CL207", "spy_acl_rule", "type"),),
            platform="pgsql",
            severity=WARNING,
            note="appended: positions keep their meaning, but V1 throws on the new one",
        ),
        Example(
            before=table("pyz_content_banner", col("status", "ENUM", valueSet="draft, published, archived",
                                                   required="true", defaultValue="published")),
            after=table("pyz_content_banner", col("status", "ENUM", valueSet="published, archived",
                                                  required="true", defaultValue="published")),
            expect=(expect("CL207", "pyz_content_banner", "status"),),
            severity=ERROR,
            note="removed: every position shifts, and the DB default (1) now means archived",
        ),
        Example(
            before=table("pyz_notification_setting", col("channels", "SET", valueSet="email, sms")),
            after=table("pyz_notification_setting", col("channels", "SET", valueSet="email, push, sms")),
            expect=(expect("CL207", "pyz_notification_setting", "channels"),),
            platform="pgsql",
            severity=ERROR,
            note="inserted before the end: the sms bit now means push",
        ),
    )
    VALID = (
        Example(
            before=table("spy_acl_rule", col("type", "ENUM", valueSet="allow,deny")),
            after=table("spy_acl_rule", col("type", "ENUM", valueSet="allow, deny")),
            note="Propel trims every value: the same valueSet",
        ),
        Example(
            before=table("spy_acl_rule", col("type", "ENUM", valueSet="allow,deny")),
            after=table("spy_acl_rule", col("type", "VARCHAR", size="10")),
            note="the type itself changes: CL203",
        ),
        Example(
            before=table("spy_sales_order_address", col("salutation", "ENUM", valueSet="Mr, Mrs, Dr, Ms")),
            after=table("spy_sales_order_address", col("salutation", "ENUM", valueSet="Mr, Mrs, Dr, Ms",
                                                        required="true")),
            platform="pgsql",
            note="only nullability changes (CL202)",
        ),
    )
