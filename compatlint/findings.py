"""Severity and Finding: small immutable values; rendering is the reporters' job."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from .model import Origin


class Severity(enum.IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    def __str__(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> "Severity":
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown severity {text!r}: use error, warning or info") from None


_sha256 = None  # `hashlib.sha256`, found when first needed (see `sha256`)


def sha256(data: bytes):
    """`hashlib.sha256(data)`, from the builtin module where there is one: importing hashlib loads OpenSSL
    (~4 ms), and the short keys hashed here gain nothing from it."""
    global _sha256
    if _sha256 is None:
        try:
            from _sha256 import sha256 as found  # Python 3.11
        except ImportError:
            try:
                from _sha2 import sha256 as found  # Python 3.12 on
            except ImportError:
                from hashlib import sha256 as found
        _sha256 = found
    return _sha256(data)


def counted(count: int, noun: str) -> str:
    """"1 finding", "2 findings": the summaries' counts."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


@dataclass(frozen=True, init=False)
class Finding:
    """One finding of one rule (a docstring also spares `dataclass` working one out at import)."""

    code: str
    name: str
    severity: Severity
    message: str
    table: str | None = None
    column: str | None = None
    location: Origin | None = None
    # "head" for what is added or changed, "base" for what is removed.
    side: str = "head"
    safe_path: str | None = None
    # What the fingerprint is built from besides code/table/column (e.g. an index name).
    detail: str | None = field(default=None, repr=False)
    # The change event the finding is about (links findings to planned SQL statements); not compared.
    event: object = field(default=None, repr=False, compare=False, hash=False)

    def __init__(self, code: str, name: str, severity: Severity, message: str, table: str | None = None,
                 column: str | None = None, location: Origin | None = None, side: str = "head",
                 safe_path: str | None = None, detail: str | None = None, event: object = None):
        # The fields in one store: a frozen dataclass's generated `__init__` calls `object.__setattr__` for each.
        self.__dict__.update(code=code, name=name, severity=severity, message=message, table=table, column=column,
                             location=location, side=side, safe_path=safe_path, detail=detail, event=event)

    @property
    def fingerprint(self) -> str:
        """Stable across line moves and reformatting: code, table, subject and detail only."""
        key = "|".join((self.code, self.table or "", self.column or "", self.detail or ""))
        return sha256(key.encode()).hexdigest()[:16]

    @property
    def subject(self) -> str:
        if self.table and self.column:
            return f"{self.table}.{self.column}"
        return self.table or ""

    def sort_key(self) -> tuple:
        loc = self.location
        return (loc.path if loc else "", loc.line or 0 if loc else 0, self.code, self.table or "", self.column or "", self.message)
