from __future__ import annotations

from compatlint.changes import BehaviorChanged
from compatlint.rule import Example, Rule, expect

from ._common import WARNING, col, table

BEHAVIOR = "synchronization"
# Parameters whose value is baked into the generated key or mapping code.
_KEY_VALUED = ("resource", "key_suffix_column", "mappings", "mapping_resource", "mapping_resource_key_suffix_column")
# Parameters that count by presence only (`isset`): they add store/locale to the key and the routing.
_KEY_PRESENT = ("store", "locale")


def _sync(*params: tuple[str, str | None]) -> str:
    inner = "".join(f'<parameter name="{n}" required="true"/>' if v is None else f'<parameter name="{n}" value="{v}"/>'
                    for n, v in params)
    return f'<behavior name="{BEHAVIOR}">{inner}</behavior>'


def _describe(key: str, old: dict, new: dict) -> str:
    if key in old and key in new:
        return f"{key} {old[key]!r} -> {new[key]!r}"
    return f"{key} {'added' if key in new else 'removed'}"


def _contract_changes(before, after) -> tuple[list[str], list[str]]:
    """What changes in the keys (and message payload), and what in the queue routing."""
    old, new = dict(before.parameters), dict(after.parameters)
    keys = [_describe(k, old, new) for k in _KEY_VALUED if old.get(k) != new.get(k)]
    keys += [_describe(k, old, new) for k in _KEY_PRESENT if (k in old) != (k in new)]
    if old.get("params") != new.get("params"):
        keys.append(_describe("params", old, new))
    queues = []
    queue_before = old.get("queue_group") or old.get("resource")
    queue_after = new.get("queue_group") or new.get("resource")
    if queue_before != queue_after:
        queues.append(f"queue {queue_before!r} -> {queue_after!r}")
    if old.get("queue_pool") != new.get("queue_pool"):
        queues.append(_describe("queue_pool", old, new))
    return keys, queues


