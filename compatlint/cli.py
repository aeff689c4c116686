"""`compatlint` command line: parses options, calls the library, maps the outcome to exit codes.

Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or input error.
"""

from __future__ import annotations

import os
import sys

import click

from .findings import Severity

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _fail(message: str) -> "NoReturn":  # noqa: F821
    click.echo(f"compatlint: error: {message}", err=True)
    sys.exit(EXIT_ERROR)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="compatlint")
def main() -> None:
    """Backward-compatibility linter for Propel schema changes in Spryker projects.

    Flags every schema change that breaks the still-running V1 code after `Run_install`
    migrated the database to V2, with the expand/contract path to do it safely.
    """


@main.command()
@click.option("--base", "base_ref", metavar="REF", help="Compare from this git revision (the merge base with --head is used).")
@click.option("--head", "head_ref", metavar="REF", help="Compare to this git revision (default: HEAD with --base, else the index).")
@click.option("--base-dir", type=click.Path(file_okay=False), help="Folder with the old schema files (e.g. a build's src/Orm/Propel/Schema).")
@click.option("--head-dir", type=click.Path(file_okay=False), help="Folder with the new schema files.")
@click.option("--platform", type=click.Choice(["mysql", "pgsql"]), default="mysql", show_default=True)
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default="error", show_default=True,
              help="Lowest severity that makes the exit code 1.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings reach --fail-on.")
@click.option("--no-feature-folders", is_flag=True, help="Leave out optional feature schema sub-folders.")
@click.option("--repo", default=".", type=click.Path(file_okay=False), help="Git repository (default: current folder).")
def check(base_ref, head_ref, base_dir, head_dir, platform, output_format, fail_on, exit_zero, no_feature_folders, repo):
    """Check a schema change: staged vs HEAD by default, two revisions, or two folders."""
    from .api import lint_directories, lint_git, staged_schema_change
    from .engine import RuleCrash
    from .loaders.git import InputError
    from .loaders.patterns import SchemaPatterns
    from .registry import RegistryError
    from .reporters import REPORTERS

    patterns = SchemaPatterns(include_features=not no_feature_folders)
    try:
        if base_dir or head_dir:
            if not (base_dir and head_dir):
                _fail("--base-dir and --head-dir go together")
            if base_ref or head_ref:
                _fail("use either --base/--head or --base-dir/--head-dir")
            result = lint_directories(base_dir, head_dir, platform, patterns)
        else:
            if head_ref and not base_ref:
                _fail("--head needs --base")
            if not base_ref and not staged_schema_change(repo, patterns):
                if output_format == "text":
                    click.echo("No schema file staged.")
                else:
                    click.echo('{"version": 1, "findings": [], "notes": ["no schema file staged"]}')
                sys.exit(EXIT_CLEAN)
            if base_ref:
                result = lint_git(repo, base_ref, head_ref or "HEAD", platform, patterns)
            else:
                result = lint_git(repo, "HEAD", None, platform, patterns, merge_base=False)
    except (InputError, RegistryError, RuleCrash) as error:
        _fail(str(error))
    colour = output_format == "text" and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    click.echo(REPORTERS[output_format](result, platform=platform, colour=colour), nl=False)
    if not exit_zero and result.failed(Severity.parse(fail_on)):
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
    """Console entry point: an unexpected exception is an internal error (exit 2), never a traceback."""
    try:
        main(standalone_mode=True)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        click.echo("compatlint: interrupted", err=True)
        sys.exit(130)
    except Exception as error:  # pragma: no cover - last resort
        click.echo(f"compatlint: internal error: {type(error).__name__}: {error} "
                   "(please report it with the command you ran)", err=True)
        sys.exit(EXIT_ERROR)


if __name__ == "__main__":  # pragma: no cover
    run()
