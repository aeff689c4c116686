"""Propel details the model and the differ follow (each cited where it is implemented)."""

from compatlint import changes as ev
from compatlint.api import load_schema
from compatlint.diff import diff_schemas
from compatlint.loaders.merge import SchemaFile
from compatlint.testing import wrap_tables

PATH = "src/Pyz/Zed/Demo/Persistence/Propel/Schema/pyz_demo.schema.xml"
OTHER = "src/Pyz/Zed/Other/Persistence/Propel/Schema/pyz_other.schema.xml"


def load(files, platform="mysql"):
    if isinstance(files, str):
        files = {PATH: files}
    return load_schema([SchemaFile(p, wrap_tables(t).encode()) for p, t in files.items()], platform)[0]


def events(before, after, platform="mysql"):
    return diff_schemas(load(before, platform), load(after, platform))


def kinds(found):
    return [(type(e).__name__, e.table_name, e.subject) for e in found]


def plain(name: str) -> str:
    return f'<table name="{name}"><column name="id" type="INTEGER" primaryKey="true"/></table>'


def test_a_removed_table_stays_a_rename_candidate_and_the_last_match_is_named():
    # DatabaseComparator keeps the removed table for every added one; DatabaseDiff keys the pair by the removed name
    found = kinds(events(plain("old_t"), plain("a_t") + plain("b_t")))
    assert sorted(found) == [("TableAdded", "a_t", None), ("TableRenamed", "old_t", "b_t")]


def test_two_removed_tables_and_one_added_pair_the_first_removed():
    found = kinds(events(plain("old_a") + plain("old_b"), plain("new_t")))
    assert sorted(found) == [("TableRemoved", "old_b", None), ("TableRenamed", "old_a", "new_t")]


def _referrer(kind="INTEGER"):
    return ('<table name="pyz_x"><column name="id_x" type="INTEGER" primaryKey="true"/>'
            f'<column name="fk_p" type="{kind}"/>'
            '<foreign-key name="pyz_x-fk_p" foreignTable="pyz_p"><reference local="fk_p" foreign="id_p"/></foreign-key>'
            '</table>')


def test_an_unchanged_table_re_creates_its_foreign_key_when_the_referenced_column_changes_type():
    before = {PATH: '<table name="pyz_p"><column name="id_p" type="INTEGER" primaryKey="true"/></table>',
              OTHER: _referrer()}
    after = {PATH: '<table name="pyz_p"><column name="id_p" type="BIGINT" primaryKey="true"/></table>',
             OTHER: _referrer()}
    base, head = load(before), load(after)
    assert base.tables["pyz_x"] is head.tables["pyz_x"]  # the same, unchanged definition
    found = kinds(diff_schemas(base, head))
    assert ("ForeignKeyChanged", "pyz_x", "pyz_x-fk_p") in found
    same = {PATH: '<table name="pyz_p"><column name="id_p" type="INTEGER" primaryKey="true"/>'
                  '<column name="note" type="VARCHAR"/></table>', OTHER: _referrer()}
    assert not [k for k in kinds(events(before, same)) if k[0] == "ForeignKeyChanged"]


def _sortable(*parameters: str) -> str:
    params = "".join(f'<parameter name="{n}" value="{v}"/>' for n, v in (p.split("=") for p in parameters))
    return (f'<table name="pyz_s"><column name="id_s" type="INTEGER" primaryKey="true"/>'
            f'<column name="fk_a" type="INTEGER"/><column name="fk_b" type="INTEGER"/>'
            f'<behavior name="sortable">{params}</behavior></table>')


def test_sortable_adds_one_scope_column_but_never_several():
    single = load(_sortable("use_scope=true", "scope_column=fk_list")).tables["pyz_s"]
    assert single.columns["fk_list"].type == "INTEGER" and "sortable_rank" in single.columns
    several = load(_sortable("use_scope=true", "scope_column=fk_a, fk_store")).tables["pyz_s"]
    assert set(several.columns) == {"id_s", "fk_a", "fk_b", "sortable_rank"}  # fk_store must be declared
    unscoped = load(_sortable("use_scope=1", "scope_column=fk_list")).tables["pyz_s"]  # only "true" counts
    assert "fk_list" not in unscoped.columns


def _referenced(indexed: bool) -> str:
    index = '<index name="pyz_p-code"><index-column name="code"/></index>' if indexed else ""
    return ('<table name="pyz_p"><column name="id_p" type="INTEGER" primaryKey="true"/>'
            f'<column name="code" type="VARCHAR" size="8"/>{index}</table>'
            '<table name="pyz_x"><column name="id_x" type="INTEGER" primaryKey="true"/>'
            '<column name="p_code" type="VARCHAR" size="8"/>'
            '<foreign-key name="pyz_x-fk_code" foreignTable="pyz_p"><reference local="p_code" foreign="code"/>'
            '</foreign-key></table>')


def test_mysql_indexes_referenced_columns_that_no_index_covers():
    table = load(_referenced(False)).tables["pyz_p"]
    assert table.indexes["i_referenced_pyz_x-fk_code_1"].columns == ("code",)
    assert not [n for n in load(_referenced(True)).tables["pyz_p"].indexes if n.startswith("i_referenced")]
    assert not [n for n in load(_referenced(False), "pgsql").tables["pyz_p"].indexes if n.startswith("i_referenced")]
    # an index declared in its place: the generated one is dropped (Propel's diff drops it), nothing else
    assert ("IndexRemoved", "pyz_p", "i_referenced_pyz_x-fk_code_1") in kinds(events(_referenced(False), _referenced(True)))
