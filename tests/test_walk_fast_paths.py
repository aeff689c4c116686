"""The shortcuts of the audit walk's per-commit work give what the long way gives: `diff.diff_table` walks only
the parts that differ, and a derived commit keeps the parent's table for a foreign key target found unchanged."""

import hashlib
from dataclasses import fields

import pytest

from compatlint import diff
from compatlint.api import load_schema
from compatlint.incremental import HistoryLoader
from compatlint.loaders.merge import SchemaFile
from compatlint.loaders.patterns import SchemaPatterns
from compatlint.model import Table
from compatlint.testing import wrap_tables

PATH = "src/Pyz/Zed/Demo/Persistence/Propel/Schema/pyz_demo.schema.xml"

TARGET = ('<table name="pyz_target"><column name="id_target" type="INTEGER" primaryKey="true"/>'
          '<column name="code" type="{code}" size="16"/></table>\n')
OWNER = ('{lead}<table name="pyz_owner" namespace="{namespace}">'
         '<column name="id_owner" type="INTEGER" primaryKey="true"/>'
         '<column name="fk_target" type="INTEGER"/><column name="target_code" type="VARCHAR" size="16"/>'
         '<column name="note" type="VARCHAR" size="{size}"/>'
         '<foreign-key name="pyz_owner-fk_target" foreignTable="pyz_target">'
         '<reference local="fk_target" foreign="id_target"/></foreign-key>'
         '<foreign-key name="pyz_owner-target_code" foreignTable="pyz_target" skipSql="true">'
         '<reference local="target_code" foreign="code"/></foreign-key>'
         '<index name="pyz_owner-{index}"><index-column name="note"/></index>'
         '<behavior name="timestampable"><parameter name="create_column" value="{created}"/></behavior></table>\n')
DEFAULTS = dict(lead="", namespace="Orm\\Zed\\Demo\\Persistence", size="64", index="note", created="created_at",
                code="VARCHAR")


def schema(platform: str, **changes):
    values = {**DEFAULTS, **changes}
    text = wrap_tables(TARGET.format(code=values.pop("code")) + OWNER.format(**values))
    return load_schema([SchemaFile(PATH, text.encode())], platform)[0]


def walked_whole(base: Table, head: Table, platform: str, base_schema, head_schema) -> list:
    """Every part of the table diffed, whatever is equal: the long way `diff_table` shortens."""
    events = [diff.ev.TableMoved(base, head)] if diff._moved(base, head) else []
    events += diff._diff_columns(base, head, platform)
    events += diff._diff_primary_key(base, head, platform)
    events += diff._diff_indexes(base, head)
    events += diff._diff_foreign_keys(base, head, platform, base_schema, head_schema)
    if base.id_method_parameter != head.id_method_parameter:
        events.append(diff.ev.SequenceChanged(base, head, base.id_method_parameter, head.id_method_parameter))
    events += diff._diff_behaviors(base, head)
    return events


def copy_of(table: Table) -> Table:
    return Table(*(getattr(table, f.name) for f in fields(Table)))


@pytest.mark.parametrize("platform", ["mysql", "pgsql"])
@pytest.mark.parametrize("change", [
    {}, {"lead": "\n\n"}, {"size": "128"}, {"index": "other"}, {"created": "made_at"}, {"code": "INTEGER"},
    {"namespace": "Orm\\Zed\\Moved\\Persistence"}, {"lead": "\n", "size": "32", "code": "LONGVARCHAR"},
])
def test_diff_table_gives_what_diffing_every_part_gives(platform, change):
    base, head = schema(platform), schema(platform, **change)
    pairs = [(base.tables["pyz_owner"], head.tables["pyz_owner"]),
             (base.tables["pyz_owner"], copy_of(base.tables["pyz_owner"])),  # as `distinct_keyed_tables` copies
             (base.tables["pyz_target"], head.tables["pyz_target"])]
    for before, after in pairs:
        found = diff.diff_table(before, after, platform, base, head)
        assert repr(found) == repr(walked_whole(before, after, platform, base, head))
    if change.get("code") == "INTEGER":  # the target's column type changes: both keys are dropped and re-added
        found = diff.diff_table(base.tables["pyz_owner"], copy_of(base.tables["pyz_owner"]), platform, base, head)
        assert [e.after.name for e in found] == ["pyz_owner-target_code"]


def test_a_target_whose_referrers_keep_their_keys_keeps_the_parents_table():
    """A referrer edited on its own line keeps its keys as they were (same place, same origins): the table they
    point at is not built again, and the derived schema still equals a whole load."""
    patterns = SchemaPatterns()
    texts: dict[str, bytes] = {}
    loader = HistoryLoader("mysql", patterns, texts)
    loaded = None
    for size in ("64", "65"):
        text = wrap_tables(TARGET.format(code="VARCHAR") + OWNER.format(**{**DEFAULTS, "size": size})).encode()
        blob = hashlib.sha1(text).hexdigest()
        texts[blob] = text
        snapshot = {PATH: blob}
        parent = loaded
        loaded = loader.load(snapshot) if parent is None else loader.derive(parent, snapshot, [PATH])
        whole = load_schema([SchemaFile(PATH, text, blob=blob)], "mysql")[0]
        assert repr(loaded.schema) == repr(whole)
    assert loaded.derived_from == id(parent)
    assert loaded.schema.tables["pyz_owner"] is not parent.schema.tables["pyz_owner"]
    assert loaded.schema.tables["pyz_target"] is parent.schema.tables["pyz_target"]


def test_a_finding_made_by_its_own_init_is_what_the_dataclass_fields_say():
    """`Finding.__init__` is written out (one store for all fields): its parameters, their order and defaults
    must be the fields' own, and every field is set."""
    import inspect
    from dataclasses import MISSING

    from compatlint.findings import Finding, Severity

    parameters = list(inspect.signature(Finding.__init__).parameters.values())[1:]
    assert [p.name for p in parameters] == [f.name for f in fields(Finding)]
    for parameter, field_ in zip(parameters, fields(Finding)):
        expected = inspect.Parameter.empty if field_.default is MISSING else field_.default
        assert parameter.default == expected, field_.name
    made = Finding("CL102", "column-dropped", Severity.ERROR, "gone", "t", "c")
    assert {f.name: getattr(made, f.name) for f in fields(Finding)} == {
        "code": "CL102", "name": "column-dropped", "severity": Severity.ERROR, "message": "gone", "table": "t",
        "column": "c", "location": None, "side": "head", "safe_path": None, "detail": None, "event": None}
    assert made == Finding(code="CL102", name="column-dropped", severity=Severity.ERROR, message="gone", table="t",
                           column="c")
