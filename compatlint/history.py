"""Walk a range of commits and compare each with its first parent, reading git incrementally.

One `git log --raw` gives the changed schema blobs of every commit, one `git cat-file --batch`
reads them all; each blob is parsed once for the whole walk (the parse cache in `loading`), each commit's
schema is derived from its first parent's where the changed files allow (`incremental`: only their
merge groups are loaded again, other tables keep their objects and the diff skips them), and each
commit's schema is kept while a later commit of the range still needs it as a parent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from .loaders import git
from .loaders.git import InputError
from .loaders.patterns import SchemaPatterns

if TYPE_CHECKING:
    from .incremental import Loaded
    from .result import LintResult


class Commit:
    """One commit of the range (a plain class: a dataclass is generated code, compiled at import). Read-only."""

    __slots__ = ("sha", "parents", "author", "date", "subject")

    def __init__(self, sha: str, parents: tuple[str, ...], author: str, date: str, subject: str):
        self.sha = sha
        self.parents = parents
        self.author = author
        self.date = date
        self.subject = subject

    def _fields(self) -> tuple:
        return (self.sha, self.parents, self.author, self.date, self.subject)

    def __eq__(self, other) -> bool:  # by value, as a frozen dataclass
        return self._fields() == other._fields() if other.__class__ is self.__class__ else NotImplemented

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        return f"Commit(sha={self.sha!r}, parents={self.parents!r}, author={self.author!r}, date={self.date!r}, " \
               f"subject={self.subject!r})"


_FORMAT = "%x1e%H%x1f%P%x1f%an%x1f%aI%x1f%s"


def log(repo: str, rev_range: str, prefixes: list[str], first_parent: bool = False
        ) -> list[tuple[Commit, list[tuple[str, str, str]]]]:
    """Commits oldest first (parents before children), each with its raw changes
    (status, path, new blob) against its first parent."""
    out = git.git(repo, *_log_args(rev_range, prefixes, first_parent))
    commits = []
    for chunk in out.decode("utf-8", "surrogateescape").split("\x1e")[1:]:
        header, _, raw = chunk.partition("\n")
        sha, parents, author, date, subject = header.rstrip("\0").split("\x1f")
        raw = raw.strip("\n\0")
        fields = raw.split("\0") if raw else []
        changes = []
        for meta, path in zip(fields[0::2], fields[1::2]):
            parts = meta.lstrip(":").split()
            if len(parts) >= 5:
                changes.append((parts[4][0], path, parts[3]))
        commits.append((Commit(sha, tuple(parents.split()), author, date, subject), changes))
    return commits


def _log_args(rev_range: str, prefixes: list[str], first_parent: bool) -> list[str]:
    args = ["log", "--reverse", "--topo-order", "--diff-merges=first-parent", "--raw", "-z", "--no-renames",
            "--no-abbrev", f"--format={_FORMAT}"]
    if first_parent:
        args.append("--first-parent")
    return [*args, "--end-of-options", rev_range, "--", *prefixes]


def start_reading(repo: str, rev_range: str, first_parent: bool = False) -> None:
    """Start the git commands `read_range` runs, so that git reads the history while the pipeline is imported
    and the configuration read (this module imports it only when it walks). Errors wait for `read_range`."""
    try:
        root = git.repo_root(repo)
    except (InputError, OSError):  # (no git, or no working folder: the audit says so itself)
        return
    git.start(root, "rev-parse", "--is-shallow-repository")
    git.start(root, *_log_args(rev_range, [], first_parent))


def read_range(repo: str, rev_range: str, first_parent: bool = False
               ) -> list[tuple[Commit, list[tuple[str, str, str]]]]:
    """The range's commits with their raw changes (`log`), or an InputError that says why git cannot give them
    (a shallow clone cut inside the range, an unknown revision)."""
    root = git.repo_root(repo)
    shallow = git.is_shallow(root)
    # `git log -- <paths>` simplifies history; ask for every commit and filter changes ourselves.
    try:
        commits = log(root, rev_range, [], first_parent)
    except InputError as error:
        if shallow:
            raise InputError(f"cannot audit {rev_range}: this is a shallow clone and the range reaches past its "
                             "history; fetch it (actions/checkout with fetch-depth: 0, or git fetch --unshallow)") from None
        raise InputError(f"cannot audit {rev_range}: {error}") from None
    if shallow:
        boundary = set(git.shallow_boundary(root))
        cut = [c.sha for c, _ in commits if c.sha in boundary]
        if cut:
            raise InputError(f"cannot audit {rev_range}: this is a shallow clone, cut at {cut[0][:12]}, so that commit "
                             "cannot be compared with its parent; fetch the history (actions/checkout with "
                             "fetch-depth: 0, or git fetch --unshallow)")
    return commits


def walk(repo: str, rev_range: str, patterns: SchemaPatterns | None = None, platform: str = "mysql",
         rules=None, config=None, first_parent: bool = False, progress=None, baseline: set[str] | None = None,
         commits: list[tuple[Commit, list[tuple[str, str, str]]]] | None = None
         ) -> Iterator[tuple[Commit, LintResult]]:
    """Yield (commit, result against its first parent) for every commit of the range that changes a
    schema file. Merge commits are compared with their first parent, like `git diff M^1 M`.
    `commits`: the range as `read_range` gives it, when the caller has read it already."""
    patterns = patterns or SchemaPatterns()
    root = git.repo_root(repo)
    prefixes = patterns.prefixes()
    if commits is None:
        commits = read_range(root, rev_range, first_parent)
    if progress:
        progress(0, len(commits))
    if not commits:
        return
    known = {c.sha for c, _ in commits}
    states: dict[str, dict[str, str]] = {}

    def state_of(sha: str) -> dict[str, str]:
        if sha not in states:  # a parent outside the range (the range's base)
            states[sha] = {e.path: e.blob for e in git.list_revision(root, sha, prefixes)
                           if patterns.classify(e.path) is not None}
        return states[sha]

    wanted: list[str] = []  # in the order the walk first needs them: git reads ahead while the walk works
    for commit, changes in commits:
        for parent in commit.parents:
            if parent not in known:
                wanted += state_of(parent).values()
        wanted += [b for s, p, b in changes if s != "D" and patterns.classify(p) is not None]
    blobs = git.StreamedBlobs(root, wanted)
    from .change_log import change_key  # imported while git starts reading
    from .incremental import HistoryLoader
    from .loading import load_schema
    from .pipeline import compare_schemas

    loader = HistoryLoader(platform, patterns, blobs)
    # rules=None: each commit's events bring the rules that handle them (`registry.rules_for`, cached)
    schemas: dict[str, Loaded] = {}
    remaining_children: dict[str, int] = {}
    for commit, _ in commits:
        for parent in commit.parents:
            remaining_children[parent] = remaining_children.get(parent, 0) + 1
    empty = load_schema([], platform)

    def schema_of(sha: str | None) -> tuple:
        if sha is None:
            return empty
        if sha not in schemas:
            schemas[sha] = loader.load(state_of(sha))
        return schemas[sha].schema, schemas[sha].problems

    try:
        for number, (commit, changes) in enumerate(commits, 1):
            parent = commit.parents[0] if commit.parents else None
            state, relevant = state_after(state_of(parent) if parent else {}, changes, patterns.classify)
            states[commit.sha] = state
            if relevant:
                base_schema, base_problems = schema_of(parent)
                if parent in schemas:  # only the merge groups of the changed files are loaded again
                    schemas[commit.sha] = loader.derive(schemas[parent], state, [p for _, p, _ in relevant])
                head_schema, head_problems = schema_of(commit.sha)
                head = schemas.get(commit.sha)
                if head is not None and head is schemas.get(parent):
                    maybe_changed = frozenset()  # only files that are not read changed
                elif head is not None and parent in schemas and head.derived_from == id(schemas[parent]):
                    maybe_changed = head.maybe_changed  # the diff looks at these tables only
                else:
                    maybe_changed = None
                result = compare_schemas(base_schema, base_problems, head_schema, head_problems, rules, config=config,
                                         baseline=baseline, policy=True, maybe_changed=maybe_changed)
                if len(commit.parents) > 1 and not first_parent:
                    # A merge introduces only what differs from every parent (like git's combined diff): the
                    # other branch's own changes were reported on that branch, or lie outside the range.
                    for other in commit.parents[1:]:
                        other_base, other_problems = schema_of(other)
                        against = compare_schemas(other_base, other_problems, head_schema, head_problems, rules,
                                                  config=config, baseline=baseline, policy=True)
                        kept = {(f.fingerprint, f.message) for f in against.findings}
                        result.findings = [f for f in result.findings if (f.fingerprint, f.message) in kept]
                        left = {(f.fingerprint, f.message) for f, _, _ in against.suppression.left_out}
                        result.suppression.left_out = [entry for entry in result.suppression.left_out
                                                       if (entry[0].fingerprint, entry[0].message) in left]
                        changed = {change_key(e) for e in against.events}
                        result.events = [e for e in result.events if change_key(e) in changed]
                result.base_label = parent[:12] if parent else "(root)"
                result.head_label = commit.sha[:12]
                yield commit, result
            elif parent and parent in schemas:
                schemas[commit.sha] = schemas[parent]  # nothing changed: same schema object
            # forget what no later commit needs
            for used in commit.parents:
                remaining_children[used] -= 1
                if remaining_children[used] == 0:
                    schemas.pop(used, None)
                    states.pop(used, None)
            if progress:
                progress(number, len(commits))
    finally:
        blobs.close()  # a walk stopped early leaves blobs unread


def state_after(before: dict[str, str], changes: list[tuple[str, str, str]], classify
                ) -> tuple[dict[str, str], list[tuple[str, str, str]]]:
    """A commit's files (path -> blob) from its parent's and its raw changes, keeping the paths `classify`
    knows; with those of its changes."""
    state = before.copy()  # clones the hash table; `dict(before)` re-inserts every entry once one was removed
    relevant = [(s, p, b) for s, p, b in changes if classify(p) is not None]
    for status, path, blob in relevant:
        if status == "D":
            state.pop(path, None)
        else:
            state[path] = blob
    return state, relevant


def default_range(repo: str) -> str:
    """`<merge base with the main branch>..HEAD`: the current branch's own commits."""
    root = git.repo_root(repo)
    for candidate in ("origin/HEAD", "origin/main", "origin/master", "main", "master"):
        if git.blob_id(root, f"{candidate}^{{commit}}"):
            head = git.resolve(root, "HEAD")
            main = git.resolve(root, candidate)
            if main == head:
                raise InputError(f"HEAD is {candidate} itself: give a range (e.g. v2024.06..HEAD) or --all")
            return f"{git.merge_base(root, main, head, labels=(candidate, 'HEAD'))}..HEAD"
    raise InputError("no main branch found (origin/HEAD, main or master): give a range or --all")
