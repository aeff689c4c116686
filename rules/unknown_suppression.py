from __future__ import annotations

from compatlint.rule import Example, Rule, expect

from ._common import WARNING, col, table


class UnknownSuppression(Rule):
    """A suppression comment names a rule code or name that does not exist.

    What it flags:
        `<!-- compatlint: allow CL999 reason="..." -->` or `-- compatlint: allow no-such-rule ...`:
        a directive naming something that is neither a rule code, a rule name nor an alias
        (`compatlint rules` lists them). A typo would otherwise silently suppress nothing.

    Why V1 breaks:
        It does not by itself; but the finding the author meant to acknowledge is still reported
        (or, worse, the author believes a breaking change was reviewed when it was not).

    Safe path:
        Fix the code or name in the comment; `compatlint explain CODE` shows the rule.

    Platforms:
        Both.
    """

    code = "CL903"
    name = "unknown-suppression"
    severity = WARNING
    meta = True
    safe_path = "write an existing rule code or name (see `compatlint rules`)"

    INVALID = (
        Example(
            before=table("pyz_loyalty_account", col("points", "INTEGER")),
            after=table("pyz_loyalty_account", '<!-- compatlint: allow CL999 reason="typo" -->', col("points", "INTEGER")),
            expect=(expect("CL903"),),
        ),
        Example(
            before=table("pyz_loyalty_account", col("legacy_code", "VARCHAR")),
            after=table("pyz_loyalty_account", '<!-- compatlint: allow column-dopped reason="released" -->'),
            expect=(expect("CL903"),),
        ),
    )
    VALID = (
        Example(
            before=table("pyz_loyalty_account", col("legacy_code", "VARCHAR")),
            after=table("pyz_loyalty_account", '<!-- compatlint: allow column-dropped reason="lazy since 2024.3" -->'),
        ),
        Example(
            before=table("pyz_loyalty_account", col("legacy_code", "VARCHAR")),
            after=table("pyz_loyalty_account", '<!-- compatlint: allow CL102 reason="lazy since 2024.3" -->'),
        ),
    )
