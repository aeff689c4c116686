"""`compatlint` command line: parses options, calls the library, maps the outcome to exit codes.

Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or input error, 130 interrupted.
"""

from __future__ import annotations

import gc
import importlib
import os
import sys

import click

# The shared helpers keep their short local names here (the commands below read as before).
from .cli_support import (EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, EXIT_INTERRUPTED, FILE_PATH,  # noqa: F401
                          FOLDER_PATH, FORMATS, Interrupted, colour_wanted, common_options as _common,
                          compare_or_none as _compare_or_none, emit as _emit, fail as _fail,
                          progress_options as _progress_options, reading_files as _reading_files,
                          run_check as _run_check, settings as _settings)
from .findings import Severity

AUDIT_FORMATS = FORMATS + ["html"]


class _Commands(click.Group):
    """The command group; the commands that live in their own modules are imported only when named or listed
    (`--help`), so that running another command does not build them."""

    elsewhere = {"rehearse": "compatlint.rehearse_cli"}  # command name -> module defining it, by that name

    def list_commands(self, ctx) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.elsewhere})

    def get_command(self, ctx, name: str):
        if name not in self.commands:  # that one, or all for an unknown name (click suggests close names)
            for command in [name] if name in self.elsewhere else self.elsewhere:
                self.add_command(getattr(importlib.import_module(self.elsewhere[command]), command))
        return super().get_command(ctx, name)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            raise Interrupted() from None  # click would turn it into "Aborted!" and exit 1


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="compatlint")
def main() -> None:
    """Backward-compatibility linter for Propel schema changes in Spryker projects.

    Flags every schema change that breaks the still-running V1 code after `Run_install`
    migrated the database to V2, with the expand/contract path to do it safely.
    """


@main.command()
@click.option("--base", "base_ref", metavar="REF", help="Compare from this git revision (its merge base with --head).")
@click.option("--head", "head_ref", metavar="REF", help="Compare to this revision (default: HEAD with --base, else the index).")
@click.option("--base-dir", type=FOLDER_PATH, help="Folder with the old schema files.")
@click.option("--head-dir", type=FOLDER_PATH, help="Folder with the new schema files.")
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("--output", "-o", type=FILE_PATH, help="Write the report to this file.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default=None,
              help="Lowest severity that makes the exit code 1 (default: config, else error).")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings reach --fail-on.")
@click.option("--baseline", "baseline_path", type=FILE_PATH,
              help="Leave out findings recorded in this baseline file (see `compatlint baseline`).")
@_progress_options
@_common
def check(base_ref, head_ref, base_dir, head_dir, output_format, output, fail_on, exit_zero, baseline_path,
          quiet, no_progress, platform, config_path, select, ignore, no_feature_folders, repo):
    """Check a schema change: staged vs HEAD by default, two revisions, or two folders."""
    from .errors import InputError, RegistryError, RuleCrash
    from .reporters import REPORTERS

    try:
        config = _settings(config_path, platform, select, ignore, no_feature_folders)
        baseline_path = baseline_path or (os.path.join(config.root, config.baseline) if config.baseline else None)
        if baseline_path:
            from .suppress import read_baseline

            baseline = read_baseline(baseline_path)
        else:
            baseline = None
        with _reading_files(quiet or no_progress):
            result = _compare_or_none(base_ref, head_ref, base_dir, head_dir, config, repo, baseline)
    except (InputError, RegistryError, RuleCrash) as error:
        _fail(str(error))
    threshold = Severity.parse(fail_on) if fail_on else config.fail_on
    colour = colour_wanted(output_format, output)
    if result is None:
        if output_format == "text":
            _emit("No schema or transfer file staged.\n", output)  # the pre-commit fast path stays quiet
            sys.exit(EXIT_CLEAN)
        from .api import empty_result

        result = empty_result(config.platform, "HEAD", "index", note="no schema file staged")
    _emit(REPORTERS[output_format](result, platform=config.platform, colour=colour, threshold=threshold), output)
    if result.input_errors():
        # Unusable schema files were reported (CL901) and the rest was checked; the input is bad.
        sys.exit(EXIT_ERROR)
    if not exit_zero and result.failed(threshold):
        sys.exit(EXIT_FINDINGS)
    sys.exit(EXIT_CLEAN)


