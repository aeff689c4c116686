"""Building a table again keeps the columns, indexes, foreign keys and behavior columns that stand where they
stood, made of the same (`normalize._PLACED`, `behaviors._COLUMNS`): whatever is kept must be what a build
from scratch gives, field for field (origins too), and anything changed or moved must be made anew."""

from dataclasses import fields

import pytest

from compatlint import behaviors, normalize
from compatlint.loaders.xml import parse_schema_bytes
from compatlint.model import Index
from compatlint.normalize import expanded_tables, final_table

SCHEMA = """<?xml version="1.0"?>
<database name="zed" namespace="Orm\\Zed" package="src.Orm.Zed">
    <table name="spy_thing">
{extra}        <column name="id_thing" type="INTEGER" primaryKey="true" autoIncrement="true"/>
        <column name="fk_other" type="INTEGER" required="true"/>
        <column name="code" type="VARCHAR"/>
        <column name="name" type="VARCHAR" size="{size}"/>
        <index><index-column name="name"/></index>
        <unique name="spy_thing-unique-code"><unique-column name="code"/></unique>
        <foreign-key foreignTable="spy_other"><reference local="fk_other" foreign="id_other"/></foreign-key>
        <behavior name="timestampable"/>
        <behavior name="uuid"/>
    </table>
</database>
"""


def _schema(size: int = 255, extra: str = "") -> bytes:
    return SCHEMA.format(size=size, extra=extra).encode()


def _build(data: bytes, platform: str = "mysql"):
    database = parse_schema_bytes(data, "src/Spryker/Thing/schema/spy_thing.schema.xml")
    table = next(e for e in database.children if e.tag == "table")
    return expanded_tables(table, database, platform)[0]


def _values(item) -> tuple:
    """Every field, those the model does not compare included (origin, attribute origins, provided_by)."""
    return tuple((f.name, getattr(item, f.name)) for f in fields(item))


def _parts(builder) -> list:
    return [*builder.columns.values(), *builder.indexes.values(), *builder.uniques.values(),
            *builder.foreign_keys.values()]


def _from_scratch(data: bytes, platform: str, monkeypatch):
    with monkeypatch.context() as patched:
        patched.setattr(normalize, "_PLACED", {})
        patched.setattr(normalize, "_COLUMNS", {})
        patched.setattr(behaviors, "_COLUMNS", {})
        return _build(data, platform)


def _assert_as_from_scratch(builder, data: bytes, platform: str, monkeypatch):
    fresh = _from_scratch(data, platform, monkeypatch)
    assert [_values(p) for p in _parts(builder)] == [_values(p) for p in _parts(fresh)]


@pytest.fixture(autouse=True)
def _own_caches(monkeypatch):
    monkeypatch.setattr(normalize, "_PLACED", {})
    monkeypatch.setattr(normalize, "_placed_count", 0)
    monkeypatch.setattr(normalize, "_COLUMNS", {})
    monkeypatch.setattr(behaviors, "_COLUMNS", {})


def test_the_same_file_parsed_again_keeps_every_part(monkeypatch):
    first, again = _build(_schema()), _build(_schema())
    assert first is not again  # new elements: the table is built again
    kept = [(a, b) for a, b in zip(_parts(first), _parts(again), strict=True) if not isinstance(a, Index)
            or a.provided_by is None]  # (a behavior's index is made anew: few, and cheap)
    assert len(kept) == 10 and all(a is b for a, b in kept)
    _assert_as_from_scratch(again, _schema(), "mysql", monkeypatch)


def test_a_changed_column_is_made_anew_and_the_others_kept(monkeypatch):
    first, changed = _build(_schema()), _build(_schema(size=128))
    assert changed.columns["name"] is not first.columns["name"]
    assert changed.columns["name"].size == 128
    assert all(changed.columns[n] is first.columns[n] for n in ("id_thing", "fk_other", "code", "created_at"))
    _assert_as_from_scratch(changed, _schema(size=128), "mysql", monkeypatch)


def test_parts_that_moved_get_their_new_lines(monkeypatch):
    first = _build(_schema())
    extra = '        <column name="added" type="INTEGER"/>\n'
    moved = _build(_schema(extra=extra))
    for name in ("id_thing", "name"):
        assert moved.columns[name].origin.line == first.columns[name].origin.line + 1
    assert next(iter(moved.foreign_keys.values())).origin.line == next(iter(first.foreign_keys.values())).origin.line + 1
    assert moved.columns["created_at"].origin.line == first.columns["created_at"].origin.line + 1
    _assert_as_from_scratch(moved, _schema(extra=extra), "mysql", monkeypatch)


def test_a_column_kept_for_one_platform_is_not_taken_for_the_other(monkeypatch):
    mysql, pgsql = _build(_schema(), "mysql"), _build(_schema(), "pgsql")
    assert mysql.columns["code"].size == 255  # MySQL has no VARCHAR without a size
    assert pgsql.columns["code"].size is None
    _assert_as_from_scratch(pgsql, _schema(), "pgsql", monkeypatch)


