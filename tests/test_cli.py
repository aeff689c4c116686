"""The `compatlint` command line, end to end: real files, real folders, the real console script.

Behaviour, not "no crash": exit codes (0 clean, 1 findings at or above --fail-on, 2 usage or input
error), `path:line: CODE` lines that point into the right tree, JSON that parses and carries what CI
needs, one-line errors without a traceback, and hostile XML refused without leaking anything.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from compatlint.cli import main

ROOT = Path(__file__).resolve().parent.parent
DEMO = "fixtures/demo"
V1, V2, V2_SAFE = f"{DEMO}/v1", f"{DEMO}/v2", f"{DEMO}/v2-safe"
LOYALTY = "src/Pyz/Zed/Loyalty/Persistence/Propel/Schema/pyz_loyalty.schema.xml"
CUSTOMER = "src/Pyz/Zed/Customer/Persistence/Propel/Schema/spy_customer.schema.xml"

FINDING_LINE = re.compile(
    r"^(?P<path>\S+?):(?P<line>\d+): (?P<code>CL\d{3}) (?P<name>[a-z0-9]+(?:-[a-z0-9]+)*) \[(?P<severity>error|warning|info)\]$")
DOC_SECTIONS = ("What it flags:", "Why V1 breaks:", "Safe path:", "Platforms:")


# --- helpers ----------------------------------------------------------------------------------------

def invoke(*args: str):
    """Run the CLI in-process (click's CliRunner), stdout and stderr kept apart."""
    result = CliRunner().invoke(main, list(args), catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"compatlint {' '.join(args)} raised {result.exception!r}") from result.exception
    return result


def console_script() -> str:
    """The installed `compatlint` script next to this interpreter (the venv's), else on PATH."""
    candidate = Path(sys.executable).parent / "compatlint"
    if candidate.exists():
        return str(candidate)
    found = shutil.which("compatlint")
    assert found, "the compatlint console script is not installed (pip install -e .)"
    return found


def run_script(*args: str, cwd: str | os.PathLike = ROOT, timeout: float = 120) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run([console_script(), *args], cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)


def registered_codes() -> set[str]:
    """Codes listed by `compatlint rules` right now."""
    result = CliRunner().invoke(main, ["rules"])
    assert result.exit_code == 0, result.output
    return {line.split()[0] for line in result.stdout.splitlines() if re.match(r"^CL\d{3}\s", line)}


REGISTERED = registered_codes()




def finding_lines(stdout: str) -> list[re.Match]:
    return [m for m in map(FINDING_LINE.match, stdout.splitlines()) if m]


def as_json(stdout: str) -> dict:
    payload = json.loads(stdout)
    assert payload["version"] == 1
    return payload


def codes(payload: dict) -> set[tuple[str, str | None, str | None]]:
    return {(f["code"], f["table"], f["column"]) for f in payload["findings"]}


def assert_usage_error(stdout: str, stderr: str, exit_code: int, *needles: str) -> None:
    """Exit 2, nothing on stdout, exactly one `compatlint: error:` line on stderr, no traceback."""
    assert exit_code == 2, (exit_code, stdout, stderr)
    assert "Traceback" not in stdout + stderr
    assert stdout == ""
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("compatlint: error: "), stderr
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])


def copy_demo(tmp_path: Path, state: str, name: str | None = None) -> Path:
    target = tmp_path / (name or state)
    shutil.copytree(ROOT / DEMO / state, target)
    return target


def spryker_file(root: Path, rel: str, text: str | bytes) -> Path:
    target = root / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        target.write_bytes(text)
    else:
        target.write_text(text, encoding="utf-8")
    return target


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


@pytest.fixture(autouse=True)
def _in_project_root(monkeypatch):
    """The demo paths in these tests are relative to the project root, as a user would type them."""
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("NO_COLOR", raising=False)


# --- the demo: v1 -> v2 (breaking), v1 -> v1 (nothing), v1 -> v2-safe (warnings/info only) -------------

