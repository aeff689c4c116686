"""Read files from git: a revision, the index (staged) or the work tree; one `cat-file --batch` for all blobs."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from typing import Iterable, Sequence


from ..errors import InputError  # noqa: F401 - re-exported: the loaders raise it


@dataclass(frozen=True, slots=True)
class GitEntry:
    path: str
    blob: str | None  # None: an unmerged index entry, read from the work tree
    link: bool = False  # a symbolic link (mode 120000): the blob holds the target path, never followed


class _Started:
    """A git command running ahead of need, its output drained by a thread (a full pipe would stop git)."""

    def __init__(self, command: list[str]):
        import threading

        self.proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        self.output: tuple[bytes, bytes] = (b"", b"")
        self.thread = threading.Thread(target=self._drain, daemon=True)
        self.thread.start()

    def _drain(self) -> None:
        self.output = self.proc.communicate()

    def result(self) -> subprocess.CompletedProcess:
        try:
            self.thread.join()
        except BaseException:  # interrupted while waiting: git must not outlive the run
            self.proc.kill()
            raise
        return subprocess.CompletedProcess(self.proc.args, self.proc.returncode, *self.output)


# Commands started ahead of need (`start`), by (repo, args): the first `git` call asking for one takes its output.
_STARTED: dict[tuple[str, tuple[str, ...]], _Started] = {}


def start(repo: str, *args: str) -> None:
    """Start `git -C repo args` now, so that git works while Python goes on (importing, reading the
    configuration); a later `git(repo, *args)` takes its output. Nothing is raised here: the later call
    runs the command again and reports what went wrong."""
    key = (repo, args)
    if key not in _STARTED:
        try:
            _STARTED[key] = _Started(["git", "-C", repo, *args])
        except OSError:
            pass


def stop_started() -> None:
    """End the started commands nothing asked for (a run that failed before it needed them)."""
    while _STARTED:
        started = _STARTED.popitem()[1]
        started.proc.kill()
        started.thread.join()


def git(repo: str, *args: str, input: bytes | None = None, check: bool = True) -> bytes:
    started = _STARTED.pop((repo, args), None) if input is None else None
    if started is not None:
        done = started.result()
    else:
        try:
            done = subprocess.run(["git", "-C", repo, *args], input=input, capture_output=True, check=False)
        except FileNotFoundError:
            raise InputError("git is not installed or not on PATH") from None
    if check and done.returncode != 0:
        message = done.stderr.decode(errors="replace").strip().splitlines()
        raise InputError(f"git {' '.join(args[:3])} failed: {message[-1] if message else 'exit ' + str(done.returncode)}")
    return done.stdout


def toplevel_and_commits(path: str, *refs: str) -> tuple[str, ...] | None:
    """(repository root, commit of each ref) with one process; None when anything is off (the callers then
    ask again one by one, for a precise error message)."""
    if any(r.startswith("-") for r in refs):
        return None
    done = subprocess.run(["git", "-C", path, "rev-parse", "--show-toplevel", *(f"{r}^{{commit}}" for r in refs)],
                          capture_output=True, check=False)
    lines = done.stdout.decode().split("\n")
    if done.returncode != 0 or len([l for l in lines if l]) != len(refs) + 1:
        return None
    return tuple(lines[: len(refs) + 1])


_ROOTS: dict[str, str] = {}  # folder -> its repository's top level (asked of git once a folder per process)


def repo_root(path: str) -> str:
    try:
        folder = os.path.abspath(path)
    except FileNotFoundError:  # the working folder was deleted under the shell
        raise InputError("the current folder no longer exists: cd to the project again") from None
    known = _ROOTS.get(folder)
    if known is not None:
        return known
    try:
        done = subprocess.run(["git", "-C", path, "rev-parse", "--show-toplevel"], capture_output=True, check=False)
    except FileNotFoundError:
        raise InputError("git is not installed or not on PATH") from None
    if done.returncode != 0:
        raise InputError(f"{folder} is not inside a git repository (use --base-dir/--head-dir for plain folders)")
    root = _ROOTS[folder] = done.stdout.decode().strip()
    return root


def is_shallow(repo: str) -> bool:
    return git(repo, "rev-parse", "--is-shallow-repository", check=False).strip() == b"true"


def shallow_boundary(repo: str) -> list[str]:
    """The commits a shallow clone is cut at (their parents are missing)."""
    path = git(repo, "rev-parse", "--git-path", "shallow").decode().strip()
    full = path if os.path.isabs(path) else os.path.join(repo, path)
    try:
        with open(full, encoding="ascii") as handle:
            return [line.strip() for line in handle if line.strip()]
    except OSError:
        return []


def resolve_many(repo: str, *refs: str) -> list[str]:
    """Resolve several revisions with one process; on failure, name the first bad one."""
    if any(r.startswith("-") for r in refs):
        return [resolve(repo, r) for r in refs]
    done = subprocess.run(["git", "-C", repo, "rev-parse", *(f"{r}^{{commit}}" for r in refs)],
                          capture_output=True, check=False)
    lines = done.stdout.decode().split()
    if done.returncode == 0 and len(lines) == len(refs):
        return lines
    return [resolve(repo, r) for r in refs]


def resolve(repo: str, ref: str) -> str:
    done = subprocess.run(["git", "-C", repo, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"],
                          capture_output=True, check=False)
    if ".." in ref:
        raise InputError(f"{ref!r} is not one revision: --base and --head take a branch, tag or commit each "
                         "(for a range of commits, use `compatlint audit A..B`)")
    if done.returncode != 0 or ref.startswith("-"):
        hint = "fetch it (git fetch origin main; in GitHub Actions: actions/checkout with fetch-depth: 0)"
        if is_shallow(repo):
            hint = "this is a shallow clone: " + hint
        raise InputError(f"unknown git revision {ref!r}: {hint}")
    return done.stdout.decode().strip()


def merge_base(repo: str, base: str, head: str, labels: tuple[str, str] | None = None) -> str:
    done = subprocess.run(["git", "-C", repo, "merge-base", base, head], capture_output=True, check=False)
    if done.returncode != 0:
        hint = "this is a shallow clone: fetch more history (actions/checkout with fetch-depth: 0, or " \
               "git fetch --unshallow)" if is_shallow(repo) else "the two revisions share no history"
        a, b = labels or (base, head)
        raise InputError(f"no merge base between {a} and {b}: {hint}")
    return done.stdout.decode().strip()


def _parse_ls(output: bytes, with_stage: bool, links: bool = False) -> list[GitEntry]:
    entries = []
    unmerged = set()
    for record in output.split(b"\0"):
        if not record:
            continue
        meta, _, path = record.partition(b"\t")
        fields = meta.split()
        if with_stage:  # ls-files -s: mode blob stage
            mode, blob, stage = fields[0], fields[1], fields[2]
            if stage != b"0":
                # An unresolved merge conflict: what will be committed is the work-tree file.
                name = path.decode("utf-8", "surrogateescape")
                if name not in unmerged:
                    unmerged.add(name)
                    entries.append(GitEntry(name, None))
                continue
        else:  # ls-tree: mode type blob
            mode, kind, blob = fields
            if kind != b"blob":
                continue
        if mode == b"120000":
            if links:  # listed so the caller can say that it is not followed
                entries.append(GitEntry(path.decode("utf-8", "surrogateescape"), blob.decode(), link=True))
            continue  # symlinks: never follow
        entries.append(GitEntry(path.decode("utf-8", "surrogateescape"), blob.decode()))
    return entries


# Whole-tree listings (symbolic links included) of commits named by their full id, so never stale: a check
# lists its two commits for the schema files, then again for the transfer files and the migrations folder;
# those later listings are cut from the whole one instead of running `git ls-tree` over the tree again.
_WHOLE_TREES: dict[tuple[str, str], list[GitEntry]] = {}
_HEX = frozenset("0123456789abcdef")


def _remember(repo: str, rev: str, prefixes: Sequence[str], links: bool, entries: list[GitEntry]) -> None:
    if not prefixes and links and len(rev) in (40, 64) and _HEX.issuperset(rev):
        if len(_WHOLE_TREES) >= 4:  # a check needs two; bounded for long-lived callers
            del _WHOLE_TREES[next(iter(_WHOLE_TREES))]
        _WHOLE_TREES[(repo, rev)] = list(entries)  # the caller may change its own list


def _recalled(repo: str, rev: str, prefixes: Sequence[str], links: bool) -> list[GitEntry] | None:
    """What `ls-tree -r --full-tree rev -- prefixes` lists, from a remembered whole tree (git matches each
    prefix as whole leading path components: the path itself or a path under it)."""
    entries = _WHOLE_TREES.get((repo, rev))
    if entries is None:
        return None
    if not links:
        entries = [e for e in entries if not e.link]
    if not prefixes:
        return list(entries)
    folders = tuple(p.rstrip("/") + "/" for p in prefixes)
    exact = {p.rstrip("/") for p in prefixes}
    return [e for e in entries if e.path.startswith(folders) or e.path in exact]


def list_revision(repo: str, rev: str, prefixes: Sequence[str], links: bool = False) -> list[GitEntry]:
    entries = _recalled(repo, rev, prefixes, links)
    if entries is None:
        entries = _parse_ls(git(repo, "ls-tree", "-r", "-z", "--full-tree", rev, "--", *prefixes), with_stage=False,
                            links=links)
        _remember(repo, rev, prefixes, links, entries)
    return entries


def list_two_revisions(repo: str, first: str, second: str, prefixes: Sequence[str],
                       links: bool = False) -> tuple[list, list]:
    """Both listings with two `ls-tree` processes running at the same time."""
    procs = [subprocess.Popen(["git", "-C", repo, "ls-tree", "-r", "-z", "--full-tree", rev, "--", *prefixes],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) for rev in (first, second)]
    outputs = [proc.communicate() for proc in procs]
    for proc, (_, err), rev in zip(procs, outputs, (first, second)):
        if proc.returncode != 0:
            message = err.decode(errors="replace").strip().splitlines()
            raise InputError(f"git ls-tree {rev} failed: {message[-1] if message else proc.returncode}")
    listed = (_parse_ls(outputs[0][0], with_stage=False, links=links),
              _parse_ls(outputs[1][0], with_stage=False, links=links))
    for rev, entries in zip((first, second), listed):
        _remember(repo, rev, prefixes, links, entries)
    return listed


def list_index(repo: str, prefixes: Sequence[str], links: bool = False) -> list[GitEntry]:
    return _parse_ls(git(repo, "ls-files", "-s", "-z", "--", *prefixes), with_stage=True, links=links)


def read_blobs(repo: str, blobs: Iterable[str]) -> dict[str, bytes]:
    """All blobs through one `git cat-file --batch` process."""
    wanted = [b for b in dict.fromkeys(blobs) if b is not None]
    if not wanted:
        return {}
    out = git(repo, "cat-file", "--batch", input=("\n".join(wanted) + "\n").encode())
    result: dict[str, bytes] = {}
    pos = 0
    for blob in wanted:
        end = out.index(b"\n", pos)
        header = out[pos:end].split()
        pos = end + 1
        if len(header) < 3 or header[1] == b"missing":
            raise InputError(f"git object {blob} is missing (shallow or partial clone?)")
        size = int(header[2])
        result[blob] = out[pos:pos + size]
        pos += size + 1
    return result


class StreamedBlobs:
    """`read_blobs` for a caller that needs the blobs one after another (a history walk): one `cat-file --batch`
    reads them in the order given, each taken from its output when first asked for, so git reads ahead while
    the caller works on the ones before. Missing blobs raise as in `read_blobs`, when asked for."""

    def __init__(self, repo: str, blobs: Iterable[str]):
        import threading

        wanted = [b for b in dict.fromkeys(blobs) if b is not None]
        self._wanted = iter(wanted)
        self._read: dict[str, bytes] = {}
        self._buffer, self._pos = bytearray(), 0  # git's output read so far, and where its unread part starts
        ids = "".join(f"{blob}\n" for blob in wanted).encode()
        try:
            self._proc = subprocess.Popen(["git", "-C", repo, "cat-file", "--batch"], stdin=subprocess.PIPE,
                                          stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        except FileNotFoundError:
            raise InputError("git is not installed or not on PATH") from None
        # a thread writes the ids: git stops reading them while its output waits to be read
        self._feeder = threading.Thread(target=self._feed, args=(ids,), daemon=True)
        self._feeder.start()

    def _feed(self, ids: bytes) -> None:
        try:
            self._proc.stdin.write(ids)
            self._proc.stdin.close()
        except OSError:  # git ended early: its output says why
            pass

    def __getitem__(self, blob: str) -> bytes:
        while blob not in self._read:
            self._next()
        return self._read[blob]

    def _more(self) -> None:
        """Read what git has written so far (large reads: few system calls); the unread rest moves to the front."""
        chunk = os.read(self._proc.stdout.fileno(), 1 << 20)
        if not chunk:
            self.close()
            message = self._proc.stderr.read().decode(errors="replace").strip().splitlines()
            raise InputError(f"git cat-file --batch failed: {message[-1] if message else 'exit ' + str(self._proc.returncode)}")
        del self._buffer[:self._pos]  # in place: a blob of many reads is not copied once per read
        self._buffer += chunk
        self._pos = 0

    def _next(self) -> None:
        blob = next(self._wanted, None)
        if blob is None:
            raise KeyError("blob not asked for")
        while (end := self._buffer.find(b"\n", self._pos)) < 0:
            self._more()
        header = self._buffer[self._pos:end].split()
        if len(header) < 3 or header[1] == b"missing":
            raise InputError(f"git object {blob} is missing (shallow or partial clone?)")
        size = int(header[2])
        start = end + 1 - self._pos  # from the unread part's start, which `_more` moves
        while len(self._buffer) - self._pos < start + size + 1:
            self._more()
        start += self._pos
        with memoryview(self._buffer) as view:
            self._read[blob] = bytes(view[start:start + size])
        self._pos = start + size + 1

    def close(self) -> None:
        """Stop git if it has more to give (the caller stopped early), and wait for it."""
        if self._proc.poll() is None:
            self._proc.kill()
        self._feeder.join()
        self._proc.wait()
        self._proc.stdout.close()


def blob_id(repo: str, spec: str) -> str | None:
    """The blob id of `REV:path` or `:path` (index), or None when absent."""
    done = subprocess.run(["git", "-C", repo, "rev-parse", "--verify", "--quiet", spec], capture_output=True, check=False)
    return done.stdout.decode().strip() if done.returncode == 0 else None


def changed_paths(repo: str, base: str, head: str | None) -> list[str]:
    """Paths that differ between base and head (None: the index)."""
    args = ["diff", "--name-only", "-z", "--no-renames"]
    args += ["--cached", base] if head is None else [base, head]
    return [p.decode("utf-8", "surrogateescape") for p in git(repo, *args).split(b"\0") if p]
