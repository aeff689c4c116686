"""Round trip: the SQL `plan` generates for a random schema change, read back through the SQL channel
(sqlglot) and played on the base model, yields the same change events, hence the very same SQL."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compatlint.api import load_schema
from compatlint.diff import diff_schemas
from compatlint.loaders.merge import SchemaFile
from compatlint.sql.apply import apply_statements
from compatlint.sql.generate import plan, render
from compatlint.sql.lint import ddl_signatures
from compatlint.sql.read import read_sql
from compatlint.testing import wrap_tables

from schema_strategies import edited, schema_xml, schemas

PATH = "src/Pyz/Zed/Demo/Persistence/Propel/Schema/pyz_demo.schema.xml"


def load(tables, platform):
    return load_schema([SchemaFile(PATH, wrap_tables(schema_xml(tables)).encode())], platform)[0]


@st.composite
def changes(draw):
    base = draw(schemas())
    return base, draw(edited(base))


@pytest.mark.parametrize("platform", ["mysql", "pgsql"])
@settings(max_examples=500, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(change=changes())
def test_planned_sql_read_back_gives_the_same_events(platform, change):
    base_spec, head_spec = change
    base, head = load(base_spec, platform), load(head_spec, platform)
    events = diff_schemas(base, head)
    sql = render(plan(events, platform), platform)
    statements = read_sql(sql, "m.sql", platform)
    assert [s.text for s in statements if s.kind == "unparsed"] == []
    applied = apply_statements(base, statements, platform)
    replayed = diff_schemas(applied.base, applied.head)
    assert ddl_signatures(replayed) == ddl_signatures(events)
    assert render(plan(replayed, platform), platform) == sql
