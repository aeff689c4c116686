"""The differ follows Propel's comparators; events carry both sides and origins."""

from compatlint import changes as ev
from compatlint.api import load_schema
from compatlint.diff import diff_schemas
from compatlint.loaders.merge import SchemaFile
from compatlint.testing import wrap_tables

PATH = "src/Pyz/Zed/Demo/Persistence/Propel/Schema/pyz_demo.schema.xml"


def events(before, after, platform="mysql"):
    def side(files):
        if isinstance(files, str):
            files = {PATH: files}
        return load_schema([SchemaFile(p, wrap_tables(t).encode()) for p, t in files.items()], platform)[0]
    return diff_schemas(side(before), side(after))


def kinds(found):
    return [(type(e).__name__, e.table_name, e.subject) for e in found]


T = '<table name="t"><column name="id" type="INTEGER" primaryKey="true"/>{}</table>'


def test_same_definition_other_name_is_a_rename_first_match_wins():
    before = T.format('<column name="a" type="INTEGER"/><column name="b" type="INTEGER"/>')
    after = T.format('<column name="c" type="INTEGER"/><column name="b2" type="INTEGER"/>')
    found = [e for e in events(before, after) if isinstance(e, ev.ColumnRenamed)]
    assert [(e.before.name, e.after.name) for e in found] == [("a", "c"), ("b", "b2")]


def test_rename_needs_identical_definition():
    before = T.format('<column name="a" type="INTEGER"/>')
    after = T.format('<column name="b" type="INTEGER" required="true"/>')
    assert kinds(events(before, after)) == [("ColumnAdded", "t", "b"), ("ColumnRemoved", "t", "a")]


def test_table_with_same_definition_under_new_name_is_dropped_and_recreated():
    before = '<table name="old_t"><column name="id" type="INTEGER" primaryKey="true"/></table>'
    after = '<table name="new_t"><column name="id" type="INTEGER" primaryKey="true"/></table>'
    (event,) = events(before, after)
    assert isinstance(event, ev.TableRenamed) and (event.base.name, event.head.name) == ("old_t", "new_t")


def test_table_with_a_foreign_key_is_never_a_rename_candidate():
    fk = '<column name="fk_x" type="INTEGER"/><foreign-key name="fk1" foreignTable="x"><reference local="fk_x" foreign="id"/></foreign-key>'
    x = '<table name="x"><column name="id" type="INTEGER" primaryKey="true"/></table>'
    before = x + f'<table name="old_t"><column name="id" type="INTEGER" primaryKey="true"/>{fk}</table>'
    after = x + f'<table name="new_t"><column name="id" type="INTEGER" primaryKey="true"/>{fk}</table>'
    assert {type(e).__name__ for e in events(before, after)} == {"TableAdded", "TableRemoved"}


def test_value_set_change_is_an_event_without_ddl():
    before = T.format('<column name="s" type="ENUM" valueSet="a, b"/>')
    after = T.format('<column name="s" type="ENUM" valueSet="b, a"/>')
    (event,) = events(before, after)
    assert isinstance(event, ev.ColumnChanged)
    assert event.changes == {ev.VALUE_SET} and event.ddl is False


def test_integer_size_is_ddl_on_mysql_but_not_on_pgsql():
    before = T.format('<column name="n" type="INTEGER"/>')
    after = T.format('<column name="n" type="INTEGER" size="10"/>')
    (mysql,) = events(before, after, "mysql")
    assert mysql.ddl is True
    # PostgreSQL prints no size for INTEGER, so Propel's DDL is the same: no migration
    assert [e for e in events(before, after, "pgsql") if getattr(e, "ddl", False)] == []


def test_moved_table_is_not_dropped():
    table = '<table name="pyz_tier"><column name="id" type="INTEGER" primaryKey="true"/></table>'
    a = "src/Pyz/Zed/Loyalty/Persistence/Propel/Schema/pyz_loyalty.schema.xml"
    b = "src/Pyz/Zed/LoyaltyTier/Persistence/Propel/Schema/pyz_loyalty_tier.schema.xml"
    found = events({a: table}, {b: table})
    assert kinds(found) == [("TableMoved", "pyz_tier", None)]
    assert found[0].location.path == b


def test_index_matched_by_name_so_a_renamed_index_is_drop_and_add():
    before = T.format('<column name="a"/><index name="i1"><index-column name="a"/></index>')
    after = T.format('<column name="a"/><index name="i2"><index-column name="a"/></index>')
    assert kinds(events(before, after)) == [("IndexAdded", "t", "i2"), ("IndexRemoved", "t", "i1")]


