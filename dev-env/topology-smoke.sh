#!/usr/bin/env bash
# Smoke test of dev-env/topology and `dev-env/up --topology`, on ports nobody else uses (never 6379):
#  1. for cluster and sentinel: `dev-env/topology start` becomes healthy (checked with redis-cli, not with the
#     script's own check), `check` agrees, and SIGTERM stops every process it started;
#  2. `dev-env/up --no-build --topology cluster`: the topology comes up, the service is started with REDIS_MODE and
#     the seeds; either it becomes ready (a client with REDIS_MODE support) and SIGTERM stops everything, or it does
#     not and up says that the service needs REDIS_MODE support -- never a silent failure -- and stops the topology.
#
#   dev-env/topology-smoke.sh            (part 2 needs service/target/service-0.1.0-SNAPSHOT.jar; skipped without it)
# Env: SMOKE_CLUSTER_PORT (default 21000), SMOKE_SENTINEL_PORT (default 12380), SMOKE_HTTP_PORT (default 18081).
set -Eeuo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cluster_port=${SMOKE_CLUSTER_PORT:-21000}
sentinel_port=${SMOKE_SENTINEL_PORT:-12380}
http_port=${SMOKE_HTTP_PORT:-18081}

say()  { printf '[topology-smoke] %s\n' "$*"; }
fail() { printf '[topology-smoke] FAIL: %s\n' "$*" >&2; exit 1; }
command -v redis-cli >/dev/null 2>&1 || fail "redis-cli is needed (apt-get install redis-tools)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/topology-smoke.XXXXXX")
bg_pid=""
on_exit() {
  if [[ -n "$bg_pid" ]] && kill -0 "$bg_pid" 2>/dev/null; then kill -TERM "$bg_pid" 2>/dev/null || true; wait "$bg_pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap on_exit EXIT

listening() { [[ "$(redis-cli -p "$1" ping 2>/dev/null)" == PONG ]]; }

# Waits for the env file of `dev-env/topology start` while the process lives; $1 = file, $2 = log.
await_env_file() {
  local deadline=$((SECONDS + 60))
  until [[ -f "$1" ]]; do
    kill -0 "$bg_pid" 2>/dev/null || { cat "$2" >&2; fail "dev-env/topology exited before it was healthy"; }
    ((SECONDS < deadline)) || { cat "$2" >&2; fail "dev-env/topology not healthy within 60 s"; }
    sleep 0.2
  done
}

stop_and_expect_gone() {  # $1 = what, then the ports that must be closed afterwards
  local what=$1; shift
  kill -TERM "$bg_pid"
  local deadline=$((SECONDS + 20))
  while kill -0 "$bg_pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
  kill -0 "$bg_pid" 2>/dev/null && fail "$what still running 20 s after SIGTERM"
  wait "$bg_pid" 2>/dev/null || true
  bg_pid=""
  local port
  for port in "$@"; do listening "$port" && fail "port $port still answers after $what stopped"; done
  return 0
}

# ---- 1. dev-env/topology alone ----
for topology in cluster sentinel; do
  base=$cluster_port; [[ "$topology" == sentinel ]] && base=$sentinel_port
  log="$tmp/$topology.log"
  env_file="$tmp/$topology.env"
  say "dev-env/topology start $topology --base-port $base"
  "$ROOT/dev-env/topology" start "$topology" --base-port "$base" --env-file "$env_file" >"$log" 2>&1 &
  bg_pid=$!
  await_env_file "$env_file" "$log"
  grep -qx "REDIS_MODE=$topology" "$env_file" || fail "env file without REDIS_MODE=$topology: $(cat "$env_file")"
  [[ "$(grep '^REDIS_PRIMARY_ENDPOINT=' "$env_file")" == "$("$ROOT/dev-env/topology" env "$topology" --base-port "$base" | grep '^REDIS_PRIMARY_ENDPOINT=')" ]] \
    || fail "the endpoint written by start differs from the one \`env\` prints"
  if [[ "$topology" == cluster ]]; then
    ports=()
    for i in 0 1 2 3 4 5; do
      port=$((base + i)); ports+=("$port")
      info=$(redis-cli -p "$port" cluster info | tr -d '\r')
      grep -q '^cluster_state:ok$' <<<"$info" || fail "node $port: $(head -1 <<<"$info")"
    done
    [[ "$(redis-cli -p "$base" cluster nodes | grep -c master)" == 3 ]] || fail "not 3 primaries: $(redis-cli -p "$base" cluster nodes)"
    [[ "$(redis-cli -p "$base" cluster nodes | grep -c slave)" == 3 ]] || fail "not 3 replicas"
    redis-cli -c -p "$base" set smoke:key value >/dev/null
    [[ "$(redis-cli -c -p $((base + 1)) get smoke:key)" == value ]] || fail "a key written through the cluster is not readable"
  else
    ports=("$base" $((base + 1)) $((base + 20000)) $((base + 20001)) $((base + 20002)))
    for port in "${ports[@]:2}"; do
      [[ "$(redis-cli -p "$port" sentinel get-master-addr-by-name mymaster | tail -1)" == "$base" ]] \
        || fail "Sentinel $port does not name $base as primary"
    done
    [[ "$(redis-cli -p $((base + 1)) role | head -1)" == slave ]] || fail "$((base + 1)) is not a replica"
  fi
  "$ROOT/dev-env/topology" check "$topology" --base-port "$base" || fail "\`dev-env/topology check $topology\` says unhealthy"
  stop_and_expect_gone "dev-env/topology" "${ports[@]}"
  "$ROOT/dev-env/topology" check "$topology" --base-port "$base" && fail "\`check\` says healthy after the stop"
  grep -q "stopped the ${#ports[@]} redis-server processes it started" "$log" || { cat "$log" >&2; fail "no stop report"; }
  say "$topology: healthy, then stopped by SIGTERM (${#ports[@]} processes, ports closed)"
done

# ---- 2. dev-env/up --topology cluster ----
if [[ ! -f "$ROOT/service/target/service-0.1.0-SNAPSHOT.jar" ]]; then
  say "no service jar: skipping dev-env/up --topology (build with ./mvnw -B -q -pl service -am package -DskipTests)"
  say "PASS"
  exit 0
fi
log="$tmp/up.log"
say "dev-env/up --no-build --topology cluster --topology-base-port $cluster_port --port $http_port"
launcher=()
env --default-signal=INT true 2>/dev/null && launcher=(env --default-signal=INT)
${launcher[@]+"${launcher[@]}"} "$ROOT/dev-env/up" --no-build --port "$http_port" --ready-timeout 30 \
  --topology cluster --topology-base-port "$cluster_port" >"$log" 2>&1 &
bg_pid=$!
deadline=$((SECONDS + 90))
status=000
while kill -0 "$bg_pid" 2>/dev/null && ((SECONDS < deadline)); do
  status=$(curl -s -o /dev/null -m 3 -w '%{http_code}' "http://localhost:$http_port/health/ready" || true)
  [[ "$status" == 200 ]] && break
  grep -q 'needs a service whose redis-client supports REDIS_MODE' "$log" && break
  sleep 1
done
grep -q "the Redis Cluster is healthy: REDIS_MODE=cluster REDIS_PRIMARY_ENDPOINT=127.0.0.1:$cluster_port," "$log" \
  || { cat "$log" >&2; fail "dev-env/up did not report a healthy cluster"; }
grep -q "starting the service on port $http_port with REDIS_MODE=cluster" "$log" || { cat "$log" >&2; fail "service not started with REDIS_MODE=cluster"; }
cluster_ports=()
for i in 0 1 2 3 4 5; do cluster_ports+=($((cluster_port + i))); done
if [[ "$status" == 200 ]]; then
  say "the service is ready in cluster mode: stopping dev-env/up"
  stop_and_expect_gone "dev-env/up" "${cluster_ports[@]}"
else
  grep -q 'needs a service whose redis-client supports REDIS_MODE=cluster' "$log" \
    || { cat "$log" >&2; fail "the service did not become ready and dev-env/up did not say why"; }
  say "the service does not support REDIS_MODE yet, and dev-env/up says so"
  # up gives up on a service that exited; on one that runs but is not ready it keeps running: stop it either way.
  if kill -0 "$bg_pid" 2>/dev/null; then stop_and_expect_gone "dev-env/up" "${cluster_ports[@]}"; else
    wait "$bg_pid" 2>/dev/null || true; bg_pid=""
    for port in "${cluster_ports[@]}"; do listening "$port" && fail "port $port still answers after dev-env/up exited"; done
  fi
fi
grep -q "stopping the Redis Cluster we started" "$log" || { cat "$log" >&2; fail "dev-env/up did not report stopping the topology"; }
say "PASS"
