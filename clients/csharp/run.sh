#!/usr/bin/env bash
# Compiles the generated C# DTOs from a running server with Mono's C# compiler (mcs), together
# with stand-ins for the ServiceStack types they use (ServiceStackStubs.cs), then compiles and
# runs Program.cs, which uses a few of the DTOs. Needs EVO_TEST_URL (scripts/client-tests.sh
# sets it) and mcs; runs Program.cs only where the mono runtime is installed.
set -euo pipefail
cd "$(dirname "$0")"
url=$EVO_TEST_URL
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

failures=0
passes=0
fail() {
  echo "FAILED: $1"
  failures=$((failures + 1))
}

# Fetches /types/csharp with the query $2 into $work/$1.cs and compiles it into $work/$1.dll.
compile() {
  local name=$1 query=$2
  if ! curl -sf "$url/types/csharp$query" -o "$work/$name.cs"; then
    fail "GET /types/csharp$query"
    return 1
  fi
  if ! grep -q '^/\* Options:$' "$work/$name.cs" || ! grep -qx "BaseUrl: $url" "$work/$name.cs"; then
    fail "/types/csharp$query does not start with the Options: header for $url"
    return 1
  fi
  if ! mcs -target:library -nologo -r:System.Runtime.Serialization.dll \
    -out:"$work/$name.dll" "$work/$name.cs" ServiceStackStubs.cs >"$work/$name.log" 2>&1; then
    fail "mcs could not compile /types/csharp$query:"
    cat "$work/$name.log"
    return 1
  fi
  passes=$((passes + 1))
}

compile all "" || true
if compile included "?IncludeTypes=NewIntegration.*"; then
  if ! grep -qx 'IncludeTypes: NewIntegration.\*' "$work/included.cs"; then
    fail "IncludeTypes is not written uncommented"
  elif grep -q 'class ListIntegrations' "$work/included.cs"; then
    fail "IncludeTypes=NewIntegration.* still defines ListIntegrations"
  else
    passes=$((passes + 1))
  fi
fi
compile attributes "?AddDataContractAttributes=True&AddIndexesToDataMembers=True&AddResponseStatus=True&AddImplicitVersion=2&AddGeneratedCodeAttributes=True&MakeVirtual=False&MakePartial=False" || true

if [ -f "$work/all.dll" ]; then
  if ! mcs -nologo -r:"$work/all.dll" -out:"$work/program.exe" Program.cs >"$work/program.log" 2>&1; then
    fail "mcs could not compile Program.cs against the DTOs:"
    cat "$work/program.log"
  elif command -v mono >/dev/null; then
    if (cd "$work" && mono program.exe); then
      passes=$((passes + 1))
    else
      fail "Program.cs checks"
    fi
  else
    echo "SKIPPED: mono is not installed, so Program.cs was compiled but not run"
  fi
fi

echo "C# DTOs: $passes passed, $failures failed"
[ "$failures" -eq 0 ]
