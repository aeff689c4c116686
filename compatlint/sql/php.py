"""Read the SQL out of Propel migration classes with a real PHP parser (tree-sitter-php); PHP is never run.

Both shapes are understood:
- Propel 2.0.0-beta1 and later (`templates/Manager/migration_template.php`): each connection's SQL is
  a nowdoc assigned to `$connection_<name>`, and `getUpSQL()` returns `['zed' => $connection_zed]`;
- up to 2.0.0-alpha12: `getUpSQL()` returns a `var_export()`ed array literal `array ('zed' => '...')`.
Heredocs without interpolation and concatenations of literals are accepted too; anything else in a
returned value is refused with the file and line, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..loaders.git import InputError


@dataclass(frozen=True)
class MigrationSql:
    """One connection's SQL of one direction, with the file line its first character is on; or, with
    `unchecked`, code in another method (e.g. `postUp`) that Propel runs and compatlint cannot read."""

    path: str
    connection: str
    direction: str  # "up" | "down"
    sql: str
    line: int
    unchecked: str | None = None


class PhpMigrationError(InputError):
    def __init__(self, path: str, line: int, message: str):
        super().__init__(f"{path}:{line}: {message}")
        self.path, self.line, self.message = path, line, message


_PARSER = None


def _parser():
    global _PARSER
    if _PARSER is None:
        import tree_sitter_php
        from tree_sitter import Language, Parser

        _PARSER = Parser(Language(tree_sitter_php.language_php()))
    return _PARSER


def _text(node, src: bytes) -> str:
    return src[node.start_byte:node.end_byte].decode("utf-8", "replace")


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "v": "\v", "e": "\x1b", "f": "\f", "\\": "\\", "$": "$", '"': '"'}


def _double_quoted(body: str, quote: str = '"') -> str:
    """PHP's escapes in double-quoted strings and heredocs (heredocs do not unescape `\"`)."""
    out, i, n = [], 0, len(body)
    while i < n:
        ch = body[i]
        if ch != "\\" or i + 1 >= n:
            out.append(ch)
            i += 1
            continue
        nxt = body[i + 1]
        if nxt in _ESCAPES and (nxt != '"' or quote == '"'):
            out.append(_ESCAPES[nxt])
            i += 2
        elif nxt in "01234567":
            digits = re.match(r"[0-7]{1,3}", body[i + 1:]).group(0)
            out.append(chr(int(digits, 8) & 0xFF))
            i += 1 + len(digits)
        elif nxt == "x" and re.match(r"[0-9A-Fa-f]", body[i + 2:i + 3]):
            digits = re.match(r"[0-9A-Fa-f]{1,2}", body[i + 2:]).group(0)
            out.append(chr(int(digits, 16)))
            i += 2 + len(digits)
        elif nxt == "u" and body[i + 2:i + 3] == "{":
            end = body.index("}", i)
            out.append(chr(int(body[i + 3:end], 16)))
            i = end + 1
        else:
            out.append(ch)  # unknown escapes stay as written
            i += 1
    return "".join(out)


def _single_quoted(body: str) -> str:
    # PHP single-quoted strings: only \\ and \' are escapes
    out, i = [], 0
    while i < len(body):
        if body[i] == "\\" and i + 1 < len(body) and body[i + 1] in "\\'":
            out.append(body[i + 1])
            i += 2
        else:
            out.append(body[i])
            i += 1
    return "".join(out)


class _Evaluator:
    """Evaluates the few PHP expression kinds a migration's return value is built from."""

    def __init__(self, path: str, src: bytes, variables: dict[str, tuple[str, int]]):
        self.path, self.src, self.variables = path, src, variables

    def fail(self, node, message: str):
        raise PhpMigrationError(self.path, node.start_point[0] + 1, message)

    def value(self, node) -> tuple[str, int]:
        """(string value, 1-based line of its first character)."""
        kind = node.type
        if kind == "string":  # single-quoted
            raw = _text(node, self.src)
            if not (raw.startswith("'") and raw.endswith("'")):
                self.fail(node, "unsupported string literal")
            return _single_quoted(raw[1:-1]), node.start_point[0] + 1
        if kind == "encapsed_string":  # double-quoted
            if any(c.type not in ("string_content", "escape_sequence") for c in node.named_children):
                self.fail(node, "double-quoted string with interpolation is not read (PHP is never executed)")
            return _double_quoted(_text(node, self.src)[1:-1]), node.start_point[0] + 1
        if kind in ("nowdoc", "heredoc"):
            bodies = [c for c in node.named_children if c.type in ("nowdoc_body", "heredoc_body")]
            if kind == "heredoc" and bodies and any(
                    c.type not in ("string_content", "string_value", "escape_sequence") for c in bodies[0].named_children):
                self.fail(node, "heredoc with interpolation is not read (PHP is never executed)")
            if not bodies:
                return "", node.start_point[0] + 2
            body = bodies[0]
            text = _text(body, self.src)
            if kind == "heredoc":
                text = _double_quoted(text, quote="")
            # tree-sitter's body starts after the opening line's newline
            return text, body.start_point[0] + 1
        if kind == "variable_name":
            name = _text(node, self.src)
            if name not in self.variables:
                self.fail(node, f"{name} is not assigned a literal in this method")
            return self.variables[name]
        if kind == "binary_expression" and _text(node.child_by_field_name("operator") or node.children[1], self.src) == ".":
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            (a, line), (b, _) = self.value(left), self.value(right)
            return a + b, line
        if kind == "parenthesized_expression":
            return self.value(node.named_children[0])
        self.fail(node, f"unsupported expression ({kind}) in the returned SQL; compatlint reads literals only")
        raise AssertionError  # unreachable

    def array(self, node) -> dict[str, tuple[str, int]]:
        if node.type != "array_creation_expression":
            if node.type == "variable_name":
                self.fail(node, "the returned value must be an array literal")
            self.fail(node, f"the returned value must be an array literal, not {node.type}")
        result = {}
        for element in node.named_children:
            if element.type != "array_element_initializer":
                continue
            parts = [c for c in element.named_children]
            if len(parts) != 2:
                self.fail(element, "array element without a connection name key")
            key, _ = self.value(parts[0])
            result[key] = self.value(parts[1])
        return result


