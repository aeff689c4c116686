"""Loading one side: safe XML parsing, Spryker's merge, Propel's normalisation and behaviors."""

import pytest

from compatlint.api import load_schema
from compatlint.loaders.merge import SchemaFile
from compatlint.loaders.xml import SchemaFileError, parse_schema_bytes
from compatlint.model import Default
from compatlint.testing import wrap_tables

CORE = "vendor/spryker/sales/src/Spryker/Zed/Sales/Persistence/Propel/Schema/spy_sales.schema.xml"
PROJECT = "src/Pyz/Zed/Sales/Persistence/Propel/Schema/spy_sales.schema.xml"
OTHER = "src/Pyz/Zed/Loyalty/Persistence/Propel/Schema/pyz_loyalty.schema.xml"


def db(body: str, namespace: str = "Orm\\Zed\\Sales\\Persistence") -> str:
    return (f'<?xml version="1.0"?>\n<database name="zed" namespace="{namespace}" '
            f'package="src.Orm.Zed.Sales.Persistence">\n{body}\n</database>\n')


def load(files: dict[str, str], platform: str = "mysql"):
    schema, problems = load_schema([SchemaFile(p, t.encode(), core=p.startswith("vendor/")) for p, t in files.items()],
                                   platform)
    return schema, problems