def test_demo_breaking_change_prints_path_line_code_lines_into_the_right_tree():
    result = invoke("check", "--base-dir", V1, "--head-dir", V2)

    assert result.exit_code == 1, result.output
    assert result.stderr == ""
    assert "\033[" not in result.stdout, "no colour when stdout is not a terminal"
    matches = finding_lines(result.stdout)
    assert matches, result.stdout
    for match in matches:
        path = match["path"]
        assert path.startswith((f"{V1}/", f"{V2}/")), path
        assert (ROOT / path).is_file(), f"{path} named by a finding does not exist"
        lines_in_file = len((ROOT / path).read_text().splitlines())
        assert 1 <= int(match["line"]) <= lines_in_file, match.group(0)
    # The dropped column is reported in the base (v1) file, on the line that declared it.
    dropped = f"{V1}/{LOYALTY}"
    legacy_line = line_of(ROOT / dropped, 'name="legacy_code"')
    assert f"{dropped}:{legacy_line}: CL102 column-dropped [error]" in result.stdout.splitlines()
    assert "pyz_loyalty_account.legacy_code" in result.stdout
    assert "safe path:" in result.stdout
    summary = result.stdout.splitlines()[-1]
    assert re.match(r"^\d+ errors?\b", summary), summary
    assert f"(mysql, {V1} -> {V2})" in summary


def test_demo_json_has_code_table_column_path_line_fingerprint():
    result = invoke("check", "--base-dir", V1, "--head-dir", V2, "--format", "json")

    assert result.exit_code == 1, result.output
    payload = as_json(result.stdout)
    assert payload["platform"] == "mysql"
    assert payload["base"] == V1 and payload["head"] == V2
    findings = payload["findings"]
    assert findings
    for finding in findings:
        for key in ("code", "name", "severity", "message", "table", "column", "path", "line", "side", "fingerprint"):
            assert key in finding, (key, finding)
        assert re.fullmatch(r"CL\d{3}", finding["code"])
        assert finding["severity"] in ("error", "warning", "info")
        assert re.fullmatch(r"[0-9a-f]{16}", finding["fingerprint"]), finding
        root = V1 if finding["side"] == "base" else V2
        assert finding["side"] in ("base", "head")
        assert finding["path"].startswith(f"{root}/"), finding
        assert isinstance(finding["line"], int) and finding["line"] >= 1
    legacy = [f for f in findings if (f["code"], f["table"], f["column"]) == ("CL102", "pyz_loyalty_account", "legacy_code")]
    assert len(legacy) == 1, findings
    assert legacy[0]["side"] == "base"
    assert legacy[0]["path"] == f"{V1}/{LOYALTY}"
    assert legacy[0]["line"] == line_of(ROOT / V1 / LOYALTY, 'name="legacy_code"')
    assert legacy[0]["severity"] == "error"
    summary = payload["summary"]
    for severity in ("error", "warning", "info"):
        assert summary[severity] == sum(1 for f in findings if f["severity"] == severity)

    # Text and JSON report the same findings at the same places.
    text = invoke("check", "--base-dir", V1, "--head-dir", V2)
    assert {(m["path"], int(m["line"]), m["code"]) for m in finding_lines(text.stdout)} == \
        {(f["path"], f["line"], f["code"]) for f in findings}


def test_json_fingerprints_are_stable_across_line_moves(tmp_path):
    """A fingerprint is built from code, table and subject: moving the lines keeps it (baselines survive)."""
    base = copy_demo(tmp_path, "v1")
    first = as_json(invoke("check", "--base-dir", str(base), "--head-dir", V2, "--format", "json").stdout)
    loyalty = base / LOYALTY
    loyalty.write_text(loyalty.read_text().replace("<database", "<!-- moved down -->\n\n\n<database", 1))
    second = as_json(invoke("check", "--base-dir", str(base), "--head-dir", V2, "--format", "json").stdout)

    def by_print(payload):
        return {f["fingerprint"]: f for f in payload["findings"]}

    assert by_print(first).keys() == by_print(second).keys()
    old = [f for f in first["findings"] if f["column"] == "legacy_code"][0]
    new = by_print(second)[old["fingerprint"]]
    assert new["line"] == old["line"] + 3


