from __future__ import annotations

from compatlint.rule import Example, Rule, expect
from compatlint.transfers.events import TransferRemoved, TransferRenamed
from compatlint.transfers.examples import PROJECT, prop, transfer, transfer_file

from ._common import ERROR, WARNING

_LOYALTY = transfer("LoyaltyAccount", prop("idLoyaltyAccount", "int"), prop("pointsBalance", "int"))
_TIER = transfer("LoyaltyTier", prop("name", "string"))


class TransferRemovedRule(Rule):
    """A transfer object present at the base revision is gone (or renamed) at the head revision.

    What it flags:
        A transfer name (merged over all `*.transfer.xml` files, `Transfer` suffix dropped) that no file
        declares any more; a transfer that reappears under another name with the same properties is
        reported as renamed. A transfer that only moves to another file or module is not flagged. When
        the base already marked the transfer `deprecated`, the removal is the planned contract step and is
        a warning.

    Why V1 breaks:
        During `Deploy_Spryker_services` V1 and V2 services call each other in random combinations
        (spryker/spryker-docs `docs/ca/dev/configure-deployment-pipelines/deployment-in-states.md` L157).
        A Zed RPC request carries `transferClassName` = `get_class($transferObject)`
        (spryker/spryker-core `Bundles/ZedRequest/src/Spryker/Shared/ZedRequest/Client/AbstractRequest.php`
        L179) and the receiving side rebuilds it with `new $transferClassName()` (L209-L212), the response
        the same way on the Client: the side that lacks the class fails every such call. Transfer objects
        are public API (`docs/dg/dev/architecture/module-api/declaration-of-module-apis-public-and-private.md`
        L43-L45).

    Safe path:
        Release N: mark the transfer `deprecated="..."` and stop using it (for a rename: add the new
        transfer and use it, keep the old one). Release N+1: remove it, once no V1 service sends or
        expects it.

    Platforms:
        Same on MySQL and PostgreSQL: transfers travel as JSON between Yves/Glue and Zed.
    """

    code = "CL701"
    name = "transfer-removed"
    severity = ERROR
    handles = (TransferRemoved, TransferRenamed)
    safe_path = ("release N: mark the transfer deprecated and stop using it (for a rename, add the new transfer "
                 "next to the old one); release N+1: remove it once no V1 service sends or expects it")

    def check(self, event, ctx) -> None:
        old = event.base
        deprecated = old.deprecated is not None
        if isinstance(event, TransferRenamed):
            what = (f"transfer {old.name} is renamed to {event.head.name} (same properties): a V1 service still "
                    f"sends and expects {old.class_name}, and `new $transferClassName()` fails on the V2 side, "
                    f"which only has {event.head.class_name} (and the reverse)")
        else:
            what = (f"transfer {old.name} is removed: a V1 Yves/Glue request or Zed response naming "
                    f"{old.class_name} makes the V2 side's `new $transferClassName()` fail")
        if deprecated:
            what += "; it was deprecated at the base revision, so this is the contract step: safe once no V1 " \
                    "service uses it any more"
        self.report(ctx, event, what, severity=WARNING if deprecated else ERROR, detail="transfer")

    INVALID = (
        Example(before={PROJECT.format(module="Loyalty", file="loyalty"): transfer_file(_LOYALTY, _TIER)},
                after={PROJECT.format(module="Loyalty", file="loyalty"): transfer_file(_TIER)},
                expect=(expect("CL701", "LoyaltyAccount"),), note="a transfer removed"),
        Example(before=_LOYALTY,
                after=transfer("LoyaltyWallet", prop("idLoyaltyAccount", "int"), prop("pointsBalance", "int")),
                expect=(expect("CL701", "LoyaltyAccount"),), note="renamed: same properties, other name"),
        Example(before=transfer("LoyaltyAccount", prop("pointsBalance", "int"), deprecated="Use LoyaltyWallet."),
                after=transfer("LoyaltyTier", prop("name", "string")),
                expect=(expect("CL701", "LoyaltyAccount"),), severity=WARNING,
                note="deprecated at base: the contract step, a warning"),
    )
    VALID = (
        Example(before={PROJECT.format(module="Loyalty", file="loyalty"): transfer_file(_LOYALTY, _TIER)},
                after={PROJECT.format(module="Loyalty", file="loyalty"): transfer_file(_TIER),
                       PROJECT.format(module="LoyaltyAccount", file="loyalty_account"): transfer_file(_LOYALTY)},
                note="moved to another module: the same class is generated"),
        Example(before=_LOYALTY, after=_LOYALTY.replace('name="LoyaltyAccount"', 'name="LoyaltyAccountTransfer"'),
                note="the Transfer suffix is dropped when transfers are merged"),
        Example(before=_TIER, after=_TIER + "\n" + _LOYALTY, note="a transfer added"),
    )
