"""Read migration SQL with sqlglot (mysql and postgres dialects) into typed statements and actions.

Rules never see sqlglot trees: each statement becomes a frozen `SqlStatement` (kind, table, text,
file line) with `actions` in compatlint's own vocabulary, which `compatlint.sql.apply` plays on the
base schema model. Statements sqlglot only keeps as a `Command` (e.g. `RENAME TABLE`, `REPLACE`)
are still understood from their leading words; statements it cannot parse at all are kept with
their error (CL504), never dropped.
"""

from __future__ import annotations

import logging
import re

from ..model import Column, Default, ForeignKey, Index, Origin
from ..table_builder import fk_action
from .actions import (  # noqa: F401 - the statement vocabulary, re-exported for readers of read.py
    Action, CreateTable, DropTable, RenameTable, AddColumn, DropColumn, ChangeColumn, RenameColumn, AlterColumn,
    AddIndex, DropIndex, AddForeignKey, DropConstraint, DropPrimaryKey, AddPrimaryKey, DropObject, DataChange,
    SqlStatement,
)
from .split import RawStatement, split_statements

DIALECT = {"mysql": "mysql", "pgsql": "postgres"}

# Native type names (as sqlglot renders them per dialect) -> Propel type that maps back to them.
_TO_PROPEL = {
    "mysql": {"TINYINT": "TINYINT", "SMALLINT": "SMALLINT", "INT": "INTEGER", "INTEGER": "INTEGER", "MEDIUMINT": "INTEGER",
              "BIGINT": "BIGINT", "FLOAT": "FLOAT", "DOUBLE": "DOUBLE", "REAL": "DOUBLE", "DECIMAL": "DECIMAL",
              "NUMERIC": "DECIMAL", "CHAR": "CHAR", "VARCHAR": "VARCHAR", "TEXT": "LONGVARCHAR", "TINYTEXT": "LONGVARCHAR",
              "MEDIUMTEXT": "LONGVARCHAR", "LONGTEXT": "CLOB", "DATE": "DATE", "TIME": "TIME", "TIMESTAMP": "TIMESTAMP",
              "DATETIME": "DATETIME", "BINARY": "BINARY", "VARBINARY": "VARBINARY", "BLOB": "BLOB",
              "MEDIUMBLOB": "VARBINARY", "LONGBLOB": "LONGVARBINARY", "JSON": "JSON", "BOOLEAN": "BOOLEAN", "BOOL": "BOOLEAN"},
    "pgsql": {"BOOLEAN": "BOOLEAN", "BOOL": "BOOLEAN", "SMALLINT": "SMALLINT", "INT2": "SMALLINT", "INT": "INTEGER",
              "INTEGER": "INTEGER", "INT4": "INTEGER", "BIGINT": "BIGINT", "INT8": "BIGINT", "REAL": "REAL",
              "FLOAT4": "REAL", "DOUBLE PRECISION": "DOUBLE", "DOUBLE": "DOUBLE", "FLOAT8": "DOUBLE", "NUMERIC": "DECIMAL",
              "DECIMAL": "DECIMAL", "CHAR": "CHAR", "VARCHAR": "VARCHAR", "TEXT": "LONGVARCHAR", "DATE": "DATE",
              "TIME": "TIME", "TIMESTAMP": "TIMESTAMP", "BYTEA": "BLOB", "JSON": "JSON", "JSONB": "JSON", "UUID": "UUID",
              "SERIAL": "INTEGER", "BIGSERIAL": "BIGINT", "SMALLSERIAL": "SMALLINT"},
}


def _name(node) -> str | None:
    if node is None:
        return None
    if hasattr(node, "name") and isinstance(node.name, str) and node.name:
        return node.name
    return node.sql() if hasattr(node, "sql") else str(node)


def _literal(node) -> str:
    from sqlglot import exp

    if isinstance(node, exp.Literal):
        return str(node.this)
    if isinstance(node, exp.Neg):
        return "-" + _literal(node.this)
    if isinstance(node, exp.Boolean):
        return "true" if node.this else "false"
    return node.sql()


def _expression(node, platform: str) -> str:
    """An SQL default expression as written in the migration (sqlglot would print CURRENT_TIMESTAMP())."""
    from sqlglot import exp

    for kind, text in ((exp.CurrentTimestamp, "CURRENT_TIMESTAMP"), (exp.CurrentDate, "CURRENT_DATE"),
                       (exp.CurrentTime, "CURRENT_TIME")):
        if isinstance(node, kind) and not node.args.get("this"):
            return text
    return node.sql(dialect=DIALECT[platform])


