"""Which files are transfer definitions.

Spryker: `*.transfer.xml` directly in `APPLICATION_VENDOR_DIR/*/*/src/*/Shared/*/Transfer/` (core) and
`APPLICATION_SOURCE_DIR/*/Shared/*/Transfer/` (project) (spryker/spryker-core
`Bundles/Transfer/src/Spryker/Zed/Transfer/TransferConfig.php` L41-L48, L101-L104, L139-L142;
`Business/Model/Generator/TransferDefinitionFinder.php` L61, L79: file name `*.transfer.xml`, depth 0).
The spryker-core monorepo keeps modules under `Bundles/*` and `Features/*`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from ..loaders.patterns import compile_globs, literal_prefix

_DIR = "Shared/*/Transfer"
DEFAULT_CORE = (
    f"vendor/*/*/src/*/{_DIR}/*.transfer.xml",
    f"Bundles/*/src/*/{_DIR}/*.transfer.xml",
    f"Features/*/src/*/{_DIR}/*.transfer.xml",
)
DEFAULT_PROJECT = (f"src/*/{_DIR}/*.transfer.xml",)


@dataclass(frozen=True)
class TransferPatterns:
    """The globs of core and project transfer files (a docstring also spares `dataclass` working one out)."""

    core: tuple[str, ...] = DEFAULT_CORE
    project: tuple[str, ...] = DEFAULT_PROJECT

    @cached_property
    def _core(self):
        return compile_globs(self.core)

    @cached_property
    def _project(self):
        return compile_globs(self.project)

    @cached_property
    def _cache(self) -> dict:
        return {}

    def classify(self, path: str) -> str | None:
        """'core', 'project' or None for a repository-relative POSIX path."""
        if not path.endswith(".transfer.xml"):
            return None
        found = self._cache.get(path, False)
        if found is False:
            found = None
            if self._core is not None and self._core.match(path):
                found = "core"
            elif self._project is not None and self._project.match(path):
                found = "project"
            if len(self._cache) > 100000:
                self._cache.clear()
            self._cache[path] = found
        return found

    def prefixes(self) -> list[str]:
        found = {literal_prefix(p) for p in (*self.core, *self.project)}
        return [] if "" in found else sorted(found)

    def under(self, prefix: str) -> "TransferPatterns":
        if not prefix:
            return self
        return TransferPatterns(tuple(prefix + p for p in self.core), tuple(prefix + p for p in self.project))

    @property
    def empty(self) -> bool:
        return not self.core and not self.project


def patterns_of(config) -> TransferPatterns:
    """The transfer file patterns of a configuration (the defaults without one)."""
    return config.transfer_patterns() if config is not None and hasattr(config, "transfer_patterns") \
        else TransferPatterns()
