from __future__ import annotations

from compatlint.rule import Example, Rule, expect

from ._common import WARNING, col, table


class SuppressionWithoutReason(Rule):
    """A suppression comment without `reason="..."` (it suppresses nothing until it says why).

    What it flags:
        `<!-- compatlint: allow CL102 -->` with no reason, while the configuration requires one
        (`require-reason = true`, the default). The directive is ignored, so the finding it meant to
        allow is still reported next to this one.

    Why V1 breaks:
        It does not; but a breaking schema change acknowledged without a reason gives the release
        manager nothing to check (which release made the column lazy, who agreed to the drop).

    Safe path:
        Add `reason="..."` naming the release or ticket that makes the change safe, or set
        `require-reason = false` in the configuration.

    Platforms:
        Both.
    """

    code = "CL906"
    name = "suppression-without-reason"
    severity = WARNING
    meta = True
    safe_path = 'add reason="..." to the comment'

    INVALID = (
        Example(
            before=table("pyz_loyalty_account", col("legacy_code", "VARCHAR")),
            after=table("pyz_loyalty_account", "<!-- compatlint: allow CL102 -->"),
            expect=(expect("CL906"),),
        ),
        Example(
            before=table("pyz_loyalty_account", col("legacy_code", "VARCHAR")),
            after="<!-- compatlint: allow-file column-dropped -->\n" + table("pyz_loyalty_account"),
            expect=(expect("CL906"),),
        ),
    )
    VALID = (
        Example(
            before=table("pyz_loyalty_account", col("legacy_code", "VARCHAR")),
            after=table("pyz_loyalty_account", '<!-- compatlint: allow CL102 reason="lazy since 2024.3" -->'),
        ),
        Example(
            before=table("pyz_loyalty_account", col("legacy_code", "VARCHAR")),
            after="<!-- compatlint: allow-file CL102 reason='lazy since 2024.3' -->\n" + table("pyz_loyalty_account"),
        ),
    )
