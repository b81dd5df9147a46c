"""Errors the CLI shows as one clear line (what went wrong, which file, what to do) instead of a traceback."""


class UserError(Exception):
    """A problem the user can fix: bad input, missing file, wrong module id. The message names the fix."""
