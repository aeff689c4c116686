"""Regression tests for transfer-file defects found in review: symbolic links, where a conflict is
reported, typed scalar arrays, and messages/config around transfer files. Real temporary git repositories."""

from __future__ import annotations

import os

import pytest

from cli_runner import cli
from compatlint.transfers.examples import prop, transfer, transfer_file

LOYALTY = "src/Pyz/Shared/Loyalty/Transfer/loyalty.transfer.xml"
OUTSIDE = "docs/loyalty.transfer.xml"  # matches no transfer pattern
CART = "src/Pyz/Shared/Cart/Transfer/cart.transfer.xml"
CORE_CART = "vendor/spryker/cart/src/Spryker/Shared/Cart/Transfer/cart.transfer.xml"
AAA = "src/Pyz/Shared/Aaa/Transfer/aaa.transfer.xml"
ZOO = "src/Pyz/Shared/Zoo/Transfer/zoo.transfer.xml"

ACCOUNT = transfer_file(transfer("LoyaltyAccount", prop("idLoyaltyAccount", "int"), prop("code", "string")))
OTHER = transfer_file(transfer("LoyaltyTier", prop("name", "string")))


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def link(root, rel: str, target: str) -> None:
    full = os.path.join(root, rel)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    if os.path.lexists(full):
        os.remove(full)
    os.symlink(target, full)


@pytest.fixture
def project(make_repo):
    repo = make_repo()
    repo.write(".gitignore", "vendor/\n")
    repo.write(LOYALTY, ACCOUNT)
    repo.write("src/Pyz/Shared/Tier/Transfer/tier.transfer.xml", OTHER)
    repo.commit("v1")
    return repo


def _assert_link_refused(run, path: str) -> None:
    assert run.exit_code == 2, run
    found = [(f["code"], f["path"]) for f in run.json()["findings"]]
    assert ("CL901", path) in found, found
    assert not [code for code, _ in found if code in ("CL701", "CL702")], found  # not taken as removed
    cl901 = next(f for f in run.json()["findings"] if f["code"] == "CL901")
    assert "symbolic link" in cl901["message"] and "transfer file" in cl901["message"]


# 1. Symbolic links: CL901 naming the link, exit 2, its transfers left out of the comparison.

def test_symlinked_transfer_file_in_the_index_is_refused_not_a_removal(project):
    project.write(OUTSIDE, ACCOUNT)
    project.remove(LOYALTY)
    link(project.path, LOYALTY, os.path.relpath(project.path / OUTSIDE, (project.path / LOYALTY).parent))
    project.add()
    _assert_link_refused(cli(project.path, "check", "--format", "json"), LOYALTY)


def test_symlinked_transfer_file_between_revisions_is_refused(project):
    project.write(OUTSIDE, ACCOUNT)
    project.remove(LOYALTY)
    link(project.path, LOYALTY, "../../../../../docs/loyalty.transfer.xml")
    project.commit("link")
    _assert_link_refused(cli(project.path, "check", "--base", "HEAD~1", "--head", "HEAD", "--format", "json"),
                         LOYALTY)


def test_symlinked_transfer_file_in_directory_mode_is_refused(tmp_path):
    for side in ("v1", "v2"):
        (tmp_path / side / LOYALTY).parent.mkdir(parents=True)
    (tmp_path / "v1" / LOYALTY).write_text(ACCOUNT)
    (tmp_path / "elsewhere.xml").write_text(ACCOUNT)
    os.symlink(tmp_path / "elsewhere.xml", tmp_path / "v2" / LOYALTY)
    run = cli(tmp_path, "check", "--base-dir", "v1", "--head-dir", "v2", "--format", "json")
    _assert_link_refused(run, f"v2/{LOYALTY}")
    assert "no schema file matches" not in run.stderr  # it is the only transfer file, and it is named


# 2. A conflict is reported where the change is, naming the other definition.

def test_conflict_with_an_untouched_vendor_file_is_reported_at_the_edited_project_file(project):
    project.write(CORE_CART, transfer_file(transfer("Quote", prop("idQuote", "int"), prop("currency", "string"))))
    project.write(CART, transfer_file(transfer("Quote", prop("idQuote", "int"), prop("loyalty", "int"))))
    project.commit("project extends the core quote")
    edited = transfer_file(transfer("Quote", prop("idQuote", "string"), prop("loyalty", "int")))
    project.write(CART, edited)
    project.add()
    run = cli(project.path, "check", "--format", "json")
    assert run.exit_code == 1, run
    conflicts = [f for f in run.json()["findings"] if f["code"] == "CL707"]
    assert [(f["path"], f["line"], f["column"]) for f in conflicts] == [
        (CART, line_of(edited, 'name="idQuote"'), "idQuote")]
    assert CORE_CART in conflicts[0]["message"]
    github = cli(project.path, "check", "--format", "github").stdout
    assert f"file={CART}," in github and "file=vendor/" not in github


def test_conflict_between_two_existing_project_files_is_reported_at_the_edited_one(project):
    zoo = transfer_file(transfer("Quote", prop("idQuote", "int")))
    project.write(AAA, transfer_file(transfer("Quote", prop("name", "string"), prop("idQuote", "int"))))
    project.write(ZOO, zoo)
    project.commit("two project definitions")
    edited = transfer_file(transfer("Quote", prop("name", "string"), prop("idQuote", "string")))
    project.write(AAA, edited)
    project.add()
    run = cli(project.path, "check", "--format", "json")
    assert run.exit_code == 1, run
    conflicts = [f for f in run.json()["findings"] if f["code"] == "CL707"]
    assert [(f["path"], f["line"]) for f in conflicts] == [(AAA, line_of(edited, 'name="idQuote"'))]
    zoo_line = line_of(zoo, 'name="idQuote"')
    assert f"{ZOO}:{zoo_line}" in conflicts[0]["message"]


