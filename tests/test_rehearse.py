"""`compatlint rehearse`: DSNs and redaction, connection errors, and rehearsals of the demo on real servers.

The database tests use the `db_servers` fixture (tests/conftest.py): they skip with the reason when a server is
unreachable, and fail instead when COMPATLINT_REQUIRE_DATABASES=1 (as .ci/run sets it).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest
from click.testing import CliRunner

from compatlint.cli import main
from compatlint.rehearse import (SCRATCH_PREFIX, RehearsalError, Session, _alter_clauses, connect, parse_dsn,
                                 predicted_migration, value_for)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEMO = os.path.join(ROOT, "fixtures", "demo")
PLATFORMS = ["mysql", "pgsql"]


def cli(*args: str):
    return CliRunner().invoke(main, ["rehearse", *args], catch_exceptions=False)


def demo_args(dsn: str, head: str = "v2") -> list[str]:
    return ["--base-dir", os.path.join(DEMO, "v1"), "--head-dir", os.path.join(DEMO, head), "--dsn", dsn]


def scratch_exists(dsn: str, name: str) -> bool:
    server = connect(dsn)
    try:
        return server.scratch_exists(name)
    finally:
        server.close()


def scratch_names(dsn: str) -> set[str]:
    """Scratch databases (MySQL) or schemas (PostgreSQL) on the server, from information_schema / pg_namespace."""
    server = connect(dsn)
    try:
        if server.platform == "mysql":
            rows = server.execute("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE %s",
                                  (SCRATCH_PREFIX + "%",))
        else:
            rows = server.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE %s", (SCRATCH_PREFIX + "%",))
        return {row[0] for row in rows}
    finally:
        server.close()


def demo_result(platform: str, head: str = "v2"):
    from compatlint.api import lint_directories

    return lint_directories(os.path.join(DEMO, "v1"), os.path.join(DEMO, head), platform)


# --- DSN and redaction (no server needed) --------------------------------------------------------------------------

def test_dsn_platform_defaults_and_redaction():
    dsn = parse_dsn("mysql://root:s3cr%40t@db.example:3307/shop")
    assert (dsn.platform, dsn.host, dsn.port, dsn.user, dsn.password, dsn.database) == \
        ("mysql", "db.example", 3307, "root", "s3cr@t", "shop")
    assert dsn.redacted() == "mysql://root:***@db.example:3307/shop"
    assert "s3cr" not in str(dsn) and "s3cr" not in repr(dsn)
    assert parse_dsn("postgresql://postgres@127.0.0.1/test").redacted() == "postgresql://postgres@127.0.0.1:5432/test"
    assert parse_dsn("mariadb://root@localhost").platform == "mysql"
    assert parse_dsn("postgres://u@h/d?sslmode=disable&password=x1y2z3").redacted() == \
        "postgres://u@h:5432/d?sslmode=disable&password=***"
    assert parse_dsn("mysql://root:pw@h/d").scrub("Access denied for pw-user with\npassword pw") == \
        "Access denied for pw-user with password pw"  # too short to scrub safely, but on one line
    assert parse_dsn("mysql://root:longsecret@h/d").scrub("echo longsecret") == "echo ***"


@pytest.mark.parametrize("text", ["oracle://u:hunter22@h/d", "mysql:/nohost", "postgresql://u:hunter22@h:99999/d"])
def test_bad_dsn_is_a_usage_error_without_the_password(text):
    with pytest.raises(RehearsalError) as caught:
        parse_dsn(text)
    assert "hunter22" not in str(caught.value)
    run = cli(*demo_args(text))
    assert run.exit_code == 2
    assert "hunter22" not in run.output and "expected mysql://" in run.output


@pytest.mark.parametrize("dsn", ["mysql://root:hunter22@127.0.0.1:1/test",
                                 "postgresql://postgres:hunter22@127.0.0.1:1/test"])
def test_connection_error_is_one_line_naming_the_dsn_without_password(dsn):
    run = CliRunner().invoke(main, ["rehearse", *demo_args(dsn)])
    assert run.exit_code == 2, run.output
    lines = run.output.strip().splitlines()
    assert len(lines) == 1, run.output
    assert lines[0].startswith(f"compatlint: error: cannot connect to {parse_dsn(dsn).redacted()}: ")
    assert "hunter22" not in run.output


def test_platform_option_must_match_the_dsn():
    run = cli(*demo_args("mysql://root@127.0.0.1/test"), "--platform", "pgsql")
    assert run.exit_code == 2
    assert "does not match --dsn" in run.output


def test_merged_alter_clauses_and_full_width_values():
    assert _alter_clauses("ALTER TABLE `t`\n\n  CHANGE `a` `a` DECIMAL(10,2),\n\n  DROP `b`") == \
        ["ALTER TABLE `t`", "CHANGE `a` `a` DECIMAL(10,2)", "DROP `b`"]
    assert _alter_clauses('ALTER TABLE "t" ADD "x" INTEGER') == []
    from compatlint.model import Column

    assert len(value_for(Column("c", "VARCHAR", size=16), "mysql", 0)) == 16
    assert value_for(Column("c", "INTEGER"), "mysql", 0) > 32767  # does not fit a SMALLINT
    assert str(value_for(Column("c", "DECIMAL", size=6, scale=2), "pgsql", 0)) == "9999.99"
    assert value_for(Column("c", "ENUM", value_set=("a", "b", "c")), "mysql", 4) == 1


def test_predicted_migration_drops_the_serial_sequence():
    """autoIncrement off on PostgreSQL without an id-method-parameter drops `<table>_<column>_seq`
    (PgsqlPlatform::getModifyColumnDDL; the live database's sequences are known to Propel at deploy time)."""
    from compatlint.api import compare, finalize
    from compatlint.testing import example_files

    before = ('<table name="pyz_alpha" idMethod="native"><column name="id_alpha" type="INTEGER" primaryKey="true" '
              'autoIncrement="true"/><column name="c0" type="INTEGER"/></table>')
    after = before.replace(' autoIncrement="true"', "")
    result = finalize(compare(example_files(before), example_files(after), "pgsql"))
    sql = [s.sql for s in predicted_migration(result.events, "pgsql")]
    assert "DROP SEQUENCE pyz_alpha_id_alpha_seq CASCADE" in sql


# --- rehearsals on real servers ------------------------------------------------------------------------------------

EXPECTED = {  # the server's own words for each of the demo's error findings
    "mysql": {
        ("CL201", "loyalty_level"): "doesn't have a default value",
        ("CL402", "points_total"): "Unknown column",
        ("CL207", "status"): "to V1 and",
        ("CL102", "legacy_code"): "Unknown column",
        ("CL301", "referral_code"): "Duplicate entry",
        ("CL103", "created_at"): "Unknown column",
        ("CL103", "updated_at"): "Unknown column",
    },
    "pgsql": {
        ("CL201", "loyalty_level"): "contains null values",
        ("CL402", "points_total"): "does not exist",
        ("CL207", "status"): "to V1 and",
        ("CL102", "legacy_code"): "does not exist",
        ("CL301", "referral_code"): "is duplicated",
        ("CL103", "created_at"): "does not exist",
        ("CL103", "updated_at"): "does not exist",
    },
}


@pytest.mark.parametrize("platform", PLATFORMS)
def test_demo_errors_are_confirmed_with_the_servers_messages(db_servers, platform):
    dsn = db_servers(platform)
    run = cli(*demo_args(dsn), "--format", "json")
    assert run.exit_code == 1, run.output
    report = json.loads(run.output)
    assert report["platform"] == platform and report["version"] == 1
    errors = {(f["code"], f["column"]): f for f in report["findings"] if f["severity"] == "error"}
    assert set(errors) == set(EXPECTED[platform])
    for key, words in EXPECTED[platform].items():
        finding = errors[key]
        assert finding["outcome"] == "confirmed", finding
        assert any(words in e["error"] for e in finding["evidence"]), (key, finding["evidence"])
        assert all(e["sql"] for e in finding["evidence"])
    moved = [f for f in report["findings"] if f["code"] == "CL404"]
    assert moved and moved[0]["outcome"] == "not reproduced" and moved[0]["reason"]
    assert report["missed"] == []
    assert report["summary"]["error"] == {"findings": 7, "confirmed": 7, "not_reproduced": 0}
    assert report["scratch"]["dropped"] and not report["scratch"]["kept"]
    assert report["scratch"]["name"].startswith(SCRATCH_PREFIX)
    assert not scratch_exists(dsn, report["scratch"]["name"])
    assert report["server"]["dsn"] == parse_dsn(dsn).redacted()


@pytest.mark.parametrize("platform", PLATFORMS)
def test_demo_text_report(db_servers, platform):
    dsn = db_servers(platform)
    run = cli(*demo_args(dsn))
    assert run.exit_code == 1
    text = run.output
    assert "CL402 column-renamed [error] pyz_loyalty_account.points_total: confirmed" in text
    assert "CL404 table-moved [info] pyz_loyalty_tier: not reproduced" in text
    assert "7 errors: 7 confirmed, 0 not reproduced" in text and "0 missed breakages" in text
    name = next(line.split()[2] for line in text.splitlines()
                if line.startswith("scratch ") and line.endswith(" dropped"))
    assert name.startswith(SCRATCH_PREFIX)
    assert name not in scratch_names(dsn)  # nothing left behind (other runs may have their own in flight)


@pytest.mark.parametrize("platform", PLATFORMS)
def test_safe_change_passes(db_servers, platform):
    run = cli(*demo_args(db_servers(platform), head="v2-safe"))
    assert run.exit_code == 0, run.output
    assert "0 missed breakages" in run.output
    assert "not reproduced" in run.output  # the CL207 append warning needs data V2 writes


@pytest.mark.parametrize("platform", PLATFORMS)
def test_a_failure_without_finding_is_a_missed_breakage(db_servers, platform):
    """With CL102 left out, the dropped column's failures are explained by nothing: missed breakages, exit 1."""
    run = cli(*demo_args(db_servers(platform), head="v2"), "--ignore", "CL102", "--format", "json",
              "--fail-on", "error")
    assert run.exit_code == 1
    report = json.loads(run.output)
    missed = {(m["table"], m["column"]) for m in report["missed"]}
    assert ("pyz_loyalty_account", "legacy_code") in missed
    assert all(m["error"] and m["sql"] for m in report["missed"])


@pytest.mark.parametrize("platform", PLATFORMS)
def test_stop_at_failure_behaves_like_propel(db_servers, platform):
    dsn = db_servers(platform)
    report = Session(dsn).rehearse(demo_result(platform), stop_at_failure=True)
    assert report.migration_stopped_at is not None
    failed = [f for f in report.failures if f.phase == "migration"]
    assert len(failed) == 1
    if platform == "pgsql":  # the whole migration is rolled back: V1 keeps working, nothing else to confirm
        assert report.workload_statements == 0
        assert {o.finding.code for o in report.outcomes if o.confirmed} == {"CL301"}
        assert "stopped at statement" in next(o.reason for o in report.outcomes if o.finding.code == "CL402")
    else:  # MySQL DDL before the failure stays applied
        assert {"CL301", "CL402", "CL102"} <= {o.finding.code for o in report.outcomes if o.confirmed}
    assert report.dropped and not scratch_exists(dsn, report.scratch)


@pytest.mark.parametrize("platform", PLATFORMS)
@pytest.mark.parametrize("kind", ["sql", "php"])
def test_committed_migration(db_servers, platform, kind, tmp_path):
    dsn = db_servers(platform)
    plan_run = CliRunner().invoke(main, ["plan", "--base-dir", os.path.join(DEMO, "v1"), "--head-dir",
                                         os.path.join(DEMO, "v2"), "--platform", platform])
    sql = plan_run.output.split("\n", 1)[1]
    if kind == "sql":
        path = tmp_path / "migration.sql"
        path.write_text(sql)
    else:
        path = tmp_path / "PropelMigration_1700000000.php"
        path.write_text("<?php\n\nclass PropelMigration_1700000000\n{\n    public function getUpSQL(): array\n    {\n"
                        f"        $connection_zed = <<< 'EOT'\n{sql}\nEOT;\n\n"
                        "        return ['zed' => $connection_zed];\n    }\n}\n")
    run = cli(*demo_args(dsn), "--migration", str(path), "--format", "json")
    assert run.exit_code == 1, run.output
    report = json.loads(run.output)
    assert report["migration"]["source"] == str(path)
    assert report["summary"]["error"]["confirmed"] == 7


@pytest.mark.parametrize("platform", PLATFORMS)
def test_keep_leaves_the_scratch_database_and_names_it(db_servers, platform):
    dsn = db_servers(platform)
    run = cli(*demo_args(dsn), "--keep")
    name = next(line.split()[2] for line in run.output.splitlines() if line.startswith("scratch ") and "kept" in line)
    server = connect(dsn)
    try:
        assert server.scratch_exists(name)
        server.drop_scratch(name)
        assert not server.scratch_exists(name)
    finally:
        server.close()


@pytest.mark.parametrize("platform", PLATFORMS)
@pytest.mark.parametrize("exception", [RuntimeError, KeyboardInterrupt])
def test_scratch_is_dropped_on_exception_and_ctrl_c(db_servers, platform, exception):
    dsn = db_servers(platform)
    seen = []

    def phase(name, report):
        if name == "migrated":
            seen.append(report.scratch)
            assert scratch_exists(dsn, report.scratch)
            raise exception("boom")

    with Session(dsn) as session:
        with pytest.raises(exception):
            session.rehearse(demo_result(platform), on_phase=phase)
        assert seen and not scratch_exists(dsn, seen[0])
        assert session.rehearse(demo_result(platform, "v2-safe")).dropped  # the session is still usable


_SIGNAL_SCRIPT = textwrap.dedent("""
    import sys, time
    from compatlint.api import lint_directories
    from compatlint.rehearse import rehearse
    dsn, platform, base, head = sys.argv[1:5]

    def phase(name, report):
        if name == "seeded":
            print("SCRATCH", report.scratch, flush=True)
            time.sleep(60)

    rehearse(lint_directories(base, head, platform), dsn, on_phase=phase)
""")


@pytest.mark.parametrize("platform", PLATFORMS)
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_scratch_is_dropped_when_the_process_is_interrupted(db_servers, platform, signum):
    dsn = db_servers(platform)
    process = subprocess.Popen(
        [sys.executable, "-c", _SIGNAL_SCRIPT, dsn, platform, os.path.join(DEMO, "v1"), os.path.join(DEMO, "v2")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        line = process.stdout.readline()
        assert line.startswith("SCRATCH "), line + process.stderr.read()
        name = line.split()[1]
        assert scratch_exists(dsn, name)
        process.send_signal(signum)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stdout.close()
        process.stderr.close()
    assert process.returncode != 0
    deadline = time.time() + 5
    while scratch_exists(dsn, name) and time.time() < deadline:
        time.sleep(0.1)
    assert not scratch_exists(dsn, name)


@pytest.mark.parametrize("require, outcome", [("", "1 skipped"), ("1", "1 failed")])
def test_an_unreachable_server_skips_unless_databases_are_required(require, outcome):
    """What a machine without servers sees (skip, with the reason), and what CI sees (failure)."""
    env = dict(os.environ, COMPATLINT_MYSQL_DSN="mysql://root:hunter22@127.0.0.1:1/test",
               COMPATLINT_REQUIRE_DATABASES=require)
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider",
                           "tests/test_rehearse.py::test_safe_change_passes[mysql]"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert outcome in done.stdout, done.stdout + done.stderr
    assert "MariaDB/MySQL not reachable (cannot connect to mysql://root:***@127.0.0.1:1/test" in done.stdout
    assert "hunter22" not in done.stdout
