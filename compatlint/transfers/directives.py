"""Suppression comments in transfer files: before or inside a `<transfer>` they cover the transfer (the
finding's "table"), before a `<property>` that property (its "column"); `allow-file` covers the file."""

from __future__ import annotations

from dataclasses import replace

from ..loaders.xml import RawElement
from ..model import Origin
from ..suppress import Directive, parse_directive
from .model import normalized_name


def transfer_directives(root: RawElement) -> list[Directive]:
    found: list[Directive] = []

    def add(comments, path: str, transfer: str | None, prop: str | None) -> None:
        for text, line in comments:
            directive = parse_directive(text, Origin(path, line))
            if directive is None:
                continue
            if not directive.file_level:
                scope = directive.table or transfer
                directive = replace(directive, table=scope,
                                    column=directive.column or (prop if scope == transfer else None))
            found.append(directive)

    path = root.origin.path
    add(root.comments, path, None, None)
    declared = []
    for element in root.children:
        if element.tag != "transfer":
            continue
        name = normalized_name(element.attrs.get("name", ""))
        declared.append(name)
        add(element.comments, path, name, None)
        for child in element.children:
            if child.tag == "property":
                prop = child.attrs.get("name", "")
                add(child.comments, path, name, prop[:1].lower() + prop[1:])
    return [replace(d, file_tables=tuple(declared)) if d.file_level else d for d in found]
