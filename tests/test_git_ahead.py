"""git started ahead of need: a started command's output is what running it then gives, a wrong guess is
never used, blobs streamed in the walk's order are the blobs `read_blobs` reads, and the console script's
glance at an audit's command line names the range the audit reads, or nothing when unsure."""

import pytest

from compatlint.console import audit_reading
from compatlint.history import read_range, start_reading
from compatlint.loaders import git


@pytest.fixture
def history(make_repo):
    repo = make_repo()
    blobs = []
    for number in range(3):
        repo.write("src/a.xml", f"version {number}")
        repo.write(f"src/b{number}.xml", "x" * (70_000 * number))  # more than a pipe holds
        repo.commit(f"commit {number}")
    for line in git.git(str(repo), "ls-tree", "-r", "HEAD").decode().splitlines():
        blobs.append(line.split()[2])
    return repo, blobs


def test_a_started_command_gives_what_running_it_gives(history, monkeypatch):
    repo, _ = history
    monkeypatch.setattr(git, "_STARTED", {})
    expected = git.git(str(repo), "log", "--raw", "-z", "HEAD")
    git.start(str(repo), "log", "--raw", "-z", "HEAD")
    assert list(git._STARTED) == [(str(repo), ("log", "--raw", "-z", "HEAD"))]
    assert git.git(str(repo), "log", "--raw", "-z", "HEAD") == expected
    assert git._STARTED == {}  # taken once


def test_a_started_command_that_fails_fails_as_it_would_have(history, monkeypatch):
    repo, _ = history
    monkeypatch.setattr(git, "_STARTED", {})
    git.start(str(repo), "log", "no-such-revision")
    with pytest.raises(git.InputError, match="git log no-such-revision failed"):
        git.git(str(repo), "log", "no-such-revision")


def test_read_range_takes_what_start_reading_started_and_unused_commands_are_stopped(history, monkeypatch):
    repo, _ = history
    monkeypatch.setattr(git, "_STARTED", {})
    expected = read_range(str(repo), "HEAD")
    start_reading(str(repo), "HEAD")
    start_reading(str(repo), "HEAD~1")  # a guess nobody asks for
    assert len(git._STARTED) == 3  # the shallow check and two logs
    assert read_range(str(repo), "HEAD") == expected
    assert [args[0] for _, args in git._STARTED] == ["log"]
    git.stop_started()
    assert git._STARTED == {}


def test_start_reading_outside_a_repository_starts_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(git, "_STARTED", {})
    start_reading(str(tmp_path), "HEAD")
    assert git._STARTED == {}


def test_streamed_blobs_are_the_blobs_read_at_once_in_any_order(history):
    repo, blobs = history
    expected = git.read_blobs(str(repo), blobs)
    streamed = git.StreamedBlobs(str(repo), blobs)
    try:
        for blob in reversed(blobs):  # asked for out of order: the ones before are kept meanwhile
            assert streamed[blob] == expected[blob]
        for blob in blobs:
            assert streamed[blob] == expected[blob]
        with pytest.raises(KeyError):
            streamed["0" * 40]
    finally:
        streamed.close()


def test_a_missing_blob_raises_when_asked_for(history):
    repo, blobs = history
    streamed = git.StreamedBlobs(str(repo), [blobs[0], "1" * 40, blobs[1]])
    try:
        assert streamed[blobs[0]]
        with pytest.raises(git.InputError, match="git object 1{40} is missing"):
            streamed[blobs[1]]
    finally:
        streamed.close()


def test_a_stream_stopped_early_ends_its_git_process(history):
    repo, blobs = history
    streamed = git.StreamedBlobs(str(repo), blobs)
    streamed[blobs[0]]
    streamed.close()
    assert streamed._proc.returncode is not None


@pytest.mark.parametrize("args, expected", [
    (["--all", "--format", "json", "-o", "out.json"], (".", "HEAD", False)),
    (["--all", "--first-parent", "--repo", "sub", "-q"], ("sub", "HEAD", True)),
    (["--repo=sub", "v1..HEAD", "--format=html"], ("sub", "v1..HEAD", False)),
    (["main..feature"], (".", "main..feature", False)),
    ([], None),  # the default range: worked out later, from the main branch
    (["--all", "v1..HEAD"], None),  # refused later
    (["a..b", "c..d"], None),
    (["--all", "--help"], None),
    (["--all", "--unknown-option"], None),
    (["--all", "--", "x"], None),
])
def test_the_console_script_glances_at_an_audit_command_line(args, expected):
    assert audit_reading(args) == expected


def test_blobs_of_many_pipe_reads_arrive_whole(make_repo):
    repo = make_repo()
    big = "".join(f"<column name=\"c{i}\"/>\n" for i in range(200_000))  # several MB: many reads of the pipe
    repo.write("src/big.xml", big)
    repo.write("src/small.xml", "small")
    repo.commit("big")
    ids = {line.split()[3]: line.split()[2] for line in git.git(str(repo), "ls-tree", "-r", "HEAD").decode().splitlines()}
    streamed = git.StreamedBlobs(str(repo), [ids["src/big.xml"], ids["src/small.xml"]])
    try:
        assert streamed[ids["src/big.xml"]] == big.encode()
        assert streamed[ids["src/small.xml"]] == b"small"
        assert type(streamed[ids["src/big.xml"]]) is bytes
    finally:
        streamed.close()


def test_a_started_command_interrupted_while_waited_for_is_ended(history, monkeypatch):
    repo, _ = history
    monkeypatch.setattr(git, "_STARTED", {})
    git.start(str(repo), "log", "--raw", "-z", "HEAD")
    started = git._STARTED[(str(repo), ("log", "--raw", "-z", "HEAD"))]

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    killed = []
    real_kill = started.proc.kill
    monkeypatch.setattr(started.thread, "join", interrupted)
    monkeypatch.setattr(started.proc, "kill", lambda: (killed.append(True), real_kill()))
    with pytest.raises(KeyboardInterrupt):
        git.git(str(repo), "log", "--raw", "-z", "HEAD")
    assert killed == [True]  # git does not outlive the interrupted run
    started.proc.wait(timeout=10)


def test_no_git_on_path_is_an_input_error_from_the_console_script(tmp_path):
    import os
    import subprocess

    from cli_runner import console_script

    done = subprocess.run([console_script(), "audit", "--all"], cwd=tmp_path, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PATH": str(tmp_path / "no-such-folder")})
    assert done.returncode == 2, done
    assert "Traceback" not in done.stderr
    assert "git is not installed or not on PATH" in done.stderr


def test_a_deleted_working_folder_is_an_input_error(tmp_path):
    import subprocess

    from cli_runner import console_script

    gone = tmp_path / "gone"
    gone.mkdir()
    # the shell's folder is removed while the shell stands in it
    done = subprocess.run(["sh", "-c", f'cd "{gone}" && rmdir "{gone}" && exec "{console_script()}" audit --all'],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2, done
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    assert "the current folder no longer exists" in done.stderr
