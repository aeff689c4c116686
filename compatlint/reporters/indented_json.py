"""`json.dumps(value, indent=2)`, byte for byte, in a fraction of its time.

With `indent`, the standard library leaves its C encoder for a pure-Python generator chain; on a whole
history's audit that was a noticeable share of the run. This writer handles what reports hold (dicts with
string keys, lists, tuples, strings, numbers, booleans, None) with the C string escaper, and hands
anything else to `json.dumps` itself, so the output never differs (a property test compares the two).
"""

from __future__ import annotations

try:  # the C escaper json.encoder itself uses: importing the json package (decoder too) is not needed here
    from _json import encode_basestring_ascii as _string
except ImportError:
    from json.encoder import encode_basestring_ascii as _string

_INFINITY = float("inf")


class _Unusual(Exception):
    """A value this writer leaves to the standard library."""


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value == _INFINITY:
        return "Infinity"
    if value == -_INFINITY:
        return "-Infinity"
    return float.__repr__(value)


def _write(value, parts: list[str], level: int) -> None:
    if isinstance(value, str):
        parts.append(_string(value))
    elif value is None:
        parts.append("null")
    elif value is True:
        parts.append("true")
    elif value is False:
        parts.append("false")
    elif isinstance(value, int):
        parts.append(int.__repr__(value))
    elif isinstance(value, float):
        parts.append(_float(value))
    elif isinstance(value, (list, tuple)):
        if not value:
            parts.append("[]")
            return
        inner = "\n" + "  " * (level + 1)
        parts.append("[")
        for number, item in enumerate(value):
            parts.append(inner if number == 0 else "," + inner)
            _write(item, parts, level + 1)
        parts.append("\n" + "  " * level + "]")
    elif isinstance(value, dict):
        if not value:
            parts.append("{}")
            return
        inner = "\n" + "  " * (level + 1)
        parts.append("{")
        first = True
        for key, item in value.items():
            if not isinstance(key, str):
                raise _Unusual  # json turns numbers, booleans and None into keys its own way
            parts.append(inner if first else "," + inner)
            first = False
            parts.append(_string(key))
            parts.append(": ")
            if item.__class__ is str:  # most values of a report: written here, without a call
                parts.append(_string(item))
            elif item is None:
                parts.append("null")
            else:
                _write(item, parts, level + 1)
        parts.append("\n" + "  " * level + "}")
    else:
        raise _Unusual


def dumps(value) -> str:
    """Exactly `json.dumps(value, indent=2)`."""
    parts: list[str] = []
    try:
        _write(value, parts, 0)
    except (_Unusual, RecursionError):
        import json

        return json.dumps(value, indent=2)
    return "".join(parts)
