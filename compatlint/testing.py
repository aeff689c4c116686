"""Run a rule's VALID/INVALID examples: each example is a before/after pair of schema XML."""

from __future__ import annotations

from typing import Mapping

from .pipeline import check, check_migration
from .findings import Finding
from .loaders.merge import SchemaFile
from .loaders.sources import FileSet
from .rule import Example, Rule

EXAMPLE_PATH = "src/Pyz/Zed/Demo/Persistence/Propel/Schema/pyz_demo.schema.xml"
_HEADER = ('<?xml version="1.0"?>\n<database xmlns="spryker:schema-01" name="zed" '
           'namespace="Orm\\Zed\\Demo\\Persistence" package="src.Orm.Zed.Demo.Persistence">\n')


def wrap_tables(xml: str) -> str:
    """Table elements -> a whole schema file; a whole file is returned unchanged."""
    stripped = xml.lstrip()
    if stripped.startswith("<?xml") or stripped.startswith("<database") or not stripped.startswith("<"):
        return xml
    return _HEADER + xml + "\n</database>\n"


def example_files(side: str | Mapping[str, str]) -> FileSet:
    if isinstance(side, str):
        side = {EXAMPLE_PATH: side} if side.strip() else {}
    files = [
        SchemaFile(path, wrap_tables(text).encode(), core=path.startswith("vendor/"))
        for path, text in side.items() if not _is_transfer(path, text)
    ]
    return FileSet(files, label="example")


def _is_transfer(path: str, text: str) -> bool:
    return path.endswith(".transfer.xml") or text.lstrip().startswith("<transfer ")


def example_transfer_files(side: str | Mapping[str, str]) -> list:
    """The transfer files of an example side: `<transfer>` elements or `{path: text}` with `.transfer.xml`."""
    from .transfers.merge import TransferFile

    if isinstance(side, str):
        side = {EXAMPLE_PATH: side} if side.strip() else {}
    files = []
    for path, text in side.items():
        if not _is_transfer(path, text):
            continue
        if not path.endswith(".transfer.xml"):
            path = EXAMPLE_TRANSFER_PATH
        if text.lstrip().startswith("<transfer "):
            text = _TRANSFERS_HEADER + text + "\n</transfers>\n"
        files.append(TransferFile(path, text.encode(), core=path.startswith("vendor/")))
    return files


EXAMPLE_TRANSFER_PATH = "src/Pyz/Shared/Demo/Transfer/demo.transfer.xml"
_TRANSFERS_HEADER = ('<?xml version="1.0"?>\n<transfers xmlns="spryker:transfer-01" '
                     'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                     'xsi:schemaLocation="spryker:transfer-01 http://static.spryker.com/transfer-01.xsd">\n')


def run_example(rule: type[Rule] | None, example: Example) -> list[Finding]:
    """All findings of `rule` (or of every rule when None) for one example."""
    rules = None if rule is None or rule.meta else [rule]
    if example.sql is not None:
        return _run_sql_example(rules, example)
    from .transfers.check import transfer_channel

    channel = transfer_channel(example_transfer_files(example.before), example_transfer_files(example.after))
    return check(example_files(example.before), example_files(example.after), example.platform, rules=rules,
                 channels=[channel] if channel is not None else []).findings


def finding_keys(findings, code: str) -> set[tuple[str, str | None, str | None]]:
    return {(f.code, f.table, f.column) for f in findings if f.code == code}


def _run_sql_example(rules, example: Example) -> list[Finding]:
    from .loading import load_schema
    from .sql.lint import MigrationFile, statements_of

    base, _ = load_schema(example_files(example.before).files, example.platform)
    head = load_schema(example_files(example.after).files, example.platform)[0] if example.with_schema_change else None
    migration = MigrationFile(example.sql_path, example.sql.encode(), example.platform)
    return check_migration(statements_of(migration), base, example.platform, head=head,
                           hand_written_default=not example.sql_path.endswith(".php"), rules=rules).findings
