"""compatlint: backward-compatibility linter for Propel schema changes in Spryker projects."""

__version__ = "0.1.0"
