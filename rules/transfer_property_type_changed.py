from __future__ import annotations

from compatlint.rule import Example, Rule, expect
from compatlint.transfers.events import PropertyChanged
from compatlint.transfers.examples import prop, transfer
from compatlint.transfers.model import type_kind  # judged by the generated PHP value: see value_kind

from ._common import ERROR

_SHAPE = frozenset({"type", "collection", "associative"})


def _why(before, after, changes) -> str:
    old, new = type_kind(before.type), type_kind(after.type)
    if "collection" in changes and "array" in (old, new):
        if "collection" in (old, new):
            return ("a plain PHP array becomes an `ArrayObject` of transfers or the reverse (`Item[]` is generated "
                    "as an `ArrayObject`, `array` and `string[]` as a plain array): code on either side gets the "
                    "other shape")
        return ("one value becomes a plain PHP array or the reverse: `fromArray` assigns V1's value as it comes, "
                "so V2 code typed for the new shape receives the old one")
    if "collection" in changes:
        return ("one value becomes a collection or the reverse: V2 builds an `ArrayObject` from what V1 sends "
                "as one value (or one transfer from V1's list), and code on either side gets the other shape")
    if "transfer" in (old, new) and old != new:
        return ("a scalar becomes a transfer or the reverse: `fromArray` builds a nested transfer from V1's value "
                "(or stores V1's array where V2 expects a scalar), and code typed for the new shape fails")
    if "type" in changes:
        return ("`fromArray` assigns scalars without conversion, so V2 code typed for the new type receives V1's "
                "old one (and the reverse)")
    return ("an associative collection keeps its keys, a plain one is renumbered: V1 and V2 read the same JSON "
            "with different keys")


class TransferPropertyTypeChanged(Rule):
    """A transfer property changes its type, becomes or stops being a collection, or changes `associative`.

    What it flags:
        In a transfer present at both revisions, a property whose `type` changes (`int` <-> `string`,
        scalar <-> transfer, one transfer for another), whose collection-ness changes (`Item` <->
        `Item[]`, a plain array <-> an `ArrayObject` of transfers, one value <-> an array), or whose
        `associative` flag changes. Type spellings of one PHP type are the same (`int`/`integer`,
        `bool`/`boolean`, `Item`/`ItemTransfer`), and so are `array`, `[]` and the typed scalar arrays
        (`string[]`, `int[]`, ...) against an untyped one: the generated transfer holds a plain PHP array
        for all of them, and only `Item[]` (a capitalised type) becomes an `ArrayObject` of transfers
        (spryker/spryker-core `Bundles/Transfer/src/Spryker/Zed/Transfer/Business/Model/Generator/
        ClassDefinition.php` L338-L354, L399-L402, L820-L823, L868-L871). Typed arrays with different
        elements (`int[]` -> `string[]`) are a type change.

    Why V1 breaks:
        V1 and V2 exchange transfers as JSON and rebuild them with `fromArray($data, true)`
        (spryker/spryker-core `Bundles/ZedRequest/src/Spryker/Shared/ZedRequest/Client/AbstractRequest.php`
        L162). `fromArray` assigns scalar values without type conversion, builds an `ArrayObject` for a
        collection and a nested transfer for a transfer type
        (`Bundles/Kernel/src/Spryker/Shared/Kernel/Transfer/AbstractTransfer.php` L172-L196): the side
        with the new type receives the old shape, and typed code or a strict setter fails, or reads a
        wrong value. Spryker: "You can't remove existing properties or change their type."
        (spryker/spryker-docs `.../structural-preparations/create-use-and-extend-the-transfer-objects.md`
        L274).

    Safe path:
        Release N: add a new property with the new type, fill both, deprecate the old one. Release N+1:
        read only the new property; remove the old one in a later release.

    Platforms:
        Same on MySQL and PostgreSQL: transfers travel as JSON between Yves/Glue and Zed.
    """

    code = "CL703"
    name = "transfer-property-type-changed"
    severity = ERROR
    handles = (PropertyChanged,)
    safe_path = ("release N: add a property with the new type next to the old one, fill both, deprecate the old "
                 "one; release N+1: read only the new property, remove the old one later")

    def check(self, event: PropertyChanged, ctx) -> None:
        changes = event.changes & _SHAPE
        if not changes:
            return
        before, after = event.before, event.after
        if changes == {"associative"}:
            change = f"associative {str(before.associative).lower()} -> {str(after.associative).lower()}"
        else:
            change = f"{before.type} -> {after.type}"
        self.report(ctx, event, f"{event.head.name}.{after.name} changes {change}: {_why(before, after, changes)}",
                    column=after.name)

    INVALID = (
        Example(before=transfer("LoyaltyAccount", prop("points", "int")),
                after=transfer("LoyaltyAccount", prop("points", "string")),
                expect=(expect("CL703", "LoyaltyAccount", "points"),), note="int -> string"),
        Example(before=transfer("LoyaltyAccount", prop("tier", "LoyaltyTier")),
                after=transfer("LoyaltyAccount", prop("tier", "LoyaltyTier[]")),
                expect=(expect("CL703", "LoyaltyAccount", "tier"),), note="one transfer -> a collection"),
        Example(before=transfer("LoyaltyAccount", prop("tier", "string")),
                after=transfer("LoyaltyAccount", prop("tier", "LoyaltyTier")),
                expect=(expect("CL703", "LoyaltyAccount", "tier"),), note="scalar -> transfer"),
        Example(before=transfer("LoyaltyAccount", prop("labels", "string[]", singular="label")),
                after=transfer("LoyaltyAccount", prop("labels", "string[]", singular="label", associative="true")),
                expect=(expect("CL703", "LoyaltyAccount", "labels"),), note="associative added"),
        Example(before=transfer("LoyaltyAccount", prop("tiers", "string[]")),
                after=transfer("LoyaltyAccount", prop("tiers", "LoyaltyTier[]")),
                expect=(expect("CL703", "LoyaltyAccount", "tiers"),),
                note="a plain array -> an `ArrayObject` of transfers"),
        Example(before=transfer("LoyaltyAccount", prop("codes", "int[]")),
                after=transfer("LoyaltyAccount", prop("codes", "string[]")),
                expect=(expect("CL703", "LoyaltyAccount", "codes"),), note="typed array elements int -> string"),
    )
    VALID = (
        Example(before=transfer("LoyaltyAccount", prop("points", "int"), prop("active", "bool")),
                after=transfer("LoyaltyAccount", prop("points", "integer"), prop("active", "boolean")),
                note="other spellings of the same PHP types"),
        Example(before=transfer("LoyaltyAccount", prop("tier", "LoyaltyTier")),
                after=transfer("LoyaltyAccount", prop("tier", "LoyaltyTierTransfer")),
                note="a transfer type with or without its suffix"),
        Example(before=transfer("LoyaltyAccount", prop("points", "int")),
                after=transfer("LoyaltyAccount", prop("points", "int", description="Points left.")),
                note="a description added"),
        Example(before=transfer("LoyaltyAccount", prop("labels", "string[]"), prop("codes", "array")),
                after=transfer("LoyaltyAccount", prop("labels", "array"), prop("codes", "string[]")),
                note="a typed scalar array and `array` are both a plain PHP array"),
    )