# (code, table) the demo's v1 -> v2 must report once each rule exists (see the comments in fixtures/demo).
DEMO_V2_EXPECTED = [
    ("CL102", "pyz_loyalty_account"),      # legacy_code dropped
    ("CL402", "pyz_loyalty_account"),      # points_total -> points_balance, same definition: Propel renames
    ("CL207", "pyz_loyalty_account"),      # status valueSet reordered
    ("CL301", "pyz_loyalty_account"),      # unique on the existing referral_code
    ("CL201", "spy_customer"),             # loyalty_level required, no default, on the core table
    ("CL103", "pyz_loyalty_transaction"),  # timestampable removed: created_at/updated_at go
    ("CL702", "LoyaltyAccount"),           # the transfer property legacyCode removed
]


@pytest.mark.parametrize("code, table", [
    pytest.param(code, table, id=f"{code}-{table}") for code, table in DEMO_V2_EXPECTED
])
def test_demo_v2_reports_each_breaking_change(code, table):
    payload = as_json(invoke("check", "--base-dir", V1, "--head-dir", V2, "--format", "json").stdout)
    assert (code, table) in {(f["code"], f["table"]) for f in payload["findings"]}, payload["findings"]


def test_demo_v2_reports_exactly_the_demo_changes():
    """No false positive either: the whole set of findings and the summary line."""
    payload = as_json(invoke("check", "--base-dir", V1, "--head-dir", V2, "--format", "json").stdout)
    found = sorted((f["code"], f["table"], f["column"]) for f in payload["findings"])
    assert found == sorted([
        ("CL102", "pyz_loyalty_account", "legacy_code"), ("CL402", "pyz_loyalty_account", "points_total"),
        ("CL207", "pyz_loyalty_account", "status"), ("CL301", "pyz_loyalty_account", "referral_code"),
        ("CL201", "spy_customer", "loyalty_level"), ("CL103", "pyz_loyalty_transaction", "created_at"),
        ("CL103", "pyz_loyalty_transaction", "updated_at"), ("CL404", "pyz_loyalty_tier", None),
        ("CL702", "LoyaltyAccount", "legacyCode"),
    ])
    assert payload["summary"] == {"error": 8, "warning": 0, "info": 1}
    assert invoke("check", "--base-dir", V1, "--head-dir", V2).stdout.splitlines()[-1].startswith("8 errors, 1 info (mysql")


def test_demo_same_version_is_clean_and_says_so():
    result = invoke("check", "--base-dir", V1, "--head-dir", V1)

    assert result.exit_code == 0, result.output
    assert result.stdout == f"No backward-incompatible schema changes (mysql, {V1} -> {V1}).\n"
    payload = as_json(invoke("check", "--base-dir", V1, "--head-dir", V1, "--format", "json").stdout)
    assert payload["findings"] == []
    assert payload["summary"] == {"error": 0, "warning": 0, "info": 0}


def test_demo_safe_version_has_no_errors_and_exits_0_by_default():
    result = invoke("check", "--base-dir", V1, "--head-dir", V2_SAFE)
    assert result.exit_code == 0, result.output
    payload = as_json(invoke("check", "--base-dir", V1, "--head-dir", V2_SAFE, "--format", "json").stdout)
    assert [f for f in payload["findings"] if f["severity"] == "error"] == []
    # legacy_code is kept (lazy) and points_total is kept next to the new points_balance: nothing dropped.
    assert not {f["code"] for f in payload["findings"]} & {"CL101", "CL102", "CL402"}


