"""A new version of a schema file takes over the old version's tables that lie wholly in lines the two
share (before the edit, or after it when the edit keeps the line count), without converting them: the
result must be exactly what converting every table gives, and only equal tables are ever taken over."""

import pytest

from compatlint.loaders import xml


@pytest.fixture(autouse=True)
def _small_files_too(monkeypatch):
    monkeypatch.setattr(xml, "_SHARED_LINES_FROM", 0)  # the examples are small; the real threshold is 8 KiB
from compatlint.loaders.same_text import same_lines
from compatlint.loaders.xml import parse_schema_bytes

TABLES = 40
BASE = (b'<?xml version="1.0"?>\n<database name="zed" namespace="Orm\\Zed\\X\\Persistence" package="src.Orm">\n'
        + b"".join(b'<table name="t%d"><column name="c" type="INTEGER"/></table>\n' % i for i in range(TABLES))
        + b"</database>\n")


def test_same_lines_before_and_after_an_edit_that_keeps_the_line_count():
    new = BASE.replace(b'"t10"><column name="c"', b'"t10"><column name="d"')
    found = same_lines(new, BASE)
    assert found.through == 12  # declaration, root, t0..t9
    assert found.after == 13  # the line of t10 holds the edit; every line after it is unchanged
    moved = same_lines(BASE.replace(b'<table name="t10">', b'<!-- new -->\n<table name="t10">'), BASE)
    assert moved.through == 12 and moved.after is None  # lines after the edit moved


def test_same_lines_refuses_what_newline_bytes_cannot_number():
    assert same_lines(BASE.replace(b"\n", b"\r\n"), BASE) is None
    assert same_lines(BASE.decode().encode("utf-16"), BASE) is None
    ebcdic = BASE.replace(b'version="1.0"', b'version="1.0" encoding="cp500"')
    assert same_lines(ebcdic, BASE) is None
    assert same_lines(BASE.replace(b'version="1.0"', b'version="1.0" encoding="UTF-8"'), BASE) is not None


def _converted_every_table(new: bytes, old_element) -> object:
    saved = xml._SOURCES.pop(id(old_element))  # without the old bytes: every table is converted
    try:
        return parse_schema_bytes(new, "x.schema.xml", old_element)
    finally:
        xml._SOURCES[id(old_element)] = saved


EDITS = {
    "column renamed in t10": (b'"t10"><column name="c"', b'"t10"><column name="d"'),
    "comment line before t10": (b'<table name="t10">', b"<!-- note -->\n<table name=\"t10\">"),
    "comment on t10's line": (b'<table name="t10">', b"<!-- note --><table name=\"t10\">"),
    "namespace on the root": (b'name="zed"', b'name="zed" xmlns="spryker:schema-01"'),
    "two tables joined on one line": (b'</table>\n<table name="t20">', b'</table><table name="t20">'),
    "last table edited": (b'"t39"><column name="c"', b'"t39"><column name="e"'),
    "first table edited": (b'"t0"><column name="c"', b'"t0"><column name="e"'),
}


@pytest.mark.parametrize("edit", sorted(EDITS))
@pytest.mark.parametrize("direction", ["forward", "back"])
def test_tables_in_shared_lines_are_taken_over_exactly_when_equal(edit, direction):
    old_bytes, new_bytes = BASE, BASE.replace(*EDITS[edit])
    assert new_bytes != old_bytes
    if direction == "back":
        old_bytes, new_bytes = new_bytes, old_bytes
    old = parse_schema_bytes(old_bytes, "x.schema.xml")
    fast = parse_schema_bytes(new_bytes, "x.schema.xml", old)
    plain = _converted_every_table(new_bytes, old)
    assert fast == plain
    # the very same old tables as when every table is converted and compared with the old one
    earlier = {id(e) for e in old.children}
    assert [id(e) in earlier and id(e) for e in fast.children] == [id(e) in earlier and id(e) for e in plain.children]


def test_only_the_edited_table_is_converted_again(monkeypatch):
    old = parse_schema_bytes(BASE, "x.schema.xml")
    converted = []
    convert = xml._convert

    def counting(element, path, depth=0, *args, **kwargs):
        if depth == 1:
            converted.append(element.get("name"))
        return convert(element, path, depth, *args, **kwargs)

    monkeypatch.setattr(xml, "_convert", counting)
    new = parse_schema_bytes(BASE.replace(*EDITS["column renamed in t10"]), "x.schema.xml", old)
    # the edited table and its neighbours (whose next or previous element lies on the edited line)
    assert converted == ["t9", "t10", "t11"]
    assert new.children[10].children[0].attrs["name"] == "d"


def test_a_table_whose_lines_moved_is_not_taken_over():
    old = parse_schema_bytes(BASE, "x.schema.xml")
    new = parse_schema_bytes(BASE.replace(b'<table name="t5">', b'<!-- x -->\n<table name="t5">'), "x.schema.xml", old)
    by_name = {e.attrs["name"]: e for e in old.children}
    assert new.children[3] is by_name["t3"]
    assert all(e is not by_name[e.attrs["name"]] for e in new.children[5:])
    assert new.children[7].origin.line == by_name["t7"].origin.line + 1
