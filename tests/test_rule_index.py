"""A comparison imports only the rule modules its events need, and never skips a rule: the generated
index (`rules/_index.py`) names each rule's events, and a rule module missing from it brings every rule back."""

import subprocess
import sys
import textwrap

from compatlint import changes as ev
from compatlint import registry
from compatlint.registry import all_rules, rule_by_key, rule_keys, rules_for


def _imported_rules_after(code: str, expect_in_stderr: str = "") -> set[str]:
    """The rule modules imported by running `code` in a fresh interpreter."""
    script = textwrap.dedent(code) + textwrap.dedent("""
        import sys
        print("imported:", *sorted(m.rpartition(".")[2] for m in sys.modules
                                   if m.startswith("compatlint.rules.") and not m.rpartition(".")[2].startswith("_")),
              file=sys.stderr)
    """)
    err = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stderr
    assert expect_in_stderr in err
    return set(err.strip().splitlines()[-1].split()[1:])


def test_rules_for_gives_exactly_the_rules_that_handle_the_events():
    for types in ({ev.ColumnRemoved}, {ev.ColumnChanged, ev.TableAdded}, {ev.IndexAdded}, set()):
        expected = tuple(rule for rule in all_rules() if set(rule.handles) & types)
        assert rules_for(types) == expected


def test_a_dropped_column_imports_only_the_rules_of_its_event(tmp_path):
    base, head = tmp_path / "base", tmp_path / "head"
    for folder, columns in ((base, '<column name="id" type="INTEGER" primaryKey="true"/><column name="x" type="INTEGER"/>'),
                            (head, '<column name="id" type="INTEGER" primaryKey="true"/>')):
        folder.mkdir()
        (folder / "shop.schema.xml").write_text(f'<database name="zed"><table name="spy_shop">{columns}</table></database>')
    imported = _imported_rules_after(f"""
        from compatlint.cli import main
        import sys
        try:
            main(["check", "--base-dir", {str(base)!r}, "--head-dir", {str(head)!r}], standalone_mode=False)
        except SystemExit as done:
            print("exit", done.code, file=sys.stderr)
    """, expect_in_stderr="exit 1\n")
    handling = {rule.__module__.rpartition(".")[2] for rule in all_rules() if ev.ColumnRemoved in rule.handles}
    assert "column_dropped" in imported
    assert imported == handling


def test_codes_names_and_aliases_are_known_without_importing_rules():
    imported = _imported_rules_after("""
        from compatlint.registry import rule_keys
        keys = rule_keys()
        assert keys["CL102"] == "CL102" and keys["column-dropped"] == "CL102"
    """)
    assert imported == set()
    expected = {}
    for rule in all_rules():
        for key in (rule.code, rule.name, *rule.aliases):
            expected[key] = rule.code
    assert rule_keys() == expected


def test_rule_by_key_imports_one_module():
    imported = _imported_rules_after("""
        from compatlint.registry import rule_by_key
        assert rule_by_key("cl904").code == "CL904"
    """)
    assert len(imported) == 1
    assert rule_by_key("column-dropped") is next(r for r in all_rules() if r.code == "CL102")
    assert rule_by_key("no-such-rule") is None


def test_a_module_missing_from_the_index_brings_every_rule_back(monkeypatch):
    registry._index.cache_clear()
    registry._rules_for.cache_clear()
    listed = registry._builtin_modules()
    monkeypatch.setattr(registry, "_builtin_modules", lambda: [*listed, "brand_new_rule"])
    try:
        assert registry._index() is None
        assert rules_for({ev.ColumnRemoved}) == tuple(r for r in all_rules() if ev.ColumnRemoved in r.handles)
    finally:
        monkeypatch.undo()
        registry._index.cache_clear()
        registry._rules_for.cache_clear()
    assert registry._index() is not None
