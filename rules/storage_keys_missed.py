from __future__ import annotations

from compatlint.changes import BehaviorChanged
from compatlint.rule import Example, Rule, expect

from ._common import ERROR, col, table

BEHAVIOR = "synchronization"


def _key(behavior) -> str:
    """The key the synchronization behavior writes, in the placeholders a Spryker developer reads in Redis."""
    parts = [behavior.param("resource") or "{resource}"]
    if behavior.param("store") is not None:
        parts.append("{store}")
    if behavior.param("locale") is not None:
        parts.append("{locale}")
    suffix = behavior.param("key_suffix_column")
    parts.append(f"{{{suffix}}}" if suffix else "{reference}")
    return ":".join(parts)


def _sync(*params: tuple[str, str | None]) -> str:
    inner = "".join(f'<parameter name="{n}" required="true"/>' if v is None else f'<parameter name="{n}" value="{v}"/>'
                    for n, v in params)
    return f'<behavior name="{BEHAVIOR}">{inner}</behavior>'


class StorageKeysMissed(Rule):
    """V1 Yves/Glue storage readers build keys that V2's publishers no longer write.

    What it flags:
        On a table present at both revisions, a change of the Storage/Search key the `synchronization`
        behavior writes: `resource`, whether `store` or `locale` is part of it, or `key_suffix_column`; or
        the behavior removed. The message names the key V1 readers build and the key V2 writes, e.g.
        `product_abstract:{store}:{locale}:{fk_product_abstract}`. CL601 reports the same change as a
        contract warning (queues included); this rule says which reads miss.

    Why V1 breaks:
        A key is `resource[:store][:locale]:reference`, store and locale lower-cased
        (spryker/spryker-core `Bundles/Synchronization/src/Spryker/Service/Synchronization/Plugin/
        DefaultKeyGeneratorPlugin.php` L32-L50, `BaseKeyGenerator.php` L42-L61). A V1 Client reader builds
        it with its own compiled-in resource name, e.g. `ProductAbstractStorageReader::getStorageKey()`
        calls `getStorageKeyBuilder(ProductStorageConstants::PRODUCT_ABSTRACT_RESOURCE_NAME)->generateKey()`
        with the reference, locale and store it has (`Bundles/ProductStorage/src/Spryker/Client/
        ProductStorage/Storage/ProductAbstractStorageReader.php` L380-L390). Once V2's publishers run (from
        `Run_install` on, and when `scheduler:setup` republishes), what they publish lands under the new
        key: V1 Yves/Glue find nothing for new entities and stale data for changed ones until every V1
        service is gone. Storage and Search keys are public API (spryker/spryker-docs
        `docs/dg/dev/architecture/module-api/declaration-of-module-apis-public-and-private.md` L43-L45).

    Safe path:
        Release N: publish under both keys (a second storage table or resource with the new key) and make
        V2 readers try the new key first. Release N+1: switch the readers, then stop writing the old key.

    Platforms:
        Same on MySQL and PostgreSQL: the keys live in Redis/Key-Value Storage and Search.
    """

    code = "CL602"
    name = "storage-keys-missed"
    severity = ERROR
    handles = (BehaviorChanged,)
    safe_path = ("release N: publish under the old and the new key and make readers try the new one first; "
                 "release N+1: switch readers, then stop writing the old key")

    def check(self, event: BehaviorChanged, ctx) -> None:
        if event.name != BEHAVIOR or event.before is None:
            return
        old = _key(event.before)
        table_name = event.head.name
        reader = f"`getStorageKeyBuilder('{event.before.param('resource')}')->generateKey()`"
        if event.after is None:
            self.report(ctx, event, f"{table_name}: V2 stops publishing `{old}`: V1 Yves/Glue readers "
                        f"({reader}) get stale entries and nothing for what V2 creates", detail="storage-key")
            return
        new = _key(event.after)
        if new == old:
            return
        self.report(ctx, event, f"{table_name}: V1 Yves/Glue readers build `{old}` ({reader}), but V2 publishes "
                    f"`{new}`: what V2 publishes during the deploy is missing or stale for V1", detail="storage-key")

    INVALID = (
        Example(
            before=table("pyz_loyalty_account_storage", col("fk_loyalty_account"),
                         _sync(("resource", "loyalty_account"), ("key_suffix_column", "fk_loyalty_account"))),
            after=table("pyz_loyalty_account_storage", col("fk_loyalty_account"),
                        _sync(("resource", "loyalty_account"), ("store", None),
                              ("key_suffix_column", "fk_loyalty_account"))),
            expect=(expect("CL602", "pyz_loyalty_account_storage"),),
            note="store added: loyalty_account:{fk_loyalty_account} -> loyalty_account:{store}:{fk_loyalty_account}",
        ),
        Example(
            before=table("pyz_loyalty_tier_storage", col("fk_loyalty_tier"), col("tier_key", "VARCHAR", size="64"),
                         _sync(("resource", "loyalty_tier"), ("key_suffix_column", "fk_loyalty_tier"))),
            after=table("pyz_loyalty_tier_storage", col("fk_loyalty_tier"), col("tier_key", "VARCHAR", size="64"),
                        _sync(("resource", "loyalty_tier"), ("key_suffix_column", "tier_key"))),
            expect=(expect("CL602", "pyz_loyalty_tier_storage"),),
            platform="pgsql",
            note="the key is built from another column",
        ),
        Example(
            before=table("pyz_loyalty_tier_storage", col("fk_loyalty_tier"),
                         _sync(("resource", "loyalty_tier"), ("key_suffix_column", "fk_loyalty_tier"))),
            after=table("pyz_loyalty_tier_storage", col("fk_loyalty_tier")),
            expect=(expect("CL602", "pyz_loyalty_tier_storage"),),
            note="behavior removed: V2 stops publishing",
        ),
    )
    VALID = (
        Example(
            before=table("pyz_loyalty_tier_storage", col("fk_loyalty_tier"),
                         _sync(("resource", "loyalty_tier"), ("key_suffix_column", "fk_loyalty_tier"))),
            after=table("pyz_loyalty_tier_storage", col("fk_loyalty_tier"),
                        _sync(("resource", "loyalty_tier"), ("queue_group", "sync.storage.loyalty"),
                              ("key_suffix_column", "fk_loyalty_tier"))),
            note="another queue, same key (CL601's business)",
        ),
        Example(
            before=table("pyz_loyalty_tier_storage", col("fk_loyalty_tier")),
            after=table("pyz_loyalty_tier_storage", col("fk_loyalty_tier"),
                        _sync(("resource", "loyalty_tier"), ("key_suffix_column", "fk_loyalty_tier"))),
            note="behavior added: no V1 reader of these keys exists yet",
        ),
    )