def test_same_name_other_columns_is_a_changed_index():
    before = T.format('<column name="a"/><column name="b"/><unique name="u"><unique-column name="a"/></unique>')
    after = T.format('<column name="a"/><column name="b"/><unique name="u"><unique-column name="a"/><unique-column name="b"/></unique>')
    (event,) = events(before, after)
    assert isinstance(event, ev.IndexChanged) and event.after.columns == ("a", "b")


def test_fk_action_unset_equals_restrict_on_mysql_only():
    fk = '<column name="fk_x" type="INTEGER"/><foreign-key name="fk1" foreignTable="x" {}><reference local="fk_x" foreign="id"/></foreign-key>'
    x = '<table name="x"><column name="id" type="INTEGER" primaryKey="true"/></table>'
    before, after = x + T.format(fk.format("")), x + T.format(fk.format('onDelete="RESTRICT"'))
    assert events(before, after, "mysql") == []
    assert [type(e).__name__ for e in events(before, after, "pgsql")] == ["ForeignKeyChanged"]


def test_sequence_and_behavior_changes_are_events():
    before = T.format('<id-method-parameter value="t_pk_seq"/><behavior name="timestampable"/>')
    after = T.format('<id-method-parameter value="t_seq"/>')
    found = kinds(events(before, after))
    assert ("SequenceChanged", "t", "t_pk_seq") in found
    assert ("BehaviorChanged", "t", "timestampable") in found
    removed = {e.column.name for e in events(before, after) if isinstance(e, ev.ColumnRemoved)}
    assert removed == {"created_at", "updated_at"}


def test_removed_column_points_at_base_file_and_added_at_head():
    before = {PATH: T.format('<column name="a"/>')}
    after = {PATH: T.format('\n\n<column name="b" type="INTEGER"/>')}
    found = {type(e).__name__: e for e in events(before, after)}
    assert found["ColumnRemoved"].location.line == found["ColumnRemoved"].column.origin.line
    assert found["ColumnAdded"].location.line == 5  # header 2 lines, table on 3, two blank lines


def test_events_are_deterministic():
    before = T.format('<column name="a"/><column name="b"/>') + '<table name="z"><column name="id"/></table>'
    after = T.format('<column name="c" type="INTEGER"/>') + '<table name="y"><column name="id" type="INTEGER"/></table>'
    first = kinds(events(before, after))
    assert first == kinds(events(before, after))
    tables = [k[1] for k in first]
    assert tables == sorted(tables)


def test_a_type_change_of_a_key_column_re_creates_the_foreign_key():
    """`ForeignKeyComparator` compares the column types too: Propel drops and re-adds the key around it."""
    def side(kind):
        return (f'<table name="pyz_p"><column name="id_p" type="{kind}" primaryKey="true"/></table>'
                f'<table name="pyz_x"><column name="id_x" type="INTEGER" primaryKey="true"/><column name="fk_p" type="{kind}"/>'
                '<foreign-key name="pyz_x-fk_p" foreignTable="pyz_p"><reference local="fk_p" foreign="id_p"/></foreign-key></table>')
    found = kinds(events(side("INTEGER"), side("BIGINT")))
    assert ("ForeignKeyChanged", "pyz_x", "pyz_x-fk_p") in found
    assert ("ForeignKeyChanged", "pyz_x", "pyz_x-fk_p") not in kinds(events(side("INTEGER"), side("INTEGER")))


def test_a_type_change_of_a_local_key_column_alone_re_creates_the_foreign_key():
    """A changed table's key is re-created for a type change of its own key column: another change of the
    column (here NOT NULL) leaves the key alone, and so do the table's other changes."""
    def side(kind, required="false", note=""):
        return ('<table name="pyz_p"><column name="id_p" type="INTEGER" primaryKey="true"/></table>'
                f'<table name="pyz_x"><column name="id_x" type="INTEGER" primaryKey="true"/>{note}'
                f'<column name="fk_p" type="{kind}" required="{required}"/>'
                '<foreign-key name="pyz_x-fk_p" foreignTable="pyz_p"><reference local="fk_p" foreign="id_p"/></foreign-key></table>')
    key = ("ForeignKeyChanged", "pyz_x", "pyz_x-fk_p")
    assert key in kinds(events(side("INTEGER"), side("BIGINT")))
    assert key in kinds(events(side("INTEGER"), side("BIGINT", note='<column name="note" type="VARCHAR"/>')))
    assert key not in kinds(events(side("INTEGER"), side("INTEGER", required="true")))
    assert key not in kinds(events(side("INTEGER"), side("INTEGER", note='<column name="note" type="VARCHAR"/>')))
