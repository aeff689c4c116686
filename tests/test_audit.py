"""`compatlint audit [RANGE]`: every finding of a range of commits, attributed to the commit that introduced it.

Real temporary git repositories with several authors and dates, a side branch merged with a merge
commit, a schema file renamed into another module and one deleted; the default range (merge base
with the main branch .. HEAD), `--all`, `--first-parent`, explicit ranges, a detached HEAD and
shallow clones. The json report is for diffing: it must be byte-identical across runs.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest


LOYALTY = "src/Pyz/Zed/Loyalty/Persistence/Propel/Schema/pyz_loyalty.schema.xml"
LOYALTY_MOVED = "src/Pyz/Zed/LoyaltyAccount/Persistence/Propel/Schema/pyz_loyalty.schema.xml"
REWARD = "src/Pyz/Zed/Reward/Persistence/Propel/Schema/pyz_reward.schema.xml"


# --- schema builders ----------------------------------------------------------------------------

def column(name: str, type_: str = "INTEGER", **attrs: str) -> str:
    extra = "".join(f' {k}="{v}"' for k, v in attrs.items())
    return f'<column name="{name}" type="{type_}"{extra}/>'


def table(name: str, *children: str, **attrs: str) -> str:
    extra = "".join(f' {k}="{v}"' for k, v in attrs.items())
    inner = "".join(f"        {child}\n" for child in children)
    return f'    <table name="{name}"{extra}>\n{inner}    </table>\n'


def schema(module: str, *tables: str, comment: str = "") -> str:
    return ('<?xml version="1.0"?>\n'
            f'<database xmlns="spryker:schema-01" name="zed" namespace="Orm\\Zed\\{module}\\Persistence" '
            f'package="src.Orm.Zed.{module}.Persistence">\n' + comment + "".join(tables) + "</database>\n")


def loyalty(*, drop=(), comment: str = "") -> str:
    account = [column("id_loyalty_account", primaryKey="true", autoIncrement="true"),
               column("fk_customer", required="true")]
    account += [column(name, "VARCHAR", size="32") for name in ("legacy_code", "referral_code") if name not in drop]
    return schema("Loyalty",
                  table("pyz_loyalty_account", *account, idMethod="native"),
                  table("pyz_loyalty_transaction", column("id_loyalty_transaction", primaryKey="true",
                                                          autoIncrement="true"), column("points", required="true")),
                  comment=comment)


def reward(*, title: bool = True, extra=()) -> str:
    columns = [column("id_reward", primaryKey="true", autoIncrement="true")]
    if title:
        columns.append(column("title", "VARCHAR", size="64"))
    return schema("Reward", table("pyz_reward", *columns, *extra))


# --- git helpers --------------------------------------------------------------------------------

ALICE = ("Alice Archer", "alice@shop.invalid")
BOB = ("Bob Builder", "bob@shop.invalid")
CAROL = ("Carol Coder", "carol@shop.invalid")
DAVE = ("Dave Deployer", "dave@shop.invalid")
ERIN = ("Erin Engineer", "erin@shop.invalid")


def commit(repo, subject: str, who: tuple[str, str], date: str) -> str:
    """Stage everything and commit with this author and author date; return the commit id."""
    repo.git("add", "-A")
    repo.git("commit", "-q", "--allow-empty", f"--author={who[0]} <{who[1]}>", f"--date={date}", "-m", subject)
    return repo.rev()


def move(repo, source: str, target: str) -> None:
    (repo.path / target).parent.mkdir(parents=True, exist_ok=True)
    repo.git("mv", source, target)


def clone(source, target: Path, *options: str) -> Path:
    subprocess.run(["git", "clone", "-q", *options, Path(source).as_uri(), str(target)], check=True,
                   capture_output=True)
    return target


# --- running the CLI ----------------------------------------------------------------------------

from cli_runner import Run, cli, run_process  # noqa: E402


def audit(cwd, *args: str) -> Run:
    return cli(cwd, "audit", *args)




def audit_process(cwd, *args: str) -> Run:
    return run_process(cwd, "audit", *args)


def keys(entry: dict) -> list[tuple]:
    return [(f["code"], f["table"], f["column"]) for f in entry["findings"]]


def by_subject(payload: dict) -> dict[str, dict]:
    return {entry["subject"]: entry for entry in payload["commits"]}


# --- the history --------------------------------------------------------------------------------

@pytest.fixture
def history(make_repo):
    """main: v1. feature: drop a column, a README-only commit, a side branch (drops a column) merged with
    --no-ff, the loyalty schema file renamed into another module, the reward schema file deleted."""
    repo = make_repo("shop")
    repo.write(LOYALTY, loyalty())
    repo.write(REWARD, reward())
    ids = {"v1": commit(repo, "v1", ALICE, "2024-01-02T09:00:00+01:00")}
    repo.git("checkout", "-q", "-b", "feature")
    repo.write(LOYALTY, loyalty(drop=("legacy_code",)))
    ids["drop"] = commit(repo, "Drop legacy_code", BOB, "2024-02-01T10:30:00+01:00")
    repo.git("checkout", "-q", "-b", "side")
    repo.write(REWARD, reward(title=False))
    ids["side"] = commit(repo, "side: drop reward title", CAROL, "2024-02-03T11:00:00+00:00")
    repo.git("checkout", "-q", "feature")
    repo.write("README.md", "# shop\n")
    ids["readme"] = commit(repo, "Document the shop", ALICE, "2024-02-04T08:00:00+01:00")
    repo.git("merge", "-q", "--no-ff", "--no-edit", "-m", "Merge branch side", "side")
    ids["merge"] = repo.rev()
    move(repo, LOYALTY, LOYALTY_MOVED)
    ids["rename"] = commit(repo, "Move loyalty schema to LoyaltyAccount", DAVE, "2024-03-01T12:00:00-05:00")
    repo.git("rm", "-q", REWARD)
    ids["delete"] = commit(repo, "Remove the reward module", ERIN, "2024-03-02T13:14:15+02:00")
    repo.ids = ids
    return repo


# --- attribution --------------------------------------------------------------------------------

def test_default_range_attributes_each_finding_to_its_commit(history):
    run = audit(history.path, "--format", "json")

    assert run.exit_code == 1, run
    payload = run.json()
    ids = history.ids
    assert payload["range"] == f"{ids['v1']}..HEAD"
    assert [entry["sha"] for entry in payload["commits"]] == [ids["drop"], ids["side"], ids["rename"], ids["delete"]]
    commits = by_subject(payload)
    assert {subject: (e["author"], e["date"]) for subject, e in commits.items()} == {
        "Drop legacy_code": ("Bob Builder", "2024-02-01T10:30:00+01:00"),
        "side: drop reward title": ("Carol Coder", "2024-02-03T11:00:00+00:00"),
        "Move loyalty schema to LoyaltyAccount": ("Dave Deployer", "2024-03-01T12:00:00-05:00"),
        "Remove the reward module": ("Erin Engineer", "2024-03-02T13:14:15+02:00"),
    }
    assert keys(commits["Drop legacy_code"]) == [("CL102", "pyz_loyalty_account", "legacy_code")]
    # The side branch's change belongs to the side-branch commit, never again to the merge commit.
    assert keys(commits["side: drop reward title"]) == [("CL102", "pyz_reward", "title")]
    assert "Merge branch side" not in commits and ids["merge"] not in {e["sha"] for e in payload["commits"]}
    # A renamed schema file moves its tables (info), it drops nothing.
    assert keys(commits["Move loyalty schema to LoyaltyAccount"]) == [
        ("CL404", "pyz_loyalty_account", None), ("CL404", "pyz_loyalty_transaction", None)]
    assert {f["path"] for f in commits["Move loyalty schema to LoyaltyAccount"]["findings"]} == {LOYALTY_MOVED}
    # A deleted schema file drops its table, reported where it was declared.
    [dropped] = commits["Remove the reward module"]["findings"]
    assert (dropped["code"], dropped["table"], dropped["path"], dropped["side"]) == ("CL101", "pyz_reward", REWARD, "base")

    assert payload["summary"] == {"commits": 6, "commits_with_findings": 4, "findings": 5,
                                  "error": 3, "warning": 0, "info": 2}
    assert payload["by_table"] == {"pyz_loyalty_account": 2, "pyz_reward": 2, "pyz_loyalty_transaction": 1}
    assert (payload["version"], payload["platform"]) == (1, "mysql")


def test_text_report_has_per_commit_sections_and_a_per_table_summary(history):
    run = audit(history.path)

    assert run.exit_code == 1, run
    lines = run.stdout.splitlines()
    assert lines[0] == (f"5 findings in 4 of 6 commits (3 errors, 0 warnings, 2 info) — {history.ids['v1']}..HEAD, "
                        "mysql")
    drop = history.ids["drop"]
    at = lines.index(f'{drop[:10]} 2024-02-01 Bob Builder  "Drop legacy_code"')
    assert lines[at + 1].split() == ["CL102", "column-dropped", "pyz_loyalty_account.legacy_code", "(error)",
                                     f"{LOYALTY}:{line_of(loyalty(), 'legacy_code')}"]
    side = history.ids["side"]
    assert f'{side[:10]} 2024-02-03 Carol Coder  "side: drop reward title"' in lines
    assert sum("pyz_reward.title" in line for line in lines) == 1
    assert not any("Merge branch side" in line for line in lines)
    assert lines[-1] == "by table: pyz_loyalty_account 2 · pyz_reward 2 · pyz_loyalty_transaction 1"


def test_json_is_byte_identical_across_two_runs(history):
    """For diffing two audits: the real console script, twice, same bytes (also for --all)."""
    first = audit_process(history.path, "--format", "json")
    second = audit_process(history.path, "--format", "json")

    assert first.exit_code == second.exit_code == 1, first
    assert first.stderr == second.stderr == ""
    assert first.stdout == second.stdout
    assert json.loads(first.stdout) == audit(history.path, "--format", "json").json()

    whole = [audit_process(history.path, "--all", "--format", "json", "--output", str(history.path.parent / name))
             for name in ("a.json", "b.json")]
    assert [r.exit_code for r in whole] == [1, 1] and whole[0].stdout == whole[1].stdout == ""
    assert (history.path.parent / "a.json").read_bytes() == (history.path.parent / "b.json").read_bytes()


def test_all_walks_the_whole_history(history):
    payload = audit(history.path, "--all", "--format", "json").json()

    assert payload["range"] == "HEAD"
    assert payload["summary"]["commits"] == 7  # the root commit too: everything in it is new, nothing breaks
    ranged = audit(history.path, "--format", "json").json()
    assert payload["commits"] == ranged["commits"]


def test_first_parent_gives_the_side_branch_change_to_the_merge_commit(history):
    payload = audit(history.path, "--first-parent", "--format", "json").json()

    commits = by_subject(payload)
    assert "side: drop reward title" not in commits
    assert keys(commits["Merge branch side"]) == [("CL102", "pyz_reward", "title")]
    assert commits["Merge branch side"]["sha"] == history.ids["merge"]
    assert payload["summary"]["commits"] == 5


def test_explicit_range_and_severity_threshold(history):
    ids = history.ids
    run = audit(history.path, f"{ids['drop']}..{ids['rename']}", "--format", "json")
    assert run.exit_code == 1, run
    assert [e["subject"] for e in run.json()["commits"]] == ["side: drop reward title",
                                                             "Move loyalty schema to LoyaltyAccount"]

    infos_only = f"{ids['merge']}..{ids['rename']}"
    run = audit(history.path, infos_only, "--format", "json")
    assert run.exit_code == 0, run  # only CL404 (info) below the default threshold
    assert run.json()["summary"]["info"] == 2
    assert audit(history.path, infos_only, "--fail-on", "info").exit_code == 1
    assert audit(history.path, "--exit-zero").exit_code == 0


def test_detached_head_audits_the_same_commits(history):
    on_branch = audit(history.path, "--format", "json").json()
    history.git("checkout", "-q", "--detach", "feature")
    assert history.git("symbolic-ref", "-q", "HEAD", check=False) == ""

    run = audit(history.path, "--format", "json")

    assert run.exit_code == 1, run
    assert run.json() == on_branch


def test_on_the_main_branch_itself_the_default_range_asks_for_one(history):
    history.git("checkout", "-q", "main")
    run = audit(history.path)
    assert run.exit_code == 2, run
    assert run.stdout == ""
    assert run.stderr == ("compatlint: error: HEAD is main itself: give a range (e.g. v2024.06..HEAD) or --all\n")


def test_unknown_range_is_exit_2(history):
    run = audit(history.path, "no-such-tag..HEAD")
    assert run.exit_code == 2, run
    assert run.stderr.startswith("compatlint: error: ") and "no-such-tag" in run.stderr


# --- shallow clones -------------------------------------------------------------------------------

def test_shallow_pull_request_checkout_default_range_is_a_clear_error(history, tmp_path):
    history.git("checkout", "-q", "main")  # the server's HEAD is main, as on GitHub or GitLab
    ci = clone(history.path, tmp_path / "ci", "--depth", "1", "--branch", "feature")
    subprocess.run(["git", "-C", str(ci), "fetch", "-q", "--depth", "1", "origin", "main:refs/remotes/origin/main"],
                   check=True, capture_output=True)

    run = audit_process(ci)

    assert run.exit_code == 2, run
    assert run.stdout == ""
    [line] = run.stderr.strip().splitlines()
    assert line.startswith("compatlint: error: no merge base between origin/main and HEAD")
    assert "shallow" in line and "fetch-depth: 0" in line


@pytest.mark.parametrize("args", [("--all",), ("HEAD~3..HEAD",)], ids=["all", "range-past-boundary"])
def test_shallow_clone_is_a_clear_error(history, tmp_path, args):
    """A depth-1 clone: `--all` must not take the cut as the root commit (everything "new", no finding), and
    a range past the cut must say it is a shallow clone and how to fetch, not relay git's bad-revision error."""
    ci = clone(history.path, tmp_path / "ci", "--depth", "1", "--branch", "feature")

    run = audit(ci, *args)

    assert run.exit_code == 2, run
    assert run.stdout == ""
    [line] = run.stderr.strip().splitlines()
    assert line.startswith("compatlint: error: ")
    assert "shallow" in line and ("fetch-depth: 0" in line or "--unshallow" in line), line


