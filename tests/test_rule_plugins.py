"""Third-party rules, installed as a distribution declaring the `compatlint.rules` entry point group: they
run next to the built-in ones (only for the events they handle), are listed and explained, and a plugin
that takes a built-in code is refused (exit 2). The distribution is real metadata on the path, found by
`importlib.metadata` exactly as a pip-installed one is."""

import os
import subprocess
import json
import sys

from cli_runner import console_script  # noqa: F401 - puts tests/ helpers on the path like the other tests

PLUGIN = '''
from compatlint.changes import ColumnRemoved
from compatlint.findings import Severity
from compatlint.rule import Example, Rule, expect

TABLE = '<table name="t"><column name="id" type="INTEGER" primaryKey="true"/>{}</table>'


class AuditTrailDropped(Rule):
    """A column named `audit_*` is dropped.

    What it flags:
        Dropping an audit trail column.
    Why V1 breaks:
        V1's audit writer still fills it.
    Safe path:
        Keep audit columns.
    Platforms:
        Both.
    """

    code = "{code}"
    name = "audit-trail-dropped"
    severity = Severity.WARNING
    handles = (ColumnRemoved,)

    def check(self, event, ctx):
        if event.column.name.startswith("audit_"):
            self.report(ctx, event, f"{{event.base.name}}.{{event.column.name}} is an audit trail",
                        column=event.column.name)

    VALID = (Example(before=TABLE.format(""), after=TABLE.format("")),
             Example(before=TABLE.format('<column name="x" type="INTEGER"/>'), after=TABLE.format("")))
    INVALID = (Example(before=TABLE.format('<column name="audit_at" type="TIMESTAMP"/>'), after=TABLE.format(""),
                       expect=(expect("{code}", "t", "audit_at"),)),
               Example(before=TABLE.format('<column name="audit_by" type="INTEGER"/>'), after=TABLE.format(""),
                       expect=(expect("{code}", "t", "audit_by"),)))
'''


def _install(root, code: str) -> str:
    """A distribution `acme-rules` with module `acme_rules` declaring the entry point; returns the path entry."""
    site = root / "site"
    (site / "acme_rules_dist-1.0.dist-info").mkdir(parents=True)
    (site / "acme_rules.py").write_text(PLUGIN.replace("{code}", code).replace("{{", "{").replace("}}", "}"))
    info = site / "acme_rules_dist-1.0.dist-info"
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-rules-dist\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[compatlint.rules]\nacme = acme_rules\n")
    return str(site)


def _compatlint(site: str, cwd, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=site)
    return subprocess.run([sys.executable, "-m", "compatlint", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=60)


def _schemas(root, dropped: str):
    base, head = root / "base", root / "head"
    for folder, extra in ((base, f'<column name="{dropped}" type="INTEGER"/>'), (head, "")):
        folder.mkdir()
        (folder / "shop.schema.xml").write_text(
            f'<database name="zed"><table name="spy_shop"><column name="id" type="INTEGER" primaryKey="true"/>'
            f'{extra}</table></database>')
    return str(base), str(head)


def test_a_plugin_rule_runs_beside_the_built_in_ones(tmp_path):
    site = _install(tmp_path, "CL950")
    base, head = _schemas(tmp_path, "audit_at")
    done = _compatlint(site, tmp_path, "check", "--base-dir", base, "--head-dir", head, "--format", "json")
    assert done.returncode == 1, done.stderr
    codes = {(f["code"], f["column"]) for f in json.loads(done.stdout)["findings"]}
    assert ("CL950", "audit_at") in codes and ("CL102", "audit_at") in codes
    listed = _compatlint(site, tmp_path, "rules")
    assert "CL950" in listed.stdout and "audit-trail-dropped" in listed.stdout
    explained = _compatlint(site, tmp_path, "explain", "audit-trail-dropped")
    assert explained.returncode == 0 and "V1's audit writer" in explained.stdout


def test_a_plugin_rule_can_be_ignored_and_suppressed_by_its_name(tmp_path):
    site = _install(tmp_path, "CL950")
    base, head = _schemas(tmp_path, "audit_at")
    (tmp_path / ".compatlint.toml").write_text('ignore = ["audit-trail-dropped"]\n')
    done = _compatlint(site, tmp_path, "check", "--base-dir", base, "--head-dir", head, "--format", "json")
    assert done.returncode == 1, done.stderr
    codes = {f["code"] for f in json.loads(done.stdout)["findings"]}
    assert "CL950" not in codes and "CL102" in codes


def test_a_plugin_taking_a_built_in_code_is_refused(tmp_path):
    site = _install(tmp_path, "CL102")
    base, head = _schemas(tmp_path, "audit_at")
    done = _compatlint(site, tmp_path, "check", "--base-dir", base, "--head-dir", head)
    assert done.returncode == 2
    assert "duplicate rule code or name 'CL102'" in done.stderr
    assert "Traceback" not in done.stderr


def test_without_the_plugin_its_rule_is_unknown(tmp_path):
    base, head = _schemas(tmp_path, "audit_at")
    done = _compatlint(str(tmp_path / "nothing"), tmp_path, "check", "--base-dir", base, "--head-dir", head,
                       "--format", "json")
    assert done.returncode == 1 and done.stderr == ""
    assert "CL950" not in done.stdout and "CL102" in done.stdout
