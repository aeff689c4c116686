"""One comparison from start to end (the picture is in CONTRIBUTING.md, "Map of the code"):

1. sources: the files of both sides and the change's migration files (`modes/`, `loaders/sources.py`);
2. parse, merge and normalise each side (`loading.py`: `loaders/xml.py`, `loaders/merge.py`,
   `lazy_tables.py`, `normalize.py`, `behaviors.py`; each table is normalised when first read);
3. diff (`diff.py`) into typed events (`changes.py`), in batches (`engine.Batch`): the schema change's,
   one per migration file (the migration channel, `sql/lint.py`), one per other `Channel`;
4. rules, once over every batch, findings de-duplicated once (`engine.run_batches`);
5. the user's policy, once: severity, suppression comments, select/ignore, per-path ignores, baseline
   (`suppress.finalize`);
6. a `LintResult` (`result.py`) for the reporters (`reporters/`).

`run` is the funnel of steps 4-6: every comparison (two folders, two revisions, a history walk's
commits, `lint-sql`, the rule examples) builds its batches of events and calls it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Callable, Sequence

from . import changes as ev
from .diff import diff_schemas
from .engine import Batch, run_batches
from .errors import InputError
from .loaders.merge import LoadProblem
from .loaders.sources import FileSet
from .lazy_tables import tables_that_may_differ
from .loading import adopt_from_base, load_schema
from .model import PLATFORMS, Schema
from .registry import rules_for
from .result import LintResult
from .rule import Rule
from .suppress import finalize

# Another source of events besides the schema diff (e.g. transfer definitions): called with both loaded
# schemas, it returns its batch (events, suppression comments, unusable files).
Channel = Callable[[Schema, Schema], Batch]


def run(batches: Sequence[Batch], base: Schema, head: Schema, *, rules: Sequence[type[Rule]] | None = None,
        config=None, baseline: set[str] | None = None, policy: bool = True) -> LintResult:
    """Rules over every batch (once), then the user's policy (once): the funnel every comparison goes
    through. The batches' suppression comments join those of the schemas, their unusable files the result.
    `policy=False` leaves the findings as the rules reported them (library use; `finalize` applies it)."""
    events = [event for batch in batches for event in batch.events]
    if rules is None:
        rules = rules_for({type(event) for event in events})  # only the rule modules these events need
    findings = run_batches(rules, batches)
    head_directives = tuple(d for batch in batches for d in batch.head_directives)
    base_directives = tuple(d for batch in batches for d in batch.base_directives)
    if head_directives:
        head = replace(head, directives=tuple(head.directives) + head_directives)
    if base_directives:
        base = replace(base, directives=tuple(base.directives) + base_directives)
    result = LintResult(findings, events, base, head)
    result.invalid_files = [problem for batch in batches for problem in batch.invalid_files]
    if policy:
        result = finalize(result, config, baseline)
    return result


def _problem_key(problem: LoadProblem) -> tuple:
    return (problem.kind, problem.table, problem.column, problem.origin.path, problem.message)


def problem_events(base_problems: list[LoadProblem], head_problems: list[LoadProblem]) -> list[ev.Event]:
    """Loading problems as events: broken head files always; merge conflicts only where the change
    introduced them."""
    old = {_problem_key(p) for p in base_problems}
    return [ev.SchemaProblem(p) for p in head_problems if p.kind == "invalid-file" or _problem_key(p) not in old]


def compare_schemas(base: Schema, base_problems: list[LoadProblem], head: Schema, head_problems: list[LoadProblem],
                    rules: Sequence[type[Rule]] | None = None, *, migrations=None, load_pair=None,
                    channels: Sequence[Channel] = (), config=None, baseline: set[str] | None = None,
                    policy: bool = False, maybe_changed=None) -> LintResult:
    """Diff two loaded schemas, add the batches of the change's migrations (`scope.Migrations`) and of other
    channels (each called with both schemas), and run the rules. `load_pair(platform)` loads both sides
    for a migration of the other platform. Without `policy`, the findings are as the rules reported them.
    `maybe_changed`: the only tables that can differ (see `diff.diff_schemas`)."""
    changes = diff_schemas(base, head, maybe_changed)
    schema = Batch(problem_events(base_problems, head_problems) + changes, base, head,
                   invalid_files=tuple(p for p in head_problems if p.kind == "invalid-file"))
    batches = [schema]
    if migrations is not None and (migrations.files or migrations.committed):  # else no SQL machinery to import
        from .sql.lint import migration_batches

        drift, from_migrations = migration_batches(migrations, base, changes, head.platform, load_pair)
        schema.events += drift
        batches += from_migrations
    batches += [channel(base, head) for channel in channels]
    return run(batches, base, head, rules=rules, config=config, baseline=baseline, policy=policy)


def compare(base_files: FileSet, head_files: FileSet, platform: str = "mysql",
            rules: Sequence[type[Rule]] | None = None, *, migrations=None, channels: Sequence[Channel] = (),
            config=None, baseline: set[str] | None = None, policy: bool = False) -> LintResult:
    """Load both sides and compare them (see `compare_schemas`)."""
    if platform not in PLATFORMS:
        raise InputError(f"unknown platform {platform!r}: use mysql or pgsql")
    base, base_problems = load_schema(base_files.files, platform)
    changed = adopt_from_base(base_files.files, head_files.files)
    head, head_problems = load_schema(head_files.files, platform)
    if changed:
        head = replace(head, tables=head.tables.kept_apart_from(base.tables, changed))

    def load_pair(other: str) -> tuple[Schema, Schema]:
        return load_schema(base_files.files, other)[0], load_schema(head_files.files, other)[0]

    result = compare_schemas(base, base_problems, head, head_problems, rules, migrations=migrations,
                             load_pair=load_pair, channels=channels, config=config, baseline=baseline,
                             policy=policy, maybe_changed=tables_that_may_differ(base.tables, head.tables))
    result.notes = [*base_files.notes, *head_files.notes]
    result.base_label, result.head_label = base_files.label, head_files.label
    return result


def check(base_files: FileSet, head_files: FileSet, platform: str = "mysql", *, migrations=None,
          channels: Sequence[Channel] = (), config=None, baseline: set[str] | None = None,
          rules: Sequence[type[Rule]] | None = None) -> LintResult:
    """`compare` with the user's policy applied: what `compatlint check` reports."""
    return compare(base_files, head_files, platform, rules, migrations=migrations, channels=channels, config=config,
                   baseline=baseline, policy=True)


