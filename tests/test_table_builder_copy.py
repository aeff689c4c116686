"""`TableBuilder.copy` keeps every field (a field added to the class later must be added there too)."""

from dataclasses import fields

from compatlint.model import Column, ForeignKey, Index, Origin
from compatlint.table_builder import TableBuilder


def test_copy_keeps_every_field_and_owns_its_dicts():
    values = {}
    for number, f in enumerate(fields(TableBuilder)):
        values[f.name] = {
            "columns": {"id": Column("id", "INTEGER")}, "indexes": {"i": Index("i", ("id",))},
            "uniques": {"u": Index("u", ("id",), True)},
            "foreign_keys": {"fk": ForeignKey("fk", "spy_other", ("id",), ("id",))},
            "behaviors": {}, "id_method_parameter_origin": Origin("a.xml", 3), "origin": Origin("a.xml", 1),
            "files": ("a.xml",), "skip_sql": True, "attrs": {"name": "spy_x"},
            "duplicate_columns": [("id", None, None)], "unknown_types": [("x", "NOPE", None)],
        }.get(f.name, f"value {number}")
    builder = TableBuilder(**values)
    copied = builder.copy()
    assert copied == builder
    for name in ("columns", "indexes", "uniques", "foreign_keys"):
        assert getattr(copied, name) is not getattr(builder, name)
    copied.columns["extra"] = Column("extra", "INTEGER")
    assert "extra" not in builder.columns
