from __future__ import annotations

from compatlint.rule import Example, Rule, expect
from compatlint.transfers.events import PropertyChanged, PropertyRemoved, PropertyRenamed
from compatlint.transfers.examples import PROJECT, prop, transfer, transfer_file

from ._common import ERROR, col, table

_SHAPE = frozenset({"type", "collection", "associative"})
_SCHEMA = "src/Pyz/Zed/LoyaltyStorage/Persistence/Propel/Schema/pyz_loyalty_storage.schema.xml"
_TRANSFERS = PROJECT.format(module="LoyaltyStorage", file="loyalty_storage")


def _storage_table(*extra: str) -> str:
    return table("pyz_loyalty_account_storage", col("fk_loyalty_account"), col("data", "LONGVARCHAR"),
                 '<behavior name="synchronization"><parameter name="resource" value="loyalty_account"/>'
                 '<parameter name="key_suffix_column" value="fk_loyalty_account"/></behavior>', *extra)


class StoredTransferChanged(Rule):
    """A property of a transfer that is also stored as JSON is removed, renamed or retyped.

    What it flags:
        A property removed, renamed or retyped (type, collection-ness, `associative`) in a transfer whose
        JSON outlives the deploy, or in a transfer nested in one: `QuoteTransfer` (in
        `spy_quote.quote_data`), the transfer a synchronization table's `data` holds (by Spryker's naming:
        `spy_product_abstract_storage` holds `ProductAbstractStorageTransfer`), and the transfers named
        in `[transfers] stored` of the configuration. Other transfers are left to CL702 and CL703.

    Why V1 breaks:
        Stored JSON keeps the shape it was written with. `spy_quote.quote_data` is
        `encodeJson($quoteTransfer->modifiedToArray(true, true))` (spryker/spryker-core
        `Bundles/Quote/src/Spryker/Zed/Quote/Persistence/Propel/Mapper/QuoteMapper.php` L64, L85-L93);
        a storage table's `data` is the publisher's `$transfer->toArray()`
        (`Bundles/ProductStorage/src/Spryker/Zed/ProductStorage/Business/Storage/ProductAbstractStorageWriter.php`
        L392-L402), synchronized to Redis/Search where V1 Yves/Glue read it. Storage and Search data
        structure is public API (spryker/spryker-docs
        `docs/dg/dev/architecture/module-api/declaration-of-module-apis-public-and-private.md` L43-L45).
        After the deploy V2 reads rows V1 wrote (the removed key is dropped by `fromArray($data, true)`,
        a retyped one arrives in its old shape), and V1 Yves/Glue read entries V2 republishes without the
        key they need, long after every service runs V2: old rows are not rewritten by the deploy.

    Safe path:
        Release N: add the new property next to the old one and write both; republish the storage
        data (or migrate the stored rows). Release N+1: stop reading the old property; remove it once
        no stored row or entry carries only the old shape.

    Platforms:
        Same on MySQL and PostgreSQL: the JSON is text in the database and in Redis/Search.
    """

    code = "CL705"
    name = "stored-transfer-changed"
    severity = ERROR
    handles = (PropertyRemoved, PropertyRenamed, PropertyChanged)
    safe_path = ("release N: add the new property next to the old one, write both and republish or migrate the "
                 "stored data; release N+1: stop reading the old property, remove it once no stored row has only "
                 "the old shape")

    def check(self, event, ctx) -> None:
        if event.stored_as is None:
            return
        if isinstance(event, PropertyChanged):
            if not event.changes & _SHAPE:
                return
            what = f"changes {event.before.type} -> {event.after.type}"
        elif isinstance(event, PropertyRenamed):
            what = f"is renamed to {event.after.name}"
        else:
            what = "is removed"
        name = event.before.name
        self.report(ctx, event, f"{event.base.name}.{name} {what}, and {event.base.name} is stored as JSON "
                    f"({event.stored_as}): rows and Storage/Search entries written before the deploy keep the old "
                    f"`{name}`, and V1 Yves/Glue reading what V2 writes miss it", column=name)

    INVALID = (
        Example(before=transfer("Quote", prop("loyaltyPoints", "int"), prop("items", "Item[]", singular="item")),
                after=transfer("Quote", prop("items", "Item[]", singular="item")),
                expect=(expect("CL705", "Quote", "loyaltyPoints"),), note="a property of QuoteTransfer removed"),
        Example(before={_SCHEMA: _storage_table(),
                        _TRANSFERS: transfer_file(transfer("LoyaltyAccountStorage", prop("points", "int"),
                                                           prop("tier", "LoyaltyTier")),
                                                  transfer("LoyaltyTier", prop("code", "string")))},
                after={_SCHEMA: _storage_table(),
                       _TRANSFERS: transfer_file(transfer("LoyaltyAccountStorage", prop("points", "int"),
                                                          prop("tier", "LoyaltyTier")),
                                                 transfer("LoyaltyTier", prop("code", "int")))},
                expect=(expect("CL705", "LoyaltyTier", "code"),),
                note="a transfer nested in the storage transfer of a synchronization table, retyped"),
    )
    VALID = (
        Example(before=transfer("LoyaltyAccount", prop("points", "int"), prop("legacyCode", "string")),
                after=transfer("LoyaltyAccount", prop("points", "int")),
                note="not stored: CL702's business"),
        Example(before=transfer("Quote", prop("items", "Item[]", singular="item")),
                after=transfer("Quote", prop("items", "Item[]", singular="item"), prop("loyaltyPoints", "int")),
                note="a property added to QuoteTransfer"),
    )
