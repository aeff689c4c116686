"""Short transfer XML for rule examples (`<transfer>` elements; `compatlint.testing` wraps them in a file)."""

from __future__ import annotations

PROJECT = "src/Pyz/Shared/{module}/Transfer/{file}.transfer.xml"
CORE = "vendor/spryker/{package}/src/Spryker/Shared/{module}/Transfer/{file}.transfer.xml"


def prop(name: str, type_: str, **attrs: str) -> str:
    extra = "".join(f' {k}="{v}"' for k, v in attrs.items())
    return f'<property name="{name}" type="{type_}"{extra}/>'


def transfer(name: str, *props: str, **attrs: str) -> str:
    extra = "".join(f' {k}="{v}"' for k, v in attrs.items())
    inner = "\n    ".join(props)
    return f'<transfer name="{name}"{extra}>\n    {inner}\n</transfer>'


def transfer_file(*transfers: str) -> str:
    return ('<?xml version="1.0"?>\n<transfers xmlns="spryker:transfer-01" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            'xsi:schemaLocation="spryker:transfer-01 http://static.spryker.com/transfer-01.xsd">\n'
            + "\n".join(transfers) + "\n</transfers>\n")