@pytest.mark.parametrize("fail_on", ["warning", "info"])
def test_demo_safe_version_fails_with_fail_on_warning(fail_on):
    """v2-safe appends an ENUM value (CL207, warning): --fail-on warning (or info) makes that exit 1."""
    result = invoke("check", "--base-dir", V1, "--head-dir", V2_SAFE, "--fail-on", fail_on)
    assert result.exit_code == 1, result.output
    assert re.search(r"\bCL207 \S+ \[warning\]", result.stdout), result.stdout
    assert invoke("check", "--base-dir", V1, "--head-dir", V2_SAFE, "--fail-on", fail_on, "--exit-zero").exit_code == 0


@pytest.mark.parametrize("options, expected_exit", [
    ([], 0),
    (["--fail-on", "error"], 0),
    (["--fail-on", "warning"], 0),
    (["--fail-on", "info"], 1),
    (["--fail-on", "info", "--exit-zero"], 0),
])
def test_fail_on_threshold_with_an_info_finding(tmp_path, options, expected_exit):
    """Release N+1 of the demo: dropping legacy_code, already lazy and nullable in v2-safe, is info only."""
    head = copy_demo(tmp_path, "v2-safe", "v3")
    loyalty = head / LOYALTY
    text = loyalty.read_text()
    kept = [line for line in text.splitlines(keepends=True) if "legacy_code" not in line and "contract, step 1" not in line]
    loyalty.write_text("".join(kept))

    result = invoke("check", "--base-dir", V2_SAFE, "--head-dir", str(head), *options)

    assert result.exit_code == expected_exit, result.output
    matches = finding_lines(result.stdout)
    assert [(m["code"], m["severity"]) for m in matches] == [("CL102", "info")], result.stdout
    assert matches[0]["path"] == f"{V2_SAFE}/{LOYALTY}"
    assert result.stdout.splitlines()[-1].startswith("1 info ")


@pytest.mark.parametrize("output_format", ["text", "json"])
def test_exit_zero_reports_but_exits_0(output_format):
    result = invoke("check", "--base-dir", V1, "--head-dir", V2, "--exit-zero", "--format", output_format)
    assert result.exit_code == 0, result.output
    if output_format == "json":
        assert ("CL102", "pyz_loyalty_account", "legacy_code") in codes(as_json(result.stdout))
    else:
        assert any(m["code"] == "CL102" for m in finding_lines(result.stdout))


def test_pgsql_platform_is_accepted_and_named():
    result = invoke("check", "--base-dir", V1, "--head-dir", V2, "--platform", "pgsql")
    assert result.exit_code == 1, result.output
    assert f"(pgsql, {V1} -> {V2})" in result.stdout.splitlines()[-1]


# --- usage errors: exit 2, one line, no traceback (through the real console script) --------------------

@pytest.mark.parametrize("args, needles", [
    (["check", "--base-dir", V1], ["--base-dir and --head-dir go together"]),
    (["check", "--head-dir", V2], ["--base-dir and --head-dir go together"]),
    (["check", "--base-dir", f"{DEMO}/no-such-state", "--head-dir", V2], [f"{DEMO}/no-such-state", "no such directory"]),
    (["check", "--base-dir", V1, "--head-dir", f"{DEMO}/no-such-state"], [f"{DEMO}/no-such-state", "no such directory"]),
    (["check", "--base-dir", V1, "--head-dir", V2, "--base", "HEAD"], ["either --base/--head or --base-dir/--head-dir"]),
    (["check", "--head", "HEAD"], ["--head needs --base"]),
], ids=["base-dir-alone", "head-dir-alone", "missing-base-dir", "missing-head-dir", "both-modes", "head-without-base"])
def test_usage_errors_are_one_line_exit_2(args, needles):
    done = run_script(*args)
    assert_usage_error(done.stdout, done.stderr, done.returncode, *needles)


def test_unknown_git_revision_is_a_usage_error(make_repo):
    repo = make_repo()
    repo.write(LOYALTY, (ROOT / V1 / LOYALTY).read_text())
    repo.commit("v1")
    for args in (["--base", "no-such-branch"], ["--base", "HEAD", "--head", "no-such-tag"]):
        done = run_script("check", "--repo", str(repo), *args)
        missing = args[-1]
        assert_usage_error(done.stdout, done.stderr, done.returncode, f"unknown git revision {missing!r}")


