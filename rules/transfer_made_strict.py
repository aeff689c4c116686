from __future__ import annotations

from compatlint.rule import Example, Rule, expect
from compatlint.transfers.events import PropertyChanged, TransferChanged
from compatlint.transfers.examples import prop, transfer

from ._common import WARNING


class TransferMadeStrict(Rule):
    """A transfer or one of its properties becomes `strict`.

    What it flags:
        `strict="true"` added to a `<transfer>` (reported once for the transfer) or to a `<property>` of a
        transfer present at both revisions.

    Why V1 breaks:
        Strict mode changes the generated class, not the JSON: getters get a declared return type
        (`?int`, `?string`, `ArrayObject` ...) and setters a parameter type (spryker/spryker-core
        `Bundles/Transfer/src/Spryker/Zed/Transfer/Business/Model/Generator/ClassDefinition.php` L878-L882,
        L1504-L1556, L1580-L1600), and `fromArray` checks that a strict transfer-typed value is a transfer
        (`Bundles/Kernel/src/Spryker/Shared/Kernel/Transfer/AbstractTransfer.php` L184-L189, L205-L216).
        V1 Yves/Glue keep sending what they sent before, and `fromArray` assigns scalars without
        conversion (L192): a number sent as a string, or a scalar where the type says array, now makes
        V2's typed getter throw a `TypeError`, which V1 sees as a failed Zed call.

    Safe path:
        Release N: make every writer (V1 included) send the property with its declared type. Release
        N+1: add `strict="true"`.

    Platforms:
        Same on MySQL and PostgreSQL: transfers travel as JSON between Yves/Glue and Zed.
    """

    code = "CL704"
    name = "transfer-made-strict"
    severity = WARNING
    handles = (TransferChanged, PropertyChanged)
    safe_path = ("release N: make every writer, V1 included, send the properties with their declared types; "
                 "release N+1: add strict=\"true\"")

    def check(self, event, ctx) -> None:
        if "strict-added" not in event.changes:
            return
        if isinstance(event, TransferChanged):
            self.report(ctx, event, f"transfer {event.head.name} becomes strict: its typed getters and setters "
                        "throw a TypeError on values of another type that V1 Yves/Glue may still send",
                        detail="transfer")
            return
        if event.head.strict and not event.base.strict:
            return  # reported once, for the transfer
        after = event.after
        self.report(ctx, event, f"{event.head.name}.{after.name} ({after.type}) becomes strict: its typed getter "
                    "and setter throw a TypeError on a value of another type that V1 Yves/Glue may still send",
                    column=after.name)

    INVALID = (
        Example(before=transfer("LoyaltyAccount", prop("points", "int")),
                after=transfer("LoyaltyAccount", prop("points", "int"), strict="true"),
                expect=(expect("CL704", "LoyaltyAccount"),), note="the transfer becomes strict"),
        Example(before=transfer("LoyaltyAccount", prop("points", "int"), prop("tier", "LoyaltyTier")),
                after=transfer("LoyaltyAccount", prop("points", "int"), prop("tier", "LoyaltyTier", strict="true")),
                expect=(expect("CL704", "LoyaltyAccount", "tier"),), note="one property becomes strict"),
    )
    VALID = (
        Example(before=transfer("LoyaltyAccount", prop("points", "int"), strict="true"),
                after=transfer("LoyaltyAccount", prop("points", "int"), strict="true"),
                note="already strict"),
        Example(before=transfer("LoyaltyAccount", prop("points", "int")),
                after=transfer("LoyaltyAccount", prop("points", "int"),
                               prop("tier", "LoyaltyTier", strict="true")),
                note="a new strict property: no V1 sender of it exists"),
        Example(before=transfer("LoyaltyAccount", prop("points", "int"), strict="true"),
                after=transfer("LoyaltyAccount", prop("points", "int")),
                note="strictness removed: the generated class accepts more"),
    )
