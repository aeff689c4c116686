"""`compatlint rehearse`: prove each verdict of `check` against a real MariaDB/MySQL or PostgreSQL server.

Shares `check`'s options and helpers through `compatlint.cli_support`; the database drivers are imported only
when the command runs.
"""

from __future__ import annotations

import sys

import click

from .cli_support import (EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, FILE_PATH, FOLDER_PATH, common_options, emit, fail,
                          progress_options, run_check, settings)


def _run(dsn, base_ref, head_ref, base_dir, head_dir, migration_path, output_format, output, fail_on, exit_zero,
         baseline_path, keep, stop_at_failure, platform, config_path, select, ignore, no_feature_folders, repo,
         quiet=False, no_progress=False):
    import json
    import os

    from .errors import InputError, RegistryError, RuleCrash
    from .findings import Severity
    from .rehearse import RehearsalError, parse_dsn, read_migration_file, rehearse, render_text, to_json
    from .suppress import read_baseline

    try:
        target = parse_dsn(dsn)
    except RehearsalError as error:
        fail(str(error))
    if platform and platform != target.platform:
        fail(f"--platform {platform} does not match --dsn {target.redacted()} ({target.platform}); "
              "leave --platform out: the DSN decides")
    try:
        config = settings(config_path, target.platform, select, ignore, no_feature_folders)
        baseline_path = baseline_path or (os.path.join(config.root, config.baseline) if config.baseline else None)
        baseline = read_baseline(baseline_path) if baseline_path else None
        result = run_check(base_ref, head_ref, base_dir, head_dir, config, repo, baseline)
        from .transfers.check import without_transfers

        result = without_transfers(result)  # a database can only rehearse the database's findings
        migration = read_migration_file(migration_path, target.platform) if migration_path else None
    except (InputError, RegistryError, RuleCrash) as error:
        fail(str(error))
    if result.nothing_to_check:
        click.echo("No schema file staged: nothing to rehearse.")
        sys.exit(EXIT_CLEAN)
    if result.input_errors():
        for problem in result.input_errors():
            click.echo(f"{problem.origin}: CL901 {problem.message}", err=True)
        fail("unreadable schema files at the head revision: fix them (see `compatlint check`) before rehearsing")
    from .progress import progress_bar, wanted

    bar = progress_bar("rehearsing", "phases", wanted(quiet or no_progress))
    phases = ("scratch", "seeded", "migrated", "workload")
    if bar is not None:
        bar(0, len(phases))
    try:
        report = rehearse(result, target, migration=migration, migration_label=migration_path, keep=keep,
                          stop_at_failure=stop_at_failure,
                          on_phase=(lambda name, _: bar(phases.index(name) + 1, len(phases))) if bar else None)
    except RehearsalError as error:
        fail(str(error))
    finally:
        if bar is not None:
            bar.close()
    threshold = Severity.parse(fail_on) if fail_on else config.fail_on
    if output_format == "json":
        emit(json.dumps(to_json(report, result), indent=2) + "\n", output)
    else:
        emit(render_text(report, result, threshold), output)
    if report.kept and output_format == "json":
        click.echo(f"compatlint: scratch {report.scratch_kind} {report.scratch} kept (--keep)", err=True)
    if not report.kept and not report.dropped:
        click.echo(f"compatlint: error: scratch {report.scratch_kind} {report.scratch} could not be dropped: "
                   f"{report.drop_error}", err=True)
        sys.exit(EXIT_ERROR)
    if not exit_zero and (result.failed(threshold) or report.missed):
        sys.exit(EXIT_FINDINGS)
    sys.exit(EXIT_CLEAN)


@click.command("rehearse")
@click.option("--dsn", required=True, metavar="URL",
              help="Server to rehearse on: mysql://user[:password]@host[:port][/db] (MariaDB too) or "
                   "postgresql://user[:password]@host[:port]/db. The platform follows from the scheme.")
@click.option("--base", "base_ref", metavar="REF", help="As for check.")
@click.option("--head", "head_ref", metavar="REF", help="As for check.")
@click.option("--base-dir", type=FOLDER_PATH, help="As for check.")
@click.option("--head-dir", type=FOLDER_PATH, help="As for check.")
@click.option("--migration", "migration_path", type=FILE_PATH, metavar="FILE",
              help="Rehearse this committed migration (.sql, or a PropelMigration_*.php class) instead of the "
                   "SQL compatlint predicts.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--output", "-o", type=FILE_PATH, help="Write the report to this file.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default=None,
              help="Lowest severity that makes the exit code 1 (default: config, else error). A missed breakage "
                   "always does.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings reach --fail-on.")
@click.option("--baseline", "baseline_path", type=FILE_PATH, help="As for check.")
@click.option("--keep", is_flag=True, help="Debugging: do not drop the scratch database (its name is printed).")
@click.option("--stop-at-failure", is_flag=True,
              help="Stop the migration at its first failing statement, as Propel does (PostgreSQL rolls it "
                   "back). By default the rehearsal records the failure and applies the remaining statements, "
                   "so every finding is rehearsed.")
@progress_options
@common_options
def rehearse(**options):
    """Prove each verdict against a real MariaDB/MySQL or PostgreSQL server.

    Creates a scratch database (dropped afterwards, even on Ctrl-C), creates V1's tables, inserts rows
    as V1's Propel code does, applies the V2 migration, then runs V1's Propel-shaped SELECT, INSERT,
    UPDATE and DELETE on every table the change touches. Each finding is marked confirmed (with the
    server's own error) or not reproduced; a failure no finding explains is a missed breakage.
    Exit codes as for check: 0 clean, 1 findings at or above --fail-on (or a missed breakage),
    2 usage, input or connection error.
    """
    _run(**options)
