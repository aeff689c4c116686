"""Tables built when first read (`compatlint.lazy_tables`): a check builds only the tables the diff and the
rules read, and reports exactly what building every table and diffing them all reported."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compatlint import changes as ev
from compatlint.api import load_schema
from compatlint.diff import diff_schemas
from compatlint.lazy_tables import LazyTables
from compatlint.loaders.merge import LoadProblem, SchemaFile
from compatlint.loaders.sources import FileSet
from compatlint.loading import adopt_from_base, merge_files, parse_file
from compatlint.loaders.merge import group_files
from compatlint.model import Schema, distinct_keyed_tables
from compatlint.normalize import collect_builders, final_table, fk_target_uniques, mysql_referenced_indexes
from compatlint.pipeline import compare
from compatlint.testing import wrap_tables

from schema_strategies import edited, schema_xml, schemas

DIR = "src/Pyz/Zed/Shop/Persistence/Propel/Schema/"
SHOP, OTHER = DIR + "pyz_shop.schema.xml", DIR + "pyz_other.schema.xml"


def _table(name: str, *body: str, attrs: str = "") -> str:
    return (f'<table name="{name}"{attrs}><column name="id_{name}" type="INTEGER" primaryKey="true"/>'
            + "".join(body) + "</table>")


def _fk(name: str, local: str, target: str, foreign: str, attrs: str = "") -> str:
    return (f'<foreign-key name="{name}" foreignTable="{target}"{attrs}>'
            f'<reference local="{local}" foreign="{foreign}"/></foreign-key>')


def _files(side: dict[str, str]) -> FileSet:
    return FileSet([SchemaFile(path, wrap_tables(text).encode()) for path, text in side.items()], label="side")


def _whole(base_side: dict[str, str], head_side: dict[str, str], platform: str) -> list[ev.Event]:
    """What `pipeline.compare` diffed before tables were built lazily: every table of both sides, built,
    the head's keyed tables of changed groups apart, and the diff over all of them."""
    base_files, head_files = _files(base_side).files, _files(head_side).files
    base = load_schema(base_files, platform)[0]
    changed = adopt_from_base(base_files, head_files)
    head = load_schema(head_files, platform)[0]
    base_tables = dict(base.tables)
    head_tables = dict(head.tables)
    if changed:
        head_tables = distinct_keyed_tables(base_tables, head_tables, changed)
    return diff_schemas(replace(base, tables=base_tables), replace(head, tables=head_tables))


def _events(result) -> list[str]:
    return [repr(e) for e in result.events]


PADDING = "".join(_table(f"pyz_plain_{i}", '<column name="code" type="VARCHAR" size="32"/>') for i in range(40))
TARGET = _table("pyz_target", '<column name="code" type="VARCHAR" size="64"/>', '<column name="rank" type="INTEGER"/>')
REFERRER = _table("pyz_referrer", '<column name="fk_target" type="INTEGER"/>',
                  _fk("pyz_referrer-fk_target", "fk_target", "pyz_target", "id_pyz_target"))
BY_CODE = _table("pyz_by_code", '<column name="target_code" type="VARCHAR" size="64"/>',
                 _fk("pyz_by_code-target_code", "target_code", "pyz_target", "code"))


@pytest.mark.parametrize("platform", ["mysql", "pgsql"])
def test_tables_both_sides_share_are_not_built(platform):
    note = '<column name="note" type="VARCHAR" size="16"/>'
    base = {SHOP: PADDING + TARGET + REFERRER.replace("</table>", note + "</table>"), OTHER: _table("pyz_elsewhere")}
    head = {SHOP: PADDING + TARGET + REFERRER, OTHER: _table("pyz_elsewhere")}
    result = compare(_files(base), _files(head), platform)
    assert isinstance(result.base.tables, LazyTables) and isinstance(result.head.tables, LazyTables)
    # the changed table and the table its key names; none of the 40 others, nor the other file's table
    assert result.base.tables.built_names() == {"pyz_referrer", "pyz_target"}
    assert result.head.tables.built_names() == {"pyz_referrer", "pyz_target"}
    assert [type(e).__name__ for e in result.events] == ["ColumnRemoved"] and result.findings
    assert _events(result) == [repr(e) for e in _whole(base, head, platform)]
    assert len(result.base.tables) == 43 and "pyz_plain_7" in result.head.tables
    assert result.head.tables.built_names() == {"pyz_referrer", "pyz_target"}  # len and `in` build nothing