# --- safety -------------------------------------------------------------------------------

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE database [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<database name="zed"><table name="t" description="&xxe;"><column name="a"/></table></database>
"""

BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<database name="zed"><table name="t" description="&lol4;"><column name="a"/></table></database>
"""


@pytest.mark.parametrize("payload", [XXE, BOMB], ids=["xxe", "entity-bomb"])
def test_doctype_is_refused_with_its_line(payload):
    with pytest.raises(SchemaFileError) as caught:
        parse_schema_bytes(payload, "x.schema.xml")
    assert caught.value.line == 2
    assert "DOCTYPE" in caught.value.message
    assert "root:" not in str(caught.value)  # nothing of /etc/passwd


def test_hostile_file_does_not_stop_the_other_files():
    schema, problems = load_schema([
        SchemaFile(OTHER, XXE),
        SchemaFile(PROJECT, db('<table name="spy_sales_order"><column name="id" type="INTEGER"/></table>').encode()),
    ], "mysql")
    assert "spy_sales_order" in schema.tables
    assert [p.kind for p in problems] == ["invalid-file"]
    assert problems[0].origin.path == OTHER and problems[0].origin.line == 2
    assert OTHER in schema.invalid_paths


@pytest.mark.parametrize("text, line, words", [
    ('<?xml version="1.0"?>\n<database name="zed">\n<table name="t">\n</database>\n', 4, "not well-formed"),
    ('<?xml version="1.0"?>\n<tables>\n</tables>\n', 2, "unknown root"),
    ('<?xml version="1.0"?>\n<database name="zed">\n<table name="t">\n<column type="INTEGER"/>\n</table>\n</database>', 4, "without a name"),
    ('', 1, "empty"),
])
def test_broken_files_name_their_line(text, line, words):
    with pytest.raises(SchemaFileError) as caught:
        parse_schema_bytes(text.encode(), "bad.schema.xml")
    assert caught.value.line == line
    assert words in caught.value.message


def test_both_header_styles_and_comments_parse():
    namespaced = wrap_tables('<!-- a comment -->\n<table name="t"><column name="a"/></table>')
    plain = '<?xml version="1.0"?>\n<database name="zed" xsi:noNamespaceSchemaLocation="http://static.spryker.com/schema-01.xsd" ' \
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><table name="t"><column name="a"/></table></database>'
    for text in (namespaced, plain):
        root = parse_schema_bytes(text.encode(), "a.schema.xml")
        assert root.tag == "database" and root.children[0].tag == "table"
    commented = parse_schema_bytes(namespaced.encode(), "a.schema.xml")
    assert commented.children[0].comments[0][0].strip() == "a comment"


# --- merge ----------------------------------------------------------------------------------

def test_project_file_merges_onto_core_table_by_basename():
    schema, problems = load({
        CORE: db('<table name="spy_sales_order"><column name="id_sales_order" type="INTEGER" primaryKey="true"/>'
                 '<column name="order_reference" type="VARCHAR" size="45" required="true"/></table>'),
        PROJECT: db('<table name="spy_sales_order"><column name="cart_note" type="VARCHAR" size="255"/>'
                    '<column name="order_reference" size="64"/></table>'),
    })
    table = schema.tables["spy_sales_order"]
    # a merged group is re-ordered like PropelSchemaMerger: id_* first, then fk_*, then the rest by name
    assert list(table.columns) == ["id_sales_order", "cart_note", "order_reference"]
    # the later (project) file wins the attribute, and the finding points at the project file
    assert table.columns["order_reference"].size == 64
    assert table.columns["order_reference"].origin_of("size").path == PROJECT
    assert table.columns["order_reference"].origin.path == CORE
    assert table.files == (CORE, PROJECT)
    assert [p.kind for p in problems] == ["attribute-overwritten"]
    assert problems[0].origin.path == PROJECT and problems[0].table == "spy_sales_order"


def test_a_table_merged_before_is_reused_with_what_its_merge_reported():
    from compatlint.loaders import merge
    from compatlint.loaders.xml import adopt_equal_tables

    extra = "src/Pyz/Zed/SalesExtra/Persistence/Propel/Schema/spy_sales.schema.xml"
    order = ('<table name="spy_sales_order"><column name="id_sales_order" type="INTEGER" primaryKey="true"/>'
             '<column name="order_reference" type="VARCHAR" size="{}"/></table>')
    note = '<table name="spy_sales_note"><column name="id_sales_note" type="INTEGER" primaryKey="true"/>{}</table>'
    core = parse_schema_bytes(db(order.format(45) + note.format('<column name="text" size="10"/>')).encode(), CORE)
    project = parse_schema_bytes(db(order.format(64)).encode(), PROJECT)
    before = parse_schema_bytes(db(order.format(128) + note.format('<column name="text" size="20"/>')).encode(), extra)
    after = parse_schema_bytes(db(order.format(128) + note.format('<column name="text" size="30"/>')).encode(), extra)
    adopt_equal_tables(after, before)  # as a history walk does: the unchanged table is the earlier object

    def merged(files):
        found = []
        database = merge.merge_group(files, found)
        return {t.attrs["name"]: t for t in database.children}, found

    first, first_problems = merged([core, project, before])
    again, again_problems = merged([core, project, after])
    assert again["spy_sales_order"] is first["spy_sales_order"]  # not merged again
    assert again["spy_sales_note"] is not first["spy_sales_note"]
    # what merging reported is the same, in the same order, as a merge done afresh reports
    merge._MERGED_TABLES.clear()
    fresh, fresh_problems = merged([core, project, after])
    assert fresh["spy_sales_order"] == again["spy_sales_order"] and fresh["spy_sales_order"] is not again["spy_sales_order"]
    assert again_problems == fresh_problems
    assert [(p.kind, p.table, p.origin.path) for p in again_problems] == [
        ("attribute-overwritten", "spy_sales_order", PROJECT), ("attribute-overwritten", "spy_sales_order", extra),
        ("attribute-overwritten", "spy_sales_note", extra)]
    assert "30" in again_problems[-1].message


def test_single_file_keeps_its_column_order():
    schema, _ = load({PROJECT: db('<table name="t"><column name="z"/><column name="fk_a"/><column name="id_t"/></table>')})
    assert list(schema.tables["t"].columns) == ["z", "fk_a", "id_t"]


def test_project_before_core_in_input_order_still_merges_core_first():
    files = {
        PROJECT: db('<table name="spy_sales_order"><column name="state" type="VARCHAR" size="10"/></table>'),
        CORE: db('<table name="spy_sales_order"><column name="state" type="VARCHAR" size="20"/></table>'),
    }
    schema, _ = load(files)
    assert schema.tables["spy_sales_order"].columns["state"].size == 10


def test_unnamed_elements_are_appended_so_two_files_duplicate_them():
    index = '<index><index-column name="a"/></index>'
    schema, _ = load({
        CORE: db(f'<table name="t"><column name="a"/>{index}<id-method-parameter value="t_pk_seq"/></table>'),
        PROJECT: db(f'<table name="t">{index}</table>'),
    })
    # both copies get the same generated name; the model keeps one (Propel's addIndex refuses the second)
    assert len(schema.tables["t"].indexes) == 1


def test_database_identity_must_agree_within_a_group():
    _, problems = load({
        CORE: db('<table name="t"><column name="a"/></table>'),
        PROJECT: db('<table name="u"><column name="a"/></table>', namespace="Orm\\Zed\\Other\\Persistence"),
    })
    assert [p.kind for p in problems] == ["database-mismatch"]
    assert problems[0].origin.path == PROJECT


def test_a_table_in_two_differently_named_files_is_refused_like_propel():
    schema, problems = load({
        PROJECT: db('<table name="t"><column name="a"/></table>'),
        OTHER: db('<table name="t"><column name="b"/></table>'),
    })
    assert [p.kind for p in problems] == ["duplicate-table"]
    assert "Duplicate table" in problems[0].message
    assert list(schema.tables["t"].columns) in (["a"], ["b"])


# --- normalisation ----------------------------------------------------------------------------

def column(xml: str, platform: str = "mysql"):
    schema, _ = load({PROJECT: db(f'<table name="t">{xml}</table>')}, platform)
    return next(iter(schema.tables["t"].columns.values()))


@pytest.mark.parametrize("platform, size", [("mysql", 255), ("pgsql", None)])
def test_varchar_without_size_is_255_on_mysql_only(platform, size):
    assert column('<column name="a" type="VARCHAR"/>', platform).size == size
    assert column('<column name="a"/>', platform).type == "VARCHAR"


def test_type_case_required_primary_key_and_zero_size():
    c = column('<column name="a" type="integer" primaryKey="true" size="0"/>')
    assert (c.type, c.not_null, c.primary_key, c.size) == ("INTEGER", True, True, None)
    assert column('<column name="a" type="INTEGER" required="1"/>').not_null is True
    assert column('<column name="a" type="INTEGER" required="false"/>').not_null is False


@pytest.mark.parametrize("attrs, expected", [
    ('defaultValue="1" default="2"', Default("1")),
    ('default="2"', Default("2")),
    ('default="NULL"', None),
    ('defaultValue="null" defaultExpr="CURRENT_TIMESTAMP"', Default("CURRENT_TIMESTAMP", is_expression=True)),
    ('defaultExpr="now()"', Default("now()", is_expression=True)),
])
def test_default_precedence(attrs, expected):
    assert column(f'<column name="a" type="INTEGER" {attrs}/>').default == expected


def test_value_set_is_split_and_trimmed():
    assert column('<column name="s" type="ENUM" valueSet="Mr, Mrs ,Dr"/>').value_set == ("Mr", "Mrs", "Dr")


def test_generated_index_names_follow_propel_and_change_with_columns():
    schema, _ = load({PROJECT: db('<table name="spy_foo"><column name="a"/><column name="b"/>'
                                  '<index><index-column name="a"/></index><unique><unique-column name="b"/></unique></table>')})
    table = schema.tables["spy_foo"]
    (index,), (unique,) = table.indexes.values(), table.uniques.values()
    assert index.name.startswith("spy_foo_i_") and len(index.name) == len("spy_foo_i_") + 6
    assert unique.name.startswith("spy_foo_u_") and unique.generated_name
    other, _ = load({PROJECT: db('<table name="spy_foo"><column name="a"/><column name="b"/>'
                                 '<index><index-column name="b"/></index></table>')})
    assert next(iter(other.tables["spy_foo"].indexes)) != index.name


def test_mysql_adds_fk_index_but_pgsql_does_not():
    xml = db('<table name="spy_a"><column name="id_a" type="INTEGER" primaryKey="true"/></table>'
             '<table name="spy_b"><column name="id_b" type="INTEGER" primaryKey="true"/><column name="fk_a" type="INTEGER"/>'
             '<foreign-key name="spy_b-fk_a" foreignTable="spy_a"><reference local="fk_a" foreign="id_a"/></foreign-key></table>')
    mysql, _ = load({PROJECT: xml}, "mysql")
    pgsql, _ = load({PROJECT: xml}, "pgsql")
    assert list(mysql.tables["spy_b"].indexes) == ["spy_b-fi_a"]
    assert mysql.tables["spy_b"].indexes["spy_b-fi_a"].columns == ("fk_a",)
    assert list(pgsql.tables["spy_b"].indexes) == []


# --- behaviors --------------------------------------------------------------------------------

def table_with(behavior: str, platform: str = "mysql", extra: str = ""):
    schema, _ = load({PROJECT: db(f'<table name="spy_foo"><column name="id_foo" type="INTEGER" primaryKey="true" '
                                  f'autoIncrement="true"/>{extra}{behavior}</table>')}, platform)
    return schema


def test_timestampable_adds_nullable_timestamps_unless_declared():
    t = table_with('<behavior name="timestampable"/>').tables["spy_foo"]
    assert [(c.name, c.type, c.not_null, c.provided_by) for c in list(t.columns.values())[1:]] == [
        ("created_at", "TIMESTAMP", False, "timestampable"), ("updated_at", "TIMESTAMP", False, "timestampable")]
    t = table_with('<behavior name="timestampable"><parameter name="is_timestamp" value="false"/>'
                   '<parameter name="disable_updated_at" value="true"/></behavior>').tables["spy_foo"]
    assert [(c.name, c.type) for c in list(t.columns.values())[1:]] == [("created_at", "DATETIME")]
    t = table_with('<behavior name="timestampable"/>', extra='<column name="created_at" type="DATE" required="true"/>').tables["spy_foo"]
    assert t.columns["created_at"].type == "DATE" and t.columns["created_at"].provided_by is None


def test_uuid_and_synchronization_add_columns_and_named_uniques():
    t = table_with('<behavior name="uuid"/>', "pgsql").tables["spy_foo"]
    assert t.columns["uuid"].size is None and not t.columns["uuid"].not_null
    assert t.uniques["spy_foo-unique-uuid"].columns == ("uuid",)
    t = table_with('<behavior name="synchronization"><parameter name="resource" value="foo"/>'
                   '<parameter name="store" required="true"/></behavior>').tables["spy_foo"]
    assert {"data", "store", "alias_keys", "key"} <= set(t.columns)
    assert t.columns["store"].not_null and t.columns["store"].size == 128
    assert t.columns["data"].type == "CLOB"
    assert {"spy_foo-unique-key", "spy_foo-unique-alias-keys"} <= set(t.uniques)


def test_archivable_creates_archive_table_with_uniques_as_indexes():
    schema = table_with('<behavior name="archivable"/>', extra='<column name="sku" required="true"/>'
                        '<unique name="spy_foo-sku"><unique-column name="sku"/></unique>')
    archive = schema.tables["spy_foo_archive"]
    assert archive.provided_by == "archivable"
    assert list(archive.columns) == ["id_foo", "sku", "archived_at"]
    assert not archive.columns["id_foo"].auto_increment
    assert not archive.uniques and [i.columns for i in archive.indexes.values()] == [("sku",)]
