#!/usr/bin/env bash
# Runs the compatibility tests that drive the server with real clients: the npm package
# @servicestack/client (node's test runner), curl in every format (responses compared whole with
# clients/curl/expected), the PyPI package servicestack with hand-written and generated DTOs
# (pytest), and the generated C# DTOs compiled with Mono's C# compiler (clients/csharp/run.sh).
# Installs the npm and PyPI packages, pinned, into folders of this repository and Debian's
# mono-mcs when mcs is missing (which needs root, as CI has); starts the server on a free
# loopback port with a fresh database; stops it at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== installing the client packages"
(cd clients/npm && npm ci --no-audit --no-fund --loglevel=error)
if [ ! -x clients/python/.venv/bin/python ]; then
  python3 -m venv clients/python/.venv
fi
clients/python/.venv/bin/python -m pip install --quiet --disable-pip-version-check \
  -r clients/python/requirements.lock
# mcs compiles the generated C# DTOs; they use System.Runtime.Serialization's attributes.
mono_packages="mono-mcs libmono-system-runtime-serialization4.0-cil"
if ! command -v mcs >/dev/null || [ ! -e /usr/lib/mono/4.5/System.Runtime.Serialization.dll ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "mcs is missing; install it as root: apt-get install --no-install-recommends $mono_packages"
    exit 1
  fi
  apt-get update -qq
  # shellcheck disable=SC2086 # the package list is split into words on purpose
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $mono_packages \
    >/dev/null
fi

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
