"""Random V1 -> V2 schema edits for the differential test (`tests/test_differential.py`) and its benchmark
report (`benchmarks/differential_report.py`): hypothesis strategies, and the comparison of the static
verdict with the rehearsal's outcome.

An example is one or two small tables (`pyz_alpha`, and `pyz_beta` referencing it) and one or two random
edits of the kinds a Spryker project makes: columns dropped, added, renamed, retyped, resized, made
(not) required, defaults, ENUM valueSets, uniques, indexes, lazyLoad, foreign keys, autoIncrement,
primary keys, tables dropped or renamed, sequence names, the timestampable behavior.

Agreement: the static verdict ("breaks V1": any error-level finding) equals the rehearsal's ("breaks":
anything failed). Each example also gets its disagreement classes, finer than the verdict:
`unconfirmed:<code>[:<why>]` (an error finding the rehearsal did not reproduce), `missed:<action>:<server
error code>` (a failure no finding explains), `below-error:<codes>[:<why>]` (a failure explained only by
warning or info findings); `<why>` names what sets the column apart (`_qualifier`). `KNOWN_LIMITS` lists the
documented classes.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from hypothesis import strategies as st

from compatlint.api import compare, finalize
from compatlint.findings import Severity
from compatlint.testing import example_files

INT_TYPES = ["TINYINT", "SMALLINT", "INTEGER", "BIGINT"]
TYPES = INT_TYPES + ["VARCHAR", "CHAR", "DECIMAL", "BOOLEAN", "ENUM", "TIMESTAMP", "DATE", "LONGVARCHAR", "DOUBLE",
                     "FLOAT"]
UNIQUE_OK = set(INT_TYPES) | {"VARCHAR", "DECIMAL", "DATE", "CHAR"}
ENUM_POOL = ["new", "active", "frozen", "closed", "gone"]


@dataclass
class Col:
    name: str
    type: str
    size: int | None = None
    scale: int | None = None
    required: bool = False
    default: str | None = None
    default_expr: str | None = None
    value_set: list[str] | None = None
    lazy: bool = False
    pk: bool = False
    auto: bool = False

    def xml(self) -> str:
        attrs = [f'name="{self.name}"', f'type="{self.type}"']
        if self.size is not None:
            attrs.append(f'size="{self.size}"')
        if self.scale is not None:
            attrs.append(f'scale="{self.scale}"')
        if self.pk:
            attrs.append('primaryKey="true"')
        if self.auto:
            attrs.append('autoIncrement="true"')
        if self.required and not self.pk:
            attrs.append('required="true"')
        if self.default is not None:
            attrs.append(f'defaultValue="{self.default}"')
        if self.default_expr is not None:
            attrs.append(f'defaultExpr="{self.default_expr}"')
        if self.value_set is not None:
            attrs.append(f'valueSet="{", ".join(self.value_set)}"')
        if self.lazy:
            attrs.append('lazyLoad="true"')
        return f"<column {' '.join(attrs)}/>"


@dataclass
class Tab:
    name: str
    columns: list[Col]
    uniques: list[tuple[str, list[str]]] = field(default_factory=list)
    indexes: list[tuple[str, list[str]]] = field(default_factory=list)
    # (name, local column, foreign table, foreign column, onDelete)
    fks: list[tuple[str, str, str, str, str | None]] = field(default_factory=list)
    sequence: str | None = None
    behaviors: list[str] = field(default_factory=list)

    def col(self, name: str) -> Col | None:
        return next((c for c in self.columns if c.name == name), None)

    def xml(self) -> str:
        parts = [c.xml() for c in self.columns]
        for name, cols in self.uniques:
            parts.append(f'<unique name="{name}">' + "".join(f'<unique-column name="{c}"/>' for c in cols)
                         + "</unique>")
        for name, cols in self.indexes:
            parts.append(f'<index name="{name}">' + "".join(f'<index-column name="{c}"/>' for c in cols) + "</index>")
        for name, local, table, foreign, on_delete in self.fks:
            action = f' onDelete="{on_delete}"' if on_delete else ""
            parts.append(f'<foreign-key name="{name}" foreignTable="{table}"{action}>'
                         f'<reference local="{local}" foreign="{foreign}"/></foreign-key>')
        parts.extend(f'<behavior name="{b}"/>' for b in self.behaviors)
        if self.sequence:
            parts.append(f'<id-method-parameter value="{self.sequence}"/>')
        inner = "\n    ".join(parts)
        return f'<table name="{self.name}" idMethod="native">\n    {inner}\n</table>'


def schema_xml(tables: list[Tab]) -> str:
    return "\n".join(t.xml() for t in tables)


# --- strategies --------------------------------------------------------------------------------------------------

def _default_for(draw, col: Col) -> tuple[str | None, str | None]:
    """(defaultValue, defaultExpr) that fits the column."""
    kind = col.type
    if kind in INT_TYPES:
        return str(draw(st.integers(0, 100))), None
    if kind in ("VARCHAR", "CHAR"):
        return "d" * min(col.size or 1, 3), None
    if kind == "DECIMAL":
        return ("1.5" if (col.scale or 0) >= 1 else "2"), None
    if kind == "BOOLEAN":
        return draw(st.sampled_from(["true", "false"])), None
    if kind == "ENUM":
        return draw(st.sampled_from(col.value_set)), None
    if kind == "TIMESTAMP":
        return None, "CURRENT_TIMESTAMP"
    if kind == "DATE":
        return "2020-01-01", None
    if kind in ("DOUBLE", "FLOAT"):
        return "1.5", None
    return None, None


def _shape(draw, kind: str, col: Col) -> None:
    col.size = col.scale = col.value_set = None
    if kind == "VARCHAR":
        col.size = draw(st.integers(4, 64))
    elif kind == "CHAR":
        col.size = draw(st.integers(1, 8))
    elif kind == "DECIMAL":
        col.size = draw(st.integers(6, 12))
        col.scale = draw(st.integers(0, 3))
    elif kind == "ENUM":
        col.value_set = draw(st.lists(st.sampled_from(ENUM_POOL), min_size=2, max_size=4, unique=True))


@st.composite
def columns(draw, name: str) -> Col:
    kind = draw(st.sampled_from(TYPES))
    col = Col(name, kind)
    _shape(draw, kind, col)
    col.required = draw(st.booleans())
    if draw(st.integers(0, 9)) < 4:
        col.default, col.default_expr = _default_for(draw, col)
    col.lazy = draw(st.integers(0, 9)) == 0 and kind != "ENUM"
    return col


# What an edit needs in V1 to apply: a column of one of these types, a unique, an index, a second table.
_NEEDS_TYPES = {"enum": ["ENUM"], "resize": ["VARCHAR", "CHAR", "DECIMAL"], "pk_change": INT_TYPES,
                "unique_add": sorted(UNIQUE_OK)}
_NEEDS_CHILD = {"table_drop", "table_rename", "fk_drop", "fk_action"}


@st.composite
def v1_schemas(draw, kind: str | None = None) -> list[Tab]:
    pk = Col("id_alpha", "INTEGER", pk=True, auto=True)
    cols = [draw(columns(f"c{i}")) for i in range(draw(st.integers(1, 4)))]
    if kind in _NEEDS_TYPES and not any(c.type in _NEEDS_TYPES[kind] for c in cols):
        needed = draw(st.sampled_from(_NEEDS_TYPES[kind]))
        _shape(draw, needed, cols[0])
        cols[0].type = needed
        cols[0].default, cols[0].default_expr = _default_for(draw, cols[0]) if draw(st.booleans()) else (None, None)
        cols[0].lazy = False
    alpha = Tab("pyz_alpha", [pk, *cols], sequence="pyz_alpha_pk_seq" if draw(st.booleans()) else None)
    candidates = [c.name for c in cols if c.type in UNIQUE_OK]
    if candidates and (kind == "unique_drop" or draw(st.integers(0, 9)) < 3):
        alpha.uniques.append(("pyz_alpha-unique", [draw(st.sampled_from(candidates))]))
    if kind == "index_drop" or draw(st.integers(0, 9)) < 2:
        alpha.indexes.append(("pyz_alpha-index", [draw(st.sampled_from([c.name for c in cols]))]))
    if draw(st.integers(0, 9)) < 2:
        alpha.behaviors.append("timestampable")
    tables = [alpha]
    if kind in _NEEDS_CHILD or draw(st.integers(0, 9)) < 4:
        fk = Col("fk_alpha", "INTEGER", required=draw(st.booleans()))
        extra = [draw(columns("b1"))] if draw(st.booleans()) else []
        beta = Tab("pyz_beta", [Col("id_beta", "INTEGER", pk=True, auto=True), fk, *extra],
                   sequence="pyz_beta_pk_seq" if draw(st.booleans()) else None)
        beta.fks.append(("pyz_beta-fk_alpha", "fk_alpha", "pyz_alpha", "id_alpha",
                         draw(st.sampled_from([None, "CASCADE", "SETNULL"])) if not fk.required
                         else draw(st.sampled_from([None, "CASCADE"]))))
        tables.append(beta)
    return tables


def _plain(table: Tab) -> list[Col]:
    return [c for c in table.columns if not c.pk and not c.name.startswith("fk_")]


def _forget(table: Tab, name: str) -> None:
    table.uniques = [u for u in table.uniques if name not in u[1]]
    table.indexes = [i for i in table.indexes if name not in i[1]]
    table.fks = [f for f in table.fks if f[1] != name]


def _rename_refs(table: Tab, old: str, new: str) -> None:
    table.uniques = [(n, [new if c == old else c for c in cols]) for n, cols in table.uniques]
    table.indexes = [(n, [new if c == old else c for c in cols]) for n, cols in table.indexes]
    table.fks = [(n, new if l == old else l, t, f, a) for n, l, t, f, a in table.fks]


EDITS = ["drop_column", "add_column", "rename_column", "change_type", "resize", "toggle_required", "default",
         "enum", "unique_add", "unique_drop", "index_add", "index_drop", "lazy", "fk_add", "fk_drop", "fk_action",
         "autoincrement_off", "pk_change", "table_drop", "table_rename", "sequence", "behavior", "noop"]


def _applies(kind: str, table: Tab, tables: list[Tab]) -> bool:
    plain = _plain(table)
    if kind in _NEEDS_TYPES:
        return any(c.type in _NEEDS_TYPES[kind] for c in plain)
    if kind in ("unique_drop",):
        return bool(table.uniques)
    if kind in ("index_drop",):
        return bool(table.indexes)
    if kind in ("fk_drop", "fk_action"):
        return bool(table.fks)
    if kind in ("table_drop", "table_rename"):
        return len(tables) > 1
    if kind in ("drop_column", "rename_column", "change_type", "toggle_required", "default", "index_add", "lazy"):
        return bool(plain)
    return True


@st.composite
def edit(draw, tables: list[Tab], kind: str | None = None) -> tuple[list[Tab], str]:
    """One random edit of a copy of `tables`, with a description."""
    tables = copy.deepcopy(tables)
    kind = kind or draw(st.sampled_from(EDITS))
    fitting = [t for t in tables if _applies(kind, t, tables)] or tables
    table = draw(st.sampled_from(fitting))
    plain = _plain(table)
    what = f"{kind} {table.name}"
    if kind == "drop_column" and plain:
        col = draw(st.sampled_from(plain))
        table.columns.remove(col)
        _forget(table, col.name)
        what += f".{col.name}"
    elif kind == "add_column":
        # a second add_column gets a fresh name: a column declared twice is a schema Propel refuses (CL902)
        name = next(f"n{i}" for i in range(1, 9) if table.col(f"n{i}") is None)
        col = draw(columns(name))
        table.columns.append(col)
        what += f".{name} {col.xml()}"
    elif kind == "rename_column" and plain:
        col = draw(st.sampled_from(plain))
        old = col.name
        col.name = old + "_r"
        _rename_refs(table, old, col.name)
        what += f".{old}"
    elif kind == "change_type" and plain:
        col = draw(st.sampled_from(plain))
        new = draw(st.sampled_from([t for t in TYPES if t != col.type]))
        old = col.type
        col.type = new
        _shape(draw, new, col)
        col.default, col.default_expr = _default_for(draw, col) if (col.default or col.default_expr) else (None, None)
        if new not in UNIQUE_OK:
            table.uniques = [u for u in table.uniques if col.name not in u[1]]
        what += f".{col.name} {old} -> {col.xml()}"
    elif kind == "resize" and [c for c in plain if c.type in ("VARCHAR", "CHAR", "DECIMAL")]:
        col = draw(st.sampled_from([c for c in plain if c.type in ("VARCHAR", "CHAR", "DECIMAL")]))
        before = col.xml()
        if col.type == "DECIMAL" and draw(st.booleans()):
            col.scale = draw(st.integers(0, 4))
        else:
            col.size = draw(st.integers(1 if col.type == "CHAR" else 4, 80))
        if col.type == "DECIMAL" and (col.scale or 0) >= col.size:
            col.scale = col.size - 1
        what += f" {before} -> {col.xml()}"
    elif kind == "toggle_required" and plain:
        col = draw(st.sampled_from(plain))
        col.required = not col.required
        what += f".{col.name} required={col.required}"
    elif kind == "default" and plain:
        col = draw(st.sampled_from(plain))
        if col.default is not None or col.default_expr is not None:
            if draw(st.booleans()):
                col.default = col.default_expr = None
            else:
                col.default, col.default_expr = _default_for(draw, col)
        else:
            col.default, col.default_expr = _default_for(draw, col)
        what += f".{col.name} -> {col.xml()}"
    elif kind == "enum" and [c for c in plain if c.type == "ENUM"]:
        col = draw(st.sampled_from([c for c in plain if c.type == "ENUM"]))
        values = list(col.value_set)
        how = draw(st.sampled_from(["append", "reorder", "remove", "insert", "rename"]))
        spare = [v for v in ENUM_POOL + ["extra"] if v not in values]
        if how == "append":
            values.append(spare[0])
        elif how == "reorder":
            values = values[1:] + values[:1]
        elif how == "remove" and len(values) > 1:
            values.pop(draw(st.integers(0, len(values) - 1)))
        elif how == "insert":
            values.insert(0, spare[0])
        else:
            values[-1] = spare[0]
        if col.default is not None and col.default not in values:
            col.default = values[0]
        col.value_set = values
        what += f".{col.name} {how} -> {values}"
    elif kind == "unique_add" and [c for c in plain if c.type in UNIQUE_OK]:
        col = draw(st.sampled_from([c for c in plain if c.type in UNIQUE_OK]))
        table.uniques.append((f"{table.name}-u-{col.name}", [col.name]))
        what += f".{col.name}"
    elif kind == "unique_drop" and table.uniques:
        table.uniques.pop()
    elif kind == "index_add" and plain:
        col = draw(st.sampled_from(plain))
        table.indexes.append((f"{table.name}-i-{col.name}", [col.name]))
    elif kind == "index_drop" and table.indexes:
        table.indexes.pop()
    elif kind == "lazy" and plain:
        col = draw(st.sampled_from(plain))
        col.lazy = not col.lazy
        what += f".{col.name} lazy={col.lazy}"
    elif kind == "fk_add":
        bound = {f[1] for f in table.fks}
        free = [c for c in table.columns if c.type == "INTEGER" and not c.pk and c.name not in bound]
        if free and draw(st.booleans()):
            col = draw(st.sampled_from(free))
        else:
            col = Col(next(n for n in ("fk_new", "fk_new2", "fk_new3") if table.col(n) is None), "INTEGER",
                      required=draw(st.booleans()))
            table.columns.append(col)
        table.fks.append((f"{table.name}-fk2-{col.name}", col.name, "pyz_alpha", "id_alpha",
                          draw(st.sampled_from([None, "CASCADE"]))))
        what += f".{col.name} {col.xml()}"
    elif kind == "fk_drop" and table.fks:
        table.fks.pop()
    elif kind == "fk_action" and table.fks:
        name, local, target, foreign, action = table.fks[0]
        table.fks[0] = (name, local, target, foreign, draw(st.sampled_from([a for a in (None, "CASCADE", "RESTRICT")
                                                                             if a != action])))
        what += f" {action} -> {table.fks[0][4]}"
    elif kind == "autoincrement_off":
        table.columns[0].auto = False
    elif kind == "pk_change" and [c for c in plain if c.type in INT_TYPES]:
        col = draw(st.sampled_from([c for c in plain if c.type in INT_TYPES]))
        col.pk = True
        col.lazy = False
        what += f" + {col.name}"
    elif kind == "table_drop" and len(tables) > 1:
        what = f"table_drop {tables[1].name}"
        tables = tables[:1]
    elif kind == "table_rename" and len(tables) > 1:
        child = tables[1]
        old, child.name = child.name, child.name + "_r"
        child.fks = [(n.replace(old, child.name), l, t, f, a) for n, l, t, f, a in child.fks]
        what = f"table_rename {old} -> {child.name}"
    elif kind == "sequence":
        table.sequence = (draw(st.sampled_from([None, f"{table.name}_id_seq"])) if table.sequence
                          else f"{table.name}_pk_seq")
        what += f" -> {table.sequence}"
    elif kind == "behavior":
        if "timestampable" in table.behaviors:
            table.behaviors.remove("timestampable")
        else:
            table.behaviors.append("timestampable")
    else:
        what = "noop"
    return tables, what


@st.composite
def changes(draw) -> tuple[list[Tab], list[Tab], str]:
    kind = draw(st.sampled_from(EDITS))
    v1 = draw(v1_schemas(kind))
    v2, what = draw(edit(v1, kind))
    if draw(st.integers(0, 9)) < 3:
        v2, more = draw(edit(v2))
        what += "; " + more
    return v1, v2, what


# --- comparing the two verdicts ----------------------------------------------------------------------------------

@dataclass
class Outcome:
    what: str
    static_breaks: bool
    rehearsal_breaks: bool
    classes: list[str]
    findings: list[str]
    failures: list[str]

    @property
    def agrees(self) -> bool:
        return self.static_breaks == self.rehearsal_breaks

    @property
    def agrees_per_finding(self) -> bool:
        return not self.classes

    def explain(self, v1_xml: str = "", v2_xml: str = "") -> str:
        return (f"{self.what}\n  static: {self.findings}\n  rehearsal: {self.failures}\n  classes: {self.classes}"
                + (f"\n--- V1\n{v1_xml}\n--- V2\n{v2_xml}" if v1_xml else ""))


def lint(v1: list[Tab], v2: list[Tab], platform: str):
    return finalize(compare(example_files(schema_xml(v1)), example_files(schema_xml(v2)), platform))


_NUMBERS = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "DECIMAL", "NUMERIC", "FLOAT", "DOUBLE", "REAL"}
_TEXTS = {"CHAR", "VARCHAR", "LONGVARCHAR", "CLOB"}


def _qualifier(result, finding) -> str:
    """What sets the finding's column apart, when something does (first match): a MySQL TIMESTAMP at V2, lazy in
    V1, BOOLEAN at either side, a number becoming another number or text, an ENUM becoming another type, in a V1
    unique key."""
    base = result.base.tables.get(finding.table)
    column = base.columns.get(finding.column) if base is not None and finding.column else None
    if column is None:
        return ""
    head = result.head.tables.get(finding.table)
    after = head.columns.get(finding.column) if head is not None else None
    if result.head.platform == "mysql" and after is not None and after.type == "TIMESTAMP":
        return ":timestamp"
    if column.lazy_load:
        return ":lazy"
    if "BOOLEAN" in (column.type, after.type if after is not None else None):
        return ":boolean"
    if after is not None and column.type in _NUMBERS and column.type != after.type and \
            (after.type in _NUMBERS or after.type in _TEXTS):
        return ":numeric"
    if after is not None and column.type in ("ENUM", "SET") and after.type not in ("ENUM", "SET"):
        return ":enum"
    if column.name in {c for key in base.uniques.values() for c in key.columns}:
        return ":keyed"
    return ""


def classify(result, report) -> list[str]:
    classes = []
    for outcome in report.outcomes:
        if outcome.finding.severity == Severity.ERROR and not outcome.confirmed:
            finding = outcome.finding
            masked = any(f.table == finding.table for f in report.failures)
            classes.append(f"unconfirmed:{finding.code}{_qualifier(result, finding) or (':masked' if masked else '')}")
    for failure in report.missed:
        action = f"v2-{failure.action}" if failure.phase == "v2" else failure.action
        classes.append(f"missed:{action}:{failure.code}")
    for failure in report.failures:
        if failure in report.missed:
            continue
        tied = [o.finding for o in report.outcomes if failure in o.evidence]
        if tied and all(f.severity < Severity.ERROR for f in tied):
            codes = "+".join(sorted({f.code for f in tied}))
            lazy = any(_qualifier(result, f) == ":lazy" for f in tied)
            how = ":read" if failure.action == "read" else (":lazy" if lazy else "")
            classes.append(f"below-error:{codes}{how}")
    return sorted(set(classes))


def run_example(session, v1: list[Tab], v2: list[Tab], what: str) -> Outcome:
    result = lint(v1, v2, session.server.platform)
    report = session.rehearse(result)
    assert report.dropped, f"scratch {report.scratch} not dropped: {report.drop_error}"
    static = any(f.severity == Severity.ERROR for f in result.findings)
    return Outcome(
        what, static, report.breaks, classify(result, report),
        [f"{f.code}[{f.severity}] {f.subject}" for f in result.findings],
        [f"{f.phase}/{f.action} {f.table}.{f.column}: [{f.code}] {f.error}" for f in report.failures],
    )


# --- the documented disagreement classes ---------------------------------------------------------------------------
# Every class the differential test may meet is either fixed or listed here and explained, with an example, in
# README.md ("Rehearse", "Known limits of the rehearsal"); tests/test_differential.py fails on any other class.
# Patterns are fnmatch patterns over the class names `classify()` gives.

KNOWN_LIMITS = {
    # the rehearsal cannot observe what the static rule describes
    "unconfirmed:*:lazy": "a lazy column is taken as unused by V1 (the convention the safe paths rely on)",
    "unconfirmed:CL209:keyed": "V1's minimal INSERT runs once; the second one, which collides, is not rehearsed",
    "unconfirmed:*:masked": "a V1 statement fails for one reason only: another failure on the table hides this one",
    "unconfirmed:CL304*": "V1's own data keeps the old key unique; the duplicates need rows V2 writes",
    "unconfirmed:CL202:timestamp": "MariaDB stores CURRENT_TIMESTAMP for NULL in a NOT NULL TIMESTAMP",
    "unconfirmed:CL20?:boolean": "MySQL keeps BOOLEAN as TINYINT(1); Spryker's boolean setter never writes NULL",
    "unconfirmed:CL205:keyed": "V1 must write the columns of its unique keys, so it never relies on their default",
    "unconfirmed:CL20?:numeric": "a number becomes another number or text and V1's values survive the conversion",
    "unconfirmed:CL203:enum": "ENUM positions survive as numbers or digits; V1 casts them back",
    # data-dependent warnings that the rehearsal's data makes happen
    "below-error:*CL302*": "a new foreign key over values without a referenced row: V1 data has such values",
    # (the static verdict no longer misses or under-rates a class: a lazy column V1 must still write, an ENUM
    # default outside V1's valueSet, MySQL DECIMAL over 65 digits, an id-method-parameter added on PostgreSQL and a
    # default added to a nullable unique column are errors now, CL102/CL209/CL907/CL403/CL209)
}


def documented(cls: str) -> str | None:
    """The KNOWN_LIMITS pattern that covers a disagreement class, if any."""
    import fnmatch

    return next((pattern for pattern in KNOWN_LIMITS if fnmatch.fnmatchcase(cls, pattern)), None)


def summary(outcomes: list[Outcome]) -> dict:
    """Agreement rates and class counts of a run."""
    from collections import Counter

    total = len(outcomes)
    classes = Counter(c for o in outcomes for c in o.classes)
    return {
        "examples": total,
        "verdict_agreement": sum(o.agrees for o in outcomes) / total if total else 1.0,
        "finding_agreement": sum(o.agrees_per_finding for o in outcomes) / total if total else 1.0,
        "static_breaks": sum(o.static_breaks for o in outcomes),
        "rehearsal_breaks": sum(o.rehearsal_breaks for o in outcomes),
        "classes": dict(classes.most_common()),
    }
