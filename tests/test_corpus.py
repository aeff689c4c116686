"""Robustness on real histories: every commit of both corpora loads, merges and diffs without a crash,
no well-formed file is reported as invalid, and no table reported as dropped still exists at head.

The corpora are licensed test data in ../shared/corpora; a fresh clone of the project does not have
them, and then these tests skip with that reason.
"""

import os
import re
import subprocess

import pytest
from lxml import etree

from compatlint.history import walk
from compatlint.loaders.patterns import SchemaPatterns

CORPORA = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "corpora")
BUNDLES = ["spryker-core-schema-history.bundle", "b2c-demo-shop-pyz-schema-history.bundle"]


@pytest.fixture(scope="module", params=BUNDLES)
def corpus(request, tmp_path_factory):
    bundle = os.path.join(CORPORA, request.param)
    if not os.path.exists(bundle):
        if os.environ.get("COMPATLINT_REQUIRE_CORPORA"):
            pytest.fail(f"{bundle} is required (COMPATLINT_REQUIRE_CORPORA is set) but absent")
        pytest.skip(f"corpus {request.param} not present at {CORPORA} (licensed data, not in a fresh clone)")
    repo = str(tmp_path_factory.mktemp("corpus") / "repo")
    subprocess.run(["git", "clone", "-q", bundle, repo], check=True)
    results = list(walk(repo, "HEAD"))
    return repo, results


def _well_formed(repo: str, commit: str, path: str) -> bool:
    data = subprocess.run(["git", "-C", repo, "show", f"{commit}:{path}"], capture_output=True).stdout
    try:
        root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))
    except etree.XMLSyntaxError:
        return False
    return root is not None and etree.QName(root).localname == "database"


def _tables_at(repo: str, commit: str) -> set[str]:
    """Tables declared in files Spryker's finder reads (a file moved out of `Persistence/Propel/Schema/`
    really is dropped: b2c commit "december2018release" moved one to `Propel/Propel/Schema/`)."""
    listing = subprocess.run(["git", "-C", repo, "grep", "-o", "-E", r'<table[^>]* name="[^"]+"', commit],
                             capture_output=True, text=True).stdout
    patterns = SchemaPatterns()
    tables = set()
    for line in listing.splitlines():
        _, path, match = line.split(":", 2)
        if patterns.classify(path) is not None:
            tables.update(re.findall(r' name="([^"]+)"', match))
    return tables


def test_every_commit_is_compared(corpus):
    repo, results = corpus
    log = subprocess.run(["git", "-C", repo, "rev-list", "--first-parent", "--count", "HEAD"], capture_output=True, text=True)
    assert len(results) > 20
    assert len(results) <= int(log.stdout)
    assert all(result.head.tables for _, result in results[1:])


def test_no_invalid_schema_finding_on_well_formed_files(corpus):
    repo, results = corpus
    for commit, result in results:
        for finding in result.findings:
            if finding.code == "CL901":
                assert not _well_formed(repo, commit.sha, finding.location.path), \
                    f"{commit.sha[:10]} {finding.location}: {finding.message}"


def test_no_dropped_table_still_exists_at_head(corpus):
    repo, results = corpus
    checked = 0
    for commit, result in results:
        dropped = {f.table for f in result.findings if f.code in ("CL101", "CL401")}
        if dropped:
            still_there = dropped & _tables_at(repo, commit.sha)
            assert not still_there, f"{commit.sha[:10]} reports {still_there} dropped though declared at head"
            checked += 1


def test_tables_moved_between_modules_are_moves_not_drops(corpus):
    repo, results = corpus
    from compatlint.changes import TableMoved, TableRemoved

    moved = [(c, e) for c, r in results for e in r.events if isinstance(e, TableMoved)]
    if "spryker-core" in repo or len(results) > 100:
        assert moved, "the spryker-core history moves tables between modules; none was seen"
    for commit, event in moved:
        removed = {e.base.name for e in next(r for c, r in results if c is commit).events if isinstance(e, TableRemoved)}
        assert event.head.name not in removed
        assert set(event.base.files) != set(event.head.files) or event.base.namespace != event.head.namespace
