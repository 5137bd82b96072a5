#!/usr/bin/env bash
# Smoke test of dev-env/up against the Redis already running on localhost:6379:
# up must reuse it, bring the service to /health/ready = 200, stop the service on SIGTERM/SIGINT,
# and leave that Redis running.
#
#   dev-env/up-smoke.sh [--build]      (default: --no-build, the jar must exist)
# Env: SMOKE_PORT (default 18080), SMOKE_TIMEOUT seconds for readiness (default 90), SMOKE_SIGNAL (TERM or INT).
set -Eeuo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
port=${SMOKE_PORT:-18080}
timeout=${SMOKE_TIMEOUT:-90}
signal=${SMOKE_SIGNAL:-TERM}
build_flag=--no-build
[[ "${1:-}" == --build ]] && build_flag=

say()  { printf '[up-smoke] %s\n' "$*"; }
fail() { printf '[up-smoke] FAIL: %s\n' "$*" >&2; exit 1; }

redis_up() { [[ "$(redis-cli -h localhost -p 6379 ping 2>/dev/null)" == PONG ]]; }
command -v redis-cli >/dev/null 2>&1 || fail "redis-cli is needed (apt-get install redis-tools)"
command -v curl >/dev/null 2>&1 || fail "curl is needed"
redis_up || fail "no Redis answering on localhost:6379: this smoke test checks that dev-env/up reuses one (start redis-server first)"
redis_run_id=$(redis-cli -p 6379 info server | tr -d '\r' | sed -n 's/^run_id://p')

log=$(mktemp "${TMPDIR:-/tmp}/up-smoke.XXXXXX.log")
up_pid=""
on_exit() {
  if [[ -n "$up_pid" ]] && kill -0 "$up_pid" 2>/dev/null; then kill -TERM "$up_pid" 2>/dev/null || true; wait "$up_pid" 2>/dev/null || true; fi
  rm -f "$log"
}
trap on_exit EXIT

say "starting dev-env/up $build_flag --port $port (log: $log)"
# A script's background job starts with SIGINT ignored, and bash cannot trap a signal ignored on
# entry: restore the default so SIGINT reaches dev-env/up as a Ctrl-C in a terminal would.
launcher=()
env --default-signal=INT true 2>/dev/null && launcher=(env --default-signal=INT)
[[ "$signal" == INT && ${#launcher[@]} -eq 0 ]] && fail "SMOKE_SIGNAL=INT needs env --default-signal (coreutils >= 8.31)"
${launcher[@]+"${launcher[@]}"} "$ROOT/dev-env/up" $build_flag --port "$port" --ready-timeout "$timeout" >"$log" 2>&1 &
up_pid=$!

status=000
deadline=$((SECONDS + timeout + 10))
while ((SECONDS < deadline)); do
  kill -0 "$up_pid" 2>/dev/null || { cat "$log" >&2; fail "dev-env/up exited before the service became ready"; }
  status=$(curl -s -o /dev/null -m 3 -w '%{http_code}' "http://localhost:$port/health/ready" || true)
  [[ "$status" == 200 ]] && break
  sleep 1
done
if [[ "$status" != 200 ]]; then
  grep '^\[up\]' "$log" >&2 || true
  fail "GET http://localhost:$port/health/ready answered $status, not 200, within ${timeout} s"
fi
say "GET /health/ready -> 200"
grep -q 'reusing the Redis already answering' "$log" || { cat "$log" >&2; fail "dev-env/up did not report reusing the Redis on 6379"; }

# The JVM is the process listening on $port: find it through dev-env/up's children.
service_pid=$(pgrep -P "$up_pid" -f 'service/launch-flags' | head -n1 || true)
[[ -n "$service_pid" ]] || fail "could not find the service process started by dev-env/up (pid $up_pid)"

say "sending SIG$signal to dev-env/up (pid $up_pid), service pid $service_pid"
kill -"$signal" "$up_pid"
deadline=$((SECONDS + 45))
while kill -0 "$up_pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.5; done
kill -0 "$up_pid" 2>/dev/null && fail "dev-env/up still running 45 s after SIG$signal"
wait "$up_pid" && rc=0 || rc=$?
up_pid=""
kill -0 "$service_pid" 2>/dev/null && fail "the service (pid $service_pid) is still running after dev-env/up stopped"
curl -s -o /dev/null -m 2 "http://localhost:$port/health/live" && fail "something still answers on port $port"
redis_up || fail "the Redis on localhost:6379 is gone: dev-env/up stopped a Redis it had reused"
[[ "$(redis-cli -p 6379 info server | tr -d '\r' | sed -n 's/^run_id://p')" == "$redis_run_id" ]] \
  || fail "the Redis on localhost:6379 was restarted (run_id changed)"
grep -q 'stopping the service' "$log" || fail "dev-env/up did not report stopping the service"
say "dev-env/up exited with $rc after SIG$signal; service gone, Redis on 6379 untouched"
say "PASS"