def _data_type(kind, platform: str) -> tuple[str, int | None, int | None, str]:
    """(Propel type, size, scale, native name) of a sqlglot DataType."""
    from sqlglot import exp

    params = [p.this if isinstance(p, exp.DataTypeParam) else p for p in kind.expressions]
    numbers = []
    for param in params:
        text = _literal(param) if param is not None else ""
        numbers.append(int(text) if text.lstrip("-").isdigit() else None)
    bare = exp.DataType(this=kind.this).sql(dialect=DIALECT[platform]).upper()
    native = kind.sql(dialect=DIALECT[platform]).upper().split("(")[0].strip()
    for candidate in (native, bare):
        propel = _TO_PROPEL[platform].get(candidate)
        if propel:
            break
    else:
        propel = native
    size = numbers[0] if numbers else None
    scale = numbers[1] if len(numbers) > 1 else None
    if platform == "mysql" and propel == "TINYINT" and size == 1:
        propel = "BOOLEAN"
    return propel, size, scale, native


def _column(node, platform: str, origin: Origin) -> tuple[Column, bool]:
    """A Column from a sqlglot ColumnDef; second value: declared PRIMARY KEY inline."""
    from sqlglot import exp

    from ..platform import normalise_size

    name = node.this.name
    propel, size, scale, native = _data_type(node.args.get("kind"), platform) if node.args.get("kind") else ("VARCHAR", None, None, "")
    not_null = False
    default = None
    auto = native in ("SERIAL", "BIGSERIAL", "SMALLSERIAL")
    primary = False
    description = None
    for constraint in node.args.get("constraints") or ():
        kind = constraint.args.get("kind")
        if isinstance(kind, exp.NotNullColumnConstraint):
            not_null = not kind.args.get("allow_null")
        elif isinstance(kind, exp.DefaultColumnConstraint):
            value = kind.this
            if isinstance(value, exp.Null):
                default = None
            elif isinstance(value, (exp.Literal, exp.Neg, exp.Boolean)):
                text = _literal(value)
                if propel == "BOOLEAN" and platform == "pgsql":
                    text = "true" if text.lower() in ("t", "true", "1") else "false"
                default = Default(text)
            else:
                default = Default(_expression(value, platform), is_expression=True)
        elif isinstance(kind, exp.AutoIncrementColumnConstraint):
            auto = True
        elif isinstance(kind, exp.PrimaryKeyColumnConstraint):
            primary = True
        elif isinstance(kind, exp.CommentColumnConstraint):
            description = _literal(kind.this)
    size = normalise_size(platform, propel, size, False, scale)
    column = Column(name=name, type=propel, size=size, scale=scale, not_null=not_null or primary, default=default,
                    auto_increment=auto, primary_key=primary, description=description, origin=origin)
    return column, primary


def _index_columns(node) -> tuple[str, ...]:
    from sqlglot import exp

    out = []
    for item in node.expressions if hasattr(node, "expressions") else ():
        if isinstance(item, exp.Ordered):
            item = item.this
        if isinstance(item, (exp.Column, exp.Identifier)):
            out.append(item.name)
        elif hasattr(item, "this") and hasattr(item.this, "name"):
            out.append(item.this.name)
    return tuple(out)


def _foreign_key(constraint_name: str | None, fk, table: str, origin: Origin) -> ForeignKey:
    from sqlglot import exp

    local = tuple(e.name for e in fk.expressions)
    reference = fk.args.get("reference")
    target = reference.this if reference is not None else None
    foreign_table = target.this.name if isinstance(target, exp.Schema) else _name(target)
    foreign = tuple(e.name for e in target.expressions) if isinstance(target, exp.Schema) else ()
    options = " ".join(str(o) for o in (fk.args.get("options") or []))
    if reference is not None:
        options += " " + " ".join(str(o) for o in (reference.args.get("options") or []))
    delete = re.search(r"ON DELETE (SET NULL|SET DEFAULT|NO ACTION|CASCADE|RESTRICT)", options.upper())
    update = re.search(r"ON UPDATE (SET NULL|SET DEFAULT|NO ACTION|CASCADE|RESTRICT)", options.upper())
    return ForeignKey(name=constraint_name or f"{table}_fk", foreign_table=foreign_table or "", local_columns=local,
                      foreign_columns=foreign, on_delete=fk_action(delete.group(1).replace(" ", "") if delete else None),
                      on_update=fk_action(update.group(1).replace(" ", "") if update else None), origin=origin)


