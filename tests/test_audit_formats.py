"""`audit` in every format `check` has, each finding attributed to its commit; suppressed and baselined
findings in the HTML report's data; the progress bar under a real pseudo-terminal and never elsewhere;
the report's assets shipped by a real (non-editable) install.

The history is test_audit's: a column drop, a side branch merged with --no-ff, a schema file moved, one
deleted, so the merge commit must not be charged with the side branch's finding in any format.
"""

from __future__ import annotations

import json
import os
import pty
import re
import select
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest
from lxml import etree

from cli_runner import cli, console_script
from test_audit import ALICE, BOB, LOYALTY, REWARD, column, commit, history, loyalty, reward  # noqa: F401
from test_reporters import parse_command, sarif_validator, schema_errors  # noqa: F401


def pairs(payload: dict) -> list[tuple]:
    """(commit, code, table, column, path, line) of every finding of the JSON audit, in order."""
    return [(e["sha"], f["code"], f["table"], f["column"], f["path"], f["line"])
            for e in payload["commits"] for f in e["findings"]]


@pytest.fixture
def audited(history):
    payload = cli(history.path, "audit", "--format", "json").json()
    assert len(payload["commits"]) == 4 and pairs(payload)
    return history, payload


def run_format(repo, output_format: str, *args: str):
    run = cli(repo.path, "audit", "--format", output_format, *args)
    assert run.exit_code == 1, run
    return run


def test_sarif_validates_and_attributes_every_result_to_its_commit(audited, sarif_validator):
    repo, payload = audited
    repo.git("remote", "add", "origin", "https://git.example.invalid/shop.git")

    log = json.loads(run_format(repo, "sarif").stdout)

    assert schema_errors(sarif_validator, log) == []
    [sarif_run] = log["runs"]
    results = sarif_run["results"]
    commits = {e["sha"]: e for e in payload["commits"]}
    assert [(r["properties"]["commit"], r["ruleId"], r["properties"]["table"], r["properties"]["column"],
             urllib_unquote(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]),
             r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in results] == pairs(payload)
    for result in results:
        entry = commits[result["properties"]["commit"]]
        assert (result["properties"]["author"], result["properties"]["commitDate"], result["properties"]["subject"]) == \
            (entry["author"], entry["date"], entry["subject"])
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", result["provenance"]["firstDetectionTimeUtc"])
    head = repo.rev("HEAD")
    assert sarif_run["versionControlProvenance"] == [{"repositoryUri": "https://git.example.invalid/shop.git",
                                                      "revisionId": head}]
    assert sarif_run["properties"]["range"] == payload["range"]


def test_sarif_without_a_remote_has_no_provenance_and_still_validates(audited, sarif_validator):
    repo, _ = audited
    log = json.loads(run_format(repo, "sarif").stdout)
    assert schema_errors(sarif_validator, log) == []
    assert "versionControlProvenance" not in log["runs"][0]


def test_github_annotations_name_the_commit(audited):
    repo, payload = audited
    lines = run_format(repo, "github").stdout.splitlines()

    commands = [parse_command(line) for line in lines if line.startswith("::")]
    assert len(commands) == len(pairs(payload))
    for (level, props, message), (sha, code, _, _, path, line) in zip(commands, pairs(payload)):
        entry = next(e for e in payload["commits"] if e["sha"] == sha)
        assert props["file"] == path and props["line"] == str(line)
        assert props["title"].startswith(code) and props["title"].endswith(f"({sha[:10]})")
        assert f"introduced in {sha[:10]} by {entry['author']} on {entry['date'][:10]}: {entry['subject']}" in message
    assert lines[-1].startswith(f"compatlint audit {payload['range']}: {len(commands)} findings")


