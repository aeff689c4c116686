"""The library's front door: everything a caller needs to compare two schemas, re-exported from the
module of its stage (see `compatlint.pipeline` for the picture). The CLI is a thin layer over this.

- `lint_git`, `lint_directories`, `lint_schema_against_empty`: the modes (`compatlint.modes`), findings
  with the configuration's policy applied;
- `compare`, `compare_schemas`: the rules' findings as reported, and `finalize` to apply a policy;
- `load_schema`: one side, parsed, merged and normalised (`compatlint.loading`);
- `LintResult`, `empty_result` (`compatlint.result`).
"""

from __future__ import annotations

from .loaders.git import InputError
from .loading import load_schema
from .modes.directories import lint_directories, lint_schema_against_empty
from .modes.git_revisions import STAGED, lint_git
from .pipeline import check, compare, compare_schemas
from .result import LintResult, empty_result
from .suppress import finalize

__all__ = ["InputError", "LintResult", "STAGED", "check", "compare", "compare_schemas", "empty_result", "finalize",
           "lint_directories", "lint_git", "lint_schema_against_empty", "load_schema"]
