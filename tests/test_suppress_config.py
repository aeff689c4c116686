"""Suppressions (XML comments, baseline file) and configuration (compatlint.toml, .compatlint.toml,
[tool.compatlint] in pyproject.toml), through the real CLI on real temporary git repositories.

Directives: `<!-- compatlint: allow CODE reason="..." -->` before or inside the element it is about,
`table="..."` / `column="..."` for what no longer exists at head, `allow-file` for a whole file;
codes or names; no reason -> CL906 (unless `require-reason = false`), unknown rule -> CL903,
matched nothing -> CL904. The baseline hides recorded findings by fingerprint, across line moves.
The configuration is found upward from the working folder; command-line flags win; unknown keys and
bad values are exit 2 with the file and the key named.
"""

from __future__ import annotations

import json
import os
import re
import subprocess

import pytest


LOYALTY = "src/Pyz/Zed/Loyalty/Persistence/Propel/Schema/pyz_loyalty.schema.xml"
REWARD = "src/Pyz/Zed/Reward/Persistence/Propel/Schema/pyz_reward.schema.xml"
FEATURE = "src/Pyz/Zed/Loyalty/Persistence/Propel/Schema/Referral/pyz_loyalty_referral.schema.xml"
HEADER = ('<?xml version="1.0"?>\n<database xmlns="spryker:schema-01" name="zed" '
          'namespace="Orm\\Zed\\{module}\\Persistence" package="src.Orm.Zed.{module}.Persistence">\n')


# --- schema builders: every line is predictable, comments go exactly where a test puts them -------

def column(name: str, type_: str = "INTEGER", **attrs: str) -> str:
    extra = "".join(f' {k}="{v}"' for k, v in attrs.items())
    return f'<column name="{name}" type="{type_}"{extra}/>'


ACCOUNT_COLUMNS = {
    "id_loyalty_account": column("id_loyalty_account", primaryKey="true", autoIncrement="true"),
    "fk_customer": column("fk_customer", required="true"),
    "legacy_code": column("legacy_code", "VARCHAR", size="32"),
    "referral_code": column("referral_code", "VARCHAR", size="16"),
}


def loyalty(*, drop=(), extra=(), nullable_fk: bool = False, before: dict[str, str] | None = None,
            table_comment: str = "", trailing: str = "", file_comment: str = "", transaction: bool = True,
            module: str = "Loyalty") -> str:
    """pyz_loyalty_account (+ pyz_loyalty_transaction). `extra` are raw child lines appended to the
    account table; `before` puts a comment line before a named column; `table_comment` before the
    account table; `trailing` as the table's last child; `file_comment` before <database>."""
    before = before or {}
    lines = []
    for name, element in ACCOUNT_COLUMNS.items():
        if name in drop:
            continue
        if name == "fk_customer" and nullable_fk:
            element = column("fk_customer")
        if name in before:
            lines.append(before[name])
        lines.append(element)
    lines.extend(extra)
    if trailing:
        lines.append(trailing)
    text = '<?xml version="1.0"?>\n' + file_comment + HEADER.format(module=module).split("\n", 1)[1]
    if table_comment:
        text += f"    {table_comment}\n"
    text += '    <table name="pyz_loyalty_account" idMethod="native">\n'
    text += "".join(f"        {line}\n" for line in lines) + "    </table>\n"
    if transaction:
        text += ('    <table name="pyz_loyalty_transaction" idMethod="native">\n'
                 f'        {column("id_loyalty_transaction", primaryKey="true", autoIncrement="true")}\n'
                 f'        {column("points", required="true")}\n'
                 "    </table>\n")
    return text + "</database>\n"


def reward(*, drop_title: bool = False, extra=(), comment: str = "") -> str:
    lines = [column("id_reward", primaryKey="true", autoIncrement="true")]
    if not drop_title:
        lines.append(column("title", "VARCHAR", size="64"))
    lines.extend(extra)
    return (HEADER.format(module="Reward") + (f"    {comment}\n" if comment else "") + '    <table name="pyz_reward">\n'
            + "".join(f"        {line}\n" for line in lines) + "    </table>\n</database>\n")


