"""Regression tests for the differential classes that are closed: each example once made the static verdict
disagree with the real servers (README, "How often the static verdict and the rehearsal agree"); now the
static verdict and the rehearsal agree, finding by finding."""

from __future__ import annotations

import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "benchmarks"))

from differential_cases import Col, Tab, run_example  # noqa: E402


def alpha(*columns: Col, uniques=(), sequence=None) -> list[Tab]:
    pk = Col("id_alpha", "INTEGER", pk=True, auto=True)
    return [Tab("pyz_alpha", [pk, *columns], uniques=list(uniques), sequence=sequence)]


CASES = {
    # was below-error:CL102:lazy: a lazy column V1 must still write (keyed, with a default), dropped
    "lazy-keyed-drop": (("mysql", "pgsql"),
                        alpha(Col("c0", "TINYINT", default="0", lazy=True), Col("c1", "VARCHAR", size=8),
                              uniques=[("pyz_alpha-unique", ["c0"])]),
                        alpha(Col("c1", "VARCHAR", size=8)), {"CL102"}),
    # was missed:insert*:1062/23505: a default added to a nullable column of a unique key
    "default-in-unique": (("mysql", "pgsql"),
                          alpha(Col("c0", "DATE", lazy=True), uniques=[("pyz_alpha-unique", ["c0"])]),
                          alpha(Col("c0", "DATE", default="2020-01-01", lazy=True),
                                uniques=[("pyz_alpha-unique", ["c0"])]), {"CL209"}),
    # was below-error:*:read: an ENUM default outside V1's valueSet
    "enum-default-mysql": (("mysql",),
                           alpha(Col("c0", "ENUM", value_set=["new", "gone"], default="new")),
                           alpha(Col("c0", "TINYINT", default="2")), {"CL209"}),
    "enum-default-appended": (("mysql", "pgsql"),
                              alpha(Col("c0", "ENUM", value_set=["new", "gone"], default="new")),
                              alpha(Col("c0", "ENUM", value_set=["new", "gone", "extra"], default="extra")),
                              {"CL209"}),
    # was below-error:CL210: MySQL DECIMAL over 65 digits
    "decimal-over-65": (("mysql",),
                        alpha(Col("c0", "DECIMAL", size=12, scale=3)),
                        alpha(Col("c0", "DECIMAL", size=78, scale=3)), {"CL907"}),
    # was below-error:CL210 too: a referenced key column retyped on MySQL ([1833] while the key is in place)
    "referenced-retyped": (("mysql",),
                           [Tab("pyz_alpha", [Col("id_alpha", "INTEGER", pk=True, auto=True)]),
                            Tab("pyz_beta", [Col("id_beta", "INTEGER", pk=True, auto=True), Col("fk_alpha", "INTEGER")],
                                fks=[("pyz_beta-fk_alpha", "fk_alpha", "pyz_alpha", "id_alpha", None)])],
                           [Tab("pyz_alpha", [Col("id_alpha", "BIGINT", pk=True, auto=True)]),
                            Tab("pyz_beta", [Col("id_beta", "INTEGER", pk=True, auto=True), Col("fk_alpha", "INTEGER")],
                                fks=[("pyz_beta-fk_alpha", "fk_alpha", "pyz_alpha", "id_alpha", None)])], {"CL907"}),
    # was missed:v2-nextval:42P01: an id-method-parameter added to a serial table
    "sequence-added": (("pgsql",),
                       alpha(Col("c0", "INTEGER")),
                       alpha(Col("c0", "INTEGER"), sequence="pyz_alpha_pk_seq"), {"CL403"}),
}


@pytest.mark.parametrize("name, platform", [(n, p) for n in sorted(CASES) for p in CASES[n][0]])
def test_a_closed_class_now_agrees_finding_by_finding(db_servers, name, platform):
    _, v1, v2, codes = CASES[name]
    from compatlint.rehearse import Session

    with Session(db_servers(platform)) as session:
        outcome = run_example(session, v1, v2, name)
    assert outcome.static_breaks and outcome.rehearsal_breaks, outcome.explain()
    assert outcome.classes == [], outcome.explain()
    reported = {f.split("[")[0] for f in outcome.findings if "[error]" in f}
    assert codes <= reported, outcome.explain()


def test_a_grown_key_kept_unique_by_its_autoincrement_is_a_warning_both_agree_on(db_servers):
    from compatlint.rehearse import Session

    v1 = alpha(Col("c0", "BIGINT", required=True))
    v2 = alpha(Col("c0", "BIGINT", pk=True))
    for platform in ("mysql", "pgsql"):
        with Session(db_servers(platform)) as session:
            outcome = run_example(session, v1, v2, "pk grows by c0")
        assert not outcome.static_breaks and not outcome.rehearsal_breaks, outcome.explain()
        assert "CL304[warning] pyz_alpha" in outcome.findings, outcome.explain()
