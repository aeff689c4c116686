from __future__ import annotations

from compatlint.rule import Example, Rule, expect
from compatlint.transfers.events import PropertyChanged, TransferChanged
from compatlint.transfers.examples import prop, transfer

from ._common import INFO


class TransferDeprecated(Rule):
    """A transfer or a transfer property is marked `deprecated`: the safe first step before a removal.

    What it flags:
        `deprecated="..."` added to a `<transfer>` or a `<property>` present at both revisions. This is
        what compatlint recommends instead of a removal, reported as info so the plan is visible in review:
        the removal is then the contract step of a later release (CL701/CL702 report it as a warning).

    Why V1 breaks:
        It does not: the generated class keeps the property (the merged `deprecated` is only documentation,
        spryker/spryker-core `Bundles/Transfer/src/Spryker/Zed/Transfer/Business/Model/Generator/
        TransferDefinitionMerger.php` L246-L248, L335-L345), so V1 and V2 still exchange it. Removing it in
        the same release would break V1 (CL701, CL702).

    Safe path:
        Release N: deprecate and stop relying on it (this change). Release N+1: remove it, once no V1
        service sends or reads it.

    Platforms:
        Same on MySQL and PostgreSQL.
    """

    code = "CL706"
    name = "transfer-deprecated"
    severity = INFO
    handles = (TransferChanged, PropertyChanged)
    safe_path = "release N: deprecate and stop relying on it; release N+1: remove it once no V1 service uses it"

    def check(self, event, ctx) -> None:
        if "deprecated" not in event.changes:
            return
        if isinstance(event, TransferChanged):
            self.report(ctx, event, f"transfer {event.head.name} is deprecated ({event.head.deprecated}): the safe "
                        "first step; remove it in a later release, once no V1 service uses it", detail="transfer")
            return
        after = event.after
        self.report(ctx, event, f"{event.head.name}.{after.name} is deprecated ({after.deprecated}): the safe first "
                    "step; remove it in a later release, once no V1 service sends or reads it", column=after.name)

    INVALID = (
        Example(before=transfer("LoyaltyAccount", prop("legacyCode", "string"), prop("points", "int")),
                after=transfer("LoyaltyAccount", prop("legacyCode", "string", deprecated="Use points."),
                               prop("points", "int")),
                expect=(expect("CL706", "LoyaltyAccount", "legacyCode"),), note="a property deprecated"),
        Example(before=transfer("LoyaltyAccount", prop("points", "int")),
                after=transfer("LoyaltyAccount", prop("points", "int"), deprecated="Use LoyaltyWallet."),
                expect=(expect("CL706", "LoyaltyAccount"),), note="a transfer deprecated"),
    )
    VALID = (
        Example(before=transfer("LoyaltyAccount", prop("legacyCode", "string", deprecated="Use points.")),
                after=transfer("LoyaltyAccount", prop("legacyCode", "string", deprecated="Use points.")),
                note="already deprecated"),
        Example(before=transfer("LoyaltyAccount", prop("points", "int")),
                after=transfer("LoyaltyAccount", prop("points", "int"),
                               prop("legacyCode", "string", deprecated="Never use.")),
                note="a new property that is deprecated at once"),
    )
