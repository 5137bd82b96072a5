#!/usr/bin/env bash
# What metrics cost: cached /health throughput of the service with metrics on (and a Prometheus scrape every second)
# against the same jar with metrics off (MICRONAUT_METRICS_ENABLED=false), and the latency of one scrape of
# /prometheus with every metric present. Method and figures: docs/benchmarks.md ("Metrics"). About 3½ minutes on 2 cores.
#
# Environment knobs (all optional):
#   METRICS_BUILD=yes|no     build the service jar first (./mvnw -pl service -am package -DskipTests)  [no]
#   METRICS_ROUNDS           alternating wrk rounds per arm (many short ones average a loaded machine)  [16]
#   METRICS_DURATION         wrk time per round                                                         [6s]
#   METRICS_WARMUP           wrk warm-up per arm, not counted (the JIT settles)                         [30s]
#   METRICS_WEB_ARM=yes      add a third arm: metrics on but Micronaut's HTTP server metrics off
#                            (MICRONAUT_METRICS_BINDERS_WEB_ENABLED=false), to tell their cost from ours   [no]
#   METRICS_SCRAPES          scrapes timed for the median (after 100 untimed ones)                      [200]
#   BENCH_JAVA_FLAGS         JVM flags of both instances                       [-Xms256m -Xmx256m -XX:+UseG1GC]
# Output: bench/results/metrics-<UTC timestamp>/ (wrk output, scrape times, load average, summary.md).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=${BENCH_OUT:-$ROOT/bench/results/metrics-$(date -u +%Y%m%dT%H%M%SZ)}
JAR=$ROOT/service/target/service-0.1.0-SNAPSHOT.jar
JAVA_FLAGS=${BENCH_JAVA_FLAGS:--Xms256m -Xmx256m -XX:+UseG1GC}
ROUNDS=${METRICS_ROUNDS:-16}
DURATION=${METRICS_DURATION:-6s}
WARMUP=${METRICS_WARMUP:-30s}
SCRAPES=${METRICS_SCRAPES:-200}
mkdir -p "$OUT"

log() { printf '%s  %s\n' "$(date +%H:%M:%S)" "$*" | tee -a "$OUT/run.log" >&2; }
die() { log "FATAL: $*"; exit 1; }

for tool in wrk curl redis-server redis-cli python3; do
  command -v "$tool" >/dev/null || die "$tool is missing (Debian: apt-get install wrk curl redis-server python3)"
done
if [ "${METRICS_BUILD:-no}" = yes ]; then
  (cd "$ROOT" && ./mvnw -B -q -pl service -am package -DskipTests) >"$OUT/build.log" 2>&1 || die "build failed: $OUT/build.log"
fi
[ -f "$JAR" ] || die "no $JAR: build it (METRICS_BUILD=yes)"

# shellcheck source=lib/processes.sh
source "$ROOT/bench/lib/processes.sh"

REDIS_PORT=$(free_port)
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$OUT" --logfile "$OUT/redis.log" &
PIDS+=($!)
for _ in $(seq 100); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.05; done

declare -A PORT JVM
start() { # arm [env...]
  local arm=$1; shift
  PORT[$arm]=$(free_port)
  # shellcheck disable=SC2086  # JAVA_FLAGS is a word list on purpose
  env MICRONAUT_SERVER_PORT="${PORT[$arm]}" REDIS_PRIMARY_ENDPOINT="127.0.0.1:$REDIS_PORT" "$@" \
    java $JAVA_FLAGS -jar "$JAR" >"$OUT/service-$arm.log" 2>&1 &
  PIDS+=($!)
  JVM[$arm]=$!
}
# CPU time (user + system) of an arm's JVM in clock ticks: the cost of its requests, whatever else runs on the machine.
cpu_ticks() { awk '{print $14 + $15}' "/proc/${JVM[$1]}/stat"; }
url() { echo "http://127.0.0.1:${PORT[$1]}$2"; }
ARMS=(on off)
start on
start off MICRONAUT_METRICS_ENABLED=false
if [ "${METRICS_WEB_ARM:-no}" = yes ]; then
  ARMS+=(noweb)
  start noweb MICRONAUT_METRICS_BINDERS_WEB_ENABLED=false
fi
for arm in "${ARMS[@]}"; do
  for _ in $(seq 600); do [ "$(curl -s -o /dev/null -w '%{http_code}' "$(url "$arm" /health/ready)")" = 200 ] && break; sleep 0.1; done
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$(url "$arm" /health)")" = 200 ] || die "$arm never became ready"
done
[ "$(curl -s -o /dev/null -w '%{http_code}' "$(url off /prometheus)")" = 404 ] || die "metrics are not off in the off arm"

( while :; do cut -d' ' -f1-3 /proc/loadavg >>"$OUT/loadavg.txt"; sleep 10; done ) &
PIDS+=($!)

