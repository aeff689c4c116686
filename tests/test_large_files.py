"""Large schema files: tables converted when read, and a new version sharing the earlier one's tables.

Whatever `loaders.large_files` does, it must give the element tree `xml.parse_schema_bytes` gives (lines,
comments and errors included); these tests compare the two on files built to hit each of its paths."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compatlint.loaders import large_files
from compatlint.loaders.large_files import parse_large_schema_bytes
from compatlint.loaders.xml import DeferredTable, RawElement, SchemaFileError, parse_schema_bytes
from compatlint import loading
from compatlint.lazy_tables import tables_that_may_differ

from cli_runner import cli

NS = 'xmlns="spryker:schema-01" '


def table_xml(i: int, *, extra: str = "", fk: int | None = None, layout: str = "lines") -> str:
    """One table; `layout` "lines" puts each element on its own line, "one" the whole table on one line."""
    parts = [f'<column name="id_t{i}" type="INTEGER" primaryKey="true"/>',
             f'<column name="code" type="VARCHAR" size="{32 + i % 50}"/>']
    if fk is not None:
        parts.append(f'<column name="fk_t{fk}" type="INTEGER"/>')
        parts.append(f'<foreign-key foreignTable="t{fk}"><reference local="fk_t{fk}" foreign="id_t{fk}"/></foreign-key>')
    if extra:
        parts.append(extra)
    if layout == "one":
        return f'<table name="t{i}">{"".join(parts)}</table>'
    return f'<table name="t{i}">\n    ' + "\n    ".join(parts) + "\n</table>"


def schema(tables: list[str], *, root_attrs: str = NS, before: str = "", after: str = "") -> bytes:
    return (f'<?xml version="1.0"?>\n<database {root_attrs}name="zed" namespace="Orm\\Zed">\n{before}'
            + "\n".join(tables) + f"\n{after}</database>\n").encode()


def many(n: int, **kwargs) -> list[str]:
    return [table_xml(i, fk=(i - 1 if i % 3 == 0 and i else None), **kwargs) for i in range(n)]


def assert_same_tree(lazy: RawElement, eager: RawElement) -> None:
    assert [c.tag for c in lazy.children] == [c.tag for c in eager.children]
    assert lazy == eager  # converts every DeferredTable and compares every field, lines and comments included


def deferred_count(raw: RawElement) -> int:
    return sum(1 for child in raw.children if child.__class__ is DeferredTable)


VARIANTS = {
    "plain": schema(many(40)),
    "one line tables": schema(many(40, layout="one")),
    "no namespace": schema(many(20), root_attrs=""),
    "comments before, inside and after": schema(
        [f"<!-- about t{i} -->\n" + table_xml(i, extra=f"<!-- inside t{i} -->") for i in range(10)],
        before="<!-- first -->\n", after="<!-- last -->\n"),
    "table-adding behavior": schema(many(5) + [table_xml(9, extra='<behavior name="archivable"/>')]),
    "column behavior": schema(many(5) + [table_xml(9, extra='<behavior name="timestampable"/>')]),
    "unknown type": schema(many(5) + [table_xml(9, extra='<column name="odd" type="POINT"/>')]),
    "type with entity": schema(many(5) + [table_xml(9, extra='<column name="odd" type="INT&#69;GER"/>')]),
    "column twice": schema(many(5) + [table_xml(9, extra='<column name="code" type="INTEGER"/>')]),
    "child in another namespace": schema(many(5) + [table_xml(9, extra='<column xmlns="other" name="x" type="INTEGER"/>')]),
    "table in another namespace": schema(many(5) + ['<table xmlns="other" name="t9"><column name="a" type="INTEGER"/></table>']),
    "many columns": schema([table_xml(0, extra="".join(f'<column name="c{j}" type="INTEGER"/>' for j in range(80)))]),
    "database elements": schema(many(5), before='<external-schema filename="x.xml"/>\n<behavior name="event"/>\n'),
    "table start in a comment": schema(many(5) + ["<!-- <table name='old'> -->"] + many(3)),
    "self-closing table": schema(many(3) + ['<table name="empty"/>']),
    "pgsql vendor": schema(many(3) + [table_xml(9, extra='<vendor type="pgsql"><parameter name="x" value="y"/></vendor>')]),
}


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_a_large_file_reads_as_the_whole_conversion(name):
    data = VARIANTS[name]
    lazy = parse_large_schema_bytes(data, "big.schema.xml")
    eager = parse_schema_bytes(data, "big.schema.xml")
    assert_same_tree(lazy, eager)


def test_tables_are_converted_only_when_read():
    lazy = parse_large_schema_bytes(schema(many(30)), "big.schema.xml")
    assert deferred_count(lazy) == 30
    lazy.children[4].children  # reading one converts that one only
    assert deferred_count(lazy) == 29
    assert lazy.children[4].__class__ is RawElement


def test_tables_needing_a_closer_look_are_converted_at_once():
    lazy = parse_large_schema_bytes(VARIANTS["unknown type"], "big.schema.xml")
    assert [c.attrs["name"] for c in lazy.children if c.__class__ is not DeferredTable] == ["t9"]


@pytest.mark.parametrize("bad, message", [
    ('<table><column name="a" type="INTEGER"/></table>', "<table> without a name attribute"),
    ('<table name="x"><column type="INTEGER"/></table>', "<column> in table x without a name attribute"),
    ('<table name="x"><column name="" type="INTEGER"/></table>', "<column> in table x without a name attribute"),
    ('<table name="x"><foreign-key foreignTable=""/></table>', "<foreign-key> in table x without foreignTable"),
    ('<table name="x"><id-method-parameter/></table>', "<id-method-parameter> in table x without value"),
    ('<table name="x"><behavior/></table>', "<behavior> in table x without a name attribute"),
    ('<table name="x"><table/></table>', "<table> in table x without a name attribute"),
    ('<table name="x"><xml:column/></table>', "<column> in table x without a name attribute"),
    ('<table name="x"><xml:foreign-key/></table>', "<foreign-key> in table x without foreignTable"),
])
def test_an_unusable_table_gives_the_same_error_and_line(bad, message):
    data = schema(many(12) + [bad] + many(3))
    with pytest.raises(SchemaFileError) as eager:
        parse_schema_bytes(data, "big.schema.xml")
    with pytest.raises(SchemaFileError) as lazy:
        parse_large_schema_bytes(data, "big.schema.xml")
    assert str(lazy.value) == str(eager.value)
    assert message in str(lazy.value)


@pytest.mark.parametrize("child", ['<xml:column name="c" type="POINT"/>', '<xml:foreign-key foreignTable="t1"/>',
                                   '<xml:behavior name="archivable"/>', '<column name="x"/><xml:column name="x"/>'])
def test_a_deferred_tables_outline_is_the_converted_tables(child):
    from compatlint.lazy_tables import _outline
    data = schema(many(3) + [f'<table name="x">{child}</table>'])
    lazy = parse_large_schema_bytes(data, "big.schema.xml")
    eager = parse_schema_bytes(data, "big.schema.xml")
    assert [_outline(t) for t in lazy.children] == [_outline(t) for t in eager.children]


def test_an_xml_id_twice_is_refused_with_an_earlier_version_too():
    old = schema(many(30)).replace(b'<table name="t1">', b'<table name="t1" xml:id="x">')
    new = old.replace(b'<table name="t25">', b'<table name="t25" xml:id="x">')
    assert_same_error(new, parse_large_schema_bytes(old, "big.schema.xml"))


def assert_same_error(new: bytes, earlier: RawElement) -> None:
    with pytest.raises(SchemaFileError) as eager:
        parse_schema_bytes(new, "big.schema.xml")
    with pytest.raises(SchemaFileError) as lazy:
        parse_large_schema_bytes(new, "big.schema.xml", earlier)
    assert str(lazy.value) == str(eager.value)


def test_an_unknown_root_element_is_refused_before_its_tables():
    data = b'<?xml version="1.0"?>\n<schema>\n<table><column/></table>\n</schema>\n'
    with pytest.raises(SchemaFileError, match="unknown root element <schema>"):
        parse_large_schema_bytes(data, "big.schema.xml")


EDITS = {
    "column retyped in the middle": lambda t: t.__setitem__(20, t[20].replace('size="52"', 'size="60"')),
    "table added": lambda t: t.insert(20, table_xml(99)),
    "table dropped": lambda t: t.pop(20),
    "comment added before a table": lambda t: t.__setitem__(20, "<!-- note -->\n" + t[20]),
    "first table edited": lambda t: t.__setitem__(0, t[0].replace('size="32"', 'size="33"')),
    "last table edited": lambda t: t.__setitem__(-1, t[-1].replace('type="INTEGER" primaryKey', 'type="BIGINT" primaryKey')),
    "two edits far apart": lambda t: (t.__setitem__(5, t[5].replace("code", "kode")), t.__setitem__(35, t[35].replace("code", "kode"))),
    "lines added": lambda t: t.__setitem__(20, t[20].replace("<column", "\n\n<column", 1)),
}


@pytest.mark.parametrize("edit", sorted(EDITS))
@pytest.mark.parametrize("layout", ["lines", "one"])
def test_a_new_version_shares_the_unchanged_tables(edit, layout):
    tables = many(40, layout=layout)
    old = schema(tables)
    EDITS[edit](tables)
    new = schema(tables)
    earlier = parse_large_schema_bytes(old, "big.schema.xml")
    shared = parse_large_schema_bytes(new, "big.schema.xml", earlier)
    assert_same_tree(shared, parse_schema_bytes(new, "big.schema.xml"))
    old_tables = {id(child) for child in earlier.children}
    taken = [child.attrs["name"] for child in shared.children if id(child) in old_tables]
    if edit != "first table edited":
        assert "t2" in taken  # before the edit
    if new.count(b"\n") == old.count(b"\n") and edit != "last table edited":
        assert "t39" in taken  # after the edit, on lines that did not move
    else:
        assert "t39" not in taken  # lines moved: t39's elements have other lines
    edited_names = {"t5", "t35"} if edit == "two edits far apart" else {"t0"} if edit == "first table edited" \
        else {"t39"} if edit == "last table edited" else {"t20"}
    assert not edited_names & set(taken)


def test_a_chain_of_versions_keeps_sharing():
    tables = many(40)
    versions = []
    for step in range(4):
        tables[10 + step * 5] = tables[10 + step * 5].replace("code", f"code{step}")
        versions.append(schema(tables))
    parsed = parse_large_schema_bytes(versions[0], "big.schema.xml")
    for data in versions[1:]:
        newer = parse_large_schema_bytes(data, "big.schema.xml", parsed)
        assert_same_tree(newer, parse_schema_bytes(data, "big.schema.xml"))
        assert newer.children[0] is parsed.children[0] and newer.children[-1] is parsed.children[-1]
        parsed = newer


@pytest.mark.parametrize("change", [
    lambda d: d.replace(b'name="zed"', b'name="zed2"'),  # the root's start tag changed
    lambda d: d.replace(b'<table name="t20">', b'<!-- <table name="x"> -->\n<table name="t20">'),
    lambda d: d.replace(b"</database>", b"<!-- end --></database>"),
    lambda d: d.replace(b'<table name="t20">', b'<!--<table name="t20">', 1).replace(
        b'<table name="t22">', b'--><table name="t22">', 1),  # a comment over two tables, lines kept
])
def test_any_new_version_reads_as_the_whole_conversion(change):
    old = schema(many(40))
    new = change(old)
    earlier = parse_large_schema_bytes(old, "big.schema.xml")
    assert_same_tree(parse_large_schema_bytes(new, "big.schema.xml", earlier), parse_schema_bytes(new, "big.schema.xml"))


def test_files_with_text_in_elements_are_read_whole_without_sharing():
    old = schema(many(20), before="<external-schema>some text</external-schema>\n")
    new = old.replace(b'size="42"', b'size="43"')
    earlier = parse_large_schema_bytes(old, "big.schema.xml")
    newer = parse_large_schema_bytes(new, "big.schema.xml", earlier)
    assert_same_tree(newer, parse_schema_bytes(new, "big.schema.xml"))
    assert not {id(c) for c in earlier.children} & {id(c) for c in newer.children}


def test_an_error_in_the_new_version_is_reported_as_a_whole_parse_reports_it():
    old = schema(many(40))
    for new in (old.replace(b'<table name="t20">', b'<table name="t20"><column type="INTEGER"/>'),
                old.replace(b'<table name="t20">', b'<table name="t20"><column name="a">'),
                old.replace(b"</table>\n<table name=\"t30\">", b"\n<table name=\"t30\">")):
        assert_same_error(new, parse_large_schema_bytes(old, "big.schema.xml"))


def test_past_line_65535_unchanged_tables_are_shared():
    """lxml reports such lines as 65535: the tables are lined up by their bytes, not by their lines."""
    tables = many(70_000, layout="one")
    old = schema(tables)
    tables[68_000] = tables[68_000].replace("code", "kode")
    new = schema(tables)
    earlier = parse_large_schema_bytes(old, "big.schema.xml")
    shared = parse_large_schema_bytes(new, "big.schema.xml", earlier)
    kept = sum(1 for a, b in zip(earlier.children, shared.children) if a is b)
    assert kept == 70_000 - 2  # the edited table and the one parsed again before it
    assert shared.children[68_000].children[1].attrs["name"] == "kode"
    assert shared.children[69_999] is earlier.children[69_999]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["plain", "fk", "comment", "archivable", "odd", "twice", "one"]), min_size=3, max_size=25),
       st.data())
def test_generated_files_and_edits_read_as_the_whole_conversion(kinds, data):
    def build(kind_list):
        out = []
        for i, kind in enumerate(kind_list):
            extra = {"archivable": '<behavior name="archivable"/>', "odd": '<column name="o" type="POINT"/>',
                     "twice": '<column name="code" type="BIGINT"/>'}.get(kind, "")
            text = table_xml(i, extra=extra, fk=(i - 1 if kind == "fk" and i else None),
                             layout="one" if kind == "one" else "lines")
            out.append(f"<!-- c{i} -->\n{text}" if kind == "comment" else text)
        return out
    tables = build(kinds)
    old = schema(tables)
    position = data.draw(st.integers(0, len(tables) - 1))
    edited = list(tables)
    edited[position] = data.draw(st.sampled_from([
        edited[position].replace("code", "kode"), "", edited[position] + "\n" + table_xml(500),
        edited[position].replace("<column", "<!-- x --><column", 1)]))
    new = schema([t for t in edited if t])
    earlier = parse_large_schema_bytes(old, "big.schema.xml")
    assert_same_tree(earlier, parse_schema_bytes(old, "big.schema.xml"))
    assert_same_tree(parse_large_schema_bytes(new, "big.schema.xml", earlier), parse_schema_bytes(new, "big.schema.xml"))


def _check_json(tmp_path, base: bytes, head: bytes) -> dict:
    for side, data in (("base", base), ("head", head)):
        folder = tmp_path / side
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "big.schema.xml").write_bytes(data)
    result = cli(tmp_path, "check", "--base-dir", "base", "--head-dir", "head", "--format", "json")
    assert result.exit_code in (0, 1), result
    return result.json()


def test_check_reports_the_same_on_large_files_as_on_small_ones(tmp_path, monkeypatch):
    tables = many(60)
    base = schema(tables)
    tables[30] = tables[30].replace('size="62"', 'size="20"')  # narrowed
    tables.pop(45)  # dropped (a table another one's key names)
    tables[10] = tables[10].replace('<column name="code"', '<column name="extra" type="INTEGER" required="true"/><column name="code"')
    head = schema(tables)
    monkeypatch.setattr(loading, "LARGE_FROM", 10**12)
    whole = _check_json(tmp_path / "whole", base, head)
    loading._PARSED.clear()
    monkeypatch.setattr(loading, "LARGE_FROM", 0)
    large = _check_json(tmp_path / "large", base, head)
    assert whole["findings"], "the edits must be reported"
    assert large == whole


def test_the_diff_looks_only_at_tables_near_the_edit():
    from compatlint.loaders.merge import SchemaFile
    tables = many(60)
    base_data = schema(tables)
    tables[30] = tables[30].replace('size="62"', 'size="20"')
    head_data = schema(tables)
    base_file = SchemaFile("big.schema.xml", base_data, blob="b1")
    head_file = SchemaFile("big.schema.xml", head_data, blob="h1")
    old_limit = loading.LARGE_FROM
    loading.LARGE_FROM = 0
    try:
        base, _ = loading.load_schema([base_file], "mysql")
        loading.adopt_from_base([base_file], [head_file])
        head, _ = loading.load_schema([head_file], "mysql")
    finally:
        loading.LARGE_FROM = old_limit
    differ = tables_that_may_differ(base.tables, head.tables)
    assert "t30" in differ and len(differ) <= 4