def allow(rules: str, reason: str | None = "reviewed in PR 42", kind: str = "allow", **keys: str) -> str:
    extra = "".join(f' {k}="{v}"' for k, v in keys.items())
    why = f' reason="{reason}"' if reason is not None else ""
    return f"<!-- compatlint: {kind} {rules}{extra}{why} -->"


MUST = column("must", required="true")
MUST_TOO = column("must_too", required="true")
LONG_NAME = "c" * 64  # CL905: a warning on MySQL (64 allowed), an error on PostgreSQL (63)


def line_of(text: str, needle: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), 1) if needle in line)


# --- running the CLI ----------------------------------------------------------------------------

from cli_runner import Run, cli, console_script  # noqa: E402


def check(cwd, *args: str) -> Run:
    return cli(cwd, "check", "--format", "json", *args)




@pytest.fixture
def shop(make_repo):
    repo = make_repo("shop")
    repo.write(LOYALTY, loyalty())
    repo.write(REWARD, reward())
    repo.commit("v1")
    return repo


def stage(repo, path: str, text: str) -> None:
    repo.write(path, text)
    repo.add(path)


# === suppression comments ======================================================================

@pytest.mark.parametrize("key", ["CL102", "column-dropped", "cl102"])
def test_comment_before_the_table_allows_a_dropped_column(shop, key):
    stage(shop, LOYALTY, loyalty(drop=("legacy_code",)))
    unsuppressed = check(shop.path)
    assert (unsuppressed.exit_code, unsuppressed.found) == (1, [("CL102", "pyz_loyalty_account", "legacy_code")])

    stage(shop, LOYALTY, loyalty(drop=("legacy_code",), table_comment=allow(key)))
    run = check(shop.path)

    assert (run.exit_code, run.found) == (0, []), run
    text = cli(shop.path, "check")
    assert text.exit_code == 0 and "CL102" not in text.stdout


def test_comment_as_the_last_child_of_the_table_allows_a_dropped_column(shop):
    stage(shop, LOYALTY, loyalty(drop=("legacy_code",), trailing=allow("CL102")))
    run = check(shop.path)
    assert (run.exit_code, run.found) == (0, []), run


def test_comment_before_a_column_covers_that_column_only(shop):
    stage(shop, LOYALTY, loyalty(extra=(allow("CL201"), MUST, MUST_TOO)))
    run = check(shop.path)
    assert (run.exit_code, run.found) == (1, [("CL201", "pyz_loyalty_account", "must_too")]), run


def test_comment_inside_the_column_element(shop):
    inside = f'<column name="must" type="INTEGER" required="true">{allow("required-column-without-default")}</column>'
    stage(shop, LOYALTY, loyalty(extra=(inside, MUST_TOO)))
    run = check(shop.path)
    assert (run.exit_code, run.found) == (1, [("CL201", "pyz_loyalty_account", "must_too")]), run


def test_a_dropped_column_needs_column_key_when_the_comment_sits_before_another_column(shop):
    # Before referral_code, a plain directive is about referral_code: the drop stays, the directive is unused.
    text = loyalty(drop=("legacy_code",), before={"referral_code": allow("CL102")})
    stage(shop, LOYALTY, text)
    run = check(shop.path)
    assert run.exit_code == 1, run
    assert run.found == [("CL102", "pyz_loyalty_account", "legacy_code"), ("CL904", None, None)]
    assert run.json()["findings"][1]["line"] == line_of(text, "compatlint:")

    stage(shop, LOYALTY, loyalty(drop=("legacy_code",), before={"referral_code": allow("CL102", column="legacy_code")}))
    run = check(shop.path)
    assert (run.exit_code, run.found) == (0, []), run


def test_table_key_allows_a_table_dropped_from_a_file(shop):
    stage(shop, LOYALTY, loyalty(transaction=False))
    assert check(shop.path).found == [("CL101", "pyz_loyalty_transaction", None)]

    comment = allow("table-dropped", table="pyz_loyalty_transaction")
    stage(shop, LOYALTY, loyalty(transaction=False, table_comment=comment))
    run = check(shop.path)
    assert (run.exit_code, run.found) == (0, []), run


