#!/usr/bin/env bash
# Runs the TaskOrchestrator MCP server over stdio on its embedded default store (SQLite in the
# workspace). Publishes it first (Release, self-contained, composite ReadyToRun, to artifacts/server)
# when that build is missing or older than the sources; this takes a minute or two the first time.
# Build output goes to stderr, because stdout belongs to the MCP protocol.
# Arguments are passed to the server, e.g.
#   bash scripts/serve.sh --workspace /path/to/project
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/artifacts/server"
server="$out/task-orchestrator"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
if [ ! -x "$server" ] || [ -n "$(find "$root/src" "$root/Directory.Build.props" "$root/Directory.Packages.props" -newer "$server" \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.sql' -o -name '*.json' \) -print -quit)" ]; then
  echo "task-orchestrator: publishing (Release, self-contained, composite ReadyToRun) to $out …" >&2
  # Precompiled images from another kind of publish in the shared obj folder would be reused as they
  # are and crash the server at start: clear them first.
  rm -rf "$root"/src/*/obj/Release/net10.0/linux-x64
  # Precompiling the server together with the runtime it ships with makes it answer initialize in
  # about a quarter of a second instead of half a second (see docs/PERFORMANCE.md).
  dotnet publish "$root/src/TaskOrchestrator.Server/TaskOrchestrator.Server.csproj" -c Release -r linux-x64 --self-contained true \
    -p:PublishReadyToRun=true -p:PublishReadyToRunComposite=true -o "$out" -nologo -clp:ErrorsOnly >&2
  touch "$server"
fi
# A 4 MiB gen0 budget: the GC otherwise sizes gen0 from the L3 cache the machine reports (260 MiB on
# this VM), which alone exceeds the memory target. The knob exists only as an environment variable.
export DOTNET_GCgen0size="${DOTNET_GCgen0size:-0x400000}"
exec "$server" "$@"
