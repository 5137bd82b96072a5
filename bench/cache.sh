#!/usr/bin/env bash
# redis-cache benchmarks (bench/cache-jmh) against a fresh redis-server on a free port:
#   1. JMH: a cache hit against a raw GET on the same connection (target >= 0.9x), a near-cache hit against the remote
#      hit (target >= 100x);
#   2. the near cache's invalidation latency: another client's DEL until this cache's invalidation arrived.
# Installs redis-client and redis-cache (tests skipped), builds the benchmark jar; about 4 minutes on 2 cores.
# CACHE_ROUNDS alternating rounds of the hit against the raw GET [4]; extra arguments replace the JMH settings of each
# run [-f 1 -wi 3 -w 2s -i 5 -r 2s].
# Output: bench/results/cache-<UTC timestamp>/ (jmh.json, jmh.txt, rounds.txt, latency.txt, summary.md).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=${BENCH_OUT:-$ROOT/bench/results/cache-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$OUT"
cd "$ROOT"
for tool in redis-server redis-cli python3 jq; do
  command -v "$tool" >/dev/null || { echo "$tool is missing (Debian: apt-get install redis-server python3 jq)" >&2; exit 1; }
done
# shellcheck source=lib/processes.sh
source "$ROOT/bench/lib/processes.sh"

./mvnw -B -q -pl redis-client,redis-cache -am install -DskipTests
./mvnw -B -q -f bench/cache-jmh/pom.xml package
JAR=bench/cache-jmh/target/benchmarks.jar

PORT=$(free_port)
redis-server --port "$PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$OUT" --logfile "$OUT/redis.log" &
PIDS+=($!)
for _ in $(seq 100); do redis-cli -p "$PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done

# The hit and the raw GET alternate, one JMH run (one fork) each per round, in turn first: a shared machine drifts
# over minutes, and JMH alone would run all of one benchmark before the other.
ROUNDS=${CACHE_ROUNDS:-4}
JMH_ARGS=("$@")
if [ ${#JMH_ARGS[@]} -eq 0 ]; then JMH_ARGS=(-f 1 -wi 3 -w 2s -i 5 -r 2s); fi
jmh() { # benchmark name, output json
  java -jar "$JAR" "CacheHitBenchmark.$1\$" -p endpoint="127.0.0.1:$PORT" "${JMH_ARGS[@]}" -rf json -rff "$2" \
    >>"$OUT/jmh.txt" 2>&1
}
for r in $(seq "$ROUNDS"); do
  if (( r % 2 )); then order=(rawGet cacheHit); else order=(cacheHit rawGet); fi
  for b in "${order[@]}"; do jmh "$b" "$OUT/jmh-$b-$r.json"; done
  echo "round $r: rawGet $(jq '.[0].primaryMetric.score|floor' "$OUT/jmh-rawGet-$r.json") ops/s, cacheHit $(jq '.[0].primaryMetric.score|floor' "$OUT/jmh-cacheHit-$r.json") ops/s" | tee -a "$OUT/rounds.txt"
done
jmh nearCacheHit "$OUT/jmh-nearCacheHit.json"
jq -s 'add' "$OUT"/jmh-*.json >"$OUT/jmh.json"
java -cp "$JAR" dev.redisintegration.bench.cache.NearCacheInvalidationLatency "127.0.0.1:$PORT" 2000 | tee "$OUT/latency.txt"

mean() { jq -r --arg b "$1" '[.[] | select(.benchmark | endswith("." + $b)) | .primaryMetric.score] | add / length' "$OUT/jmh.json"; }
RAW=$(mean rawGet); HIT=$(mean cacheHit); NEAR=$(mean nearCacheHit)
{
  echo "| benchmark | ops/s (mean of the rounds) |"
  echo "|---|---:|"
  printf '| rawGet | %.0f |\n| cacheHit | %.0f |\n| nearCacheHit | %.0f |\n' "$RAW" "$HIT" "$NEAR"
  echo
  cat "$OUT/rounds.txt"
  echo
  python3 - "$RAW" "$HIT" "$NEAR" <<'PY'
import sys
raw, hit, near = map(float, sys.argv[1:])
print(f"- cache hit / raw GET: {hit / raw:.2f}x (target >= 0.9x): {'met' if hit / raw >= 0.9 else 'NOT met'}")
print(f"- near-cache hit / cache hit: {near / hit:.0f}x (target >= 100x): {'met' if near / hit >= 100 else 'NOT met'}")
PY
  echo "- $(head -1 "$OUT/latency.txt")"
  echo "- 1-min load average at the end: $(cut -d' ' -f1 /proc/loadavg)"
} | tee "$OUT/summary.md"