def test_table_key_in_another_file_allows_a_deleted_schema_file(shop):
    shop.git("rm", "-q", REWARD)
    assert check(shop.path).found == [("CL101", "pyz_reward", None)]

    stage(shop, LOYALTY, loyalty(table_comment=allow("CL101", table="pyz_reward", reason="reward module removed")))
    run = check(shop.path)
    assert (run.exit_code, run.found) == (0, []), run


@pytest.mark.parametrize("where", ["before-root", "inside-database"])
def test_allow_file_covers_the_whole_file_and_nothing_else(shop, where):
    directive = allow("CL201", kind="allow-file")
    if where == "before-root":
        text = loyalty(extra=(MUST,), file_comment=directive + "\n")
    else:
        text = loyalty(extra=(MUST,), table_comment=directive)
    stage(shop, LOYALTY, text)
    stage(shop, REWARD, reward(extra=(MUST_TOO,)))

    run = check(shop.path)

    assert (run.exit_code, run.found) == (1, [("CL201", "pyz_reward", "must_too")]), run


def test_allow_file_covers_the_tables_the_file_declares_after_a_move(shop):
    """Moved to another module and trimmed: the column drop is located in the old path, but it is on a table
    the file declares, which `allow-file` covers as documented."""
    moved = LOYALTY.replace("/Loyalty/", "/LoyaltyAccount/")
    (shop.path / moved).parent.mkdir(parents=True)
    shop.git("mv", LOYALTY, moved)
    stage(shop, moved, loyalty(drop=("legacy_code",), file_comment=allow("CL102", kind="allow-file") + "\n"))

    run = check(shop.path)

    assert run.exit_code == 0, run
    assert {f["code"] for f in run.json()["findings"]} == {"CL404"}, run  # the move itself (info), nothing else


def test_a_directive_allows_only_the_rules_it_names(shop):
    stage(shop, LOYALTY, loyalty(drop=("legacy_code",), extra=(MUST,), table_comment=allow("CL102")))
    run = check(shop.path)
    assert (run.exit_code, run.found) == (1, [("CL201", "pyz_loyalty_account", "must")]), run

    stage(shop, LOYALTY, loyalty(drop=("legacy_code",), extra=(MUST,),
                                 table_comment=allow("CL102, required-column-without-default")))
    run = check(shop.path)
    assert (run.exit_code, run.found) == (0, []), run


@pytest.mark.parametrize("reason", [None, ""], ids=["no-reason", "empty-reason"])
def test_a_reason_is_required(shop, reason):
    text = loyalty(drop=("legacy_code",), table_comment=allow("CL102", reason=reason))
    stage(shop, LOYALTY, text)

    run = check(shop.path)

    assert run.exit_code == 1, run
    assert sorted(run.found) == [("CL102", "pyz_loyalty_account", "legacy_code"), ("CL906", None, None)]
    [cl906] = [f for f in run.json()["findings"] if f["code"] == "CL906"]
    assert (cl906["severity"], cl906["path"], cl906["line"]) == ("warning", LOYALTY, line_of(text, "compatlint:"))
    assert "reason" in cl906["message"]


def test_require_reason_false_in_the_config(shop):
    shop.write("compatlint.toml", "require-reason = false\n")
    stage(shop, LOYALTY, loyalty(drop=("legacy_code",), table_comment=allow("CL102", reason=None)))
    run = check(shop.path)
    assert (run.exit_code, run.found) == (0, []), run


def test_unknown_rule_is_cl903_and_the_known_ones_still_apply(shop):
    text = loyalty(drop=("legacy_code",), table_comment=allow("CL999 CL102"))
    stage(shop, LOYALTY, text)

    run = check(shop.path)

    assert run.exit_code == 0, run  # CL903 is a warning; CL102 is allowed
    assert run.found == [("CL903", None, None)]
    [cl903] = run.json()["findings"]
    assert (cl903["severity"], cl903["path"], cl903["line"]) == ("warning", LOYALTY, line_of(text, "compatlint:"))
    assert "'CL999'" in cl903["message"]
    assert check(shop.path, "--fail-on", "warning").exit_code == 1


