"""Hypothesis strategies: small Spryker-shaped schemas and random edits of them, as schema XML."""

from __future__ import annotations

from dataclasses import dataclass, replace

from hypothesis import strategies as st

TYPES = ["INTEGER", "BIGINT", "SMALLINT", "VARCHAR", "LONGVARCHAR", "BOOLEAN", "TIMESTAMP", "DATE", "DECIMAL",
         "DOUBLE", "ENUM", "CHAR"]


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    type: str
    size: int | None = None
    scale: int | None = None
    required: bool = False
    default: str | None = None
    value_set: tuple[str, ...] | None = None

    def xml(self) -> str:
        attrs = [f'name="{self.name}"', f'type="{self.type}"']
        if self.size is not None:
            attrs.append(f'size="{self.size}"')
        if self.scale is not None:
            attrs.append(f'scale="{self.scale}"')
        if self.required:
            attrs.append('required="true"')
        if self.default is not None:
            attrs.append(f'defaultValue="{self.default}"')
        if self.value_set:
            attrs.append(f'valueSet="{", ".join(self.value_set)}"')
        return f"<column {' '.join(attrs)}/>"


@dataclass(frozen=True)
class TableSpec:
    name: str
    columns: tuple[ColumnSpec, ...]
    uniques: tuple[tuple[str, tuple[str, ...]], ...] = ()
    indexes: tuple[tuple[str, tuple[str, ...]], ...] = ()
    fks: tuple[tuple[str, str, str], ...] = ()  # (name, local column, foreign table)
    extra_pk: str | None = None

    @property
    def pk(self) -> str:
        return f"id_{self.name.split('_', 1)[1]}"

    def xml(self) -> str:
        parts = [f'<table name="{self.name}" idMethod="native">',
                 f'  <column name="{self.pk}" type="INTEGER" primaryKey="true" autoIncrement="true"/>']
        for column in self.columns:
            xml = column.xml()
            if column.name == self.extra_pk:
                xml = xml.replace("<column ", '<column primaryKey="true" ', 1)
            parts.append("  " + xml)
        for name, local, foreign in self.fks:
            parts.append(f'  <foreign-key name="{name}" foreignTable="{foreign}"><reference local="{local}" '
                         f'foreign="id_{foreign.split("_", 1)[1]}"/></foreign-key>')
        for name, cols in self.indexes:
            parts.append(f'  <index name="{name}">' + "".join(f'<index-column name="{c}"/>' for c in cols) + "</index>")
        for name, cols in self.uniques:
            parts.append(f'  <unique name="{name}">' + "".join(f'<unique-column name="{c}"/>' for c in cols) + "</unique>")
        parts.append("</table>")
        return "\n".join(parts)


def schema_xml(tables) -> str:
    return "\n".join(t.xml() for t in tables)


@st.composite
def columns(draw, name: str):
    kind = draw(st.sampled_from(TYPES))
    size = scale = default = value_set = None
    if kind == "VARCHAR":
        size = draw(st.sampled_from([None, 16, 64, 255]))
    elif kind == "CHAR":
        size = draw(st.sampled_from([2, 8]))
    elif kind == "DECIMAL":
        size, scale = draw(st.sampled_from([(10, 2), (12, 4), (8, 0)]))
        scale = scale or None
    elif kind == "ENUM":
        value_set = tuple(draw(st.permutations(["a", "b", "c"])))
    required = draw(st.booleans())
    if draw(st.booleans()):
        default = {"INTEGER": "0", "BIGINT": "7", "SMALLINT": "1", "VARCHAR": "x", "BOOLEAN": "true", "DATE": None,
                   "TIMESTAMP": None, "LONGVARCHAR": None, "DECIMAL": "1.5", "DOUBLE": "-1", "CHAR": "ab",
                   "ENUM": value_set[0] if value_set else None}[kind]
    return ColumnSpec(name, kind, size, scale, required, default, value_set)


