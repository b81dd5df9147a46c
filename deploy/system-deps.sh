#!/usr/bin/env bash
# System packages the deployment tests (and a workshop hub on one machine) need, installed only when missing:
#   chromium                   Debian's browser, driven by Playwright (never `playwright install`)
#   postgresql                 server binaries for the PostgreSQL gradebook test (initdb/pg_ctl in a temp dir)
#   nodejs + npm               to run configurable-http-proxy, JupyterHub's proxy
#   configurable-http-proxy    from npm, pinned, into build/node (project-local, nothing global)
# Idempotent: a second run changes nothing and says so. Needs root for apt-get (a fresh CI machine is root).
set -euo pipefail

CHP_VERSION="5.3.0"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NODE_PREFIX="${ROOT}/build/node"

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)

if ((${#missing[@]})); then
    echo "system-deps: installing ${missing[*]} (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
    echo "system-deps: chromium, postgresql, node and npm already installed"
fi

chp="${NODE_PREFIX}/bin/configurable-http-proxy"
installed="$(cat "${NODE_PREFIX}/.chp-version" 2>/dev/null || true)"
if [[ -x "${chp}" && "${installed}" == "${CHP_VERSION}" ]]; then
    echo "system-deps: configurable-http-proxy ${CHP_VERSION} already in ${NODE_PREFIX}"
else
    echo "system-deps: npm install configurable-http-proxy@${CHP_VERSION} into ${NODE_PREFIX}"
    mkdir -p "${NODE_PREFIX}"
    npm install --global --prefix "${NODE_PREFIX}" --no-audit --no-fund --loglevel=error \
        "configurable-http-proxy@${CHP_VERSION}" >/dev/null
    echo "${CHP_VERSION}" > "${NODE_PREFIX}/.chp-version"
fi
# other unix users (the hub's participants) run nothing from here, but the hub's proxy runs as root: keep it readable
chmod -R a+rX "${NODE_PREFIX}"
echo "system-deps: done ($(chromium --version 2>/dev/null | head -1); node $(node --version); CHP $("${chp}" --version))"