# 3. Typed scalar arrays are plain PHP arrays, like `array`.

@pytest.mark.parametrize(("before", "after"), [("string[]", "array"), ("array", "string[]"), ("int[]", "[]")])
def test_typed_scalar_array_to_array_is_no_type_change(project, before, after):
    project.write(LOYALTY, transfer_file(transfer("LoyaltyAccount", prop("codes", before))))
    project.commit("codes")
    project.write(LOYALTY, transfer_file(transfer("LoyaltyAccount", prop("codes", after))))
    project.add()
    run = cli(project.path, "check", "--format", "json")
    assert (run.exit_code, run.json()["findings"]) == (0, []), run


@pytest.mark.parametrize(("before", "after"), [("string[]", "LoyaltyTier[]"), ("string", "string[]"),
                                               ("int[]", "string[]")])
def test_array_shape_changes_still_report_cl703(project, before, after):
    project.write(LOYALTY, transfer_file(transfer("LoyaltyAccount", prop("codes", before))))
    project.commit("codes")
    project.write(LOYALTY, transfer_file(transfer("LoyaltyAccount", prop("codes", after))))
    project.add()
    run = cli(project.path, "check", "--format", "json")
    assert run.exit_code == 1, run
    assert [(f["code"], f["column"]) for f in run.json()["findings"]] == [("CL703", "codes")]
    if before == "string[]":  # a plain array is not called "one value"
        assert "plain PHP array becomes an `ArrayObject`" in run.json()["findings"][0]["message"]


# 4. Wording and configuration.

def test_broken_transfer_file_is_worded_as_a_transfer_file_with_its_safe_path(project):
    project.write(LOYALTY, ACCOUNT.replace("</transfer>\n", ""))
    project.add()
    run = cli(project.path, "check", "--format", "json")
    assert run.exit_code == 2, run
    finding = next(f for f in run.json()["findings"] if f["code"] == "CL901")
    assert finding["message"].startswith("transfer file cannot be used: ")
    assert "the transfers it declares are not checked" in finding["message"]
    assert "schema" not in finding["message"]
    assert "transfer:validate" in finding["safe_path"] and "propel" not in finding["safe_path"]


def test_unstaged_transfer_change_says_no_schema_or_transfer_file_staged(project):
    project.write(LOYALTY, ACCOUNT.replace('prop("code"', ""))
    run = cli(project.path, "check")
    assert (run.exit_code, run.stdout) == (0, "No schema or transfer file staged.\n")


@pytest.mark.parametrize("value", ['["Not A Name!"]', '[""]', '["Quote", "spy_quote"]'])
def test_stored_transfer_names_are_validated(project, value):
    project.write("compatlint.toml", f"[transfers]\nstored = {value}\n")
    run = cli(project.path, "check")
    assert run.exit_code == 2, run
    assert "compatlint.toml" in run.stderr and "transfers.stored" in run.stderr and "Traceback" not in run.stderr


@pytest.mark.parametrize("name", ["LoyaltyAccount", "LoyaltyAccountTransfer"])
def test_stored_transfer_names_work_with_or_without_suffix(project, name):
    project.write("compatlint.toml", f'[transfers]\nstored = ["{name}"]\n')
    project.commit("config")
    project.write(LOYALTY, transfer_file(transfer("LoyaltyAccount", prop("idLoyaltyAccount", "int"))))
    project.add()
    run = cli(project.path, "check", "--format", "json")
    assert run.exit_code == 1, run
    assert ("CL705", "code") in [(f["code"], f["column"]) for f in run.json()["findings"]]


def test_no_transfer_found_with_empty_project_patterns_names_the_transfer_patterns(tmp_path):
    for side in ("v1", "v2"):
        (tmp_path / side / LOYALTY).parent.mkdir(parents=True)
        (tmp_path / side / LOYALTY).write_text(ACCOUNT)
    (tmp_path / "compatlint.toml").write_text("[transfers]\nproject = []\n")
    run = cli(tmp_path, "check", "--base-dir", "v1", "--head-dir", "v2")
    assert run.exit_code == 2, run
    assert "transfer" in run.stderr and "[transfers]" in run.stderr, run.stderr


def test_audit_text_counts_transfers_apart_from_tables(project):
    schema = "src/Pyz/Zed/Loyalty/Persistence/Propel/Schema/pyz_loyalty.schema.xml"
    head = ('<?xml version="1.0"?>\n<database xmlns="spryker:schema-01" name="zed" '
            'namespace="Orm\\Zed\\Loyalty\\Persistence" package="src.Orm.Zed.Loyalty.Persistence">\n'
            '<table name="pyz_loyalty">\n<column name="id_loyalty" type="INTEGER" primaryKey="true"/>\n')
    project.write(schema, head + '<column name="legacy" type="INTEGER"/>\n</table>\n</database>\n')
    project.commit("schema")
    project.write(schema, head + "</table>\n</database>\n")
    project.write(LOYALTY, transfer_file(transfer("LoyaltyAccount", prop("idLoyaltyAccount", "int"))))
    project.commit("drop a column and a property")
    text = cli(project.path, "audit", "--all").stdout
    assert "by table: pyz_loyalty 1\n" in text, text
    assert text.endswith("by transfer: LoyaltyAccount 1\n"), text
