"""Transfer changes along a range of commits, for `compatlint audit`: each commit that changes a transfer
file is compared with its first parent (a merge: only what differs from every parent), reading git as
`compatlint.history` does. The range's commits come from the caller (`history.read_range`, read once for
the schema walk too); a range that changes no transfer file costs nothing more."""

from __future__ import annotations

from typing import Iterator

from ..history import state_after
from ..loaders import git
from ..model import Schema
from .patterns import patterns_of


def walk_transfers(repo: str, commits: list, config, first_parent: bool = False,
                   baseline: set[str] | None = None) -> Iterator[tuple[object, list, list]]:
    """(commit, findings, left out) for every commit of the range whose transfer files change, with
    suppressions, configuration, severity and the baseline applied (`pipeline.run`). `commits`: the range
    as `history.read_range` gives it."""
    patterns = patterns_of(config)
    if patterns.empty or not any(patterns.classify(p) is not None for _, changes in commits for _, p, _ in changes):
        return
    from .check import transfer_batch  # only for a range that changes transfer files
    from .merge import TransferFile

    root = git.repo_root(repo)
    known = {c.sha for c, _ in commits}
    states: dict[str, dict[str, str]] = {}

    def state_of(sha: str) -> dict[str, str]:
        if sha not in states:
            states[sha] = {e.path: e.blob for e in git.list_revision(root, sha, patterns.prefixes())
                           if patterns.classify(e.path) is not None}
        return states[sha]

    wanted = {b for _, changes in commits for s, p, b in changes if s != "D" and patterns.classify(p) is not None}
    for commit, _ in commits:
        for parent in commit.parents:
            if parent not in known:
                wanted.update(state_of(parent).values())
    blobs = git.read_blobs(root, wanted)
    platform = config.platform if config is not None else "mysql"
    empty = Schema(platform=platform, tables={})
    # Which transfers synchronization tables store: told by the schema at the end of the range (one read).
    tip = _tip_schema(root, commits[-1][0].sha, config, platform) if commits else empty

    def files(state: dict[str, str]) -> list[TransferFile]:
        return [TransferFile(p, blobs[b], patterns.classify(p) == "core", b) for p, b in state.items()]

    def findings_between(base_state, head_state) -> list:
        from ..pipeline import run

        batch = transfer_batch(files(base_state), files(head_state), tip, tip,
                               stored_config=tuple(getattr(config, "transfers_stored", ()) or ()))
        result = run([batch], empty, empty, config=config, baseline=baseline)
        return result.findings, (result.suppression.left_out if result.suppression is not None else [])

    for commit, changes in commits:
        parent = commit.parents[0] if commit.parents else None
        state, relevant = state_after(state_of(parent) if parent else {}, changes, patterns.classify)
        states[commit.sha] = state
        if not relevant:
            continue
        found, left_out = findings_between(state_of(parent) if parent else {}, state)
        if found and len(commit.parents) > 1 and not first_parent:
            for other in commit.parents[1:]:
                kept = {(f.fingerprint, f.message) for f in findings_between(state_of(other), state)[0]}
                found = [f for f in found if (f.fingerprint, f.message) in kept]
        if found or left_out:
            yield commit, found, left_out


def _tip_schema(root: str, sha: str, config, platform: str) -> Schema:
    from ..loading import load_schema
    from ..loaders.patterns import SchemaPatterns
    from ..loaders.sources import read_git

    patterns = config.patterns() if config is not None else SchemaPatterns()
    return load_schema(read_git(root, sha, patterns).files, platform)[0]