def test_gitlab_issues_name_the_commit_and_keep_fingerprints_unique(audited):
    repo, payload = audited
    issues = json.loads(run_format(repo, "gitlab").stdout)

    assert [(i["check_name"], i["location"]["path"], i["location"]["lines"]["begin"]) for i in issues] == \
        [(code, path, line) for _, code, _, _, path, line in pairs(payload)]
    assert all(f"introduced in {sha[:10]} by " in i["description"] for i, (sha, *_) in zip(issues, pairs(payload)))
    assert len({i["fingerprint"] for i in issues}) == len(issues)


def test_junit_has_one_suite_per_commit(audited):
    repo, payload = audited
    root = etree.fromstring(run_format(repo, "junit").stdout.encode())

    suites = root.findall("testsuite")
    assert [s.find("properties/property[@name='commit']").get("value") for s in suites] == \
        [e["sha"] for e in payload["commits"]]
    for suite, entry in zip(suites, payload["commits"]):
        props = {p.get("name"): p.get("value") for p in suite.iter("property")}
        assert (props["author"], props["date"], props["subject"]) == (entry["author"], entry["date"], entry["subject"])
        assert int(suite.get("tests")) == len(suite.findall("testcase")) == len(entry["findings"])
        assert int(suite.get("failures")) == sum(f["severity"] == "error" for f in entry["findings"])
        assert datetime.fromisoformat(suite.get("timestamp") + "+00:00") == datetime.fromisoformat(entry["date"])
    assert int(root.get("failures")) == payload["summary"]["error"]


def test_markdown_groups_findings_by_commit(audited):
    repo, payload = audited
    text = run_format(repo, "markdown").stdout

    headings = [line for line in text.splitlines() if line.startswith("### ")]
    assert [h.split("`")[1] for h in headings] == [e["sha"][:10] for e in payload["commits"]]
    sections = re.split(r"^### .*$", text, flags=re.M)[1:]
    for section, entry in zip(sections, payload["commits"]):
        rows = [line for line in section.splitlines() if line.startswith("| ") and not line.startswith("| |")]
        assert [row.split("|")[2].split()[0] for row in rows] == [f["code"] for f in entry["findings"]]
        assert f"{entry['author']} · {entry['date'][:10]}" in section


def test_markdown_escapes_a_hostile_subject(make_repo):
    repo = make_repo("shop")
    repo.write(LOYALTY, loyalty())
    commit(repo, "v1", ALICE, "2024-01-02T09:00:00+01:00")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write(LOYALTY, loyalty(drop=("legacy_code",)))
    commit(repo, "<img src=x onerror=alert(1)> | *bold* [link](http://x.invalid)", BOB, "2024-02-01T10:00:00+01:00")

    text = run_format(repo, "markdown").stdout

    [heading] = [line for line in text.splitlines() if line.startswith("### ")]
    assert "<img" not in text and "&lt;img src=x onerror=alert(1)&gt;" in heading
    assert r"\| \*bold\* \[link\](http://x.invalid)" in heading


def test_clean_range_in_every_format(audited, sarif_validator):
    repo, payload = audited
    clean = f"{repo.rev('HEAD~1')}..{repo.rev('HEAD~1')}"
    for output_format in ("sarif", "github", "gitlab", "junit", "markdown", "html"):
        run = cli(repo.path, "audit", clean, "--format", output_format)
        assert run.exit_code == 0, (output_format, run)
        if output_format == "sarif":
            assert schema_errors(sarif_validator, json.loads(run.stdout)) == []
        if output_format == "junit":
            assert etree.fromstring(run.stdout.encode()).get("failures") == "0"


def urllib_unquote(text: str) -> str:
    from urllib.parse import unquote

    return unquote(text)


# --- suppressed and baselined, in the HTML report's data ----------------------------------------

def embedded(page: str) -> dict:
    raw = re.search(r'<script type="application/json" id="audit-data">(.*?)</script>', page, re.S).group(1)
    return json.loads(raw)


