"""Transfer objects (CL7xx) on real temporary git repositories laid out like a Spryker project:
`src/Pyz/Shared/<Module>/Transfer/*.transfer.xml` tracked, `vendor/` (core) on disk and not tracked."""

from __future__ import annotations

import json
import time

import pytest

from cli_runner import cli
from compatlint.transfers.examples import prop, transfer, transfer_file
from compatlint.transfers.merge import TransferFile, load_transfers

LOYALTY = "src/Pyz/Shared/Loyalty/Transfer/loyalty.transfer.xml"
LOYALTY_MOVED = "src/Pyz/Shared/LoyaltyAccount/Transfer/loyalty.transfer.xml"
CUSTOMER = "src/Pyz/Shared/Customer/Transfer/customer.transfer.xml"
CORE_CUSTOMER = "vendor/spryker/customer/src/Spryker/Shared/Customer/Transfer/customer.transfer.xml"
SCHEMA = "src/Pyz/Zed/Loyalty/Persistence/Propel/Schema/pyz_loyalty.schema.xml"

ACCOUNT = transfer("LoyaltyAccount", prop("idLoyaltyAccount", "int"), prop("pointsBalance", "int"),
                   prop("legacyCode", "string"))


def account(*drop: str, extra: tuple[str, ...] = ()) -> str:
    props = [p for p in (prop("idLoyaltyAccount", "int"), prop("pointsBalance", "int"), prop("legacyCode", "string"))
             if not any(f'name="{d}"' in p for d in drop)]
    return transfer_file(transfer("LoyaltyAccount", *props, *extra))


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.fixture
def project(make_repo):
    repo = make_repo()
    repo.write(".gitignore", "vendor/\n")
    repo.write(LOYALTY, account())
    repo.commit("v1")
    return repo


def test_removed_property_is_an_error_with_file_line_and_safe_path(project):
    project.write(LOYALTY, account("legacyCode"))
    project.add()
    run = cli(project.path, "check", "--format", "json")
    assert run.exit_code == 1, run
    findings = run.json()["findings"]
    assert [(f["code"], f["table"], f["column"], f["severity"]) for f in findings] == [
        ("CL702", "LoyaltyAccount", "legacyCode", "error")]
    assert findings[0]["path"] == LOYALTY
    assert findings[0]["line"] == line_of(account(), 'name="legacyCode"')  # where it was, at HEAD
    assert "deprecated" in findings[0]["safe_path"]
    text = cli(project.path, "check").stdout
    assert f"{LOYALTY}:{findings[0]['line']}: CL702 transfer-property-removed [error]" in text
    assert "fromArray($data, true)" in text


def test_added_property_reports_nothing(project):
    project.write(LOYALTY, account(extra=(prop("tier", "LoyaltyTier"),)))
    project.add()
    run = cli(project.path, "check")
    assert run.exit_code == 0, run
    assert run.stdout.startswith("No backward-incompatible schema changes"), run


def test_transfer_moved_between_modules_is_no_removal(project):
    project.remove(LOYALTY)
    project.write(LOYALTY_MOVED, account())
    project.add()
    run = cli(project.path, "check", "--format", "json")
    assert run.exit_code == 0, run
    assert run.json()["findings"] == []


def test_transfer_only_repository_is_checked_in_every_git_mode(project):
    """No schema file at all: `check` compares the transfers instead of refusing (it used to exit 2)."""
    project.write(LOYALTY, account("legacyCode"))
    head = project.commit("drop legacyCode")
    for args in (("--base", "HEAD~1"), ("--base", "HEAD~1", "--head", head)):
        run = cli(project.path, "check", *args, "--format", "json")
        assert run.exit_code == 1, (args, run)
        assert {f["code"] for f in run.json()["findings"]} == {"CL702"}


def test_transfer_only_directories_are_checked(tmp_path):
    for side, text in (("v1", account()), ("v2", account("legacyCode"))):
        target = tmp_path / side / LOYALTY
        target.parent.mkdir(parents=True)
        target.write_text(text)
    run = cli(tmp_path, "check", "--base-dir", "v1", "--head-dir", "v2", "--format", "json")
    assert run.exit_code == 1, run
    assert [(f["code"], f["path"]) for f in run.json()["findings"]] == [("CL702", f"v1/{LOYALTY}")]


