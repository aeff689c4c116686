"""Frozen records without code generation, for the change events (`compatlint.changes`)."""

from __future__ import annotations


def frozen_record(cls):
    """Make `cls` a frozen record of its annotated fields (ClassVars left out), like
    `@dataclasses.dataclass(frozen=True)` but built without generating code: dataclass creation is a large
    part of a `check`'s start-up, and the change events need none of it. Equality is by value; the hash
    stays the object's identity."""
    names: list[str] = []
    for klass in reversed(cls.__mro__):
        for name, annotation in klass.__dict__.get("__annotations__", {}).items():
            if "ClassVar" not in str(annotation) and name not in names:
                names.append(name)
    defaults = {n: cls.__dict__[n] for n in names if n in cls.__dict__ and not isinstance(cls.__dict__[n], property)}

    def __init__(self, *args, **kwargs):
        if len(args) > len(names):
            raise TypeError(f"{cls.__name__} takes {len(names)} values")
        values = dict(zip(names, args))
        values.update(kwargs)
        for name in names:
            if name in values:
                object.__setattr__(self, name, values.pop(name))
            elif name in defaults:
                object.__setattr__(self, name, defaults[name])
            else:
                raise TypeError(f"{cls.__name__} needs {name}")
        if values:
            raise TypeError(f"{cls.__name__} has no field {', '.join(values)}")

    def __setattr__(self, name, value):
        raise AttributeError(f"{cls.__name__} is frozen")

    def __repr__(self):
        return f"{cls.__name__}(" + ", ".join(f"{n}={getattr(self, n)!r}" for n in names) + ")"

    def __eq__(self, other):
        return type(other) is type(self) and all(getattr(self, n) == getattr(other, n) for n in names)

    cls.__init__, cls.__setattr__, cls.__repr__, cls.__eq__ = __init__, __setattr__, __repr__, __eq__
    cls.__hash__ = object.__hash__
    cls.__fields__ = tuple(names)
    return cls
