"""Datenwerkstatt: a data-literacy curriculum for civil society, with an autograder on top of nbgrader.

Keep this module import-free: the CLI must start fast (see cli.py).
"""

__version__ = "0.1.0"
