"""Which files are schema files: Spryker's finder patterns, a monorepo's, a merged folder, plain Propel.

Spryker: `APPLICATION_VENDOR_DIR/*/*/src/*/Zed/*/Persistence/Propel/Schema/` (core, first) and
`APPLICATION_SOURCE_DIR/*/Zed/*/Persistence/Propel/Schema/` (project), file names `*_*.schema.xml`,
one sub-folder level deep for optional feature schemas (spryker-core
`Bundles/Propel/src/Spryker/Zed/Propel/PropelConfig.php` L179-L189,
`Business/Model/PropelSchemaFinder.php` L17, L41).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

_SCHEMA_DIR = "Zed/*/Persistence/Propel/Schema"

DEFAULT_CORE = (
    f"vendor/*/*/src/*/{_SCHEMA_DIR}/*_*.schema.xml",
    f"vendor/*/*/src/*/{_SCHEMA_DIR}/*/*_*.schema.xml",
    # the spryker-core monorepo layout (Bundles/ and Features/)
    f"Bundles/*/src/*/{_SCHEMA_DIR}/*_*.schema.xml",
    f"Bundles/*/src/*/{_SCHEMA_DIR}/*/*_*.schema.xml",
    f"Features/*/src/*/{_SCHEMA_DIR}/*_*.schema.xml",
    f"Features/*/src/*/{_SCHEMA_DIR}/*/*_*.schema.xml",
)
DEFAULT_PROJECT = (
    f"src/*/{_SCHEMA_DIR}/*_*.schema.xml",
    f"src/*/{_SCHEMA_DIR}/*/*_*.schema.xml",
)
# Used only when no module schema file is found: a merged output folder, or a plain Propel project.
DEFAULT_FALLBACK = (
    "src/Orm/Propel/Schema/*.schema.xml",
    "*.schema.xml",
    "schema.xml",
    "config/schema.xml",
    "config/*.schema.xml",
)

_FEATURE = re.compile(r"/Persistence/Propel/Schema/([^/]+)/[^/]+$")


def glob_to_regex(pattern: str) -> str:
    out = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if ch == "*":
            out.append("[^/]*")
        elif ch == "?":
            out.append("[^/]")
        else:
            out.append(re.escape(ch))
        i += 1
    return "".join(out)


def compile_globs(patterns: tuple[str, ...]) -> re.Pattern | None:
    if not patterns:
        return None
    return re.compile("^(?:" + "|".join(glob_to_regex(p) for p in patterns) + ")$")


def literal_prefix(pattern: str) -> str:
    """The leading directories of a glob without wildcards (to narrow `git ls-tree`)."""
    parts = []
    for part in pattern.split("/")[:-1]:
        if any(ch in part for ch in "*?["):
            break
        parts.append(part)
    return "/".join(parts)


@dataclass(frozen=True)
class SchemaPatterns:
    core: tuple[str, ...] = DEFAULT_CORE
    project: tuple[str, ...] = DEFAULT_PROJECT
    fallback: tuple[str, ...] = DEFAULT_FALLBACK
    # True: optional feature sub-folders are included; a tuple of names excludes those features.
    include_features: bool = True
    excluded_features: tuple[str, ...] = field(default=())

    @cached_property
    def _core(self):
        return compile_globs(self.core)

    @cached_property
    def _project(self):
        return compile_globs(self.project)

    @cached_property
    def _fallback(self):
        return compile_globs(self.fallback)

    def _feature_allowed(self, path: str) -> bool:
        match = _FEATURE.search(path)
        if not match:
            return True
        return self.include_features and match.group(1) not in self.excluded_features

    def classify(self, path: str) -> str | None:
        """'core', 'project', 'fallback' or None for a repository-relative POSIX path (memoised: a history
        walk asks about the same few hundred paths for every commit)."""
        cache = self._classified
        if path in cache:
            return cache[path]
        if len(cache) > 100000:
            cache.clear()
        cache[path] = found = self._classify(path)
        return found

    @cached_property
    def _classified(self) -> dict:
        return {}

    def _classify(self, path: str) -> str | None:
        if not path.endswith(".xml"):
            return None
        for kind, regex in (("core", self._core), ("project", self._project), ("fallback", self._fallback)):
            if regex is not None and regex.match(path):
                if kind != "fallback" and not self._feature_allowed(path):
                    return None
                return kind
        return None

    def prefixes(self) -> list[str]:
        found = {literal_prefix(p) for p in (*self.core, *self.project, *self.fallback)}
        if "" in found:
            return []  # some pattern is at the root: list everything
        return sorted(found)

    def under(self, prefix: str) -> "SchemaPatterns":
        """The same patterns for a project in a sub-folder of the repository (`prefix` ends with "/")."""
        if not prefix:
            return self
        return SchemaPatterns(core=tuple(prefix + p for p in self.core), project=tuple(prefix + p for p in self.project),
                              fallback=tuple(prefix + p for p in self.fallback), include_features=self.include_features,
                              excluded_features=self.excluded_features)

    def matches_any(self, path: str) -> bool:
        return self.classify(path) is not None
