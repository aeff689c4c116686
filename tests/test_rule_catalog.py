"""The rule catalogue itself: codes unique and complete, docs fresh."""

import os
import re

from compatlint.docs import README_BEGIN, README_END, rules_markdown_table
from compatlint.registry import all_rules, check_unique, RegistryError
from compatlint.rule import DOC_SECTIONS, Rule

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Every schema-channel rule of the catalog (issue "Core").
SCHEMA_CODES = {
    "CL101", "CL102", "CL103", "CL201", "CL202", "CL203", "CL204", "CL205", "CL206", "CL207", "CL208", "CL209",
    "CL210", "CL301", "CL302", "CL303", "CL304", "CL305", "CL306", "CL401", "CL402", "CL403", "CL404", "CL601",
    "CL901", "CL902", "CL905",
}


def test_every_schema_rule_of_the_catalog_exists():
    assert SCHEMA_CODES <= {r.code for r in all_rules()}


def test_codes_and_names_are_unique_and_well_formed():
    rules = all_rules()
    assert len({r.code for r in rules}) == len(rules)
    assert len({r.name for r in rules}) == len(rules)
    for rule in rules:
        assert re.fullmatch(r"CL\d{3}", rule.code)
        doc = rule.documentation()
        for section in DOC_SECTIONS:
            assert f"{section}:" in doc, f"{rule.code} lacks {section}"


def test_duplicate_codes_are_refused():
    first = all_rules()[0]

    class Impostor(first):  # same code and name, another class
        pass

    try:
        check_unique([first, Impostor])
    except RegistryError as error:
        assert first.code in str(error)
    else:
        raise AssertionError("duplicate code accepted")


def test_a_rule_without_examples_fails_at_class_creation():
    try:
        class Broken(Rule):
            """Summary.

            What it flags: x
            Why V1 breaks: x
            Safe path: x
            Platforms: x
            """
            code, name, severity = "CL998", "broken-rule", all_rules()[0].severity
            handles = all_rules()[0].handles
    except TypeError as error:
        assert "VALID" in str(error)
    else:
        raise AssertionError("rule without examples accepted")


def test_readme_rule_table_is_fresh():
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as handle:
        text = handle.read()
    table = text[text.index(README_BEGIN) + len(README_BEGIN):text.index(README_END)]
    assert table.strip() == rules_markdown_table().strip(), "run: python -m compatlint.docs"


def test_rule_index_is_fresh():
    from compatlint.docs import index_path, index_source

    with open(index_path(), encoding="utf-8") as handle:
        assert handle.read() == index_source(), "run: python -m compatlint.docs"