def test_vendor_transfer_extended_by_project_file_merges_onto_core(project):
    """The project adds `loyaltyLevel` to the core CustomerTransfer; removing it from the project file is
    a removal from the merged transfer, while the core property the project also declared stays."""
    project.write(CORE_CUSTOMER, transfer_file(transfer("Customer", prop("email", "string"))))
    project.write(CUSTOMER, transfer_file(transfer("Customer", prop("email", "string"), prop("loyaltyLevel", "int"))))
    project.commit("extend the core customer")
    project.write(CUSTOMER, transfer_file(transfer("CustomerTransfer", prop("phone", "string"))))
    project.add()
    run = cli(project.path, "check", "--format", "json")
    assert run.exit_code == 1, run
    assert [(f["code"], f["table"], f["column"]) for f in run.json()["findings"]] == [
        ("CL702", "Customer", "loyaltyLevel")]

    merged = load_transfers([TransferFile(CORE_CUSTOMER, project.read(CORE_CUSTOMER).encode(), core=True),
                             TransferFile(CUSTOMER, project.read(CUSTOMER).encode())])
    customer = merged.transfers["Customer"]
    assert set(customer.properties) == {"email", "phone"}
    assert customer.properties["email"].origin.path == CORE_CUSTOMER
    assert customer.properties["phone"].origin.path == CUSTOMER
    assert customer.files == (CUSTOMER, CORE_CUSTOMER)  # project definitions merge first, as Spryker sorts


def test_conflict_spryker_refuses_is_an_error_with_file_line_not_a_crash(project):
    project.write(CORE_CUSTOMER, transfer_file(transfer("Customer", prop("email", "string"))))
    project.commit("core")
    text = transfer_file(transfer("Customer", prop("email", "int")))
    project.write(CUSTOMER, text)
    project.add()
    run = cli(project.path, "check", "--format", "json")
    assert run.exit_code == 1, run
    findings = run.json()["findings"]
    assert [(f["code"], f["table"], f["column"], f["path"], f["line"]) for f in findings] == [
        ("CL707", "Customer", "email", CUSTOMER, line_of(text, 'name="email"'))]
    assert 'Value mismatch for "Customer.email" transfer property' in findings[0]["message"]
    assert CORE_CUSTOMER in findings[0]["message"]


def test_malformed_transfer_file_is_bad_input_exit_2_with_file_and_line(project):
    project.write(LOYALTY, account().replace("</transfer>\n", ""))
    project.add()
    run = cli(project.path, "check")
    assert run.exit_code == 2, run
    assert f"{LOYALTY}:" in run.stdout and "CL901" in run.stdout
    assert "CL701" not in run.stdout  # its transfers are not taken as removed


def test_doctype_in_transfer_file_is_refused(project):
    project.write(LOYALTY, '<?xml version="1.0"?>\n<!DOCTYPE t [<!ENTITY x "y">]>\n' + account().split("\n", 1)[1])
    project.add()
    run = cli(project.path, "check")
    assert run.exit_code == 2 and "DOCTYPE declarations are refused" in run.stdout, run


def test_suppression_comment_in_transfer_file_and_baseline(project):
    text = account("legacyCode").replace(
        "<transfer ", '<!-- compatlint: allow CL702 reason="legacyCode unused since 2024" -->\n<transfer ', 1)
    project.write(LOYALTY, text)
    project.add()
    assert cli(project.path, "check").exit_code == 0
    project.write(LOYALTY, account("legacyCode"))
    project.commit("drop legacyCode")
    assert cli(project.path, "check", "--base", "HEAD~1").exit_code == 1
    assert cli(project.path, "baseline", "--base", "HEAD~1", "-o", "b.json").exit_code == 0
    run = cli(project.path, "check", "--base", "HEAD~1", "--baseline", "b.json", "--format", "json")
    assert run.exit_code == 0 and run.json()["findings"] == [], run


