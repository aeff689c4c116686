"""The cheaper ways of making small model objects must make exactly what the plain ways make: an `Origin`
is a tuple that behaves as the frozen dataclass of (path, line) it was, and the converter stores a
RawElement's fields itself instead of calling the class."""

import copy
import dataclasses
import pickle

import pytest

from compatlint.loaders import xml
from compatlint.model import Behavior, Column, Default, ForeignKey, Index, Origin, Table


def test_origin_compares_orders_and_hashes_by_path_then_line():
    a, b = Origin("a.xml", 3), Origin("a.xml", 3)
    assert a == b and not a != b and hash(a) == hash(b) == hash(("a.xml", 3))
    assert Origin("a.xml", 3) != Origin("a.xml", 4) and Origin("a.xml", 3) != Origin("b.xml", 3)
    assert Origin("a.xml", 3) < Origin("a.xml", 10) < Origin("b.xml", 1)
    assert sorted([Origin("b.xml", 1), Origin("a.xml", 9), Origin("a.xml", 2)]) == \
        [Origin("a.xml", 2), Origin("a.xml", 9), Origin("b.xml", 1)]
    assert a != None and Origin("a.xml") == Origin("a.xml", None)  # noqa: E711
    with pytest.raises(TypeError):
        Origin("a.xml", 1) < None  # noqa: B015


def test_origin_reads_prints_and_copies_as_the_dataclass_did():
    origin = Origin("a.xml", 3)
    assert (origin.path, origin.line, Origin("a.xml").line) == ("a.xml", 3, None)
    assert (str(origin), str(Origin("a.xml")), f"{origin}") == ("a.xml:3", "a.xml", "a.xml:3")
    assert repr(origin) == "Origin(path='a.xml', line=3)"
    assert dataclasses.is_dataclass(origin) and [f.name for f in dataclasses.fields(Origin)] == ["path", "line"]
    moved = dataclasses.replace(origin, path="b.xml")
    assert moved == Origin("b.xml", 3) and type(moved) is Origin
    assert pickle.loads(pickle.dumps(origin)) == origin and copy.deepcopy(origin) == origin
    with pytest.raises(dataclasses.FrozenInstanceError):
        origin.line = 4


SCHEMA = b"""<?xml version="1.0"?>
<!-- before the root -->
<database xmlns="spryker:schema-01" name="zed" namespace="Orm\\Zed\\X\\Persistence" package="src.Orm">
  <!-- before a table -->
  <table name="spy_a" idMethod="native">
    <!-- before a column -->
    <column name="id" type="INTEGER" primaryKey="true" autoIncrement="true"/>
    <column name="fk_b" type="INTEGER"/>
    <index name="spy_a-fk_b"><index-column name="fk_b"/></index>
    <foreign-key foreignTable="spy_b"><reference local="fk_b" foreign="id"/></foreign-key>
    <behavior name="timestampable"/>
    <!-- last in the table -->
  </table>
  <table name="spy_b"><column name="id" type="INTEGER" primaryKey="true"/></table>
</database>
"""


def _elements(element):
    yield element
    for child in element.children:
        yield from _elements(child)


def test_converted_elements_are_what_the_class_makes_of_their_fields():
    raw = xml.parse_schema_bytes(SCHEMA, "a.schema.xml")
    names = [f.name for f in dataclasses.fields(xml.RawElement)]
    seen = 0
    for element in _elements(raw):
        values = [getattr(element, name) for name in names]  # every field set
        assert type(element) is xml.RawElement and xml.RawElement(*values) == element
        assert type(element.origin) is Origin and element.origin == Origin("a.schema.xml", element.origin.line)
        seen += 1
    assert seen == 11
    table = raw.children[0]
    assert table.comments == [(" before a table ", 4), (" last in the table ", 12)] and table.sources == ["a.schema.xml"]
    column = table.children[0]
    assert (column.tag, column.attrs["name"], column.origin.line, column.comments) == \
        ("column", "id", 7, [(" before a column ", 6)])
    index = table.children[2]
    assert index.children[0].attrs == {"name": "fk_b"} and index.children[0].sources == ()


def _hash(value):
    try:
        return hash(value)
    except TypeError:  # a table holds dicts
        return "unhashable"