@pytest.mark.parametrize("platform", ["mysql", "pgsql"])
def test_a_key_naming_a_changed_table_is_still_compared(platform):
    """The referrer's element is the same on both sides, but its key's target column changes type: Propel
    drops and re-adds the key (ForeignKeyChanged), so the diff must still read it."""
    # a skipSql key too: its table comes from the changed file, so it is diffed as a table of its own
    skipped = REFERRER.replace("pyz_referrer", "pyz_skipping").replace('pyz_target">', 'pyz_target" skipSql="true">')
    base = {SHOP: PADDING + TARGET + REFERRER + skipped}
    head = {SHOP: PADDING + TARGET.replace('name="id_pyz_target" type="INTEGER"', 'name="id_pyz_target" type="BIGINT"')
            + REFERRER + skipped}
    result = compare(_files(base), _files(head), platform, rules=[])  # CL907 reads every table on a retype
    changed_keys = sorted(e.base.name for e in result.events if isinstance(e, ev.ForeignKeyChanged))
    assert changed_keys == ["pyz_referrer", "pyz_skipping"]
    assert _events(result) == [repr(e) for e in _whole(base, head, platform)]
    assert result.base.tables.built_names() == result.head.tables.built_names() == {"pyz_referrer", "pyz_skipping",
                                                                                    "pyz_target"}


def test_rules_reading_the_keys_that_name_a_table_build_only_those_tables():
    """CL907 looks for the keys naming a retyped column's table, and for the keys naming a dropped table:
    a lazy side gives it those tables without building the others."""
    base = {SHOP: PADDING + TARGET + REFERRER}
    retyped = {SHOP: PADDING + TARGET.replace('name="id_pyz_target" type="INTEGER"', 'name="id_pyz_target" type="BIGINT"')
               + REFERRER}
    result = compare(_files(base), _files(retyped), "mysql")
    assert ("CL907", "pyz_target") in {(f.code, f.table) for f in result.findings}
    assert "pyz_referrer" in next(f.message for f in result.findings if f.code == "CL907")
    assert result.base.tables.built_names() == {"pyz_referrer", "pyz_target"}
    dropped = compare(_files(base), _files({SHOP: PADDING + REFERRER}), "mysql")
    refused = [f for f in dropped.findings if f.code == "CL907"]
    assert refused and "pyz_referrer keeps the foreign key" in refused[0].message
    assert not any(name.startswith("pyz_plain") for name in dropped.head.tables.built_names())


@pytest.mark.parametrize("platform", ["mysql", "pgsql"])
def test_uniques_a_changed_key_adds_to_an_unchanged_table_are_diffed(platform):
    """A key to a non-unique column makes Propel add a unique to the table it names: dropping the key takes
    that unique away from a table whose own element did not change."""
    base = {SHOP: PADDING + TARGET + BY_CODE, OTHER: _table("pyz_elsewhere")}
    head = {SHOP: PADDING + TARGET + BY_CODE.replace(_fk("pyz_by_code-target_code", "target_code", "pyz_target",
                                                         "code"), ""), OTHER: _table("pyz_elsewhere")}
    result = compare(_files(base), _files(head), platform)
    removed = [e for e in result.events if isinstance(e, ev.IndexRemoved)]
    assert ("pyz_target", "propel-fk-target") in [(e.base.name, e.index.provided_by) for e in removed]
    assert _events(result) == [repr(e) for e in _whole(base, head, platform)]
    assert result.findings  # the rules see the unique dropped
    assert "pyz_elsewhere" not in result.base.tables.built_names()
    # the key still names the table, by another column: the unique moves
    head = {SHOP: PADDING + TARGET + BY_CODE.replace('foreign="code"', 'foreign="rank"'), OTHER: _table("pyz_elsewhere")}
    result = compare(_files(base), _files(head), platform)
    added = [e.index.columns for e in result.events if isinstance(e, ev.IndexAdded) and e.head.name == "pyz_target"]
    assert ("rank",) in added
    assert _events(result) == [repr(e) for e in _whole(base, head, platform)]


