from __future__ import annotations

from compatlint.rule import Example, Rule, expect
from compatlint.transfers.events import TransferConflict
from compatlint.transfers.examples import CORE, PROJECT, prop, transfer, transfer_file

from ._common import ERROR

_CORE = CORE.format(package="customer", module="Customer", file="customer")
_PROJECT = PROJECT.format(module="Customer", file="customer")


class TransferDefinitionConflict(Rule):
    """Two definitions of one transfer disagree in a way Spryker refuses to merge.

    What it flags:
        After the change, two `*.transfer.xml` files define the same property of the same transfer
        (names compared without the `Transfer` suffix) with different `type`, `singular`, `associative` or
        other attributes (`description` and `deprecated` may differ), or disagree on whether the transfer
        or the property is `strict`; or a transfer name the loader refuses (`customer`, `Customer_Address`:
        it must survive CamelCase -> underscore -> CamelCase unchanged). Only conflicts the change introduces
        are reported, at the definition that conflicts, naming the other one.

    Why V1 breaks:
        V2 cannot be built: `transfer:generate` throws "Value mismatch for ... transfer property" or
        "Strict mode violation detected ..." (spryker/spryker-core
        `Bundles/Transfer/src/Spryker/Zed/Transfer/Business/Model/Generator/TransferDefinitionMerger.php`
        L230-L277, L356-L390), or "Transfer name ... does not match expected name"
        (`.../TransferDefinitionLoader.php` L118-L134), so the deploy stops before `Run_install`. It also shows a core property
        being retyped from the project, which would break V1 (CL703) if it could be built.

    Safe path:
        Extend a core transfer only with new properties; to change a property's type, add a new property
        instead (CL703's safe path).

    Platforms:
        Same on MySQL and PostgreSQL.
    """

    code = "CL707"
    name = "transfer-definition-conflict"
    severity = ERROR
    handles = (TransferConflict,)
    safe_path = "extend core transfers only with new properties; add a new property instead of retyping one"

    def check(self, event: TransferConflict, ctx) -> None:
        problem = event.problem
        other = f" (the other definition: {problem.other})" if problem.other else ""
        self.report(ctx, event, f"{problem.message}{other}: `transfer:generate` refuses this, so V2 cannot be built",
                    table=problem.table, column=problem.column, location=problem.origin,
                    detail=f"{problem.origin.path}:{problem.message}")

    INVALID = (
        Example(before={_CORE: transfer_file(transfer("Customer", prop("email", "string")))},
                after={_CORE: transfer_file(transfer("Customer", prop("email", "string"))),
                       _PROJECT: transfer_file(transfer("Customer", prop("email", "int")))},
                expect=(expect("CL707", "Customer", "email"),), note="a project file retypes a core property"),
        Example(before={_CORE: transfer_file(transfer("Customer", prop("email", "string")))},
                after={_CORE: transfer_file(transfer("Customer", prop("email", "string"))),
                       _PROJECT: transfer_file(transfer("CustomerTransfer", prop("phone", "string"), strict="true"))},
                expect=(expect("CL707", "Customer"),), note="strict on one definition only (suffix dropped)"),
        Example(before=transfer("LoyaltyAccount", prop("points", "int")),
                after=transfer("LoyaltyAccount", prop("points", "int")) + "\n" + transfer("Loyalty_tier",
                                                                                         prop("code", "string")),
                expect=(expect("CL707", "Loyalty_tier"),), note="a name the loader refuses"),
    )
    VALID = (
        Example(before={_CORE: transfer_file(transfer("Customer", prop("email", "string")))},
                after={_CORE: transfer_file(transfer("Customer", prop("email", "string"))),
                       _PROJECT: transfer_file(transfer("Customer", prop("email", "string", description="Login."),
                                                        prop("phone", "string")))},
                note="the same property with another description, and a new one"),
        Example(before={_CORE: transfer_file(transfer("Customer", prop("email", "string"))),
                        _PROJECT: transfer_file(transfer("Customer", prop("email", "int")))},
                after={_CORE: transfer_file(transfer("Customer", prop("email", "string"))),
                       _PROJECT: transfer_file(transfer("Customer", prop("email", "int"), prop("phone", "string")))},
                note="a conflict the base already had is not this change's"),
    )