def _alter_actions(tree, table: str, platform: str, origin: Origin) -> list[Action]:
    """The clauses of an ALTER TABLE; with more than one, each located at its own line (sqlglot's
    identifier positions). A single clause stays at the statement's line, as Propel's `ALTER TABLE t` /
    `DROP c` on the next line reads as one statement."""
    from dataclasses import replace

    from sqlglot import exp

    clauses = tree.args.get("actions") or ()
    out: list[Action] = []
    for clause in clauses:
        before = len(out)
        out.extend(_clause_actions(clause, table, platform, origin))
        name = next(clause.find_all(exp.Identifier), None)
        line = name.meta.get("line") if name is not None else None
        if len(clauses) > 1 and line and line > 1 and origin.line:
            where = Origin(origin.path, origin.line + line - 1)
            out[before:] = [replace(a, origin=where) for a in out[before:]]
    return out


def _clause_actions(action, table: str, platform: str, origin: Origin) -> list[Action]:
    from sqlglot import exp

    actions: list[Action] = []
    if isinstance(action, exp.ColumnDef):
        column, primary = _column(action, platform, origin)
        position = action.args.get("position")
        after = first = None
        if position is not None:
            text = position.sql(dialect="mysql").upper()
            first = text.startswith("FIRST")
            after = position.this.name if not first and position.this is not None else None
        actions.append(AddColumn(table, column, after=after, first=bool(first)))
        if primary:
            actions.append(AddPrimaryKey(table, (column.name,)))
    elif isinstance(action, exp.ModifyColumn):
        column, _ = _column(action.this, platform, origin)
        old = action.args.get("rename_from")
        actions.append(ChangeColumn(table, old_name=old.name if old is not None else column.name, column=column))
    elif isinstance(action, exp.RenameColumn):
        actions.append(RenameColumn(table, old_name=action.this.name, new_name=action.args["to"].name))
    elif isinstance(action, exp.AlterColumn):
        name = action.this.name
        if action.args.get("dtype") is not None:
            propel, size, scale, _ = _data_type(action.args["dtype"], platform)
            using = action.args.get("using")
            discards = hasattr(using, "find_all") and not any(c.name.lower() == name.lower()
                                                              for c in using.find_all(exp.Column))
            actions.append(AlterColumn(table, name=name, propel_type=propel, size=size, scale=scale,
                                       using=using.sql(dialect=DIALECT[platform]) if hasattr(using, "sql") else None,
                                       using_discards=discards))
        elif action.args.get("allow_null") is not None or (action.args.get("drop") and "NOT NULL" in action.sql().upper()):
            allow = action.args.get("allow_null")
            actions.append(AlterColumn(table, name=name, not_null=not bool(allow) if allow is not None else False))
        elif action.args.get("drop"):
            actions.append(AlterColumn(table, name=name, drop_default=True))
        elif action.args.get("default") is not None:
            value = action.args["default"]
            default = Default(_literal(value)) if isinstance(value, (exp.Literal, exp.Neg, exp.Boolean)) else \
                Default(_expression(value, platform), is_expression=True)
            actions.append(AlterColumn(table, name=name, set_default=default))
        else:
            raise ValueError(f"unsupported ALTER COLUMN form: {action.sql(dialect=DIALECT[platform])}")
    elif isinstance(action, exp.Drop):
        kind = (action.args.get("kind") or "").upper()
        names = [t.name for t in action.args.get("tables") or ()]
        for name in names:
            if kind in ("COLUMN", ""):
                actions.append(DropColumn(table, name=name))
            elif kind in ("FOREIGN KEY", "CONSTRAINT"):
                actions.append(DropConstraint(table, name=name, kind=kind))
            elif kind == "INDEX":
                actions.append(DropIndex(table, name=name))
            else:
                raise ValueError(f"unsupported DROP {kind}")
    elif isinstance(action, exp.DropPrimaryKey):
        actions.append(DropPrimaryKey(table))
    elif isinstance(action, exp.AddConstraint):
        for constraint in action.expressions:
            actions.extend(_constraint(constraint, table, origin))
    elif isinstance(action, exp.AlterRename):
        actions.append(RenameTable(table, new_name=action.this.name))
    else:
        raise ValueError(f"unsupported ALTER TABLE action {type(action).__name__}")
    return actions


