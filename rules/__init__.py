"""Built-in compatlint rules: one rule per module, found by walking this package.

Installed as `compatlint.rules`. Shared helpers live in `_common.py` (not a rule module)."""