@st.composite
def tables(draw, name: str, others: tuple[str, ...]):
    count = draw(st.integers(min_value=1, max_value=4))
    cols = tuple(draw(columns(f"c{i}")) for i in range(count))
    uniques = indexes = fks = ()
    if draw(st.booleans()):
        uniques = ((f"{name}-u-c0", ("c0",)),)
    if count > 1 and draw(st.booleans()):
        indexes = ((f"{name}-i-c1", ("c1",)),)
    if others and draw(st.booleans()):
        target = draw(st.sampled_from(others))
        cols = cols + (ColumnSpec(f"fk_{target.split('_', 1)[1]}", "INTEGER"),)
        fks = ((f"{name}-fk-{target}", f"fk_{target.split('_', 1)[1]}", target),)
    return TableSpec(name, cols, uniques, indexes, fks)


@st.composite
def schemas(draw):
    count = draw(st.integers(min_value=1, max_value=3))
    names = [f"pyz_t{i}" for i in range(count)]
    return tuple(draw(tables(name, tuple(names[:i]))) for i, name in enumerate(names))


@st.composite
def edited(draw, base):
    """A random edit sequence of a schema (the V2 of a V1)."""
    current = list(base)
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        index = draw(st.integers(min_value=0, max_value=len(current) - 1))
        table = current[index]
        action = draw(st.sampled_from(["add", "drop", "rename", "retype", "required", "default", "unique", "index",
                                       "drop_table", "add_table", "pk", "fk_drop", "valueset"]))
        cols = list(table.columns)
        if action == "add":
            cols.append(draw(columns(f"n{len(cols)}")))
        elif action == "drop" and cols:
            victim = draw(st.sampled_from(cols)).name
            cols = [c for c in cols if c.name != victim]
            table = replace(table, uniques=tuple(u for u in table.uniques if victim not in u[1]),
                            indexes=tuple(i for i in table.indexes if victim not in i[1]),
                            fks=tuple(f for f in table.fks if f[1] != victim),
                            extra_pk=None if table.extra_pk == victim else table.extra_pk)
        elif action == "rename" and cols:
            at = draw(st.integers(min_value=0, max_value=len(cols) - 1))
            old = cols[at]
            if not any(old.name in u[1] for u in (*table.uniques, *table.indexes)) and \
                    not any(f[1] == old.name for f in table.fks) and table.extra_pk != old.name:
                cols[at] = replace(old, name=old.name + "_renamed")
        elif action == "retype" and cols:
            at = draw(st.integers(min_value=0, max_value=len(cols) - 1))
            fresh = draw(columns(cols[at].name))
            cols[at] = replace(fresh, required=cols[at].required)
        elif action == "required" and cols:
            at = draw(st.integers(min_value=0, max_value=len(cols) - 1))
            cols[at] = replace(cols[at], required=not cols[at].required)
        elif action == "default" and cols:
            at = draw(st.integers(min_value=0, max_value=len(cols) - 1))
            cols[at] = replace(cols[at], default=None) if cols[at].default else cols[at]
        elif action == "unique" and cols:
            target = draw(st.sampled_from(cols)).name
            table = replace(table, uniques=table.uniques + ((f"{table.name}-u2-{target}", (target,)),))
        elif action == "index" and table.indexes:
            table = replace(table, indexes=())
        elif action == "pk" and cols and table.extra_pk is None:
            target = draw(st.sampled_from(cols))
            if target.type in ("INTEGER", "VARCHAR", "BIGINT") and target.size in (None, 16, 64):
                table = replace(table, extra_pk=target.name)
        elif action == "fk_drop" and table.fks:
            table = replace(table, fks=())
        elif action == "valueset":
            at = next((i for i, c in enumerate(cols) if c.type == "ENUM"), None)
            if at is not None:
                cols[at] = replace(cols[at], value_set=cols[at].value_set + ("d",))
        elif action == "drop_table" and len(current) > 1:
            name = table.name
            current = [t for t in current if t.name != name]
            current = [replace(t, fks=tuple(f for f in t.fks if f[2] != name)) for t in current]
            continue
        elif action == "add_table":
            current.append(draw(tables(f"pyz_n{len(current)}", ())))
            continue
        current[index] = replace(table, columns=tuple(cols))
    return tuple(current)
