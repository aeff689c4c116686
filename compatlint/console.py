"""The `compatlint` console script: what can start before the command line and the pipeline are imported.

`compatlint audit` first waits for git to read the history (`git log --raw` over every commit); started
here, git reads it while Python imports the command line library and the pipeline. The command line is
only glanced at: an audit whose options this does not know plainly starts nothing, and a guess that turns
out wrong costs a git process nobody asks for (`history.read_range` takes a started command only when it
is the very one it needs).
"""

from __future__ import annotations

import gc
import sys

# `compatlint audit`'s options: those that take a value, and flags
_VALUED = frozenset({"--format", "-o", "--output", "--fail-on", "--baseline", "--platform", "--config", "--select",
                     "--ignore", "--repo"})
_FLAGS = frozenset({"--all", "--first-parent", "--exit-zero", "-q", "--quiet", "--no-progress",
                    "--no-feature-folders"})


def audit_reading(args: list[str]) -> tuple[str, str, bool] | None:
    """(repository, range, first parent only) an audit with these arguments reads, or None when unsure."""
    values: dict[str, str] = {}
    flags: set[str] = set()
    ranges: list[str] = []
    rest = iter(args)
    for arg in rest:
        name, equals, value = arg.partition("=")
        if arg.startswith("-") and name in _VALUED:
            values[name] = value if equals else next(rest, "")
        elif arg in _FLAGS:
            flags.add(arg)
        elif arg.startswith("-"):
            return None  # --help, `--`, an option this does not know
        else:
            ranges.append(arg)
    whole = "--all" in flags
    if len(ranges) > 1 or whole == bool(ranges):
        return None
    return values.get("--repo", "."), ranges[0] if ranges else "HEAD", "--first-parent" in flags


def run() -> None:
    # as in `cli.run`, and before the imports too: they allocate many objects and free none of them
    gc.disable()
    if sys.argv[1:2] == ["audit"]:
        reading = audit_reading(sys.argv[2:])
        if reading is not None:
            try:  # a head start only: whatever goes wrong here is met, and reported, by the audit itself
                from .history import start_reading

                start_reading(*reading)
            except Exception:  # noqa: BLE001
                pass
    from .cli import run as run_cli

    run_cli()
