from __future__ import annotations

from compatlint.rule import Example, Rule, expect

from ._common import INFO, col, table


class UnusedSuppression(Rule):
    """A suppression comment that matched no finding.

    What it flags:
        A well-formed `compatlint: allow ...` directive (with a reason) under which no finding of the
        named rules was reported in this comparison: the change it acknowledged is gone, or it sits on
        the wrong element. Like ruff's RUF100, it keeps suppressions from outliving their purpose.

    Why V1 breaks:
        It does not; a stale suppression can hide a later, unrelated breaking change on the same element.

    Safe path:
        Remove the comment once the release it was written for has shipped.

    Platforms:
        Both.
    """

    code = "CL904"
    name = "unused-suppression"
    severity = INFO
    meta = True
    safe_path = "delete the stale suppression comment"

    INVALID = (
        Example(
            before=table("pyz_loyalty_account", col("points", "INTEGER")),
            after=table("pyz_loyalty_account", '<!-- compatlint: allow CL102 reason="old" -->', col("points", "INTEGER")),
            expect=(expect("CL904"),),
        ),
        Example(
            before=table("pyz_loyalty_account", col("points", "INTEGER")),
            after='<!-- compatlint: allow CL101 table="pyz_gone" reason="removed in 2023" -->\n'
                  + table("pyz_loyalty_account", col("points", "INTEGER")),
            expect=(expect("CL904"),),
        ),
    )
    VALID = (
        Example(
            before=table("pyz_loyalty_account", col("legacy_code", "VARCHAR")),
            after=table("pyz_loyalty_account", '<!-- compatlint: allow CL102 reason="lazy since 2024.3" -->'),
        ),
        Example(
            before=table("pyz_loyalty_account", col("points", "INTEGER")) + table("pyz_old", col("a")),
            after='<!-- compatlint: allow table-dropped table="pyz_old" reason="unused since 2023" -->\n'
                  + table("pyz_loyalty_account", col("points", "INTEGER")),
        ),
    )