def _eager(files: list[SchemaFile], platform: str) -> tuple[dict, list[LoadProblem]]:
    """Every table built at once, as `build_schema` did before tables were built when read."""
    problems: list[LoadProblem] = []
    invalid: set[str] = set()
    databases = []
    for group in group_files(files).values():
        parsed = [parse_file(f) for f in group]
        databases.append(merge_files(group, parsed, problems))
    builders, _ = collect_builders(databases, platform, problems, invalid)
    additions = fk_target_uniques(builders, platform)
    referenced = mysql_referenced_indexes(builders, platform)
    tables = {name: final_table(builders[name], additions.get(name, ()), platform, referenced.get(name, ()))
              for name in sorted(builders)}
    return tables, problems


AWKWARD = {
    SHOP: TARGET + BY_CODE + REFERRER
    + _table("pyz_stamped", '<behavior name="timestampable"/>', '<behavior name="archivable"/>',
             _fk("pyz_stamped-fk", "id_pyz_stamped", "pyz_target", "rank"))
    + _table("pyz_kept", '<behavior name="archivable"/>')
    + _table("pyz_timed", '<column name="fk_target" type="INTEGER"/>', '<behavior name="timestampable"/>',
             '<behavior name="uuid"/>', _fk("pyz_timed-fk", "fk_target", "pyz_target", "code"))  # built when read
    + _table("pyz_twice", '<column name="a" type="INTEGER"/><column name="a" type="VARCHAR"/>')
    + _table("pyz_odd", '<column name="a" type="integer"/><column name="b" type="TEXTISH"/>')
    + _table("pyz_skipped", _fk("pyz_skipped-fk", "id_pyz_skipped", "pyz_target", "code", ' skipSql="true"'))
    + _table("pyz_self", '<column name="parent" type="INTEGER"/>', _fk("pyz_self-parent", "parent", "pyz_self", "parent")),
    OTHER: _table("pyz_target", '<column name="other" type="INTEGER"/>')  # declared twice: a problem
    + _table("pyz_stamped_archive") + _table("pyz_far", _fk("pyz_far-fk", "id_pyz_far", "pyz_by_code", "target_code")),
}


@pytest.mark.parametrize("platform", ["mysql", "pgsql"])
def test_a_lazy_side_equals_building_every_table(platform):
    files = _files(AWKWARD).files
    schema, problems = load_schema(files, platform)
    tables, eager_problems = _eager(files, platform)
    assert [repr(p) for p in problems] == [repr(p) for p in eager_problems]
    assert {p.kind for p in problems} >= {"duplicate-table", "duplicate-column", "invalid-file"}
    assert list(schema.tables) == list(tables) and "pyz_kept_archive" in tables
    assert repr(dict(schema.tables.items())) == repr(tables)
    assert all(schema.tables[name] is tables[name] for name in tables)  # the same cached builds
    one_by_one = load_schema(files, platform)[0].tables  # each table read on its own, last first
    assert all(one_by_one[name] is tables[name] for name in reversed(list(tables)))
    assert repr(schema) == repr(Schema(platform, tables, schema.invalid_paths, schema.files,
                                       ambiguous_tables=schema.ambiguous_tables))


def _split(tables) -> dict[str, str]:
    """Even-numbered tables in one file, the others in another (a table keeps its file across edits)."""
    side = {SHOP: "", OTHER: ""}
    for table in tables:
        side[SHOP if int(table.name.rsplit("_", 1)[1][1:]) % 2 == 0 else OTHER] += table.xml() + "\n"
    return {path: text for path, text in side.items() if text}


@st.composite
def changes(draw):
    base = draw(schemas())
    return base, draw(edited(base))


@pytest.mark.parametrize("platform", ["mysql", "pgsql"])
@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(change=changes())
def test_the_diff_of_lazy_sides_equals_the_whole_diff(platform, change):
    base_spec, head_spec = change
    base, head = _split(base_spec), _split(head_spec)
    result = compare(_files(base), _files(head), platform)
    assert _events(result) == [repr(e) for e in _whole(base, head, platform)], schema_xml(head_spec)


