"""A commit's tree is listed once: later listings of the same commit for narrower folders (transfer files,
the migrations folder) are cut from the remembered whole tree and must equal what `git ls-tree` lists."""

import os

from compatlint.loaders import git


def _fresh(repo: str, rev: str, prefixes, links: bool):
    return git._parse_ls(git.git(repo, "ls-tree", "-r", "-z", "--full-tree", rev, "--", *prefixes),
                         with_stage=False, links=links)


def test_narrower_listings_of_a_listed_commit_equal_git_ls_tree(make_repo, monkeypatch):
    repo = make_repo()
    for rel in ("src/Orm/Propel/Migration_mysql/m1.php", "src/Orm/Propel2/x.php", "src/a.xml", "srcx/b.xml",
                "Bundles/A/src/spy_a.schema.xml", "vendor/v/t.transfer.xml", "src.txt"):
        repo.write(rel, rel)
    os.symlink("a.xml", repo.path / "src" / "link.xml")
    first = repo.commit("one")
    repo.write("src/a.xml", "changed")
    second = repo.commit("two")
    monkeypatch.setattr(git, "_WHOLE_TREES", {})
    git.list_two_revisions(str(repo), first, second, [], links=True)
    assert set(git._WHOLE_TREES) == {(str(repo), first), (str(repo), second)}

    calls = []
    real = git.git
    monkeypatch.setattr(git, "git", lambda *a, **k: calls.append(a) or real(*a, **k))
    for rev in (first, second):
        for prefixes in ([], ["src"], ["src/Orm/Propel"], ["Bundles", "src", "vendor"], ["src.txt"], ["sr"]):
            for links in (True, False):
                assert git.list_revision(str(repo), rev, prefixes, links) == _fresh(str(repo), rev, prefixes, links)
    # only the test's own fresh listings ran `git ls-tree`: list_revision cut each one from the whole tree
    assert sum(1 for c in calls if "ls-tree" in c) == 2 * 6 * 2


def test_a_name_that_is_not_a_full_commit_id_is_never_remembered(make_repo, monkeypatch):
    repo = make_repo()
    repo.write("src/a.xml", "a")
    repo.commit("one")
    monkeypatch.setattr(git, "_WHOLE_TREES", {})
    git.list_revision(str(repo), "HEAD", [], links=True)
    assert git._WHOLE_TREES == {}  # HEAD moves: its listing could go stale
