"""Split SQL text into statements, keeping each statement's first line in the file.

Like Propel's `SqlParser::parseString` (statements end with `;` outside quotes, whole `--`/`#` comment
lines are dropped), aware of '...', "...", `...`, /* */ comments and PostgreSQL $tag$ strings. Comments directly
before a statement are kept with it (suppression directives live there).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DOLLAR = re.compile(r"\$[A-Za-z_0-9]*\$")


@dataclass(frozen=True)
class RawStatement:
    text: str  # without the trailing semicolon and surrounding blank space
    line: int  # 1-based line of the statement's first character
    comments: tuple[str, ...] = ()  # line comments directly before it


def _line_start(sql: str, at: int) -> bool:
    """Only blanks between the previous newline and `at`."""
    start = sql.rfind("\n", 0, at) + 1
    return not sql[start:at].strip()


def split_statements(sql: str, first_line: int = 1) -> list[RawStatement]:
    statements: list[RawStatement] = []
    buffer: list[str] = []
    comments: list[str] = []
    line = first_line
    start_line: int | None = None
    i, n = 0, len(sql)
    quote: str | None = None
    dollar: str | None = None

    def flush():
        nonlocal start_line, comments
        text = "".join(buffer).strip()
        if text:
            statements.append(RawStatement(text, start_line or line, tuple(comments)))
            comments = []
        buffer.clear()
        start_line = None

    while i < n:
        ch = sql[i]
        if quote:
            buffer.append(ch)
            if ch == "\n":
                line += 1
            elif ch == "\\" and quote != "`" and i + 1 < n:
                buffer.append(sql[i + 1])
                line += sql[i + 1] == "\n"
                i += 1
            elif ch == quote:
                if i + 1 < n and sql[i + 1] == quote:  # doubled quote
                    buffer.append(sql[i + 1])
                    i += 1
                else:
                    quote = None
            i += 1
            continue
        if dollar:
            if sql.startswith(dollar, i):
                buffer.append(dollar)
                i += len(dollar)
                dollar = None
                continue
            buffer.append(ch)
            line += ch == "\n"
            i += 1
            continue
        if ch == "\n":
            line += 1
            buffer.append(ch)
            i += 1
            continue
        if ch in "'\"`":
            quote = ch
        elif ch == "$" and (match := _DOLLAR.match(sql, i)):
            dollar = match.group(0)
            if start_line is None:
                start_line = line
            buffer.append(dollar)
            i += len(dollar)
            continue
        elif (sql.startswith("--", i) or ch == "#") and _line_start(sql, i):
            # Propel's SqlParser strips whole comment lines only; a `#` or `--` later in a line does not
            # hide a `;` from its splitter, so it does not hide one here either.
            end = sql.find("\n", i)
            end = n if end < 0 else end
            if not "".join(buffer).strip():
                comments.append(sql[i:end].lstrip("-#").strip())
            i = end
            continue
        elif sql.startswith("/*", i):
            end = sql.find("*/", i + 2)
            end = n if end < 0 else end + 2
            line += sql.count("\n", i, end)
            buffer.append(" ")
            i = end
            continue
        elif ch == ";":
            flush()
            i += 1
            continue
        if start_line is None and not ch.isspace():
            start_line = line
        buffer.append(ch)
        i += 1
    flush()
    return statements
