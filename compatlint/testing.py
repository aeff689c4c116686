"""Run a rule's VALID/INVALID examples: each example is a before/after pair of schema XML."""

from __future__ import annotations

from dataclasses import replace
from typing import Mapping

from .api import compare, finalize
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
        for path, text in side.items()
    ]
    return FileSet(files, label="example")


def run_example(rule: type[Rule] | None, example: Example) -> list[Finding]:
    """All findings of `rule` (or of every rule when None) for one example."""
    rules = None if rule is None or rule.meta else [rule]
    if example.sql is not None:
        return _run_sql_example(rules, example)
    result = compare(example_files(example.before), example_files(example.after), example.platform, rules=rules)
    return finalize(result).findings


def finding_keys(findings, code: str) -> set[tuple[str, str | None, str | None]]:
    return {(f.code, f.table, f.column) for f in findings if f.code == code}


def _run_sql_example(rules, example: Example) -> list[Finding]:
    from .api import LintResult
    from .loading import load_schema
    from .diff import diff_schemas
    from .sql.generate import plan
    from .sql.lint import MigrationFile, directives_of, lint_statements, statements_of

    base, _ = load_schema(example_files(example.before).files, example.platform)
    migration = MigrationFile(example.sql_path, example.sql.encode(), example.platform)
    statements = statements_of(migration)
    expected = schema_events = None
    if example.with_schema_change:
        head, _ = load_schema(example_files(example.after).files, example.platform)
        schema_events = diff_schemas(base, head)
        expected = [s.sql for s in plan(schema_events, example.platform) if s.sql]
    outcome = lint_statements(statements, base, example.platform, expected_sql=expected,
                              hand_written_default=not example.sql_path.endswith(".php"),
                              schema_events=schema_events, rules=rules)
    result = LintResult(outcome.findings, outcome.events, base, outcome.head)
    result.head = replace(result.head, directives=tuple(directives_of(outcome.statements)))
    return finalize(result).findings
