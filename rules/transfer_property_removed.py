from __future__ import annotations

from compatlint.rule import Example, Rule, expect
from compatlint.transfers.events import PropertyRemoved, PropertyRenamed
from compatlint.transfers.examples import CORE, PROJECT, prop, transfer, transfer_file

from ._common import ERROR, WARNING

_CUSTOMER_CORE = CORE.format(package="customer", module="Customer", file="customer")
_CUSTOMER_PROJECT = PROJECT.format(module="Customer", file="customer")


class TransferPropertyRemoved(Rule):
    """A property of a transfer object is removed or renamed.

    What it flags:
        A property present in the merged transfer at the base revision and gone at the head revision
        (all files that declared it dropped it); a property that disappears while one of the same type
        appears in the same transfer is reported as renamed. A property that only moves between files
        (e.g. from a project file onto the core definition) is not flagged. When the base already marked
        it `deprecated`, the removal is the planned contract step and is a warning.

    Why V1 breaks:
        No error shows: the data is lost. V1 and V2 exchange transfers as JSON
        (spryker/spryker-docs `docs/dg/dev/backend-development/client/client.md` L37); the receiving side
        calls `fromArray($data, true)` (spryker/spryker-core
        `Bundles/ZedRequest/src/Spryker/Shared/ZedRequest/Client/AbstractRequest.php` L162,
        `.../Client/AbstractResponse.php` L250-L254), which skips keys it does not know without a word
        (`Bundles/Kernel/src/Spryker/Shared/Kernel/Transfer/AbstractTransfer.php` L172-L177, L338-L346).
        So V2 Zed drops what V1 Yves/Glue send in the property, and V1 reads null where V2 no longer
        sends it. Spryker's rule: "You can't remove existing properties or change their type."
        (`docs/dg/dev/backend-development/data-manipulation/data-ingestion/structural-preparations/`
        `create-use-and-extend-the-transfer-objects.md` L274).

    Safe path:
        Release N: keep the property, mark it `deprecated="..."` and stop relying on it (for a rename:
        add the new property and fill both). Release N+1: remove it, once no V1 service sends or reads it.

    Platforms:
        Same on MySQL and PostgreSQL: transfers travel as JSON between Yves/Glue and Zed.
    """

    code = "CL702"
    name = "transfer-property-removed"
    severity = ERROR
    handles = (PropertyRemoved, PropertyRenamed)
    safe_path = ("release N: keep the property, mark it deprecated and stop relying on it (for a rename, add the "
                 "new property and fill both); release N+1: remove it once no V1 service sends or reads it")

    def check(self, event, ctx) -> None:
        old = event.before
        subject = f"{event.base.name}.{old.name} ({old.type})"
        if isinstance(event, PropertyRenamed):
            message = (f"{subject} is renamed to {event.after.name}: V2's `fromArray($data, true)` silently drops "
                       f"the `{old.name}` that V1 Yves/Glue send, and V1 drops the `{event.after.name}` V2 sends, "
                       "so both sides lose the value without an error")
        else:
            message = (f"{subject} is removed: V2's `fromArray($data, true)` silently drops the `{old.name}` that "
                       "V1 Yves/Glue still send, and V1 reads null where V2 no longer sends it: data loss without "
                       "an error")
        deprecated = old.deprecated is not None
        if deprecated:
            message += "; it was deprecated at the base revision, so this is the contract step: safe once no V1 " \
                       "service reads or writes it"
        self.report(ctx, event, message, column=old.name, severity=WARNING if deprecated else ERROR)

    INVALID = (
        Example(before=transfer("LoyaltyAccount", prop("idLoyaltyAccount", "int"), prop("legacyCode", "string")),
                after=transfer("LoyaltyAccount", prop("idLoyaltyAccount", "int")),
                expect=(expect("CL702", "LoyaltyAccount", "legacyCode"),), note="property removed"),
        Example(before=transfer("LoyaltyAccount", prop("pointsTotal", "int")),
                after=transfer("LoyaltyAccount", prop("pointsBalance", "int")),
                expect=(expect("CL702", "LoyaltyAccount", "pointsTotal"),), note="renamed: same type, new name"),
        Example(before={_CUSTOMER_CORE: transfer_file(transfer("Customer", prop("email", "string"))),
                        _CUSTOMER_PROJECT: transfer_file(transfer("Customer", prop("loyaltyLevel", "int")))},
                after={_CUSTOMER_CORE: transfer_file(transfer("Customer", prop("email", "string")))},
                expect=(expect("CL702", "Customer", "loyaltyLevel"),),
                note="a project property merged onto a core transfer, removed with its file"),
        Example(before=transfer("LoyaltyAccount", prop("legacyCode", "string", deprecated="Not used."),
                                prop("points", "int")),
                after=transfer("LoyaltyAccount", prop("points", "int")),
                expect=(expect("CL702", "LoyaltyAccount", "legacyCode"),), severity=WARNING,
                note="deprecated at base: the contract step, a warning"),
    )
    VALID = (
        Example(before={_CUSTOMER_CORE: transfer_file(transfer("Customer", prop("email", "string"))),
                        _CUSTOMER_PROJECT: transfer_file(transfer("Customer", prop("email", "string"),
                                                                  prop("loyaltyLevel", "int")))},
                after={_CUSTOMER_CORE: transfer_file(transfer("Customer", prop("email", "string"))),
                       _CUSTOMER_PROJECT: transfer_file(transfer("Customer", prop("loyaltyLevel", "int")))},
                note="the project file no longer repeats a core property: the merged transfer keeps it"),
        Example(before=transfer("LoyaltyAccount", prop("points", "int")),
                after=transfer("LoyaltyAccount", prop("points", "int"), prop("tier", "LoyaltyTier")),
                note="a property added"),
        Example(before=transfer("LoyaltyAccount", prop("Points", "int")),
                after=transfer("LoyaltyAccount", prop("points", "int")),
                note="property names are lcfirst'ed when loaded"),
    )
