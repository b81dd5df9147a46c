# nbgrader configuration for a Datenwerkstatt course. `datenwerkstatt release` copies it into a new course directory;
# edit the copy there (course id, deadlines, database) - this file is the template.
c = get_config()  # noqa: F821 - provided by nbgrader/traitlets when the file is loaded

c.CourseDirectory.course_id = "datenwerkstatt"
# Gradebook: SQLite next to this file by default. For a shared hub use PostgreSQL, e.g.
# c.CourseDirectory.db_url = "postgresql+psycopg2://nbgrader:secret@localhost/datenwerkstatt"

# Learners see German stubs where solutions were removed.
c.ClearSolutions.code_stub = {"python": "# Dein Code hier"}
c.ClearSolutions.text_stub = "DEINE ANTWORT HIER"

# Never let a single cell hang the whole run (the sandboxed grader adds a per-notebook limit on top).
c.Execute.timeout = 60
c.Execute.interrupt_on_timeout = True

# Datasets and hints are bundled into the release; nbgrader restores them from the source when autograding,
# so a participant who edited or deleted a data file is graded on the original.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback"]
