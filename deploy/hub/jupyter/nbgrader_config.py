# nbgrader settings for every user of the workshop hub (setup.sh installs this into HUB_ROOT/etc/jupyter/).
# Participants fetch and submit through the exchange; the course id must match the trainer's course.
import os
from pathlib import Path

c = get_config()  # noqa: F821 - provided by nbgrader/traitlets when the file is loaded

HUB_ROOT = Path(__file__).resolve().parents[2]  # HUB_ROOT/etc/jupyter/nbgrader_config.py
c.CourseDirectory.course_id = "datenwerkstatt"
# on Kubernetes the exchange is a shared volume mounted elsewhere: NBGRADER_EXCHANGE (deploy/z2jh/config.yaml)
c.Exchange.root = os.environ.get("NBGRADER_EXCHANGE", str(HUB_ROOT / "exchange"))
c.Exchange.timezone = "Europe/Berlin"
