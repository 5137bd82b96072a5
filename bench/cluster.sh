#!/usr/bin/env bash
# Cached /health throughput of the service against a Redis Cluster (REDIS_MODE=cluster, 3 primaries + 1 replica each
# from dev-env/topology) next to the same jar against one standalone redis-server: the target is cluster mode within
# 10 % of standalone. Both arms run the launch form (service/target/java @service/launch-flags -jar ...), alternate rounds, and count
# the service's CPU per request, which is steadier than req/s on a shared machine. About 3 minutes on 2 cores.
#
# Environment knobs (all optional):
#   CLUSTER_ROUNDS     alternating wrk rounds per arm            [8]
#   CLUSTER_DURATION   wrk time per round                        [6s]
#   CLUSTER_WARMUP     wrk warm-up per arm, not counted          [20s]
#   CLUSTER_BASE_PORT  first port of the cluster (bus on +10000)  [17100]
# Output: bench/results/cluster-<UTC timestamp>/ (wrk output, rounds, load average, summary.md).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=${BENCH_OUT:-$ROOT/bench/results/cluster-$(date -u +%Y%m%dT%H%M%SZ)}
JAR=service/target/service-0.1.0-SNAPSHOT.jar
ROUNDS=${CLUSTER_ROUNDS:-8}
DURATION=${CLUSTER_DURATION:-6s}
WARMUP=${CLUSTER_WARMUP:-20s}
BASE_PORT=${CLUSTER_BASE_PORT:-17100}
mkdir -p "$OUT"
cd "$ROOT"

log() { printf '%s  %s\n' "$(date +%H:%M:%S)" "$*" | tee -a "$OUT/run.log" >&2; }
die() { log "FATAL: $*"; exit 1; }
for tool in wrk curl redis-server redis-cli python3; do
  command -v "$tool" >/dev/null || die "$tool is missing (Debian: apt-get install wrk curl redis-server python3)"
done
[ -f "$JAR" ] || die "no $JAR: build it (./mvnw -B -pl service -am package -DskipTests)"

# shellcheck source=lib/processes.sh
source "$ROOT/bench/lib/processes.sh"

REDIS_PORT=$(free_port)
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$OUT" --logfile "$OUT/redis.log" &
PIDS+=($!)
dev-env/topology start cluster --base-port "$BASE_PORT" >"$OUT/topology.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 300); do dev-env/topology check cluster --base-port "$BASE_PORT" >/dev/null 2>&1 && break; sleep 0.1; done
dev-env/topology check cluster --base-port "$BASE_PORT" >/dev/null || die "the cluster did not come up: $OUT/topology.log"
CLUSTER_ENV=$(dev-env/topology env cluster --base-port "$BASE_PORT")

declare -A PORT JVM
start() { # arm env...
  local arm=$1
  shift
  PORT[$arm]=$(free_port)
  env MICRONAUT_SERVER_PORT="${PORT[$arm]}" "$@" service/target/java @service/launch-flags -jar "$JAR" >"$OUT/service-$arm.log" 2>&1 &
  PIDS+=($!)
  JVM[$arm]=$!
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/${JVM[$1]}/stat"; }
url() { echo "http://127.0.0.1:${PORT[$1]}$2"; }
ARMS=(standalone cluster)
start standalone REDIS_PRIMARY_ENDPOINT="127.0.0.1:$REDIS_PORT"
# shellcheck disable=SC2086  # REDIS_MODE=... REDIS_PRIMARY_ENDPOINT=... as separate words, on purpose
start cluster $CLUSTER_ENV
for arm in "${ARMS[@]}"; do
  for _ in $(seq 600); do [ "$(curl -s -o /dev/null -w '%{http_code}' "$(url "$arm" /health/ready)")" = 200 ] && break; sleep 0.1; done
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$(url "$arm" /health)")" = 200 ] || die "$arm never became ready"
done
curl -s "$(url cluster /health)" | grep -q '"mode":"cluster"' || die "the cluster arm does not report cluster mode"

( while :; do cut -d' ' -f1-3 /proc/loadavg >>"$OUT/loadavg.txt"; sleep 10; done ) &
PIDS+=($!)

wrk_rps() { # arm label [duration] -> "req/s requests cpu-ticks"; cached /health, 2 threads, 64 connections
  local before after
  before=$(cpu_ticks "$1")
  wrk -t2 -c64 -d"${3:-$DURATION}" "$(url "$1" /health)" >"$OUT/wrk-$2.txt" 2>&1
  after=$(cpu_ticks "$1")
  echo "$(awk '/^Requests\/sec:/ {print $2}' "$OUT/wrk-$2.txt") $(awk '/requests in/ {print $1}' "$OUT/wrk-$2.txt") $((after - before))"
}

log "warm-up, $WARMUP per arm"
for arm in "${ARMS[@]}"; do wrk_rps "$arm" "warmup-$arm" "$WARMUP" >/dev/null; done
for round in $(seq "$ROUNDS"); do
  for arm in "${ARMS[@]}"; do
    result=$(wrk_rps "$arm" "$arm-r$round")
    log "round $round $arm: req/s, requests, CPU ticks = $result"
    echo "$round $arm $result" >>"$OUT/rounds.txt"
  done
done

python3 - "$OUT" <<'PY' | tee "$OUT/summary.md"
import statistics, sys, pathlib
out = pathlib.Path(sys.argv[1])
rounds = [l.split() for l in (out / "rounds.txt").read_text().split("\n") if l.strip()]
def rps(arm): return [float(r[2]) for r in rounds if r[1] == arm]
def cpu(arm): return sum(float(r[4]) for r in rounds if r[1] == arm) * 1e4 / sum(float(r[3]) for r in rounds if r[1] == arm)
st, cl = rps("standalone"), rps("cluster")
pairs = [c / s for c, s in zip(cl, st)]
load = [float(l.split()[0]) for l in (out / "loadavg.txt").read_text().split("\n") if l.strip()]
print("| figure | value |")
print("|---|---|")
print(f"| cached /health, standalone (req/s) | mean {statistics.mean(st):,.0f}, min {min(st):,.0f}, max {max(st):,.0f} |")
print(f"| cached /health, cluster (req/s) | mean {statistics.mean(cl):,.0f}, min {min(cl):,.0f}, max {max(cl):,.0f} |")
print(f"| ratio cluster / standalone | {sum(cl) / sum(st):.2f} overall, median of the {len(pairs)} rounds {statistics.median(pairs):.2f} |")
print(f"| service CPU per cached /health, cluster / standalone | {cpu('cluster'):.1f} µs / {cpu('standalone'):.1f} µs ({cpu('standalone') / cpu('cluster'):.2f} as a throughput ratio) |")
print(f"| 1-min load average while measuring | mean {statistics.mean(load):.1f}, max {max(load):.1f} (2 cores) |")
PY
