"""The transfer channel of a comparison: load and merge both sides, find where transfers are stored, diff;
the events, suppression directives and unusable files form one `engine.Batch`, which the pipeline runs
through the rules with the schema change's (`pipeline.Channel`), before the policy is applied once."""

from __future__ import annotations

import gc
from dataclasses import replace
from typing import Sequence

from ..changes import SchemaProblem
from ..engine import Batch
from ..model import Schema
from .diff import diff_transfers
from .events import TransferConflict
from .merge import TransferFile, load_transfers
from .patterns import patterns_of
from .stored import stored_transfers


def no_transfer_file_hint(config) -> str:
    """What to add to "no schema file matches the patterns": which transfer patterns found nothing either."""
    patterns = patterns_of(config)
    if patterns.empty:
        return "and no transfer patterns are set ([transfers] core and project are empty)"
    empty = "; [transfers] project is empty" if not patterns.project else \
        "; [transfers] core is empty" if not patterns.core else ""
    return f"nor any transfer file the [transfers] patterns (e.g. {(patterns.project or patterns.core)[0]}{empty})"


def _stored_config(config) -> tuple[str, ...]:
    return tuple(getattr(config, "transfers_stored", ()) or ())


def _problem_key(problem) -> tuple:
    return (problem.kind, problem.table, problem.column, problem.origin.path, problem.message)


def _blame_change(problem, changed: set[str], core: set[str]):
    """Point a conflict at the definition the change brings: the one in a file added or edited by the
    change, else a project file rather than a vendor one (Spryker merges project files first, so the
    merge meets the conflict at whichever definition comes second, often an untouched vendor file)."""
    other = problem.other
    if other is None:
        return problem

    def rank(origin) -> tuple[bool, bool]:
        return origin.path in changed, origin.path not in core

    return replace(problem, origin=other, other=problem.origin) if rank(other) > rank(problem.origin) else problem


def transfer_batch(base_files: Sequence[TransferFile], head_files: Sequence[TransferFile], base_schema: Schema,
                   head_schema: Schema, stored_config: Sequence[str] = ()) -> Batch:
    """The transfer change between two sides as events, with both sides' suppression comments and the head's
    unusable files; `base_schema`/`head_schema` tell where transfers are stored."""
    enabled = gc.isenabled()
    gc.disable()  # millions of small acyclic objects: see `merge.load_transfers`
    try:
        return _batch(base_files, head_files, base_schema, head_schema, stored_config)
    finally:
        if enabled:
            gc.enable()


def _batch(base_files, head_files, base_schema, head_schema, stored_config) -> Batch:
    base, head = load_transfers(list(base_files)), load_transfers(list(head_files))
    stored = stored_transfers(base, (base_schema, head_schema), stored_config)
    events = diff_transfers(base, head, stored)
    # Broken head files always; merge conflicts only where the change introduced them.
    old = {_problem_key(p) for p in base.problems}
    before = {f.path: f.data for f in base_files}
    changed = {f.path for f in head_files if before.get(f.path) != f.data}
    core = {f.path for f in head_files if f.core}
    problems = [_blame_change(p, changed, core) for p in head.problems
                if p.kind == "invalid-file" or _problem_key(p) not in old]
    problem_events = [SchemaProblem(p) if p.kind == "invalid-file" else TransferConflict(p) for p in problems]
    return Batch(problem_events + events, base_schema, head_schema, base_directives=tuple(base.directives),
                 head_directives=tuple(head.directives),
                 invalid_files=tuple(p for p in head.problems if p.kind == "invalid-file"))


def transfer_channel(base_files: Sequence[TransferFile], head_files: Sequence[TransferFile], config=None):
    """The transfer comparison as a `pipeline.Channel` (called with both loaded schemas), or None when
    neither side has a transfer file."""
    if not base_files and not head_files:
        return None
    stored = _stored_config(config)
    return lambda base_schema, head_schema: transfer_batch(base_files, head_files, base_schema, head_schema, stored)


def directory_files(base_dir: str, head_dir: str, config=None) -> tuple[list[TransferFile], list[TransferFile]]:
    from .sources import read_directory

    patterns = patterns_of(config)
    return read_directory(base_dir, patterns), read_directory(head_dir, patterns)


def git_files(root: str, base_commit: str | None, head_commit: str | None, config=None, prefix: str = ""):
    from .sources import read_git_pair

    return read_git_pair(root, base_commit, head_commit, patterns_of(config).under(prefix), prefix)


def without_transfers(result):
    """The result with its transfer findings and events left out (for `rehearse` and `plan`)."""
    from .events import TRANSFER_EVENTS

    def transfer_side(item) -> bool:
        return isinstance(item, TRANSFER_EVENTS) or (isinstance(item, SchemaProblem)
                                                     and item.problem.origin.path.endswith(".transfer.xml"))

    result.findings = [f for f in result.findings if not transfer_side(f.event)]
    result.events = [e for e in result.events if not transfer_side(e)]
    return result