@main.command()
@click.option("--base", "base_ref", metavar="REF", help="As for check.")
@click.option("--head", "head_ref", metavar="REF", help="As for check.")
@click.option("--base-dir", type=FOLDER_PATH)
@click.option("--head-dir", type=FOLDER_PATH)
@click.option("--output", "-o", type=FILE_PATH,
              help="Baseline file to write (default: the configured `baseline`, else .compatlint-baseline.json).")
@_common
def baseline(base_ref, head_ref, base_dir, head_dir, output, platform, config_path, select, ignore,
             no_feature_folders, repo):
    """Record today's findings, so `check --baseline FILE` reports only new ones.

    Without --base/--base-dir this records every finding of the whole schema compared with an empty
    one (the state to adopt compatlint on), which is what an existing project wants.
    """
    from .api import lint_schema_against_empty
    from .loaders.git import InputError
    from .suppress import write_baseline

    try:
        config = _settings(config_path, platform, select, ignore, no_feature_folders)
        if output is None:
            output = os.path.join(config.root, config.baseline) if config.baseline else ".compatlint-baseline.json"
        if base_ref or base_dir:
            result = _run_check(base_ref, head_ref, base_dir, head_dir, config, repo, None)
        else:
            result = lint_schema_against_empty(repo, config)
        if result.input_errors():
            problem = result.input_errors()[0]
            _fail(f"{problem.origin}: {problem.message} (fix the schema file before recording a baseline)")
        count = write_baseline(output, result.findings)
    except InputError as error:
        _fail(str(error))
    except OSError as error:
        _fail(f"{output}: cannot write the baseline: {error.strerror}")
    click.echo(f"wrote {count} finding{'' if count == 1 else 's'} to {output}")


@main.command()
@click.argument("rev_range", required=False)
@click.option("--all", "whole", is_flag=True, help="Audit the whole history of HEAD.")
@click.option("--first-parent", is_flag=True, help="Follow only the first parent of merges.")
@click.option("--format", "output_format", type=click.Choice(AUDIT_FORMATS), default="text", show_default=True,
              help="html: one self-contained page (timeline, findings, per-table history); the others as for check, "
                   "each finding with its commit.")
