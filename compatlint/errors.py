"""The exceptions the command line turns into exit code 2 (kept apart so the fast paths import nothing else)."""


class InputError(Exception):
    """Bad input from the user: exit code 2 with this message."""


class RegistryError(Exception):
    """A rule plugin that cannot be loaded, or a duplicate rule code or name."""


class RuleCrash(Exception):
    """A rule raised: an internal error, exit code 2, naming the rule."""
