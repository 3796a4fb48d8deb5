#!/usr/bin/env bash
# Runs the TaskOrchestrator MCP server over stdio on its embedded default store (SQLite in the
# workspace). Publishes it first (Release, ReadyToRun, to artifacts/server) when that build is missing
# or older than the sources; build output goes to stderr, because stdout belongs to the MCP protocol.
# Arguments are passed to the server, e.g.
#   bash scripts/serve.sh --workspace /path/to/project
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/artifacts/server"
dll="$out/task-orchestrator.dll"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
if [ ! -f "$dll" ] || [ -n "$(find "$root/src" "$root/Directory.Build.props" "$root/Directory.Packages.props" -newer "$dll" \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.sql' -o -name '*.json' \) -print -quit)" ]; then
  echo "task-orchestrator: publishing (Release, ReadyToRun) to $out …" >&2
  # ReadyToRun precompiles the server so that it answers initialize quickly (see docs/PERFORMANCE.md).
  dotnet publish "$root/src/TaskOrchestrator.Server/TaskOrchestrator.Server.csproj" -c Release -r linux-x64 --self-contained false \
    -p:PublishReadyToRun=true -o "$out" -nologo -clp:ErrorsOnly >&2
  touch "$dll"
fi
exec dotnet "$dll" "$@"
