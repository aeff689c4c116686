"""Configuration: `compatlint.toml`, `.compatlint.toml` or `[tool.compatlint]` in `pyproject.toml`,
found upward from the working directory. Command-line flags win over the file.

Unknown keys and bad values are errors naming the file and the key (exit 2), never ignored.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from .findings import Severity
from .loaders.git import InputError
from .loaders.patterns import DEFAULT_CORE, DEFAULT_FALLBACK, DEFAULT_PROJECT, SchemaPatterns

CONFIG_FILES = ("compatlint.toml", ".compatlint.toml", "pyproject.toml")
# The migration files (`migrations`) `compatlint.scope` looks for; here, as an audit reads no migrations
# and need not import scope.
DEFAULT_MIGRATIONS = ("src/Orm/Propel/Migration_mysql/*.php", "src/Orm/Propel/Migration_pgsql/*.php",
                      "src/Orm/Propel/Migration_mysql/*.sql", "src/Orm/Propel/Migration_pgsql/*.sql")


@dataclass
class Config:
    """The settings of a run (a docstring also spares `dataclass` working one out at import)."""

    path: str | None = None  # the file it came from, if any
    root: str = "."  # the folder of that file; relative paths in the config are relative to it
    platform: str = "mysql"
    fail_on: Severity = Severity.ERROR
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: dict[str, Severity] = field(default_factory=dict)
    per_path_ignores: dict[str, tuple[str, ...]] = field(default_factory=dict)
    baseline: str | None = None
    require_reason: bool = True
    schema_core: tuple[str, ...] = DEFAULT_CORE
    schema_project: tuple[str, ...] = DEFAULT_PROJECT
    schema_fallback: tuple[str, ...] = DEFAULT_FALLBACK
    feature_folders: bool = True
    exclude_features: tuple[str, ...] = ()
    migrations: tuple[str, ...] = DEFAULT_MIGRATIONS
    transfers_core: tuple[str, ...] | None = None  # None: compatlint.transfers.patterns defaults
    transfers_project: tuple[str, ...] | None = None
    transfers_stored: tuple[str, ...] = ()

    def transfer_patterns(self):
        from .transfers.patterns import DEFAULT_CORE as CORE, DEFAULT_PROJECT as PROJECT, TransferPatterns

        return TransferPatterns(core=CORE if self.transfers_core is None else self.transfers_core,
                                project=PROJECT if self.transfers_project is None else self.transfers_project)

    def patterns(self) -> SchemaPatterns:
        return SchemaPatterns(core=self.schema_core, project=self.schema_project, fallback=self.schema_fallback,
                              include_features=self.feature_folders, excluded_features=self.exclude_features)


def find_config(start: str = ".") -> tuple[str, dict] | None:
    """The first config file upward from `start`: (path, its compatlint table)."""
    try:
        folder = os.path.abspath(start)
    except FileNotFoundError:  # the working folder was deleted under the shell
        raise InputError("the current folder no longer exists: cd to the project again") from None
    while True:
        for name in CONFIG_FILES:
            candidate = os.path.join(folder, name)
            if os.path.isfile(candidate):
                data = _read(candidate)
                if name == "pyproject.toml":
                    section = data.get("tool", {}).get("compatlint")
                    if section is None:
                        continue
                    return candidate, section
                return candidate, data
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def _read(path: str) -> dict:
    try:  # imported here: most runs find no configuration file, and the parser takes ~10 ms to import
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise InputError(f"{path}: invalid TOML: {error}") from None
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror}") from None


def _strings(path: str, key: str, value) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(f"{path}: `{key}` must be a list of strings")
    return tuple(value)


def _severity(path: str, key: str, value) -> Severity:
    if not isinstance(value, str):
        raise InputError(f"{path}: `{key}` must be one of error, warning, info")
    try:
        return Severity.parse(value)
    except ValueError:
        raise InputError(f"{path}: `{key}` = {value!r}: must be one of error, warning, info") from None


def check_rule_keys(path: str, key: str, values: tuple[str, ...], allow_prefix: bool) -> tuple[str, ...]:
    if not values:
        return values  # nothing to check: do not import the rules (the pre-commit fast path)
    from .registry import rule_keys

    known = rule_keys()  # code, name or alias -> code
    codes = set(known.values())
    for value in values:
        if value in known or value.upper() in known:
            continue
        if allow_prefix and value.upper().startswith("CL") and any(code.startswith(value.upper()) for code in codes):
            continue
        raise InputError(f"{path}: `{key}` names unknown rule {value!r} (see `compatlint rules`)")
    return values


def load_config(start: str = ".", explicit: str | None = None) -> Config:
    """Read the configuration; defaults when there is no file."""
    if explicit:
        data = _read(explicit)
        if os.path.basename(explicit) == "pyproject.toml":
            data = data.get("tool", {}).get("compatlint", {})
        found = (explicit, data)
    else:
        found = find_config(start)
    if found is None:
        return Config()
    path, data = found
    if not isinstance(data, dict):
        raise InputError(f"{path}: the compatlint configuration must be a table")
    config = Config(path=path, root=os.path.dirname(os.path.abspath(path)))
    for key, value in data.items():
        if key == "platform":
            if value not in ("mysql", "pgsql"):
                raise InputError(f"{path}: `platform` = {value!r}: must be mysql or pgsql")
            config.platform = value
        elif key == "fail-on":
            config.fail_on = _severity(path, key, value)
        elif key in ("select", "ignore"):
            setattr(config, key, check_rule_keys(path, key, _strings(path, key, value), allow_prefix=True))
        elif key == "severity":
            if not isinstance(value, dict):
                raise InputError(f"{path}: `severity` must be a table of rule = severity")
            for rule, level in value.items():
                check_rule_keys(path, f"severity.{rule}", (rule,), allow_prefix=False)
                config.severity[rule] = _severity(path, f"severity.{rule}", level)
        elif key == "per-path-ignores":
            if not isinstance(value, dict):
                raise InputError(f"{path}: `per-path-ignores` must be a table of glob = [rules]")
            for glob, rules in value.items():
                config.per_path_ignores[glob] = check_rule_keys(path, f"per-path-ignores.{glob}",
                                                           _strings(path, f"per-path-ignores.{glob}", rules), True)
        elif key == "baseline":
            if not isinstance(value, str):
                raise InputError(f"{path}: `baseline` must be a path")
            config.baseline = value
        elif key == "require-reason":
            if not isinstance(value, bool):
                raise InputError(f"{path}: `require-reason` must be true or false")
            config.require_reason = value
        elif key == "schema":
            _schema_section(path, value, config)
        elif key == "migrations":
            config.migrations = _strings(path, key, value)
        elif key == "transfers":
            _transfers_section(path, value, config)
        else:
            raise InputError(f"{path}: unknown key `{key}` (known: platform, fail-on, select, ignore, severity, "
                             "per-path-ignores, baseline, require-reason, schema, migrations, transfers)")
    return config


def _schema_section(path: str, value, config: Config) -> None:
    if not isinstance(value, dict):
        raise InputError(f"{path}: `schema` must be a table")
    for key, item in value.items():
        if key in ("core", "project", "fallback"):
            setattr(config, f"schema_{key}", _strings(path, f"schema.{key}", item))
        elif key == "feature-folders":
            if not isinstance(item, bool):
                raise InputError(f"{path}: `schema.feature-folders` must be true or false")
            config.feature_folders = item
        elif key == "exclude-features":
            config.exclude_features = _strings(path, f"schema.{key}", item)
        else:
            raise InputError(f"{path}: unknown key `schema.{key}` (known: core, project, fallback, feature-folders, "
                             "exclude-features)")


def _transfers_section(path: str, value, config: Config) -> None:
    if not isinstance(value, dict):
        raise InputError(f"{path}: `transfers` must be a table")
    for key, item in value.items():
        if key in ("core", "project"):
            setattr(config, f"transfers_{key}", _strings(path, f"transfers.{key}", item))
        elif key == "stored":
            from .transfers.model import normalized_name, transfer_name_problem

            names = _strings(path, "transfers.stored", item)
            for name in names:
                problem = transfer_name_problem(name)
                if problem:
                    raise InputError(f"{path}: `transfers.stored` names {name!r}, which is not a transfer name: "
                                     f"{problem}")
            config.transfers_stored = tuple(normalized_name(name) for name in names)
        else:
            raise InputError(f"{path}: unknown key `transfers.{key}` (known: core, project, stored)")