@click.option("--output", "-o", type=FILE_PATH, help="Write the report to this file.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default=None)
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings reach --fail-on.")
@click.option("--baseline", "baseline_path", type=FILE_PATH,
              help="Leave out findings recorded in this baseline file (default: the configured `baseline`).")
@_progress_options
@_common
def audit(rev_range, whole, first_parent, output_format, output, fail_on, exit_zero, baseline_path, quiet, no_progress,
          platform, config_path, select, ignore, no_feature_folders, repo):
    """Audit a branch or a whole history: every finding, attributed to the commit that introduced it.

    RANGE defaults to the current branch's own commits (merge base with the main branch..HEAD).
    """
    from .history import default_range, start_reading

    if whole != bool(rev_range):  # git reads the history while the rest is imported and the configuration read
        start_reading(repo, rev_range or "HEAD", first_parent)
    from .audit import add_repository_facts, render_audit, run_audit
    from .errors import RuleCrash
    from .loaders.git import InputError, stop_started
    from .progress import progress_bar, wanted

    bar = progress_bar("auditing", "commits", wanted(quiet or no_progress))
    try:
        config = _settings(config_path, platform, select, ignore, no_feature_folders)
        if whole and rev_range:
            _fail("give a range or --all, not both")
        baseline_path = baseline_path or (os.path.join(config.root, config.baseline) if config.baseline else None)
        baseline = _baseline_of(baseline_path)
        rev_range = "HEAD" if whole else (rev_range or default_range(repo))
        report = run_audit(repo, rev_range, config, first_parent=first_parent, progress=bar, baseline=baseline,
                           changes=output_format == "html")
        if output_format not in ("text", "json"):
            add_repository_facts(report, repo, first_parent)
    except (InputError, RuleCrash) as error:
        _fail(str(error))
    finally:
        stop_started()
        if bar is not None:
            bar.close()
    threshold = Severity.parse(fail_on) if fail_on else config.fail_on
    if output_format in ("text", "json"):
        text = render_audit(report, output_format, colour=colour_wanted(output_format, output))
    else:
        from .reporters import AUDIT_REPORTERS

        text = AUDIT_REPORTERS[output_format](report, platform=config.platform, threshold=threshold,
                                             baseline=baseline_path)
    _emit(text, output)
    if not exit_zero and any(f.severity >= threshold for entry in report.commits for f in entry.findings):
        sys.exit(EXIT_FINDINGS)
    sys.exit(EXIT_CLEAN)


def _baseline_of(baseline_path):
    if not baseline_path:
        return None
    from .suppress import read_baseline

    return read_baseline(baseline_path)


@main.command()
@click.option("--base", "base_ref", metavar="REF", help="As for check.")
@click.option("--head", "head_ref", metavar="REF", help="As for check.")
@click.option("--base-dir", type=FOLDER_PATH)
@click.option("--head-dir", type=FOLDER_PATH)
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--output", "-o", type=FILE_PATH, help="Write the plan to this file.")
@click.option("--all-platforms", is_flag=True, help="Print the SQL for MySQL and for PostgreSQL.")
@_common
def plan(base_ref, head_ref, base_dir, head_dir, output_format, output, all_platforms, platform, config_path, select,
         ignore, no_feature_folders, repo):
    """Print the SQL `propel:diff` would generate at deploy time, each statement tagged with its findings."""
    import json

    from .errors import RuleCrash
    from .loaders.git import InputError
    from .sql.generate import annotate, plan as make_plan, render_annotated

    try:
        config = _settings(config_path, platform, select, ignore, no_feature_folders)
        platforms = ["mysql", "pgsql"] if all_platforms else [config.platform]
        outputs = []
        for name in platforms:
            config.platform = name
            result = _run_check(base_ref, head_ref, base_dir, head_dir, config, repo, None)
            if result.input_errors():
                problem = result.input_errors()[0]
                _fail(f"{problem.origin}: {problem.message} (no plan from a schema Propel cannot read)")
            statements = make_plan(result.events, name)
            outputs.append((name, statements, annotate(statements, result.findings)))
    except (InputError, RuleCrash) as error:
        _fail(str(error))
    if output_format == "json":
        payload = {"version": 1, "platforms": {
            name: [{"sql": s.sql, "table": s.table,
                    "codes": [{"code": f.code, "name": f.name, "severity": str(f.severity), "subject": f.subject}
                              for f in notes.get(i, [])]}
                   for i, s in enumerate(statements) if s.sql]
            for name, statements, notes in outputs}}
        _emit(json.dumps(payload, indent=2) + "\n", output)
        return
    text = []
    for name, statements, notes in outputs:
        body = render_annotated(statements, name, notes)
        text.append(f"-- {name}: {'no schema change that Propel turns into SQL' if not body else str(len([s for s in statements if s.sql])) + ' statements'}\n{body}")
    _emit("\n".join(text), output)


@main.command("lint-sql")
@click.argument("files", nargs=-1, required=True, type=FILE_PATH)
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("--output", "-o", type=FILE_PATH, help="Write the report to this file.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default=None)
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings reach --fail-on.")
@click.option("--down", is_flag=True, help="Also lint getDownSQL() of PHP migrations, as a change of its own on the "
              "schema getUpSQL() leaves (findings labelled getDownSQL():).")
@click.option("--base", "base_ref", metavar="REF", help="The schema before the migration: the project's schema files "
              "at this git revision (of --repo).")
@click.option("--base-dir", type=FOLDER_PATH, help="The schema before the migration: a folder of "
              "schema files (a project root or a merged src/Orm/Propel/Schema).")
@_common
def lint_sql(files, output_format, output, fail_on, exit_zero, down, base_ref, base_dir, platform, config_path, select,
             ignore, no_feature_folders, repo):
    """Lint SQL files and Propel migration classes on their own.

    `.sql` files are taken as hand-written; `PropelMigration_*.php` as Propel-generated (read with a PHP
    parser, never executed). The platform comes from a `Migration_mysql`/`Migration_pgsql` folder in the
    path, else from --platform. With --base or --base-dir the statements are played on that schema and
    judged as `check` judges them; without, tables and columns the SQL touches are assumed to exist
    before it, and a type, size or nullability change whose old definition is unknown is CL506.
    """
    from .errors import RuleCrash
    from .loaders.git import InputError
    from .pipeline import check_sql_files
    from .reporters import REPORTERS
    from .scope import MigrationFile
    from .sql.base import base_schemas
    from .sql.lint import platform_of_file

    try:
        config = _settings(config_path, platform, select, ignore, no_feature_folders)
        bases = base_schemas(config, base_ref, base_dir, repo)
        migrations = []
        for path in files:
            try:
                with open(path, "rb") as handle:
                    data = handle.read()
            except OSError as error:
                _fail(f"{path}: cannot read: {error.strerror}")
            migrations.append(MigrationFile(path, data, platform_of_file(path, config.platform)))
        result = check_sql_files(migrations, config.platform, config, down=down, base_of=bases.schema,
                                 notes=bases.notes, base_label=bases.label)
    except (InputError, RuleCrash) as error:
        _fail(str(error))
    threshold = Severity.parse(fail_on) if fail_on else config.fail_on
    colour = colour_wanted(output_format, output)
    _emit(REPORTERS[output_format](result, platform=result.head.platform, colour=colour, threshold=threshold), output)
    if not exit_zero and result.failed(threshold):
        sys.exit(EXIT_FINDINGS)
    sys.exit(EXIT_CLEAN)


@main.command("rules")
@click.option("--format", "output_format", type=click.Choice(["text", "markdown"]), default="text", show_default=True)
def list_rules(output_format):
    """List every rule with its code, name and default severity."""
    from .docs import rules_markdown_table
    from .registry import all_rules

    if output_format == "markdown":
        click.echo(rules_markdown_table(), nl=False)
        return
    for rule in all_rules():
        click.echo(f"{rule.code}  {rule.name:<34} {str(rule.severity):<8} {rule.summary()}")


@main.command()
@click.argument("code")
def explain(code):
    """Print a rule's documentation (by code or name), like `ruff rule`."""
    from .docs import explain_rule
    from .registry import rule_by_key

    rule = rule_by_key(code)
    if rule is None:
        _fail(f"unknown rule {code!r}: see `compatlint rules`")
    click.echo(explain_rule(rule))


def run() -> None:
    """The command line's entry (the console script, `console.run`, calls it): an unexpected exception is an
    internal error (exit 2), never a traceback."""
    # A run builds large graphs of objects that reference counting frees on its own (no cycles); the
    # cyclic collector's passes over them took up to half of a large load or an audit. One short process.
    gc.disable()
    try:
        main(standalone_mode=True)
    except SystemExit as done:
        _stop_git_started_ahead()
        _leave(done)
    except (KeyboardInterrupt, Interrupted):
        _stop_git_started_ahead()
        click.echo("compatlint: interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except Exception as error:  # pragma: no cover - last resort
        _stop_git_started_ahead()
        click.echo(f"compatlint: internal error: {type(error).__name__}: {error} "
                   "(please report it with the command you ran)", err=True)
        sys.exit(EXIT_ERROR)


def _stop_git_started_ahead() -> None:
    """End the git commands started ahead of need that no one took (e.g. a usage error stopped the run)."""
    started = sys.modules.get("compatlint.loaders.git")
    if started is not None:
        started.stop_started()


def _leave(done: SystemExit) -> None:
    """End the process with its exit code without tearing the interpreter down: freeing a large run's
    millions of objects one by one, after the collector's last pass over them, cost more than some whole
    checks. Reports are written and closed by then; the standard streams are flushed here. Nothing of
    compatlint's relies on `atexit` (rehearse drops its scratch databases in `finally` blocks)."""
    code = done.code
    if code is not None and not isinstance(code, int):
        raise done  # a message to print: the interpreter's own exit does that
    for stream in (sys.stdout, sys.stderr):
        if stream is None:  # the process started with that descriptor closed
            continue
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe or stream: nothing more can be said on it
            pass
    os._exit(code or 0)


if __name__ == "__main__":  # pragma: no cover
    run()