@pytest.mark.parametrize("output_format", ["text", "json", "sarif", "github", "gitlab", "junit", "markdown"])
def test_every_output_format_carries_the_transfer_finding(project, output_format):
    project.write(LOYALTY, account("legacyCode"))
    project.add()
    run = cli(project.path, "check", "--format", output_format)
    assert run.exit_code == 1, run
    assert "CL702" in run.stdout and "legacyCode" in run.stdout


def test_nothing_staged_stays_on_the_fast_path_and_a_staged_transfer_file_triggers(project):
    project.write("README.md", "docs\n")
    project.add()
    assert cli(project.path, "check").stdout == "No schema or transfer file staged.\n"
    project.write(LOYALTY, account("legacyCode"))
    project.add(LOYALTY)
    assert "CL702" in cli(project.path, "check").stdout


def test_configured_globs_find_transfers_elsewhere(project):
    other = "app/Shared/Loyalty/loyalty.transfer.xml"
    project.write(other, account())
    project.write("compatlint.toml", '[transfers]\nproject = ["app/Shared/*/*.transfer.xml"]\n')
    project.commit("elsewhere")
    project.write(other, account("pointsBalance"))
    project.write(LOYALTY, account("legacyCode"))  # outside the configured globs now
    project.add()
    run = cli(project.path, "check", "--format", "json")
    assert [(f["code"], f["column"], f["path"]) for f in run.json()["findings"]] == [
        ("CL702", "pointsBalance", other)]


def test_unknown_transfers_config_key_is_an_error(project):
    project.write("compatlint.toml", '[transfers]\nglobs = ["x"]\n')
    run = cli(project.path, "check", "--base", "HEAD")
    assert run.exit_code == 2 and "transfers.globs" in run.stderr, run


def test_audit_attributes_transfer_findings_to_their_commit(project):
    project.write(LOYALTY, account("legacyCode"))
    removal = project.commit("drop legacyCode")
    project.write(LOYALTY, account("legacyCode", extra=(prop("tier", "string"),)))
    project.commit("add tier")
    run = cli(project.path, "audit", "--all", "--format", "json")
    assert run.exit_code == 1, run
    commits = run.json()["commits"]
    assert [(c["sha"], [(f["code"], f["table"], f["column"]) for f in c["findings"]]) for c in commits] == [
        (removal, [("CL702", "LoyaltyAccount", "legacyCode")])]


@pytest.mark.parametrize("output_format", ["html", "sarif", "markdown"])
def test_audit_formats_carry_transfer_findings(project, tmp_path, output_format):
    project.write(LOYALTY, account("legacyCode"))
    project.commit("drop legacyCode")
    out = tmp_path / f"audit.{output_format}"
    run = cli(project.path, "audit", "--all", "--format", output_format, "-o", str(out))
    assert run.exit_code == 1, run
    assert "legacyCode" in out.read_text(encoding="utf-8")


def test_audit_of_a_merge_charges_the_side_branch_commit_only(project):
    project.git("checkout", "-q", "-b", "feature")
    project.write(LOYALTY, account("legacyCode"))
    side = project.commit("drop on the branch")
    project.git("checkout", "-q", "main")
    project.write("other.txt", "x\n")
    project.commit("unrelated")
    project.git("merge", "-q", "--no-ff", "-m", "merge feature", "feature")
    run = cli(project.path, "audit", "--all", "--format", "json")
    assert [c["sha"] for c in run.json()["commits"]] == [side], run


def test_explain_works_for_every_new_code():
    for code in ("CL602", "CL701", "CL702", "CL703", "CL704", "CL705", "CL706", "CL707"):
        run = cli(".", "explain", code)
        assert run.exit_code == 0 and run.stdout.startswith(code) and "Safe path" in run.stdout, run


def test_demo_safe_path_is_a_deprecation_reported_as_info():
    run = cli(".", "check", "--base-dir", "fixtures/demo/v1", "--head-dir", "fixtures/demo/v2-safe", "--format", "json")
    assert run.exit_code == 0, run
    transfer_findings = [(f["code"], f["table"], f["column"], f["severity"]) for f in run.json()["findings"]
                         if f["code"].startswith("CL7")]
    assert transfer_findings == [("CL706", "LoyaltyAccount", "legacyCode", "info")]


