#!/usr/bin/env bash
# Runs the whole test suite: every .NET test project, then the interop tests that drive the built
# server with the official TypeScript MCP client and the MCP Inspector CLI. Ends with one line:
#   tests: N passed, N failed, N skipped
# Usage: bash scripts/test.sh            (from anywhere; needs the .NET SDK and Node.js)
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
results="$root/TestResults"
rm -rf "$results"
mkdir -p "$results"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

status=0
echo "== restore and build (Release)"
dotnet restore TaskOrchestrator.slnx --locked-mode || status=1
dotnet build TaskOrchestrator.slnx -c Release --no-restore -nologo -clp:ErrorsOnly || status=1

if [ "$status" -eq 0 ]; then
  echo "== .NET tests"
  for project in tests/*.Tests/*.Tests.csproj; do
    name="$(basename "$project" .csproj)"
    dotnet test "$project" -c Release --no-build --nologo \
      --logger "trx;LogFileName=$name.trx" --results-directory "$results" \
      --logger "console;verbosity=normal" || status=1
  done

  echo "== interop tests (TypeScript MCP client, MCP Inspector CLI)"
  if [ -d tests/interop/node_modules ] || (cd tests/interop && npm ci --no-audit --no-fund); then
    (cd tests/interop && TASK_ORCHESTRATOR_DLL="$root/src/TaskOrchestrator.Server/bin/Release/net10.0/task-orchestrator.dll" \
      node --test --test-concurrency=1 \
        --test-reporter=spec --test-reporter-destination=stdout \
        --test-reporter=tap --test-reporter-destination="$results/interop.tap" \
        test/*.test.mjs) || status=1
  else
    echo "npm ci failed in tests/interop" >&2
    status=1
  fi
fi

node "$root/scripts/count-results.mjs" "$results" || status=1
exit "$status"
