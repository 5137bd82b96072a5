#!/usr/bin/env bash
# Checks the Tiltfile without Tilt, Docker or a cluster: runs ../shared/tools/tiltcheck (real Starlark,
# Tilt's own signatures, kustomize rendered with kubectl) on it in both modes and with --topology=cluster|sentinel.
# Fails on any error.
# When that tool is not next to the repository (outside this team's machines), says so and exits 0.
set -euo pipefail

root=$(git -C "$(dirname "${BASH_SOURCE[0]}")" rev-parse --show-toplevel 2>/dev/null \
  || (cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd))
tool="$root/../shared/tools/tiltcheck"
if [[ ! -d "$tool" ]]; then
  # In a git worktree the shared tools sit next to the main checkout, not next to this one.
  common=$(git -C "$root" rev-parse --path-format=absolute --git-common-dir 2>/dev/null || true)
  [[ -n "$common" && -d "$(dirname "$common")/../shared/tools/tiltcheck" ]] && tool="$(dirname "$common")/../shared/tools/tiltcheck"
fi
if [[ ! -d "$tool" ]]; then
  echo "check-tilt: $tool not found: Tiltfile check skipped"
  exit 0
fi
command -v kubectl >/dev/null 2>&1 \
  || { echo "check-tilt: kubectl is needed to render the kustomizations (apt-get install -y kubernetes-client)" >&2; exit 1; }

bin=$("$tool/build.sh" | tail -n1)
[[ -x "$bin" ]] || { echo "check-tilt: building tiltcheck failed (got '$bin')" >&2; exit 1; }

cd "$root"
status=0
for args in "" "--mode=cluster" "--topology=cluster" "--topology=sentinel"; do
  echo "check-tilt: tiltcheck -f Tiltfile${args:+ -- $args}"
  # shellcheck disable=SC2086 # $args is one optional word
  if ! "$bin" -f Tiltfile ${args:+-- $args}; then
    echo "check-tilt: FAILED${args:+ ($args)}" >&2
    status=1
  fi
done
# A local topology with the service in the cluster is refused with a message, not half-deployed.
echo "check-tilt: tiltcheck -f Tiltfile -- --mode=cluster --topology=cluster (must be refused)"
if "$bin" -f Tiltfile -- --mode=cluster --topology=cluster >/dev/null 2>&1; then
  echo "check-tilt: FAILED (--mode=cluster --topology=cluster was accepted)" >&2
  status=1
fi
((status == 0)) && echo "check-tilt: OK (both modes, both local topologies)"
exit "$status"