def test_unused_directive_is_cl904(shop):
    text = loyalty(extra=(column("tier", "VARCHAR", size="8"),), table_comment=allow("CL102"))
    stage(shop, LOYALTY, text)

    run = check(shop.path)

    assert (run.exit_code, run.found) == (0, [("CL904", None, None)]), run
    [cl904] = run.json()["findings"]
    assert (cl904["severity"], cl904["line"]) == ("info", line_of(text, "compatlint:"))
    assert check(shop.path, "--fail-on", "info").exit_code == 1


# === baseline ==================================================================================

def test_baseline_hides_recorded_findings_even_after_the_lines_move(shop):
    v1 = shop.rev()
    shop.write(LOYALTY, loyalty(extra=(MUST,)))
    shop.commit("add must")
    before = check(shop.path, "--base", v1)
    assert before.found == [("CL201", "pyz_loyalty_account", "must")]

    written = cli(shop.path, "baseline", "--base", v1, "--output", "baseline.json")
    assert (written.exit_code, written.stdout) == (0, "wrote 1 finding to baseline.json\n"), written
    data = json.loads((shop.path / "baseline.json").read_text())
    assert data["version"] == 1
    assert [(e["code"], e["table"], e["column"]) for e in data["findings"]] == [("CL201", "pyz_loyalty_account", "must")]
    hidden = check(shop.path, "--base", v1, "--baseline", "baseline.json")
    assert (hidden.exit_code, hidden.found) == (0, []), hidden

    # A later commit moves `must` down five lines and adds a new offence.
    padding = tuple(column(f"note_{n}", "VARCHAR", size="8") for n in range(5))
    moved_text = loyalty(extra=(*padding, MUST, MUST_TOO))
    shop.write(LOYALTY, moved_text)
    shop.commit("five columns before must, and must_too")

    moved = check(shop.path, "--base", v1).json()["findings"]
    [must] = [f for f in moved if f["column"] == "must"]
    assert must["line"] == before.json()["findings"][0]["line"] + 5 == line_of(moved_text, 'name="must"')
    run = check(shop.path, "--base", v1, "--baseline", "baseline.json")
    assert (run.exit_code, run.found) == (1, [("CL201", "pyz_loyalty_account", "must_too")]), run


def test_baseline_path_from_the_config_is_relative_to_the_config_file(shop):
    v1 = shop.rev()
    shop.write(LOYALTY, loyalty(extra=(MUST,)))
    shop.commit("add must")
    (shop.path / "ci").mkdir()
    assert cli(shop.path, "baseline", "--base", v1, "-o", "ci/compatlint-baseline.json").exit_code == 0
    shop.write("compatlint.toml", 'baseline = "ci/compatlint-baseline.json"\n')
    sub = shop.path / "src" / "Pyz"

    run = check(sub, "--base", v1)
    assert (run.exit_code, run.found) == (0, []), run

    # --baseline on the command line wins over the configured one.
    (shop.path / "empty.json").write_text('{"version": 1, "findings": []}\n')
    run = check(sub, "--base", v1, "--baseline", str(shop.path / "empty.json"))
    assert (run.exit_code, run.found) == (1, [("CL201", "pyz_loyalty_account", "must")]), run


def test_baseline_command_writes_the_configured_baseline(shop):
    v1 = shop.rev()
    shop.write("compatlint.toml", 'baseline = "compatlint-baseline.json"\n')
    shop.write(LOYALTY, loyalty(extra=(MUST,)))
    shop.commit("add must")
    sub = shop.path / "src"

    written = cli(sub, "baseline", "--base", v1)
    assert written.exit_code == 0, written
    assert (shop.path / "compatlint-baseline.json").is_file()

    run = check(sub, "--base", v1)
    assert (run.exit_code, run.found) == (0, []), run


@pytest.mark.parametrize("content, needle", [
    ("{not json", "baseline is not valid JSON"),
    ('{"version": 1}', "not a compatlint baseline"),
    ('{"version": 1, "findings": [{"code": "CL102"}]}', 'need a "fingerprint"'),
])
def test_bad_baseline_file_is_exit_2_naming_the_file(shop, content, needle):
    (shop.path / "bl.json").write_text(content)
    run = cli(shop.path, "check", "--base", "HEAD", "--baseline", "bl.json")
    assert run.exit_code == 2, run
    assert run.stdout == ""
    assert run.stderr.startswith("compatlint: error: bl.json") and needle in run.stderr


