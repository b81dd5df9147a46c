#!/usr/bin/env bash
# Prepare one machine for a Datenwerkstatt workshop hub (run as root from a checkout of the repository).
#
#   deploy/hub/setup.sh --roster ROSTER [--root /srv/datenwerkstatt] [--venv EXISTING_VENV]
#
# ROSTER: one account per line, "ROLE NAME PASSWORD", ROLE = trainer | teilnehmer; '#' starts a comment.
# Creates/updates the unix accounts (homes private, mode 700), installs the pinned environment and the package once
# for everybody (ROOT/venv; --venv links an existing world-readable venv instead), writes the per-role Jupyter
# config, the nbgrader exchange and the hub's state folder. Safe to run again (e.g. to add participants).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ROOT="/srv/datenwerkstatt"
ROSTER=""
VENV=""
while (($#)); do
    case "$1" in
        --root) ROOT="$2"; shift 2 ;;
        --roster) ROSTER="$2"; shift 2 ;;
        --venv) VENV="$2"; shift 2 ;;
        *) echo "unknown argument: $1 (see the header of $0)" >&2; exit 2 ;;
    esac
done
[[ $(id -u) == 0 ]] || { echo "run as root: it creates unix accounts" >&2; exit 2; }
[[ -r "${ROSTER}" ]] || { echo "--roster FILE is required (lines: ROLE NAME PASSWORD)" >&2; exit 2; }

as_nobody() { runuser -u nobody -- "$@"; }
as_nobody test -r "${REPO}/curriculum/curriculum.yml" || {
    echo "${REPO} is not readable by other users; clone it somewhere like /opt/datenwerkstatt" >&2; exit 2; }

install -d -m 755 "${ROOT}" "${ROOT}/etc"
install -d -m 700 "${ROOT}/state"
# the exchange: everyone may create entries (nbgrader then sets per-folder modes: inbound 733, outbound 755)
install -d -m 1777 "${ROOT}/exchange"

# --- environment, once for all users ---------------------------------------------------------------------------------
if [[ -n "${VENV}" ]]; then
    ln -sfn "$(cd "${VENV}" && pwd)" "${ROOT}/venv"
    echo "setup: using the existing environment ${VENV}"
elif [[ ! -x "${ROOT}/venv/bin/jupyterhub-singleuser" ]]; then
    echo "setup: building ${ROOT}/venv from ${REPO}/requirements.txt (takes a minute)"
    /usr/bin/python3 -m venv "${ROOT}/venv"  # Debian's python: readable by every user, unlike one in root's home
    "${ROOT}/venv/bin/pip" install --quiet --disable-pip-version-check -r "${REPO}/requirements.txt"
    "${ROOT}/venv/bin/pip" install --quiet --disable-pip-version-check --no-deps -e "${REPO}"
fi
as_nobody "${ROOT}/venv/bin/python" -c "import datenwerkstatt, nbgrader" || {
    echo "${ROOT}/venv cannot be used by other users (interpreter or packages not readable)" >&2; exit 2; }

# --- per-role Jupyter config -----------------------------------------------------------------------------------------
for role in jupyter jupyter-trainer; do
    rm -rf "${ROOT}/etc/${role}"
    cp -r "${REPO}/deploy/hub/${role}" "${ROOT}/etc/${role}"
done
chmod -R a+rX,go-w "${ROOT}/etc"

# --- accounts --------------------------------------------------------------------------------------------------------
trainers=()
participants=()
while read -r role name password _; do
    [[ -z "${role}" || "${role}" == \#* ]] && continue
    [[ "${name}" =~ ^[a-z][a-z0-9-]{0,30}$ && -n "${password}" ]] || {
        echo "roster: bad line for '${name}' (name: lower-case letters, digits, '-'; a password is required)" >&2; exit 2; }
    case "${role}" in
        trainer) trainers+=("${name}") ;;
        teilnehmer) participants+=("${name}") ;;
        *) echo "roster: unknown role '${role}' (trainer | teilnehmer)" >&2; exit 2 ;;
    esac
    id -u "${name}" >/dev/null 2>&1 || useradd --create-home --shell /bin/bash "${name}"
    echo "${name}:${password}" | chpasswd
    chmod 700 "$(getent passwd "${name}" | cut -d: -f6)"  # nobody reads another person's notebooks
done < "${ROSTER}"
((${#trainers[@]})) || { echo "roster: at least one trainer is needed" >&2; exit 2; }

json_list() { printf '%s\n' "$@" | "${ROOT}/venv/bin/python" -c 'import json,sys; print(json.dumps(sys.stdin.read().split()))'; }
printf '{"trainers": %s, "participants": %s}\n' "$(json_list "${trainers[@]}")" \
    "$(json_list "${participants[@]+"${participants[@]}"}")" > "${ROOT}/roster.json"
chmod 644 "${ROOT}/roster.json"

echo "setup: ${#trainers[@]} trainer(s), ${#participants[@]} participant(s); exchange ${ROOT}/exchange"
echo "setup: start the hub with"
echo "  DATENWERKSTATT_HUB_ROOT=${ROOT} ${ROOT}/venv/bin/jupyterhub -f ${REPO}/deploy/hub/jupyterhub_config.py"
