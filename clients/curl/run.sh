#!/usr/bin/env bash
# Compares whole curl responses, in every format and by every way of choosing it, with the files
# in expected/. Needs EVO_TEST_URL and EVO_TEST_API_KEY (scripts/client-tests.sh sets them).
# Ids and dates vary between runs, so they are replaced by {names} before comparing.
# Run with --update to rewrite the expected files (then review the diff).
set -euo pipefail
cd "$(dirname "$0")"
update=${1:-}
url=$EVO_TEST_URL
auth="Authorization: Bearer $EVO_TEST_API_KEY"
json='Content-Type: application/json'

id_of() { python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])'; }

top=$(curl -sf -H "$auth" -H "$json" -d '{"name": "Curl Acme"}' "$url/customers" | id_of)
child=$(curl -sf -H "$auth" -H "$json" \
  -d "{\"name\": \"Curl, Dallas\", \"parentCustomerId\": \"$top\"}" "$url/customers" | id_of)
integration=$(curl -sf -H "$auth" -H "$json" \
  -d "{\"type\": \"Zoho\", \"name\": \"Curl Zoho\", \"customerId\": \"$child\"}" \
  "$url/integrations" | id_of)
curl -sf -X PATCH -H "$auth" -H "$json" \
  -d '{"settings": {"ClientId": {"stringValue": "1000.CURL"}, "ClientSecret": {"stringValue": "curl-secret"}}}' \
  "$url/integrations/$integration" > /dev/null
account=$(curl -sf -H "$auth" "$url/integrations/$integration" \
  | python3 -c 'import json, sys; print(json.load(sys.stdin)["accountId"])')
user=$(curl -sf -H "$auth" "$url/auth/status" \
  | python3 -c 'import json, sys; print(json.load(sys.stdin)["userId"])')

normalize() {
  sed -E \
    -e "s/$integration/{integration}/g" \
    -e "s/$child/{child}/g" \
    -e "s/$top/{top}/g" \
    -e "s/$account/{account}/g" \
    -e "s/$user/{user}/g" \
    -e 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z/{date}/g'
}

failures=0
passes=0
check() {
  local name=$1
  shift
  local actual
  actual=$(curl -s -D - -H "$auth" "$@" | tr -d '\r' \
    | grep -iv -E '^(date|content-length):' | normalize)
  if [ "$update" = "--update" ]; then
    printf '%s\n' "$actual" > "expected/$name.txt"
  fi
  if diff -u "expected/$name.txt" <(printf '%s\n' "$actual") > "/tmp/curl-$name.diff"; then
    passes=$((passes + 1))
  else
    echo "FAILED $name:"
    cat "/tmp/curl-$name.diff"
    failures=$((failures + 1))
  fi
}

get="$url/integrations/$integration"
check accept-json -H 'Accept: application/json' "$get"
check accept-jsv -H 'Accept: text/jsv' "$get"
check accept-xml -H 'Accept: application/xml' "$get"
check accept-csv -H 'Accept: text/csv' "$get"
check accept-jsonl -H 'Accept: text/jsonl' "$get"
check accept-html -H 'Accept: text/html' "$get"
check query-format-jsv "$get?format=jsv"
check suffix-xml "$get.xml"
check suffix-csv "$get.csv"
check reply-xml "$url/xml/reply/GetIntegration?integrationId=$integration"
check reply-jsv "$url/jsv/reply/GetIntegration?integrationId=$integration"
check jsonp "$get?callback=show"
check debug-jsv "$get.jsv?debug"
check list-csv "$url/integrations.csv?customerIds=$top"
check error-json "$url/integrations/missing"
check error-jsv "$url/integrations/missing?format=jsv"
check error-xml "$url/integrations/missing.xml"
check error-csv-as-json "$url/integrations/missing.csv"
check not-acceptable -H 'Accept: image/png' "$get"

echo "$passes passed, $failures failed"
[ "$failures" -eq 0 ]
