#!/usr/bin/env bash
# Smoke test of dev-env/topology and `dev-env/up --topology`, on ports nobody else uses (never 6379):
#  1. for cluster and sentinel: `dev-env/topology start` becomes healthy (checked with redis-cli, not with the
#     script's own check), `check` agrees, and SIGTERM stops every process it started;
#  2. for cluster and sentinel: `dev-env/up --no-build --topology <it>`: the topology comes up, the service is started
#     with REDIS_MODE and the endpoint, /health/ready answers 200 and /health shows that mode; SIGTERM stops the
#     service and every process of the topology.
#
#   dev-env/topology-smoke.sh            (part 2 needs service/target/service-0.1.0-SNAPSHOT.jar)
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

# ---- 2. dev-env/up --topology cluster|sentinel: the service must become ready ----
[[ -f "$ROOT/service/target/service-0.1.0-SNAPSHOT.jar" ]] \
  || fail "no service jar for part 2: build it with ./mvnw -B -q -pl service -am package -DskipTests"
launcher=()
env --default-signal=INT true 2>/dev/null && launcher=(env --default-signal=INT)
for topology in cluster sentinel; do
  base=$cluster_port; name="Redis Cluster"; ports=()
  if [[ "$topology" == cluster ]]; then
    for i in 0 1 2 3 4 5; do ports+=($((base + i))); done
  else
    base=$sentinel_port; name="Sentinel group"
    ports=("$base" $((base + 1)) $((base + 20000)) $((base + 20001)) $((base + 20002)))
  fi
  log="$tmp/up-$topology.log"
  say "dev-env/up --no-build --topology $topology --topology-base-port $base --port $http_port"
  ${launcher[@]+"${launcher[@]}"} "$ROOT/dev-env/up" --no-build --port "$http_port" --ready-timeout 60 \
    --topology "$topology" --topology-base-port "$base" >"$log" 2>&1 &
  bg_pid=$!
  deadline=$((SECONDS + 120))
  status=000
  while ((SECONDS < deadline)); do
    kill -0 "$bg_pid" 2>/dev/null || { cat "$log" >&2; fail "dev-env/up --topology $topology exited before the service was ready"; }
    status=$(curl -s -o /dev/null -m 3 -w '%{http_code}' "http://localhost:$http_port/health/ready" || true)
    [[ "$status" == 200 ]] && break
    sleep 1
  done
  [[ "$status" == 200 ]] || { cat "$log" >&2; fail "/health/ready answered $status, not 200, within 120 s with --topology $topology"; }
  grep -q "the $name is healthy: REDIS_MODE=$topology REDIS_PRIMARY_ENDPOINT=" "$log" \
    || { cat "$log" >&2; fail "dev-env/up did not report a healthy $name"; }
  grep -q "starting the service on port $http_port with REDIS_MODE=$topology" "$log" \
    || { cat "$log" >&2; fail "service not started with REDIS_MODE=$topology"; }
  health=$(curl -s -m 3 "http://localhost:$http_port/health" || true)
  grep -q "\"mode\":\"$topology\"" <<<"$health" || fail "/health does not show mode $topology: $health"
  say "$topology: the service is ready ($(grep -o '"redis":{"status":"[A-Z]*"' <<<"$health")); stopping dev-env/up"
  stop_and_expect_gone "dev-env/up" "${ports[@]}"
  grep -q "stopping the $name we started" "$log" || { cat "$log" >&2; fail "dev-env/up did not report stopping the $name"; }
done
say "PASS"