# --- attribution edge cases -------------------------------------------------------------------------

def test_merging_main_into_the_branch_does_not_blame_mains_changes_on_the_branch(make_repo):
    repo = make_repo("shop")
    repo.write(LOYALTY, loyalty())
    repo.write(REWARD, reward())
    commit(repo, "v1", ALICE, "2024-01-02T09:00:00+01:00")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write(LOYALTY, loyalty(drop=("legacy_code",)))
    commit(repo, "feature: drop legacy_code", BOB, "2024-02-01T10:00:00+01:00")
    repo.git("checkout", "-q", "main")
    repo.write(REWARD, reward(title=False))
    commit(repo, "main: drop reward title", CAROL, "2024-02-02T10:00:00+01:00")
    repo.git("checkout", "-q", "feature")
    repo.git("merge", "-q", "--no-ff", "--no-edit", "-m", "Merge main into feature", "main")

    payload = audit(repo.path, "--format", "json").json()

    # The range is main..HEAD: the branch's own commits. main's drop is main's business.
    found = [(e["subject"], *k) for e in payload["commits"] for k in keys(e)]
    assert found == [("feature: drop legacy_code", "CL102", "pyz_loyalty_account", "legacy_code")], found


def test_an_evil_merge_is_attributed_to_the_merge_commit(make_repo):
    """A conflict resolution that changes more than either side did: that change is the merge's own."""
    repo = make_repo("shop")
    repo.write(LOYALTY, loyalty())
    commit(repo, "v1", ALICE, "2024-01-02T09:00:00+01:00")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write(REWARD, reward())
    commit(repo, "feature: reward module", BOB, "2024-02-01T10:00:00+01:00")
    repo.git("checkout", "-q", "-b", "side", "main")
    repo.write(LOYALTY, loyalty(comment="    <!-- side -->\n"))
    commit(repo, "side: a comment", CAROL, "2024-02-02T10:00:00+01:00")
    repo.git("checkout", "-q", "feature")
    repo.git("merge", "-q", "--no-ff", "--no-commit", "side")
    repo.write(LOYALTY, loyalty(drop=("legacy_code",), comment="    <!-- side -->\n"))
    merge = commit(repo, "Merge side, and drop legacy_code while at it", DAVE, "2024-02-03T10:00:00+01:00")
    assert len(repo.git("rev-list", "--parents", "-n", "1", "HEAD").split()) == 3

    payload = audit(repo.path, "--format", "json").json()

    assert [(e["sha"], keys(e)) for e in payload["commits"]] == \
        [(merge, [("CL102", "pyz_loyalty_account", "legacy_code")])], payload["commits"]


