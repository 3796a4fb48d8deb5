#!/usr/bin/env bash
# Runs the TaskOrchestrator MCP server over stdio on its embedded default store (SQLite in the
# workspace): a supervisor that owns stdio and runs the orchestrator as a worker it can restart.
# Publishes it first (Release, self-contained, composite ReadyToRun) when the current build is
# missing or older than the sources; this takes a minute or two the first time.
#
# Builds are versioned: each publish goes to artifacts/builds/<time>-<commit>, and the link
# artifacts/server is then pointed at it. The supervisor starts its workers from that link, so after
# `bash scripts/serve.sh --publish-only` a call to orchestrator_restart_server moves a running
# server onto the new build without the client noticing (and rolls back if it fails its health
# check). The three newest builds are kept, and any older one a process still runs from.
#
# Build output goes to stderr, because stdout belongs to the MCP protocol.
# Arguments are passed to the server, e.g.
#   bash scripts/serve.sh --workspace /path/to/project
#   bash scripts/serve.sh doctor --workspace /path/to/project
#   bash scripts/serve.sh --publish-only        (publish a new build if the sources changed, then exit)
set -euo pipefail

# True when a running process's executable lies in build folder $1.
build_in_use() {
  local exe target
  for exe in /proc/[0-9]*/exe; do
    target="$(readlink "$exe" 2>/dev/null)" || continue
    case "$target" in "$1"/*) return 0 ;; esac
  done
  return 1
}
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
builds="$root/artifacts/builds"
link="$root/artifacts/server"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

publish_only=false
if [ "${1:-}" = "--publish-only" ]; then
  publish_only=true
  shift
fi

# An older checkout published straight into artifacts/server: keep that build as a versioned one.
if [ -d "$link" ] && [ ! -L "$link" ]; then
  mkdir -p "$builds"
  kept="$builds/unversioned-$(date -u +%Y%m%dT%H%M%SZ)"
  mv "$link" "$kept"
  ln -sfn "$kept" "$link"
fi

stale() {
  [ ! -x "$link/task-orchestrator" ] || [ -n "$(find "$root/src" "$root/Directory.Build.props" "$root/Directory.Packages.props" -newer "$link/task-orchestrator" \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.sql' -o -name '*.json' \) -not -path '*/obj/*' -not -path '*/bin/*' -print -quit)" ]
}

if stale; then
  commit="$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo local)"
  out="$builds/$(date -u +%Y%m%dT%H%M%SZ)-$commit"
  echo "task-orchestrator: publishing (Release, self-contained, composite ReadyToRun) to $out …" >&2
  # Precompiled images from another kind of publish in the shared obj folder would be reused as they
  # are and crash the server at start: clear them first.
  rm -rf "$root"/src/*/obj/Release/net10.0/linux-x64
  # Precompiling the server together with the runtime it ships with makes it answer initialize in
  # about a quarter of a second instead of half a second (see docs/PERFORMANCE.md).
  # Published under a temporary name and renamed when complete: an interrupted publish never goes live.
  rm -rf "$out.partial"
  # The build is as new as the sources when the publish started: an edit made during it makes the next
  # run publish again.
  started="$(mktemp)"
  dotnet publish "$root/src/TaskOrchestrator.Server/TaskOrchestrator.Server.csproj" -c Release -r linux-x64 --self-contained true \
    -p:PublishReadyToRun=true -p:PublishReadyToRunComposite=true -o "$out.partial" -nologo -clp:ErrorsOnly >&2
  touch -r "$started" "$out.partial/task-orchestrator"
  rm -f "$started"
  mv -T "$out.partial" "$out"
  # Point the link at the new build in one rename, so a worker starting meanwhile sees one or the other.
  ln -sfn "$out" "$link.next"
  mv -T "$link.next" "$link"
  echo "task-orchestrator: artifacts/server now points at $out" >&2
  # Keep the three newest builds, the one the link points at, and any build a process still runs
  # from: a supervisor runs from the build it was started with and rolls back to the last build that
  # served, which may be older than the three newest.
  rm -rf "$builds"/*.partial
  ls -1dt "$builds"/*/ 2>/dev/null | tail -n +4 | while read -r old; do
    old="$(readlink -f "$old")"
    [ "$old" = "$(readlink -f "$link")" ] && continue
    build_in_use "$old" && continue
    rm -rf "$old"
  done
fi

if [ "$publish_only" = true ]; then
  exit 0
fi

# A 4 MiB gen0 budget: the GC otherwise sizes gen0 from the L3 cache the machine reports (260 MiB on
# this VM), which alone exceeds the memory target. The knob exists only as an environment variable;
# the supervisor's workers inherit it.
export DOTNET_GCgen0size="${DOTNET_GCgen0size:-0x400000}"
# Workers start from the link, so a restart picks up whatever build it points at then.
export TASK_ORCHESTRATOR_WORKER_PATH="${TASK_ORCHESTRATOR_WORKER_PATH:-$link}"
# The supervisor itself runs from the resolved build: assemblies it loads later must come from the
# build it started from, not from whatever the link points at by then.
exec "$(readlink -f "$link")/task-orchestrator" "$@"