@pytest.mark.parametrize("args", [[], ["--base", "HEAD~1"]], ids=["staged", "base"])
def test_check_outside_a_git_repository_is_a_usage_error(tmp_path, git_env, args):
    plain = tmp_path / "not-a-repo"
    spryker_file(plain, LOYALTY, (ROOT / V1 / LOYALTY).read_text())
    done = run_script("check", "--repo", str(plain), *args)
    assert_usage_error(done.stdout, done.stderr, done.returncode, "is not inside a git repository", "--base-dir/--head-dir")
    # The same from inside the folder, with the default --repo .
    done = run_script("check", *args, cwd=plain)
    assert_usage_error(done.stdout, done.stderr, done.returncode, "is not inside a git repository")


def test_unknown_platform_is_a_click_usage_error_exit_2():
    done = run_script("check", "--base-dir", V1, "--head-dir", V2, "--platform", "oracle")
    assert done.returncode == 2, done
    assert "Traceback" not in done.stdout + done.stderr
    assert done.stdout == ""
    assert "--platform" in done.stderr and "oracle" in done.stderr


def test_console_script_exit_codes_match_the_documented_contract():
    assert run_script("check", "--base-dir", V1, "--head-dir", V1).returncode == 0
    done = run_script("check", "--base-dir", V1, "--head-dir", V2)
    assert done.returncode == 1 and "Traceback" not in done.stderr and done.stderr == ""
    assert f"{V1}/{LOYALTY}:" in done.stdout
    assert run_script("--version").returncode == 0


# --- unusable and hostile schema files: CL901, exit 2, nothing leaked ----------------------------------

SCHEMA_HEAD = ('<?xml version="1.0"?>\n'
               '<database xmlns="spryker:schema-01" name="zed" namespace="Orm\\Zed\\Loyalty\\Persistence" '
               'package="src.Orm.Zed.Loyalty.Persistence">\n')

# The billion-laughs bomb: ten levels of ten references, 10^9 "lol"s if expanded.
LAUGHS = "".join(f'<!ENTITY lol{i} "{("&lol%d;" % (i - 1)) * 10}">\n' for i in range(1, 10))
BOMB = ('<?xml version="1.0"?>\n'
        '<!DOCTYPE database [\n<!ENTITY lol0 "lol">\n' + LAUGHS + ']>\n'
        '<database name="zed"><table name="pyz_loyalty_account">'
        '<column name="id" type="INTEGER" description="&lol9;"/></table></database>\n')


def xxe(target: str) -> str:
    return ('<?xml version="1.0"?>\n'
            f'<!DOCTYPE database [ <!ENTITY xxe SYSTEM "{target}"> ]>\n'
            '<database name="zed">\n'
            '    <table name="pyz_loyalty_account" description="&xxe;">\n'
            '        <column name="id_loyalty_account" type="INTEGER" description="&xxe;"/>\n'
            '    </table>\n'
            '</database>\n')


MALFORMED = {
    # <table> never closed: the parser notices at the end of the file.
    "unclosed-tag": SCHEMA_HEAD + '    <table name="pyz_loyalty_account">\n'
                                  '        <column name="id_loyalty_account" type="INTEGER"/>\n'
                                  '</database>\n',
    # a mismatched end tag: the parser notices on line 5.
    "mismatched-end-tag": SCHEMA_HEAD + '    <table name="pyz_loyalty_account">\n'
                                        '        <column name="id_loyalty_account" type="INTEGER"/>\n'
                                        '    </tabel>\n'
                                        '</database>\n',
}


def broken_head(tmp_path: Path, text: str | bytes) -> tuple[Path, Path]:
    """base: demo v1; head: demo v1 with the Loyalty schema file replaced by `text`."""
    base = copy_demo(tmp_path, "v1", "base")
    head = copy_demo(tmp_path, "v1", "head")
    spryker_file(head, LOYALTY, text)
    return base, head