def _by_fields(cls, *args, **kwargs):
    """What the dataclass's own `__init__` makes: each field from the arguments, else its default."""
    made = object.__new__(cls)
    given = dict(zip((f.name for f in dataclasses.fields(cls)), args), **kwargs)
    for f in dataclasses.fields(cls):
        value = given[f.name] if f.name in given else \
            f.default if f.default is not dataclasses.MISSING else f.default_factory()
        object.__setattr__(made, f.name, value)
    return made


@pytest.mark.parametrize("cls, args, kwargs", [
    (Default, ("0",), {}),
    (Column, ("id", "INTEGER"), {"not_null": True, "origin": Origin("a.xml", 3), "attr_origins": {"type": Origin("b.xml")}}),
    (Column, ("id", "INTEGER", 11, None, "INT", True, True, True, Default("1"), None, True, "d", "b", Origin("a.xml")), {}),
    (Index, ("i", ("a", "b")), {"unique": True, "sizes": (None, 4)}),
    (ForeignKey, ("fk", "spy_b", ("fk_b",), ("id",)), {"on_delete": "CASCADE", "deferrable": True}),
    (Behavior, ("timestampable",), {"parameters": (("a", "b"),)}),
    (Table, ("t", {}, {}, {}, {}), {"files": ("a.xml",), "origin": Origin("a.xml", 2), "skip_sql": True}),
])
def test_quick_init_makes_what_the_dataclass_would(cls, args, kwargs):
    quick, plain = cls(*args, **kwargs), _by_fields(cls, *args, **kwargs)
    assert type(quick) is cls
    for f in dataclasses.fields(cls):
        assert getattr(quick, f.name) == getattr(plain, f.name)
    assert quick == plain and repr(quick) == repr(plain) and _hash(quick) == _hash(plain)
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(quick, dataclasses.fields(cls)[0].name, "other")  # frozen again once made


def test_quick_init_defaults_and_subclasses():
    column = Column("id", "INTEGER")
    assert column.attr_origins == {} and column.attr_origins is not Column("id", "INTEGER").attr_origins
    assert Table("t", {}, {}, {}, {}).behaviors == {}

    class Named(Column):  # a subclass's objects get their fields through the slots' `__set__`
        pass

    class Slotted(Column):
        __slots__ = ()

    for kind in (Named, Slotted):
        made = kind("id", "INTEGER", size=4)
        assert type(made) is kind and (made.name, made.size, made.attr_origins) == ("id", 4, {})
        assert made == _by_fields(kind, "id", "INTEGER", size=4)


@pytest.mark.parametrize("data, line", [
    (b'<?xml version="1.0"?>\n<!DOCTYPE database>\n<database/>', 2),
    (b"<!-- a comment! -->\n<!-- another -->\n\n<!doctype database [<!ENTITY x 'y'>]>\n<database/>", 4),
    (b"<database>\n<!-- ! <!-- -->\n<table name='a!'/></database>\n<!DocType x>", 4),
    (b"<!DOCTYPE x>", 1),
    (b"!<!DOCTYP", None), (b"<database name='!'/>", None), (b"<\n!DOCTYPE x>", None), (b"", None),
])
def test_doctype_found_by_its_bang(data, line):
    assert xml._doctype_line(data) == line


@pytest.mark.parametrize("body, line, message", [
    ('<column type="INTEGER"/>', 3, "<column> in table t without a name attribute"),
    ('<behavior/>', 3, "<behavior> in table t without a name attribute"),
    ('<foreign-key foreignTable=""/>', 3, "<foreign-key> in table t without foreignTable"),
    ('<id-method-parameter/>', 3, "<id-method-parameter> in table t without value"),
    ('<id-method-parameter value=""/><column name=""/>', 3, "<column> in table t without a name attribute"),
    ('<foreign-key foreignTable="u"/>\n<parameter/>', 4, "<parameter> in table t without a name attribute"),
])
def test_each_kind_of_element_is_validated_in_document_order(body, line, message):
    data = f'<?xml version="1.0"?>\n<database name="zed">\n<table name="t">{body}</table>\n</database>\n'.encode()
    with pytest.raises(xml.SchemaFileError) as raised:
        xml.parse_schema_bytes(data, "a.xml")
    assert (raised.value.line, raised.value.message) == (line, message)
