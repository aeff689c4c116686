"""The console script ends without tearing the interpreter down (`cli._leave`): its whole output still
arrives, through a pipe larger than the pipe's buffer too, and its exit code is the command's."""

import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

from cli_runner import cli, run_process  # noqa: E402


def test_a_large_report_arrives_whole_with_its_exit_code(tmp_path):
    base, head = tmp_path / "base", tmp_path / "head"
    columns = "".join(f'<column name="c{i}" type="VARCHAR" size="{40 + i}"/>' for i in range(400))
    for folder, text in ((base, columns), (head, "")):
        folder.mkdir()
        (folder / "shop.schema.xml").write_text(
            f'<database name="zed"><table name="spy_shop"><column name="id" type="INTEGER" primaryKey="true"/>'
            f'{text}</table></database>')
    args = ("check", "--base-dir", str(base), "--head-dir", str(head), "--format", "json")
    in_process = cli(tmp_path, *args)
    done = run_process(tmp_path, *args)
    assert done.exit_code == in_process.exit_code == 1
    assert len(done.stdout) > 65536  # more than a pipe holds at once
    assert done.stdout == in_process.stdout


def test_a_clean_run_exits_zero_and_usage_errors_two(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "shop.schema.xml").write_text('<database name="zed"><table name="spy_shop">'
                                                    '<column name="id" type="INTEGER" primaryKey="true"/></table></database>')
    same = run_process(tmp_path, "check", "--base-dir", str(tmp_path / "a"), "--head-dir", str(tmp_path / "a"))
    assert same.exit_code == 0
    unknown = run_process(tmp_path, "check", "--no-such-option")
    assert unknown.exit_code == 2 and "No such option" in unknown.stderr


def test_exit_codes_hold_with_standard_streams_closed(tmp_path):
    """A process started with stdout or stderr closed (daemons, cron, some wrappers) keeps its exit code."""
    import subprocess

    from cli_runner import console_script

    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "shop.schema.xml").write_text('<database name="zed"><table name="spy_shop">'
                                                    '<column name="id" type="INTEGER" primaryKey="true"/></table></database>')
    exe = console_script()
    cases = {f"'{exe}' rules >&-": 0, f"'{exe}' explain no-such-rule 2>&-": 2,
             f"'{exe}' check --base-dir a --head-dir a -o out.json >&-": 0,
             f"'{exe}' check --base-dir a --head-dir missing 2>&-": 2}
    for command, code in cases.items():
        done = subprocess.run(["sh", "-c", command], cwd=tmp_path, capture_output=True, text=True, timeout=60)
        assert done.returncode == code, (command, done.returncode, done.stderr)
        assert "Traceback" not in done.stderr


_SHOP = "src/Pyz/Zed/Shop/Persistence/Propel/Schema/spy_shop.schema.xml"


def _shop_history(root) -> None:
    """A git repository whose last commit drops a column (an error finding: exit 1)."""
    import subprocess

    def git(*args):
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=root, check=True,
                       capture_output=True)

    git("init", "-q")
    for extra in ('<column name="note" type="VARCHAR" size="40"/>', ""):
        path = root / _SHOP
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text('<database name="zed"><table name="spy_shop"><column name="id" type="INTEGER" primaryKey="true"/>'
                        f'{extra}</table></database>')
        git("add", "-A")
        git("commit", "-q", "-m", "drop note" if not extra else "shop")


def test_audit_and_check_keep_their_exit_codes_with_standard_output_closed(tmp_path):
    """A text report with standard output closed (nothing to write to) is not an internal error."""
    import subprocess

    from cli_runner import console_script

    _shop_history(tmp_path)
    exe = console_script()
    for command in (f"'{exe}' audit --all >&-", f"'{exe}' check --base HEAD~1 --head HEAD >&-"):
        done = subprocess.run(["sh", "-c", command], cwd=tmp_path, capture_output=True, text=True, timeout=60)
        assert done.returncode == 1, (command, done.returncode, done.stderr)
        assert "internal error" not in done.stderr and "Traceback" not in done.stderr


_INTERRUPTED_RUN = """
import os, signal, sys, time
import compatlint.api
from compatlint.cli import run

def interrupted(*args, **kwargs):  # the comparison is under way when Ctrl-C arrives
    os.kill(os.getpid(), signal.SIGINT)
    time.sleep(30)

compatlint.api.lint_git = interrupted
sys.argv = ["compatlint", "check", "--base", "HEAD~1", "--head", "HEAD"]
run()
"""


def test_an_interrupted_command_exits_130_not_as_if_it_had_findings(tmp_path):
    import subprocess

    _shop_history(tmp_path)
    done = subprocess.run([sys.executable, "-c", _INTERRUPTED_RUN], cwd=tmp_path, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 130, done.stderr
    assert "compatlint: interrupted" in done.stderr and "Traceback" not in done.stderr


def _on_a_terminal(cwd, *args: str, env: dict) -> str:
    """Standard output of the console script run with a terminal (a pseudo-terminal) as its standard output."""
    import pty
    import subprocess

    from cli_runner import console_script

    leader, follower = pty.openpty()
    try:
        process = subprocess.Popen([console_script(), *args], cwd=cwd, stdout=follower, stderr=subprocess.DEVNULL,
                                   env=env)
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the terminal's other end closed
                break
            if not chunk:
                break
            chunks.append(chunk)
        process.wait(timeout=60)
    finally:
        os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")


def test_a_text_report_is_coloured_on_a_terminal_unless_no_color_is_set(tmp_path):
    _shop_history(tmp_path)
    plain = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    command = ("check", "--base", "HEAD~1", "--head", "HEAD")
    coloured = _on_a_terminal(tmp_path, *command, env=plain)
    without = _on_a_terminal(tmp_path, *command, env={**plain, "NO_COLOR": "1"})
    assert "CL102" in coloured and "CL102" in without, (coloured, without)
    assert "\033[" in coloured and "\033[" not in without