def check_sql_files(files: Sequence, platform: str, config=None, down: bool = False, *, base_of=None,
                    notes: Sequence[str] = (), base_label: str = "(assumed)") -> LintResult:
    """`compatlint lint-sql`: migration files (`scope.MigrationFile`) on their own, each played on the schema
    `base_of(platform)` gives, else on an empty one (tables and columns they touch are assumed to exist)."""
    from .sql.lint import file_batches

    def base(file_platform: str) -> Schema:
        return base_of(file_platform) if base_of is not None else Schema(platform=file_platform, tables={})

    batches = [batch for f in files for batch in file_batches(f, base(f.platform), down=down)]
    platforms = {f.platform for f in files}
    shown = platforms.pop() if len(platforms) == 1 else platform  # the files' own platform
    empty = Schema(platform=shown, tables={})
    result = run(batches, empty, empty, config=config)
    result.notes = list(notes)
    result.base_label, result.head_label = base_label, ", ".join(f.path for f in files)
    return result


def check_migration(statements, base: Schema, platform: str, *, head: Schema | None = None,
                    hand_written_default: bool = True, rules: Sequence[type[Rule]] | None = None) -> LintResult:
    """One migration's statements played on `base`; with `head`, checked together with the schema change
    base -> head (statements Propel would not generate for it are hand-written; CL503 compares the two)."""
    from .sql.generate import plan
    from .sql.lint import migration_batch

    expected = schema_events = None
    if head is not None:
        schema_events = diff_schemas(base, head)
        expected = [s.sql for s in plan(schema_events, platform) if s.sql]
    batch = migration_batch(statements, base, platform, expected_sql=expected,
                            hand_written_default=hand_written_default, schema_events=schema_events)
    return run([batch], base, replace(batch.head, directives=()), rules=rules)
