#!/usr/bin/env bash
# Runs the compatibility tests that drive the server with real clients: the npm package
# @servicestack/client and headless Chromium on the metadata pages (node's test runner), curl
# in every format (responses compared whole with clients/curl/expected), the PyPI package
# servicestack with hand-written and generated DTOs (pytest), and the generated C# DTOs compiled
# with Mono's C# compiler (clients/csharp/run.sh).
# Installs the npm and PyPI packages, pinned, into folders of this repository, and Debian's
# chromium and mono-mcs when they are missing (which needs root, as CI has); starts the server
# on a free loopback port with a fresh database; stops it at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

# Installs Debian packages, refreshing the package lists once if the first attempt fails.
# Needs root, as CI has.
install_debian_packages() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing Debian packages; as root, run: apt-get install --no-install-recommends $*" >&2
    exit 1
  fi
  local apt=(apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=600 "$@")
  DEBIAN_FRONTEND=noninteractive "${apt[@]}" >/dev/null ||
    { apt-get update -qq -o DPkg::Lock::Timeout=600 &&
      DEBIAN_FRONTEND=noninteractive "${apt[@]}" >/dev/null; }
}

echo "== installing the client packages"
command -v chromium >/dev/null || install_debian_packages chromium
# mcs compiles the generated C# DTOs; they use System.Runtime.Serialization's attributes.
if ! command -v mcs >/dev/null || [ ! -e /usr/lib/mono/4.5/System.Runtime.Serialization.dll ]; then
  install_debian_packages mono-mcs libmono-system-runtime-serialization4.0-cil
fi
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

echo "== C# DTOs (mono-mcs) against $EVO_TEST_URL"
timeout 300 clients/csharp/run.sh