def test_a_change_made_again_after_a_revert_is_attributed_to_the_new_commit(make_repo):
    repo = make_repo("shop")
    repo.write(LOYALTY, loyalty())
    commit(repo, "v1", ALICE, "2024-01-02T09:00:00+01:00")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write(LOYALTY, loyalty(drop=("legacy_code",)))
    commit(repo, "Drop legacy_code", BOB, "2024-02-01T10:00:00+01:00")
    repo.write(LOYALTY, loyalty())
    commit(repo, "Revert: keep legacy_code", BOB, "2024-02-02T10:00:00+01:00")
    repo.write(LOYALTY, loyalty(drop=("legacy_code",)))
    again = commit(repo, "Drop legacy_code again", CAROL, "2024-02-03T10:00:00+01:00")

    payload = audit(repo.path, "--format", "json").json()

    commits = by_subject(payload)
    assert "Drop legacy_code again" in commits, [e["subject"] for e in payload["commits"]]
    assert commits["Drop legacy_code again"]["sha"] == again
    assert keys(commits["Drop legacy_code again"]) == [("CL102", "pyz_loyalty_account", "legacy_code")]


def test_a_used_suppression_is_not_blamed_on_a_later_unrelated_commit(make_repo):
    repo = make_repo("shop")
    repo.write(LOYALTY, loyalty())
    repo.write(REWARD, reward())
    commit(repo, "v1", ALICE, "2024-01-02T09:00:00+01:00")
    repo.git("checkout", "-q", "-b", "feature")
    reviewed = '    <!-- compatlint: allow CL102 table="pyz_loyalty_account" reason="unused since 2023" -->\n'
    repo.write(LOYALTY, loyalty(drop=("legacy_code",), comment=reviewed))
    commit(repo, "Drop legacy_code (reviewed)", BOB, "2024-02-01T10:00:00+01:00")
    repo.write(REWARD, reward(extra=(column("subtitle", "VARCHAR", size="64"),)))
    commit(repo, "Reward subtitle", CAROL, "2024-02-02T10:00:00+01:00")

    run = audit(repo.path, "--format", "json", "--fail-on", "info")

    assert run.json()["commits"] == [], run.json()["commits"]
    assert run.exit_code == 0


def test_a_suppression_that_never_matched_is_attributed_to_the_commit_adding_it(make_repo):
    repo = make_repo("shop")
    repo.write(LOYALTY, loyalty())
    commit(repo, "v1", ALICE, "2024-01-02T09:00:00+01:00")
    repo.git("checkout", "-q", "-b", "feature")
    stale = '    <!-- compatlint: allow CL101 table="pyz_gone" reason="removed in 2023" -->\n'
    repo.write(LOYALTY, loyalty(comment=stale))
    added = commit(repo, "Add a suppression", BOB, "2024-02-01T10:00:00+01:00")

    payload = audit(repo.path, "--format", "json").json()

    [entry] = payload["commits"]
    assert (entry["sha"], keys(entry)) == (added, [("CL904", None, None)])
    assert entry["findings"][0]["line"] == 3 and entry["findings"][0]["path"] == LOYALTY


def line_of(text: str, needle: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), 1) if needle in line)