def test_html_data_says_what_was_suppressed_or_baselined_and_why(make_repo, tmp_path):
    repo = make_repo("shop")
    repo.write(LOYALTY, loyalty())
    repo.write(REWARD, reward())
    commit(repo, "v1", ALICE, "2024-01-02T09:00:00+01:00")
    repo.git("checkout", "-q", "-b", "feature")
    reviewed = '    <!-- compatlint: allow CL102 table="pyz_loyalty_account" reason="unused since 2023" -->\n'
    repo.write(LOYALTY, loyalty(drop=("legacy_code",), comment=reviewed))
    commit(repo, "Drop legacy_code (reviewed)", BOB, "2024-02-01T10:00:00+01:00")
    repo.write(REWARD, reward(title=False))
    commit(repo, "Drop reward title", BOB, "2024-02-02T10:00:00+01:00")
    fingerprint = cli(repo.path, "audit", "--format", "json").json()["commits"][0]["findings"][0]["fingerprint"]
    baseline = tmp_path / "baseline.json"
    baseline.write_text(json.dumps({"version": 1, "findings": [{"fingerprint": fingerprint}]}))

    plain = cli(repo.path, "audit", "--format", "json", "--baseline", str(baseline))
    assert plain.exit_code == 0 and plain.json()["commits"] == [], plain
    run = cli(repo.path, "audit", "--format", "html", "--baseline", str(baseline))

    assert run.exit_code == 0, run
    data = embedded(run.stdout)
    assert data["findings"] == []
    left = sorted((f["code"], f["table"], f["column"], f["means"], f["reason"], data["commits"][f["commit"]]["subject"])
                  for f in data["left_out"])
    assert [row[:4] for row in left] == [("CL102", "pyz_loyalty_account", "legacy_code", "directive"),
                                         ("CL102", "pyz_reward", "title", "baseline")]
    assert left[0][4].startswith("unused since 2023 (") and left[0][5] == "Drop legacy_code (reviewed)"
    assert left[1][4] == f"recorded in the baseline {baseline}" and left[1][5] == "Drop reward title"


def test_html_table_history_charges_a_merge_only_with_its_own_changes(audited):
    repo, payload = audited
    data = embedded(run_format(repo, "html").stdout)

    reward = [(data["commits"][c["commit"]]["subject"], c["text"]) for c in data["changes"] if c["table"] == "pyz_reward"]
    # the side branch's drop is the side commit's, not the merge's; the module removal drops the table
    assert reward == [("side: drop reward title", "column removed: title"),
                      ("Remove the reward module", "table removed")]
    assert [c["sha"] for c in data["commits"] if c["findings"]] == [e["sha"] for e in payload["commits"]]
    assert [(f["code"], f["table"], f["column"]) for f in data["findings"]] == \
        [(code, table, col) for _, code, table, col, _, _ in pairs(payload)]


# --- progress ------------------------------------------------------------------------------------