def test_baseline_output_in_a_missing_folder_is_a_clear_error(shop):
    done = subprocess.run([console_script(), "baseline", "--base", "HEAD", "-o", "missing/baseline.json"], cwd=shop.path,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.startswith("compatlint: error: missing/baseline.json"), done.stderr
    assert "internal error" not in done.stderr


# === configuration =============================================================================

PGSQL_WITHOUT_CL102 = 'platform = "pgsql"\nignore = ["CL102"]\n'


def breaking_change(repo) -> None:
    """Staged: CL102 (error) and CL905 (a warning on MySQL, an error on PostgreSQL)."""
    stage(repo, LOYALTY, loyalty(drop=("legacy_code",), extra=(column(LONG_NAME, "VARCHAR", size="8"),)))


def test_defaults_without_a_config_file(shop):
    breaking_change(shop)
    run = check(shop.path / "src" / "Pyz")
    assert run.json()["platform"] == "mysql"
    assert run.exit_code == 1, run
    assert [(f["code"], f["severity"]) for f in run.json()["findings"]] == [("CL102", "error"), ("CL905", "warning")]


@pytest.mark.parametrize("name, text", [
    ("compatlint.toml", PGSQL_WITHOUT_CL102),
    (".compatlint.toml", PGSQL_WITHOUT_CL102),
    ("pyproject.toml", '[project]\nname = "shop"\n\n[tool.compatlint]\n' + PGSQL_WITHOUT_CL102),
])
def test_config_is_found_upward_from_a_subfolder(shop, name, text):
    shop.write(name, text)
    breaking_change(shop)
    sub = shop.path / "src" / "Pyz" / "Zed"

    run = check(sub)

    assert run.exit_code == 1, run
    payload = run.json()
    assert payload["platform"] == "pgsql"
    assert [(f["code"], f["severity"]) for f in payload["findings"]] == [("CL905", "error")]
    # machine formats name files relative to the repository root, wherever the command runs
    assert (shop.path / payload["findings"][0]["path"]).resolve() == (shop.path / LOYALTY).resolve()
    text = check(sub, "--format", "text")
    assert f"{os.path.relpath(shop.path / LOYALTY, sub)}:" in text.stdout


def test_nearest_config_wins_and_a_pyproject_without_the_section_is_passed_over(shop):
    shop.write("compatlint.toml", PGSQL_WITHOUT_CL102)
    shop.write("src/pyproject.toml", '[tool.black]\nline-length = 100\n')
    breaking_change(shop)

    assert check(shop.path / "src").json()["platform"] == "pgsql"

    # globs are relative to the folder of the configuration file in use (like ruff's)
    shop.write("src/Pyz/.compatlint.toml",
               'select = ["column-dropped"]\n[schema]\nproject = ["Zed/*/Persistence/Propel/Schema/*_*.schema.xml"]\n')
    run = check(shop.path / "src" / "Pyz" / "Zed")
    assert (run.json()["platform"], run.found) == ("mysql", [("CL102", "pyz_loyalty_account", "legacy_code")])


def test_config_file_names_in_one_folder_are_read_in_the_documented_order(shop):
    shop.write("compatlint.toml", 'ignore = ["CL905"]\n')
    shop.write(".compatlint.toml", 'ignore = ["CL102"]\n')
    shop.write("pyproject.toml", '[tool.compatlint]\nplatform = "pgsql"\n')
    breaking_change(shop)

    run = check(shop.path)
    assert (run.json()["platform"], run.found) == ("mysql", [("CL102", "pyz_loyalty_account", "legacy_code")])


def test_explicit_config_option(shop, tmp_path):
    elsewhere = tmp_path / "team.toml"
    elsewhere.write_text(PGSQL_WITHOUT_CL102)
    shop.write("compatlint.toml", 'platform = "mysql"\n')
    breaking_change(shop)

    run = check(shop.path, "--config", str(elsewhere))
    assert (run.json()["platform"], run.found) == ("pgsql", [("CL905", "pyz_loyalty_account", LONG_NAME)])


def test_command_line_flags_win_over_the_config(shop):
    shop.write("compatlint.toml", 'platform = "pgsql"\nfail-on = "info"\nselect = ["CL9"]\n')
    breaking_change(shop)

    from_config = check(shop.path)
    assert (from_config.exit_code, from_config.json()["platform"], from_config.found) == \
        (1, "pgsql", [("CL905", "pyz_loyalty_account", LONG_NAME)])

    run = check(shop.path, "--platform", "mysql", "--fail-on", "error")
    assert (run.exit_code, run.json()["platform"]) == (0, "mysql"), run  # CL905 is only a warning on MySQL
    run = check(shop.path, "--select", "CL1")
    assert run.found == [("CL102", "pyz_loyalty_account", "legacy_code")]


def test_schema_globs_from_the_config(make_repo):
    repo = make_repo("plain")
    layout = "database/loyalty/loyalty.schema.xml"
    repo.write(layout, loyalty())
    repo.commit("v1")
    stage(repo, layout, loyalty(drop=("legacy_code",)))

    assert cli(repo.path, "check").stdout == "No schema or transfer file staged.\n"  # not where Spryker looks

    repo.write("compatlint.toml", '[schema]\nproject = ["database/*/*.schema.xml"]\n')
    run = check(repo.path / "database")
    assert run.exit_code == 1, run
    assert run.found == [("CL102", "pyz_loyalty_account", "legacy_code")]
    assert run.json()["findings"][0]["path"] == layout  # relative to the repository root


def test_schema_globs_are_relative_to_the_config_file(make_repo):
    repo = make_repo("monorepo")
    repo.write("shop/" + LOYALTY, loyalty())
    repo.write("shop/compatlint.toml", '[schema]\nproject = ["src/*/Zed/*/Persistence/Propel/Schema/*_*.schema.xml"]\n')
    repo.write("infra/README.md", "deploy scripts\n")
    repo.commit("v1")
    repo.write("shop/" + LOYALTY, loyalty(drop=("legacy_code",)))
    repo.commit("drop legacy_code")

    run = check(repo.path / "shop", "--base", "HEAD~1")

    assert run.exit_code == 1, run
    assert run.found == [("CL102", "pyz_loyalty_account", "legacy_code")]
    assert run.json()["findings"][0]["path"] == "shop/" + LOYALTY  # relative to the repository root


def test_feature_folders_can_be_left_out(shop):
    def referral(*columns: str) -> str:
        return (HEADER.format(module="Loyalty") + '    <table name="pyz_loyalty_referral">\n'
                + "".join(f"        {c}\n" for c in (column("id_loyalty_referral", primaryKey="true"), *columns))
                + "    </table>\n</database>\n")

    shop.write(FEATURE, referral(column("code", "VARCHAR", size="8")))
    shop.commit("referral feature schema")
    stage(shop, FEATURE, referral())

    assert check(shop.path).found == [("CL102", "pyz_loyalty_referral", "code")]
    assert check(shop.path, "--no-feature-folders").found == []
    shop.write("compatlint.toml", "[schema]\nfeature-folders = false\n")
    run = check(shop.path)
    assert (run.exit_code, run.found) == (0, []), run


THREE_RULES = [("CL102", "pyz_loyalty_account", "legacy_code"), ("CL208", "pyz_loyalty_account", "fk_customer"),
               ("CL201", "pyz_loyalty_account", "must")]


@pytest.mark.parametrize("config, expected", [
    ('select = ["CL1"]', ["CL102"]),
    ('select = ["column-dropped", "CL208"]', ["CL102", "CL208"]),
    ('ignore = ["CL2"]', ["CL102"]),
    ('ignore = ["column-made-nullable", "CL201"]', ["CL102"]),
    ('select = ["CL2"]\nignore = ["CL208"]', ["CL201"]),
], ids=["select-prefix", "select-name-and-code", "ignore-prefix", "ignore-name-and-code", "select-and-ignore"])
def test_select_and_ignore_by_code_prefix_or_name(shop, config, expected):
    stage(shop, LOYALTY, loyalty(drop=("legacy_code",), nullable_fk=True, extra=(MUST,)))
    assert sorted(check(shop.path).found) == sorted(THREE_RULES)
    shop.write("compatlint.toml", config + "\n")

    run = check(shop.path)

    assert sorted(f[0] for f in run.found) == sorted(expected), run


def test_severity_overrides_by_code_or_name(shop):
    stage(shop, LOYALTY, loyalty(drop=("legacy_code",), nullable_fk=True))
    assert check(shop.path).exit_code == 1
    shop.write("compatlint.toml", '[severity]\nCL102 = "warning"\ncolumn-made-nullable = "info"\n')

    run = check(shop.path)

    assert run.exit_code == 0, run
    assert {f["code"]: f["severity"] for f in run.json()["findings"]} == {"CL102": "warning", "CL208": "info"}
    assert run.json()["summary"] == {"error": 0, "warning": 1, "info": 1}
    assert check(shop.path, "--fail-on", "warning").exit_code == 1


def test_fail_on_from_the_config(shop):
    stage(shop, LOYALTY, loyalty(nullable_fk=True))  # CL208 only: a warning
    assert check(shop.path).exit_code == 0
    shop.write("compatlint.toml", 'fail-on = "warning"\n')
    assert check(shop.path).exit_code == 1
    assert check(shop.path, "--fail-on", "error").exit_code == 0


def test_per_path_ignores(shop):
    stage(shop, LOYALTY, loyalty(drop=("legacy_code",)))
    stage(shop, REWARD, reward(drop_title=True))
    assert sorted(check(shop.path).found) == [("CL102", "pyz_loyalty_account", "legacy_code"),
                                              ("CL102", "pyz_reward", "title")]
    shop.write("compatlint.toml", '[per-path-ignores]\n"src/Pyz/Zed/Loyalty/**" = ["column-dropped"]\n')

    run = check(shop.path / "src")

    assert run.found == [("CL102", "pyz_reward", "title")], run


@pytest.mark.parametrize("text, named", [
    ("colour = true", "unknown key `colour`"),
    ("[schema]\nprojekt = []", "unknown key `schema.projekt`"),
    ('platform = "oracle"', "`platform` = 'oracle'"),
    ('fail-on = "fatal"', "`fail-on` = 'fatal'"),
    ('[severity]\nCL102 = "fatal"', "`severity.CL102` = 'fatal'"),
    ('[severity]\nCL999 = "error"', "`severity.CL999` names unknown rule 'CL999'"),
    ('severity = "error"', "`severity` must be a table"),
    ('select = ["CL999"]', "`select` names unknown rule 'CL999'"),
    ("ignore = [1]", "`ignore` must be a list of strings"),
    ('require-reason = "no"', "`require-reason` must be true or false"),
    ('[per-path-ignores]\n"src/**" = ["no-such-rule"]', "`per-path-ignores.src/**` names unknown rule 'no-such-rule'"),
    ("baseline = 1", "`baseline` must be a path"),
    ('[schema]\nfeature-folders = "no"', "`schema.feature-folders` must be true or false"),
    ('[schema]\nproject = "src/*.xml"\ncore = [1]', "`schema.core` must be a list of strings"),
], ids=lambda value: re.sub(r"\W+", "-", value)[:30])
def test_bad_config_is_exit_2_naming_the_file_and_the_key(shop, text, named):
    shop.write("compatlint.toml", text + "\n")
    breaking_change(shop)

    run = cli(shop.path / "src", "check")

    assert run.exit_code == 2, run
    assert run.stdout == ""
    [line] = run.stderr.strip().splitlines()
    assert line.startswith(f"compatlint: error: {shop.path / 'compatlint.toml'}: "), line
    assert named in line, line


@pytest.mark.parametrize("command", [("check",), ("audit", "--all"), ("baseline",)])
def test_bad_pyproject_section_stops_every_command(shop, command):
    shop.write("pyproject.toml", '[tool.compatlint]\nplatfrom = "pgsql"\n')
    run = cli(shop.path / "src", *command)
    assert run.exit_code == 2, run
    assert run.stderr.startswith(f"compatlint: error: {shop.path / 'pyproject.toml'}: unknown key `platfrom`"), run


def test_invalid_toml_names_the_file(shop):
    shop.write(".compatlint.toml", "this is = = not toml\n")
    run = cli(shop.path, "check")
    assert run.exit_code == 2, run
    assert run.stderr.startswith(f"compatlint: error: {shop.path / '.compatlint.toml'}: invalid TOML"), run
