"""What every `compatlint` command shares: exit codes, the common options, reading the configuration,
writing the output, failing with exit code 2, and running the comparison `check` makes.

Each command module (`cli`, `rehearse_cli`) imports from here and never from another command module.
"""

from __future__ import annotations

import os
import sys

import click

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT: what shells report for a command stopped by Ctrl-C
FORMATS = ["text", "json", "sarif", "github", "gitlab", "junit", "markdown"]


class Interrupted(Exception):
    """Ctrl-C (or SIGTERM during a rehearsal) stopped a command: carried past click, which would exit 1 (the
    exit code of findings) for it, to `cli.run`, which exits 130."""


def colour_wanted(output_format: str, output: str | None) -> bool:
    """Colour a text report written to a terminal, unless NO_COLOR is set (standard output may be closed)."""
    if output_format != "text" or output or "NO_COLOR" in os.environ or sys.stdout is None:
        return False
    try:
        return sys.stdout.isatty()
    except ValueError:  # closed
        return False


def fail(message: str) -> "NoReturn":  # noqa: F821
    click.echo(f"compatlint: error: {message}", err=True)
    sys.exit(EXIT_ERROR)


# One instance of each path type for every option of every command: making one asks gettext for a
# translation of its name, which looks for message catalogues on disk.
FILE_PATH = click.Path(dir_okay=False)
FOLDER_PATH = click.Path(file_okay=False)


def common_options(func):
    """Options shared by check, baseline, audit, plan, lint-sql and rehearse."""
    options = [
        click.option("--platform", type=click.Choice(["mysql", "pgsql"]), default=None,
                     help="Database platform (default: config, else mysql)."),
        click.option("--config", "config_path", type=FILE_PATH,
                     help="Configuration file (default: compatlint.toml, .compatlint.toml or [tool.compatlint] in "
                          "pyproject.toml, found upward from the current folder)."),
        click.option("--select", multiple=True, help="Only these rules (codes, prefixes such as CL1, or names)."),
        click.option("--ignore", multiple=True, help="Leave out these rules."),
        click.option("--no-feature-folders", is_flag=True, help="Leave out optional feature schema sub-folders."),
        click.option("--repo", default=".", type=FOLDER_PATH, help="Git repository (default: here)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def progress_options(func):
    """--quiet and --no-progress: the progress bar (stderr, only on a terminal) of long runs."""
    func = click.option("--no-progress", is_flag=True,
                        help="No progress bar (it shows only when stderr is a terminal).")(func)
    return click.option("--quiet", "-q", is_flag=True, help="Nothing on stderr but errors (no progress bar).")(func)


def reading_files(off: bool):
    """A bar for reading a large schema set, shown when that takes over half a second on a terminal."""
    from .progress import showing, wanted

    return showing("files", "reading", "schema files", wanted(off), delay=0.5)


def settings(config_path, platform, select, ignore, no_feature_folders):
    """The configuration file with the command line's options on top."""
    from .config import check_rule_keys, load_config

    config = load_config(".", config_path)
    if platform:
        config.platform = platform
    if select:
        config.select = split_values(select)
    if ignore:
        config.ignore = config.ignore + split_values(ignore)
    if no_feature_folders:
        config.feature_folders = False
    check_rule_keys("--select", "select", config.select, allow_prefix=True)
    check_rule_keys("--ignore", "ignore", config.ignore, allow_prefix=True)
    return config


def split_values(values) -> tuple[str, ...]:
    """`--select A,B --select C` -> ("A", "B", "C")."""
    return tuple(v.strip() for value in values for v in value.split(",") if v.strip())


def emit(text: str, output: str | None) -> None:
    """Write a report to `output`, else to standard output."""
    if output:
        try:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text)
        except OSError as error:
            fail(f"{output}: cannot write: {error.strerror}")
    else:
        click.echo(text, nl=False)


def run_check(base_ref, head_ref, base_dir, head_dir, config, repo, baseline):
    """The comparison `check` would make (an empty result when nothing is staged)."""
    result = compare_or_none(base_ref, head_ref, base_dir, head_dir, config, repo, baseline)
    if result is None:
        from .api import empty_result

        result = empty_result(config.platform, "HEAD", "index", note="no schema file staged")
    return result


def compare_or_none(base_ref, head_ref, base_dir, head_dir, config, repo, baseline):
    """The comparison the options ask for, or None when nothing is staged (the pre-commit fast path)."""
    from .scope import staged_schema_change

    patterns = config.patterns()
    if not (base_dir or head_dir or base_ref or head_ref) and not staged_schema_change(repo, patterns, config):
        return None  # nothing staged: the pre-commit fast path imports nothing else
    from .api import lint_directories, lint_git

    if base_dir or head_dir:
        if not (base_dir and head_dir):
            fail("--base-dir and --head-dir go together")
        if base_ref or head_ref:
            fail("use either --base/--head or --base-dir/--head-dir")
        return lint_directories(base_dir, head_dir, config.platform, patterns, config=config, baseline=baseline)
    if head_ref and not base_ref:
        fail("--head needs --base")
    if base_ref:
        return lint_git(repo, base_ref, head_ref or "HEAD", config.platform, patterns, config=config, baseline=baseline)
    return lint_git(repo, "HEAD", None, config.platform, patterns, merge_base=False, config=config, baseline=baseline)
