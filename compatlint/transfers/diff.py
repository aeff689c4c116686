"""Compare two merged transfer sets into events.

A transfer is identified by its normalised name, as the generated class is (`<Name>Transfer`), so a
definition that moves to another file or module is a move, not a removal and an addition. Renames cannot
exist on the wire (V1 and V2 only share names): a property or transfer that disappears while one with the
same shape appears is still reported as a removal, with the likely new name in the message.
"""

from __future__ import annotations

import gc

from .events import (PropertyAdded, PropertyChanged, PropertyRemoved, PropertyRenamed, TransferAdded,
                     TransferChanged, TransferMoved, TransferRemoved, TransferRenamed)
from .model import Property, Transfer, TransferSet, value_kind

_CONTAINER = {"collection": "ArrayObject", "array": "array"}  # any other kind holds one value


def _property_changes(before: Property, after: Property) -> frozenset:
    changes = set()
    if before.canonical != after.canonical:
        # Judged by what the generated class holds: `string[]` and `array` are both a plain PHP array.
        (old_kind, old_element), (new_kind, new_element) = value_kind(before.type), value_kind(after.type)
        if _CONTAINER.get(old_kind) != _CONTAINER.get(new_kind):
            changes.add("collection")
        if old_element is not None and new_element is not None and old_element != new_element:
            changes.add("type")
    if before.associative != after.associative:
        changes.add("associative")
    if before.strict != after.strict:
        changes.add("strict-added" if after.strict else "strict-removed")
    if (before.singular or None) != (after.singular or None):
        changes.add("singular")
    if after.deprecated and not before.deprecated:
        changes.add("deprecated")
    return frozenset(changes)


def _transfer_events(base: Transfer, head: Transfer, stored_as, conflicted=frozenset()) -> list:
    events: list = []
    changes = set()
    if base.strict != head.strict and (head.name, None) not in conflicted:
        changes.add("strict-added" if head.strict else "strict-removed")
    if head.deprecated and not base.deprecated:
        changes.add("deprecated")
    if changes:
        events.append(TransferChanged(base, head, frozenset(changes)))
    if base.modules != head.modules or set(base.files) != set(head.files):
        events.append(TransferMoved(base, head))
    removed = [p for name, p in base.properties.items() if name not in head.properties]
    added = [p for name, p in head.properties.items() if name not in base.properties]
    # Taken for a rename only when unambiguous: the one property of its type removed and the one added.
    renamed_to: dict[str, Property] = {}
    for old in removed:
        gone = [p for p in removed if p.canonical == old.canonical]
        came = [p for p in added if p.canonical == old.canonical]
        if len(gone) == 1 and len(came) == 1:
            renamed_to[old.name] = came[0]
    for old in removed:
        if old.name in renamed_to:
            events.append(PropertyRenamed(base, head, old, renamed_to[old.name], stored_as=stored_as))
        else:
            events.append(PropertyRemoved(base, head, old, stored_as=stored_as))
    taken = {p.name for p in renamed_to.values()}
    events.extend(PropertyAdded(base, head, new, stored_as=stored_as) for new in added if new.name not in taken)
    for name, before in base.properties.items():
        after = head.properties.get(name)
        if after is None or (head.name, name) in conflicted:
            continue
        property_changes = _property_changes(before, after)
        if property_changes:
            events.append(PropertyChanged(base, head, before, after, property_changes, stored_as=stored_as))
    return events


def diff_transfers(base: TransferSet, head: TransferSet, stored: dict[str, str] | None = None) -> list:
    """Events from base to head. Transfers touched by a file unusable at head are not compared (that file
    is reported on its own); `stored` maps transfer names to where their JSON is stored."""
    # Up to millions of small objects and none cyclic: see `merge.load_transfers`.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _diff(base, head, stored or {})
    finally:
        if enabled:
            gc.enable()


def _diff(base: TransferSet, head: TransferSet, stored: dict[str, str]) -> list:
    skipped = {name for name, t in base.transfers.items() if head.invalid_paths.intersection(t.files)}
    events: list = []
    removed = [t for name, t in base.transfers.items() if name not in head.transfers and name not in skipped]
    added = [t for name, t in head.transfers.items() if name not in base.transfers]
    renamed: dict[str, Transfer] = {}
    if removed and added:
        by_signature: dict[tuple, list[Transfer]] = {}
        for new in added:
            by_signature.setdefault(new.signature(), []).append(new)
        for old in removed:
            candidates = by_signature.get(old.signature()) if old.properties else None
            if candidates:  # the first added transfer of that shape not yet taken, as before
                renamed[old.name] = candidates.pop(0)
    for old in removed:
        events.append(TransferRenamed(old, renamed[old.name]) if old.name in renamed else TransferRemoved(old))
    taken = {t.name for t in renamed.values()}
    events.extend(TransferAdded(new) for new in added if new.name not in taken)
    for name, before in base.transfers.items():
        after = head.transfers.get(name)
        if after is not None and name not in skipped and not before.same_definitions(after) \
                and not before.same_content(after):
            events.extend(_transfer_events(before, after, stored.get(name), head.conflicted))
    return events
