# Read before HUB_ROOT/etc/jupyter/nbgrader_config.py, by trainers only: their course directory is ~/kurs,
# created by `datenwerkstatt release MODULE --course ~/kurs` (which also writes the course's own nbgrader_config.py).
import os

c = get_config()  # noqa: F821 - provided by nbgrader/traitlets when the file is loaded

c.CourseDirectory.root = os.path.expanduser("~/kurs")
# On Kubernetes the trainer's gradebook is PostgreSQL; the hub passes its URL to trainers only (never participants).
if os.environ.get("DATENWERKSTATT_GRADEBOOK_URL"):
    c.CourseDirectory.db_url = os.environ["DATENWERKSTATT_GRADEBOOK_URL"]
