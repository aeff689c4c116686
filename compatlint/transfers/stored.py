"""Which transfers are also stored as JSON, so that old rows or Storage/Search entries keep their shape.

- `QuoteTransfer` in `spy_quote.quote_data`: `QuoteMapper::mapTransferToEntity` writes
  `encodeQuoteData($quoteTransfer)` = `encodeJson($quoteTransfer->modifiedToArray(true, true))`
  (spryker/spryker-core `Bundles/Quote/src/Spryker/Zed/Quote/Persistence/Propel/Mapper/QuoteMapper.php`
  L64, L85-L93) and reads it back with `decodeJson` (L74-L77).
- The `data` column of a table with the `synchronization` behavior holds what its publisher wrote,
  by Spryker's convention the transfer named after the table: `spy_product_abstract_storage` is written
  with `ProductAbstractStorageTransfer->toArray()` (`Bundles/ProductStorage/src/Spryker/Zed/ProductStorage/
  Business/Storage/ProductAbstractStorageWriter.php` L392-L402). V1 Yves/Glue read that JSON from Redis or
  Search with `fromArray($data, true)`.
- Transfers named in the configuration (`[transfers] stored = [...]`).
Transfers nested in a stored one (property types, collections included) are stored too.
"""

from __future__ import annotations

from typing import Iterable

from ..model import Schema
from .model import TransferSet, element_type

KNOWN = {"Quote": "spy_quote.quote_data"}
_PREFIXES = ("spy_", "pyz_")


def _camel(table: str) -> str:
    for prefix in _PREFIXES:
        if table.startswith(prefix):
            table = table[len(prefix):]
            break
    else:
        table = table.split("_", 1)[-1]
    return "".join(part[:1].upper() + part[1:] for part in table.split("_") if part)


def stored_roots(transfers: TransferSet, schemas: Iterable[Schema], configured: Iterable[str] = ()) -> dict[str, str]:
    roots = {name: where for name, where in KNOWN.items() if name in transfers.transfers}
    for schema in schemas:
        for table in schema.tables.values():
            if "synchronization" not in table.behaviors:
                continue
            name = _camel(table.name)
            if name in transfers.transfers and name not in roots:
                roots[name] = f"{table.name}.data (synchronization)"
    for name in configured:
        if name in transfers.transfers and name not in roots:
            roots[name] = "stored as JSON (configuration)"
    return roots


def stored_transfers(transfers: TransferSet, schemas: Iterable[Schema], configured: Iterable[str] = ()) -> dict[str, str]:
    """Transfer name -> where its JSON is stored (for a nested one: inside which stored transfer)."""
    found = stored_roots(transfers, schemas, configured)
    root_of = dict(found)
    queue = list(found)
    while queue:
        name = queue.pop()
        for prop in transfers.transfers[name].properties.values():
            nested = element_type(prop.type)
            if nested and nested in transfers.transfers and nested not in found:
                root_of[nested] = root_of[name]
                found[nested] = f"{root_of[name]}, via {name}.{prop.name}"
                queue.append(nested)
    return found