@pytest.mark.parametrize("kind", sorted(MALFORMED))
def test_malformed_schema_file_is_cl901_naming_file_and_line_exit_2(tmp_path, kind):
    base, head = broken_head(tmp_path, MALFORMED[kind])
    broken = head / LOYALTY

    done = run_script("check", "--base-dir", str(base), "--head-dir", str(head))

    assert done.returncode == 2, done
    assert "Traceback" not in done.stdout + done.stderr
    invalid = [m for m in finding_lines(done.stdout) if m["code"] == "CL901"]
    assert len(invalid) == 1, done.stdout
    assert invalid[0]["path"] == str(broken)
    assert invalid[0]["severity"] == "error"
    line = int(invalid[0]["line"])
    assert 1 <= line <= len(MALFORMED[kind].splitlines())
    if kind == "mismatched-end-tag":
        assert line == 5
    # Its tables cannot be judged: they are not reported as dropped.
    assert not [m for m in finding_lines(done.stdout) if m["code"] in ("CL101", "CL102")], done.stdout

    payload = as_json(run_script("check", "--base-dir", str(base), "--head-dir", str(head), "--format", "json").stdout)
    [finding] = [f for f in payload["findings"] if f["code"] == "CL901"]
    assert finding["path"] == str(broken) and finding["line"] == line


def test_other_files_are_still_checked_next_to_a_broken_one(tmp_path):
    base, head = broken_head(tmp_path, MALFORMED["mismatched-end-tag"])
    customer = head / CUSTOMER
    customer.write_text(customer.read_text().replace('<column name="newsletter_opt_in" type="BOOLEAN" default="false"/>', ""))

    payload = as_json(run_script("check", "--base-dir", str(base), "--head-dir", str(head), "--format", "json").stdout)

    assert ("CL102", "spy_customer", "newsletter_opt_in") in codes(payload)
    assert "CL901" in {f["code"] for f in payload["findings"]}


