#!/usr/bin/env bash
# Runs the compatibility tests that drive the server with real clients: the npm package
# @servicestack/client and headless Chromium on the metadata pages (node's test runner), curl
# in every format (responses compared whole with clients/curl/expected), and the PyPI package
# servicestack (pytest).
# Installs the packages, pinned, into folders of this repository (and Debian's chromium);
# starts the server on a free loopback port with a fresh database; stops it at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

# Installs a Debian package unless COMMAND is already on the PATH; refreshes the package lists
# once if the first attempt fails. Needs root, as CI has.
install_debian_package() {
  local package=$1 command=$2
  command -v "$command" >/dev/null && return 0
  local apt=(apt-get install -y --no-install-recommends -o DPkg::Lock::Timeout=600 "$package")
  DEBIAN_FRONTEND=noninteractive "${apt[@]}" >/dev/null ||
    { apt-get update -o DPkg::Lock::Timeout=600 >/dev/null && DEBIAN_FRONTEND=noninteractive "${apt[@]}" >/dev/null; }
}

echo "== installing the client packages"
install_debian_package chromium chromium
(cd clients/npm && npm ci --no-audit --no-fund --loglevel=error)
if [ ! -x clients/python/.venv/bin/python ]; then
  python3 -m venv clients/python/.venv
fi
clients/python/.venv/bin/python -m pip install --quiet --disable-pip-version-check \
  -r clients/python/requirements.lock

cargo build --quiet --bin evo-integrations
folder=$(mktemp -d)
log="$folder/server.log"
EVO_TEST_API_KEY="evo_client_tests_$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
EVO_TEST_PASSWORD="client-tests-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
export EVO_TEST_API_KEY EVO_TEST_PASSWORD

EVO_ADMIN_API_KEY="$EVO_TEST_API_KEY" EVO_ADMIN_PASSWORD="$EVO_TEST_PASSWORD" \
  target/debug/evo-integrations serve --listen 127.0.0.1:0 \
  --database "$folder/clients.db" --log-format json 2>"$log" &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$folder"' EXIT

address=""
for _ in $(seq 1 100); do
  address=$(sed -n 's/.*"message":"server started".*"listen":"\([^"]*\)".*/\1/p' "$log" | head -n 1)
  [ -n "$address" ] && break
  sleep 0.1
done
if [ -z "$address" ]; then
  echo "the server did not start:"
  cat "$log"
  exit 1
fi
export EVO_TEST_URL="http://$address"

echo "== @servicestack/client (npm) against $EVO_TEST_URL"
(cd clients/npm && SERVICESTACK_TELEMETRY_OPTOUT=1 timeout 300 node --test)

echo "== curl in every format against $EVO_TEST_URL"
clients/curl/run.sh

echo "== servicestack (PyPI) against $EVO_TEST_URL"
timeout 300 clients/python/.venv/bin/python -m pytest -q -p no:cacheprovider clients/python
