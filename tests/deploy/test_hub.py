"""The workshop hub of deploy/hub/, for real: JupyterHub + configurable-http-proxy on 127.0.0.1, PAM logins of real
unix users made by deploy/hub/setup.sh (a trainer and two participants), the nbgrader exchange, the trainer's
`datenwerkstatt release` / `datenwerkstatt grade` commands.

The cycle: the trainer releases the module; both participants log in over HTTP and fetch it; one submits the
solution, the other the untouched notebook; the trainer collects, grades, releases feedback; participants fetch it.
Then: the scores, what participants cannot read, and that participants never get the formgrader.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import string
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import requests

from datenwerkstatt.curriculum import load_curriculum
from datenwerkstatt.notebooks import ModuleFiles, exercises, hidden_test_lines, read_notebook
from deploy_support import ROOT, VENV_BIN, free_port, system_tool, wait_until

COURSE_ID = "datenwerkstatt"
PREFERRED_MODULE = "b02-exporte-laden"


def _module_id() -> str:
    """b02 (the issue's module); while it is still being written, the first module that has a notebook."""
    modules = load_curriculum(ROOT).modules
    if modules[PREFERRED_MODULE].available:
        return PREFERRED_MODULE
    return next(m.id for m in modules.values() if m.available)


MODULE = _module_id()
NOTEBOOK = f"{MODULE}.ipynb"


class HubUser:
    """A person using the hub through HTTP only, as a browser would: login form, spawn, then their server's APIs."""

    def __init__(self, base: str, name: str, password: str):
        self.base, self.name = base, name
        self.http = requests.Session()
        self.http.get(f"{base}/hub/login", timeout=10).raise_for_status()
        xsrf = self.http.cookies.get("_xsrf", path="/hub/")
        page = self.http.post(f"{base}/hub/login", data={"username": name, "password": password, "_xsrf": xsrf},
                              timeout=60)
        assert self.http.cookies.get("jupyterhub-hub-login", path="/hub/"), f"login of {name} failed: {page.url}"

    def wait_for_server(self) -> None:
        """The login started the server; open JupyterLab until it answers (the redirects include the OAuth
        handshake that gives this session its cookie for the user's server)."""
        def ready():
            page = self.http.get(f"{self.base}/user/{self.name}/lab", timeout=30)
            return page.status_code == 200 and page.url.endswith(f"/user/{self.name}/lab")
        wait_until(f"server of {self.name}", ready, timeout=90, interval=0.5)

    def server(self, method: str, path: str, **kwargs) -> requests.Response:
        xsrf = self.http.cookies.get("_xsrf", path=f"/user/{self.name}/")
        headers = {"X-XSRFToken": xsrf} if xsrf else {}
        return self.http.request(method, f"{self.base}/user/{self.name}/{path}", headers=headers, timeout=60,
                                 **kwargs)

    def assignments(self, action: str | None = None) -> list[dict]:
        if action is None:
            reply = self.server("GET", f"assignments?course_id={COURSE_ID}")
        else:
            reply = self.server("POST", f"assignments/{action}",
                                data={"course_id": COURSE_ID, "assignment_id": MODULE})
        reply.raise_for_status()
        body = reply.json()
        assert body["success"], f"{self.name}: assignments/{action} failed: {body}"
        return body["value"]


def _unix(*args: str) -> None:
    subprocess.run(args, check=True, capture_output=True)


def run_as(user: str, args: list[str], *, hub_root: Path, cwd: str | None = None, check: bool = True,
           timeout: float = 120) -> subprocess.CompletedProcess:
    """A command as that unix user, with the environment their hub server gives them (trainer: trainer config)."""
    roster = json.loads((hub_root / "roster.json").read_text())
    config = [hub_root / "etc" / "jupyter"]
    if user in roster["trainers"]:
        config.insert(0, hub_root / "etc" / "jupyter-trainer")
    home = f"/home/{user}"
    env = {"HOME": home, "USER": user, "LOGNAME": user, "PATH": f"{hub_root / 'venv' / 'bin'}:/usr/bin:/bin",
           "JUPYTER_CONFIG_PATH": os.pathsep.join(map(str, config)), "LANG": "C.UTF-8"}
    done = subprocess.run(args, user=user, group=user, extra_groups=[], env=env, cwd=cwd or home,
                          capture_output=True, text=True, timeout=timeout)
    if check and done.returncode != 0:
        pytest.fail(f"{user}: {' '.join(args)} exited {done.returncode}\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")
    return done


@pytest.fixture(scope="module")
def hub(module_processes, artefacts):
    """Accounts and config by setup.sh, then the hub; stopped (and its servers and proxy) by PID afterwards."""
    chp = system_tool(str(ROOT / "build" / "node" / "bin" / "configurable-http-proxy"))
    assert chp
    # must be traversable by the participants (pytest's tmp_path is private to root)
    hub_root = Path(tempfile.mkdtemp(prefix="datenwerkstatt-hub-"))
    hub_root.chmod(0o755)
    tag = "".join(random.choices(string.ascii_lowercase, k=4))
    people = {"trainer": f"dw{tag}-kim", "solver": f"dw{tag}-anna", "idle": f"dw{tag}-ben"}
    passwords = {name: f"pw-{name}-{random.randrange(10**8)}" for name in people.values()}
    roster = hub_root / "roster.txt"
    roster.write_text("# role name password\n" + "".join(
        f"{'trainer' if key == 'trainer' else 'teilnehmer'} {name} {passwords[name]}\n"
        for key, name in people.items()))
    try:
        # the project venv is built from Debian's python3 and readable by all: setup.sh verifies that as `nobody`
        setup = subprocess.run(["bash", str(ROOT / "deploy" / "hub" / "setup.sh"), "--roster", str(roster),
                                "--root", str(hub_root / "srv"), "--venv", str(VENV_BIN.parent)],
                               capture_output=True, text=True, timeout=300)
        assert setup.returncode == 0, setup.stdout + setup.stderr
        srv = hub_root / "srv"
        port = free_port()
        env = dict(os.environ, DATENWERKSTATT_HUB_ROOT=str(srv), DATENWERKSTATT_HUB_PORT=str(port))
        started = time.monotonic()
        proc = module_processes.start(
            [str(srv / "venv" / "bin" / "jupyterhub"), "-f", str(ROOT / "deploy" / "hub" / "jupyterhub_config.py"),
             f"--JupyterHub.hub_port={free_port()}",
             f"--ConfigurableHTTPProxy.api_url=http://127.0.0.1:{free_port()}"],
            log=artefacts / "hub.log", env=env, cwd=str(hub_root))
        base = f"http://127.0.0.1:{port}"
        wait_until("JupyterHub", lambda: requests.get(f"{base}/hub/api", timeout=2).ok, timeout=60, process=proc)
        print(f"hub up in {time.monotonic() - started:.1f} s on {base}, module {MODULE}")
        yield {"base": base, "root": srv, "people": people, "passwords": passwords, "proc": proc}
        module_processes.stop(proc)
    finally:
        for name in people.values():
            subprocess.run(["userdel", "--remove", name], capture_output=True)
        shutil.rmtree(hub_root, ignore_errors=True)


@pytest.fixture(scope="module")
def cycle(hub):
    """The whole workshop, step by step; returns what the assertions need."""
    root, people = hub["root"], hub["people"]
    trainer, solver, idle = people["trainer"], people["solver"], people["idle"]
    kurs = f"/home/{trainer}/kurs"
    timings = {}

    def step(name, started):
        timings[name] = round(time.monotonic() - started, 1)

    t = time.monotonic()
    run_as(trainer, ["datenwerkstatt", "release", MODULE, "--course", kurs], hub_root=root)
    run_as(trainer, ["nbgrader", "release_assignment", MODULE], hub_root=root, cwd=kurs)
    step("trainer release", t)

    t = time.monotonic()
    users = {key: HubUser(hub["base"], people[key], hub["passwords"][people[key]]) for key in ("solver", "idle")}
    for user in users.values():
        user.wait_for_server()
    step("participants log in + servers", t)

    t = time.monotonic()
    for user in users.values():
        listed = user.assignments("fetch")
        assert [a["status"] for a in listed if a["assignment_id"] == MODULE] == ["fetched"], listed
    solution = read_notebook(ModuleFiles(ROOT, MODULE).notebook)
    saved = users["solver"].server("PUT", f"api/contents/{MODULE}/{NOTEBOOK}",
                                   json={"type": "notebook", "format": "json", "content": solution})
    assert saved.status_code == 200, saved.text
    for user in users.values():
        user.assignments("submit")
    step("fetch + submit", t)

    t = time.monotonic()
    run_as(trainer, ["nbgrader", "collect", MODULE], hub_root=root, cwd=kurs)
    graded = run_as(trainer, ["datenwerkstatt", "grade", MODULE, "--course", kurs, "--quiet"], hub_root=root)
    step("collect + grade", t)
    print("hub cycle timings (s):", timings)
    return {"users": users, "grade_output": graded.stdout, "kurs": Path(kurs), "solution": solution}


def _scores(course: Path) -> dict[str, float]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", COURSE_ID) as gb:
        return {s.student.id: s.score for s in gb.assignment_submissions(MODULE)}


def test_scores_after_the_exchange_cycle(hub, cycle):
    people = hub["people"]
    auto_points = sum(e.points for e in exercises(cycle["solution"]) if not e.manual)
    assert auto_points > 0
    assert _scores(cycle["kurs"]) == {people["solver"]: auto_points, people["idle"]: 0}
    table = cycle["grade_output"]
    assert people["solver"] in table and people["idle"] in table, table


def test_participants_fetch_their_own_feedback(hub, cycle):
    """The trainer writes and releases feedback; each participant fetches the page for their own submission, with
    the score the gradebook holds and no hidden test; nobody can list the exchange's feedback folder."""
    import html
    import re

    root, trainer, kurs = hub["root"], hub["people"]["trainer"], str(cycle["kurs"])
    run_as(trainer, ["datenwerkstatt", "feedback", MODULE, "--course", kurs], hub_root=root)
    run_as(trainer, ["nbgrader", "release_feedback", MODULE], hub_root=root, cwd=kurs)
    feedback = {key: user.assignments("fetch_feedback") for key, user in cycle["users"].items()}
    scores = _scores(cycle["kurs"])
    hidden = [line for line in hidden_test_lines(cycle["solution"]) if len(line) > 3]
    for key in ("solver", "idle"):
        user = cycle["users"][key]
        submitted = next(a for a in feedback[key] if a["status"] == "submitted")
        notebook = submitted["submissions"][0]["notebooks"][0]
        assert notebook["has_local_feedback"] and not notebook["feedback_updated"], submitted
        page = user.server("GET", "api/contents/" + notebook["local_feedback_path"].removeprefix("./")).json()
        shown = re.search(r"Hallo ([^!<]+)! Du hast <strong>([0-9.]+) von", page["content"])
        assert shown, page["content"][:500]
        assert (shown.group(1), float(shown.group(2))) == (user.name, scores[user.name])
        assert not [line for line in hidden if line in html.unescape(page["content"])], "hidden tests in feedback"
    probe = run_as(hub["people"]["solver"], ["python", "-c", PROBE, json.dumps(
        {"exchange feedback": str(root / "exchange" / COURSE_ID / "feedback")})], hub_root=root)
    assert json.loads(probe.stdout) == {"exchange feedback": "denied"}


PROBE = """
import json, os, sys
results = {}
for label, path in json.loads(sys.argv[1]).items():
    try:
        if os.path.isdir(path):
            os.listdir(path)
        else:
            open(path, 'rb').read(1)
        results[label] = 'readable'
    except PermissionError:
        results[label] = 'denied'
print(json.dumps(results))
"""


def test_participants_cannot_read_other_work_or_trainer_files(hub, cycle):
    people, root = hub["people"], hub["root"]
    trainer_home, other_home = Path("/home") / people["trainer"], Path("/home") / people["idle"]
    targets = {
        "other participant's notebook": str(other_home / MODULE / NOTEBOOK),
        "trainer's source notebook": str(trainer_home / "kurs" / "source" / MODULE / NOTEBOOK),
        "trainer's gradebook": str(trainer_home / "kurs" / "gradebook.db"),
        "submissions in the exchange": str(root / "exchange" / COURSE_ID / "inbound"),
    }
    for path in targets.values():  # the probe must test files that exist
        assert os.path.exists(path), path
    own = str(Path("/home") / people["solver"] / MODULE / NOTEBOOK)
    probe = run_as(people["solver"], ["python", "-c", PROBE, json.dumps({**targets, "own notebook": own})],
                   hub_root=root)
    assert json.loads(probe.stdout) == {**{label: "denied" for label in targets}, "own notebook": "readable"}


def test_formgrader_only_for_the_trainer(hub, cycle):
    people = hub["people"]
    participant = cycle["users"]["solver"]
    trainer = HubUser(hub["base"], people["trainer"], hub["passwords"][people["trainer"]])
    trainer.wait_for_server()
    assert trainer.server("GET", "formgrader").status_code == 200
    # a participant reaching for the trainer's formgrader: the hub refuses (403)
    stolen = participant.http.get(f"{hub['base']}/user/{people['trainer']}/formgrader", timeout=30)
    assert stolen.status_code == 403
    # ... and their own server has none, and neither the formgrader nor "create assignment" in JupyterLab
    assert participant.server("GET", "formgrader").status_code == 404
    disabled = _disabled_lab_extensions(participant)
    assert {"@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment"} <= disabled
    assert not {"@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment"} & _disabled_lab_extensions(
        trainer)


def _disabled_lab_extensions(user: HubUser) -> set[str]:
    import re

    page = user.server("GET", "lab").text
    config = json.loads(re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>',
                                  page, re.S).group(1))
    return set(config["disabledExtensions"])


def test_participant_logs_in_through_the_login_page(hub, cycle, browser, artefacts):
    people = hub["people"]
    name = people["idle"]
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    try:
        page.goto(f"{hub['base']}/hub/login")
        page.fill("#username_input", name)
        page.fill("#password_input", hub["passwords"][name])
        page.click("#login_submit")
        page.wait_for_url(f"**/user/{name}/lab**", timeout=60_000)
        page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").click()
        menu = page.locator(".lm-Menu-content")
        assert "Formgrader" not in menu.inner_text()
        page.locator(".lm-Menu-itemLabel", has_text="Assignment List").click()
        listed = page.locator("#nbgrader-assignment-list, .nbgrader-assignment-list, #assignment-list").first
        listed.get_by_text(MODULE).first.wait_for(timeout=30_000)
        page.screenshot(path=str(artefacts / "hub-assignment-list.png"))
    finally:
        page.close()