def _methods(root, src: bytes):
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type == "method_declaration":
            name = node.child_by_field_name("name")
            if name is not None:
                yield _text(name, src), node
            continue
        stack.extend(node.named_children)


def read_migration(data: bytes, path: str, directions: tuple[str, ...] = ("up",)) -> list[MigrationSql]:
    """The SQL each connection runs, per direction, from a `PropelMigration_*.php` file."""
    tree = _parser().parse(data)
    root = tree.root_node
    if root.has_error:
        bad = _first_error(root)
        raise PhpMigrationError(path, bad.start_point[0] + 1 if bad else 1, "PHP syntax error: cannot read the migration")
    _refuse_top_level_code(root, path)
    wanted = {"up": "getUpSQL", "down": "getDownSQL"}
    found: list[MigrationSql] = []
    classes = [n for n in root.named_children if n.type == "class_declaration"]
    if len(classes) != 1:
        raise PhpMigrationError(path, (classes[1] if len(classes) > 1 else root).start_point[0] + 1,
                                f"{len(classes)} classes in the file: a Propel migration file holds exactly one")
    methods = dict(_methods(classes[0], data))
    for name, method in methods.items():
        body = method.child_by_field_name("body")
        code = [c for c in (body.named_children if body is not None else []) if c.type != "comment"]
        if name not in wanted.values() and code:
            hook_direction = "down" if "Down" in name else "up"
            if hook_direction in directions:
                found.append(MigrationSql(path, "", hook_direction, "", code[0].start_point[0] + 1, unchecked=name))
    if "getUpSQL" not in methods:
        raise PhpMigrationError(path, 1, "no getUpSQL() method: not a Propel migration class")
    for direction in directions:
        method = methods.get(wanted[direction])
        if method is None:
            continue
        body = method.child_by_field_name("body")
        variables: dict[str, tuple[str, int]] = {}
        evaluator = _Evaluator(path, data, variables)
        returned = None
        for statement in (body.named_children if body is not None else []):
            if statement.type == "expression_statement" and statement.named_children and \
                    statement.named_children[0].type == "assignment_expression":
                assignment = statement.named_children[0]
                left, right = assignment.child_by_field_name("left"), assignment.child_by_field_name("right")
                if left is not None and left.type == "variable_name" and right is not None:
                    variables[_text(left, data)] = evaluator.value(right)
            elif statement.type == "return_statement" and statement.named_children:
                returned = statement.named_children[0]
            elif statement.type != "comment":
                # Propel would run this at deploy time; compatlint never runs PHP, so it cannot vouch for the file
                raise PhpMigrationError(path, statement.start_point[0] + 1,
                                        f"{wanted[direction]}() runs code besides returning its SQL "
                                        f"({statement.type}); compatlint reads literals only and never executes PHP")
        if returned is None:
            raise PhpMigrationError(path, method.start_point[0] + 1, f"{wanted[direction]}() returns nothing")
        for connection, (sql, line) in evaluator.array(returned).items():
            found.append(MigrationSql(path, connection, direction, sql, line))
    return found


_TOP_LEVEL = {"php_tag", "namespace_definition", "namespace_use_declaration", "class_declaration", "comment",
              "text_interpolation", "declare_statement"}


def _refuse_top_level_code(root, path: str) -> None:
    """Statements outside the migration class run when Propel loads the file: refuse them."""
    for node in root.named_children:
        if node.type not in _TOP_LEVEL:
            raise PhpMigrationError(path, node.start_point[0] + 1,
                                    f"code outside the migration class ({node.type}) would run when Propel loads "
                                    "the file; compatlint never executes PHP and cannot vouch for it")


def _first_error(node):
    if node.type == "ERROR" or node.is_missing:
        return node
    for child in node.children:
        found = _first_error(child)
        if found is not None:
            return found
    return None