HOSTILE = {
    "xxe-etc-hostname": xxe("file:///etc/hostname"),
    "billion-laughs": BOMB,
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_entity_attacks_are_refused_with_cl901_exit_2(tmp_path, kind):
    base, head = broken_head(tmp_path, HOSTILE[kind])

    done = run_script("check", "--base-dir", str(base), "--head-dir", str(head), timeout=60)

    assert done.returncode == 2, done
    assert "Traceback" not in done.stdout + done.stderr
    invalid = [m for m in finding_lines(done.stdout) if m["code"] == "CL901"]
    assert [(m["path"], m["line"]) for m in invalid] == [(str(head / LOYALTY), "2")], done.stdout  # the DOCTYPE line
    assert "DOCTYPE" in done.stdout


@pytest.mark.parametrize("output_format", ["text", "json"])
@pytest.mark.parametrize("source", ["etc-hostname", "secret-file"])
def test_external_entities_never_leak_file_content(tmp_path, source, output_format):
    """Whatever the rules say, the content an external entity points to never reaches the output."""
    if source == "etc-hostname":
        target = Path("/etc/hostname")
        assert target.is_file(), "/etc/hostname is expected on this Linux test machine"
        secret = target.read_text().strip()
        assert secret
    else:
        secret = "compatlint-xxe-canary-7f3a9c"
        target = tmp_path / "secret.txt"
        target.write_text(secret + "\n")
    base, head = broken_head(tmp_path, xxe(target.as_uri()))

    done = run_script("check", "--base-dir", str(base), "--head-dir", str(head), "--format", output_format, timeout=60)

    assert "Traceback" not in done.stdout + done.stderr
    # Neither the canary nor the host name may appear (as a whole word: a short host name could be part
    # of another word); the temporary paths we chose ourselves are masked first.
    output = (done.stdout + done.stderr).replace(str(tmp_path), "<tmp>")
    assert not re.search(rf"(?<![\w.-]){re.escape(secret)}(?![\w.-])", output), output


def test_billion_laughs_is_fast_and_bounded(tmp_path):
    base, head = broken_head(tmp_path, BOMB)
    done = run_script("check", "--base-dir", str(base), "--head-dir", str(head), "--format", "json", timeout=30)
    assert "Traceback" not in done.stdout + done.stderr
    assert len(done.stdout) < 100_000
    assert "lollollol" not in done.stdout


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_doctype_in_a_utf16_file_is_refused_too(tmp_path, encoding):
    text = ('<?xml version="1.0" encoding="%s"?>\n'
            '<!DOCTYPE database [ <!ENTITY e "EXPANDED"> ]>\n'
            '<database name="zed">\n'
            '    <table name="pyz_loyalty_account">\n'
            '        <column name="id_loyalty_account" type="INTEGER" description="&e;"/>\n'
            '    </table>\n'
            '</database>\n') % encoding.upper()
    base, head = broken_head(tmp_path, text.encode(encoding))

    done = run_script("check", "--base-dir", str(base), "--head-dir", str(head), "--format", "json")

    payload = as_json(done.stdout)
    assert done.returncode == 2, done
    assert [(f["code"], f["path"]) for f in payload["findings"] if f["code"] == "CL901"] == [("CL901", str(head / LOYALTY))]


def test_xxe_in_a_staged_file_is_refused_in_git_mode(make_repo):
    repo = make_repo()
    repo.write(LOYALTY, (ROOT / V1 / LOYALTY).read_text())
    repo.commit("v1")
    repo.write(LOYALTY, xxe("file:///etc/hostname"))
    repo.add(LOYALTY)

    done = run_script("check", cwd=repo.path)

    assert done.returncode == 2, done
    assert "Traceback" not in done.stdout + done.stderr
    assert [(m["path"], m["code"]) for m in finding_lines(done.stdout)] == [(LOYALTY, "CL901")], done.stdout


# --- rules and explain ------------------------------------------------------------------------------

def test_rules_lists_every_registered_rule():
    from compatlint.registry import all_rules

    result = invoke("rules")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    rules = all_rules()
    assert len(lines) == len(rules)
    for rule, line in zip(rules, lines):
        assert line.split()[:3] == [rule.code, rule.name, str(rule.severity)], line
        assert rule.summary() in line
    assert "CL102" in REGISTERED
    markdown = invoke("rules", "--format", "markdown")
    assert markdown.exit_code == 0
    for rule in rules:
        assert f"| {rule.code} | {rule.name} | {rule.severity} |" in markdown.stdout


@pytest.mark.parametrize("key", ["CL102", "column-dropped", "cl102"])
def test_explain_prints_the_rule_documentation(key):
    result = invoke("explain", key)

    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("CL102 column-dropped (default severity: error)\n")
    for section in DOC_SECTIONS:
        assert f"\n{section}\n" in out, section
    assert "A column present at the base revision is gone at the head revision." in out
    assert 'lazyLoad="true"' in out
    assert "Example that is flagged" in out
    assert "compatlint: allow CL102" in out


@pytest.mark.parametrize("code", sorted(REGISTERED))
def test_explain_works_for_every_listed_rule(code):
    from compatlint.registry import rule_by_key

    rule = rule_by_key(code)
    by_code, by_name = invoke("explain", code), invoke("explain", rule.name)
    assert by_code.exit_code == by_name.exit_code == 0
    assert by_code.stdout == by_name.stdout
    assert by_code.stdout.startswith(f"{code} {rule.name} (default severity: {rule.severity})")
    for section in DOC_SECTIONS:
        assert section in by_code.stdout, (code, section)


@pytest.mark.parametrize("key", ["CL999", "no-such-rule"])
def test_explain_unknown_rule_is_exit_2(key):
    done = run_script("explain", key)
    assert_usage_error(done.stdout, done.stderr, done.returncode, f"unknown rule {key!r}", "compatlint rules")