class SyncContractChanged(Rule):
    """The synchronization behavior of a table changes how it names its Storage/Search keys or queue.

    What it flags:
        On a table present at both revisions: the `synchronization` behavior is removed, or one of the
        parameters that the generated entity code bakes into keys, mappings, messages or queue routing
        changes: `resource`, `key_suffix_column`, `mappings`, `mapping_resource`,
        `mapping_resource_key_suffix_column`, `params`, `queue_pool`, the effective queue
        (`queue_group`, else `resource`), and whether `store` or `locale` is given. Adding the behavior
        and parameters that do not shape the contract (`synchronization_enabled`,
        `direct_sync_disabled`, a parameter's `required` attribute) are not flagged. No column.

    Why V1 breaks:
        spryker/synchronization-behavior at a40e08ba
        (`src/Spryker/Zed/SynchronizationBehavior/Persistence/Propel/Behavior/SynchronizationBehavior.php`)
        writes these values as literals into the generated entity: `setGeneratedKey` passes the
        `resource`, the `key_suffix_column` getter and, when the parameters are present (`isset`,
        L936-L947), store and locale to the key builder (L351-L393); `mappings` and `mapping_resource`
        build the alias and mapping keys (L401-L466, L901-L930, L1085-L1120); the published message
        carries `resource`, store and the decoded `params` (L585-L645); the queue name is
        `queue_group`, else `resource` (L1241-L1256), and `queue_pool` routes it (L536-L560). Storage
        and Search keys are public API (spryker/spryker-docs
        `docs/dg/dev/architecture/module-api/declaration-of-module-apis-public-and-private.md`
        L43-L45). Once V2 publishes (on new events, or when the data is re-published after the deploy),
        it writes the new keys, while V1 Yves and Glue still look up the old ones, which V2 no longer
        updates; V1 Zed, until replaced, keeps writing old-shaped keys and sending to the old queue,
        which V2's workers may no longer consume. Removing the behavior stops V2 from publishing what
        V1 reads, and drops its columns (CL103).

    Safe path:
        Release N: publish under the new shape in addition to the old one (a second storage table or
        resource) and make readers try the new key first. Release N+1: switch readers, then stop
        writing the old keys and remove the old resource.

    Platforms:
        Same on MySQL and PostgreSQL: the keys live in Redis/Key-Value Storage and Search, the queues in
        RabbitMQ.
    """

    code = "CL601"
    name = "sync-contract-changed"
    severity = WARNING
    handles = (BehaviorChanged,)
    safe_path = ("release N: publish the new key shape next to the old one and make readers try both; "
                 "release N+1: switch readers, then stop writing the old keys")

    def check(self, event: BehaviorChanged, ctx) -> None:
        if event.name != BEHAVIOR or event.before is None:
            return  # not synchronization, or newly added: no V1 reader of these keys yet
        table_name = event.head.name
        if event.after is None:
            self.report(ctx, event, f"{table_name}: the synchronization behavior is removed; V2 stops publishing "
                        f"the {event.before.param('resource')!r} keys that V1 Yves/Glue read",
                        detail=BEHAVIOR)
            return
        keys, queues = _contract_changes(event.before, event.after)
        effects = []
        if keys:
            effects.append("V1 Yves/Glue read keys that V2 no longer writes, and V1 Zed keeps writing the old ones")
        if queues:
            effects.append("V1 Zed keeps sending to the old queue, which V2's workers may no longer consume")
        if not effects:
            return
        self.report(ctx, event, f"{table_name}: synchronization contract changes ({'; '.join(keys + queues)}); "
                    + "; ".join(effects), detail=BEHAVIOR)

    INVALID = (
        Example(
            before=table("pyz_loyalty_account_storage", col("fk_loyalty_account"),
                         _sync(("resource", "loyalty_account"), ("key_suffix_column", "fk_loyalty_account"))),
            after=table("pyz_loyalty_account_storage", col("fk_loyalty_account"),
                        _sync(("resource", "loyalty"), ("key_suffix_column", "fk_loyalty_account"))),
            expect=(expect("CL601", "pyz_loyalty_account_storage", None),),
            note="resource renamed: every key and the default queue change",
        ),
        Example(
            before=table("pyz_loyalty_account_storage", col("fk_loyalty_account"),
                         _sync(("resource", "loyalty_account"), ("key_suffix_column", "fk_loyalty_account"))),
            after=table("pyz_loyalty_account_storage", col("fk_loyalty_account"),
                        _sync(("resource", "loyalty_account"), ("store", None),
                              ("key_suffix_column", "fk_loyalty_account"))),
            expect=(expect("CL601", "pyz_loyalty_account_storage", None),),
            platform="pgsql",
            note="store added: keys gain the store name",
        ),
        Example(
            before=table("pyz_loyalty_tier_storage", col("fk_loyalty_tier"),
                         _sync(("resource", "loyalty_tier"), ("key_suffix_column", "fk_loyalty_tier"))),
            after=table("pyz_loyalty_tier_storage", col("fk_loyalty_tier"),
                        _sync(("resource", "loyalty_tier"), ("queue_group", "sync.storage.loyalty"),
                              ("key_suffix_column", "fk_loyalty_tier"))),
            expect=(expect("CL601", "pyz_loyalty_tier_storage", None),),
            note="queue_group moves messages to another queue",
        ),
        Example(
            before=table("pyz_loyalty_tier_storage", col("fk_loyalty_tier"),
                         _sync(("resource", "loyalty_tier"), ("key_suffix_column", "fk_loyalty_tier"))),
            after=table("pyz_loyalty_tier_storage", col("fk_loyalty_tier")),
            expect=(expect("CL601", "pyz_loyalty_tier_storage", None),),
            note="behavior removed",
        ),
    )
    VALID = (
        Example(
            before=table("pyz_loyalty_tier_storage", col("fk_loyalty_tier"),
                         _sync(("resource", "loyalty_tier"), ("key_suffix_column", "fk_loyalty_tier"))),
            after=table("pyz_loyalty_tier_storage", col("fk_loyalty_tier"),
                        _sync(("resource", "loyalty_tier"), ("queue_group", "loyalty_tier"),
                              ("key_suffix_column", "fk_loyalty_tier"))),
            note="queue_group set to the resource it already defaulted to",
        ),
        Example(
            before=table("pyz_loyalty_tier_storage", col("fk_loyalty_tier"),
                         _sync(("resource", "loyalty_tier"), ("key_suffix_column", "fk_loyalty_tier"))),
            after=table("pyz_loyalty_tier_storage", col("fk_loyalty_tier"),
                        _sync(("resource", "loyalty_tier"), ("key_suffix_column", "fk_loyalty_tier"),
                              ("synchronization_enabled", "false"))),
            platform="pgsql",
            note="a toggle, not a change of the key shape",
        ),
        Example(
            before=table("pyz_loyalty_tier_storage", col("fk_loyalty_tier")),
            after=table("pyz_loyalty_tier_storage", col("fk_loyalty_tier"),
                        _sync(("resource", "loyalty_tier"), ("key_suffix_column", "fk_loyalty_tier"))),
            note="behavior added: no V1 reader of these keys exists yet",
        ),
    )
