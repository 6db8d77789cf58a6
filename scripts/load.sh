#!/usr/bin/env bash
# Starts the release server on a fresh database in a temporary folder, runs the load generator
# against it on loopback, and prints the server's peak resident memory. Usage:
#   scripts/load.sh [REQUESTS] [CONCURRENCY]
set -euo pipefail
cd "$(dirname "$0")/.."

requests=${1:-2000}
concurrency=${2:-16}
key="evo_load_test_key_$(date +%s%N)"
folder=$(mktemp -d)
log="$folder/server.log"

cargo build --release --quiet --bin evo-integrations --example load

EVO_ADMIN_API_KEY="$key" EVO_LOG=warn \
  target/release/evo-integrations serve --listen 127.0.0.1:0 --database "$folder/load.db" \
  --log-format json 2>"$log" &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -rf "$folder"' EXIT

# The server logs its address at info level; with EVO_LOG=warn read it from /proc instead.
address=""
for _ in $(seq 1 100); do
  port=$(ss -ltnp 2>/dev/null | awk -v pid="pid=$server," '$0 ~ pid { split($4, a, ":"); print a[length(a)] }' | head -n 1)
  if [ -n "$port" ]; then address="127.0.0.1:$port"; break; fi
  sleep 0.1
done
[ -n "$address" ] || { echo "the server did not start:"; cat "$log"; exit 1; }

EVO_LOAD_API_KEY="$key" target/release/examples/load "http://$address" "$requests" "$concurrency"
echo "server peak resident memory: $(awk '/VmHWM/ { print $2, $3 }' "/proc/$server/status")"
