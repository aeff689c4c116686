"""Typed transfer change events, beside the schema events of `compatlint.changes`.

`base`/`head` are the merged `Transfer` at each revision; for property events `before`/`after` are the
`Property`. A finding's "table" is the transfer name (`Customer` for `CustomerTransfer`), its "column" the
property. `stored_as` says where V2 and V1 share the transfer's JSON beyond RPC (e.g. `spy_quote.quote_data`),
when the facts tell (see `stored.py`).
"""

from __future__ import annotations

from typing import ClassVar

from ..changes import Event, frozen_event
from ..records import frozen_record
from ..loaders.merge import LoadProblem
from .model import Property, Transfer


@frozen_record
class TransferEvent(Event):
    RANK: ClassVar[int] = 70

    @property
    def transfer(self) -> Transfer:
        return getattr(self, "head", None) or getattr(self, "base")


@frozen_event
class TransferAdded(TransferEvent):
    head: Transfer
    SIDE: ClassVar[str] = "head"

    @property
    def location(self):
        return self.head.origin


@frozen_event
class TransferRemoved(TransferEvent):
    base: Transfer
    SIDE: ClassVar[str] = "base"

    @property
    def location(self):
        return self.base.origin


@frozen_event
class TransferRenamed(TransferEvent):
    """A transfer gone and another one added with the very same properties."""

    base: Transfer
    head: Transfer
    SIDE: ClassVar[str] = "head"

    @property
    def table_name(self):
        return self.base.name

    @property
    def subject(self):
        return self.head.name

    @property
    def location(self):
        return self.head.origin


@frozen_event
class TransferMoved(TransferEvent):
    """Same transfer name, declared by other files or modules: the generated class is the same."""

    base: Transfer
    head: Transfer
    SIDE: ClassVar[str] = "head"

    @property
    def location(self):
        return self.head.origin


@frozen_event
class TransferChanged(TransferEvent):
    """Transfer-level attributes: `changes` holds `strict-added`, `strict-removed`, `deprecated`."""

    base: Transfer
    head: Transfer
    changes: frozenset
    SIDE: ClassVar[str] = "head"

    @property
    def location(self):
        return self.head.origin


@frozen_event
class PropertyAdded(TransferEvent):
    base: Transfer
    head: Transfer
    after: Property
    stored_as: str | None = None
    SIDE: ClassVar[str] = "head"

    @property
    def subject(self):
        return self.after.name

    @property
    def location(self):
        return self.after.origin


@frozen_event
class PropertyRemoved(TransferEvent):
    base: Transfer
    head: Transfer
    before: Property
    stored_as: str | None = None
    SIDE: ClassVar[str] = "base"

    @property
    def subject(self):
        return self.before.name

    @property
    def location(self):
        return self.before.origin


@frozen_event
class PropertyRenamed(TransferEvent):
    """A property gone and one of the same type added to the same transfer (no rename exists on the wire)."""

    base: Transfer
    head: Transfer
    before: Property
    after: Property
    stored_as: str | None = None
    SIDE: ClassVar[str] = "head"

    @property
    def subject(self):
        return self.before.name

    @property
    def location(self):
        return self.after.origin


@frozen_event
class PropertyChanged(TransferEvent):
    """`changes` holds `type`, `collection`, `associative`, `strict-added`, `strict-removed`, `singular`,
    `deprecated`."""

    base: Transfer
    head: Transfer
    before: Property
    after: Property
    changes: frozenset
    stored_as: str | None = None
    SIDE: ClassVar[str] = "head"

    @property
    def subject(self):
        return self.after.name

    @property
    def location(self):
        return self.after.origin


@frozen_event
class TransferConflict(Event):
    """Definitions Spryker refuses to merge (`transfer:generate` throws); a head-side loading problem."""

    problem: LoadProblem
    RANK: ClassVar[int] = 0
    SIDE: ClassVar[str] = "head"

    @property
    def table_name(self):
        return self.problem.table

    @property
    def subject(self):
        return self.problem.column

    @property
    def location(self):
        return self.problem.origin


TRANSFER_EVENTS = (TransferAdded, TransferRemoved, TransferRenamed, TransferMoved, TransferChanged, PropertyAdded,
                   PropertyRemoved, PropertyRenamed, PropertyChanged, TransferConflict)
