"""JupyterHub for a Datenwerkstatt workshop on one machine: real unix accounts (PAM), one trainer, participants.

Prepared by `deploy/hub/setup.sh`, which writes everything this file reads under HUB_ROOT (default /srv/datenwerkstatt):

    HUB_ROOT/roster.json            {"trainers": [...], "participants": [...]}  (who may log in, and in which role)
    HUB_ROOT/venv/                  the pinned environment + datenwerkstatt, installed once for everybody
    HUB_ROOT/etc/jupyter/           config every user's server reads: nbgrader exchange and course id, no formgrader
    HUB_ROOT/etc/jupyter-trainer/   read first by trainers' servers only: formgrader, create-assignment, course dir
    HUB_ROOT/exchange/              nbgrader exchange (release, submit, feedback)
    HUB_ROOT/state/                 the hub's database, cookie secret and proxy pid (root only)

Start (as root, from the repository):  jupyterhub -f deploy/hub/jupyterhub_config.py
"""

import json
import os
from pathlib import Path

c = get_config()  # noqa: F821 - provided by JupyterHub when it loads this file

REPO = Path(__file__).resolve().parents[2]
HUB_ROOT = Path(os.environ.get("DATENWERKSTATT_HUB_ROOT", "/srv/datenwerkstatt"))
VENV = HUB_ROOT / "venv"  # a venv, or a link to one (setup.sh --venv)
ROSTER = json.loads((HUB_ROOT / "roster.json").read_text(encoding="utf-8"))
TRAINERS, PARTICIPANTS = ROSTER["trainers"], ROSTER["participants"]
STATE = HUB_ROOT / "state"

# --- network: only the proxy listens for browsers; put a TLS reverse proxy (caddy, nginx) in front for the internet
c.JupyterHub.ip = os.environ.get("DATENWERKSTATT_HUB_IP", "127.0.0.1")
c.JupyterHub.port = int(os.environ.get("DATENWERKSTATT_HUB_PORT", "8000"))
c.JupyterHub.hub_ip = "127.0.0.1"
chp = REPO / "build" / "node" / "bin" / "configurable-http-proxy"  # installed by deploy/system-deps.sh
c.ConfigurableHTTPProxy.command = [str(chp) if chp.exists() else "configurable-http-proxy"]
c.ConfigurableHTTPProxy.pid_file = str(STATE / "proxy.pid")

# --- the hub's own state stays out of the repository
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "cookie_secret")
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")

# --- who may log in: unix accounts created by setup.sh; nobody else, even with a valid unix password
c.JupyterHub.authenticator_class = "pam"
c.PAMAuthenticator.open_sessions = False
c.Authenticator.allowed_users = set(TRAINERS + PARTICIPANTS)
c.Authenticator.admin_users = set()  # trainers get a narrow role below, not admin rights over the machine's hub

# --- roles: trainers may see who is online and help by opening a participant's server; participants only their own
c.JupyterHub.load_groups = {"trainer": {"users": TRAINERS}, "teilnehmende": {"users": PARTICIPANTS}}
c.JupyterHub.load_roles = [
    {"name": "trainer", "description": "Workshop trainers: list participants, start/stop and open their servers",
     "scopes": ["self", "admin-ui", "list:users", "read:users", "read:servers", "servers!group=teilnehmende",
                "access:servers!group=teilnehmende"],
     "groups": ["trainer"]},
]

# --- the single-user servers: the shared environment, started as the participant's unix user in their home
c.Spawner.cmd = [str(VENV / "bin" / "jupyterhub-singleuser")]
c.Spawner.notebook_dir = "~"
c.Spawner.default_url = "/lab"
c.Spawner.args = ["--ServerApp.port_retries=0"]
c.Spawner.http_timeout = 60
c.Spawner.start_timeout = 120
BASE_ENV = {"PATH": f"{VENV / 'bin'}:/usr/local/bin:/usr/bin:/bin"}


def per_role_environment(spawner):
    """Participants read HUB_ROOT/etc/jupyter; trainers read the trainer folder first (it enables the formgrader)."""
    config_dirs = [HUB_ROOT / "etc" / "jupyter"]
    if spawner.user.name in TRAINERS:
        config_dirs.insert(0, HUB_ROOT / "etc" / "jupyter-trainer")
    spawner.environment.update(BASE_ENV, JUPYTER_CONFIG_PATH=os.pathsep.join(map(str, config_dirs)))


c.Spawner.pre_spawn_hook = per_role_environment