def run_in_pty(cwd: Path, *args: str, timeout: float = 60) -> tuple[int, str, str]:
    """Run the console script with stderr (only) on a pseudo-terminal; return (exit, stdout, what the terminal got)."""
    primary, secondary = pty.openpty()
    env = {**os.environ, "TERM": "xterm", "COLUMNS": "120"}
    proc = subprocess.Popen([console_script(), *args], cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=secondary, env=env)
    os.close(secondary)
    received = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([primary], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(primary, 4096)
            except OSError:  # the child closed the terminal (Linux raises EIO)
                break
            if not chunk:
                break
            received += chunk
        elif proc.poll() is not None:
            break
    stdout = proc.stdout.read().decode()
    code = proc.wait(timeout=timeout)
    os.close(primary)
    return code, stdout, received.decode("utf-8", "replace")


def test_progress_bar_on_a_terminal_and_erased_at_the_end(audited):
    repo, payload = audited

    code, stdout, terminal = run_in_pty(repo.path, "audit", "--format", "json")

    assert code == 1
    assert json.loads(stdout) == payload  # the report itself is untouched
    total = payload["summary"]["commits"]
    assert f"auditing " in terminal and f"0/{total} commits" in terminal
    assert terminal.endswith("\r\x1b[K")  # the bar erased itself: nothing of it stays on the screen


@pytest.mark.parametrize("flag", ["--quiet", "-q", "--no-progress"])
def test_no_progress_with_quiet_flags_even_on_a_terminal(audited, flag):
    repo, _ = audited
    code, stdout, terminal = run_in_pty(repo.path, "audit", "--format", "text", flag)
    assert code == 1 and stdout.startswith("5 findings")
    assert terminal == ""


def test_no_progress_when_stderr_is_redirected(audited, tmp_path):
    repo, _ = audited
    errors = tmp_path / "stderr.txt"
    with open(errors, "wb") as handle:
        done = subprocess.run([console_script(), "audit", "--format", "html", "-o", str(tmp_path / "r.html")],
                              cwd=repo.path, stdout=subprocess.PIPE, stderr=handle, timeout=60)
    assert done.returncode == 1 and done.stdout == b""
    assert errors.read_bytes() == b""


def schema_set(root: Path, modules: int, drop: bool = False) -> Path:
    for number in range(modules):
        name = f"Module{number}"
        columns = [column(f"id_m{number}", primaryKey="true"), *([] if drop and number == 0 else [column("note")])]
        body = "".join(f"        {c}\n" for c in columns)
        (root / f"src/Pyz/Zed/{name}/Persistence/Propel/Schema").mkdir(parents=True)
        (root / f"src/Pyz/Zed/{name}/Persistence/Propel/Schema/pyz_m{number}.schema.xml").write_text(
            '<?xml version="1.0"?>\n<database xmlns="spryker:schema-01" name="zed" '
            f'namespace="Orm\\Zed\\{name}\\Persistence" package="src.Orm.Zed.{name}.Persistence">\n'
            f'    <table name="pyz_m{number}">\n{body}    </table>\n</database>\n')
    return root


def test_check_of_a_large_schema_set_shows_progress_on_a_terminal_only(tmp_path, monkeypatch):
    base, head = schema_set(tmp_path / "v1", 40), schema_set(tmp_path / "v2", 40, drop=True)
    args = ("check", "--base-dir", str(base), "--head-dir", str(head), "--format", "json")
    monkeypatch.setenv("COMPATLINT_PROGRESS_DELAY", "0")  # the bar otherwise waits half a second

    code, stdout, terminal = run_in_pty(tmp_path, *args)

    assert code == 1 and [f["code"] for f in json.loads(stdout)["findings"]] == ["CL102"]
    assert "reading " in terminal and "/40 schema files" in terminal and terminal.endswith("\r\x1b[K")
    assert run_in_pty(tmp_path, *args, "--no-progress")[2] == ""
    redirected = subprocess.run([console_script(), *args], cwd=tmp_path, capture_output=True, timeout=60)
    assert redirected.returncode == 1 and redirected.stderr == b""


def test_rehearse_shows_its_phases_on_a_terminal_only(db_servers, tmp_path):
    dsn = db_servers("mysql")
    demo = Path(__file__).resolve().parent.parent / "fixtures" / "demo"
    args = ("rehearse", "--base-dir", str(demo / "v1"), "--head-dir", str(demo / "v2"), "--dsn", dsn, "--format", "json")

    code, stdout, terminal = run_in_pty(tmp_path, *args)

    assert code == 1 and json.loads(stdout)
    assert "rehearsing " in terminal and "0/4 phases" in terminal and terminal.endswith("\r\x1b[K")
    redirected = subprocess.run([console_script(), *args], cwd=tmp_path, capture_output=True, timeout=120)
    assert redirected.returncode == 1 and redirected.stderr == b""


def test_progress_bar_shows_rate_and_time_left():
    from compatlint.progress import ProgressBar

    class Terminal:
        def __init__(self):
            self.text = ""

        def write(self, text):
            self.text += text

        def flush(self):
            pass

    now = [100.0]
    terminal = Terminal()
    bar = ProgressBar("auditing", "commits", stream=terminal, clock=lambda: now[0])
    bar(0, 200)
    now[0] = 110.0
    bar(50, 200)
    assert terminal.text.endswith("50/200 commits · 5.0/s · 0:30 left")
    now[0] = 110.05
    bar(51, 200)  # within 0.1 s of the last redraw: no redraw
    assert terminal.text.endswith("0:30 left")
    bar(200, 200)
    assert terminal.text.endswith("\r\x1b[K")


def test_progress_bar_waits_for_its_delay():
    from compatlint.progress import ProgressBar

    class Terminal:
        text = ""

        def write(self, text):
            self.text += text

        def flush(self):
            pass

    now = [0.0]
    terminal = Terminal()
    bar = ProgressBar("reading", "schema files", stream=terminal, clock=lambda: now[0], delay=0.5)
    bar(0, 10)
    now[0] = 0.3
    bar(5, 10)
    assert terminal.text == ""  # a quick run shows nothing
    now[0] = 0.6
    bar(6, 10)
    assert "6/10 schema files" in terminal.text
    bar(10, 10)
    assert terminal.text.endswith("\r\x1b[K")


# --- packaging -----------------------------------------------------------------------------------

def test_the_report_assets_ship_in_a_non_editable_install(tmp_path, audited):
    """Build a wheel of the project and install it (no dependencies: they are those of this environment) into a
    target folder: the installed package renders the same report, with its template, style and script."""
    repo, _ = audited
    root = Path(__file__).resolve().parent.parent
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels),
                    str(root)], check=True, capture_output=True, timeout=300)
    [wheel] = wheels.glob("compatlint-*.whl")
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
                   check=True, capture_output=True, timeout=300)
    assert {p.name for p in (target / "compatlint" / "reporters" / "assets").iterdir()} >= \
        {"audit.html", "audit.css", "audit.js"}
    env = {**os.environ, "PYTHONPATH": str(target)}
    done = subprocess.run([sys.executable, "-c", "import compatlint, sys; print(compatlint.__file__)"], env=env,
                          capture_output=True, text=True, check=True, cwd=tmp_path)
    assert done.stdout.strip().startswith(str(target))
    done = subprocess.run([sys.executable, "-m", "compatlint", "audit", "--format", "html"], cwd=repo.path, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1, done.stderr
    assert done.stdout == cli(repo.path, "audit", "--format", "html").stdout


def test_inlined_assets_cannot_close_their_elements():
    from importlib import resources

    assets = resources.files("compatlint.reporters").joinpath("assets")
    for name in ("audit.js", "audit.css"):
        text = assets.joinpath(name).read_text(encoding="utf-8").lower()
        assert "</" not in text and "<!--" not in text, name


def test_the_demo_history_script_builds_what_the_readme_picture_shows(tmp_path, git_env):
    """docs/demo_history.py replays fixtures/demo as commits; the README's screenshot is its HTML audit."""
    import importlib.util

    path = Path(__file__).resolve().parent.parent / "docs" / "demo_history.py"
    spec = importlib.util.spec_from_file_location("demo_history", path)
    demo = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(demo)
    repo = demo.build(tmp_path / "demo")

    data = embedded(cli(repo, "audit", "--all", "--format", "html").stdout)

    assert [t["name"] for t in data["tags"]] == ["v2024.01", "v2024.02", "v2024.03"]
    assert data["counts"] == {"error": 7, "warning": 1, "info": 1}
    [reviewed] = data["left_out"]
    assert (reviewed["code"], reviewed["column"], reviewed["means"]) == ("CL102", "legacy_code", "directive")
    assert reviewed["reason"].startswith("lazyLoad since v2024.02, no reader left")