def _constraint(constraint, table: str, origin: Origin) -> list[Action]:
    from sqlglot import exp

    name = None
    inner = [constraint]
    if isinstance(constraint, exp.Constraint):
        name = constraint.this.name if constraint.this is not None else None
        inner = list(constraint.expressions)
    out: list[Action] = []
    for item in inner:
        if isinstance(item, exp.ForeignKey):
            out.append(AddForeignKey(table, _foreign_key(name, item, table, origin)))
        elif isinstance(item, exp.UniqueColumnConstraint):
            target = item.this
            columns = tuple(e.name for e in target.expressions) if isinstance(target, exp.Schema) else ()
            index_name = name or (target.this.name if isinstance(target, exp.Schema) and target.this is not None else f"{table}_unique")
            out.append(AddIndex(table, Index(index_name, columns, True, origin=origin)))
        elif isinstance(item, exp.PrimaryKey):
            out.append(AddPrimaryKey(table, tuple(e.name for e in item.expressions)))
        elif isinstance(item, exp.IndexColumnConstraint):  # MySQL ADD INDEX / ADD KEY
            index_name = item.this.name if item.this is not None else f"{table}_i"
            out.append(AddIndex(table, Index(index_name, _index_columns(item), False, origin=origin)))
        else:
            raise ValueError(f"unsupported constraint {type(item).__name__}")
    return out


def _create_table(tree, platform: str, origin: Origin) -> CreateTable:
    from sqlglot import exp

    schema = tree.this
    table = schema.this.name
    columns, primary, indexes, fks = [], [], [], []
    for item in schema.expressions:
        if isinstance(item, exp.ColumnDef):
            column, pk = _column(item, platform, origin)
            columns.append(column)
            if pk:
                primary.append(column.name)
        elif isinstance(item, exp.PrimaryKey):
            primary.extend(e.name for e in item.expressions)
        elif isinstance(item, exp.UniqueColumnConstraint):
            target = item.this
            name = target.this.name if isinstance(target, exp.Schema) and target.this is not None else f"{table}_u"
            indexes.append(Index(name, tuple(e.name for e in target.expressions), True, origin=origin))
        elif isinstance(item, exp.IndexColumnConstraint):
            indexes.append(Index(item.this.name if item.this is not None else f"{table}_i", _index_columns(item), False, origin=origin))
        else:
            for action in _constraint(item, table, origin):
                if isinstance(action, AddForeignKey):
                    fks.append(action.foreign_key)
                elif isinstance(action, AddIndex):
                    indexes.append(action.index)
                elif isinstance(action, AddPrimaryKey):
                    primary.extend(action.columns)
    columns = [c if c.name not in primary else Column(**{**_fields(c), "primary_key": True, "not_null": True}) for c in columns]
    return CreateTable(table, tuple(columns), tuple(primary), tuple(indexes), tuple(fks))


def _fields(column: Column) -> dict:
    return {f: getattr(column, f) for f in column.__dataclass_fields__}


_COMMAND = re.compile(r"^\s*(RENAME\s+TABLE|REPLACE|TRUNCATE|CREATE\s+SEQUENCE|DROP\s+SEQUENCE|SET|BEGIN|COMMIT|START\s+TRANSACTION)\b",
                      re.IGNORECASE)
_RENAME_TABLE = re.compile(r"RENAME\s+TABLE\s+", re.IGNORECASE)
_RENAME_PAIR = re.compile(r"\s*([`\"]?)([\w$]+)\1\s+TO\s+([`\"]?)([\w$]+)\3\s*(?:,|$)", re.IGNORECASE)
_REPLACE = re.compile(r"REPLACE\s+(?:INTO\s+)?([`\"]?)([\w$]+)\1", re.IGNORECASE)