def test_every_transfer_event_type_states_its_side_and_location():
    from compatlint.transfers.events import TRANSFER_EVENTS

    for event_type in TRANSFER_EVENTS:
        assert "location" in vars(event_type), event_type
        assert "SIDE" in vars(event_type) or "side" in vars(event_type), event_type
    assert all(t.SIDE == "base" for t in TRANSFER_EVENTS if t.__name__.endswith("Removed"))


def test_storage_transfer_of_a_synchronization_table_is_stored_json(project):
    """`pyz_loyalty_account_storage` (synchronization) holds `LoyaltyAccountStorageTransfer` as JSON: a removed
    property is CL705 besides CL702; the same removal from a transfer stored nowhere is CL702 only."""
    storage = ('<?xml version="1.0"?>\n<database xmlns="spryker:schema-01" name="zed" '
               'namespace="Orm\\Zed\\LoyaltyStorage\\Persistence" package="src.Orm.Zed.LoyaltyStorage.Persistence">\n'
               '  <table name="pyz_loyalty_account_storage">\n'
               '    <column name="id_loyalty_account_storage" type="INTEGER" primaryKey="true" autoIncrement="true"/>\n'
               '    <column name="fk_loyalty_account" type="INTEGER"/>\n'
               '    <behavior name="synchronization"><parameter name="resource" value="loyalty_account"/>'
               '<parameter name="key_suffix_column" value="fk_loyalty_account"/></behavior>\n'
               '  </table>\n</database>\n')
    path = "src/Pyz/Shared/LoyaltyStorage/Transfer/loyalty_storage.transfer.xml"
    project.write("src/Pyz/Zed/LoyaltyStorage/Persistence/Propel/Schema/pyz_loyalty_storage.schema.xml", storage)
    project.write(path, transfer_file(transfer("LoyaltyAccountStorage", prop("points", "int"), prop("tier", "string"))))
    project.commit("storage")
    project.write(path, transfer_file(transfer("LoyaltyAccountStorage", prop("points", "int"))))
    project.write(LOYALTY, account("legacyCode"))
    project.add()
    run = cli(project.path, "check", "--format", "json")
    found = sorted((f["code"], f["table"], f["column"]) for f in run.json()["findings"])
    assert found == [("CL702", "LoyaltyAccount", "legacyCode"), ("CL702", "LoyaltyAccountStorage", "tier"),
                     ("CL705", "LoyaltyAccountStorage", "tier")], run
    message = next(f["message"] for f in run.json()["findings"] if f["code"] == "CL705")
    assert "pyz_loyalty_account_storage.data" in message
    change = project.commit("drop tier and legacyCode")
    audited = cli(project.path, "audit", "--all", "--format", "json").json()["commits"]
    assert [(c["sha"], sorted((f["code"], f["column"]) for f in c["findings"])) for c in audited] == [
        (change, [("CL702", "legacyCode"), ("CL702", "tier"), ("CL705", "tier")])]


def test_two_same_typed_properties_swapped_are_not_called_renames(project):
    project.write(LOYALTY, transfer_file(transfer("LoyaltyAccount", prop("idLoyaltyAccount", "int"),
                                                  prop("a", "string"), prop("b", "string"))))
    project.commit("two strings")
    project.write(LOYALTY, transfer_file(transfer("LoyaltyAccount", prop("idLoyaltyAccount", "int"),
                                                  prop("c", "string"), prop("d", "string"))))
    project.add()
    messages = [f["message"] for f in cli(project.path, "check", "--format", "json").json()["findings"]]
    assert len(messages) == 2 and all("is removed" in m for m in messages), messages


def test_a_project_committing_migrations_gets_no_migration_drift_for_a_transfer_change(project):
    """Transfer events never reach the SQL channel: a transfer change needs no migration (no CL503)."""
    project.write("src/Orm/Propel/Migration_mysql/PropelMigration_1700000000.sql",
                  "CREATE TABLE pyz_note (id_note INTEGER NOT NULL, PRIMARY KEY (id_note));\n")
    project.commit("a committed migration")
    project.write(LOYALTY, account("legacyCode"))
    project.add()
    run = cli(project.path, "check", "--format", "json")
    assert run.exit_code == 1, run
    assert [(f["code"], f["column"]) for f in run.json()["findings"]] == [("CL702", "legacyCode")]
