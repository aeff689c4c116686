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