def test_a_head_file_parsed_before_still_takes_over_the_base_tables():
    """`adopt_from_base` leaves the taking over to a fresh parse of the head file, and does it itself for a
    head file parsed before without the base version (here: loaded on its own first)."""
    base_text = wrap_tables(PADDING + TARGET).encode()
    head_text = wrap_tables(PADDING + TARGET.replace('size="64"', 'size="65"')).encode()
    for parsed_first in (False, True):
        base_file = SchemaFile(SHOP, base_text + b"<!-- %d -->" % parsed_first)
        head_file = SchemaFile(SHOP, head_text + b"<!-- %d -->" % parsed_first)
        if parsed_first:
            load_schema([head_file], "mysql")
        adopt_from_base([base_file], [head_file])
        old, new = parse_file(base_file), parse_file(head_file)
        shared = [a is b for a, b in zip(old.children, new.children)]
        assert shared == [True] * 40 + [False], parsed_first


@pytest.mark.parametrize("platform", ["mysql", "pgsql"])
def test_a_shared_table_under_another_namespace_is_another_table(platform):
    """The head file moves its database to another namespace: its equal tables are still the base's
    elements, but each table takes its namespace from the database, so the diff reads them (TableMoved)."""
    base_text = wrap_tables(TARGET + REFERRER)
    head_text = base_text.replace('namespace="Orm\\Zed\\Demo\\Persistence"', 'namespace="Orm\\Zed\\Moved\\Persistence"')
    assert head_text != base_text
    result = compare(_files({SHOP: base_text}), _files({SHOP: head_text}), platform)
    old, new = parse_file(SchemaFile(SHOP, base_text.encode())), parse_file(SchemaFile(SHOP, head_text.encode()))
    assert all(a is b for a, b in zip(old.children, new.children))  # shared elements
    assert sorted((type(e).__name__, e.base.name) for e in result.events) == [
        ("TableMoved", "pyz_referrer"), ("TableMoved", "pyz_target")]
    assert _events(result) == [repr(e) for e in _whole({SHOP: base_text}, {SHOP: head_text}, platform)]


def test_load_builds_only_tables_with_table_behaviors_or_column_problems(monkeypatch):
    import compatlint.normalize as normalize

    built: list[str] = []
    build_table = normalize._build_table
    monkeypatch.setattr(normalize, "_build_table", lambda element, *rest: (built.append(element.attrs["name"]),
                                                                           build_table(element, *rest))[1])
    side = {path: text + "<!-- load only -->" for path, text in AWKWARD.items()}  # not parsed or built before
    schema, _ = load_schema(_files(side).files, "mysql")
    assert sorted(built) == ["pyz_kept", "pyz_odd", "pyz_stamped", "pyz_twice"]
    assert schema.tables.built_names() == frozenset()
    schema.tables["pyz_timed"]  # column behaviors (timestampable, uuid): built when read
    assert built[4:] == ["pyz_timed"]
    schema.tables["pyz_target"]  # with the tables whose keys name it (the key of pyz_timed adds a unique)
    assert sorted(built[5:]) == ["pyz_by_code", "pyz_referrer", "pyz_skipped", "pyz_target"]
    assert [i.provided_by for i in schema.tables["pyz_target"].uniques.values()].count("propel-fk-target") == 2


def test_keyed_tables_of_a_changed_file_are_their_own_objects_however_read():
    """As `model.distinct_keyed_tables` leaves them: the head's tables with keys from a changed file are not
    the base's objects (equal ones), whether read one by one or all at once; other tables stay shared."""
    base = {SHOP: TARGET + REFERRER + BY_CODE, OTHER: REFERRER.replace("pyz_referrer", "pyz_far")}
    head = {SHOP: TARGET + REFERRER + BY_CODE + _table("pyz_new"), OTHER: base[OTHER]}
    for read_all in (False, True):
        result = compare(_files(base), _files(head), "mysql")
        assert result.head.tables.built_names() == {"pyz_new"}
        tables = dict(result.head.tables.items()) if read_all else {n: result.head.tables[n] for n in result.head.tables}
        old = result.base.tables
        assert tables["pyz_referrer"] is not old["pyz_referrer"] and tables["pyz_referrer"] == old["pyz_referrer"]
        assert tables["pyz_by_code"] is not old["pyz_by_code"]
        assert tables["pyz_target"] is old["pyz_target"] and tables["pyz_far"] is old["pyz_far"]