wrk_rps() { # arm label [duration] -> "req/s requests cpu-ticks"; cached /health, 2 threads, 64 connections
  local before after
  before=$(cpu_ticks "$1")
  wrk -t2 -c64 -d"${3:-$DURATION}" --latency "$(url "$1" /health)" >"$OUT/wrk-$2.txt" 2>&1
  after=$(cpu_ticks "$1")
  echo "$(awk '/^Requests\/sec:/ {print $2}' "$OUT/wrk-$2.txt") $(awk '/requests in/ {print $1}' "$OUT/wrk-$2.txt") $((after - before))"
}

log "warm-up, $WARMUP per arm"
for arm in "${ARMS[@]}"; do wrk_rps "$arm" "warmup-$arm" "$WARMUP" >/dev/null; done
for round in $(seq "$ROUNDS"); do
  for arm in "${ARMS[@]}"; do
    scraper=""
    if [ "$arm" != off ]; then   # a Prometheus scraping every second, as in production
      ( while :; do curl -s -o /dev/null "$(url "$arm" /prometheus)"; sleep 1; done ) &
      scraper=$!
      PIDS+=("$scraper")
    fi
    result=$(wrk_rps "$arm" "$arm-r$round")
    [ -n "$scraper" ] && { kill "$scraper"; wait "$scraper" 2>/dev/null || true; }
    log "round $round $arm: req/s, requests, CPU ticks = $result"
    echo "$round $arm $result" >>"$OUT/rounds.txt"
  done
done

log "scrape latency: 100 untimed, then $SCRAPES timed, one keep-alive connection"
scrapes() { local i; for i in $(seq "$1"); do printf -- '-o /dev/null %s ' "$(url on /prometheus)"; done; }
# shellcheck disable=SC2046  # one "-o /dev/null URL" pair per scrape, on purpose
curl -s $(scrapes 100)
# shellcheck disable=SC2046
curl -s -w '%{time_total}\n' $(scrapes "$SCRAPES") >"$OUT/scrape-seconds.txt"
curl -s "$(url on /prometheus)" >"$OUT/scrape.txt"

python3 - "$OUT" <<'PY' | tee "$OUT/summary.md"
import statistics, sys, pathlib
out = pathlib.Path(sys.argv[1])
rounds = [l.split() for l in (out / "rounds.txt").read_text().split("\n") if l.strip()]
on = [float(r[2]) for r in rounds if r[1] == "on"]
off = [float(r[2]) for r in rounds if r[1] == "off"]
tick_us = 1e6 / 100  # USER_HZ
def cpu(arm):
    return sum(float(r[4]) for r in rounds if r[1] == arm) * tick_us / sum(float(r[3]) for r in rounds if r[1] == arm)
cpu_on, cpu_off = cpu("on"), cpu("off")
noweb = [float(r[2]) for r in rounds if r[1] == "noweb"]
pairs = [a / b for a, b in zip(on, off)]
scrape = sorted(float(x) * 1000 for x in (out / "scrape-seconds.txt").read_text().split())
load = [float(l.split()[0]) for l in (out / "loadavg.txt").read_text().split("\n") if l.strip()]
series = sum(1 for l in (out / "scrape.txt").read_text().split("\n") if l and not l.startswith("#"))
size = len((out / "scrape.txt").read_bytes())
print("| figure | value |")
print("|---|---|")
print(f"| cached /health, metrics on + 1 s scrape (req/s) | mean {statistics.mean(on):,.0f}, min {min(on):,.0f}, max {max(on):,.0f} |")
print(f"| cached /health, metrics off (req/s) | mean {statistics.mean(off):,.0f}, min {min(off):,.0f}, max {max(off):,.0f} |")
print(f"| ratio on / off | {sum(on) / sum(off):.2f} overall, median of the {len(pairs)} rounds {statistics.median(pairs):.2f} (per round {', '.join(f'{p:.2f}' for p in pairs)}) |")
print(f"| service CPU per cached /health, on / off | {cpu_on:.1f} µs / {cpu_off:.1f} µs ({cpu_off / cpu_on:.2f} as a throughput ratio) |")
if noweb:
    web_pairs = [a / b for a, b in zip(noweb, off)]
    print(f"| metrics on, HTTP server metrics off (req/s) | mean {statistics.mean(noweb):,.0f}; ratio to off {sum(noweb) / sum(off):.2f} overall, median {statistics.median(web_pairs):.2f} |")
    print(f"| service CPU per cached /health, HTTP server metrics off | {cpu('noweb'):.1f} µs ({cpu_off / cpu('noweb'):.2f} as a throughput ratio) |")
print(f"| scrape of /prometheus, median of {len(scrape)} | {statistics.median(scrape):.2f} ms (p90 {scrape[int(len(scrape) * 0.9)]:.2f} ms, min {scrape[0]:.2f} ms) |")
print(f"| scrape size | {series} samples, {size / 1024:.1f} KiB |")
print(f"| 1-min load average while measuring | mean {statistics.mean(load):.1f}, max {max(load):.1f} (2 cores) |")
PY