def _statement(raw: RawStatement, path: str, platform: str) -> SqlStatement:
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import ErrorLevel, ParseError, TokenError

    origin = Origin(path, raw.line)
    base = dict(text=raw.text, origin=origin, comments=raw.comments)
    try:
        trees = sqlglot.parse(raw.text, read=DIALECT[platform], error_level=ErrorLevel.RAISE)
    except (ParseError, TokenError) as error:
        return SqlStatement(kind="unparsed", error=str(error).splitlines()[0][:200], **base)
    tree = trees[0] if trees else None
    try:
        if isinstance(tree, exp.Alter):
            table = tree.this.name
            actions = tuple(_alter_actions(tree, table, platform, origin))
            kind = "rename_table" if actions and all(isinstance(a, RenameTable) for a in actions) else "alter"
            return SqlStatement(kind=kind, table=table, actions=actions, **base)
        if isinstance(tree, exp.Create):
            what = (tree.args.get("kind") or "").upper()
            if what == "TABLE":
                create = _create_table(tree, platform, origin)
                return SqlStatement(kind="create_table", table=create.table, actions=(create,), **base)
            if what == "INDEX":
                index = tree.this
                table = index.args["table"].name
                params = index.args.get("params")
                columns = tuple((c.this.name if isinstance(c, exp.Ordered) else c.name)
                                for c in (params.args.get("columns") or () if params is not None else ()))
                unique = bool(tree.args.get("unique"))
                action = AddIndex(table, Index(index.this.name, columns, unique, origin=origin),
                                  concurrently=bool(tree.args.get("concurrently")))
                return SqlStatement(kind="create_index", table=table, actions=(action,), **base)
            if what == "SEQUENCE":
                return SqlStatement(kind="sequence", table=None, **base)
            return SqlStatement(kind="other", **base)
        if isinstance(tree, exp.Drop):
            what = (tree.args.get("kind") or "").upper()
            targets = tree.args.get("tables") or ([tree.this] if tree.this is not None else [])
            if what == "TABLE":
                names = [t.name for t in targets]
                return SqlStatement(kind="drop_table", table=names[0] if names else None,
                                    actions=tuple(DropTable(n) for n in names), **base)
            if what == "INDEX":
                on = tree.args.get("cluster")
                table_name = on.this.name if on is not None and on.this is not None else None
                return SqlStatement(kind="drop_index", table=table_name,
                                    actions=tuple(DropIndex(table_name, name=t.name) for t in targets), **base)
            if what == "SEQUENCE":
                return SqlStatement(kind="sequence", **base)
            names = [t.name if hasattr(t, "name") else t.sql() for t in targets]
            return SqlStatement(kind="drop_other", table=None, verb=f"DROP {what}".strip(),
                                actions=tuple(DropObject(None, kind=what, name=n) for n in names), **base)
        if isinstance(tree, (exp.Update, exp.Delete, exp.Insert, exp.TruncateTable)):
            verb = {exp.Update: "UPDATE", exp.Delete: "DELETE", exp.Insert: "INSERT", exp.TruncateTable: "TRUNCATE"}[type(tree)]
            targets = list(tree.expressions) if isinstance(tree, exp.TruncateTable) else [tree.this]
            names = []
            for target in targets:
                if isinstance(target, exp.Schema):
                    target = target.this
                names.append(target.name if target is not None and hasattr(target, "name") else None)
            table = names[0] if names else None
            return SqlStatement(kind="data", table=table, actions=tuple(DataChange(n, verb=verb) for n in names),
                                verb=verb, **base)
        if isinstance(tree, exp.Set):
            return SqlStatement(kind="set", **base)
        if isinstance(tree, (exp.Transaction, exp.Commit, exp.Rollback)):
            return SqlStatement(kind="transaction", **base)
        if isinstance(tree, exp.Comment):
            return SqlStatement(kind="comment", **base)
        if isinstance(tree, exp.Command):
            text = raw.text
            rename = _RENAME_TABLE.match(text.strip())
            if rename:  # RENAME TABLE a TO b[, c TO d ...] (sqlglot keeps it as a Command)
                pairs = [(m.group(2), m.group(4)) for m in _RENAME_PAIR.finditer(text.strip()[rename.end():])]
                if pairs:
                    return SqlStatement(kind="rename_table", table=pairs[0][0],
                                        actions=tuple(RenameTable(a, new_name=b) for a, b in pairs), **base)
            replace_into = _REPLACE.match(text.strip())
            if replace_into:
                return SqlStatement(kind="data", table=replace_into.group(2), verb="REPLACE",
                                    actions=(DataChange(replace_into.group(2), verb="REPLACE"),), **base)
            if _COMMAND.match(text):
                return SqlStatement(kind="other", **base)
            return SqlStatement(kind="unparsed", error="not understood (kept as an opaque command)", **base)
        if isinstance(tree, (exp.Select, exp.Union, exp.Use, exp.Grant)) or type(tree).__name__ in ("Analyze", "Vacuum"):
            return SqlStatement(kind="other", **base)
    except (ValueError, AttributeError, KeyError, TypeError, IndexError) as error:
        return SqlStatement(kind="unparsed", error=f"not understood: {error}", **base)
    return SqlStatement(kind="unparsed", error=f"not understood as a statement ({type(tree).__name__})", **base)


logging.getLogger("sqlglot").setLevel(logging.ERROR)  # fallbacks to Command are handled above


def read_sql(sql: str, path: str, platform: str, first_line: int = 1) -> list[SqlStatement]:
    """Statements of one SQL text (a `.sql` file or one connection of a PHP migration)."""
    return [_statement(raw, path, platform) for raw in split_statements(sql, first_line)]
