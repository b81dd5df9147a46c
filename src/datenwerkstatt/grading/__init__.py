"""The trainer side: release, collect, autograde, feedback, reports (on top of nbgrader)."""