def test_an_index_whose_columns_changed_is_made_anew(monkeypatch):
    data = _schema().replace(b'<index-column name="name"/>', b'<index-column name="code"/>')
    first, changed = _build(_schema()), _build(data)
    assert [i.columns for i in changed.indexes.values()] == [("code",)]
    assert list(changed.indexes) != list(first.indexes)  # the generated name follows the columns
    assert changed.uniques["spy_thing-unique-code"] is first.uniques["spy_thing-unique-code"]
    _assert_as_from_scratch(changed, data, "mysql", monkeypatch)


def test_final_table_adds_mysql_key_indexes_without_changing_the_builder():
    builder = _build(_schema())
    indexes, uniques = builder.indexes, builder.uniques
    before = dict(indexes)
    table = final_table(builder, (), "mysql")
    assert builder.indexes is indexes and builder.uniques is uniques and indexes == before
    added = [i for i in table.indexes.values() if i.provided_by == "mysql-fk-index"]
    assert [(i.name, i.columns) for i in added] == [(next(iter(builder.foreign_keys)).replace("_fk_", "_fi_"),
                                                     ("fk_other",))]
    assert final_table(_build(_schema()), (), "mysql").indexes == table.indexes  # the kept key keeps its index


def test_timestampable_without_parameters_adds_what_its_defaults_add():
    from compatlint.behaviors import timestampable
    from compatlint.model import Behavior, Origin
    from compatlint.table_builder import TableBuilder

    origin = Origin("a.schema.xml", 3)
    defaults = (("is_timestamp", "true"), ("disable_created_at", "false"), ("disable_updated_at", "false"),
                ("create_column", "created_at"), ("update_column", "updated_at"))
    for platform in ("mysql", "pgsql"):
        plain, spelled = TableBuilder("spy_a"), TableBuilder("spy_a")
        timestampable(plain, Behavior("timestampable", (), origin), platform)
        timestampable(spelled, Behavior("timestampable", defaults, origin), platform)
        assert list(plain.columns) == ["created_at", "updated_at"]
        assert [_values(c) for c in plain.columns.values()] == [_values(c) for c in spelled.columns.values()]


def test_columns_and_indexes_copied_by_a_behavior_are_what_replace_makes():
    from dataclasses import replace

    from compatlint.behaviors import archivable
    from compatlint.model import Behavior, Origin

    source = _build(_schema())
    behavior = Behavior("archivable", (), Origin("a.schema.xml", 9))
    archive = archivable(source, behavior, "mysql")[0]
    for column in source.columns.values():
        expected = replace(column, auto_increment=False, provided_by="archivable", origin=behavior.origin,
                           attr_origins={})
        assert _values(archive.columns[column.name]) == _values(expected)
    copied = [i for i in source.indexes.values() if i.provided_by != "mysql-fk-index"]
    assert [_values(archive.indexes[i.name]) for i in copied] == [
        _values(replace(i, provided_by="archivable", origin=behavior.origin)) for i in copied]
    unique = archive.indexes[next(n for n in archive.indexes if n not in source.indexes)]
    assert (unique.unique, unique.provided_by, unique.origin) == (False, "archivable", behavior.origin)


def test_freeze_keeps_every_field_of_the_table():
    from compatlint.model import Table

    builder = _build(_schema())
    builder.id_method_parameter, builder.provided_by, builder.description = "seq", "archivable", "text"
    table = builder.freeze()
    assert [getattr(table, f.name) for f in fields(Table)] == [getattr(builder, f.name) for f in fields(Table)]
    other = {"x": Index("x", ("code",))}
    assert builder.freeze(indexes=other).indexes is other and builder.freeze(uniques=other).uniques is other


def test_the_kept_parts_are_bounded(monkeypatch):
    monkeypatch.setattr(normalize, "_COLUMNS_LIMIT", 3)
    _build(_schema())
    assert normalize._placed_count > 3
    again = _build(_schema())  # starts afresh: nothing kept, made anew as from scratch
    assert normalize._placed_count <= 8
    _assert_as_from_scratch(again, _schema(), "mysql", monkeypatch)


def test_a_column_declared_twice_on_one_line_is_reported_though_both_are_one_kept_object():
    """Both declarations stand at the same place, made of the same: the second is the kept first one, and is
    still a column declared twice (Propel refuses the table)."""
    twice = '        <column name="note" type="VARCHAR"/><column name="note" type="VARCHAR"/>\n'
    builder = _build(_schema(extra=twice))
    assert [name for name, _, _ in builder.duplicate_columns] == ["note"]
    again = _build(_schema(extra=twice).replace(b"<table", b"<table ", 1))  # equal parts, built again: kept
    assert [name for name, _, _ in again.duplicate_columns] == ["note"]
